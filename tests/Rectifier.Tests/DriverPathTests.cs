using Rectifier.Kernels;

namespace Rectifier.Tests;

/// <summary>The drivers' large-array paths at small lengths. With the non-temporal threshold and the parallel
/// thresholds lowered to nothing, every out-of-place call stores non-temporally wherever its destination is
/// aligned and is split into parts on every core, so the sweeps of every length, offset and alias (which normally
/// run on one thread with ordinary stores) go through the non-temporal loops, their fence and the partitioner's
/// part arithmetic, and must still give the reference bits and leave the neighbours alone. Each test checks that a
/// worker thread really ran a part. Run alone (the thresholds are process-wide).</summary>
[Collection(nameof(SerialPool))]
public sealed class DriverPathTests
{
    /// <summary>Every length up to a few unrolled 512-bit blocks of double (where the loops' starts, ends and tails
    /// meet), then lengths around the partitioner's 256-element granule and a few parts long.</summary>
    private static readonly int[] Lengths = [.. Enumerable.Range(0, 80), 127, 128, 129, 255, 256, 257, 511, 513, 1000, 4099];

    private static void WithLowThresholds(Action sweep)
    {
        using var low = new LowThresholds();
        Harness.OnAllThreads(() =>
        {
            sweep();
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(CaseNames.PiecewiseData), MemberType = typeof(CaseNames))]
    public void Piecewise_functions_on_non_temporal_split_paths_equal_the_reference(string name)
    {
        WithLowThresholds(() =>
        {
            Sweep(PiecewiseCases.Get<float>(name), name);
            Sweep(PiecewiseCases.Get<double>(name), name);
        });
    }

    private static void Sweep<T>(Case<T> c, string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Harness.SweepLengthsAndOffsets(c.Forward, c.Backward, c.RefForward, c.RefBackward, name, seed: 53, Lengths);
        Harness.SweepOffsets(c.Forward, c.RefForward, name, seed: 59);
        Harness.InPlaceEqualsOutOfPlace(c.Forward, c.Backward, name, seed: 61);
    }

    /// <summary>Heavy operators (one call site, non-temporal stores per vector where aligned) and light ones (the
    /// unrolled loop), unary and binary, with and without parameters: the loops are shared by every smooth function,
    /// so these stand for the family. The reference is the one-element call, which takes the scalar path whatever the
    /// thresholds.</summary>
    public static TheoryData<string> SmoothNames => ["gelu", "silu", "elu_a0.5", "softplus_b8", "hardswish", "sigmoid"];

    [Theory]
    [MemberData(nameof(SmoothNames))]
    public void Smooth_functions_on_non_temporal_split_paths_equal_the_scalar_path(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        WithLowThresholds(() =>
        {
            SmoothSweep<float>(c);
            SmoothSweep<double>(c);
        });
    }

    private static void SmoothSweep<T>(SmoothCase c) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Func<T, T> one = x =>
        {
            var y = new T[1];
            c.Forward<T>([x], y);
            return y[0];
        };
        Func<T, T, T> oneGrad = (x, g) =>
        {
            var d = new T[1];
            c.Backward<T>([x], [g], d);
            return d[0];
        };
        Harness.SweepLengthsAndOffsets<T>(c.Forward, c.Backward, one, oneGrad, c.Name, seed: 67, Lengths);
        Harness.InPlaceEqualsOutOfPlace<T>(c.Forward, c.Backward, c.Name, seed: 71);
    }

    [Theory]
    [MemberData(nameof(MaskTests<float>.Names), MemberType = typeof(MaskTests<float>))]
    public void Masks_on_non_temporal_split_paths_equal_the_plain_calls(string name)
    {
        WithLowThresholds(() =>
        {
            new MaskFloatTests().Mask_forward_and_backward_equal_the_plain_ones_at_every_length_and_offset(name);
            new MaskDoubleTests().Mask_forward_and_backward_equal_the_plain_ones_at_every_length_and_offset(name);
        });
    }

    [Theory]
    [MemberData(nameof(FusedTests<float>.Kinds), MemberType = typeof(FusedTests<float>))]
    public void Fused_bias_on_non_temporal_split_paths_equals_the_separate_calls(int kind)
    {
        WithLowThresholds(() =>
        {
            new FusedFloatTests().Fused_forward_and_backward_equal_the_separate_calls(kind);
            new FusedDoubleTests().Fused_forward_and_backward_equal_the_separate_calls(kind);
        });
    }
}

/// <summary>Lowers the non-temporal and parallel thresholds to nothing for the length of a test (every call of two
/// or more elements is split over all cores and streams where aligned) and restores them after. For tests of the
/// <see cref="SerialPool"/> collection only: the thresholds are process-wide.</summary>
internal sealed class LowThresholds : IDisposable
{
    private readonly long _nonTemporal = Elementwise.NonTemporalThresholdBytes;
    private readonly long _parallel = ParallelRunner.ThresholdBytes;
    private readonly long _part = ParallelRunner.MinBytesPerPart;

    public LowThresholds()
    {
        Elementwise.NonTemporalThresholdBytes = 0;
        ParallelRunner.ThresholdBytes = 0;
        ParallelRunner.MinBytesPerPart = 1;
    }

    public void Dispose()
    {
        Elementwise.NonTemporalThresholdBytes = _nonTemporal;
        ParallelRunner.ThresholdBytes = _parallel;
        ParallelRunner.MinBytesPerPart = _part;
    }
}
