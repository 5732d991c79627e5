using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rectifier.Kernels;

/// <summary>A sum in double in one fixed order on every width: element j of a sequence of 16-element chunks goes to
/// accumulator j % 16, each accumulator adds its terms in sequence, and the sixteen are folded as c_k = a_k + a_(k+8),
/// d_k = c_k + c_(k+4), (d0 + d1) + (d2 + d3). Each width holds the accumulators in its own registers (two Vector512,
/// four Vector256, eight Vector128 or sixteen scalars); lane-wise additions are the same on all of them, so the result
/// has the same bits on every leg and however a caller splits its work into chunks. Sixteen accumulators rather than
/// eight: the additions of one accumulator form a chain, and two or more independent chains per chunk keep the sum
/// off the critical path of a pass that computes its terms.</summary>
internal interface IOrderedSum<TSelf> where TSelf : struct, IOrderedSum<TSelf>
{
    /// <summary>Adds the 16 elements at <paramref name="p"/> (float or double, widened exactly).</summary>
    static abstract unsafe TSelf Add<T>(TSelf acc, T* p) where T : unmanaged;

    /// <summary>Adds the 16 terms <c>x &gt; 0 ? 0 : x·g</c> of the elements at <paramref name="x"/> and <paramref name="g"/>
    /// (float or double), each formed in double, where a product of two floats is exact: prelu's weight gradient.</summary>
    static abstract unsafe TSelf AddNonPositiveProducts<T>(TSelf acc, T* x, T* g) where T : unmanaged;

    static abstract double Total(TSelf acc);

    /// <summary>The sixteen accumulators from sixteen doubles in memory (position k to accumulator k).</summary>
    static abstract unsafe TSelf Load(double* p);

    /// <summary>The sixteen accumulators to memory, accumulator k to position k.</summary>
    static abstract unsafe void Store(TSelf acc, double* p);
}

internal static unsafe class OrderedSum
{
    /// <summary>Elements per chunk.</summary>
    public const int Chunk = 16;

