using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>hardswish: <c>x·min(max(x + 3, 0), 6)/6</c>; −0 at and below −3 (−∞ included).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Hardswish<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(HardswishFunction), default(HardswishFunction));

    /// <summary>hardswish in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void HardswishInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardswish<T>(values, values);

    /// <summary>hardswish backward: <c>x ≤ −3 ? 0 : x &lt; 3 ? g·(x/3 + ½) : g</c> (0 at −3, g at +3, as PyTorch since
    /// 2025-03); NaN input gives NaN.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void HardswishBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(HardswishBackwardFunction), default(HardswishBackwardFunction));

    /// <summary>hardsigmoid: <c>min(max(x + 3, 0), 6)/6</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Hardsigmoid<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(HardsigmoidFunction), default(HardsigmoidFunction));

    /// <summary>hardsigmoid in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void HardsigmoidInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardsigmoid<T>(values, values);

    /// <summary>hardsigmoid backward: <c>−3 &lt; x &lt; 3 ? g/6 : 0</c> (0 at ±3); NaN input gives NaN.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void HardsigmoidBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(HardsigmoidBackwardFunction), default(HardsigmoidBackwardFunction));
}
