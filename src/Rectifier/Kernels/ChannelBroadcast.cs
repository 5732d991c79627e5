using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Rectifier.Operators;

namespace Rectifier.Kernels;

/// <summary>The per-channel broadcast shape (PReLU): element i uses weight w[channel(i)] with
/// channel(i) = (i / inner) mod C. Long runs of one channel (NCHW) go through the element-wise driver with a
/// scalar weight; short runs (NHWC, inner &lt; <see cref="RunThreshold"/>) go through it with a materialised
/// weight pattern whose period is C·inner. Either way each element sees the same operator, so results do not
/// depend on the path, the partition or the width.</summary>
internal static unsafe class ChannelBroadcast
{
    /// <summary>Runs of one channel at least this long are processed as runs.</summary>
    public const int RunThreshold = 64;

    private const int PatternMinLength = 4096;

    /// <summary>Forward (<paramref name="g"/> null) or backward dx of prelu over a channel layout.</summary>
    public static void Apply<T>(ChannelLayout layout, T* x, T* g, T* w, T* dst, nint n) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            using var pattern = new Pattern<float>(layout, (float*)w);
            ParallelRunner.For(n, (g == null ? 2 : 3) * sizeof(float), new FloatBody<float>(layout, (float*)x, (float*)g, (float*)w, pattern.Pointer, pattern.Length, (float*)dst));
        }
        else if (typeof(T) == typeof(double))
        {
            using var pattern = new Pattern<double>(layout, (double*)w);
            ParallelRunner.For(n, (g == null ? 2 : 3) * sizeof(double), new FloatBody<double>(layout, (double*)x, (double*)g, (double*)w, pattern.Pointer, pattern.Length, (double*)dst));
        }
        else
        {
            float[] widened = new float[layout.Channels];
            TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(w, layout.Channels), widened);
            fixed (float* pw = widened)
            {
                using var pattern = new Pattern<float>(layout, pw);
                ParallelRunner.For(n, (g == null ? 2 : 3) * sizeof(Half), new HalfBody(layout, (Half*)x, (Half*)g, pw, pattern.Pointer, pattern.Length, (Half*)dst));
            }
        }
    }

    /// <summary>Walks [start, end) segment by segment and runs the element-wise driver on each. x, g and dst are
    /// indexed by global element index (callers may pass rebased pointers).</summary>
    private static void Segments<T>(ChannelLayout layout, T* x, T* g, T* w, T* pattern, nint patternLength, T* dst, nint start, nint end)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ChannelWalk walk = pattern != null ? ChannelWalk.Periods(layout, patternLength) : ChannelWalk.Runs(layout);
        foreach (ChannelSegment seg in walk.Segments(start, end))
        {
            if (pattern != null)
            {
                T* wp = pattern + seg.Offset - seg.Start;
                if (g == null)
                {
                    ElementwiseDriver.Run(new BinaryKernel<T, PReluPatternOperator<T>>(x, wp, default), dst, seg.Start, seg.End, nonTemporal: false);
                }
                else
                {
                    ElementwiseDriver.Run(new TernaryKernel<T, PReluPatternBackwardOperator<T>>(x, g, wp, default), dst, seg.Start, seg.End, nonTemporal: false);
                }
            }
            else if (g == null)
            {
                ElementwiseDriver.Run(new UnaryKernel<T, LeakyReluOperator<T>>(x, new LeakyReluOperator<T>(w[seg.Channel])), dst, seg.Start, seg.End, nonTemporal: false);
            }
            else
            {
                ElementwiseDriver.Run(new BinaryKernel<T, LeakyReluBackwardOperator<T>>(x, g, new LeakyReluBackwardOperator<T>(w[seg.Channel])), dst, seg.Start, seg.End, nonTemporal: false);
            }
        }
    }

    private readonly struct FloatBody<T>(ChannelLayout layout, T* x, T* g, T* w, T* pattern, nint patternLength, T* dst) : IRangeBody
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public void Run(nint start, nint end) => Segments(layout, x, g, w, pattern, patternLength, dst, start, end);
    }

    private readonly struct HalfBody(ChannelLayout layout, Half* x, Half* g, float* w, float* pattern, nint patternLength, Half* dst) : IRangeBody
    {
        private const int Chunk = 1024;

        public void Run(nint start, nint end)
        {
            float* buffer = stackalloc float[3 * Chunk];
            for (nint s = start; s < end; s += Chunk)
            {
                int len = (int)Math.Min(Chunk, end - s);
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(x + s, len), new Span<float>(buffer, len));
                if (g != null)
                {
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(g + s, len), new Span<float>(buffer + Chunk, len));
                }
                // Rebase the buffers so that global index i addresses buffer[i - s].
                Segments(layout, buffer - s, g == null ? null : buffer + Chunk - s, w, pattern, patternLength, buffer + 2 * Chunk - s, s, s + len);
                TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(buffer + 2 * Chunk, len), new Span<Half>(dst + s, len));
            }
        }
    }

    /// <summary>For short runs: the weights of one period (C·inner elements) repeated to at least
    /// <see cref="PatternMinLength"/> elements. Null when runs are long enough to go one by one.</summary>
    private readonly struct Pattern<T> : IDisposable where T : unmanaged
    {
        public readonly T* Pointer;
        public readonly nint Length;

        public Pattern(ChannelLayout layout, T* w)
        {
            if (layout.Inner >= RunThreshold || layout.Channels <= 1)
            {
                return;
            }
            nint period = (nint)(layout.Channels * layout.Inner);
            nint repeats = Math.Max(1, (PatternMinLength + period - 1) / period);
            Length = period * repeats;
            Pointer = (T*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(Length * sizeof(T)), 64);
            // One period channel by channel, then copies of it doubling in length: no division per element, so
            // the pattern costs a few stores per element of one period rather than two divisions (which made a
            // 64K-element NHWC call several times slower than a copy).
            nint inner = (nint)layout.Inner, i = 0;
            for (int c = 0; c < layout.Channels; c++)
            {
                new Span<T>(Pointer + i, (int)inner).Fill(w[c]);
                i += inner;
            }
            for (nint filled = period; filled < Length;)
            {
                nint count = Math.Min(filled, Length - filled);
                Buffer.MemoryCopy(Pointer, Pointer + filled, (Length - filled) * sizeof(T), count * sizeof(T));
                filled += count;
            }
        }

        public void Dispose()
        {
            if (Pointer != null)
            {
                System.Runtime.InteropServices.NativeMemory.AlignedFree(Pointer);
            }
        }
    }
}
