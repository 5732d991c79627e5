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
    Vector256<T> Invoke(Vector256<T> x);
    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary><c>!(x &lt;= t)</c>: relu (t = 0, NaN passes), threshold, rrelu in training (x &gt; 0 or NaN).</summary>
internal readonly struct NotAtMostPass<T>(T t) : IPassPredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Invoke(T x) => !(x <= t);
    public Vector256<T> Invoke(Vector256<T> x) => ~Vector256.LessThanOrEqual(x, Vector256.Create(t));
    public Vector512<T> Invoke(Vector512<T> x) => ~Vector512.LessThanOrEqual(x, Vector512.Create(t));
}

/// <summary><c>x &gt; 0</c>: leaky_relu (the slope applies at 0 and to NaN).</summary>
internal readonly struct PositivePass<T> : IPassPredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Invoke(T x) => x > T.Zero;
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.GreaterThan(x, Vector256<T>.Zero);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.GreaterThan(x, Vector512<T>.Zero);
}

/// <summary><c>!(x &lt;= min || x &gt;= max)</c>: hardtanh and relu6.</summary>
internal readonly struct InsidePass<T>(T min, T max) : IPassPredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public bool Invoke(T x) => !(x <= min || x >= max);
    public Vector256<T> Invoke(Vector256<T> x) => ~(Vector256.LessThanOrEqual(x, Vector256.Create(min)) | Vector256.GreaterThanOrEqual(x, Vector256.Create(max)));
    public Vector512<T> Invoke(Vector512<T> x) => ~(Vector512.LessThanOrEqual(x, Vector512.Create(min)) | Vector512.GreaterThanOrEqual(x, Vector512.Create(max)));
}

/// <summary>What the gradient becomes where it does not pass: 0, g·s, or g·r(i) for rrelu's random slope.</summary>
internal interface IBlockedGradient<T> where T : unmanaged
{
    T Invoke(T g, long index);
    Vector256<T> Invoke(Vector256<T> g, long index);
    Vector512<T> Invoke(Vector512<T> g, long index);
}

internal readonly struct ZeroGradient<T> : IBlockedGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T g, long index) => T.Zero;
    public Vector256<T> Invoke(Vector256<T> g, long index) => Vector256<T>.Zero;
    public Vector512<T> Invoke(Vector512<T> g, long index) => Vector512<T>.Zero;
}

