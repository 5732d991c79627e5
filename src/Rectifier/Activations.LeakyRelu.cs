using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>PyTorch's default negative slope of leaky_relu.</summary>
    public const double DefaultNegativeSlope = 0.01;

    /// <summary>leaky_relu with the default slope 0.01.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => LeakyRelu(x, DefaultNegativeSlope, destination);

    /// <summary>leaky_relu: <c>y = x &gt; 0 ? x : x·negativeSlope</c> (−0.0 → −0.0, NaN → NaN).</summary>
    /// <param name="x">The input.</param>
    /// <param name="negativeSlope">The slope for x ≤ 0 (computed in float for Half and float, as PyTorch does).</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="negativeSlope"/> is NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, double negativeSlope, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(negativeSlope, nameof(negativeSlope));
        Elementwise.Unary(x, destination, new LeakyReluOperator<float>(Multiplier(negativeSlope)), new LeakyReluOperator<double>(negativeSlope));
    }

    /// <summary>leaky_relu in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    public static void LeakyReluInPlace<T>(Span<T> values, double negativeSlope = DefaultNegativeSlope) where T : unmanaged, IFloatingPointIeee754<T>
        => LeakyRelu<T>(values, negativeSlope, values);

    /// <summary>leaky_relu backward with the default slope 0.01.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx.</param>
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => LeakyReluBackward(x, gradOutput, DefaultNegativeSlope, gradInput);

    /// <summary>leaky_relu backward: <c>dx = x &gt; 0 ? g : g·negativeSlope</c> (the slope at 0 is negativeSlope).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="negativeSlope"/> is NaN.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void LeakyReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double negativeSlope, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(negativeSlope, nameof(negativeSlope));
        Elementwise.Binary(x, gradOutput, gradInput, new LeakyReluBackwardOperator<float>(Multiplier(negativeSlope)), new LeakyReluBackwardOperator<double>(negativeSlope));
    }
}
