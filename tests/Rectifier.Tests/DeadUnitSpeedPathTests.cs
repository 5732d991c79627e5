using System.Numerics;
using Rectifier.Diagnostics;

namespace Rectifier.Tests;

/// <summary>The vectorised, multi-threaded monitor and the forward that observes while it computes: counts equal a
/// plain loop written here, on every layout, type, length (vector bodies, tails, partial rows), thread count and
/// (through the CI legs) vector width; y bitwise equal to the activation's own forward.</summary>
public sealed class DeadUnitSpeedPathTests
{
    /// <summary>The reference: per unit, how many elements of the C-ordered [outer, units, inner] data are above t.</summary>
    private static long[] Reference<T>(T[] data, int outer, int units, int inner, double threshold) where T : IFloatingPointIeee754<T>
    {
        var counts = new long[units];
        T t = T.CreateTruncating(threshold);
        for (int o = 0; o < outer; o++)
        {
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < inner; i++)
                {
                    if (data[((long)o * units + u) * inner + i] > t)
                    {
                        counts[u]++;
                    }
                }
            }
        }
        return counts;
    }

    private static T[] Data<T>(int n, int seed) where T : IFloatingPointIeee754<T>
    {
        // Signs mixed, values exactly at the threshold 0.25 and 0, NaN and infinities sprinkled in.
        T[] data = Numbers.Random<T>(n, seed, 0.05);
        var rng = new Random(seed);
        for (int i = 0; i < n; i++)
        {
            int r = rng.Next(40);
            if (r == 0)
            {
                data[i] = T.CreateTruncating(0.25);
            }
            else if (r == 1)
            {
                data[i] = T.Zero;
            }
        }
        return data;
    }

    public static TheoryData<int, int, int> Layouts => new()
    {
        // [batch, units]: units below, at and above every vector width, with tails
        { 7, 1, 1 }, { 5, 3, 1 }, { 9, 16, 1 }, { 33, 17, 1 }, { 40, 67, 1 }, { 3, 300, 1 }, { 257, 130, 1 },
        // NCHW-like: runs of inner elements
        { 4, 3, 5 }, { 2, 8, 16 }, { 3, 5, 67 }, { 2, 4, 1031 },
        // axis 0: one long run per unit
        { 1, 6, 4099 },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Counts_equal_a_plain_loop_for_every_layout_type_and_thread_count(int outer, int units, int inner)
    {
        Check<float>(outer, units, inner);
        Check<double>(outer, units, inner);
        Check<Half>(outer, units, inner);
    }

    private static void Check<T>(int outer, int units, int inner) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] data = Data<T>(outer * units * inner, outer * 31 + units * 7 + inner);
        nint[] shape = inner == 1 ? [outer, units] : [outer, units, inner];
        foreach (double threshold in new[] { 0.0, 0.25 })
        {
            long[] expected = Reference(data, outer, units, inner, threshold);
            foreach (int threads in new[] { 1, 2, 3, Environment.ProcessorCount })
            {
                var monitor = new DeadUnitMonitor(units, threshold);
                using (Parallelism.Scope(threads))
                {
                    monitor.Observe<T>(data, shape, axis: 1);
                }
                Assert.Equal(expected, monitor.ActiveCounts.ToArray());
                Assert.All(monitor.ObservedCounts.ToArray(), c => Assert.Equal((long)outer * inner, c));
            }
        }
    }

    [Fact]
    public void A_large_batch_counts_the_same_on_one_thread_and_on_all()
    {
        // Big enough that the rows and runs really split across threads.
        float[] data = Data<float>(512 * 1024, 3);
        foreach (var (shape, axis, outer, units, inner) in new (nint[], int, int, int, int)[]
        {
            ([512, 1024], 1, 512, 1024, 1),
            ([512, 1024], 0, 1, 512, 1024),
            ([8, 64, 32, 32], 1, 8, 64, 1024),
            ([8, 32, 32, 64], -1, 8 * 32 * 32, 64, 1),
        })
        {
            long[] expected = Reference(data, outer, units, inner, 0);
            var one = new DeadUnitMonitor(units);
            var all = new DeadUnitMonitor(units);
            using (Parallelism.Scope(1))
            {
                one.Observe<float>(data, shape, axis);
            }
            using (Parallelism.Scope(Math.Max(2, Environment.ProcessorCount)))
            {
                all.Observe<float>(data, shape, axis);
            }
            Assert.Equal(expected, one.ActiveCounts.ToArray());
            Assert.Equal(expected, all.ActiveCounts.ToArray());
        }
    }

    [Fact]
    public void Streamed_pieces_that_start_and_end_inside_a_row_count_like_the_whole()
    {
        const int rows = 50, units = 37;
        float[] data = Data<float>(rows * units, 9);
        long[] expected = Reference(data, rows, units, 1, 0);
        foreach (int piece in new[] { 1, 5, 36, 37, 38, 100, 333 })
        {
            var monitor = new DeadUnitMonitor(units);
            for (int start = 0; start < data.Length; start += piece)
            {
                int n = Math.Min(piece, data.Length - start);
                monitor.ObserveRange<float>(data.AsSpan(start, n), units, 1, start % units);
            }
            Assert.Equal(expected, monitor.ActiveCounts.ToArray());
            Assert.All(monitor.ObservedCounts.ToArray(), c => Assert.Equal((long)rows, c));
        }
    }

    public static TheoryData<int, int, int, int> ForwardLayouts => new()
    {
        { 33, 17, 1, 1 }, { 2000, 24, 1, 1 }, { 2, 17000, 1, 1 }, { 4, 3, 5, 1 }, { 2, 8, 1031, 1 }, { 1, 2, 20000, 1 }, { 64, 32, 1, -1 },
    };

    [Theory]
    [MemberData(nameof(ForwardLayouts))]
    public void Observing_the_forward_gives_the_bits_of_the_forward_and_the_counts_of_observing_it(int outer, int units, int inner, int axis)
    {
        foreach (Activation a in Activation.AllWithDefaults)
        {
            ForwardCheck<float>(a, outer, units, inner, axis);
            ForwardCheck<double>(a, outer, units, inner, axis);
            ForwardCheck<Half>(a, outer, units, inner, axis);
        }
    }

    private static void ForwardCheck<T>(Activation a, int outer, int units, int inner, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Data<T>(outer * units * inner, outer + units + inner);
        nint[] shape = axis == -1 ? [outer, units] : inner == 1 ? [outer, units] : [outer, units, inner];
        T[] expectedY = new T[x.Length];
        a.Forward<T>(x, expectedY);
        var separate = new DeadUnitMonitor(units, 0.1);
        separate.Observe<T>(expectedY, shape, axis);
        foreach (int threads in new[] { 1, Math.Max(2, Environment.ProcessorCount) })
        {
            var fused = new DeadUnitMonitor(units, 0.1);
            T[] y = new T[x.Length];
            using (Parallelism.Scope(threads))
            {
                fused.ObserveForward<T>(x, shape, a, axis, y);
            }
            for (int i = 0; i < y.Length; i++)
            {
                Assert.True(Numbers.Same(expectedY[i], y[i]), $"{a}<{typeof(T).Name}> y[{i}] = {y[i]}, forward gives {expectedY[i]}");
            }
            Assert.Equal(separate.ActiveCounts.ToArray(), fused.ActiveCounts.ToArray());
            Assert.Equal(separate.ObservedCounts.ToArray(), fused.ObservedCounts.ToArray());
            // In place gives the same.
            var inPlace = new DeadUnitMonitor(units, 0.1);
            T[] z = (T[])x.Clone();
            inPlace.ObserveForward<T>(z, shape, a, axis, z);
            Assert.True(expectedY.Zip(z).All(p => Numbers.Same(p.First, p.Second)));
            Assert.Equal(separate.ActiveCounts.ToArray(), inPlace.ActiveCounts.ToArray());
        }
    }

    [Fact]
    public void Observing_the_forward_refuses_bad_arguments_before_counting_anything()
    {
        var monitor = new DeadUnitMonitor(3);
        float[] x = new float[6], y = new float[6];
        Assert.Throws<ArgumentException>(() => monitor.ObserveForward<float>(x, [2, 4], Activation.Relu(), 1, y));
        Assert.Throws<ArgumentException>(() => monitor.ObserveForward<float>(x, [3, 2], Activation.Relu(), 1, y));
        Assert.Throws<ArgumentException>(() => monitor.ObserveForward<float>(x, [6], Activation.Relu(), 1, y));
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => monitor.ObserveForward<float>(x, [2, 3], Activation.Relu(), 1, new float[5])).ParamName);
        Assert.Throws<ArgumentException>(() => monitor.ObserveForward<float>(x.AsSpan(0, 6), [2, 3], Activation.Relu(), 1, x.AsSpan(1, 5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => monitor.ObserveForward<float>(x, [2, 3], Activation.Celu(0), 1, y));
        Assert.All(monitor.ObservedCounts.ToArray(), c => Assert.Equal(0, c));
    }
}

