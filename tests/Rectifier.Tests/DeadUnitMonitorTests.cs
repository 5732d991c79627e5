using Rectifier.Diagnostics;

namespace Rectifier.Tests;

public sealed class DeadUnitMonitorTests
{
    [Fact]
    public void Counts_accumulate_over_batches_and_a_unit_that_fires_once_is_not_dead()
    {
        var monitor = new DeadUnitMonitor(4);
        // batch 1: unit 1 never fires, unit 3 fires once; batch 2: unit 1 fires at the threshold only (not above)
        monitor.Observe<float>([1, -1, 0, 5, 2, -3, 0, -1], [2, 4]);
        monitor.Observe<float>([1, 0, float.NaN, -2], [1, 4]);
        DeadUnitReport report = monitor.Report(bins: 4);
        Assert.Equal([1, 2], report.DeadUnits);
        Assert.Equal(0.5, report.DeadFraction);
        Assert.Equal(3, report.Observations);
        Assert.Equal([3L, 0, 0, 1], monitor.ActiveCounts.ToArray());
        Assert.Equal(1.0 / 3, report.ActivationRates[3], 12);
        Assert.Equal([2, 1, 0, 1], report.Histogram);   // rates 1, 0, 0, 1/3
    }

    [Fact]
    public void A_threshold_raises_the_bar_and_channel_layouts_count_per_channel()
    {
        var monitor = new DeadUnitMonitor(2, threshold: 0.5);
        // [N=1, C=2, H·W=3] and [N=1, H·W=3, C=2] hold the same values
        monitor.Observe<double>([0.4, 0.6, 0.1, -1, -2, 0.5], [1, 2, 3]);
        Assert.Equal([1L, 0], monitor.ActiveCounts.ToArray());
        var nhwc = new DeadUnitMonitor(2, threshold: 0.5);
        nhwc.Observe<double>([0.4, -1, 0.6, -2, 0.1, 0.5], [1, 3, 2], axis: -1);
        Assert.Equal(monitor.ActiveCounts.ToArray(), nhwc.ActiveCounts.ToArray());
        Assert.Equal(monitor.ObservedCounts.ToArray(), nhwc.ObservedCounts.ToArray());
    }

    [Fact]
    public void Observing_in_pieces_equals_observing_whole()
    {
        const int outer = 5, units = 7, inner = 300;
        float[] data = Numbers.Random<float>(outer * units * inner, 11, 0.05);
        var whole = new DeadUnitMonitor(units);
        whole.Observe<float>(data, [outer, units, inner]);
        var pieces = new DeadUnitMonitor(units);
        for (int o = 0; o < outer; o++)
        {
            int block = o * units * inner;
            pieces.ObserveRange<float>(data.AsSpan(block, 3 * inner), units, inner, 0);
            pieces.ObserveUnit<float>(data.AsSpan(block + 3 * inner, 100), 3);
            pieces.ObserveUnit<float>(data.AsSpan(block + 3 * inner + 100, inner - 100), 3);
            pieces.ObserveRange<float>(data.AsSpan(block + 4 * inner, 3 * inner), units, inner, 4);
        }
        Assert.Equal(whole.ActiveCounts.ToArray(), pieces.ActiveCounts.ToArray());
        Assert.Equal(whole.ObservedCounts.ToArray(), pieces.ObservedCounts.ToArray());
        int expected = 0;
        for (int i = 0; i < data.Length; i++)
        {
            expected += (i / inner % units) == 2 && data[i] > 0 ? 1 : 0;
        }
        Assert.Equal(expected, whole.ActiveCounts[2]);
    }

    [Fact]
    public void Mismatched_shapes_and_unit_counts_are_refused()
    {
        var monitor = new DeadUnitMonitor(3);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => monitor.Observe<float>(new float[6], [3])).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => monitor.Observe<float>(new float[7], [2, 3])).ParamName);
        Assert.Equal("units", Assert.Throws<ArgumentException>(() => monitor.Observe<float>(new float[8], [2, 4])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeadUnitMonitor(2, double.NaN));
        monitor.Reset();
        Assert.Equal(0, monitor.Report().Observations);
    }
}