    /// <summary>The ordered sum of <paramref name="values"/>: whole chunks through the accumulators, then the rest added
    /// one by one to the folded total. Half (which has no vector path here) is summed term by term.</summary>
    public static double Of<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        fixed (T* p = values)
        {
            if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            {
                double sum = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    sum += Widen(p[i]);
                }
                return sum;
            }
            if (Vector512.IsHardwareAccelerated)
            {
                return Of<T, Sum512>(p, values.Length);
            }
            if (Vector256.IsHardwareAccelerated)
            {
                return Of<T, Sum256>(p, values.Length);
            }
            if (Vector128.IsHardwareAccelerated)
            {
                return Of<T, Sum128>(p, values.Length);
            }
            return Of<T, SumScalar>(p, values.Length);
        }
    }

    /// <summary>The ordered sum of <c>x &gt; 0 ? 0 : x·g</c> over <paramref name="n"/> float or double elements (prelu's
    /// weight gradient over one channel run): whole chunks through the accumulators, the rest added one by one.</summary>
    public static double OfNonPositiveProducts<T>(T* x, T* g, nint n) where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return OfNonPositiveProducts<T, Sum512>(x, g, n);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            return OfNonPositiveProducts<T, Sum256>(x, g, n);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            return OfNonPositiveProducts<T, Sum128>(x, g, n);
        }
        return OfNonPositiveProducts<T, SumScalar>(x, g, n);
    }

    /// <summary><c>acc[j] += x[j] &gt; 0 ? 0 : x[j]·g[j]</c> for j &lt; <paramref name="n"/>: each position is its own
    /// sequence of additions (prelu's per-position sums of a short-run pattern), so every width gives the same bits.</summary>
    public static void AccumulateNonPositiveProducts<T>(T* x, T* g, double* acc, nint n) where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated)
        {
            AccumulateNonPositiveProducts<T, Sum512>(x, g, acc, n);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            AccumulateNonPositiveProducts<T, Sum256>(x, g, acc, n);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            AccumulateNonPositiveProducts<T, Sum128>(x, g, acc, n);
        }
        else
        {
            AccumulateNonPositiveProducts<T, SumScalar>(x, g, acc, n);
        }
    }

    private static void AccumulateNonPositiveProducts<T, TSum>(T* x, T* g, double* acc, nint n) where T : unmanaged where TSum : struct, IOrderedSum<TSum>
    {
        nint i = 0;
        for (; i + Chunk <= n; i += Chunk)
        {
            TSum.Store(TSum.AddNonPositiveProducts(TSum.Load(acc + i), x + i, g + i), acc + i);
        }
        for (; i < n; i++)
        {
            acc[i] += NonPositiveProduct(x[i], g[i]);
        }
    }

    private static double OfNonPositiveProducts<T, TSum>(T* x, T* g, nint n) where T : unmanaged where TSum : struct, IOrderedSum<TSum>
    {
        TSum acc = default;
        nint i = 0;
        for (; i + Chunk <= n; i += Chunk)
        {
            acc = TSum.AddNonPositiveProducts(acc, x + i, g + i);
        }
        double sum = TSum.Total(acc);
        for (; i < n; i++)
        {
            sum += NonPositiveProduct(x[i], g[i]);
        }
        return sum;
    }

    private static double Of<T, TSum>(T* p, int n) where T : unmanaged where TSum : struct, IOrderedSum<TSum>
    {
        TSum acc = default;
        int i = 0;
        for (; i + Chunk <= n; i += Chunk)
        {
            acc = TSum.Add(acc, p + i);
        }
        double sum = TSum.Total(acc);
        for (; i < n; i++)
        {
            sum += Widen(p[i]);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Widen<T>(T value) where T : unmanaged
        => typeof(T) == typeof(float) ? (float)(object)value : typeof(T) == typeof(double) ? (double)(object)value : (double)(Half)(object)value;

    /// <summary>One term of prelu's weight gradient, <c>x &gt; 0 ? 0 : x·g</c>, formed in double (exact for float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double NonPositiveProduct<T>(T x, T g) where T : unmanaged
    {
        double xv = Widen(x);
        return xv > 0 ? 0.0 : xv * Widen(g);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Fold(Vector256<double> d) => (d.GetElement(0) + d.GetElement(1)) + (d.GetElement(2) + d.GetElement(3));
}

internal readonly struct Sum512(Vector512<double> a, Vector512<double> b) : IOrderedSum<Sum512>
{
    private readonly Vector512<double> _a = a, _b = b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Sum512 Add<T>(Sum512 acc, T* p) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(Vector512.Load((float*)p));
            return new(acc._a + lo, acc._b + hi);
        }
        return new(acc._a + Vector512.Load((double*)p), acc._b + Vector512.Load((double*)p + 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Sum512 AddNonPositiveProducts<T>(Sum512 acc, T* x, T* g) where T : unmanaged
    {
        Vector512<double> x0, x1, g0, g1;
        if (typeof(T) == typeof(float))
        {
            (x0, x1) = Vector512.Widen(Vector512.Load((float*)x));
            (g0, g1) = Vector512.Widen(Vector512.Load((float*)g));
        }
        else
        {
            (x0, x1, g0, g1) = (Vector512.Load((double*)x), Vector512.Load((double*)x + 8), Vector512.Load((double*)g), Vector512.Load((double*)g + 8));
        }
        return new(acc._a + Term(x0, g0), acc._b + Term(x1, g1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Term(Vector512<double> x, Vector512<double> g)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<double>.Zero), Vector512<double>.Zero, x * g);

    public static unsafe Sum512 Load(double* p) => new(Vector512.Load(p), Vector512.Load(p + 8));

    public static unsafe void Store(Sum512 acc, double* p)
    {
        acc._a.Store(p);
        acc._b.Store(p + 8);
    }

    public static double Total(Sum512 acc)
    {
        Vector512<double> c = acc._a + acc._b;
        return OrderedSum.Fold(c.GetLower() + c.GetUpper());
    }
}

internal readonly struct Sum256(Vector256<double> v0, Vector256<double> v1, Vector256<double> v2, Vector256<double> v3) : IOrderedSum<Sum256>
{
    private readonly Vector256<double> _v0 = v0, _v1 = v1, _v2 = v2, _v3 = v3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Sum256 Add<T>(Sum256 acc, T* p) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> l0, Vector256<double> h0) = Vector256.Widen(Vector256.Load((float*)p));
            (Vector256<double> l1, Vector256<double> h1) = Vector256.Widen(Vector256.Load((float*)p + 8));
            return new(acc._v0 + l0, acc._v1 + h0, acc._v2 + l1, acc._v3 + h1);
        }
        double* d = (double*)p;
        return new(acc._v0 + Vector256.Load(d), acc._v1 + Vector256.Load(d + 4), acc._v2 + Vector256.Load(d + 8), acc._v3 + Vector256.Load(d + 12));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Sum256 AddNonPositiveProducts<T>(Sum256 acc, T* x, T* g) where T : unmanaged
    {
        Vector256<double> x0, x1, x2, x3, g0, g1, g2, g3;
        if (typeof(T) == typeof(float))
        {
            (x0, x1) = Vector256.Widen(Vector256.Load((float*)x));
            (x2, x3) = Vector256.Widen(Vector256.Load((float*)x + 8));
            (g0, g1) = Vector256.Widen(Vector256.Load((float*)g));
            (g2, g3) = Vector256.Widen(Vector256.Load((float*)g + 8));
        }
        else
        {
            double* dx = (double*)x, dg = (double*)g;
            (x0, x1, x2, x3) = (Vector256.Load(dx), Vector256.Load(dx + 4), Vector256.Load(dx + 8), Vector256.Load(dx + 12));
            (g0, g1, g2, g3) = (Vector256.Load(dg), Vector256.Load(dg + 4), Vector256.Load(dg + 8), Vector256.Load(dg + 12));
        }
        return new(acc._v0 + Term(x0, g0), acc._v1 + Term(x1, g1), acc._v2 + Term(x2, g2), acc._v3 + Term(x3, g3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Term(Vector256<double> x, Vector256<double> g)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<double>.Zero), Vector256<double>.Zero, x * g);

    public static unsafe Sum256 Load(double* p) => new(Vector256.Load(p), Vector256.Load(p + 4), Vector256.Load(p + 8), Vector256.Load(p + 12));

    public static unsafe void Store(Sum256 acc, double* p)
    {
        acc._v0.Store(p);
        acc._v1.Store(p + 4);
        acc._v2.Store(p + 8);
        acc._v3.Store(p + 12);
    }

    public static double Total(Sum256 acc) => OrderedSum.Fold((acc._v0 + acc._v2) + (acc._v1 + acc._v3));
}

internal readonly struct Sum128(Vector128<double> q0, Vector128<double> q1, Vector128<double> q2, Vector128<double> q3,
    Vector128<double> q4, Vector128<double> q5, Vector128<double> q6, Vector128<double> q7) : IOrderedSum<Sum128>
{
    private readonly Vector128<double> _q0 = q0, _q1 = q1, _q2 = q2, _q3 = q3, _q4 = q4, _q5 = q5, _q6 = q6, _q7 = q7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Sum128 Add<T>(Sum128 acc, T* p) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            float* f = (float*)p;
            (Vector128<double> l0, Vector128<double> h0) = Vector128.Widen(Vector128.Load(f));
            (Vector128<double> l1, Vector128<double> h1) = Vector128.Widen(Vector128.Load(f + 4));
            (Vector128<double> l2, Vector128<double> h2) = Vector128.Widen(Vector128.Load(f + 8));
            (Vector128<double> l3, Vector128<double> h3) = Vector128.Widen(Vector128.Load(f + 12));
            return new(acc._q0 + l0, acc._q1 + h0, acc._q2 + l1, acc._q3 + h1, acc._q4 + l2, acc._q5 + h2, acc._q6 + l3, acc._q7 + h3);
        }
        double* d = (double*)p;
        return new(acc._q0 + Vector128.Load(d), acc._q1 + Vector128.Load(d + 2), acc._q2 + Vector128.Load(d + 4), acc._q3 + Vector128.Load(d + 6),
            acc._q4 + Vector128.Load(d + 8), acc._q5 + Vector128.Load(d + 10), acc._q6 + Vector128.Load(d + 12), acc._q7 + Vector128.Load(d + 14));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Sum128 AddNonPositiveProducts<T>(Sum128 acc, T* x, T* g) where T : unmanaged
    {
        Vector128<double> Pair(int k)
        {
            Vector128<double> xv, gv;
            if (typeof(T) == typeof(float))
            {
                xv = Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(double*)((float*)x + k)).AsSingle());
                gv = Vector128.WidenLower(Vector128.CreateScalarUnsafe(*(double*)((float*)g + k)).AsSingle());
            }
            else
            {
                xv = Vector128.Load((double*)x + k);
                gv = Vector128.Load((double*)g + k);
            }
            return Vector128.ConditionalSelect(Vector128.GreaterThan(xv, Vector128<double>.Zero), Vector128<double>.Zero, xv * gv);
        }
        return new(acc._q0 + Pair(0), acc._q1 + Pair(2), acc._q2 + Pair(4), acc._q3 + Pair(6),
            acc._q4 + Pair(8), acc._q5 + Pair(10), acc._q6 + Pair(12), acc._q7 + Pair(14));
    }

    public static unsafe Sum128 Load(double* p) => new(Vector128.Load(p), Vector128.Load(p + 2), Vector128.Load(p + 4), Vector128.Load(p + 6),
        Vector128.Load(p + 8), Vector128.Load(p + 10), Vector128.Load(p + 12), Vector128.Load(p + 14));

    public static unsafe void Store(Sum128 acc, double* p)
    {
        acc._q0.Store(p);
        acc._q1.Store(p + 2);
        acc._q2.Store(p + 4);
        acc._q3.Store(p + 6);
        acc._q4.Store(p + 8);
        acc._q5.Store(p + 10);
        acc._q6.Store(p + 12);
        acc._q7.Store(p + 14);
    }

    public static double Total(Sum128 acc)
    {
        // c0..c7 in pairs, then d0, d1 and d2, d3
        Vector128<double> d01 = (acc._q0 + acc._q4) + (acc._q2 + acc._q6), d23 = (acc._q1 + acc._q5) + (acc._q3 + acc._q7);
        return (d01.GetElement(0) + d01.GetElement(1)) + (d23.GetElement(0) + d23.GetElement(1));
    }
}