internal readonly struct SlopeGradient<T>(T slope) : IBlockedGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T g, long index) => g * slope;
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

    /// <summary>y and the mask words for [start, end) (start a multiple of 64).</summary>
    private static void ForwardRange<T, TOp, TP>(T* x, T* y, ulong* mask, nint start, nint end, TOp op, TP pass)
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        for (nint b = start; b < end; b += 64)
        {
            nint len = Math.Min(64, end - b);
            ulong bits = 0;
            if (len == 64 && Vector512.IsHardwareAccelerated)
            {
                for (int j = 0; j < 64; j += Vector512<T>.Count)
                {
                    Vector512<T> v = Vector512.Load(x + b + j);
                    op.Invoke(v).Store(y + b + j);
                    bits |= (ulong)pass.Invoke(v).ExtractMostSignificantBits() << j;
                }
            }
            else if (len == 64 && Vector256.IsHardwareAccelerated)
            {
                for (int j = 0; j < 64; j += Vector256<T>.Count)
                {
                    Vector256<T> v = Vector256.Load(x + b + j);
                    op.Invoke(v).Store(y + b + j);
                    bits |= (ulong)pass.Invoke(v).ExtractMostSignificantBits() << j;
                }
            }
            else
            {
                for (int j = 0; j < len; j++)
                {
                    T v = x[b + j];
                    y[b + j] = op.Invoke(v);
                    bits |= pass.Invoke(v) ? 1UL << j : 0;
                }
            }
            mask[b / 64] = bits;
        }
    }

    private static readonly Vector512<int> LaneBits32 = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
    private static readonly Vector512<long> LaneBits64 = Vector512.Create(1L, 2, 4, 8, 16, 32, 64, 128);

    /// <summary>dx for [start, end) (start a multiple of 64) from g and the mask.</summary>
    private static void BackwardRange<T, TG>(T* g, T* dx, ulong* mask, nint start, nint end, TG blocked)
        where T : unmanaged where TG : struct, IBlockedGradient<T>
    {
        for (nint b = start; b < end; b += 64)
        {
            nint len = Math.Min(64, end - b);
            ulong word = mask[b / 64];
            if (len == 64 && Vector512.IsHardwareAccelerated)
            {
                for (int j = 0; j < 64; j += Vector512<T>.Count)
                {
                    Vector512<T> gv = Vector512.Load(g + b + j);
                    ulong lanes = (word >> j) & ((1UL << Vector512<T>.Count) - 1);
                    Vector512<T> pass = Vector512<T>.Count == 16
                        ? Vector512.Equals(Vector512.Create((int)lanes) & LaneBits32, LaneBits32).As<int, T>()
                        : Vector512.Equals(Vector512.Create((long)lanes) & LaneBits64, LaneBits64).As<long, T>();
                    Vector512<T> result = lanes == (1UL << Vector512<T>.Count) - 1 ? gv : Vector512.ConditionalSelect(pass, gv, blocked.Invoke(gv, b + j));
                    result.Store(dx + b + j);
                }
            }
            else
            {
                for (int j = 0; j < len; j++)
                {
                    T gj = g[b + j];
                    dx[b + j] = ((word >> j) & 1) != 0 ? gj : blocked.Invoke(gj, b + j);
                }
            }
        }
    }

    private readonly struct ForwardBody<T, TOp, TP>(T* x, T* y, ulong* mask, TOp op, TP pass, bool nonTemporal) : IRangeBody
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        public void Run(nint start, nint end)
        {
            if (nonTemporal && Vector512.IsHardwareAccelerated)
            {
                ForwardStreaming(x, y, mask, start, end, op, pass);
            }
            else
            {
                ForwardRange(x, y, mask, start, end, op, pass);
            }
        }
    }

    private readonly struct BackwardBody<T, TG>(T* g, T* dx, ulong* mask, TG blocked, bool nonTemporal) : IRangeBody
        where T : unmanaged where TG : struct, IBlockedGradient<T>
    {
        public void Run(nint start, nint end)
        {
            if (nonTemporal && Vector512.IsHardwareAccelerated)
            {
                BackwardStreaming(g, dx, mask, start, end, blocked);
            }
            else
            {
                BackwardRange(g, dx, mask, start, end, blocked);
            }
        }
    }

    /// <summary>The forward for data past the cache: vectors on the destination's 64-byte grid (so they can bypass
    /// the cache), the mask assembled word by word from bits that may straddle two words. start is a multiple of 64,
    /// so the words of [start, end) belong to this range alone.</summary>
    private static void ForwardStreaming<T, TOp, TP>(T* x, T* y, ulong* mask, nint start, nint end, TOp op, TP pass)
        where T : unmanaged where TOp : struct, Operators.IUnaryOperator<T> where TP : struct, IPassPredicate<T>
    {
        nint v = Vector512<T>.Count;
        nint i = start, w = start / 64;
        ulong word = 0;
        bool aligned = ((nint)y % sizeof(T)) == 0;
        for (; i < end && (!aligned || ((nint)(y + i) & 63) != 0); i++)
        {
            y[i] = op.Invoke(x[i]);
            Put(mask, ref w, ref word, i, pass.Invoke(x[i]) ? 1UL : 0, 1);
        }
        for (; aligned && i + v <= end; i += v)
        {
            Vector512<T> xv = Vector512.Load(x + i);
            op.Invoke(xv).StoreAlignedNonTemporal(y + i);
            Put(mask, ref w, ref word, i, pass.Invoke(xv).ExtractMostSignificantBits(), (int)v);
        }
        for (; i < end; i++)
        {
            y[i] = op.Invoke(x[i]);
            Put(mask, ref w, ref word, i, pass.Invoke(x[i]) ? 1UL : 0, 1);
        }
        if (i > w * 64)
        {
            mask[w] = word;
        }
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
    }

    /// <summary>Adds <paramref name="count"/> bits for elements [i, i + count) to the word being assembled, writing it
    /// out when it is complete.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(ulong* mask, ref nint w, ref ulong word, nint i, ulong bits, int count)
    {
        int shift = (int)(i - w * 64);
        word |= bits << shift;
        if (shift + count >= 64)
        {
            mask[w++] = word;
            word = shift + count > 64 ? bits >> (64 - shift) : 0;
        }
    }

    /// <summary>The backward for data past the cache: vectors on the destination's 64-byte grid, their bits read
    /// across word boundaries.</summary>
    private static void BackwardStreaming<T, TG>(T* g, T* dx, ulong* mask, nint start, nint end, TG blocked)
        where T : unmanaged where TG : struct, IBlockedGradient<T>
    {
        nint v = Vector512<T>.Count;
        nint i = start;
        bool aligned = ((nint)dx % sizeof(T)) == 0;
        for (; i < end && (!aligned || ((nint)(dx + i) & 63) != 0); i++)
        {
            dx[i] = ((mask[i / 64] >> (int)(i % 64)) & 1) != 0 ? g[i] : blocked.Invoke(g[i], i);
        }
        ulong full = (1UL << (int)v) - 1;
        for (; aligned && i + v <= end; i += v)
        {
            int shift = (int)(i % 64);
            ulong lanes = mask[i / 64] >> shift;
            if (shift + v > 64)
            {
                lanes |= mask[i / 64 + 1] << (64 - shift);
            }
            lanes &= full;
            Vector512<T> gv = Vector512.Load(g + i);
            Vector512<T> pass = Vector512<T>.Count == 16
                ? Vector512.Equals(Vector512.Create((int)lanes) & LaneBits32, LaneBits32).As<int, T>()
                : Vector512.Equals(Vector512.Create((long)lanes) & LaneBits64, LaneBits64).As<long, T>();
            Vector512<T> result = lanes == full ? gv : Vector512.ConditionalSelect(pass, gv, blocked.Invoke(gv, i));
            result.StoreAlignedNonTemporal(dx + i);
        }
        for (; i < end; i++)
        {
            dx[i] = ((mask[i / 64] >> (int)(i % 64)) & 1) != 0 ? g[i] : blocked.Invoke(g[i], i);
        }
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            System.Runtime.Intrinsics.X86.Sse.StoreFence();
        }
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
                ForwardRange(fx, fy, mask + s / 64, 0, len, op, pass);
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
                BackwardRange(fg, fd, mask + s / 64, 0, len, new OffsetGradient<TG>(blocked, s));
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(fd, len), new Span<Half>(dx + s, len));
            }
        }
    }

    /// <summary>Shifts the element index of a blocked gradient (Half chunks index from 0).</summary>
    private readonly struct OffsetGradient<TG>(TG inner, nint offset) : IBlockedGradient<float> where TG : struct, IBlockedGradient<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public float Invoke(float g, long index) => inner.Invoke(g, index + offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector256<float> Invoke(Vector256<float> g, long index) => inner.Invoke(g, index + offset);
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public Vector512<float> Invoke(Vector512<float> g, long index) => inner.Invoke(g, index + offset);
    }
}
