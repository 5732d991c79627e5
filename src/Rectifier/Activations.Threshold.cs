using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>threshold: <c>y = x &lt;= threshold ? value : x</c> (NaN passes).</summary>
    /// <param name="x">The input.</param>
    /// <param name="threshold">The threshold (converted to the element type, as PyTorch does).</param>
    /// <param name="value">The replacement (converted to the element type).</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> or <paramref name="value"/> is NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Threshold<T>(ReadOnlySpan<T> x, double threshold, double value, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(threshold, nameof(threshold));
        CheckNotNaN(value, nameof(value));
        Elementwise.Unary(x, destination,
            new ThresholdOperator<float>(Bound<T>(threshold), Bound<T>(value)),
            new ThresholdOperator<double>(threshold, value));
    }

    /// <summary>threshold in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="threshold">The threshold.</param>
    /// <param name="value">The replacement.</param>
    public static void ThresholdInPlace<T>(Span<T> values, double threshold, double value) where T : unmanaged, IFloatingPointIeee754<T>
        => Threshold<T>(values, threshold, value, values);

    /// <summary>threshold backward: <c>dx = x &lt;= threshold ? 0 : g</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="threshold">The threshold.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void ThresholdBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double threshold, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(threshold, nameof(threshold));
        Elementwise.Binary(x, gradOutput, gradInput,
            new ThresholdBackwardOperator<float>(Bound<T>(threshold)),
            new ThresholdBackwardOperator<double>(threshold));
    }
}
