using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>PyTorch's default λ of hardshrink and softshrink.</summary>
    public const double DefaultShrinkLambda = 0.5;

    /// <summary>hardshrink with λ = 0.5.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Hardshrink<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardshrink(x, DefaultShrinkLambda, destination);

    /// <summary>hardshrink: <c>y = −λ ≤ x ≤ λ ? 0 : x</c> (NaN passes; bitwise PyTorch).</summary>
    /// <param name="x">The input.</param>
    /// <param name="lambda">λ ≥ 0 (PyTorch's <c>lambd</c>), converted to the element type as PyTorch does.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Hardshrink<T>(ReadOnlySpan<T> x, double lambda, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShrinkLambda(lambda);
        Elementwise.Unary(x, destination, new HardshrinkOperator<float>(Bound<T>(lambda)), new HardshrinkOperator<double>(lambda));
    }

    /// <summary>hardshrink in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    public static void HardshrinkInPlace<T>(Span<T> values, double lambda = DefaultShrinkLambda) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardshrink<T>(values, lambda, values);

    /// <summary>hardshrink backward: <c>dx = −λ ≤ x ≤ λ ? 0 : g</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or NaN.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void HardshrinkBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double lambda, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShrinkLambda(lambda);
        ShrinkBackward(x, gradOutput, lambda, gradInput);
    }

    /// <summary>hardshrink backward with λ = 0.5.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx.</param>
    public static void HardshrinkBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => HardshrinkBackward(x, gradOutput, DefaultShrinkLambda, gradInput);

    /// <summary>softshrink with λ = 0.5.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void Softshrink<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Softshrink(x, DefaultShrinkLambda, destination);

    /// <summary>softshrink: <c>y = x &gt; λ ? x − λ : x &lt; −λ ? x + λ : 0</c>, in the element type (bitwise PyTorch on
    /// every number). NaN passes, where PyTorch 1.13 returns 0.</summary>
    /// <param name="x">The input.</param>
    /// <param name="lambda">λ ≥ 0 (PyTorch's <c>lambd</c>), converted to the element type as PyTorch does.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void Softshrink<T>(ReadOnlySpan<T> x, double lambda, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShrinkLambda(lambda);
        float single = Bound<T>(lambda);
        if (typeof(T) == typeof(double) ? SoftshrinkOperator<double>.ZeroesEverything(lambda) : SoftshrinkOperator<float>.ZeroesEverything(single))
        {
            // every number is inside [−∞, ∞]: 0, NaN passing — hardshrink's operator with the same λ
            Elementwise.Unary(x, destination, new HardshrinkOperator<float>(single), new HardshrinkOperator<double>(lambda));
            return;
        }
        Elementwise.Unary(x, destination, new SoftshrinkOperator<float>(single), new SoftshrinkOperator<double>(lambda));
    }

    /// <summary>softshrink in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    public static void SoftshrinkInPlace<T>(Span<T> values, double lambda = DefaultShrinkLambda) where T : unmanaged, IFloatingPointIeee754<T>
        => Softshrink<T>(values, lambda, values);

    /// <summary>softshrink backward: <c>dx = −λ ≤ x ≤ λ ? 0 : g</c>.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or NaN.</exception>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void SoftshrinkBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double lambda, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShrinkLambda(lambda);
        ShrinkBackward(x, gradOutput, lambda, gradInput);
    }

    /// <summary>softshrink backward with λ = 0.5.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx.</param>
    public static void SoftshrinkBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => SoftshrinkBackward(x, gradOutput, DefaultShrinkLambda, gradInput);

    private static void ShrinkBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double lambda, Span<T> gradInput) where T : unmanaged
        => Elementwise.Binary(x, gradOutput, gradInput, new ShrinkBackwardOperator<float>(Bound<T>(lambda)), new ShrinkBackwardOperator<double>(lambda));

    private static void CheckShrinkLambda(double lambda)
    {
        CheckNotNaN(lambda, nameof(lambda));
        if (lambda < 0)
        {
            ThrowHelper.OutOfRange(nameof(lambda), lambda, $"'lambda' must be non-negative, not {lambda}.");
        }
    }
}
