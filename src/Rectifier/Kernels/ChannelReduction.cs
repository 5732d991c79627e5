using System.Numerics.Tensors;

namespace Rectifier.Kernels;

/// <summary>The weight gradient of prelu: dw[c] = Σ over the elements of channel c of (x &gt; 0 ? 0 : x·g).
/// Deterministic by construction: the elements are cut into fixed blocks (their size depends only on n), each
/// block sums each channel in a fixed lane order, and blocks are added in order. Thread count and vector width
/// change which core does the work, never the order of the additions. Float and Half terms are exact in double
/// (a product of two floats fits in 48 bits), and every sum is carried in double.</summary>
internal static unsafe class ChannelReduction
{
    private const int Chunk = 1024;

    public static void WeightGradient<T>(ChannelLayout layout, T* x, T* g, nint n, Span<double> sums) where T : unmanaged
    {
        sums.Clear();
        if (n == 0)
        {
            return;
        }
        int channels = Math.Max(1, layout.Channels);
        nint block = Math.Max(64 * 1024, (n / 64 + 255) / 256 * 256);
        int blocks = (int)((n + block - 1) / block);
        double[] partial = new double[blocks * channels];
        fixed (double* pp = partial)
        {
            ParallelRunner.For(blocks, (long)block * 2 * sizeof(T),
                new BlockBody<T>(layout, x, g, n, block, pp, channels), granule: 1);
        }
        for (int b = 0; b < blocks; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                sums[c] += partial[b * channels + c];
            }
        }
    }

    private readonly struct BlockBody<T>(ChannelLayout layout, T* x, T* g, nint n, nint block, double* partial, int channels) : IRangeBody
        where T : unmanaged
    {
        public void Run(nint startBlock, nint endBlock)
        {
            bool pattern = layout.Inner < ChannelBroadcast.RunThreshold && channels > 1;
            nint period = pattern ? (nint)(channels * layout.Inner) : 0;
            double[]? acc = pattern ? new double[period] : null;
            float* fx = stackalloc float[Chunk];
            float* fg = stackalloc float[Chunk];
            for (nint b = startBlock; b < endBlock; b++)
            {
                double* sums = partial + b * channels;
                nint bs = b * block, be = Math.Min(n, bs + block);
                if (acc is not null)
                {
                    Array.Clear(acc);
                }
                for (nint s = bs; s < be; s += Chunk)
                {
                    int len = (int)Math.Min(Chunk, be - s);
                    if (typeof(T) == typeof(double))
                    {
                        Accumulate(layout, (double*)x, (double*)g, s, s + len, sums, acc);
                    }
                    else if (typeof(T) == typeof(float))
                    {
                        Accumulate(layout, (float*)x, (float*)g, s, s + len, sums, acc);
                    }
                    else
                    {
                        TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)x + s, len), new Span<float>(fx, len));
                        TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)g + s, len), new Span<float>(fg, len));
                        Accumulate(layout, fx - s, fg - s, s, s + len, sums, acc);
                    }
                }
                if (acc is not null)
                {
                    for (nint p = 0; p < period; p++)
                    {
                        sums[p / (nint)layout.Inner] += acc[p];
                    }
                }
            }
        }
    }

    /// <summary>Adds the terms of [start, end) (global indices) into per-channel sums (runs) or the per-position
    /// accumulator of one pattern period (short runs).</summary>
    private static void Accumulate<T>(ChannelLayout layout, T* x, T* g, nint start, nint end, double* sums, double[]? acc)
        where T : unmanaged
    {
        fixed (double* pa = acc)
        {
            ChannelWalk walk = acc is not null ? ChannelWalk.Periods(layout, acc.Length) : ChannelWalk.Runs(layout);
            foreach (ChannelSegment seg in walk.Segments(start, end))
            {
                if (acc is not null)
                {
                    OrderedSum.AccumulateNonPositiveProducts(x + seg.Start, g + seg.Start, pa + seg.Offset, seg.Length);
                }
                else
                {
                    sums[seg.Channel] += OrderedSum.OfNonPositiveProducts(x + seg.Start, g + seg.Start, seg.Length);
                }
            }
        }
    }
}
