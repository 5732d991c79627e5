using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier.Diagnostics;

/// <summary>Counts, over any number of batches, how often each unit (a feature of a [batch, features] activation,
/// or a channel of an [N, C, …] one on any axis) is active, without keeping the data: the dying-ReLU monitor.
/// A unit is active on an element whose value is greater than <see cref="Threshold"/> (0 by default; NaN is
/// never active). A unit never active over everything observed is dead.</summary>
/// <remarks>Not thread-safe: observe from one thread at a time (each observation is itself vectorised).</remarks>
public sealed class DeadUnitMonitor
{
    private readonly long[] _active;
    private readonly long[] _total;

    /// <summary>A monitor of <paramref name="units"/> units.</summary>
    /// <param name="units">The number of units (features or channels).</param>
    /// <param name="threshold">A value above which a unit counts as active.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="units"/> is negative or <paramref name="threshold"/> is NaN.</exception>
    public DeadUnitMonitor(int units, double threshold = 0.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(units);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "'threshold' must not be NaN.");
        }
        _active = new long[units];
        _total = new long[units];
        Threshold = threshold;
    }

    /// <summary>The number of units.</summary>
    public int Units => _active.Length;

    /// <summary>The activity threshold.</summary>
    public double Threshold { get; }

    /// <summary>Per unit, how many observed elements were active.</summary>
    public ReadOnlySpan<long> ActiveCounts => _active;

    /// <summary>Per unit, how many elements were observed.</summary>
    public ReadOnlySpan<long> ObservedCounts => _total;

    /// <summary>Observes one batch held in a tensor view (dense, or strided: then staged through a dense copy), units
    /// on <paramref name="axis"/> of its shape: the counts of <see cref="Observe{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, int)"/>.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="activations">The batch, rank ≥ 2.</param>
    /// <param name="axis">The unit axis (1 for [batch, features] and NCHW, −1 for NHWC).</param>
    /// <exception cref="ArgumentException">The rank is below 2, or the unit axis has a different size than <see cref="Units"/>.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "A tensor view against a span and its shape: no call with the axis omitted binds to both.")]
    public void Observe<T>(in ReadOnlyTensorSpan<T> activations, int axis = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stage = new Kernels.TensorStage<T>();
        Observe(stage.Input(activations, nameof(activations)), activations.Lengths, axis);
    }

    /// <summary>Observes one batch of activations laid out as <paramref name="shape"/> (rank ≥ 2) with units on
    /// <paramref name="axis"/> (negative counts from the end).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="activations">The batch, contiguous in C order.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="axis">The unit axis (1 for [batch, features] and NCHW, −1 for NHWC).</param>
    /// <exception cref="ArgumentException">The shape does not match the data, or its unit axis has a different size than <see cref="Units"/>.</exception>
    public void Observe<T>(ReadOnlySpan<T> activations, ReadOnlySpan<nint> shape, int axis = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException($"A batch needs at least two dimensions (batch and units); got rank {shape.Length}.", nameof(shape));
        }
        ChannelLayout layout = ChannelLayout.Create(shape, axis);
        if (layout.Length != activations.Length)
        {
            throw new ArgumentException($"Shape holds {layout.Length} elements but the data has {activations.Length}.", nameof(shape));
        }
        Observe(activations, layout);
    }

    /// <summary>Computes y = <paramref name="activation"/>(x) into <paramref name="destination"/> and observes y in
    /// the same pass: the data is taken in cache-sized blocks, each computed and counted while it is in cache, so the
    /// activations are read from memory once. y is bitwise what <see cref="Activation.Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, Span{T})"/> gives and the counts
    /// are what <see cref="Observe{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, int)"/> of y would add, whatever the
    /// thread count or vector width.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The batch of pre-activations, contiguous in C order.</param>
    /// <param name="shape">Its dimensions (rank ≥ 2).</param>
    /// <param name="activation">The activation to apply.</param>
    /// <param name="axis">The unit axis (1 for [batch, features] and NCHW, -1 for NHWC).</param>
    /// <param name="destination">Receives y; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">The shape does not match the data or the monitor's units, or
    /// <paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An activation parameter is invalid, or <paramref name="axis"/> is not an axis.</exception>
    public unsafe void ObserveForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Activation activation, int axis, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException($"A batch needs at least two dimensions (batch and units); got rank {shape.Length}.", nameof(shape));
        }
        ChannelLayout layout = ChannelLayout.Create(shape, axis);
        if (layout.Length != x.Length)
        {
            throw new ArgumentException($"Shape holds {layout.Length} elements but the data has {x.Length}.", nameof(shape));
        }
        if (layout.Channels != Units)
        {
            throw new ArgumentException($"The data has {layout.Channels} units on its unit axis but the monitor watches {Units}.", nameof(shape));
        }
        Elementwise.CheckDestination(x, destination, nameof(x), nameof(destination));
        if (x.IsEmpty)
        {
            return;
        }
        if (!activation.IsElementwise)
        {
            // softmax and its kin need whole rows along their dim: computed first, then observed.
            activation.Forward<T>(x, shape, destination);
            Observe<T>(destination[..x.Length], shape, axis);
            return;
        }
        // Parameters are checked before anything is counted.
        Span<T> probe = stackalloc T[1];
        activation.Forward<T>(x[..1], probe);
        T threshold = T.CreateTruncating(Threshold);
        int units = Units;
        int inner = checked((int)layout.Inner);
        // Blocks of about 16 KB: whole rows ([batch, units]) or segments of runs (unit axis before the last).
        int blockElements = BlockBytes / sizeof(T);
        int segment = inner == 1 ? Math.Max(1, blockElements / units) * units : Math.Min(inner, blockElements);
        int perRun = inner == 1 ? 1 : (inner + segment - 1) / segment;
        long blocks = inner == 1 ? (x.Length + segment - 1) / segment : x.Length / inner * perRun;
        int parts = (int)Math.Clamp(Math.Min(Parallelism.CurrentDegree, blocks), 1, 64);
        var counters = new long[parts][];
        var rowCounters = new CountKernels.RowCounters[inner == 1 ? parts : 0];
        for (int k = 0; k < parts; k++)
        {
            counters[k] = new long[units];
            if (inner == 1)
            {
                rowCounters[k] = new CountKernels.RowCounters(units, typeof(T) == typeof(double));
            }
        }
        fixed (T* px = x, py = destination)
        {
            var body = new ForwardBody<T>(px, py, x.Length, units, inner, segment, perRun, blocks, parts, activation, threshold, counters, rowCounters);
            var piecewise = new PiecewiseForward<T>(body);
            if (!Piecewise.TryVisit<T, PiecewiseForward<T>>(activation, ref piecewise))
            {
                ParallelRunner.For(parts, (long)x.Length * 2 * sizeof(T) / parts, body, granule: 1);
            }
        }
        for (int k = 0; k < rowCounters.Length; k++)
        {
            rowCounters[k].FlushInto(counters[k]);
        }
        AddPartCounts(counters);
        AddTotals(0, units, layout.Outer * layout.Inner);
    }

    /// <summary>Bytes of y per block of <see cref="ObserveForward{T}"/> (measured best of 8, 16 and 32 KB): small enough to stay in L1 between the
    /// activation and the count, large enough that the activation call's fixed cost is small.</summary>
    private const int BlockBytes = 16 * 1024;

    /// <summary>The piecewise-linear activations (float, double): the operator applied and its result counted in
    /// one pass from registers, along runs (<see cref="CountKernels.MapCount{T, TOp}"/>) and across rows
    /// (<see cref="CountKernels.RowCounters.AddMapped{T, TOp}"/>), over the same parts as <see cref="ForwardBody{T}"/>.</summary>
    private readonly unsafe struct PiecewiseForward<T>(ForwardBody<T> body) : IPiecewiseVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool Visit<TOp>(TOp op) where TOp : struct, IUnaryOperator<T>
        {
            ParallelRunner.For(body.Parts, (long)body.Length * 2 * sizeof(T) / body.Parts, new PiecewiseBody<T, TOp>(body, op), granule: 1);
            return true;
        }
    }

    private readonly unsafe struct PiecewiseBody<T, TOp>(ForwardBody<T> b, TOp op) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOperator<T>
    {
        public void Run(nint start, nint end)
        {
            for (nint part = start; part < end; part++)
            {
                var (b0, b1) = b.Blocks(part);
                if (b.Inner == 1)
                {
                    // Whole rows: the part's blocks are one range of rows.
                    long first = b0 * b.SegmentLength, last = Math.Min(b1 * b.SegmentLength, b.Length);
                    if (last > first)
                    {
                        b.RowCounters[part].AddMapped(op, b.X + first, b.Y + first, (int)((last - first) / b.Units), b.Threshold);
                    }
                    continue;
                }
                long[] c = b.Counters[part];
                for (long k = b0; k < b1; k++)
                {
                    var (unit, at, count) = b.Segment(k);
                    c[unit] += CountKernels.MapCount(op, b.X + at, b.Y + at, count, b.Threshold);
                }
            }
        }
    }

    /// <summary>Any activation: each block (whole rows, or a segment of one run) computed by the activation's own
    /// span call, then counted while it is in L1.</summary>
    private readonly unsafe struct ForwardBody<T>(T* x, T* y, int length, int units, int inner, int segment, int perRun, long blocks, int parts,
        Activation activation, T threshold, long[][] counters, CountKernels.RowCounters[] rowCounters) : IRangeBody where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* X => x;
        public T* Y => y;
        public int Length => length;
        public int Units => units;
        public int Inner => inner;
        public int SegmentLength => segment;
        public int Parts => parts;
        public T Threshold => threshold;
        public long[][] Counters => counters;
        public CountKernels.RowCounters[] RowCounters => rowCounters;

        /// <summary>Part k takes blocks [k·blocks/parts, (k+1)·blocks/parts): fixed by the part count, not by timing.</summary>
        public (long First, long End) Blocks(nint part) => (blocks * part / parts, blocks * (part + 1) / parts);

        /// <summary>Block b of a layout with runs (inner &gt; 1): a segment of one run, all of one unit.</summary>
        public (int Unit, long At, int Count) Segment(long b)
        {
            long run = b / perRun;
            int offset = (int)(b % perRun) * segment;
            return ((int)(run % units), run * inner + offset, Math.Min(segment, inner - offset));
        }

        public void Run(nint start, nint end)
        {
            using var one = Parallelism.Scope(1);
            for (nint part = start; part < end; part++)
            {
                var (b0, b1) = Blocks(part);
                long[] c = counters[part];
                for (long b = b0; b < b1; b++)
                {
                    if (inner == 1)
                    {
                        long first = b * segment;
                        int n = (int)Math.Min(segment, length - first);
                        activation.Forward<T>(new ReadOnlySpan<T>(x + first, n), new Span<T>(y + first, n));
                        rowCounters[part].Add(new ReadOnlySpan<T>(y + first, n), n / units, threshold);
                        continue;
                    }
                    var (unit, at, count) = Segment(b);
                    activation.Forward<T>(new ReadOnlySpan<T>(x + at, count), new Span<T>(y + at, count));
                    c[unit] += CountKernels.CountAbove(new ReadOnlySpan<T>(y + at, count), threshold);
                }
            }
        }
    }

    /// <summary>Observes data laid out as [outer, units, inner] (see <see cref="ChannelLayout"/>).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="activations">The data.</param>
    /// <param name="layout">Its layout; its channel count must be <see cref="Units"/>.</param>
    public void Observe<T>(ReadOnlySpan<T> activations, ChannelLayout layout) where T : unmanaged, IFloatingPointIeee754<T>
        => ObserveRange(activations, layout.Channels, layout.Inner, 0);

    /// <summary>Observes a piece of a larger tensor: whole [units, inner] blocks, or a run of consecutive units
    /// starting at <paramref name="firstUnit"/> within one block (how a file larger than memory is streamed).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="activations">The piece: a whole number of inner runs.</param>
    /// <param name="units">The size of the unit axis of the full tensor.</param>
    /// <param name="inner">The product of the dimensions after the unit axis.</param>
    /// <param name="firstUnit">The unit of the piece's first element.</param>
    public unsafe void ObserveRange<T>(ReadOnlySpan<T> activations, int units, long inner, int firstUnit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (units != Units)
        {
            throw new ArgumentException($"The data has {units} units on its unit axis but the monitor watches {Units}.", nameof(units));
        }
        if (inner <= 0 || activations.Length % inner != 0)
        {
            throw new ArgumentException($"The piece ({activations.Length} elements) is not a whole number of runs of {inner}.", nameof(inner));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(firstUnit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstUnit, Math.Max(1, units));
        if (activations.IsEmpty)
        {
            return;
        }
        T threshold = T.CreateTruncating(Threshold);
        fixed (T* p = activations)
        {
            if (inner == 1)
            {
                ObserveRows(p, activations.Length, units, firstUnit, threshold);
            }
            else
            {
                ObserveRuns(p, activations.Length, units, (int)inner, firstUnit, threshold);
            }
        }
    }

    /// <summary>[batch, units] data from <paramref name="unit"/> on: a partial first row, whole rows (split across
    /// threads, each with its own counters), a partial last row.</summary>
    private unsafe void ObserveRows<T>(T* p, int length, int units, int unit, T threshold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (unit != 0)
        {
            int run = Math.Min(units - unit, length);
            CountKernels.AddRows(new ReadOnlySpan<T>(p, run), 1, run, threshold, _active.AsSpan(unit, run));
            AddTotals(unit, run, 1);
            i = run;
        }
        int rows = (length - i) / units;
        if (rows > 0)
        {
            int parts = Math.Clamp(Math.Min(Parallelism.CurrentDegree, rows), 1, 64);
            var counters = new long[parts][];
            for (int k = 0; k < parts; k++)
            {
                counters[k] = parts == 1 ? _active : new long[units];
            }
            ParallelRunner.For(parts, (long)rows * units * sizeof(T) / parts, new RowsBody<T>(p + i, rows, units, parts, threshold, counters), granule: 1);
            AddPartCounts(counters);
            AddTotals(0, units, rows);
            i += rows * units;
        }
        if (i < length)
        {
            int rest = length - i;
            CountKernels.AddRows(new ReadOnlySpan<T>(p + i, rest), 1, rest, threshold, _active.AsSpan(0, rest));
            AddTotals(0, rest, 1);
        }
    }

    /// <summary>Runs of <paramref name="inner"/> elements of one unit each, in order from <paramref name="unit"/>:
    /// each run counted on its own (in parallel over chunks of runs), then added to its unit.</summary>
    private unsafe void ObserveRuns<T>(T* p, int length, int units, int inner, int unit, T threshold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int runs = length / inner;
        int chunk = Math.Min(runs, 1 << 16);
        var counts = new long[chunk];
        for (int r0 = 0; r0 < runs; r0 += chunk)
        {
            int n = Math.Min(chunk, runs - r0);
            fixed (long* c = counts)
            {
                ParallelRunner.For(n, (long)inner * sizeof(T), new RunsBody<T>(p + (long)r0 * inner, inner, threshold, c), granule: 1);
            }
            for (int r = 0; r < n; r++)
            {
                _active[unit] += counts[r];
                _total[unit] += inner;
                unit = unit + 1 == units ? 0 : unit + 1;
            }
        }
    }

    /// <summary>Adds each thread's counters to the monitor's, in part order (a part that counted into the monitor's
    /// own array directly is skipped).</summary>
    private void AddPartCounts(long[][] counters)
    {
        foreach (long[] c in counters)
        {
            if (ReferenceEquals(c, _active))
            {
                continue;
            }
            for (int u = 0; u < c.Length; u++)
            {
                _active[u] += c[u];
            }
        }
    }

    private void AddTotals(int first, int count, long observations)
    {
        for (int u = first; u < first + count; u++)
        {
            _total[u] += observations;
        }
    }

    private readonly unsafe struct RowsBody<T>(T* p, int rows, int units, int parts, T threshold, long[][] counters) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(nint start, nint end)
        {
            for (nint part = start; part < end; part++)
            {
                // Part k takes rows [k·rows/parts, (k+1)·rows/parts): fixed by the part count, not by timing.
                int r0 = (int)((long)rows * part / parts), r1 = (int)((long)rows * (part + 1) / parts);
                CountKernels.AddRows(new ReadOnlySpan<T>(p + (long)r0 * units, (r1 - r0) * units), r1 - r0, units, threshold, counters[part]);
            }
        }
    }

    private readonly unsafe struct RunsBody<T>(T* p, int inner, T threshold, long* counts) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(nint start, nint end)
        {
            for (nint r = start; r < end; r++)
            {
                counts[r] = CountKernels.CountAbove(new ReadOnlySpan<T>(p + r * inner, inner), threshold);
            }
        }
    }

    /// <summary>Observes consecutive elements that all belong to one unit (a piece of a run too long to hold at once).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="values">The elements.</param>
    /// <param name="unit">Their unit.</param>
    public void ObserveUnit<T>(ReadOnlySpan<T> values, int unit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unit);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unit, Units);
        _active[unit] += CountKernels.CountAbove(values, T.CreateTruncating(Threshold));
        _total[unit] += values.Length;
    }

    /// <summary>Clears every counter.</summary>
    public void Reset()
    {
        Array.Clear(_active);
        Array.Clear(_total);
    }

    /// <summary>The report: dead units, their fraction and a histogram of activation rates.</summary>
    /// <param name="bins">Histogram bins over [0, 1].</param>
    public DeadUnitReport Report(int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var rates = new double[Units];
        var dead = new List<int>();
        var histogram = new int[bins];
        for (int u = 0; u < Units; u++)
        {
            rates[u] = _total[u] == 0 ? 0 : (double)_active[u] / _total[u];
            if (_total[u] == 0)
            {
                continue;   // never observed: neither dead nor in any bin
            }
            if (_active[u] == 0)
            {
                dead.Add(u);
            }
            int bin = Math.Min(bins - 1, (int)(rates[u] * bins));
            histogram[bin]++;
        }
        return new DeadUnitReport(Units, Threshold, _total.Length == 0 ? 0 : _total.Min(), [.. dead], rates, histogram);
    }
}

