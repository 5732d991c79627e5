using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>silu (swish): <c>x·σ(x)</c>, accurate in both tails (silu(−100) ≈ −3.7e−42 in float); silu(−∞) = −0
    /// (the limit; PyTorch returns NaN).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Silu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(SiluFunction), default(SiluFunction));

    /// <summary>silu in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void SiluInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Silu<T>(values, values);

    /// <summary>silu backward: <c>g·σ(x)·(1 + x·(1 − σ(x)))</c>; silu'(0) = 0.5.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void SiluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(SiluBackwardFunction), default(SiluBackwardFunction));

    /// <summary>mish: <c>x·tanh(softplus(x))</c>; mish(−∞) = −0.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Mish<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Smooth(x, destination, default(MishFunction), default(MishFunction));

    /// <summary>mish in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void MishInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Mish<T>(values, values);

    /// <summary>mish backward: <c>g·(tanh(sp) + x·σ(x)·(1 − tanh²(sp)))</c>, sp = softplus(x); mish'(0) = 0.6.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void MishBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackward(x, gradOutput, gradInput, default(MishBackwardFunction), default(MishBackwardFunction));
}
