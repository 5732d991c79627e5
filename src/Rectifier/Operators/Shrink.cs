using System.Numerics;
using System.Runtime.Intrinsics;

namespace Rectifier.Operators;

/// <summary>hardshrink: <c>−λ ≤ x ≤ λ ? 0 : x</c>. NaN passes (both comparisons are false); the zero is +0.</summary>
internal readonly struct HardshrinkOperator<T>(T lambda) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x >= -lambda && x <= lambda ? T.Zero : x;
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.AndNot(x, Vector128.GreaterThanOrEqual(x, Vector128.Create(-lambda)) & Vector128.LessThanOrEqual(x, Vector128.Create(lambda)));
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.AndNot(x, Vector256.GreaterThanOrEqual(x, Vector256.Create(-lambda)) & Vector256.LessThanOrEqual(x, Vector256.Create(lambda)));
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.AndNot(x, Vector512.GreaterThanOrEqual(x, Vector512.Create(-lambda)) & Vector512.LessThanOrEqual(x, Vector512.Create(lambda)));
}

/// <summary>softshrink: <c>x &gt; λ ? x − λ : x &lt; −λ ? x + λ : 0</c>, in the element type like PyTorch, computed as
/// x − clamp(x, −λ, λ): outside the band that is x − λ or x − (−λ) = x + λ, the same roundings; inside, x − x = +0.
/// NaN passes (the clamp keeps it), where PyTorch 1.13 returns 0. λ must be finite (λ = ∞ is hardshrink's
/// all-zero case, and is run as that: x − x would turn ±∞ into NaN).</summary>
internal readonly struct SoftshrinkOperator<T>(T lambda) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>λ = +∞ (in the element type) zeroes every number: run <see cref="HardshrinkOperator{T}"/> instead.</summary>
    public static bool ZeroesEverything(T lambda) => T.IsPositiveInfinity(lambda);

    public T Invoke(T x) => x - (x > lambda ? lambda : x < -lambda ? -lambda : x);

    public Vector128<T> Invoke(Vector128<T> x)
    {
        Vector128<T> l = Vector128.Create(lambda), nl = -l;
        return x - Vector128.ConditionalSelect(Vector128.GreaterThan(x, l), l, Vector128.ConditionalSelect(Vector128.LessThan(x, nl), nl, x));
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        Vector256<T> l = Vector256.Create(lambda), nl = -l;
        return x - Vector256.ConditionalSelect(Vector256.GreaterThan(x, l), l, Vector256.ConditionalSelect(Vector256.LessThan(x, nl), nl, x));
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        Vector512<T> l = Vector512.Create(lambda), nl = -l;
        return x - Vector512.ConditionalSelect(Vector512.GreaterThan(x, l), l, Vector512.ConditionalSelect(Vector512.LessThan(x, nl), nl, x));
    }
}

/// <summary>hardshrink and softshrink backward: <c>−λ ≤ x ≤ λ ? 0 : g</c> (0 at both edges; NaN x passes g).</summary>
internal readonly struct ShrinkBackwardOperator<T>(T lambda) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T g) => x >= -lambda && x <= lambda ? T.Zero : g;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) => Vector128.AndNot(g, Vector128.GreaterThanOrEqual(x, Vector128.Create(-lambda)) & Vector128.LessThanOrEqual(x, Vector128.Create(lambda)));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) => Vector256.AndNot(g, Vector256.GreaterThanOrEqual(x, Vector256.Create(-lambda)) & Vector256.LessThanOrEqual(x, Vector256.Create(lambda)));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) => Vector512.AndNot(g, Vector512.GreaterThanOrEqual(x, Vector512.Create(-lambda)) & Vector512.LessThanOrEqual(x, Vector512.Create(lambda)));
}
