using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

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
    public void ObserveRange<T>(ReadOnlySpan<T> activations, int units, long inner, int firstUnit) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (units != Units)
        {
            throw new ArgumentException($"The data has {units} units on its unit axis but the monitor watches {Units}.", nameof(units));
        }
        if (inner <= 0 || activations.Length % inner != 0)
        {
            throw new ArgumentException($"The piece ({activations.Length} elements) is not a whole number of runs of {inner}.", nameof(inner));
        }
        T threshold = T.CreateTruncating(Threshold);
        int unit = firstUnit;
        if (inner == 1)
        {
            // [batch, units]: add each row's activity into the counters, unit by unit.
            int i = 0;
            while (i < activations.Length)
            {
                int run = Math.Min(units - unit, activations.Length - i);
                AddRow(activations.Slice(i, run), threshold, _active.AsSpan(unit, run), _total.AsSpan(unit, run));
                i += run;
                unit = (unit + run) % units;
            }
            return;
        }
        for (long start = 0; start < activations.Length; start += inner)
        {
            var run = activations.Slice((int)start, (int)inner);
            _active[unit] += CountAbove(run, threshold);
            _total[unit] += inner;
            unit = unit + 1 == units ? 0 : unit + 1;
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
        _active[unit] += CountAbove(values, T.CreateTruncating(Threshold));
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

    private static long CountAbove<T>(ReadOnlySpan<T> data, T threshold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long count = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && data.Length >= Vector256<T>.Count)
        {
            var t = Vector256.Create(threshold);
            for (; i <= data.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                count += BitOperations.PopCount(Vector256.GreaterThan(Vector256.Create<T>(data.Slice(i)), t).ExtractMostSignificantBits());
            }
        }
        for (; i < data.Length; i++)
        {
            if (data[i] > threshold)
            {
                count++;
            }
        }
        return count;
    }

    private static void AddRow<T>(ReadOnlySpan<T> row, T threshold, Span<long> active, Span<long> total) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < row.Length; j++)
        {
            active[j] += row[j] > threshold ? 1 : 0;
            total[j]++;
        }
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
