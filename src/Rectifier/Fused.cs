using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Rectifier.Kernels;

namespace Rectifier;

/// <summary>Bias + activation in one pass over memory: <c>y = act(x + bias[c])</c> on any layout (NCHW, NHWC, or
/// any channel axis), and its backward giving dx and the bias gradient. The sum x + bias is formed a tile at a time in
/// cache and rounded to the element type exactly as a separate bias-add pass would round it, so the fused results are
/// bitwise those of the two separate calls.</summary>
/// <remarks>The data is cut into fixed slices that depend only on the element count; each slice sums its part of
/// the bias gradient in double, and the slices are added in order — the same bits whatever the thread count.</remarks>
public static unsafe partial class Fused
{
    private const int Tile = 4096;
    private const int MaxSlices = 64;

    /// <summary><c>y = act(x + bias[c])</c> with the channels on axis 1 (NCHW, or [batch, features]).</summary>
    public static void BiasActivation<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> bias, Activation activation, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BiasActivation<T>(x, shape, bias, activation, 1, destination);

    /// <summary><c>y = act(x + bias[c])</c>, c the index along <paramref name="channelAxis"/>.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input, contiguous in C order with <paramref name="shape"/>.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="bias">One value per channel.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="channelAxis">The channel axis (1 for NCHW and [batch, features], −1 for NHWC).</param>
    /// <exception cref="ArgumentException">The shape does not match x, the bias length is not the channel count, or an output is too short or overlaps.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static void BiasActivation<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> bias, Activation activation, int channelAxis, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ChannelLayout layout = Resolve(x.Length, shape, bias.Length, channelAxis);
        Elementwise.CheckDestination(x, destination, nameof(x), nameof(destination));
        if (x.IsEmpty)
        {
            return;
        }
        CheckElementwise(activation);
        activation.Validate<T>();
        fixed (T* px = x)
        fixed (T* pb = bias)
        fixed (T* py = destination)
        {
            bool stream = px != py && (long)x.Length * 2 * sizeof(T) >= Elementwise.NonTemporalThresholdBytes;
            if (layout.Inner >= RunThreshold && PiecewiseForward.TryRun(layout, px, pb, py, activation, stream))
            {
                return;
            }
            var work = new Work<T>(layout, px, pb, null, py, activation, null, stream);
            RunSlices(x.Length, 2 * sizeof(T), work);
        }
    }

    /// <summary>The backward of the fused bias + activation with the channels on axis 1 (NCHW, or [batch, features]).</summary>
    public static void BiasActivationBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> bias, ReadOnlySpan<T> gradOutput, Activation activation, Span<T> gradInput, Span<T> gradBias)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BiasActivationBackward<T>(x, shape, bias, gradOutput, activation, 1, gradInput, gradBias);

    /// <summary>The backward of <see cref="BiasActivation{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, ReadOnlySpan{T}, Activation, int, Span{T})"/>: <c>dx = act'(x + bias[c])·g</c> and
    /// <c>dBias[c] = Σ dx</c> over every axis but the channel axis (summed in double).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input (before the bias).</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="bias">The bias used in the forward pass.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="gradInput">Receives dL/dx; may alias x or gradOutput exactly.</param>
    /// <param name="gradBias">Receives dL/dbias, one value per channel.</param>
    /// <param name="channelAxis">The channel axis.</param>
    public static void BiasActivationBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> bias, ReadOnlySpan<T> gradOutput, Activation activation, int channelAxis, Span<T> gradInput, Span<T> gradBias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ChannelLayout layout = Resolve(x.Length, shape, bias.Length, channelAxis);
        if (gradOutput.Length != x.Length)
        {
            ThrowHelper.LengthMismatch(nameof(gradOutput), x.Length, gradOutput.Length);
        }
        Elementwise.CheckDestination(x, gradInput, nameof(x), nameof(gradInput));
        Elementwise.CheckDestination(gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
        if (gradBias.Length < bias.Length)
        {
            ThrowHelper.Argument(nameof(gradBias), $"gradBias has {gradBias.Length} elements but there are {bias.Length} channels.");
        }
        CheckElementwise(activation);
        activation.ValidateBackward<T>();
        if (!x.IsEmpty && layout.Inner >= RunThreshold)
        {
            var runSums = new double[layout.Outer * layout.Channels];
            bool done;
            fixed (T* px = x)
            fixed (T* pb = bias)
            fixed (T* pg = gradOutput)
            fixed (T* pd = gradInput)
            fixed (double* ps = runSums)
            {
                bool stream = px != pd && pg != pd && (long)x.Length * 3 * sizeof(T) >= Elementwise.NonTemporalThresholdBytes;
                done = PiecewiseBackward.TryRun(layout, px, pb, pg, pd, ps, activation, stream);
            }
            if (done)
            {
                for (int c = 0; c < layout.Channels; c++)
                {
                    double sum = 0;
                    for (long o = 0; o < layout.Outer; o++)
                    {
                        sum += runSums[o * layout.Channels + c];
                    }
                    gradBias[c] = T.CreateTruncating(sum);
                }
                return;
            }
        }
        int channels = bias.Length;
        int slices = SliceCount(x.Length);
        var partial = new double[slices * channels];
        if (!x.IsEmpty)
        {
            fixed (T* px = x)
            fixed (T* pb = bias)
            fixed (T* pg = gradOutput)
            fixed (T* pd = gradInput)
            fixed (double* pp = partial)
            {
                bool stream = px != pd && pg != pd && (long)x.Length * 3 * sizeof(T) >= Elementwise.NonTemporalThresholdBytes;
                var work = new Work<T>(layout, px, pb, pg, pd, activation, pp, stream);
                RunSlices(x.Length, 3 * sizeof(T), work);
            }
        }
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int s = 0; s < slices; s++)
            {
                sum += partial[s * channels + c];
            }
            gradBias[c] = T.CreateTruncating(sum);
        }
    }

    private static ChannelLayout Resolve(int length, ReadOnlySpan<nint> shape, int biasLength, int channelAxis)
    {
        if (shape.Length < 2)
        {
            ThrowHelper.Argument(nameof(shape), $"Bias needs a channel axis: the shape has rank {shape.Length}; use [batch, features] or [N, C, …].");
        }
        ChannelLayout layout = ChannelLayout.Create(shape, channelAxis);
        if (layout.Length != length)
        {
            ThrowHelper.Argument(nameof(shape), $"The shape holds {layout.Length} elements but x has {length}.");
        }
        if (biasLength != layout.Channels)
        {
            ThrowHelper.Argument("bias", $"bias has {biasLength} values but axis {layout.Axis} has {layout.Channels} channels.");
        }
        return layout;
    }

    private static int SliceCount(int n) => (int)Math.Clamp((n + (long)Tile - 1) / Tile, 1, MaxSlices);

    /// <summary>Slices are fixed by n; the pool takes them as units of work.</summary>
    private static void RunSlices<T>(int n, long bytesPerElement, Work<T> work) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int slices = SliceCount(n);
        ParallelRunner.For(slices, (long)Math.Ceiling((double)n / slices) * bytesPerElement, new SliceBody<T>(work, n, slices), granule: 1);
    }

    private readonly struct SliceBody<T>(Work<T> work, int n, int slices) : IRangeBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(nint start, nint end)
        {
            for (nint s = start; s < end; s++)
            {
                long from = (long)n * s / slices, to = (long)n * (s + 1) / slices;
                work.Slice((int)s, from, to);
            }
        }
    }

    private static void CheckElementwise(Activation activation)
    {
        if (!activation.IsElementwise)
        {
            ThrowHelper.Argument(nameof(activation), $"{activation.Name} normalises along an axis, so it cannot be fused with a per-channel bias: add the bias, then call Activations.{activation.Kind}.");
        }
    }

    /// <summary>The piecewise-linear activations on long channel runs (NCHW) in float or double: y = op(x + b) in one
    /// vector pass of the element-wise driver per run, with the bias folded into the operator, so x + b never
    /// exists even in cache. x + b is rounded to the element type before op sees it, exactly as in the separate calls;
    /// Half keeps the tile path (its sum is rounded to Half, which the float operator would skip).</summary>
    private static class PiecewiseForward
    {
        public static bool TryRun<T>(ChannelLayout layout, T* x, T* bias, T* y, Activation a, bool stream) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var visitor = new Visitor<T>(layout, x, bias, y, stream);
            return Operators.Piecewise.TryVisit<T, Visitor<T>>(a, ref visitor);
        }

        private readonly struct Visitor<T>(ChannelLayout layout, T* x, T* bias, T* y, bool stream) : Operators.IPiecewiseVisitor<T>
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            public bool Visit<TOp>(TOp op) where TOp : struct, Operators.IUnaryOperator<T>
            {
                long runs = layout.Outer * layout.Channels;
                ParallelRunner.For((nint)runs, layout.Inner * 2 * sizeof(T), new RunsBody<T, TOp>(x, bias, y, op, layout.Channels, layout.Inner, stream), granule: 1);
                return true;
            }
        }

        private readonly struct RunsBody<T, TOp>(T* x, T* bias, T* y, TOp op, int channels, long inner, bool stream) : IRangeBody
            where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, Operators.IUnaryOperator<T>
        {
            public void Run(nint start, nint end)
            {
                for (nint r = start; r < end; r++)
                {
                    var kernel = new UnaryKernel<T, BiasOperator<T, TOp>>(x, new BiasOperator<T, TOp>(op, bias[r % channels]));
                    ElementwiseDriver.Run(kernel, y, (nint)(r * inner), (nint)((r + 1) * inner), stream);
                }
            }
        }
    }

    /// <summary>The backward of the piecewise-linear family on channel runs (float, double): dx = op'(x + b)·g written
    /// by the element-wise driver a cache-hot block at a time, and the run's sum of dx taken from that block by
    /// <see cref="OrderedSum"/>, so the bias gradient has the same bits on every leg and thread count.</summary>
    private static class PiecewiseBackward
    {
        public static bool TryRun<T>(ChannelLayout layout, T* x, T* bias, T* g, T* dx, double* runSums, Activation a, bool stream) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var visitor = new Visitor<T>(layout, x, bias, g, dx, runSums, stream);
            return Operators.Piecewise.TryVisitBackward<T, Visitor<T>>(a, ref visitor);
        }

        private readonly struct Visitor<T>(ChannelLayout layout, T* x, T* bias, T* g, T* dx, double* runSums, bool stream) : Operators.IPiecewiseBackwardVisitor<T>
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            public bool Visit<TOp>(TOp op) where TOp : struct, Operators.IBinaryOperator<T> => Run(layout, x, bias, g, dx, runSums, op, stream);
        }

        private static bool Run<T, TOp>(ChannelLayout layout, T* x, T* bias, T* g, T* dx, double* runSums, TOp op, bool stream)
            where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, Operators.IBinaryOperator<T>
        {
            long runs = layout.Outer * layout.Channels;
            ParallelRunner.For((nint)runs, layout.Inner * 3 * sizeof(T), new Body<T, TOp>(x, bias, g, dx, runSums, op, layout.Channels, layout.Inner, stream), granule: 1);
            return true;
        }

        private readonly struct Body<T, TOp>(T* x, T* bias, T* g, T* dx, double* runSums, TOp op, int channels, long inner, bool stream) : IRangeBody
            where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, Operators.IBinaryOperator<T>
        {
            public void Run(nint start, nint end)
            {
                for (nint r = start; r < end; r++)
                {
                    runSums[r] = RunOne(x + r * inner, g + r * inner, dx + r * inner, bias[r % channels]);
                }
                if (stream && System.Runtime.Intrinsics.X86.Sse.IsSupported)
                {
                    System.Runtime.Intrinsics.X86.Sse.StoreFence();
                }
            }

            private double RunOne(T* xr, T* gr, T* dr, T b)
            {
                if (Vector512.IsHardwareAccelerated)
                {
                    return RunOne<Sum512>(xr, gr, dr, b);
                }
                if (Vector256.IsHardwareAccelerated)
                {
                    return RunOne<Sum256>(xr, gr, dr, b);
                }
                if (Vector128.IsHardwareAccelerated)
                {
                    return RunOne<Sum128>(xr, gr, dr, b);
                }
                return RunOne<SumScalar>(xr, gr, dr, b);
            }

            /// <summary>One run: blocks of dx computed by the element-wise driver and summed while in L1 (when the pass
            /// streams past the cache, each block is computed into a stack buffer, summed there and then streamed out).</summary>
            private double RunOne<TSum>(T* xr, T* gr, T* dr, T b) where TSum : struct, IOrderedSum<TSum>
            {
                // small blocks while in cache (each is summed straight after it is written: measured best at 128 on
                // every leg); large ones when streaming, so that the store fence after each block is amortised
                int block = stream ? 2048 : 128;
                var kernel = new BinaryKernel<T, BiasBackwardOperator<T, TOp>>(xr, gr, new BiasBackwardOperator<T, TOp>(op, b));
                T* buffer = stackalloc T[stream ? 2048 : 0];
                nint whole = (nint)(inner & ~(long)(OrderedSum.Chunk - 1));
                TSum acc = default;
                for (nint i = 0; i < whole; i += block)
                {
                    nint end = Math.Min(whole, i + block);
                    // the driver writes element j at target + j: when streaming, the buffer stands in for dr[i, end)
                    T* target = stream ? buffer - i : dr;
                    ElementwiseDriver.Run(kernel, target, i, end, nonTemporal: false);
                    for (nint j = i; j < end; j += OrderedSum.Chunk)
                    {
                        acc = TSum.Add(acc, target + j);
                    }
                    if (stream)
                    {
                        ElementwiseDriver.Run(new UnaryKernel<T, Operators.IdentityOperator<T>>(target, default), dr, i, end, nonTemporal: true);
                    }
                }
                double sum = TSum.Total(acc);
                for (nint i = whole; i < (nint)inner; i++)
                {
                    T d = kernel.At(i);
                    dr[i] = d;
                    sum += double.CreateTruncating(d);
                }
                return sum;
            }
        }
    }

    /// <summary>op'(x + b, g): the sum rounded to T, then the backward operator, at every width.</summary>
    private readonly struct BiasBackwardOperator<T, TOp>(TOp op, T b) : Operators.IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, Operators.IBinaryOperator<T>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x, T g) => op.Invoke(x + b, g);
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public Vector128<T> Invoke(Vector128<T> x, Vector128<T> g) => op.Invoke(x + Vector128.Create(b), g);
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Invoke(Vector256<T> x, Vector256<T> g) => op.Invoke(x + Vector256.Create(b), g);
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public Vector512<T> Invoke(Vector512<T> x, Vector512<T> g) => op.Invoke(x + Vector512.Create(b), g);
    }

    /// <summary>op(x + b): the sum rounded to T, then the operator, at every width.</summary>
    private readonly struct BiasOperator<T, TOp>(TOp op, T b) : Operators.IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, Operators.IUnaryOperator<T>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public T Invoke(T x) => op.Invoke(x + b);
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public Vector128<T> Invoke(Vector128<T> x) => op.Invoke(x + Vector128.Create(b));
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public Vector256<T> Invoke(Vector256<T> x) => op.Invoke(x + Vector256.Create(b));
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        public Vector512<T> Invoke(Vector512<T> x) => op.Invoke(x + Vector512.Create(b));
    }

    /// <summary>Below this run length (NHWC and other channel-last layouts) the bias is added from a materialised
    /// period of C·inner values instead of run by run.</summary>
    private const int RunThreshold = 64;

    /// <summary>Copies a finished tile to its destination, bypassing the cache when the whole pass outgrows it (the
    /// tile itself was computed in cache), through the element-wise driver's streaming loop.</summary>
    private static void Store<T>(ReadOnlySpan<T> tile, T* dst, bool stream) where T : unmanaged
    {
        if (!stream || (nint)dst % sizeof(T) != 0)
        {
            tile.CopyTo(new Span<T>(dst, tile.Length));
            return;
        }
        fixed (T* src = tile)
        {
            if (sizeof(T) == 2)
            {
                // Half has no vector type: its bits are moved as 16-bit integers
                ElementwiseDriver.Run(new UnaryKernel<ushort, Operators.IdentityOperator<ushort>>((ushort*)src, default), (ushort*)dst, 0, tile.Length, nonTemporal: true);
            }
            else
            {
                ElementwiseDriver.Run(new UnaryKernel<T, Operators.IdentityOperator<T>>(src, default), dst, 0, tile.Length, nonTemporal: true);
            }
        }
    }

    private readonly struct Work<T>(ChannelLayout layout, T* x, T* bias, T* g, T* dst, Activation activation, double* partial, bool stream) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Slice(int slice, long from, long to)
        {
            long inner = layout.Inner;
            int channels = layout.Channels;
            bool runs = inner >= RunThreshold;
            int period = runs ? 0 : (int)(channels * inner);
            T[] pattern = runs ? [] : new T[period];
            for (int k = 0; k < period; k++)
            {
                pattern[k] = bias[k / inner];
            }
            ChannelWalk walk = runs ? ChannelWalk.Runs(layout) : ChannelWalk.Periods(layout, period);
            T[] z = new T[Tile], d = g == null ? [] : new T[Tile];
            double[] wide = new double[Tile];
            double[] periodSums = g == null || runs ? [] : new double[period];
            double* sums = partial == null ? null : partial + (long)slice * channels;
            using (Parallelism.Scope(1))
            {
                for (long t = from; t < to; t += Tile)
                {
                    int len = (int)Math.Min(Tile, to - t);
                    Span<T> zt = z.AsSpan(0, len);
                    // z = x + bias[c], rounded to T as a separate bias-add pass would round it
                    foreach (ChannelSegment seg in walk.Segments((nint)t, (nint)(t + len)))
                    {
                        var xs = new ReadOnlySpan<T>(x + seg.Start, (int)seg.Length);
                        Span<T> zs = zt.Slice((int)(seg.Start - t), (int)seg.Length);
                        if (runs)
                        {
                            TensorPrimitives.Add(xs, bias[seg.Channel], zs);
                        }
                        else
                        {
                            TensorPrimitives.Add(xs, pattern.AsSpan((int)seg.Offset, (int)seg.Length), zs);
                        }
                    }
                    if (g == null)
                    {
                        activation.Forward<T>(zt, zt);
                        Store<T>(zt, dst + t, stream);
                        continue;
                    }
                    Span<T> dt = d.AsSpan(0, len);
                    activation.Backward<T>(zt, new ReadOnlySpan<T>(g + t, len), dt);
                    Span<double> dx = wide.AsSpan(0, len);
                    if (!runs)
                    {
                        Widen(dt, dx);
                    }
                    foreach (ChannelSegment seg in walk.Segments((nint)t, (nint)(t + len)))
                    {
                        if (runs)
                        {
                            sums[seg.Channel] += OrderedSum.Of<T>(dt.Slice((int)(seg.Start - t), (int)seg.Length));
                        }
                        else
                        {
                            Span<double> acc = periodSums.AsSpan((int)seg.Offset, (int)seg.Length);
                            TensorPrimitives.Add(acc, dx.Slice((int)(seg.Start - t), (int)seg.Length), acc);
                        }
                    }
                    Store<T>(dt, dst + t, stream);
                }
            }
            if (stream && System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                System.Runtime.Intrinsics.X86.Sse.StoreFence();
            }
            for (int k = 0; k < periodSums.Length; k++)
            {
                sums[k / inner] += periodSums[k];
            }
        }

        /// <summary>dst = (double)src: a copy for double, four floats a step on any accelerated width (TensorPrimitives'
        /// generic conversion is element by element), Half one by one.</summary>
        private static void Widen(ReadOnlySpan<T> src, Span<double> dst)
        {
            if (typeof(T) == typeof(double))
            {
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, double>(src).CopyTo(dst);
                return;
            }
            int i = 0;
            if (typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated)
            {
                fixed (T* ps = src)
                fixed (double* pd = dst)
                {
                    for (; i + 4 <= src.Length; i += 4)
                    {
                        (Vector128<double> lo, Vector128<double> hi) = Vector128.Widen(Vector128.Load((float*)ps + i));
                        lo.Store(pd + i);
                        hi.Store(pd + i + 2);
                    }
                }
            }
            for (; i < src.Length; i++)
            {
                dst[i] = double.CreateTruncating(src[i]);
            }
        }
    }
}
