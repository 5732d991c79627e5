using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Rectifier.Kernels;

/// <summary>Where the gradient of a piecewise-linear activation passes unchanged (dx = g): one bit per element of
/// the packed mask. Every width returns what the scalar form returns, lane by lane.</summary>
internal interface IPassPredicate<T> where T : unmanaged
{
    bool Invoke(T x);
    Vector128<T> Invoke(Vector128<T> x);
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary><c>!(x &lt;= t)</c>: relu (t = 0, NaN passes), threshold, rrelu in training (x &gt; 0 or NaN).</summary>
internal readonly struct NotAtMostPass<T>(T t) : IPassPredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Invoke(T x) => !(x <= t);
    public Vector128<T> Invoke(Vector128<T> x) => ~Vector128.LessThanOrEqual(x, Vector128.Create(t));
    public Vector256<T> Invoke(Vector256<T> x) => ~Vector256.LessThanOrEqual(x, Vector256.Create(t));
    public Vector512<T> Invoke(Vector512<T> x) => ~Vector512.LessThanOrEqual(x, Vector512.Create(t));
}

/// <summary><c>x &gt; 0</c>: leaky_relu (the slope applies at 0 and to NaN).</summary>
internal readonly struct PositivePass<T> : IPassPredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Invoke(T x) => x > T.Zero;
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.GreaterThan(x, Vector128<T>.Zero);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.GreaterThan(x, Vector256<T>.Zero);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.GreaterThan(x, Vector512<T>.Zero);
}

/// <summary><c>!(x &lt;= min || x &gt;= max)</c>: hardtanh and relu6.</summary>
internal readonly struct InsidePass<T>(T min, T max) : IPassPredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Invoke(T x) => !(x <= min || x >= max);
    public Vector128<T> Invoke(Vector128<T> x) => ~(Vector128.LessThanOrEqual(x, Vector128.Create(min)) | Vector128.GreaterThanOrEqual(x, Vector128.Create(max)));
    public Vector256<T> Invoke(Vector256<T> x) => ~(Vector256.LessThanOrEqual(x, Vector256.Create(min)) | Vector256.GreaterThanOrEqual(x, Vector256.Create(max)));
    public Vector512<T> Invoke(Vector512<T> x) => ~(Vector512.LessThanOrEqual(x, Vector512.Create(min)) | Vector512.GreaterThanOrEqual(x, Vector512.Create(max)));
}

/// <summary>What the gradient becomes where it does not pass: 0, g·s, or g·r(i) for rrelu's random slope.</summary>
internal interface IBlockedGradient<T> where T : unmanaged
{
    T Invoke(T g, long index);
    Vector128<T> Invoke(Vector128<T> g, long index);
    Vector256<T> Invoke(Vector256<T> g, long index);
    Vector512<T> Invoke(Vector512<T> g, long index);
}

internal readonly struct ZeroGradient<T> : IBlockedGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T g, long index) => T.Zero;
    public Vector128<T> Invoke(Vector128<T> g, long index) => Vector128<T>.Zero;
    public Vector256<T> Invoke(Vector256<T> g, long index) => Vector256<T>.Zero;
    public Vector512<T> Invoke(Vector512<T> g, long index) => Vector512<T>.Zero;
}

internal readonly struct SlopeGradient<T>(T slope) : IBlockedGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T g, long index) => g * slope;
    public Vector128<T> Invoke(Vector128<T> g, long index) => g * Vector128.Create(slope);
    public Vector256<T> Invoke(Vector256<T> g, long index) => g * Vector256.Create(slope);
    public Vector512<T> Invoke(Vector512<T> g, long index) => g * Vector512.Create(slope);
}

/// <summary>rrelu training: g·r(i), r drawn exactly as the forward drew it (seed, position + i), rounded to Half
/// first when the data is Half (as the noise buffer of the forward would be).</summary>
internal readonly struct RandomSlopeGradient<T>(ulong seed, ulong position, double lower, double upper, bool half) : IBlockedGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T Slope(long index)
    {
        T r = Activations.RReluNoise<T>(seed, position + (ulong)index, lower, upper);
        return half ? T.CreateTruncating((float)(Half)float.CreateTruncating(r)) : r;
    }

    public T Invoke(T g, long index) => g * Slope(index);

    public Vector128<T> Invoke(Vector128<T> g, long index)
    {
        Span<T> r = stackalloc T[Vector128<T>.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = Slope(index + i);
        }
        return g * Vector128.Create<T>(r);
    }

    public Vector256<T> Invoke(Vector256<T> g, long index)
    {
        Span<T> r = stackalloc T[Vector256<T>.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = Slope(index + i);
        }
        return g * Vector256.Create<T>(r);
    }

    public Vector512<T> Invoke(Vector512<T> g, long index)
    {
        Span<T> r = stackalloc T[Vector512<T>.Count];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = Slope(index + i);
        }
        return g * Vector512.Create<T>(r);
    }
}

