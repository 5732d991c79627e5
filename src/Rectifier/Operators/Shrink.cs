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

/// <summary>softshrink: <c>x &gt; λ ? x − λ : x &lt; −λ ? x + λ : 0</c>, in the element type like PyTorch; NaN passes
/// (it falls outside [−λ, λ] and x + λ keeps it), where PyTorch 1.13 returns 0.</summary>
internal readonly struct SoftshrinkOperator<T>(T lambda) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x >= -lambda && x <= lambda ? T.Zero : x > lambda ? x - lambda : x + lambda;

    public Vector128<T> Invoke(Vector128<T> x)
    {
        Vector128<T> l = Vector128.Create(lambda);
        Vector128<T> shifted = Vector128.ConditionalSelect(Vector128.GreaterThan(x, l), x - l, x + l);
        return Vector128.AndNot(shifted, Vector128.GreaterThanOrEqual(x, -l) & Vector128.LessThanOrEqual(x, l));
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        Vector256<T> l = Vector256.Create(lambda);
        Vector256<T> shifted = Vector256.ConditionalSelect(Vector256.GreaterThan(x, l), x - l, x + l);
        return Vector256.AndNot(shifted, Vector256.GreaterThanOrEqual(x, -l) & Vector256.LessThanOrEqual(x, l));
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        Vector512<T> l = Vector512.Create(lambda);
        Vector512<T> shifted = Vector512.ConditionalSelect(Vector512.GreaterThan(x, l), x - l, x + l);
        return Vector512.AndNot(shifted, Vector512.GreaterThanOrEqual(x, -l) & Vector512.LessThanOrEqual(x, l));
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
