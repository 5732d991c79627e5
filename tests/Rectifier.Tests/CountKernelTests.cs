using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier.Tests;

/// <summary>The dead-unit counting kernels called directly, against plain loops written here: a count along a run
/// (four accumulators, a single-vector loop, a last vector overlapping the body), the same fused with an activation,
/// and per-unit counters across rows (8-row groups, a last vector of units overlapping the one before, the 16-row
/// one-pass kernel with its first and last vector per row) — at every length around the vector sizes, every
/// element offset, thresholds that data sit exactly on, NaN and infinite thresholds, and counters that already hold
/// counts. Each leg of CI runs its own width strategy here.</summary>
public sealed unsafe class CountKernelTests
{
    private static readonly int[] Lengths = [.. Enumerable.Range(0, 72), 127, 128, 129, 255, 256, 257, 1000, 4099];

    private static readonly double[] Thresholds = [0.0, 0.25, -0.5, double.NegativeInfinity, double.PositiveInfinity, double.NaN];

    /// <summary>Signed values of many sizes, a fifth of them exactly 0, 0.25 or −0.5 (thresholds below), with NaN and
    /// infinities among them.</summary>
    private static T[] Data<T>(int n, int seed) where T : IFloatingPointIeee754<T>
    {
        T[] data = Numbers.Random<T>(n, seed, 0.08);
        var rng = new Random(seed + 1);
        for (int i = 0; i < n; i++)
        {
            if (rng.Next(5) == 0)
            {
                data[i] = T.CreateTruncating(new[] { 0.0, 0.25, -0.5 }[rng.Next(3)]);
            }
        }
        return data;
    }

    private static long Above<T>(ReadOnlySpan<T> data, T t) where T : IFloatingPointIeee754<T>
    {
        long count = 0;
        foreach (T v in data)
        {
            if (v > t)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>leaky_relu with slope 0.375 (exact in every type), written here.</summary>
    private static T Leaky<T>(T x) where T : IFloatingPointIeee754<T> => x > T.Zero ? x : T.CreateTruncating(0.375) * x;

    [Fact]
    public void A_count_along_a_run_is_a_plain_loop_at_every_length_and_offset()
    {
        Check<float>();
        Check<double>();
        Check<Half>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            foreach (int n in Lengths)
            {
                T[] data = Data<T>(n + 17, n);
                foreach (int offset in new[] { 0, 1, 3, 16 % (n + 1) })
                {
                    ReadOnlySpan<T> run = data.AsSpan(offset, n);
                    foreach (double threshold in Thresholds)
                    {
                        T t = T.CreateTruncating(threshold);
                        Assert.True(Above(run, t) == CountKernels.CountAbove(run, t),
                            $"{typeof(T).Name} n = {n} +{offset} t = {threshold}: {CountKernels.CountAbove(run, t)}, expected {Above(run, t)}");
                    }
                }
            }
        }
    }

    [Fact]
    public void A_run_mapped_and_counted_in_one_pass_is_the_activation_and_its_count()
    {
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var op = new LeakyReluOperator<T>(T.CreateTruncating(0.375));
            foreach (int n in Lengths)
            {
                T[] source = Data<T>(n + 5, 7 * n + 1);
                foreach (int offset in new[] { 0, 1, 5 % (n + 1) })
                {
                    foreach (double threshold in Thresholds)
                    {
                        T t = T.CreateTruncating(threshold);
                        T[] expected = [.. source.Skip(offset).Take(n).Select(Leaky)];
                        foreach (bool inPlace in new[] { false, true })
                        {
                            T[] x = (T[])source.Clone();
                            T[] y = inPlace ? x : new T[x.Length];
                            long count;
                            fixed (T* px = x)
                            fixed (T* py = y)
                            {
                                count = CountKernels.MapCount(op, px + offset, py + offset, n, t);
                            }
                            for (int i = 0; i < n; i++)
                            {
                                Assert.True(Numbers.Same(expected[i], y[offset + i]), $"{typeof(T).Name} n = {n} +{offset} in place {inPlace}: y[{i}] = {y[offset + i]}, expected {expected[i]}");
                            }
                            Assert.True(Above<T>(expected, t) == count, $"{typeof(T).Name} n = {n} +{offset} t = {threshold} in place {inPlace}: {count}, expected {Above<T>(expected, t)}");
                        }
                    }
                }
            }
        }
    }

    private static long[] PerUnit<T>(ReadOnlySpan<T> data, int rows, int units, T t, long[] start) where T : IFloatingPointIeee754<T>
    {
        long[] counts = (long[])start.Clone();
        for (int r = 0; r < rows; r++)
        {
            for (int u = 0; u < units; u++)
            {
                if (data[r * units + u] > t)
                {
                    counts[u]++;
                }
            }
        }
        return counts;
    }

    private static readonly int[] Units = [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64, 65, 127, 128, 129, 200];

    private static readonly int[] Rows = [1, 2, 7, 8, 9, 16, 17, 33];

