using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using Rectifier.Kernels;

namespace Rectifier.Training;

/// <summary>The three matrix products of a dense layer, in float or double, with a register-blocked kernel: 4 rows of
/// the result by 2 vectors of columns held in registers while the inner dimension streams past, A's elements
/// broadcast from any row and column strides (so Xᵀ needs no copy), B read along its rows.
/// Every element of the result is one chain of multiply-adds over the inner dimension in order, fused where the
/// machine has FMA, so the bits do not depend on the tile an element falls in or on the thread count.</summary>
internal static unsafe class Matrix
{
    /// <summary>c[n×m] = a[n×k]·b[k×m].</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int n, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length, (long)n * k, b.Length, (long)k * m, c.Length, (long)n * m);
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            Run(pa, k, 1, pb, pc, n, k, m);
        }
    }

    /// <summary>c[k×m] = aᵀ·b for a[n×k], b[n×m] (weight gradient: inputsᵀ·gradients).</summary>
    public static void MultiplyTransposedLeft<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int n, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length, (long)n * k, b.Length, (long)n * m, c.Length, (long)k * m);
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* pc = c)
        {
            // aᵀ(i, p) = a[p·k + i]: row stride 1, column stride k.
            Run(pa, 1, k, pb, pc, k, n, m);
        }
    }

    /// <summary>c[n×k] = a·bᵀ for a[n×m], b[k×m] (input gradient: gradients·weightsᵀ). <paramref name="scratch"/>
    /// (k·m elements) receives bᵀ, so that the kernel reads it along rows.</summary>
    public static void MultiplyTransposedRight<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int n, int m, int k, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length, (long)n * m, b.Length, (long)k * m, c.Length, (long)n * k);
        if (scratch.Length < (long)k * m)
        {
            throw new ArgumentException($"scratch needs {(long)k * m} elements, it has {scratch.Length}", nameof(scratch));
        }
        Transpose(b, scratch, k, m);
        fixed (T* pa = a)
        fixed (T* pt = scratch)
        fixed (T* pc = c)
        {
            Run(pa, m, 1, pt, pc, n, m, k);
        }
    }

    /// <summary>t[m×k] = bᵀ for b[k×m], in 8×8 blocks so both sides stay in cache.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> b, Span<T> t, int k, int m)
    {
        const int Block = 8;
        for (int p0 = 0; p0 < k; p0 += Block)
        {
            int p1 = Math.Min(k, p0 + Block);
            for (int j0 = 0; j0 < m; j0 += Block)
            {
                int j1 = Math.Min(m, j0 + Block);
                for (int p = p0; p < p1; p++)
                {
                    for (int j = j0; j < j1; j++)
                    {
                        t[j * k + p] = b[p * m + j];
                    }
                }
            }
        }
    }

    private static void Check(int aLength, long aNeed, int bLength, long bNeed, int cLength, long cNeed)
    {
        foreach (var (name, length, need) in new[] { ("a", aLength, aNeed), ("b", bLength, bNeed), ("c", cLength, cNeed) })
        {
            if (length < need)
            {
                throw new ArgumentException($"{name} has {length} elements; the product needs {need}", name);
            }
        }
    }

    /// <summary>c[n×m] = A·b, A(i, p) = a[i·rs + p·cs], b row-major [k×m], c row-major [n×m] (overwritten).
    /// Rows are split over the library's worker pool (<see cref="ParallelRunner"/>) in whole 4-row tiles when more
    /// than one thread is allowed and the product is big enough; a row's cost, k·m multiply-adds, is passed as the
    /// pool's per-element cost (an eighth of a byte per multiply-add: a compute-bound row is worth about as much time
    /// as that many bytes of a memory-bound pass).</summary>
    private static void Run<T>(T* a, nint rs, nint cs, T* b, T* c, int n, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
        => ParallelRunner.For(n, Math.Max(1, (long)k * m / 8), new RowsBody<T>(a, rs, cs, b, c, k, m), granule: 4);

    private readonly struct RowsBody<T>(T* a, nint rs, nint cs, T* b, T* c, int k, int m) : IRangeBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(nint start, nint end) => Rows(a, rs, cs, b, c, (int)start, (int)end, k, m);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Rows<T>(T* a, nint rs, nint cs, T* b, T* c, int first, int last, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector<T>.Count;
        int i = first;
        for (; i + 4 <= last; i += 4)
        {
            T* ai = a + i * rs;
            T* ci = c + (nint)i * m;
            int j = 0;
            for (; j + 2 * v <= m; j += 2 * v)
            {
                Kernel4x2(ai, rs, cs, b + j, ci + j, k, m);
            }
            for (; j + v <= m; j += v)
            {
                Kernel4x1(ai, rs, cs, b + j, ci + j, k, m);
            }
            for (; j < m; j++)
            {
                for (int r = 0; r < 4; r++)
                {
                    ci[r * m + j] = Dot(ai + r * rs, cs, b + j, k, m);
                }
            }
        }
        for (; i < last; i++)
        {
            T* ai = a + i * rs;
            T* ci = c + (nint)i * m;
            int j = 0;
            for (; j + v <= m; j += v)
            {
                Kernel1x1(ai, cs, b + j, ci + j, k, m);
            }
            for (; j < m; j++)
            {
                ci[j] = Dot(ai, cs, b + j, k, m);
            }
        }
    }

    /// <summary>a·b + c, fused where the machine fuses it (the vector and scalar forms round alike either way).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Fused)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector.FusedMultiplyAdd(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
            }
            if (typeof(T) == typeof(double))
            {
                return Vector.FusedMultiplyAdd(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
            }
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T MultiplyAdd<T>(T a, T b, T c) where T : unmanaged, IFloatingPointIeee754<T>
        => Fused ? T.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>True where multiply-add is one instruction; elsewhere a product and a sum, in vectors and scalars alike.</summary>
    private static bool Fused => Fma.IsSupported || AdvSimd.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Dot<T>(T* a, nint cs, T* b, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int p = 0; p < k; p++)
        {
            sum = MultiplyAdd(a[p * cs], b[(nint)p * m], sum);
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x2<T>(T* a, nint rs, nint cs, T* b, T* c, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector<T>.Count;
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += cs, bp += m)
        {
            Vector<T> b0 = Vector.Load(bp), b1 = Vector.Load(bp + v);
            var a0 = new Vector<T>(ap[0]);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            var a1 = new Vector<T>(ap[rs]);
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            var a2 = new Vector<T>(ap[2 * rs]);
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            var a3 = new Vector<T>(ap[3 * rs]);
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
        }
        c00.Store(c);
        c01.Store(c + v);
        c10.Store(c + m);
        c11.Store(c + m + v);
        c20.Store(c + 2 * m);
        c21.Store(c + 2 * m + v);
        c30.Store(c + 3 * m);
        c31.Store(c + 3 * m + v);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x1<T>(T* a, nint rs, nint cs, T* b, T* c, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> c0 = default, c1 = default, c2 = default, c3 = default;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += cs, bp += m)
        {
            Vector<T> b0 = Vector.Load(bp);
            c0 = MultiplyAdd(new Vector<T>(ap[0]), b0, c0);
            c1 = MultiplyAdd(new Vector<T>(ap[rs]), b0, c1);
            c2 = MultiplyAdd(new Vector<T>(ap[2 * rs]), b0, c2);
            c3 = MultiplyAdd(new Vector<T>(ap[3 * rs]), b0, c3);
        }
        c0.Store(c);
        c1.Store(c + m);
        c2.Store(c + 2 * m);
        c3.Store(c + 3 * m);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel1x1<T>(T* a, nint cs, T* b, T* c, int k, int m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> c0 = default;
        T* ap = a;
        T* bp = b;
        for (int p = 0; p < k; p++, ap += cs, bp += m)
        {
            c0 = MultiplyAdd(new Vector<T>(ap[0]), Vector.Load(bp), c0);
        }
        c0.Store(c);
    }
}
