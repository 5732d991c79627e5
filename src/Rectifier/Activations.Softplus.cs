using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>PyTorch's default softplus threshold.</summary>
    public const double DefaultSoftplusThreshold = 20.0;

    /// <summary>softplus with β = 1 and threshold 20.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Softplus<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Softplus(x, 1.0, DefaultSoftplusThreshold, destination);

    /// <summary>softplus: <c>x·β &gt; threshold ? x : log1p(exp(x·β))/β</c> (strict <c>&gt;</c>), evaluated as
    /// <c>(max(t, 0) + log1p(e^{−|t|}))/β</c> with t = x·β carried exactly, so it stays finite wherever the true value
    /// is, for any β (PyTorch returns ∞/NaN for large β).</summary>
    /// <param name="x">The input.</param>
    /// <param name="beta">β, non-zero and finite in the compute type.</param>
    /// <param name="threshold">Above it (in x·β) the result is x; compared in the element type, like PyTorch.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is 0 or not finite, or <paramref name="threshold"/> is NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Softplus<T>(ReadOnlySpan<T> x, double beta, double threshold, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double b = Coefficient<T>(beta, nameof(beta), nonZero: true), bd = Coefficient<double>(beta, nameof(beta), nonZero: true);
        CheckNotNaN(threshold, nameof(threshold));
        SmoothNative(x, destination, new SoftplusFunction(b, Bound<T>(threshold)), new SoftplusFunction(bd, threshold));
    }

    /// <summary>softplus in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="beta">β.</param>
    /// <param name="threshold">The linear threshold.</param>
    public static void SoftplusInPlace<T>(Span<T> values, double beta = 1.0, double threshold = DefaultSoftplusThreshold) where T : unmanaged, IFloatingPointIeee754<T>
        => Softplus<T>(values, beta, threshold, values);

    /// <summary>softplus backward with PyTorch's defaults β = 1 and threshold 20.</summary>
    public static void SoftplusBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => SoftplusBackward<T>(x, gradOutput, 1.0, DefaultSoftplusThreshold, gradInput);

    /// <summary>softplus backward: <c>x·β &gt; threshold ? g : g·σ(x·β)</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <param name="beta">β.</param>
    /// <param name="threshold">The linear threshold.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is 0 or not finite, or <paramref name="threshold"/> is NaN.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void SoftplusBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double beta, double threshold, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double b = Coefficient<T>(beta, nameof(beta), nonZero: true), bd = Coefficient<double>(beta, nameof(beta), nonZero: true);
        CheckNotNaN(threshold, nameof(threshold));
        SmoothBackwardNative(x, gradOutput, gradInput, new SoftplusBackwardFunction(b, Bound<T>(threshold)), new SoftplusBackwardFunction(bd, threshold));
    }
}
