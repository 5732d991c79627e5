using System.Numerics;
using System.Runtime.Intrinsics;

namespace Rectifier.Operators;

/// <summary>threshold: <c>x &lt;= t ? v : x</c>. NaN passes (the comparison is false).</summary>
internal readonly struct ThresholdOperator<T>(T threshold, T value) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x <= threshold ? value : x;
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128.Create(threshold)), Vector128.Create(value), x);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256.Create(threshold)), Vector256.Create(value), x);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512.Create(threshold)), Vector512.Create(value), x);
}

/// <summary>threshold backward: <c>x &lt;= t ? 0 : g</c>.</summary>
internal readonly struct ThresholdBackwardOperator<T>(T threshold) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T g) => x <= threshold ? T.Zero : g;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) => Vector128.AndNot(g, Vector128.LessThanOrEqual(x, Vector128.Create(threshold)));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) => Vector256.AndNot(g, Vector256.LessThanOrEqual(x, Vector256.Create(threshold)));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) => Vector512.AndNot(g, Vector512.LessThanOrEqual(x, Vector512.Create(threshold)));
}
