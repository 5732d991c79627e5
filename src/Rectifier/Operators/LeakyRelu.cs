using System.Numerics;
using System.Runtime.Intrinsics;

namespace Rectifier.Operators;

/// <summary>leaky_relu / prelu with one weight: <c>x &gt; 0 ? x : x·s</c>, written <c>x &lt;= 0 ? x·s : x</c> so that a NaN x
/// passes with its own bits even when the weight is NaN too (x·w of two NaNs may give either payload, whichever operand
/// order the JIT picks); −0.0 → −0.0.</summary>
internal readonly struct LeakyReluOperator<T>(T slope) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x <= T.Zero ? x * slope : x;
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128<T>.Zero), x * Vector128.Create(slope), x);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256<T>.Zero), x * Vector256.Create(slope), x);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512<T>.Zero), x * Vector512.Create(slope), x);
}

/// <summary>leaky_relu / prelu backward: <c>x &gt; 0 ? g : g·s</c>; the slope at 0 is s.</summary>
internal readonly struct LeakyReluBackwardOperator<T>(T slope) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T g) => x > T.Zero ? g : g * slope;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), g, g * Vector128.Create(slope));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), g, g * Vector256.Create(slope));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), g, g * Vector512.Create(slope));
}

/// <summary>prelu with a weight per element (a broadcast channel pattern): <c>x &gt; 0 ? x : w·x</c>, written
/// <c>x &lt;= 0 ? w·x : x</c> so that a NaN x passes with its own bits whatever the weight.</summary>
internal readonly struct PReluPatternOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T w) => x <= T.Zero ? w * x : x;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> w) => Vector128.ConditionalSelect(Vector128.LessThanOrEqual(x, Vector128<T>.Zero), w * x, x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> w) => Vector256.ConditionalSelect(Vector256.LessThanOrEqual(x, Vector256<T>.Zero), w * x, x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> w) => Vector512.ConditionalSelect(Vector512.LessThanOrEqual(x, Vector512<T>.Zero), w * x, x);
}

/// <summary>prelu backward with a weight per element: <c>x &gt; 0 ? g : w·g</c>.</summary>
internal readonly struct PReluPatternBackwardOperator<T> : ITernaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T g, T w) => x > T.Zero ? g : w * g;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g, Vector128<T> w) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), g, w * g);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g, Vector256<T> w) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), g, w * g);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g, Vector512<T> w) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), g, w * g);
}

/// <summary>Element-wise product, used by rrelu in training (<c>y = x·noise</c>, <c>dx = g·noise</c>).</summary>
internal readonly struct MultiplyOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x * y;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x * y;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x * y;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x * y;
}
