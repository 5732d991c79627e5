using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Rectifier.Maths;

namespace Rectifier.Operators;

/// <summary>A smooth activation written once over any lane type (see <see cref="ISimd{TV}"/>). The adapters below
/// turn it into the per-width operators the drivers run: float data is computed in double lanes at
/// <see cref="SinglePrecision"/> and rounded once; double data in double lanes at <see cref="FullPrecision"/>.</summary>
/// <remarks>The adapters are <c>Heavy</c>: the driver runs them through a loop with one call site per width, so
/// the whole function (a few hundred instructions) inlines within the JIT's budget and vectors never cross a call
/// by value (a 64-byte stack slot is not 64-byte aligned, and a split store-to-load costs more than the function).</remarks>
internal interface IUnaryFunction
{
    /// <summary>True for a handful of instructions (hardswish, hardsigmoid): the driver then unrolls it like the
    /// piecewise family instead of running the single-call-site loop for heavy operators.</summary>
    static virtual bool Light => false;

    TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision;
}

/// <summary>A smooth backward: (x, gradOutput) → gradInput.</summary>
internal interface IBinaryFunction
{
    /// <summary>See <see cref="IUnaryFunction.Light"/>.</summary>
    static virtual bool Light => false;

    TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision;
}

/// <summary>The two double halves of a widened float vector, through one call site so that the function inlines
/// once per width (twice would exhaust the JIT's inlining budget for the larger functions).</summary>
internal static class Halves
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unary<TV, O, TF>(TF f, TV lo, TV hi, out TV first, out TV second) where TV : struct where O : ISimd<TV> where TF : struct, IUnaryFunction
    {
        TV a = lo;
        first = second = default;
        for (int half = 0; half < 2; half++)
        {
            TV r = f.Apply<TV, O, SinglePrecision>(a);
            if (half == 0)
            {
                first = r;
                a = hi;
            }
            else
            {
                second = r;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Binary<TV, O, TF>(TF f, TV xl, TV xh, TV gl, TV gh, out TV first, out TV second) where TV : struct where O : ISimd<TV> where TF : struct, IBinaryFunction
    {
        TV a = xl, b = gl;
        first = second = default;
        for (int half = 0; half < 2; half++)
        {
            TV r = f.Apply<TV, O, SinglePrecision>(a, b);
            if (half == 0)
            {
                first = r;
                a = xh;
                b = gh;
            }
            else
            {
                second = r;
            }
        }
    }
}

/// <summary>docs/SPEC.md: a NaN that passes through a forward keeps its bits. The functions compute on −x, |x| and
/// the like, and which NaN operand an instruction propagates depends on how the JIT orders it, so the forward
/// adapters return the input's own NaN (one compare and one select per vector).</summary>
internal static class NaNs
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Keep<T>(Vector128<T> x, Vector128<T> y) => Vector128.ConditionalSelect(Vector128.Equals(x, x), y, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Keep<T>(Vector256<T> x, Vector256<T> y) => Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Keep<T>(Vector512<T> x, Vector512<T> y) => Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
}

/// <summary>Float data: widened to double, computed, rounded once.</summary>
internal readonly struct SingleUnary<TF>(TF f) : IUnaryOperator<float> where TF : struct, IUnaryFunction
{
    public static bool Heavy => !TF.Light;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x) => float.IsNaN(x) ? x : (float)f.Apply<double, D1, SinglePrecision>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(x);
        Halves.Unary<Vector128<double>, D128, TF>(f, lo, hi, out Vector128<double> first, out Vector128<double> second);
        return NaNs.Keep(x, Vector128.Narrow(first, second));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(x);
        Halves.Unary<Vector256<double>, D256, TF>(f, lo, hi, out Vector256<double> first, out Vector256<double> second);
        return NaNs.Keep(x, Vector256.Narrow(first, second));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(x);
        Halves.Unary<Vector512<double>, D512, TF>(f, lo, hi, out Vector512<double> first, out Vector512<double> second);
        return NaNs.Keep(x, Vector512.Narrow(first, second));
    }
}