/// <summary>The 1-bit-mask drivers: a forward that also writes one bit per element (packed in ulong words, element i
/// in bit i % 64 of word i / 64), and a backward that needs only gradOutput and that mask — about 8.1 bytes moved
/// per float element instead of 12. Work is split on 64-element boundaries, so each word has one writer.</summary>
internal static unsafe class MaskKernels
{
    public static int MaskLength(int length) => (int)(((long)length + 63) / 64);

    public static void Forward<T, TF, TD, PF, PD>(ReadOnlySpan<T> x, Span<T> destination, Span<ulong> mask, TF f, TD d, PF pf, PD pd)
        where T : unmanaged
        where TF : struct, Operators.IUnaryOperator<float> where TD : struct, Operators.IUnaryOperator<double>
        where PF : struct, IPassPredicate<float> where PD : struct, IPassPredicate<double>
    {
        Elementwise.CheckDestination(x, destination, "x", "destination");
        CheckMask(mask, x.Length, "mask");
        if (x.IsEmpty)
        {
            return;
        }
        fixed (T* px = x)
        fixed (T* py = destination)
        fixed (ulong* pm = mask)
        {
            bool nonTemporal = px != py && (long)x.Length * 2 * sizeof(T) >= Elementwise.NonTemporalThresholdBytes;
            if (typeof(T) == typeof(float))
            {
                ParallelRunner.For(x.Length, 2 * sizeof(float), new ForwardBody<float, TF, PF>((float*)px, (float*)py, pm, f, pf, nonTemporal));
            }
            else if (typeof(T) == typeof(double))
            {
                ParallelRunner.For(x.Length, 2 * sizeof(double), new ForwardBody<double, TD, PD>((double*)px, (double*)py, pm, d, pd, nonTemporal));
            }
            else if (typeof(T) == typeof(Half))
            {
                ParallelRunner.For(x.Length, 2 * sizeof(Half), new HalfForwardBody<TF, PF>((Half*)px, (Half*)py, pm, f, pf));
            }
            else
            {
                ThrowHelper.NotSupportedType<T>();
            }
        }
    }

    public static void Backward<T, GF, GD>(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> gradOutput, Span<T> gradInput, GF gf, GD gd)
        where T : unmanaged where GF : struct, IBlockedGradient<float> where GD : struct, IBlockedGradient<double>
    {
        Elementwise.CheckDestination(gradOutput, gradInput, "gradOutput", "gradInput");
        CheckMask(mask, gradOutput.Length, "mask");
        if (gradOutput.IsEmpty)
        {
            return;
        }
        fixed (T* pg = gradOutput)
        fixed (T* pd = gradInput)
        fixed (ulong* pm = mask)
        {
            bool nonTemporal = pg != pd && (long)gradOutput.Length * 2 * sizeof(T) >= Elementwise.NonTemporalThresholdBytes;
            if (typeof(T) == typeof(float))
            {
                ParallelRunner.For(gradOutput.Length, 2 * sizeof(float), new BackwardBody<float, GF>((float*)pg, (float*)pd, pm, gf, nonTemporal));
            }
            else if (typeof(T) == typeof(double))
            {
                ParallelRunner.For(gradOutput.Length, 2 * sizeof(double), new BackwardBody<double, GD>((double*)pg, (double*)pd, pm, gd, nonTemporal));
            }
            else if (typeof(T) == typeof(Half))
            {
                ParallelRunner.For(gradOutput.Length, 2 * sizeof(Half), new HalfBackwardBody<GF>((Half*)pg, (Half*)pd, pm, gf));
            }
            else
            {
                ThrowHelper.NotSupportedType<T>();
            }
        }
    }

    private static void CheckMask(ReadOnlySpan<ulong> mask, int length, string name)
    {
        if (mask.Length < MaskLength(length))
        {
            ThrowHelper.Argument(name, $"'{name}' has {mask.Length} words but {length} elements need {MaskLength(length)} (Activations.MaskLength).");
        }
    }

