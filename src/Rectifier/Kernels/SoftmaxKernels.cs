using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Rectifier.Maths;
using E = Rectifier.Maths.Elementary;

namespace Rectifier.Kernels;

/// <summary>Which member of the softmax family a pass computes.</summary>
internal enum SoftmaxForm
{
    Softmax,
    LogSoftmax,
    Softmin,
}

/// <summary>Loads, stores and the double accumulators of the softmax family, per width. Float lanes are widened to
/// double (exact) before they are added; double lanes, and the signed sums of float lanes (Σ g·y, Σ g), are added
/// with a two-sum and the rounding errors kept, so such a sum is exact to about 2^−100 relative to its largest
/// partial, even where its terms cancel.</summary>
internal unsafe interface ILaneMemory<T, TV> where T : unmanaged where TV : struct
{
    static abstract int Count { get; }
    static abstract TV Load(T* p);
    static abstract void Store(TV v, T* p);
    /// <summary>acc[i] += v[i] (float lanes) or the compensated sum (s, c)[i] += v[i] (double lanes): for sums of
    /// terms of one sign (the forward's e and ties), which a plain double sum of widened floats keeps to far below a
    /// float ULP.</summary>
    static abstract void Accumulate(TV v, double* s, double* c);
    /// <summary>The compensated sum (s, c)[i] += v[i] in every lane type (float lanes widened first): for Σ g, whose
    /// terms may cancel to a value that a plain sum rounds away.</summary>
    static abstract void AccumulateSigned(TV v, double* s, double* c);
    /// <summary>(s, c)[i] += a[i]·b[i], the product exact (float lanes: in double; double lanes: fused multiply-add).</summary>
    static abstract void AccumulateProduct(TV a, TV b, double* s, double* c);
    /// <summary>The largest lane (NaN lanes are never chosen; the caller starts from −∞).</summary>
    static abstract T MaxAcross(TV v);
    static abstract TV Max(TV m, TV v);
}