/// <summary>The one-pass row kernel of the piecewise family (y and its counts computed 16 rows at a time, strips of
/// 8 vectors with counters in registers, a first and a last vector per row around an aligned body): every row width
/// around the strip and vector sizes, row counts around the 16-row block, destinations at every element offset
/// (so the body starts at every lane), in place and not, with parameters other than the defaults.</summary>
public sealed class DeadUnitRowKernelTests
{
    public static TheoryData<int> Widths => new() { 2, 4, 7, 8, 15, 16, 17, 31, 64, 127, 128, 129, 300, 1024 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Rows_of_every_width_and_offset_give_the_forward_bits_and_a_plain_loop_count(int units)
    {
        Activation[] activations =
        [
            Activation.Relu(), Activation.LeakyRelu(0.3), Activation.Hardtanh(-0.5, 0.75), Activation.Relu6(),
            Activation.Threshold(0.25, -2), Activation.Hardshrink(0.5), Activation.Softshrink(0.25), Activation.PRelu(-0.2),
        ];
        foreach (int rows in new[] { 1, 15, 16, 17, 40 })
        {
            foreach (Activation a in activations)
            {
                Check<float>(a, rows, units, offset: (rows + units) % 16);
                Check<double>(a, rows, units, offset: (rows + units) % 8);
            }
        }
    }

    private static void Check<T>(Activation a, int rows, int units, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = rows * units;
        T[] source = Numbers.Random<T>(n + offset, rows * 1000 + units, 0.05);
        var rng = new Random(units);
        for (int i = 0; i < source.Length; i += 1 + rng.Next(9))
        {
            source[i] = T.CreateTruncating(new[] { 0.1, 0.25, -0.5, 0.5, 0.75, 0.0 }[rng.Next(6)]);
        }
        T[] expected = new T[n];
        for (int i = 0; i < n; i++)
        {
            T[] one = [source[offset + i]];
            a.Forward<T>(one, one);
            expected[i] = one[0];
        }
        var counts = new long[units];
        T t = T.CreateTruncating(0.1);
        for (int i = 0; i < n; i++)
        {
            counts[i % units] += expected[i] > t ? 1 : 0;
        }
        foreach (bool inPlace in new[] { false, true })
        {
            T[] x = (T[])source.Clone();
            T[] y = inPlace ? x : new T[n + offset];
            var monitor = new DeadUnitMonitor(units, 0.1);
            using (Parallelism.Scope(1))
            {
                monitor.ObserveForward<T>(x.AsSpan(offset, n), [rows, units], a, 1, y.AsSpan(offset, n));
            }
            for (int i = 0; i < n; i++)
            {
                Assert.True(Numbers.Same(expected[i], y[offset + i]), $"{a}<{typeof(T).Name}> [{rows}, {units}] +{offset} in place {inPlace}: y[{i}] = {y[offset + i]}, expected {expected[i]}");
            }
            Assert.Equal(counts, monitor.ActiveCounts.ToArray());
        }
    }
}
