using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>selu's α (Klambauer et al. 2017), as PyTorch defines it.</summary>
    public const double SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>selu's scale (Klambauer et al. 2017), as PyTorch defines it.</summary>
    public const double SeluScale = 1.0507009873554804934193349852946;

    /// <summary>elu with α = 1: <c>x &gt; 0 ? x : expm1(x)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Elu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Elu(x, 1.0, destination);

    /// <summary>elu: <c>x &gt; 0 ? x : α·expm1(x)</c>, within 2 ULP (float) / 4 ULP (double) of the exact value,
    /// tiny results included (elu(−1e−30) = −1e−30, not 0); −0 → −0; −∞ → −α.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">α, the value approached as x → −∞ is −α.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Elu<T>(ReadOnlySpan<T> x, double alpha, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = Coefficient<T>(alpha, nameof(alpha));
        SmoothNative(x, destination, new EluFunction(1, a, 1), new EluFunction(1, Coefficient<double>(alpha, nameof(alpha)), 1));
    }

    /// <summary>elu in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="alpha">α.</param>
    public static void EluInPlace<T>(Span<T> values, double alpha = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
        => Elu<T>(values, alpha, values);

    /// <summary>elu backward from x with the default α = 1.</summary>
    public static void EluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => EluBackward<T>(x, gradOutput, 1.0, gradInput);

    /// <summary>elu backward from x: <c>x &gt; 0 ? g : g·α·exp(x)</c> (the slope at 0 is α, the left value).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <param name="alpha">α.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void EluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double alpha, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SmoothBackwardNative(x, gradOutput, gradInput,
            new EluBackwardFunction(1, Coefficient<T>(alpha, nameof(alpha)), 1), new EluBackwardFunction(1, Coefficient<double>(alpha, nameof(alpha)), 1));

    /// <summary>elu backward from the output with the default α = 1.</summary>
    public static void EluBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => EluBackwardFromOutput<T>(y, gradOutput, 1.0, gradInput);

    /// <summary>elu backward from the output y (so x need not be kept): <c>y &gt; 0 ? g : g·(y + α)</c>. As accurate
    /// as y: where y nears −α the sum cancels, so prefer <see cref="EluBackward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, double, Span{T})"/> when x is at hand.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <param name="alpha">α (must be positive: otherwise y does not determine the branch).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite and positive.</exception>
    public static void EluBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, double alpha, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPositive(alpha, nameof(alpha));
        SmoothBackwardNative(y, gradOutput, gradInput,
            new EluBackwardFromOutputFunction(1, Coefficient<T>(alpha, nameof(alpha)), 1), new EluBackwardFromOutputFunction(1, alpha, 1), "y");
    }

    /// <summary>selu: <c>scale·(x &gt; 0 ? x : α·expm1(x))</c> with <see cref="SeluAlpha"/> and <see cref="SeluScale"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Selu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = new EluFunction(SeluScale, SeluScale * SeluAlpha, 1);
        SmoothNative(x, destination, f, f);
    }

    /// <summary>selu in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void SeluInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Selu<T>(values, values);

    /// <summary>selu backward from x: <c>x &gt; 0 ? g·scale : g·scale·α·exp(x)</c> (left value 1.7580993408473766 at 0).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void SeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = new EluBackwardFunction(SeluScale, SeluScale * SeluAlpha, 1);
        SmoothBackwardNative(x, gradOutput, gradInput, f, f);
    }

    /// <summary>selu backward from the output y: <c>y &gt; 0 ? g·scale : g·(y + scale·α)</c> (as accurate as y).</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void SeluBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var f = new EluBackwardFromOutputFunction(SeluScale, SeluScale * SeluAlpha, 1);
        SmoothBackwardNative(y, gradOutput, gradInput, f, f, "y");
    }

    /// <summary>celu with α = 1 (equal to elu).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Celu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Celu(x, 1.0, destination);

    /// <summary>celu: <c>max(0, x) + min(0, α·expm1(x/α))</c>, i.e. <c>x &gt; 0 ? x : α·expm1(x/α)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="alpha">α, non-zero.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is 0 or not finite.</exception>
    public static void Celu<T>(ReadOnlySpan<T> x, double alpha, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = Coefficient<T>(alpha, nameof(alpha), nonZero: true), d = Coefficient<double>(alpha, nameof(alpha), nonZero: true);
        SmoothNative(x, destination, new EluFunction(1, a, a), new EluFunction(1, d, d));
    }

    /// <summary>celu in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="alpha">α, non-zero.</param>
    public static void CeluInPlace<T>(Span<T> values, double alpha = 1.0) where T : unmanaged, IFloatingPointIeee754<T>
        => Celu<T>(values, alpha, values);

    /// <summary>celu backward from x with the default α = 1.</summary>
    public static void CeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => CeluBackward<T>(x, gradOutput, 1.0, gradInput);

    /// <summary>celu backward from x: <c>x &gt; 0 ? g : g·exp(x/α)</c> (celu'(0) = 1).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <param name="alpha">α, non-zero.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is 0 or not finite.</exception>
    public static void CeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double alpha, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double a = Coefficient<T>(alpha, nameof(alpha), nonZero: true), d = Coefficient<double>(alpha, nameof(alpha), nonZero: true);
        SmoothBackwardNative(x, gradOutput, gradInput, new EluBackwardFunction(1, 1, a), new EluBackwardFunction(1, 1, d));
    }

    /// <summary>celu backward from the output with the default α = 1.</summary>
    public static void CeluBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => CeluBackwardFromOutput<T>(y, gradOutput, 1.0, gradInput);

    /// <summary>celu backward from the output y: <c>y &gt; 0 ? g : g·(y + α)/α</c> (as accurate as y).</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <param name="alpha">α, positive.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite and positive.</exception>
    public static void CeluBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, double alpha, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckPositive(alpha, nameof(alpha));
        double a = Coefficient<T>(alpha, nameof(alpha), nonZero: true);
        SmoothBackwardNative(y, gradOutput, gradInput, new EluBackwardFromOutputFunction(1, a, a), new EluBackwardFromOutputFunction(1, alpha, alpha), "y");
    }

    private static void CheckPositive(double value, string paramName)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            Kernels.ThrowHelper.OutOfRange(paramName, value, $"'{paramName}' must be finite and positive.");
        }
    }
}