/// <summary>The sixteen accumulators as scalars, where no vector width is accelerated.</summary>
internal unsafe struct SumScalar : IOrderedSum<SumScalar>
{
    private fixed double _a[16];

    public static SumScalar Add<T>(SumScalar acc, T* p) where T : unmanaged
    {
        for (int k = 0; k < 16; k++)
        {
            acc._a[k] += OrderedSum.Widen(p[k]);
        }
        return acc;
    }

    public static SumScalar AddNonPositiveProducts<T>(SumScalar acc, T* x, T* g) where T : unmanaged
    {
        for (int k = 0; k < 16; k++)
        {
            acc._a[k] += OrderedSum.NonPositiveProduct(x[k], g[k]);
        }
        return acc;
    }

    public static SumScalar Load(double* p)
    {
        SumScalar acc = default;
        for (int k = 0; k < 16; k++)
        {
            acc._a[k] = p[k];
        }
        return acc;
    }

    public static void Store(SumScalar acc, double* p)
    {
        for (int k = 0; k < 16; k++)
        {
            p[k] = acc._a[k];
        }
    }

    public static double Total(SumScalar acc)
    {
        double* c = stackalloc double[8];
        for (int k = 0; k < 8; k++)
        {
            c[k] = acc._a[k] + acc._a[k + 8];
        }
        return ((c[0] + c[4]) + (c[1] + c[5])) + ((c[2] + c[6]) + (c[3] + c[7]));
    }
}
