using System.Numerics;
using System.Runtime.Intrinsics;

namespace Rectifier.Operators;

/// <summary>relu: <c>x &lt; 0 ? 0 : x</c>. NaN and −0.0 pass through (compare-and-clear, never Max).</summary>
internal readonly struct ReluOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x < T.Zero ? T.Zero : x;
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.AndNot(x, Vector128.LessThan(x, Vector128<T>.Zero));
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.AndNot(x, Vector256.LessThan(x, Vector256<T>.Zero));
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.AndNot(x, Vector512.LessThan(x, Vector512<T>.Zero));
}

/// <summary>relu backward (from x or from y = relu(x)): <c>v &lt;= 0 ? 0 : g</c>; relu'(0) = 0, NaN passes g.</summary>
internal readonly struct ReluBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T g) => x <= T.Zero ? T.Zero : g;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) => Vector128.AndNot(g, Vector128.LessThanOrEqual(x, Vector128<T>.Zero));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) => Vector256.AndNot(g, Vector256.LessThanOrEqual(x, Vector256<T>.Zero));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) => Vector512.AndNot(g, Vector512.LessThanOrEqual(x, Vector512<T>.Zero));
}
