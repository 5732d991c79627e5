using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Rectifier.Kernels;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>softmax along the whole span (one row): <c>y = exp(x − max)/Σ exp(x − max)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim(x, [x.Length], -1, destination, SoftmaxForm.Softmax);

    /// <summary>softmax along <paramref name="dim"/> of a C-ordered tensor: <c>y = exp(x − m)/Σ exp(x − m)</c>, m the
    /// maximum along <paramref name="dim"/>. x − m is exact and the sum is kept in double, so every element is within
    /// 2 ULP (float), 4 ULP (double) or 1 ULP (Half), tiny ones included. A row (the elements along
    /// <paramref name="dim"/>) that holds NaN or +∞, or only −∞, gives NaN, as in PyTorch; a −∞ entry gives 0.
    /// Results do not depend on the thread count or the vector width.</summary>
    /// <param name="x">The input.</param>
    /// <param name="shape">Its dimensions (their product must be the length of <paramref name="x"/>).</param>
    /// <param name="dim">The axis to normalise along; negative values count from the end (−1 is the last).</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">The shape does not match the length, or <paramref name="destination"/> is too
    /// short or partially overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not an axis of the shape.</exception>
    public static void Softmax<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, int dim, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim(x, shape, dim, destination, SoftmaxForm.Softmax);

    /// <summary>softmax in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="dim">The axis (−1: the last).</param>
    public static void SoftmaxInPlace<T>(Span<T> values, ReadOnlySpan<nint> shape, int dim = -1) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim<T>(values, shape, dim, values, SoftmaxForm.Softmax);

    /// <summary>softmax backward from its output over one row: <c>dx = y ⊙ (g − Σ g·y)</c>.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardAlongDim(y, gradOutput, [y.Length], -1, gradInput, SoftmaxForm.Softmax);

    /// <summary>softmax backward from its output (PyTorch's <c>_softmax_backward_data</c>): <c>dx = y ⊙ (g − Σ g·y)</c>
    /// along <paramref name="dim"/>, the dot product compensated (error within 8ε·|y|·(|g| + |Σ g·y|)).</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="shape">The dimensions of both.</param>
    /// <param name="dim">The axis the forward normalised along.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths or the shape do not match, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not an axis of the shape.</exception>
    public static void SoftmaxBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, ReadOnlySpan<nint> shape, int dim, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardAlongDim(y, gradOutput, shape, dim, gradInput, SoftmaxForm.Softmax);

    /// <summary>log_softmax along the whole span (one row).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim(x, [x.Length], -1, destination, SoftmaxForm.LogSoftmax);

    /// <summary>log_softmax along <paramref name="dim"/>: <c>y = (x − m) − log Σ exp(x − m)</c>, with the sum's logarithm
    /// taken as log1p of the non-maximal terms (so the maximum's −log Σ keeps its digits when the others are tiny) and
    /// x − m exact. A −∞ entry gives −∞; NaN rows as for <see cref="Softmax{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, int, Span{T})"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="dim">The axis; negative values count from the end.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">The shape does not match the length, or <paramref name="destination"/> is too
    /// short or partially overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not an axis of the shape.</exception>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, int dim, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim(x, shape, dim, destination, SoftmaxForm.LogSoftmax);

    /// <summary>log_softmax in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="dim">The axis (−1: the last).</param>
    public static void LogSoftmaxInPlace<T>(Span<T> values, ReadOnlySpan<nint> shape, int dim = -1) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim<T>(values, shape, dim, values, SoftmaxForm.LogSoftmax);

    /// <summary>log_softmax backward from its output over one row: <c>dx = g − exp(y)·Σ g</c>.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void LogSoftmaxBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardAlongDim(y, gradOutput, [y.Length], -1, gradInput, SoftmaxForm.LogSoftmax);

    /// <summary>log_softmax backward from its output (PyTorch's <c>_log_softmax_backward_data</c>):
    /// <c>dx = g − exp(y)·Σ g</c> along <paramref name="dim"/>.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="shape">The dimensions of both.</param>
    /// <param name="dim">The axis the forward normalised along.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths or the shape do not match, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not an axis of the shape.</exception>
    public static void LogSoftmaxBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, ReadOnlySpan<nint> shape, int dim, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardAlongDim(y, gradOutput, shape, dim, gradInput, SoftmaxForm.LogSoftmax);

    /// <summary>softmin along the whole span (one row): softmax(−x).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Softmin<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim(x, [x.Length], -1, destination, SoftmaxForm.Softmin);

    /// <summary>softmin along <paramref name="dim"/>: softmax(−x), with the same accuracy and conventions (a row with
    /// NaN or −∞, or only +∞, gives NaN; a +∞ entry gives 0).</summary>
    /// <param name="x">The input.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="dim">The axis; negative values count from the end.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">The shape does not match the length, or <paramref name="destination"/> is too
    /// short or partially overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not an axis of the shape.</exception>
    public static void Softmin<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, int dim, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim(x, shape, dim, destination, SoftmaxForm.Softmin);

    /// <summary>softmin in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="dim">The axis (−1: the last).</param>
    public static void SoftminInPlace<T>(Span<T> values, ReadOnlySpan<nint> shape, int dim = -1) where T : unmanaged, IFloatingPointIeee754<T>
        => AlongDim<T>(values, shape, dim, values, SoftmaxForm.Softmin);

    /// <summary>softmin backward from its output over one row: <c>dx = −y ⊙ (g − Σ g·y)</c>.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void SoftminBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardAlongDim(y, gradOutput, [y.Length], -1, gradInput, SoftmaxForm.Softmin);

    /// <summary>softmin backward from its output: <c>dx = −y ⊙ (g − Σ g·y)</c> along <paramref name="dim"/>.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="shape">The dimensions of both.</param>
    /// <param name="dim">The axis the forward normalised along.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths or the shape do not match, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dim"/> is not an axis of the shape.</exception>
    public static void SoftminBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, ReadOnlySpan<nint> shape, int dim, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BackwardAlongDim(y, gradOutput, shape, dim, gradInput, SoftmaxForm.Softmin);

    /// <summary>[outer, n, inner] around <paramref name="dim"/>: a rank-0 tensor is one row of one element, and
    /// takes dim 0 or −1 as in PyTorch.</summary>
    internal static (long Outer, int N, long Inner) DimLayout(ReadOnlySpan<nint> shape, int dim, int length)
    {
        // the shape's checks (no negative dimension, an addressable count) and, from rank 2, the axis are ChannelLayout's
        ChannelLayout layout = ChannelLayout.Create(shape, shape.Length < 2 ? 0 : dim, nameof(dim));
        if (layout.Length != length)
        {
            ThrowHelper.Argument(nameof(shape), $"Shape [{string.Join(", ", shape.ToArray())}] has {layout.Length} elements but the input has {length}.");
        }
        if (shape.Length >= 2)
        {
            return (layout.Outer, layout.Channels, layout.Inner);
        }
        if (dim is not (0 or -1))
        {
            ThrowHelper.OutOfRange(nameof(dim), dim, $"dim {dim} is not an axis of a rank-{shape.Length} tensor (use 0 or -1).");
        }
        return (1, length, 1);
    }

    private static unsafe void AlongDim<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, int dim, Span<T> destination, SoftmaxForm form) where T : unmanaged
    {
        (long outer, int n, long inner) = DimLayout(shape, dim, x.Length);
        Elementwise.CheckDestination(x, destination, "x", nameof(destination));
        if (x.IsEmpty)
        {
            return;
        }
        if (typeof(T) == typeof(Half))
        {
            float[] buffer = ArrayPool<float>.Shared.Rent(x.Length);
            try
            {
                Span<float> f = buffer.AsSpan(0, x.Length);
                TensorPrimitives.ConvertToSingle(System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(x), f);
                fixed (float* pf = f)
                {
                    SoftmaxKernels.Forward(pf, pf, outer, n, inner, form);
                }
                TensorPrimitives.ConvertToHalf(f, System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(destination));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
            return;
        }
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            ThrowHelper.NotSupportedType<T>();
        }
        fixed (T* px = x)
        fixed (T* pd = destination)
        {
            SoftmaxKernels.Forward(px, pd, outer, n, inner, form);
        }
    }

    private static unsafe void BackwardAlongDim<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, ReadOnlySpan<nint> shape, int dim, Span<T> gradInput, SoftmaxForm form)
        where T : unmanaged
    {
        if (gradOutput.Length != y.Length)
        {
            ThrowHelper.LengthMismatch(nameof(gradOutput), y.Length, gradOutput.Length);
        }
        (long outer, int n, long inner) = DimLayout(shape, dim, y.Length);
        Elementwise.CheckDestination(y, gradInput, nameof(y), nameof(gradInput));
        Elementwise.CheckDestination(gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
        if (y.IsEmpty)
        {
            return;
        }
        if (typeof(T) == typeof(Half))
        {
            float[] buffer = ArrayPool<float>.Shared.Rent(2 * y.Length);
            try
            {
                Span<float> fy = buffer.AsSpan(0, y.Length), fg = buffer.AsSpan(y.Length, y.Length);
                TensorPrimitives.ConvertToSingle(System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(y), fy);
                TensorPrimitives.ConvertToSingle(System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(gradOutput), fg);
                fixed (float* py = fy)
                fixed (float* pg = fg)
                {
                    SoftmaxKernels.Backward(py, pg, pg, outer, n, inner, form);
                }
                TensorPrimitives.ConvertToHalf(fg, System.Runtime.InteropServices.MemoryMarshal.Cast<T, Half>(gradInput));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
            return;
        }
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            ThrowHelper.NotSupportedType<T>();
        }
        fixed (T* py = y)
        fixed (T* pg = gradOutput)
        fixed (T* pd = gradInput)
        {
            SoftmaxKernels.Backward(py, pg, pd, outer, n, inner, form);
        }
    }
}
