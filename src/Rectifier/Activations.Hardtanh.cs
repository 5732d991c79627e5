using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>hardtanh with PyTorch's defaults (minValue = −1, maxValue = 1).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Hardtanh<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardtanh(x, -1.0, 1.0, destination);

    /// <summary>hardtanh: <c>y = x &lt; min ? min : x &gt; max ? max : x</c> (NaN passes; −0.0 is kept inside the range).</summary>
    /// <param name="x">The input.</param>
    /// <param name="minValue">Lower bound (converted to the element type, as PyTorch does).</param>
    /// <param name="maxValue">Upper bound (converted to the element type).</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Hardtanh<T>(ReadOnlySpan<T> x, double minValue, double maxValue, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBounds(minValue, maxValue);
        Elementwise.Unary(x, destination,
            new HardtanhOperator<float>(Bound<T>(minValue), Bound<T>(maxValue)),
            new HardtanhOperator<double>(minValue, maxValue));
    }

    /// <summary>hardtanh in place with the given bounds.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="minValue">Lower bound.</param>
    /// <param name="maxValue">Upper bound.</param>
    public static void HardtanhInPlace<T>(Span<T> values, double minValue = -1.0, double maxValue = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardtanh<T>(values, minValue, maxValue, values);

    /// <summary>hardtanh backward: <c>dx = (x &lt;= min || x &gt;= max) ? 0 : g</c> (0 at both bounds).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="minValue">Lower bound.</param>
    /// <param name="maxValue">Upper bound.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void HardtanhBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double minValue, double maxValue, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBounds(minValue, maxValue);
        Elementwise.Binary(x, gradOutput, gradInput,
            new HardtanhBackwardOperator<float>(Bound<T>(minValue), Bound<T>(maxValue)),
            new HardtanhBackwardOperator<double>(minValue, maxValue));
    }

    /// <summary>hardtanh backward with the default bounds (−1, 1).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx.</param>
    public static void HardtanhBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => HardtanhBackward(x, gradOutput, -1.0, 1.0, gradInput);

    /// <summary>relu6: hardtanh(x, 0, 6); relu6(−0.0) = −0.0.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Relu6<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardtanh(x, 0.0, 6.0, destination);

    /// <summary>relu6 in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void Relu6InPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardtanh<T>(values, 0.0, 6.0, values);

    /// <summary>relu6 backward: <c>dx = (x &lt;= 0 || x &gt;= 6) ? 0 : g</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx.</param>
    public static void Relu6Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => HardtanhBackward(x, gradOutput, 0.0, 6.0, gradInput);

    private static void CheckBounds(double minValue, double maxValue)
    {
        CheckNotNaN(minValue, nameof(minValue));
        CheckNotNaN(maxValue, nameof(maxValue));
        if (minValue > maxValue)
        {
            ThrowHelper.OutOfRange(nameof(minValue), minValue, $"minValue ({minValue}) must not be greater than maxValue ({maxValue}).");
        }
    }
}
