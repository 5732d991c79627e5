using System.Collections.Concurrent;
using Rectifier.Kernels;

namespace Rectifier.Tests;

/// <summary>The partitioner and the fork-join pool on their own: the parts of a call tile the range exactly once,
/// start on whole granules and number as many as the thresholds and the thread count allow; a failure in any part,
/// the caller's or a worker's, reaches the caller only after every other part has ended, and leaves the pool usable;
/// a call made while the pool is busy runs every part itself.
/// Run alone (the thresholds are process-wide, and "more than one thread" needs the pool to itself).</summary>
[Collection(nameof(SerialPool))]
public sealed class ParallelRunnerTests
{
    private readonly struct Recorder(ConcurrentQueue<(nint Start, nint End, int Thread)> parts) : IRangeBody
    {
        public void Run(nint start, nint end) => parts.Enqueue((start, end, Environment.CurrentManagedThreadId));
    }

    private static List<(nint Start, nint End, int Thread)> Record(nint n, long bytesPerElement, int degree, nint granule = ParallelRunner.Granule)
    {
        var parts = new ConcurrentQueue<(nint, nint, int)>();
        using (Parallelism.Scope(degree))
        {
            ParallelRunner.For(n, bytesPerElement, new Recorder(parts), granule);
        }
        return [.. parts.OrderBy(p => p.Item1)];
    }

    /// <summary>The length of every part but the last: n over the parts, rounded up to a whole granule.</summary>
    private static nint Step(nint n, int parts, nint granule) => (n + parts - 1) / parts + granule - 1 - ((n + parts - 1) / parts + granule - 1) % granule;

    private static void AssertTiles(List<(nint Start, nint End, int Thread)> parts, nint n, nint granule, string what)
    {
        nint next = 0;
        foreach ((nint start, nint end, _) in parts)
        {
            Assert.True(start == next, $"{what}: a part starts at {start}, expected {next} (a gap or an overlap)");
            Assert.True(end > start, $"{what}: an empty part [{start}, {end}) was run");
            Assert.True(start % granule == 0, $"{what}: a part starts at {start}, not a multiple of {granule}");
            next = end;
        }
        Assert.True(next == n, $"{what}: the parts end at {next}, expected {n}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1000)]
    [InlineData(4096)]
    [InlineData(100_003)]
    public void Parts_tile_the_range_on_whole_granules_across_the_threads(int n)
    {
        using var low = new LowThresholds();
        int degree = Math.Max(2, Environment.ProcessorCount);
        List<(nint Start, nint End, int Thread)> parts = Harness.OnAllThreads(() => Record(n, 8, degree));
        AssertTiles(parts, n, ParallelRunner.Granule, $"n={n}");
        // equal parts rounded up to whole granules, as many as the cores allow (the last one may be shorter)
        nint step = Step(n, degree, ParallelRunner.Granule);
        Assert.Equal((int)((n + step - 1) / step), parts.Count);
        if (n > ParallelRunner.Granule)
        {
            Assert.True(parts.Select(p => p.Thread).Distinct().Count() > 1, $"n={n}: every part ran on one thread");
        }
        // a granule of 1 (the mask and count kernels' own granules are the same arithmetic)
        AssertTiles(Record(n, 8, degree, granule: 1), n, 1, $"n={n}, granule 1");
    }

    [Fact]
    public void Below_the_thresholds_one_part_runs_on_the_caller()
    {
        int caller = Environment.CurrentManagedThreadId;
        long bytes = ParallelRunner.ThresholdBytes;
        // just below the footprint threshold: one part, on this thread
        nint below = (nint)(bytes / 8 - 1);
        List<(nint Start, nint End, int Thread)> one = Record(below, 8, Math.Max(2, Environment.ProcessorCount));
        Assert.Equal([(0, below, caller)], one);
        // past it on one thread: still one part
        nint above = (nint)(bytes / 8 * 4);
        Assert.Equal([(0, above, caller)], Record(above, 8, degree: 1));
        // past it, but each part would move less than the minimum: as many parts as fit
        long part = ParallelRunner.MinBytesPerPart;
        try
        {
            ParallelRunner.MinBytesPerPart = bytes;   // the footprint holds exactly one part
            Assert.Single(Record((nint)(bytes / 8), 8, Math.Max(2, Environment.ProcessorCount)));
        }
        finally
        {
            ParallelRunner.MinBytesPerPart = part;
        }
    }

    private sealed class Flag
    {
        public volatile bool Set;
    }

    /// <summary>Fails in the part that holds <c>failAt</c>; the other parts wait a while and then raise the flag, so
    /// a caller that returned before they ended would find it down.</summary>
    private readonly struct Failing(nint failAt, Flag others) : IRangeBody
    {
        public void Run(nint start, nint end)
        {
            if (start <= failAt && failAt < end)
            {
                throw new InvalidOperationException($"part at {start}");
            }
            Thread.Sleep(50);
            others.Set = true;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_failure_in_any_part_reaches_the_caller_after_every_part_has_ended_and_the_pool_stays_usable(bool onWorker)
    {
        using var low = new LowThresholds();
        const int n = 4096;
        int degree = Math.Max(2, Environment.ProcessorCount);
        nint step = Step(n, degree, ParallelRunner.Granule);
        // part 0 runs on the caller, the last part on a worker (the pool is free: this collection runs alone)
        nint failAt = onWorker ? n - 1 : 0;
        var others = new Flag();
        AggregateException e;
        using (Parallelism.Scope(degree))
        {
            e = Assert.Throws<AggregateException>(() => ParallelRunner.For(n, 8, new Failing(failAt, others)));
        }
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal($"part at {(onWorker ? (n - 1) / step * step : 0)}", e.InnerException!.Message);
        Assert.True(others.Set, "the call returned before its other parts had ended");
        // the pool is free again: a call after the failure runs on more than one thread and tiles its range
        AssertTiles(Harness.OnAllThreads(() => Record(n, 8, degree)), n, ParallelRunner.Granule, "after a failure");
    }

    [Fact]
    public void A_call_made_while_the_pool_is_busy_runs_every_part_on_its_own_thread()
    {
        using var low = new LowThresholds();
        int degree = Math.Max(2, Environment.ProcessorCount);
        var inner = new ConcurrentQueue<List<(nint Start, nint End, int Thread)>>();
        var outer = new ConcurrentQueue<(nint, nint, int)>();
        // each part of the outer call makes an inner call while the outer one holds the pool
        Harness.OnAllThreads(() =>
        {
            ParallelRunner.For(4096, 8, new Nested(outer, inner, degree));
            return 0;
        });
        Assert.NotEmpty(inner);
        foreach (List<(nint Start, nint End, int Thread)> parts in inner)
        {
            AssertTiles(parts, 1000, ParallelRunner.Granule, "inner call");
            Assert.Single(parts.Select(p => p.Thread).Distinct());
        }
    }

    private readonly struct Nested(ConcurrentQueue<(nint, nint, int)> outer, ConcurrentQueue<List<(nint Start, nint End, int Thread)>> inner, int degree) : IRangeBody
    {
        public void Run(nint start, nint end)
        {
            outer.Enqueue((start, end, Environment.CurrentManagedThreadId));
            inner.Enqueue(Record(1000, 8, degree));
        }
    }
}
