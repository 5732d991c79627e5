using Rectifier.Kernels;

namespace Rectifier.Tests;

/// <summary>The ordered sum against its documented order, written out here term by term: element j of each whole
/// 16-element chunk goes to accumulator j % 16 (each starting at +0 and adding in sequence), the accumulators fold as
/// c_k = a_k + a_(k+8), d_k = c_k + c_(k+4), (d0 + d1) + (d2 + d3), and the elements after the last whole chunk are
/// added one by one to that total. On inexact data any other order gives other bits, so each leg's strategy
/// (512, 256 or 128-bit registers, or scalars) is held to the same order here, not only by the cross-leg check.</summary>
public sealed class OrderedSumTests
{
    private static readonly int[] Lengths = [0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 255, 256, 257, 1000, 4099];

    private static double Ordered(IReadOnlyList<double> terms)
    {
        var a = new double[16];
        int i = 0;
        for (; i + 16 <= terms.Count; i += 16)
        {
            for (int k = 0; k < 16; k++)
            {
                a[k] += terms[i + k];
            }
        }
        var c = new double[8];
        for (int k = 0; k < 8; k++)
        {
            c[k] = a[k] + a[k + 8];
        }
        var d = new double[4];
        for (int k = 0; k < 4; k++)
        {
            d[k] = c[k] + c[k + 4];
        }
        double total = (d[0] + d[1]) + (d[2] + d[3]);
        for (; i < terms.Count; i++)
        {
            total += terms[i];
        }
        return total;
    }

    private static double NonPositiveProduct(double x, double g) => x > 0 ? 0.0 : x * g;

    private static double[] Wide<T>(T[] values) where T : System.Numerics.IFloatingPointIeee754<T>
        => [.. values.Select(v => double.CreateTruncating(v))];

    private static void AssertSame(double expected, double actual, string what)
        => Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
            $"{what}: {actual:R}, expected {expected:R} (the documented order)");

    [Fact]
    public void The_data_make_the_order_matter()
    {
        // the check below could not fail if the data summed exactly: a plain left-to-right sum differs
        double[] terms = Wide(DeterminismTests.Inexact<double>(4099, 1));
        Assert.NotEqual(BitConverter.DoubleToInt64Bits(terms.Sum()), BitConverter.DoubleToInt64Bits(Ordered(terms)));
    }

    [Fact]
    public void A_sum_of_float_double_or_Half_follows_the_documented_order_at_every_length()
    {
        foreach (int n in Lengths)
        {
            float[] f = DeterminismTests.Inexact<float>(n, 10 + n);
            double[] d = DeterminismTests.Inexact<double>(n, 20 + n);
            Half[] h = DeterminismTests.Inexact<Half>(n, 30 + n);
            AssertSame(Ordered(Wide(f)), OrderedSum.Of<float>(f), $"float, n={n}");
            AssertSame(Ordered(Wide(d)), OrderedSum.Of<double>(d), $"double, n={n}");
            // Half has no vector path: one term after another from 0
            double plain = 0;
            foreach (double v in Wide(h))
            {
                plain += v;
            }
            AssertSame(plain, OrderedSum.Of<Half>(h), $"Half, n={n}");
        }
    }

    [Fact]
    public unsafe void Prelus_weight_gradient_terms_follow_the_documented_order_at_every_length()
    {
        foreach (int n in Lengths)
        {
            Check(DeterminismTests.Inexact<float>(n, 40 + n), DeterminismTests.Inexact<float>(n, 50 + n), n);
            Check(DeterminismTests.Inexact<double>(n, 60 + n), DeterminismTests.Inexact<double>(n, 70 + n), n);
        }

        // x = ±0 is on the x·g side: 0·∞ is NaN, in the chunks and in the tail, as in PyTorch's x > 0 ? 0 : x·g
        foreach (int n in new[] { 16, 17, 33 })
        {
            foreach (int at in new[] { 3, n - 1 })
            {
                float[] x = DeterminismTests.Inexact<float>(n, 130 + n), g = DeterminismTests.Inexact<float>(n, 140 + n);
                (x[at], g[at]) = (at % 2 == 0 ? 0f : -0f, float.PositiveInfinity);
                Check(x, g, n);
                Assert.True(double.IsNaN(Ordered([.. Wide(x).Select((v, i) => NonPositiveProduct(v, Wide(g)[i]))])), "the reference gives NaN here");
                double[] xd = Wide(x), gd = Wide(g);
                Check(xd, gd, n);
            }
        }

        static void Check<T>(T[] x, T[] g, int n) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            double[] xs = Wide(x), gs = Wide(g);
            double expected = Ordered([.. xs.Select((v, i) => NonPositiveProduct(v, gs[i]))]);
            fixed (T* px = x, pg = g)
            {
                AssertSame(expected, OrderedSum.OfNonPositiveProducts(px, pg, n), $"{typeof(T).Name} x·g over x ≤ 0, n={n}");
            }
        }
    }

    [Fact]
    public unsafe void Per_position_sums_add_each_term_to_its_own_position()
    {
        foreach (int n in Lengths)
        {
            Check(DeterminismTests.Inexact<float>(n, 80 + n), DeterminismTests.Inexact<float>(n, 90 + n), n);
            Check(DeterminismTests.Inexact<double>(n, 100 + n), DeterminismTests.Inexact<double>(n, 110 + n), n);
        }

        static void Check<T>(T[] x, T[] g, int n) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            double[] start = Wide(DeterminismTests.Inexact<double>(n + 1, 120 + n));
            double[] acc = (double[])start.Clone();
            double[] xs = Wide(x), gs = Wide(g);
            fixed (T* px = x, pg = g)
            fixed (double* pa = acc)
            {
                OrderedSum.AccumulateNonPositiveProducts(px, pg, pa, n);
                OrderedSum.AccumulateNonPositiveProducts(px, pg, pa, n);   // twice: a second term per position
            }
            for (int j = 0; j < n; j++)
            {
                double t = NonPositiveProduct(xs[j], gs[j]);
                AssertSame(start[j] + t + t, acc[j], $"{typeof(T).Name} position {j} of {n}");
            }
            AssertSame(start[n], acc[n], $"{typeof(T).Name}: the position after the last, n={n}");
        }
    }
}
