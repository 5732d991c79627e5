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

/// <summary>relu on the bit patterns of Half, with no conversion: x &lt; 0 (sign set, magnitude in (0, ∞], so −0 and
/// negative NaNs excluded: the patterns 0x8001..0xFC00) becomes +0, everything else passes with its bits. h − 1, read
/// as a signed 16-bit integer, is below −1024 exactly for those patterns, so one signed compare finds them. The same
/// results as widening to float, comparing and rounding back, NaN payloads kept.</summary>
internal readonly struct ReluHalfBitsOperator : IUnaryOperator<ushort>
{
    private const short Below = -1024;

    public ushort Invoke(ushort h) => (short)(h - 1) < Below ? (ushort)0 : h;
    public Vector128<ushort> Invoke(Vector128<ushort> h) => Vector128.AndNot(h, Vector128.LessThan((h - Vector128<ushort>.One).AsInt16(), Vector128.Create(Below)).AsUInt16());
    public Vector256<ushort> Invoke(Vector256<ushort> h) => Vector256.AndNot(h, Vector256.LessThan((h - Vector256<ushort>.One).AsInt16(), Vector256.Create(Below)).AsUInt16());
    public Vector512<ushort> Invoke(Vector512<ushort> h) => Vector512.AndNot(h, Vector512.LessThan((h - Vector512<ushort>.One).AsInt16(), Vector512.Create(Below)).AsUInt16());
}

/// <summary>relu's backward on the bit patterns of Half: g where x &gt; 0 or x is NaN, +0 where x ≤ 0: the pattern 0
/// and the patterns 0x8000..0xFC00, which read as signed 16-bit integers are those at most −1024.</summary>
internal readonly struct ReluBackwardHalfBitsOperator : IBinaryOperator<ushort>
{
    private const short AtMost = -1024;

    public ushort Invoke(ushort x, ushort g) => (short)x <= AtMost || x == 0 ? (ushort)0 : g;
    public Vector128<ushort> Invoke(Vector128<ushort> x, Vector128<ushort> g)
        => Vector128.AndNot(g, Vector128.LessThanOrEqual(x.AsInt16(), Vector128.Create(AtMost)).AsUInt16() | Vector128.Equals(x, Vector128<ushort>.Zero));
    public Vector256<ushort> Invoke(Vector256<ushort> x, Vector256<ushort> g)
        => Vector256.AndNot(g, Vector256.LessThanOrEqual(x.AsInt16(), Vector256.Create(AtMost)).AsUInt16() | Vector256.Equals(x, Vector256<ushort>.Zero));
    public Vector512<ushort> Invoke(Vector512<ushort> x, Vector512<ushort> g)
        => Vector512.AndNot(g, Vector512.LessThanOrEqual(x.AsInt16(), Vector512.Create(AtMost)).AsUInt16() | Vector512.Equals(x, Vector512<ushort>.Zero));
}
