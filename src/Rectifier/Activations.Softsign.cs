using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>softsign: <c>x/(1 + |x|)</c>; softsign(±∞) = ±1 (PyTorch gives NaN).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Softsign<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(SoftsignFunction), default(SoftsignFunction));

    /// <summary>softsign in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void SoftsignInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Softsign<T>(values, values);

    /// <summary>softsign backward: <c>g/(1 + |x|)²</c> (0 at ±∞).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void SoftsignBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(SoftsignBackwardFunction), default(SoftsignBackwardFunction));

    /// <summary>tanhshrink: <c>x − tanh(x)</c> without the cancellation near 0 (≈ x³/3 there, where PyTorch's direct
    /// difference is off by up to 1e9 ULP in float); odd, so tanhshrink(−0) = −0.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Tanhshrink<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Smooth(x, destination, default(TanhshrinkFunction), default(TanhshrinkFunction));

    /// <summary>tanhshrink in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void TanhshrinkInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Tanhshrink<T>(values, values);

    /// <summary>tanhshrink backward: <c>g·tanh²(x)</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void TanhshrinkBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackward(x, gradOutput, gradInput, default(TanhshrinkBackwardFunction), default(TanhshrinkBackwardFunction));

    /// <summary>logsigmoid: <c>log σ(x) = min(x, 0) − log1p(e^{−|x|})</c>; logsigmoid(+∞) = −0, logsigmoid(−∞) = −∞.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void LogSigmoid<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothNative(x, destination, default(LogSigmoidFunction), default(LogSigmoidFunction));

    /// <summary>logsigmoid in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void LogSigmoidInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => LogSigmoid<T>(values, values);

    /// <summary>logsigmoid backward: <c>g·σ(−x)</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void LogSigmoidBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput, default(LogSigmoidBackwardFunction), default(LogSigmoidBackwardFunction));
}
