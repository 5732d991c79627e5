using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Rectifier.Kernels;

/// <summary>One vector width as the driver sees it: how many elements, how to compute a vector of the kernel and
/// how to store it. The loops are written once over this and instantiated per width (each instantiation is its own
/// JIT compilation, so each inlines its own copy of the operator).</summary>
internal unsafe interface IWidth<T, TK, TV> where T : unmanaged where TK : struct, IElementKernel<T, TK> where TV : struct
{
    static abstract nint Count { get; }
    static abstract TV At(in TK k, nint i);
    static abstract void Store(TV value, T* address);
    static abstract void StoreAlignedNonTemporal(TV value, T* address);
}

internal readonly unsafe struct Width512<T, TK> : IWidth<T, TK, Vector512<T>> where T : unmanaged where TK : struct, IElementKernel<T, TK>
{
    public static nint Count => Vector512<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> At(in TK k, nint i) => k.At512(i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, T* address) => value.Store(address);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreAlignedNonTemporal(Vector512<T> value, T* address) => value.StoreAlignedNonTemporal(address);
}

internal readonly unsafe struct Width256<T, TK> : IWidth<T, TK, Vector256<T>> where T : unmanaged where TK : struct, IElementKernel<T, TK>
{
    public static nint Count => Vector256<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> At(in TK k, nint i) => k.At256(i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, T* address) => value.Store(address);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreAlignedNonTemporal(Vector256<T> value, T* address) => value.StoreAlignedNonTemporal(address);
}

internal readonly unsafe struct Width128<T, TK> : IWidth<T, TK, Vector128<T>> where T : unmanaged where TK : struct, IElementKernel<T, TK>
{
    public static nint Count => Vector128<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> At(in TK k, nint i) => k.At128(i);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> value, T* address) => value.Store(address);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreAlignedNonTemporal(Vector128<T> value, T* address) => value.StoreAlignedNonTemporal(address);
}

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
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            RunWidth<T, TK, Vector512<T>, Width512<T, TK>>(k, dst, start, end, nonTemporal);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            RunWidth<T, TK, Vector256<T>, Width256<T, TK>>(k, dst, start, end, nonTemporal);
        }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
        {
            RunWidth<T, TK, Vector128<T>, Width128<T, TK>>(k, dst, start, end, nonTemporal);
        }
        else
        {
            for (nint i = start; i < end; i++)
            {
                dst[i] = k.At(i);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint AlignDown<T>(T* dst, nint i, nint bytes) where T : unmanaged
        => ((nint)dst & (sizeof(T) - 1)) == 0 ? i - (((nint)(dst + i) & (bytes - 1)) / sizeof(T)) : i;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunWidth<T, TK, TV, W>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK> where TV : struct where W : struct, IWidth<T, TK, TV>
    {
        if (TK.Heavy)
        {
            RunHeavy<T, TK, TV, W>(k, dst, start, end, nonTemporal);
            return;
        }
        nint v = W.Count;
        nint bytes = v * sizeof(T);
        TV first = W.At(k, start);
        TV last = W.At(k, end - v);
        nint i = AlignDown(dst, start + v, bytes);
        bool aligned = ((nint)(dst + i) & (bytes - 1)) == 0;
        if (nonTemporal && aligned)
        {
            for (; i <= end - 4 * v; i += 4 * v)
            {
                TV a = W.At(k, i), b = W.At(k, i + v), c = W.At(k, i + 2 * v), d = W.At(k, i + 3 * v);
                W.StoreAlignedNonTemporal(a, dst + i);
                W.StoreAlignedNonTemporal(b, dst + i + v);
                W.StoreAlignedNonTemporal(c, dst + i + 2 * v);
                W.StoreAlignedNonTemporal(d, dst + i + 3 * v);
            }
            FenceIf(nonTemporal);
        }
        for (; i <= end - 4 * v; i += 4 * v)
        {
            TV a = W.At(k, i), b = W.At(k, i + v), c = W.At(k, i + 2 * v), d = W.At(k, i + 3 * v);
            W.Store(a, dst + i);
            W.Store(b, dst + i + v);
            W.Store(c, dst + i + 2 * v);
            W.Store(d, dst + i + 3 * v);
        }
        for (; i <= end - v; i += v)
        {
            W.Store(W.At(k, i), dst + i);
        }
        W.Store(last, dst + end - v);
        W.Store(first, dst + start);
    }

    /// <summary>The loop for heavy operators: one call site of the kernel (so it inlines whole), no unrolling (the
    /// operator's own instruction-level parallelism fills the pipes). The first and last vectors are computed first
    /// and stored last, exactly as in the light loop, so in-place calls stay exact. Its own JIT compilation, so the
    /// operator has the whole inlining budget and the register allocator sees nothing else.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RunHeavy<T, TK, TV, W>(TK k, T* dst, nint start, nint end, bool nonTemporal)
        where T : unmanaged where TK : struct, IElementKernel<T, TK> where TV : struct where W : struct, IWidth<T, TK, TV>
    {
        nint v = W.Count;
        nint bytes = v * sizeof(T);
        TV first = default, last = default;
        for (nint j = 0, i = start; ; j++)
        {
            nint at = j == 0 ? start : j == 1 ? end - v : i;
            if (j >= 2 && at > end - v)
            {
                break;
            }
            TV r = W.At(k, at);
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
                if (nonTemporal && ((nint)(dst + at) & (bytes - 1)) == 0)
                {
                    W.StoreAlignedNonTemporal(r, dst + at);
                }
                else
                {
                    W.Store(r, dst + at);
                }
                i += v;
            }
        }
        FenceIf(nonTemporal);
        W.Store(last, dst + end - v);
        W.Store(first, dst + start);
    }

    private static void FenceIf(bool nonTemporal)
    {
        if (nonTemporal && Sse.IsSupported)
        {
            Sse.StoreFence();
        }
    }
}