    /// <summary>y and the mask words for [start, end) (start a multiple of 64), at the widest accelerated width.</summary>
    private static void ForwardRange<T, TOp, TP>(T* x, T* y, ulong* mask, nint start, nint end, TOp op, TP pass, bool stream)
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            ForwardWidth<T, TOp, TP, Lanes512<T>>(x, y, mask, start, end, op, pass, stream);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ForwardWidth<T, TOp, TP, Lanes256<T>>(x, y, mask, start, end, op, pass, stream);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            ForwardWidth<T, TOp, TP, Lanes128<T>>(x, y, mask, start, end, op, pass, stream);
        }
        else
        {
            ForwardLanes<T, TOp, TP, LanesScalar<T>, CachedStores>(x, y, mask, start, end, op, pass);
        }
    }

    /// <summary>The store mode, taken once per call: past the cache, and when y is element-aligned, streaming.</summary>
    private static void ForwardWidth<T, TOp, TP, L>(T* x, T* y, ulong* mask, nint start, nint end, TOp op, TP pass, bool stream)
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T> where L : struct, IMaskLanes<T>
    {
        if (stream && (nint)y % sizeof(T) == 0)
        {
            ForwardLanes<T, TOp, TP, L, NonTemporalStores>(x, y, mask, start, end, op, pass);
        }
        else
        {
            ForwardLanes<T, TOp, TP, L, CachedStores>(x, y, mask, start, end, op, pass);
        }
    }

    /// <summary>dx for [start, end) (start a multiple of 64) from g and the mask, at the widest accelerated width.</summary>
    private static void BackwardRange<T, TG>(T* g, T* dx, ulong* mask, nint start, nint end, TG blocked, bool stream)
        where T : unmanaged where TG : struct, IBlockedGradient<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            BackwardWidth<T, TG, Lanes512<T>>(g, dx, mask, start, end, blocked, stream);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            BackwardWidth<T, TG, Lanes256<T>>(g, dx, mask, start, end, blocked, stream);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            BackwardWidth<T, TG, Lanes128<T>>(g, dx, mask, start, end, blocked, stream);
        }
        else
        {
            BackwardLanes<T, TG, LanesScalar<T>, CachedStores>(g, dx, mask, start, end, blocked);
        }
    }

    private static void BackwardWidth<T, TG, L>(T* g, T* dx, ulong* mask, nint start, nint end, TG blocked, bool stream)
        where T : unmanaged where TG : struct, IBlockedGradient<T> where L : struct, IMaskLanes<T>
    {
        if (stream && (nint)dx % sizeof(T) == 0)
        {
            BackwardLanes<T, TG, L, NonTemporalStores>(g, dx, mask, start, end, blocked);
        }
        else
        {
            BackwardLanes<T, TG, L, CachedStores>(g, dx, mask, start, end, blocked);
        }
    }

    /// <summary>The mask forward, written once over the lane width. Vectors sit on the destination's vector grid (so
    /// stores never split a cache line and can bypass the cache when streaming), in groups of 64 elements whose bits
    /// straddle two words by the fixed shift s of that grid; the words are written whole, each once. start is a
    /// multiple of 64, so the words of [start, end) belong to this range alone.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ForwardLanes<T, TOp, TP, L, S>(T* x, T* y, ulong* mask, nint start, nint end, TOp op, TP pass)
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T> where L : struct, IMaskLanes<T>
        where S : struct, IStoreMode
    {
        nint v = L.Count, i = start;
        bool aligned = ((nint)y % sizeof(T)) == 0;
        bool stream = S.NonTemporal;
        ulong carry = 0;
        for (; aligned && i < end && ((nint)(y + i) & (v * sizeof(T) - 1)) != 0; i++)
        {
            carry |= LanesScalar<T>.Forward(op, pass, x + i, y + i, false) << (int)(i - start);
        }
        int s = (int)(i - start);
        ulong* word = mask + start / 64;
        for (; i + 64 <= end; i += 64)
        {
            ulong bits = 0;
            for (nint j = 0; j < 64; j += 4 * v)
            {
                ulong b0 = L.Forward(op, pass, x + i + j, y + i + j, stream);
                ulong b1 = L.Forward(op, pass, x + i + j + v, y + i + j + v, stream);
                ulong b2 = L.Forward(op, pass, x + i + j + 2 * v, y + i + j + 2 * v, stream);
                ulong b3 = L.Forward(op, pass, x + i + j + 3 * v, y + i + j + 3 * v, stream);
                bits |= (b0 | b1 << (int)v | b2 << (int)(2 * v) | b3 << (int)(3 * v)) << (int)j;
            }
            *word++ = carry | bits << s;
            carry = s == 0 ? 0 : bits >> (64 - s);
        }
        ulong rest = 0;
        nint r = 0;
        for (; i + r + v <= end; r += v)
        {
            rest |= L.Forward(op, pass, x + i + r, y + i + r, stream) << (int)r;
        }
        for (; i + r < end; r++)
        {
            rest |= LanesScalar<T>.Forward(op, pass, x + i + r, y + i + r, false) << (int)r;
        }
        if (s + r > 0)
        {
            word[0] = carry | rest << s;
        }
        if (s + r > 64)
        {
            word[1] = rest >> (64 - s);
        }
        if (stream && System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
    }

    /// <summary>The mask backward, written once over the lane width: vectors on the destination's vector grid, in
    /// groups of 64 elements whose bits are read across two words by the grid's fixed shift.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void BackwardLanes<T, TG, L, S>(T* g, T* dx, ulong* mask, nint start, nint end, TG blocked)
        where T : unmanaged where TG : struct, IBlockedGradient<T> where L : struct, IMaskLanes<T> where S : struct, IStoreMode
    {
        nint v = L.Count, i = start;
        bool aligned = ((nint)dx % sizeof(T)) == 0;
        bool stream = S.NonTemporal;
        for (; aligned && i < end && ((nint)(dx + i) & (v * sizeof(T) - 1)) != 0; i++)
        {
            LanesScalar<T>.Backward(blocked, g + i, dx + i, mask[i / 64] >> (int)(i % 64), i, false);
        }
        int s = (int)(i - start);
        ulong* word = mask + start / 64;
        for (; i + 64 <= end; i += 64, word++)
        {
            ulong bits = s == 0 ? word[0] : word[0] >> s | word[1] << (64 - s);
            for (nint j = 0; j < 64; j += 4 * v)
            {
                ulong lanes = bits >> (int)j;
                L.Backward(blocked, g + i + j, dx + i + j, lanes, i + j, stream);
                L.Backward(blocked, g + i + j + v, dx + i + j + v, lanes >> (int)v, i + j + v, stream);
                L.Backward(blocked, g + i + j + 2 * v, dx + i + j + 2 * v, lanes >> (int)(2 * v), i + j + 2 * v, stream);
                L.Backward(blocked, g + i + j + 3 * v, dx + i + j + 3 * v, lanes >> (int)(3 * v), i + j + 3 * v, stream);
            }
        }
        for (; i + v <= end; i += v)
        {
            L.Backward(blocked, g + i, dx + i, Bits(mask, i), i, stream);
        }
        for (; i < end; i++)
        {
            LanesScalar<T>.Backward(blocked, g + i, dx + i, mask[i / 64] >> (int)(i % 64), i, false);
        }
        if (stream && System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
    }

    /// <summary>The bits of elements [i, i + v) in the low bits (higher bits are garbage), for the vectors after
    /// the last whole 64-element group. They never straddle two words: the group grid starts s &lt; v elements past a
    /// word (s is the part before the destination's vector grid), fewer than 64 elements follow the last group, and v
    /// divides 64, so a vector that fits there ends at or before the next word's first bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(ulong* mask, nint i) => mask[i / 64] >> (int)(i % 64);

    private readonly struct ForwardBody<T, TOp, TP>(T* x, T* y, ulong* mask, TOp op, TP pass, bool nonTemporal) : IRangeBody
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        public void Run(nint start, nint end) => ForwardRange(x, y, mask, start, end, op, pass, nonTemporal);
    }

    private readonly struct BackwardBody<T, TG>(T* g, T* dx, ulong* mask, TG blocked, bool nonTemporal) : IRangeBody
        where T : unmanaged where TG : struct, IBlockedGradient<T>
    {
        public void Run(nint start, nint end) => BackwardRange(g, dx, mask, start, end, blocked, nonTemporal);
    }

    private const int HalfChunk = 1024;

    /// <summary>Half: widened to float a chunk at a time (64-aligned), computed, rounded once.</summary>
    private readonly struct HalfForwardBody<TOp, TP>(Half* x, Half* y, ulong* mask, TOp op, TP pass) : IRangeBody
        where TOp : struct, Operators.IUnaryOperator<float> where TP : struct, IPassPredicate<float>
    {
        public void Run(nint start, nint end)
        {
            float* fx = stackalloc float[HalfChunk];
            float* fy = stackalloc float[HalfChunk];
            for (nint s = start; s < end; s += HalfChunk)
            {
                int len = (int)Math.Min(HalfChunk, end - s);
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(x + s, len), new Span<float>(fx, len));
                ForwardRange(fx, fy, mask + s / 64, 0, len, op, pass, false);
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(fy, len), new Span<Half>(y + s, len));
            }
        }
    }

    private readonly struct HalfBackwardBody<TG>(Half* g, Half* dx, ulong* mask, TG blocked) : IRangeBody where TG : struct, IBlockedGradient<float>
    {
        public void Run(nint start, nint end)
        {
            float* fg = stackalloc float[HalfChunk];
            float* fd = stackalloc float[HalfChunk];
            for (nint s = start; s < end; s += HalfChunk)
            {
                int len = (int)Math.Min(HalfChunk, end - s);
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(g + s, len), new Span<float>(fg, len));
                BackwardRange(fg, fd, mask + s / 64, 0, len, new OffsetGradient<TG>(blocked, s), false);
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(fd, len), new Span<Half>(dx + s, len));
            }
        }
    }

    /// <summary>Shifts the element index of a blocked gradient (Half chunks index from 0).</summary>
    private readonly struct OffsetGradient<TG>(TG inner, nint offset) : IBlockedGradient<float> where TG : struct, IBlockedGradient<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float g, long index) => inner.Invoke(g, index + offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector128<float> Invoke(Vector128<float> g, long index) => inner.Invoke(g, index + offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> g, long index) => inner.Invoke(g, index + offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> g, long index) => inner.Invoke(g, index + offset);
    }
}