    [Fact]
    public void Rows_add_to_the_counters_of_each_unit_at_every_width_and_row_count()
    {
        Check<float>();
        Check<double>();
        Check<Half>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            foreach (int units in Units)
            {
                foreach (int rows in Rows)
                {
                    T[] data = Data<T>(rows * units + 3, rows * 131 + units);
                    int offset = (rows + units) % 4;
                    ReadOnlySpan<T> block = data.AsSpan(offset, rows * units);
                    // counters that already hold counts: the kernel adds to them
                    long[] start = [.. Enumerable.Range(0, units).Select(u => (long)u * 1000 + 7)];
                    foreach (double threshold in new[] { 0.25, double.NaN })
                    {
                        T t = T.CreateTruncating(threshold);
                        long[] active = (long[])start.Clone();
                        CountKernels.AddRows(block, rows, units, t, active);
                        Assert.Equal(PerUnit(block, rows, units, t, start), active);
                    }
                }
            }
        }
    }

    [Fact]
    public void Row_counters_keep_counting_across_calls_and_clear_when_flushed()
    {
        Check<float>();
        Check<double>();
        Check<Half>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            foreach (int units in new[] { 5, 16, 37, 130 })
            {
                var counters = new CountKernels.RowCounters(units, typeof(T) == typeof(double));
                T t = T.CreateTruncating(0.25);
                long[] expected = new long[units];
                foreach (int rows in new[] { 3, 1, 20, 9 })
                {
                    T[] data = Data<T>(rows * units, rows + units);
                    counters.Add<T>(data, rows, t);
                    expected = PerUnit<T>(data, rows, units, t, expected);
                }
                long[] active = [.. Enumerable.Repeat(100L, units)];
                counters.FlushInto(active);
                Assert.Equal(expected.Select(c => c + 100), active);
                // flushed counters start again from zero
                T[] more = Data<T>(2 * units, units);
                counters.Add<T>(more, 2, t);
                long[] again = new long[units];
                counters.FlushInto(again);
                Assert.Equal(PerUnit<T>(more, 2, units, t, new long[units]), again);
            }
        }
    }

    /// <summary>The chunked path that keeps 32-bit counters from wrapping (a flush every 2^30 rows) run on small
    /// data by lowering the limit: counting and mapping in chunks that end inside a call and across calls gives the
    /// plain loop's counts and the activation's bits.</summary>
    [Fact]
    public void Counters_flushed_every_few_rows_count_and_map_like_the_plain_loop()
    {
        long saved = CountKernels.RowCounters.RowsPerFlush;
        try
        {
            foreach (long limit in new long[] { 1, 3, 7 })
            {
                CountKernels.RowCounters.RowsPerFlush = limit;
                Check<float>();
                Check<double>();
                Check<Half>();
            }
        }
        finally
        {
            CountKernels.RowCounters.RowsPerFlush = saved;
        }

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var op = new LeakyReluOperator<T>(T.CreateTruncating(0.375));
            T t = T.CreateTruncating(0.25);
            foreach (int units in new[] { 1, 3, 5, 16, 37, 130 })
            {
                var counters = new CountKernels.RowCounters(units, typeof(T) == typeof(double));
                long[] expected = new long[units];
                foreach (int rows in new[] { 10, 1, 4, 17 })
                {
                    T[] data = Data<T>(rows * units, 3 * rows + units);
                    if (typeof(T) == typeof(Half))
                    {
                        counters.Add<T>(data, rows, t);
                        expected = PerUnit<T>(data, rows, units, t, expected);
                        continue;
                    }
                    T[] y = new T[data.Length];
                    fixed (T* px = data)
                    fixed (T* py = y)
                    {
                        counters.AddMapped(op, px, py, rows, t);
                    }
                    T[] mapped = [.. data.Select(Leaky)];
                    for (int i = 0; i < y.Length; i++)
                    {
                        Assert.True(Numbers.Same(mapped[i], y[i]), $"{typeof(T).Name} [{rows}, {units}]: y[{i}] = {y[i]}, expected {mapped[i]}");
                    }
                    expected = PerUnit<T>(mapped, rows, units, t, expected);
                }
                long[] active = new long[units];
                counters.FlushInto(active);
                Assert.Equal(expected, active);
            }
        }
    }

    [Fact]
    public void Rows_mapped_and_counted_in_one_pass_are_the_activation_and_its_counts_at_every_destination_offset()
    {
        Check<float>(16);
        Check<double>(8);

        static void Check<T>(int lanes) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var op = new LeakyReluOperator<T>(T.CreateTruncating(0.375));
            T t = T.CreateTruncating(0.25);
            foreach (int units in new[] { lanes, lanes + 1, 2 * lanes - 1, 8 * lanes, 9 * lanes + 3, 20 * lanes - 1 })
            {
                foreach (int rows in new[] { 1, 15, 16, 17, 33 })
                {
                    T[] source = Data<T>(rows * units + lanes, rows * 17 + units);
                    for (int offset = 0; offset < lanes; offset++)
                    {
                        T[] expected = [.. source.Skip(offset).Take(rows * units).Select(Leaky)];
                        foreach (bool inPlace in new[] { false, true })
                        {
                            T[] x = (T[])source.Clone();
                            T[] y = inPlace ? x : new T[x.Length];
                            var counters = new CountKernels.RowCounters(units, typeof(T) == typeof(double));
                            fixed (T* px = x)
                            fixed (T* py = y)
                            {
                                counters.AddMapped(op, px + offset, py + offset, rows, t);
                            }
                            long[] active = new long[units];
                            counters.FlushInto(active);
                            for (int i = 0; i < rows * units; i++)
                            {
                                Assert.True(Numbers.Same(expected[i], y[offset + i]), $"{typeof(T).Name} [{rows}, {units}] +{offset} in place {inPlace}: y[{i}] = {y[offset + i]}, expected {expected[i]}");
                            }
                            Assert.Equal(PerUnit<T>(expected, rows, units, t, new long[units]), active);
                        }
                    }
                }
            }
        }
    }
}