/// <summary>Two-sum accumulation on double lanes.</summary>
internal static class Compensated
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Add(Vector512<double> v, double* s, double* c)
    {
        Vector512<double> a = Vector512.Load(s), t = a + v, bp = t - a;
        (t).Store(s);
        (Vector512.Load(c) + ((a - (t - bp)) + (v - bp))).Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Add(Vector256<double> v, double* s, double* c)
    {
        Vector256<double> a = Vector256.Load(s), t = a + v, bp = t - a;
        t.Store(s);
        (Vector256.Load(c) + ((a - (t - bp)) + (v - bp))).Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Add(Vector128<double> v, double* s, double* c)
    {
        Vector128<double> a = Vector128.Load(s), t = a + v, bp = t - a;
        t.Store(s);
        (Vector128.Load(c) + ((a - (t - bp)) + (v - bp))).Store(c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Add(double v, double* s, double* c)
    {
        double a = *s, t = a + v, bp = t - a;
        *s = t;
        *c += (a - (t - bp)) + (v - bp);
    }

    /// <summary>The sum of 32 compensated partials as hi + lo, in a fixed order: four chains of eight (partials
    /// 8q … 8q + 7, run side by side), then the four chains in order.</summary>
    public static unsafe (double Hi, double Lo) Total(double* s, double* c)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        for (int i = 0; i < 8; i++)
        {
            Step(ref s0, ref e0, s[i], c[i]);
            Step(ref s1, ref e1, s[8 + i], c[8 + i]);
            Step(ref s2, ref e2, s[16 + i], c[16 + i]);
            Step(ref s3, ref e3, s[24 + i], c[24 + i]);
        }
        double sum = s0, err = e0;
        Step(ref sum, ref err, s1, e1);
        Step(ref sum, ref err, s2, e2);
        Step(ref sum, ref err, s3, e3);
        double hi = sum + err;
        return (hi, err - (hi - sum));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(ref double sum, ref double err, double v, double c)
    {
        double t = sum + v, bp = t - sum;
        err += (sum - (t - bp)) + (v - bp) + c;
        sum = t;
    }
}

internal unsafe readonly struct M512F : ILaneMemory<float, Vector512<float>>
{
    public static int Count => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Max(Vector512<float> m, Vector512<float> v) => Vector512.ConditionalSelect(Vector512.GreaterThan(v, m), v, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(Vector512<float> v, double* s, double* c)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(v);
        (Vector512.Load(s) + lo).Store(s);
        (Vector512.Load(s + 8) + hi).Store(s + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSigned(Vector512<float> v, double* s, double* c)
    {
        (Vector512<double> lo, Vector512<double> hi) = Vector512.Widen(v);
        Compensated.Add(lo, s, c);
        Compensated.Add(hi, s + 8, c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector512<float> a, Vector512<float> b, double* s, double* c)
    {
        (Vector512<double> al, Vector512<double> ah) = Vector512.Widen(a);
        (Vector512<double> bl, Vector512<double> bh) = Vector512.Widen(b);
        Compensated.Add(al * bl, s, c);
        Compensated.Add(ah * bh, s + 8, c + 8);
    }

    public static float MaxAcross(Vector512<float> v) => M256F.MaxAcross(M256F.Max(v.GetLower(), v.GetUpper()));
}

internal unsafe readonly struct M256F : ILaneMemory<float, Vector256<float>>
{
    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> m, Vector256<float> v) => Vector256.ConditionalSelect(Vector256.GreaterThan(v, m), v, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(Vector256<float> v, double* s, double* c)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(v);
        (Vector256.Load(s) + lo).Store(s);
        (Vector256.Load(s + 4) + hi).Store(s + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSigned(Vector256<float> v, double* s, double* c)
    {
        (Vector256<double> lo, Vector256<double> hi) = Vector256.Widen(v);
        Compensated.Add(lo, s, c);
        Compensated.Add(hi, s + 4, c + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector256<float> a, Vector256<float> b, double* s, double* c)
    {
        (Vector256<double> al, Vector256<double> ah) = Vector256.Widen(a);
        (Vector256<double> bl, Vector256<double> bh) = Vector256.Widen(b);
        Compensated.Add(al * bl, s, c);
        Compensated.Add(ah * bh, s + 4, c + 4);
    }

    public static float MaxAcross(Vector256<float> v) => M128F.MaxAcross(M128F.Max(v.GetLower(), v.GetUpper()));
}

internal unsafe readonly struct M128F : ILaneMemory<float, Vector128<float>>
{
    public static int Count => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> m, Vector128<float> v) => Vector128.ConditionalSelect(Vector128.GreaterThan(v, m), v, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate(Vector128<float> v, double* s, double* c)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(v);
        (Vector128.Load(s) + lo).Store(s);
        (Vector128.Load(s + 2) + hi).Store(s + 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateSigned(Vector128<float> v, double* s, double* c)
    {
        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(v);
        Compensated.Add(lo, s, c);
        Compensated.Add(hi, s + 2, c + 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector128<float> a, Vector128<float> b, double* s, double* c)
    {
        (Vector128<double> al, Vector128<double> ah) = Vector128.Widen(a);
        (Vector128<double> bl, Vector128<double> bh) = Vector128.Widen(b);
        Compensated.Add(al * bl, s, c);
        Compensated.Add(ah * bh, s + 2, c + 2);
    }

    public static float MaxAcross(Vector128<float> v)
    {
        float m = float.NegativeInfinity;
        for (int i = 0; i < 4; i++)
        {
            m = v.GetElement(i) > m ? v.GetElement(i) : m;
        }
        return m;
    }
}

internal unsafe readonly struct M1F : ILaneMemory<float, float>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float v, float* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float m, float v) => v > m ? v : m;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Accumulate(float v, double* s, double* c) => *s += v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AccumulateSigned(float v, double* s, double* c) => Compensated.Add(v, s, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AccumulateProduct(float a, float b, double* s, double* c) => Compensated.Add((double)a * b, s, c);
    public static float MaxAcross(float v) => v;
}

internal unsafe readonly struct M512D : ILaneMemory<double, Vector512<double>>
{
    public static int Count => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Load(double* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<double> v, double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Max(Vector512<double> m, Vector512<double> v) => Vector512.ConditionalSelect(Vector512.GreaterThan(v, m), v, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Accumulate(Vector512<double> v, double* s, double* c) => Compensated.Add(v, s, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AccumulateSigned(Vector512<double> v, double* s, double* c) => Compensated.Add(v, s, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector512<double> a, Vector512<double> b, double* s, double* c)
    {
        Vector512<double> p = a * b;
        Compensated.Add(p, s, c);
        (Vector512.Load(c) + Vector512.FusedMultiplyAdd(a, b, -p)).Store(c);
    }

    public static double MaxAcross(Vector512<double> v) => M256D.MaxAcross(M256D.Max(v.GetLower(), v.GetUpper()));
}

internal unsafe readonly struct M256D : ILaneMemory<double, Vector256<double>>
{
    public static int Count => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Load(double* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<double> v, double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Max(Vector256<double> m, Vector256<double> v) => Vector256.ConditionalSelect(Vector256.GreaterThan(v, m), v, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Accumulate(Vector256<double> v, double* s, double* c) => Compensated.Add(v, s, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AccumulateSigned(Vector256<double> v, double* s, double* c) => Compensated.Add(v, s, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector256<double> a, Vector256<double> b, double* s, double* c)
    {
        Vector256<double> p = a * b;
        Compensated.Add(p, s, c);
        (Vector256.Load(c) + Vector256.FusedMultiplyAdd(a, b, -p)).Store(c);
    }

    public static double MaxAcross(Vector256<double> v) => M128D.MaxAcross(M128D.Max(v.GetLower(), v.GetUpper()));
}

internal unsafe readonly struct M128D : ILaneMemory<double, Vector128<double>>
{
    public static int Count => 2;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Load(double* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<double> v, double* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Max(Vector128<double> m, Vector128<double> v) => Vector128.ConditionalSelect(Vector128.GreaterThan(v, m), v, m);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Accumulate(Vector128<double> v, double* s, double* c) => Compensated.Add(v, s, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AccumulateSigned(Vector128<double> v, double* s, double* c) => Compensated.Add(v, s, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(Vector128<double> a, Vector128<double> b, double* s, double* c)
    {
        Vector128<double> p = a * b;
        Compensated.Add(p, s, c);
        (Vector128.Load(c) + Vector128.FusedMultiplyAdd(a, b, -p)).Store(c);
    }

    public static double MaxAcross(Vector128<double> v)
    {
        double a = v.GetElement(0), b = v.GetElement(1);
        double m = a > double.NegativeInfinity ? a : double.NegativeInfinity;
        return b > m ? b : m;
    }
}

internal unsafe readonly struct M1D : ILaneMemory<double, double>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Load(double* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(double v, double* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Max(double m, double v) => v > m ? v : m;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Accumulate(double v, double* s, double* c) => Compensated.Add(v, s, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void AccumulateSigned(double v, double* s, double* c) => Compensated.Add(v, s, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AccumulateProduct(double a, double b, double* s, double* c)
    {
        double p = a * b;
        Compensated.Add(p, s, c);
        *c += Math.FusedMultiplyAdd(a, b, -p);
    }

    public static double MaxAcross(double v) => v;
}

/// <summary>softmax, log_softmax and softmin along one axis of a C-ordered tensor seen as [outer, n, inner], forward
/// and backward from the output, written once over the lane types (<see cref="ISimd{TV}"/>) and the memory widths
/// above. The design, and why each step is exact, is in docs/ACCURACY.md ("softmax family"):
/// <list type="bullet">
/// <item>x − m is carried as an exact two-sum hi + lo and e^{hi + lo} taken from it, so an element far below the
/// maximum keeps its relative accuracy (PyTorch rounds x − m first).</item>
/// <item>Sums are kept in double: float lanes widened (exact), double lanes and every backward sum compensated. Along a contiguous row the
/// elements go into 32 partial sums by their index modulo 32, combined in index order at the end, so a sum has the
/// same bits whatever the vector width; across a strided axis each column is summed in row order.</item>
/// <item>log_softmax leaves the maximal terms (each exactly 1) out of the sum and takes log1p of the rest, so the
/// maximum's log-probability −log1p(Σ) is accurate when Σ is tiny.</item>
/// </list>
/// A row is computed by one thread from start to end, so results never depend on the thread count.</summary>
[SkipLocalsInit]
internal static unsafe class SoftmaxKernels
{
    /// <summary>Partial sums along a contiguous row (elements go to partial i mod Block).</summary>
    private const int Block = 32;

    /// <summary>Bytes of one column tile of a strided axis, read three times (from L2 or L3). Measured on
    /// [4096, 1024] along axis 0 (docs/PERFORMANCE.md): 1 MB tiles (64 columns) ran at 0.2–0.3 Gelem/s, 4 MB at
    /// 0.4–0.5, 8 MB (512 columns) at 0.7, 16 MB at 0.5: what pays is a long run of columns per row.</summary>
    private const int TileBytes = 1 << 23;

    /// <summary>The fewest columns a tile has, whatever the axis length: 256 (a kilobyte of floats per row).</summary>
    private const int MinimumTileColumns = 256;

    // ---------------------------------------------------------------- dispatch

    public static void Forward<T>(T* x, T* y, long outer, int n, long inner, SoftmaxForm form) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            ForwardWidth((float*)x, (float*)y, outer, n, inner, form);
        }
        else
        {
            ForwardWidth((double*)x, (double*)y, outer, n, inner, form);
        }
    }

    public static void Backward<T>(T* y, T* g, T* dx, long outer, int n, long inner, SoftmaxForm form) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            BackwardWidth((float*)y, (float*)g, (float*)dx, outer, n, inner, form);
        }
        else
        {
            BackwardWidth((double*)y, (double*)g, (double*)dx, outer, n, inner, form);
        }
    }

    private static void ForwardWidth(float* x, float* y, long outer, int n, long inner, SoftmaxForm form)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<float, Vector512<float>, F512, M512F, SinglePrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<float, Vector256<float>, F256, M256F, SinglePrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run<float, Vector128<float>, F128, M128F, SinglePrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
        else
        {
            Run<float, float, F1, M1F, SinglePrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
    }

    private static void ForwardWidth(double* x, double* y, long outer, int n, long inner, SoftmaxForm form)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<double, Vector512<double>, D512, M512D, FullPrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<double, Vector256<double>, D256, M256D, FullPrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run<double, Vector128<double>, D128, M128D, FullPrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
        else
        {
            Run<double, double, D1, M1D, FullPrecision>(x, null, y, outer, n, inner, form, backward: false);
        }
    }

    private static void BackwardWidth(float* y, float* g, float* dx, long outer, int n, long inner, SoftmaxForm form)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<float, Vector512<float>, F512, M512F, SinglePrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<float, Vector256<float>, F256, M256F, SinglePrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run<float, Vector128<float>, F128, M128F, SinglePrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
        else
        {
            Run<float, float, F1, M1F, SinglePrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
    }

    private static void BackwardWidth(double* y, double* g, double* dx, long outer, int n, long inner, SoftmaxForm form)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Run<double, Vector512<double>, D512, M512D, FullPrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Run<double, Vector256<double>, D256, M256D, FullPrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Run<double, Vector128<double>, D128, M128D, FullPrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
        else
        {
            Run<double, double, D1, M1D, FullPrecision>(y, g, dx, outer, n, inner, form, backward: true);
        }
    }

    private static void Run<T, TV, O, M, P>(T* a, T* b, T* d, long outer, int n, long inner, SoftmaxForm form, bool backward)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        if (inner == 1)
        {
            var body = new RowBody<T, TV, O, M, P>(a, b, d, n, form, backward);
            ParallelRunner.For((nint)outer, (long)n * sizeof(T) * (backward ? 3 : 2), body, granule: 1);
            return;
        }
        int tile = ColumnTile<T>(n, inner);
        long tiles = (inner + tile - 1) / tile;
        var columns = new ColumnBody<T, TV, O, M, P>(a, b, d, n, inner, tile, tiles, form, backward);
        ParallelRunner.For((nint)(outer * tiles), (long)n * tile * sizeof(T) * (backward ? 3 : 2), columns, granule: 1);
    }

    /// <summary>Columns per tile of a strided axis: the tile of n rows stays within <see cref="TileBytes"/>, in whole
    /// 64-byte lines, and has at least <see cref="MinimumTileColumns"/> columns (or the whole axis).</summary>
    private static int ColumnTile<T>(int n, long inner) where T : unmanaged
    {
        int line = 64 / sizeof(T);
        long columns = Math.Max(MinimumTileColumns, TileBytes / ((long)n * sizeof(T)) / line * line);
        return (int)Math.Min(columns, inner);
    }

    // ---------------------------------------------------------------- per-element steps (shared by rows and columns)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Signed<TV, O>(TV v, bool negate) where TV : struct where O : ISimd<TV> => negate ? O.Neg(v) : v;

    /// <summary>v − m as hi + lo exactly (two-sum); lo is 0 where hi is ±∞ or NaN (an overflowed or infinite difference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Difference<TV, O>(TV v, TV negM, out TV lo) where TV : struct where O : ISimd<TV>
    {
        TV hi = O.Add(v, negM);
        TV bp = O.Sub(hi, v);
        TV err = O.Add(O.Sub(v, O.Sub(hi, bp)), O.Sub(negM, bp));
        lo = O.Select(O.LessThan(O.Abs(hi), O.C(double.PositiveInfinity)), err, O.C(0));
        return hi;
    }

    /// <summary>y of log_softmax: (hi + lo) − L, L = lh + ll, rounded about once; ties with the maximum give −L
    /// exactly; −∞ stays −∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogProbability<TV, O>(TV v, TV m, TV lh, TV ll) where TV : struct where O : ISimd<TV>
    {
        TV hi = Difference<TV, O>(v, O.Neg(m), out TV lo);
        TV tie = O.Equal(v, m);
        hi = O.Select(tie, O.C(0), hi);
        lo = O.Select(tie, O.C(0), lo);
        TV t = O.Sub(hi, lh);
        TV bp = O.Sub(t, hi);
        TV err = O.Add(O.Sub(hi, O.Sub(t, bp)), O.Sub(O.Neg(lh), bp));
        TV y = O.Add(t, O.Add(err, O.Sub(lo, ll)));
        return O.Select(O.LessThan(O.Abs(t), O.C(double.PositiveInfinity)), y, t);
    }

    /// <summary>The reciprocal of S = hi + lo as rh + rl, each in the element type.</summary>
    private static void Reciprocal<T>(double hi, double lo, out double rh, out double rl) where T : unmanaged
    {
        double r = 1 / hi;
        double rlow = (Math.FusedMultiplyAdd(-r, hi, 1) - r * lo) * r;
        Split<T>(r, rlow, out rh, out rl);
    }

    /// <summary>v = hi + lo split into the element type's hi and lo parts.</summary>
    private static void Split<T>(double hi, double lo, out double h, out double l) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            h = hi;
            l = lo;
            return;
        }
        h = (float)hi;
        l = (float)((hi - h) + lo);
        if (!double.IsFinite(h))
        {
            l = 0;
        }
    }

    /// <summary>log Σ = log1p(S′) with S′ = (ties − 1) + (hi + lo), the non-maximal terms' sum; NaN when the maximum
    /// m is infinite (a row with +∞, or only −∞: its ties would otherwise hide the ∞ − ∞).</summary>
    private static void LogSum<T>(double m, double ties, double hi, double lo, out double lh, out double ll) where T : unmanaged
    {
        if (double.IsInfinity(m))
        {
            lh = ll = double.NaN;
            return;
        }
        double a = ties - 1, t = a + hi, bp = t - a;
        double err = (a - (t - bp)) + (hi - bp) + lo;
        double s = t + err;
        double sl = err - (s - t);
        double l = E.Log1p<double, D1, FullPrecision>(s);
        double total = l + sl / (1 + s);
        double rest = double.IsFinite(total) ? (l - total) + sl / (1 + s) : 0;
        Split<T>(total, rest, out lh, out ll);
    }

    // ---------------------------------------------------------------- contiguous rows

    private readonly struct RowBody<T, TV, O, M, P>(T* a, T* b, T* d, int n, SoftmaxForm form, bool backward) : IRangeBody
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        public void Run(nint start, nint end)
        {
            for (nint r = start; r < end; r++)
            {
                long offset = (long)r * n;
                if (backward)
                {
                    RowBackward<T, TV, O, M, P>(a + offset, b + offset, d + offset, n, form);
                }
                else
                {
                    RowForward<T, TV, O, M, P>(a + offset, d + offset, n, form);
                }
            }
        }
    }

    // Each pass below is its own method with one call site of its heavy step, called for the row's whole blocks
    // and again for the padded tail: the JIT then inlines the step whole (exp is a few dozen vector operations)
    // instead of passing vectors through calls.

    private static void RowForward<T, TV, O, M, P>(T* x, T* y, int n, SoftmaxForm form)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        bool negate = form == SoftmaxForm.Softmin, log = form == SoftmaxForm.LogSoftmax;
        int full = n - n % Block, rest = n - full;
        T* xt = stackalloc T[Block];
        T* et = stackalloc T[Block];
        if (rest > 0)
        {
            // the tail, padded with values that map to −∞ (they do not move the maximum and add e = 0)
            T pad = typeof(T) == typeof(float) ? (T)(object)(negate ? float.PositiveInfinity : float.NegativeInfinity) : (T)(object)(negate ? double.PositiveInfinity : double.NegativeInfinity);
            for (int i = 0; i < Block; i++)
            {
                xt[i] = i < rest ? x[full + i] : pad;
            }
        }

        // 1. the maximum of s·x (NaN never chosen: a NaN row turns NaN in the next steps)
        TV mv = MaxPass<T, TV, O, M>(x, full, negate, O.C(double.NegativeInfinity));
        if (rest > 0)
        {
            mv = MaxPass<T, TV, O, M>(xt, Block, negate, mv);
        }
        T mt = M.MaxAcross(mv);
        double m = ToDouble(mt);

        // 2. e = exp(s·x − m), stored (softmax) and summed into partial sums by index mod Block
        double* s = stackalloc double[3 * Block];
        new Span<double>(s, 3 * Block).Clear();
        double* c = s + Block, ties = s + 2 * Block;
        ExpSumPass<T, TV, O, M, P>(x, y, full, negate, log, m, s, c, ties);
        if (rest > 0)
        {
            ExpSumPass<T, TV, O, M, P>(xt, et, Block, negate, log, m, s, c, ties);
        }
        (double hi, double lo) = Compensated.Total(s, c);

        // 3. normalise
        if (log)
        {
            double count = 0;
            for (int i = 0; i < Block; i++)
            {
                count += ties[i];
            }
            LogSum<T>(m, count, hi, lo, out double lh, out double ll);
            LogPass<T, TV, O, M>(x, y, full, negate, m, lh, ll);
            if (rest > 0)
            {
                LogPass<T, TV, O, M>(xt, et, Block, negate, m, lh, ll);
            }
        }
        else
        {
            Reciprocal<T>(hi, lo, out double rh, out double rl);
            ScalePass<T, TV, O, M>(y, full, rh, rl);
            if (rest > 0)
            {
                ScalePass<T, TV, O, M>(et, Block, rh, rl);
            }
        }
        for (int i = 0; i < rest; i++)
        {
            y[full + i] = et[i];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV MaxPass<T, TV, O, M>(T* x, int count, bool negate, TV mv)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV>
    {
        int w = M.Count;
        for (int i = 0; i < count; i += w)
        {
            mv = M.Max(mv, Signed<TV, O>(M.Load(x + i), negate));
        }
        return mv;
    }

    /// <summary>Blocks of <see cref="Block"/> elements: e into <paramref name="y"/> (softmax, softmin) and into the
    /// partial sums s (+ c); log_softmax counts the ties with m instead of storing.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExpSumPass<T, TV, O, M, P>(T* x, T* y, int count, bool negate, bool log, double m, double* s, double* c, double* ties)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        int w = M.Count;
        TV mv = O.C(m), negM = O.Neg(mv);
        for (int i = 0; i < count; i += Block)
        {
            for (int k = 0; k < Block; k += w)
            {
                TV v = Signed<TV, O>(M.Load(x + i + k), negate);
                TV e = ExpStep<TV, O, P>(v, negM, mv, log, out TV tie);
                if (log)
                {
                    M.Accumulate(tie, ties + k, c + k);   // whole numbers: exact, the compensation gets 0
                }
                else
                {
                    M.Store(e, y + i + k);
                }
                M.Accumulate(e, s + k, c + k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ScalePass<T, TV, O, M>(T* y, int count, double rh, double rl)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV>
    {
        int w = M.Count;
        TV rhv = O.C(rh), rlv = O.C(rl);
        for (int i = 0; i < count; i += w)
        {
            TV e = M.Load(y + i);
            M.Store(O.Fma(e, rhv, O.Mul(e, rlv)), y + i);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LogPass<T, TV, O, M>(T* x, T* y, int count, bool negate, double m, double lh, double ll)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV>
    {
        int w = M.Count;
        TV mv = O.C(m), lhv = O.C(lh), llv = O.C(ll);
        for (int i = 0; i < count; i += w)
        {
            M.Store(LogProbability<TV, O>(Signed<TV, O>(M.Load(x + i), negate), mv, lhv, llv), y + i);
        }
    }

    /// <summary>e = exp(v − m) from the exact difference; for log_softmax the ties with m are left out (returned as
    /// 1 in <paramref name="tie"/>, 0 elsewhere) and e is 0 there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpStep<TV, O, P>(TV v, TV negM, TV m, bool log, out TV tie) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV hi = Difference<TV, O>(v, negM, out TV lo);
        // hi ≤ 0: unless a lane's term is near or below the subnormal range, one scaling step is exact
        TV e = O.Any(O.LessThan(hi, O.C(O.IsDouble ? -700.0 : -86.0))) ? E.Exp<TV, O, P>(hi, lo) : E.ExpNormal<TV, O, P>(hi, lo);
        if (!log)
        {
            tie = default;
            return e;
        }
        TV eq = O.Equal(v, m);
        tie = O.And(eq, O.C(1));
        return O.Select(eq, O.C(0), e);
    }

    private static void RowBackward<T, TV, O, M, P>(T* y, T* g, T* dx, int n, SoftmaxForm form)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        bool log = form == SoftmaxForm.LogSoftmax;
        int full = n - n % Block, rest = n - full;
        T* yt = stackalloc T[Block];
        T* gt = stackalloc T[Block];
        new Span<T>(yt, Block).Clear();
        new Span<T>(gt, Block).Clear();
        for (int i = 0; i < rest; i++)
        {
            yt[i] = y[full + i];
            gt[i] = g[full + i];
        }

        // 1. Σ g·y (softmax, softmin) or Σ g (log_softmax), compensated, by index mod Block
        double* s = stackalloc double[2 * Block];
        new Span<double>(s, 2 * Block).Clear();
        double* c = s + Block;
        SumPass<T, TV, M>(y, g, full, log, s, c);
        if (rest > 0)
        {
            SumPass<T, TV, M>(yt, gt, Block, log, s, c);
        }
        (double hi, double lo) = Compensated.Total(s, c);
        double sum = hi + lo;

        // 2. dx
        if (log)
        {
            LogGradientPass<T, TV, O, M, P>(y, g, dx, full, sum);
            LogGradientPass<T, TV, O, M, P>(yt, gt, yt, rest > 0 ? Block : 0, sum);
        }
        else
        {
            GradientPass<T, TV, O, M>(y, g, dx, full, sum, form == SoftmaxForm.Softmin);
            GradientPass<T, TV, O, M>(yt, gt, yt, rest > 0 ? Block : 0, sum, form == SoftmaxForm.Softmin);
        }
        for (int i = 0; i < rest; i++)
        {
            dx[full + i] = yt[i];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SumPass<T, TV, M>(T* y, T* g, int count, bool log, double* s, double* c)
        where T : unmanaged where TV : unmanaged where M : ILaneMemory<T, TV>
    {
        int w = M.Count;
        for (int i = 0; i < count; i += Block)
        {
            for (int k = 0; k < Block; k += w)
            {
                SumStep<T, TV, M>(M.Load(y + i + k), M.Load(g + i + k), log, s + k, c + k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumStep<T, TV, M>(TV y, TV g, bool log, double* s, double* c) where T : unmanaged where TV : struct where M : ILaneMemory<T, TV>
    {
        if (log)
        {
            M.AccumulateSigned(g, s, c);
        }
        else
        {
            M.AccumulateProduct(y, g, s, c);
        }
    }

    /// <summary>softmax: y·(g − Σgy); softmin: y·(Σgy − g).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void GradientPass<T, TV, O, M>(T* y, T* g, T* dx, int count, double sum, bool negate)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV>
    {
        int w = M.Count;
        TV sv = O.C(sum);
        for (int i = 0; i < count; i += w)
        {
            M.Store(GradientStep<TV, O>(M.Load(y + i), M.Load(g + i), sv, negate), dx + i);
        }
    }

    /// <summary>log_softmax: g − e^y·Σg.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LogGradientPass<T, TV, O, M, P>(T* y, T* g, T* dx, int count, double sum)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        int w = M.Count;
        TV sv = O.C(sum);
        for (int i = 0; i < count; i += w)
        {
            M.Store(LogGradientStep<TV, O, P>(M.Load(y + i), M.Load(g + i), sv), dx + i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV GradientStep<TV, O>(TV y, TV g, TV sum, bool negate) where TV : struct where O : ISimd<TV>
        => O.Mul(y, negate ? O.Sub(sum, g) : O.Sub(g, sum));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogGradientStep<TV, O, P>(TV y, TV g, TV sum) where TV : struct where O : ISimd<TV> where P : IPrecision
        => O.Sub(g, O.Mul(E.Exp<TV, O, P>(y), sum));

    // ---------------------------------------------------------------- a strided axis, in column tiles

    private readonly struct ColumnBody<T, TV, O, M, P>(T* a, T* b, T* d, int n, long inner, int tile, long tiles, SoftmaxForm form, bool backward) : IRangeBody
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        public void Run(nint start, nint end)
        {
            double[] sums = new double[3 * tile];
            T[] scratch = new T[3 * tile];
            fixed (double* acc = sums)
            fixed (T* buffer = scratch)
            {
                for (nint item = start; item < end; item++)
                {
                    long o = item / tiles, j0 = item % tiles * tile;
                    int width = (int)Math.Min(tile, inner - j0);
                    int vectors = width - width % M.Count;
                    long offset = o * n * inner + j0;
                    // whole vectors of columns in this width's lanes, the last few columns in scalar lanes: every
                    // lane computes the same bits, and each column is a softmax of its own
                    Columns<T, TV, O, M, P>(a + offset, b + offset, d + offset, n, inner, vectors, form, backward, acc, buffer);
                    if (vectors < width)
                    {
                        long tail = offset + vectors;
                        if (typeof(T) == typeof(float))
                        {
                            Columns<float, float, F1, M1F, P>((float*)(a + tail), (float*)(b + tail), (float*)(d + tail), n, inner, width - vectors, form, backward, acc, (float*)buffer);
                        }
                        else
                        {
                            Columns<double, double, D1, M1D, P>((double*)(a + tail), (double*)(b + tail), (double*)(d + tail), n, inner, width - vectors, form, backward, acc, (double*)buffer);
                        }
                    }
                }
            }
        }
    }

    private static void Columns<T, TV, O, M, P>(T* a, T* b, T* d, int n, long inner, int width, SoftmaxForm form, bool backward, double* acc, T* buffer)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        if (width == 0)
        {
            return;
        }
        if (backward)
        {
            ColumnsBackward<T, TV, O, M, P>(a, b, d, n, inner, width, form, acc, buffer);
        }
        else
        {
            ColumnsForward<T, TV, O, M, P>(a, d, n, inner, width, form, acc, buffer);
        }
    }

    /// <summary>One tile of <paramref name="width"/> columns (a whole number of <typeparamref name="M"/>'s lanes),
    /// n rows apart by <paramref name="inner"/>: each column is one softmax, its sums taken in row order (lanes are
    /// columns, so the bits do not depend on the width).</summary>
    private static void ColumnsForward<T, TV, O, M, P>(T* x, T* y, int n, long inner, int width, SoftmaxForm form, double* acc, T* buffer)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        bool negate = form == SoftmaxForm.Softmin, log = form == SoftmaxForm.LogSoftmax;
        int w = M.Count;
        T* m = buffer, p = buffer + width, q = buffer + 2 * width;
        double* s = acc, c = acc + width, ties = acc + 2 * width;
        new Span<double>(acc, 3 * width).Clear();
        new Span<T>(m, width).Fill(FromDouble<T>(double.NegativeInfinity));
        for (int k = 0; k < n; k++)
        {
            T* row = x + k * inner;
            for (int j = 0; j < width; j += w)
            {
                M.Store(M.Max(M.Load(m + j), Signed<TV, O>(M.Load(row + j), negate)), m + j);
            }
        }
        for (int k = 0; k < n; k++)
        {
            T* row = x + k * inner, outRow = y + k * inner;
            for (int j = 0; j < width; j += w)
            {
                TV mv = M.Load(m + j);
                TV e = ExpStep<TV, O, P>(Signed<TV, O>(M.Load(row + j), negate), O.Neg(mv), mv, log, out TV tie);
                if (log)
                {
                    M.Accumulate(tie, ties + j, c + j);   // whole numbers: exact, the compensation gets 0
                }
                else
                {
                    M.Store(e, outRow + j);
                }
                M.Accumulate(e, s + j, c + j);
            }
        }
        for (int j = 0; j < width; j++)
        {
            double hi = s[j] + c[j], lo = c[j] - (hi - s[j]);
            double ph, pl;
            if (log)
            {
                LogSum<T>(ToDouble(m[j]), ties[j], hi, lo, out ph, out pl);
            }
            else
            {
                Reciprocal<T>(hi, lo, out ph, out pl);
            }
            p[j] = FromDouble<T>(ph);
            q[j] = FromDouble<T>(pl);
        }
        for (int k = 0; k < n; k++)
        {
            T* row = x + k * inner, outRow = y + k * inner;
            for (int j = 0; j < width; j += w)
            {
                TV pv = M.Load(p + j), qv = M.Load(q + j);
                if (log)
                {
                    M.Store(LogProbability<TV, O>(Signed<TV, O>(M.Load(row + j), negate), M.Load(m + j), pv, qv), outRow + j);
                }
                else
                {
                    TV e = M.Load(outRow + j);
                    M.Store(O.Fma(e, pv, O.Mul(e, qv)), outRow + j);
                }
            }
        }
    }

    private static void ColumnsBackward<T, TV, O, M, P>(T* y, T* g, T* dx, int n, long inner, int width, SoftmaxForm form, double* acc, T* buffer)
        where T : unmanaged where TV : unmanaged where O : ISimd<TV> where M : ILaneMemory<T, TV> where P : IPrecision
    {
        bool log = form == SoftmaxForm.LogSoftmax, negate = form == SoftmaxForm.Softmin;
        int w = M.Count;
        double* s = acc, c = acc + width;
        T* sum = buffer;
        new Span<double>(acc, 2 * width).Clear();
        for (int k = 0; k < n; k++)
        {
            T* yr = y + k * inner, gr = g + k * inner;
            for (int j = 0; j < width; j += w)
            {
                SumStep<T, TV, M>(M.Load(yr + j), M.Load(gr + j), log, s + j, c + j);
            }
        }
        for (int j = 0; j < width; j++)
        {
            sum[j] = FromDouble<T>(s[j] + c[j]);
        }
        for (int k = 0; k < n; k++)
        {
            T* yr = y + k * inner, gr = g + k * inner, dr = dx + k * inner;
            for (int j = 0; j < width; j += w)
            {
                TV yv = M.Load(yr + j), gv = M.Load(gr + j), sv = M.Load(sum + j);
                M.Store(log ? LogGradientStep<TV, O, P>(yv, gv, sv) : GradientStep<TV, O>(yv, gv, sv, negate), dr + j);
            }
        }
    }

    private static double ToDouble<T>(T v) where T : unmanaged
        => typeof(T) == typeof(float) ? (float)(object)v : (double)(object)v;

    private static T FromDouble<T>(double v) where T : unmanaged
        => typeof(T) == typeof(float) ? (T)(object)(float)v : (T)(object)v;
}