/// <summary>One lane width as the mask blocks see it: a vector of the operator with its pass bits, and a vector of the
/// gradient from its bits. The block loops of <see cref="MaskKernels"/> are written once over this.</summary>
internal unsafe interface IMaskLanes<T> where T : unmanaged
{
    static abstract nint Count { get; }

    /// <summary>y = op(x) for one vector (streamed past the cache when asked: y then on the vector grid); returns the
    /// pass bits, lane k in bit k.</summary>
    static abstract ulong Forward<TOp, TP>(in TOp op, in TP pass, T* x, T* y, bool stream)
        where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>;

    /// <summary>dx = g where bit k of <paramref name="lanes"/> is set, else the blocked gradient (bits above the
    /// width are ignored).</summary>
    static abstract void Backward<TG>(in TG blocked, T* g, T* dx, ulong lanes, long index, bool stream) where TG : struct, IBlockedGradient<T>;
}

internal readonly unsafe struct Lanes512<T> : IMaskLanes<T> where T : unmanaged
{
    public static nint Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Forward<TOp, TP>(in TOp op, in TP pass, T* x, T* y, bool stream)
        where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        Vector512<T> v = Vector512.Load(x);
        Vector512<T> r = op.Invoke(v);
        if (stream)
        {
            r.StoreAlignedNonTemporal(y);
        }
        else
        {
            r.Store(y);
        }
        return pass.Invoke(v).ExtractMostSignificantBits();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<TG>(in TG blocked, T* g, T* dx, ulong lanes, long index, bool stream) where TG : struct, IBlockedGradient<T>
    {
        ulong full = (1UL << Vector512<T>.Count) - 1;
        lanes &= full;
        Vector512<T> gv = Vector512.Load(g);
        Vector512<T> pass = sizeof(T) == 4
            ? Vector512.Equals(Vector512.Create((int)lanes) & Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768),
                Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768)).As<int, T>()
            : Vector512.Equals(Vector512.Create((long)lanes) & Vector512.Create(1L, 2, 4, 8, 16, 32, 64, 128), Vector512.Create(1L, 2, 4, 8, 16, 32, 64, 128)).As<long, T>();
        Vector512<T> r = lanes == full ? gv : Vector512.ConditionalSelect(pass, gv, blocked.Invoke(gv, index));
        if (stream)
        {
            r.StoreAlignedNonTemporal(dx);
        }
        else
        {
            r.Store(dx);
        }
    }
}