/// <summary>What a <see cref="DeadUnitMonitor"/> saw.</summary>
/// <param name="Units">The number of units.</param>
/// <param name="Threshold">The activity threshold.</param>
/// <param name="Observations">The fewest elements observed for any unit.</param>
/// <param name="DeadUnits">The units never active, in order.</param>
/// <param name="ActivationRates">Per unit, the fraction of its observed elements that were active (0 for a unit never observed).</param>
/// <param name="Histogram">How many observed units have an activation rate in each of equal bins over [0, 1] (the last
/// bin includes 1); all zero when nothing was observed.</param>
public sealed record DeadUnitReport(int Units, double Threshold, long Observations, int[] DeadUnits, double[] ActivationRates, int[] Histogram)
{
    /// <summary>The fraction of units that are dead (0 with no units).</summary>
    public double DeadFraction => Units == 0 ? 0 : (double)DeadUnits.Length / Units;

    /// <summary>A one-line summary: <c>3 of 64 units dead (4.7%): [0, 5, 17]; 1000 observations per unit, active above 0; histogram [3, 0, …]</c>
    /// (at most 16 dead units listed).</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string dead = string.Join(", ", DeadUnits.Take(16).Select(u => u.ToString(inv)));
        if (DeadUnits.Length > 16)
        {
            dead += string.Create(inv, $", ... ({DeadUnits.Length - 16} more)");
        }
        string histogram = string.Join(", ", Histogram.Select(c => c.ToString(inv)));
        return string.Create(inv, $"{DeadUnits.Length} of {Units} units dead ({DeadFraction * 100:0.0}%): [{dead}]; {Observations} observations per unit, active above {Threshold}; histogram [{histogram}]");
    }
}
