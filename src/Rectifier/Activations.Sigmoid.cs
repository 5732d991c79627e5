using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>sigmoid: <c>σ(x) = 1/(1 + e^−x)</c>, without overflow, accurate in the lower tail; σ(±0) = 0.5.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(SigmoidFunction), default(SigmoidFunction));

    /// <summary>sigmoid in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void SigmoidInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Sigmoid<T>(values, values);

    /// <summary>sigmoid backward from x: <c>g·σ(x)(1 − σ(x))</c>, computed as g·e/(1 + e)² with e = e^{−|x|}, so
    /// both tails keep their relative accuracy.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void SigmoidBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(SigmoidBackwardFunction), default(SigmoidBackwardFunction));

    /// <summary>sigmoid backward from the output y (PyTorch's <c>sigmoid_backward</c>): <c>g·(1 − y)·y</c>; exact
    /// arithmetic on y, so the upper tail is only as accurate as 1 − y.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void SigmoidBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(y, gradOutput, gradInput, default(SigmoidBackwardFromOutputFunction), default(SigmoidBackwardFromOutputFunction), "y");

    /// <summary>tanh, with the sign of ±0 kept (TensorPrimitives.Tanh flips it).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(TanhFunction), default(TanhFunction));

    /// <summary>tanh in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void TanhInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Tanh<T>(values, values);

    /// <summary>tanh backward from x: <c>g·(1 − tanh²(x))</c>, computed as g·4e/(1 + e)² with e = e^{−2|x|}, so it
    /// stays positive while representable (tanh'(40) ≈ 7e−35, not 0).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void TanhBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(TanhBackwardFunction), default(TanhBackwardFunction));

    /// <summary>tanh backward from the output y (PyTorch's <c>tanh_backward</c>): <c>g·(1 − y)(1 + y)</c>; as accurate
    /// as y, so the tails are lost once y rounds to ±1.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void TanhBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(y, gradOutput, gradInput, default(TanhBackwardFromOutputFunction), default(TanhBackwardFromOutputFunction), "y");
}