internal readonly unsafe struct Lanes256<T> : IMaskLanes<T> where T : unmanaged
{
    public static nint Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Forward<TOp, TP>(in TOp op, in TP pass, T* x, T* y, bool stream)
        where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        Vector256<T> v = Vector256.Load(x);
        Vector256<T> r = op.Invoke(v);
        if (stream)
        {
            r.StoreAlignedNonTemporal(y);
        }
        else
        {
            r.Store(y);
        }
        return pass.Invoke(v).ExtractMostSignificantBits();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<TG>(in TG blocked, T* g, T* dx, ulong lanes, long index, bool stream) where TG : struct, IBlockedGradient<T>
    {
        ulong full = (1UL << Vector256<T>.Count) - 1;
        lanes &= full;
        Vector256<T> gv = Vector256.Load(g);
        Vector256<T> pass = sizeof(T) == 4
            ? Vector256.Equals(Vector256.Create((int)lanes) & Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128), Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128)).As<int, T>()
            : Vector256.Equals(Vector256.Create((long)lanes) & Vector256.Create(1L, 2, 4, 8), Vector256.Create(1L, 2, 4, 8)).As<long, T>();
        Vector256<T> r = lanes == full ? gv : Vector256.ConditionalSelect(pass, gv, blocked.Invoke(gv, index));
        if (stream)
        {
            r.StoreAlignedNonTemporal(dx);
        }
        else
        {
            r.Store(dx);
        }
    }
}

