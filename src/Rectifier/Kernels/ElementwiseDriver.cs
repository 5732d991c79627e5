using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rectifier.Kernels;

/// <summary>The one loop of every element-wise pass: width choice (512 → 256 → 128 → scalar, folded by the JIT),
/// a 4× unrolled body on an aligned destination, an overlapping last vector for the tail and non-temporal stores
/// when asked. The first and last vectors are computed before anything is stored, so an exactly aliased
/// destination (in-place) is safe; every element is a function of its own index only, so the result never depends
/// on length, alignment, width or how a caller splits the range.</summary>
internal static unsafe class ElementwiseDriver
{
    public static void Run<T, TK>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint n = end - start;
        if (TK.Heavy && n >= Vector128<T>.Count && Vector128.IsHardwareAccelerated)
        {
            RunHeavy(k, dst, start, end, nonTemporal);
        }
        else if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            Run512(k, dst, start, end, nonTemporal);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            Run256(k, dst, start, end, nonTemporal);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            Run128(k, dst, start, end, nonTemporal);
        }
        else
        {
            for (nint i = start; i < end; i++)
            {
                dst[i] = k.At(i);
            }
        }
    }

    /// <summary>The loop for heavy operators: one call site of the kernel per width (so it inlines whole), no unrolling
    /// (the operator's own instruction-level parallelism fills the pipes). The first and last vectors are computed
    /// first and stored last, exactly as in the light loops, so in-place calls stay exact.</summary>
    private static void RunHeavy<T, TK>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint n = end - start;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            RunHeavy512(k, dst, start, end, nonTemporal);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            RunHeavy256(k, dst, start, end);
        }
        else
        {
            RunHeavy128(k, dst, start, end);
        }
    }

    // One method per width: each is its own JIT compilation, so each inlines its one copy of the operator.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunHeavy512<T, TK>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint v = Vector512<T>.Count;
        Vector512<T> first = default, last = default;
        for (nint j = 0, i = start; ; j++)
        {
            nint at = j == 0 ? start : j == 1 ? end - v : i;
            if (j >= 2 && at > end - v)
            {
                break;
            }
            Vector512<T> r = k.At512(at);
            if (j == 0)
            {
                first = r;
            }
            else if (j == 1)
            {
                last = r;
                i = start + v;
            }
            else
            {
                Store(r, dst + at, nonTemporal);
                i += v;
            }
        }
        FenceIf(nonTemporal);
        last.Store(dst + end - v);
        first.Store(dst + start);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunHeavy256<T, TK>(TK k, T* dst, nint start, nint end)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint v = Vector256<T>.Count;
        Vector256<T> first = default, last = default;
        for (nint j = 0, i = start; ; j++)
        {
            nint at = j == 0 ? start : j == 1 ? end - v : i;
            if (j >= 2 && at > end - v)
            {
                break;
            }
            Vector256<T> r = k.At256(at);
            if (j == 0)
            {
                first = r;
            }
            else if (j == 1)
            {
                last = r;
                i = start + v;
            }
            else
            {
                r.Store(dst + at);
                i += v;
            }
        }
        last.Store(dst + end - v);
        first.Store(dst + start);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunHeavy128<T, TK>(TK k, T* dst, nint start, nint end)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint v = Vector128<T>.Count;
        Vector128<T> first = default, last = default;
        for (nint j = 0, i = start; ; j++)
        {
            nint at = j == 0 ? start : j == 1 ? end - v : i;
            if (j >= 2 && at > end - v)
            {
                break;
            }
            Vector128<T> r = k.At128(at);
            if (j == 0)
            {
                first = r;
            }
            else if (j == 1)
            {
                last = r;
                i = start + v;
            }
            else
            {
                r.Store(dst + at);
                i += v;
            }
        }
        last.Store(dst + end - v);
        first.Store(dst + start);
    }

    /// <summary>A full-width store, bypassing the cache when asked and the address allows it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> value, T* address, bool nonTemporal) where T : unmanaged
    {
        if (nonTemporal && ((nint)address & 63) == 0)
        {
            value.StoreAlignedNonTemporal(address);
        }
        else
        {
            value.Store(address);
        }
    }

    private static void FenceIf(bool nonTemporal)
    {
        if (nonTemporal && Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint AlignDown<T>(T* dst, nint i, nint bytes) where T : unmanaged
        => ((nint)dst & (sizeof(T) - 1)) == 0 ? i - (((nint)(dst + i) & (bytes - 1)) / sizeof(T)) : i;

    private static void Run512<T, TK>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint v = Vector512<T>.Count;
        Vector512<T> first = k.At512(start);
        Vector512<T> last = k.At512(end - v);
        nint i = AlignDown(dst, start + v, 64);
        bool aligned = ((nint)(dst + i) & 63) == 0;
        if (nonTemporal && aligned)
        {
            for (; i <= end - 4 * v; i += 4 * v)
            {
                Vector512<T> a = k.At512(i), b = k.At512(i + v), c = k.At512(i + 2 * v), d = k.At512(i + 3 * v);
                a.StoreAlignedNonTemporal(dst + i);
                b.StoreAlignedNonTemporal(dst + i + v);
                c.StoreAlignedNonTemporal(dst + i + 2 * v);
                d.StoreAlignedNonTemporal(dst + i + 3 * v);
            }
            if (Sse.IsSupported)
            {
                Sse.StoreFence();
            }
        }
        for (; i <= end - 4 * v; i += 4 * v)
        {
            Vector512<T> a = k.At512(i), b = k.At512(i + v), c = k.At512(i + 2 * v), d = k.At512(i + 3 * v);
            a.Store(dst + i);
            b.Store(dst + i + v);
            c.Store(dst + i + 2 * v);
            d.Store(dst + i + 3 * v);
        }
        for (; i <= end - v; i += v)
        {
            k.At512(i).Store(dst + i);
        }
        last.Store(dst + end - v);
        first.Store(dst + start);
    }

    private static void Run256<T, TK>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint v = Vector256<T>.Count;
        Vector256<T> first = k.At256(start);
        Vector256<T> last = k.At256(end - v);
        nint i = AlignDown(dst, start + v, 32);
        bool aligned = ((nint)(dst + i) & 31) == 0;
        if (nonTemporal && aligned)
        {
            for (; i <= end - 4 * v; i += 4 * v)
            {
                Vector256<T> a = k.At256(i), b = k.At256(i + v), c = k.At256(i + 2 * v), d = k.At256(i + 3 * v);
                a.StoreAlignedNonTemporal(dst + i);
                b.StoreAlignedNonTemporal(dst + i + v);
                c.StoreAlignedNonTemporal(dst + i + 2 * v);
                d.StoreAlignedNonTemporal(dst + i + 3 * v);
            }
            if (Sse.IsSupported)
            {
                Sse.StoreFence();
            }
        }
        for (; i <= end - 4 * v; i += 4 * v)
        {
            Vector256<T> a = k.At256(i), b = k.At256(i + v), c = k.At256(i + 2 * v), d = k.At256(i + 3 * v);
            a.Store(dst + i);
            b.Store(dst + i + v);
            c.Store(dst + i + 2 * v);
            d.Store(dst + i + 3 * v);
        }
        for (; i <= end - v; i += v)
        {
            k.At256(i).Store(dst + i);
        }
        last.Store(dst + end - v);
        first.Store(dst + start);
    }

    private static void Run128<T, TK>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK>
    {
        nint v = Vector128<T>.Count;
        Vector128<T> first = k.At128(start);
        Vector128<T> last = k.At128(end - v);
        nint i = AlignDown(dst, start + v, 16);
        bool aligned = ((nint)(dst + i) & 15) == 0;
        if (nonTemporal && aligned)
        {
            for (; i <= end - 4 * v; i += 4 * v)
            {
                Vector128<T> a = k.At128(i), b = k.At128(i + v), c = k.At128(i + 2 * v), d = k.At128(i + 3 * v);
                a.StoreAlignedNonTemporal(dst + i);
                b.StoreAlignedNonTemporal(dst + i + v);
                c.StoreAlignedNonTemporal(dst + i + 2 * v);
                d.StoreAlignedNonTemporal(dst + i + 3 * v);
            }
            if (Sse.IsSupported)
            {
                Sse.StoreFence();
            }
        }
        for (; i <= end - 4 * v; i += 4 * v)
        {
            Vector128<T> a = k.At128(i), b = k.At128(i + v), c = k.At128(i + 2 * v), d = k.At128(i + 3 * v);
            a.Store(dst + i);
            b.Store(dst + i + v);
            c.Store(dst + i + 2 * v);
            d.Store(dst + i + 3 * v);
        }
        for (; i <= end - v; i += v)
        {
            k.At128(i).Store(dst + i);
        }
        last.Store(dst + end - v);
        first.Store(dst + start);
    }
}