/// <summary>Double data at full precision.</summary>
internal readonly struct DoubleUnary<TF>(TF f) : IUnaryOperator<double> where TF : struct, IUnaryFunction
{
    public static bool Heavy => !TF.Light;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Invoke(double x) => double.IsNaN(x) ? x : f.Apply<double, D1, FullPrecision>(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<double> Invoke(Vector128<double> x) => NaNs.Keep(x, f.Apply<Vector128<double>, D128, FullPrecision>(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<double> Invoke(Vector256<double> x) => NaNs.Keep(x, f.Apply<Vector256<double>, D256, FullPrecision>(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<double> Invoke(Vector512<double> x) => NaNs.Keep(x, f.Apply<Vector512<double>, D512, FullPrecision>(x));
}

/// <summary>Float backward: both inputs widened, computed in double, rounded once.</summary>
internal readonly struct SingleBinary<TF>(TF f) : IBinaryOperator<float> where TF : struct, IBinaryFunction
{
    public static bool Heavy => !TF.Light;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Invoke(float x, float g) => (float)f.Apply<double, D1, SinglePrecision>(x, g);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g)
    {
        (Vector128<double> xl, Vector128<double> xh) = Vector128.Widen(x);
        (Vector128<double> gl, Vector128<double> gh) = Vector128.Widen(g);
        Halves.Binary<Vector128<double>, D128, TF>(f, xl, xh, gl, gh, out Vector128<double> first, out Vector128<double> second);
        return Vector128.Narrow(first, second);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g)
    {
        (Vector256<double> xl, Vector256<double> xh) = Vector256.Widen(x);
        (Vector256<double> gl, Vector256<double> gh) = Vector256.Widen(g);
        Halves.Binary<Vector256<double>, D256, TF>(f, xl, xh, gl, gh, out Vector256<double> first, out Vector256<double> second);
        return Vector256.Narrow(first, second);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g)
    {
        (Vector512<double> xl, Vector512<double> xh) = Vector512.Widen(x);
        (Vector512<double> gl, Vector512<double> gh) = Vector512.Widen(g);
        Halves.Binary<Vector512<double>, D512, TF>(f, xl, xh, gl, gh, out Vector512<double> first, out Vector512<double> second);
        return Vector512.Narrow(first, second);
    }
}

/// <summary>Double backward at full precision.</summary>
internal readonly struct DoubleBinary<TF>(TF f) : IBinaryOperator<double> where TF : struct, IBinaryFunction
{
    public static bool Heavy => !TF.Light;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public double Invoke(double x, double g) => f.Apply<double, D1, FullPrecision>(x, g);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<double> Invoke(Vector128<double> x, Vector128<double> g) => f.Apply<Vector128<double>, D128, FullPrecision>(x, g);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<double> Invoke(Vector256<double> x, Vector256<double> g) => f.Apply<Vector256<double>, D256, FullPrecision>(x, g);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<double> Invoke(Vector512<double> x, Vector512<double> g) => f.Apply<Vector512<double>, D512, FullPrecision>(x, g);
}

/// <summary>Float data computed in float lanes (twice the lanes of the double path) where the function's float
/// evaluation stays within the accuracy contract; see docs/ACCURACY.md for which functions qualify.</summary>
internal readonly struct NativeSingleUnary<TF>(TF f) : IUnaryOperator<float> where TF : struct, IUnaryFunction
{
    public static bool Heavy => !TF.Light;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float x) => float.IsNaN(x) ? x : f.Apply<float, F1, SinglePrecision>(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> x) => NaNs.Keep(x, f.Apply<Vector128<float>, F128, SinglePrecision>(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> x) => NaNs.Keep(x, f.Apply<Vector256<float>, F256, SinglePrecision>(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> x) => NaNs.Keep(x, f.Apply<Vector512<float>, F512, SinglePrecision>(x));
}

/// <summary>Float backward computed in float lanes (see <see cref="NativeSingleUnary{TF}"/>).</summary>
internal readonly struct NativeSingleBinary<TF>(TF f) : IBinaryOperator<float> where TF : struct, IBinaryFunction
{
    public static bool Heavy => !TF.Light;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float x, float g) => f.Apply<float, F1, SinglePrecision>(x, g);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> x, Vector128<float> g) => f.Apply<Vector128<float>, F128, SinglePrecision>(x, g);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> x, Vector256<float> g) => f.Apply<Vector256<float>, F256, SinglePrecision>(x, g);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> x, Vector512<float> g) => f.Apply<Vector512<float>, F512, SinglePrecision>(x, g);
}