internal readonly unsafe struct Lanes128<T> : IMaskLanes<T> where T : unmanaged
{
    /// <summary>16 masks of four 32-bit lanes, mask k with lane j all ones where bit j of k is set; as 64-bit lanes,
    /// mask 0b0011·a + 0b1100·b is the two-lane mask of bits (a, b).</summary>
    private static readonly ulong* PassMasks = BuildPassMasks();

    private static ulong* BuildPassMasks()
    {
        var table = (uint*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(16 * 16, 64);
        for (int k = 0; k < 16; k++)
        {
            for (int j = 0; j < 4; j++)
            {
                table[4 * k + j] = ((k >> j) & 1) != 0 ? uint.MaxValue : 0;
            }
        }
        return (ulong*)table;
    }

    /// <summary>Two bits to the index of the table's mask whose two 64-bit lanes follow them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ExpandPairs(ulong lanes) => (lanes & 1) * 3 + ((lanes >> 1) & 1) * 12;

    public static nint Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Forward<TOp, TP>(in TOp op, in TP pass, T* x, T* y, bool stream)
        where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        Vector128<T> v = Vector128.Load(x);
        Vector128<T> r = op.Invoke(v);
        if (stream)
        {
            r.StoreAlignedNonTemporal(y);
        }
        else
        {
            r.Store(y);
        }
        return pass.Invoke(v).ExtractMostSignificantBits();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<TG>(in TG blocked, T* g, T* dx, ulong lanes, long index, bool stream) where TG : struct, IBlockedGradient<T>
    {
        ulong full = (1UL << Vector128<T>.Count) - 1;
        lanes &= full;
        Vector128<T> gv = Vector128.Load(g);
        // the lane mask of 4 (or 2) bits is one load from a table of 16 masks (lanes of all ones where a bit is set)
        Vector128<T> pass = sizeof(T) == 4 ? Vector128.Load((T*)(PassMasks + 2 * lanes)) : Vector128.Load((T*)(PassMasks + 2 * ExpandPairs(lanes)));
        Vector128<T> r = lanes == full ? gv : Vector128.ConditionalSelect(pass, gv, blocked.Invoke(gv, index));
        if (stream)
        {
            r.StoreAlignedNonTemporal(dx);
        }
        else
        {
            r.Store(dx);
        }
    }
}

/// <summary>One element: the tails, and every element where no vector width is accelerated.</summary>
internal readonly unsafe struct LanesScalar<T> : IMaskLanes<T> where T : unmanaged
{
    public static nint Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Forward<TOp, TP>(in TOp op, in TP pass, T* x, T* y, bool stream)
        where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        T v = *x;
        *y = op.Invoke(v);
        return pass.Invoke(v) ? 1UL : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Backward<TG>(in TG blocked, T* g, T* dx, ulong lanes, long index, bool stream) where TG : struct, IBlockedGradient<T>
        => *dx = (lanes & 1) != 0 ? *g : blocked.Invoke(*g, index);
}

/// <summary>Whether a pass stores past the cache, as a type so that the choice is folded out of the loops.</summary>
internal interface IStoreMode
{
    static abstract bool NonTemporal { get; }
}

internal readonly struct CachedStores : IStoreMode
{
    public static bool NonTemporal => false;
}

internal readonly struct NonTemporalStores : IStoreMode
{
    public static bool NonTemporal => true;
}
