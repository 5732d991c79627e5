using System.Numerics;
using System.Runtime.Intrinsics;

namespace Rectifier.Operators;

/// <summary>hardtanh / relu6: <c>x &lt; min ? min : x &gt; max ? max : x</c>. NaN passes; −0.0 is kept
/// when it is inside the range (so relu6(−0.0) = −0.0), which a Max/Min pair would not guarantee.</summary>
internal readonly struct HardtanhOperator<T>(T min, T max) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x < min ? min : x > max ? max : x;

    public Vector128<T> Invoke(Vector128<T> x)
    {
        Vector128<T> lo = Vector128.Create(min), hi = Vector128.Create(max);
        return Vector128.ConditionalSelect(Vector128.LessThan(x, lo), lo, Vector128.ConditionalSelect(Vector128.GreaterThan(x, hi), hi, x));
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        Vector256<T> lo = Vector256.Create(min), hi = Vector256.Create(max);
        return Vector256.ConditionalSelect(Vector256.LessThan(x, lo), lo, Vector256.ConditionalSelect(Vector256.GreaterThan(x, hi), hi, x));
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        Vector512<T> lo = Vector512.Create(min), hi = Vector512.Create(max);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, lo), lo, Vector512.ConditionalSelect(Vector512.GreaterThan(x, hi), hi, x));
    }
}

/// <summary>hardtanh / relu6 backward: <c>(x &lt;= min || x &gt;= max) ? 0 : g</c>; 0 at both bounds.</summary>
internal readonly struct HardtanhBackwardOperator<T>(T min, T max) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T g) => x <= min || x >= max ? T.Zero : g;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) => Vector128.AndNot(g, Vector128.LessThanOrEqual(x, Vector128.Create(min)) | Vector128.GreaterThanOrEqual(x, Vector128.Create(max)));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) => Vector256.AndNot(g, Vector256.LessThanOrEqual(x, Vector256.Create(min)) | Vector256.GreaterThanOrEqual(x, Vector256.Create(max)));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) => Vector512.AndNot(g, Vector512.LessThanOrEqual(x, Vector512.Create(min)) | Vector512.GreaterThanOrEqual(x, Vector512.Create(max)));
}
