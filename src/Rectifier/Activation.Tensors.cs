using System.Numerics;
using System.Numerics.Tensors;
using Rectifier.Kernels;

namespace Rectifier;

public readonly partial record struct Activation
{
    /// <summary>y = f(x) over tensor views (System.Numerics.Tensors), dense or strided: the same bits as the span
    /// form on the same data. Element-wise kinds walk a strided view as its contiguous inner runs, or in cache-sized
    /// tiles where it has none (a transposed view); softmax, log_softmax and softmin take their <see cref="Dim"/> as an
    /// axis of the tensor's shape.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output: the same shape as <paramref name="x"/>, and either
    /// <paramref name="x"/> itself (the same memory and strides: in place) or memory that does not overlap it.</param>
    /// <exception cref="ArgumentException">The shapes differ, the destination overlaps <paramref name="x"/> without being
    /// the same view, or it is a broadcast (zero-stride) view.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Dim"/> is not an axis of the shape.</exception>
    public void Forward<T>(in ReadOnlyTensorSpan<T> x, in TensorSpan<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsElementwise)
        {
            Validate<T>();
            TensorWalk.Run(x, default, false, destination, new ForwardKernel<T>(this), nameof(x), nameof(x), nameof(destination));
            return;
        }
        TensorWalk.CheckViews(x, destination, nameof(x), nameof(destination));
        using var stage = new TensorStage<T>();
        Forward(stage.Input(x, nameof(x)), x.Lengths, stage.Output(destination, nameof(destination)));
        stage.Store(destination, nameof(destination));
    }

    /// <summary>dx = f'(x)·g over tensor views (see <see cref="Forward{T}(in ReadOnlyTensorSpan{T}, in TensorSpan{T})"/>).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy, the shape of <paramref name="x"/>.</param>
    /// <param name="gradInput">Receives dL/dx: the same shape, and either one of the inputs exactly or memory that
    /// overlaps neither.</param>
    /// <exception cref="ArgumentException">The shapes differ, or <paramref name="gradInput"/> partially overlaps an input or is a broadcast view.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range, or <see cref="Dim"/> is not an axis of the shape.</exception>
    public void Backward<T>(in ReadOnlyTensorSpan<T> x, in ReadOnlyTensorSpan<T> gradOutput, in TensorSpan<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsElementwise)
        {
            ValidateBackward<T>();
            TensorWalk.Run(x, gradOutput, true, gradInput, new BackwardKernel<T>(this), nameof(x), nameof(gradOutput), nameof(gradInput));
            return;
        }
        TensorWalk.CheckViews(x, gradInput, nameof(x), nameof(gradInput));
        TensorWalk.CheckViews(gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
        using var stage = new TensorStage<T>();
        Backward(stage.Input(x, nameof(x)), stage.Input(gradOutput, nameof(gradOutput)), x.Lengths, stage.Output(gradInput, nameof(gradInput)));
        stage.Store(gradInput, nameof(gradInput));
    }

    /// <summary>y = f(x) into a new dense tensor of x's shape.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input (dense or strided).</param>
    /// <returns>The output.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="x"/> is null.</exception>
    public Tensor<T> Forward<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor<T> y = Tensor.CreateFromShapeUninitialized<T>(x.Lengths);
        Forward(x.AsReadOnlyTensorSpan(), y.AsTensorSpan());
        return y;
    }

    /// <summary>dx = f'(x)·g into a new dense tensor of x's shape.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy, the shape of <paramref name="x"/>.</param>
    /// <returns>dL/dx.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public Tensor<T> Backward<T>(Tensor<T> x, Tensor<T> gradOutput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(gradOutput);
        Tensor<T> dx = Tensor.CreateFromShapeUninitialized<T>(x.Lengths);
        Backward(x.AsReadOnlyTensorSpan(), gradOutput.AsReadOnlyTensorSpan(), dx.AsTensorSpan());
        return dx;
    }

    /// <summary>The backward's counterpart of <see cref="Validate{T}"/>.</summary>
    internal void ValidateBackward<T>() where T : unmanaged, IFloatingPointIeee754<T> => Backward<T>([T.Zero], [T.Zero], new T[1]);

    private readonly struct ForwardKernel<T>(Activation activation) : ISpanKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) => activation.Forward(a, destination);
    }

    private readonly struct BackwardKernel<T>(Activation activation) : ISpanKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination) => activation.Backward(a, b, destination);
    }
}
