using System.Numerics;

namespace Rectifier.Tests;

public abstract class PReluTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static T[] Of(params double[] v) => [.. v.Select(T.CreateTruncating)];

    /// <summary>Independent reference: nested loops over (outer, channel, inner), double sums.</summary>
    private static (T[] y, T[] dx, double[] dw) Reference(T[] x, T[] g, T[] w, long outer, int channels, long inner)
    {
        var y = new T[x.Length];
        var dx = new T[x.Length];
        var dw = new double[w.Length];
        long i = 0;
        for (long o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                T wc = w[w.Length == 1 ? 0 : c];
                for (long k = 0; k < inner; k++, i++)
                {
                    double xv = Numbers.ToDouble(x[i]), gv = Numbers.ToDouble(g[i]), wv = Numbers.ToDouble(wc);
                    y[i] = xv > 0 ? x[i] : Numbers.FromDouble<T>(wv * xv);
                    dx[i] = xv > 0 ? g[i] : Numbers.FromDouble<T>(wv * gv);
                    dw[w.Length == 1 ? 0 : c] += xv > 0 ? 0 : xv * gv;
                }
            }
        }
        return (y, dx, dw);
    }

    private static T[] Grid(int n, int seed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating(rng.Next(-8192, 8193) / 1024.0))];
    }

    [Fact]
    public void The_issue_example_gives_dWeight_minus_10_and_minus_26()
    {
        T[] x = Of(-1, 2, -3, 4, -5, 6, -7, 8, 1, -2, 3, -4, 5, -6, 7, -8);
        T[] g = Of([.. Enumerable.Repeat(1.0, 16)]);
        T[] w = Of(0.25, 0.5);
        var dx = new T[16];
        var dw = new T[2];
        Activations.PReluBackward<T>(x, [2, 2, 2, 2], g, w, dx, dw);
        Assert.Equal(T.CreateTruncating(-10.0), dw[0]);
        Assert.Equal(T.CreateTruncating(-26.0), dw[1]);
    }

    public static TheoryData<int[], int> Layouts => new()
    {
        { [2, 3, 4, 5], 1 },      // NCHW, short runs (pattern path)
        { [3, 4, 9, 11], 1 },     // NCHW, runs of 99 (run path)
        { [2, 5, 7, 3], -1 },     // NHWC
        { [2, 5, 7, 3], 3 },      // NHWC by positive axis
        { [4, 6], 1 },            // [batch, features]
        { [6, 4], 0 },            // channels first
        { [1000, 7], -1 },        // long NHWC
        { [2, 300, 64], 1 },      // runs exactly at the threshold
        { [2, 2, 40000], 1 },     // parallel-sized
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Per_channel_forward_and_backward_equal_the_reference_on_any_channel_axis(int[] dims, int axis)
    {
        nint[] shape = [.. dims.Select(d => (nint)d)];
        int n = dims.Aggregate(1, (a, b) => a * b);
        int a0 = axis < 0 ? axis + dims.Length : axis;
        int channels = dims[a0];
        long outer = dims.Take(a0).Aggregate(1L, (p, d) => p * d), inner = dims.Skip(a0 + 1).Aggregate(1L, (p, d) => p * d);
        // Multiples of 2^-10 in [-8, 8]: every product and every partial sum is exact in double, so the weight
        // gradient has one right answer whatever the summation order, and it must be met bit for bit.
        T[] x = Grid(n, n + axis), g = Grid(n, n - axis);
        T[] w = [.. Enumerable.Range(0, channels).Select(c => T.CreateTruncating(0.05 * (c + 1)))];
        var (ry, rdx, rdw) = Reference(x, g, w, outer, channels, inner);

        var y = new T[n];
        Activations.PRelu<T>(x, shape, w, axis, y);
        Harness.AssertElements<T>(y, i => ry[i], $"prelu forward {string.Join('x', dims)} axis {axis}");

        var dx = new T[n];
        var dw = new T[channels];
        Activations.PReluBackward<T>(x, shape, g, w, axis, dx, dw);
        Harness.AssertElements<T>(dx, i => rdx[i], "prelu dx");
        for (int c = 0; c < channels; c++)
        {
            Assert.True(Numbers.Same(dw[c], T.CreateTruncating(rdw[c])), $"dw[{c}] = {dw[c]}, reference {rdw[c]}");
        }

        // In place, and the same bits with one thread.
        T[] inPlace = (T[])x.Clone();
        Activations.PRelu<T>(inPlace, shape, w, axis, inPlace);
        Harness.AssertElements<T>(inPlace, i => y[i], "prelu in place");
        var dx1 = new T[n];
        var dw1 = new T[channels];
        using (Parallelism.Scope(1))
        {
            Activations.PReluBackward<T>(x, shape, g, w, axis, dx1, dw1);
        }
        Harness.AssertElements<T>(dx1, i => dx[i], "prelu dx, 1 thread");
        Harness.AssertElements<T>(dw1, i => dw[i], "prelu dw, 1 thread");
    }

    [Fact]
    public void NCHW_and_NHWC_give_the_same_result_on_transposed_data()
    {
        const int N = 3, C = 5, H = 4, W = 6;
        T[] nchw = Grid(N * C * H * W, 5), g = Grid(N * C * H * W, 6);
        T[] nhwc = new T[nchw.Length], gNhwc = new T[nchw.Length];
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int h = 0; h < H; h++)
                    for (int w = 0; w < W; w++)
                    {
                        nhwc[((n * H + h) * W + w) * C + c] = nchw[((n * C + c) * H + h) * W + w];
                        gNhwc[((n * H + h) * W + w) * C + c] = g[((n * C + c) * H + h) * W + w];
                    }
        T[] weights = Of(0.1, -0.2, 0.3, 0.25, 2);
        T[] y1 = new T[nchw.Length], y2 = new T[nchw.Length], d1 = new T[nchw.Length], d2 = new T[nchw.Length], dw1 = new T[C], dw2 = new T[C];
        Activations.PRelu<T>(nchw, [N, C, H, W], weights, y1);
        Activations.PRelu<T>(nhwc, [N, H, W, C], weights, -1, y2);
        Activations.PReluBackward<T>(nchw, [N, C, H, W], g, weights, d1, dw1);
        Activations.PReluBackward<T>(nhwc, [N, H, W, C], gNhwc, weights, -1, d2, dw2);
        for (int n = 0; n < N; n++)
            for (int c = 0; c < C; c++)
                for (int h = 0; h < H; h++)
                    for (int w = 0; w < W; w++)
                    {
                        Assert.True(Numbers.Same(y1[((n * C + c) * H + h) * W + w], y2[((n * H + h) * W + w) * C + c]));
                        Assert.True(Numbers.Same(d1[((n * C + c) * H + h) * W + w], d2[((n * H + h) * W + w) * C + c]));
                    }
        for (int c = 0; c < C; c++)
        {
            Assert.True(Numbers.Same(dw1[c], dw2[c]), $"dw[{c}] {dw1[c]} vs {dw2[c]}");
        }
    }

    /// <summary>A quiet NaN of T whose payload's low bits are <paramref name="tag"/>.</summary>
    private static T TaggedNaN(int tag, bool negative)
    {
        T v = typeof(T) == typeof(double) ? (T)(object)BitConverter.UInt64BitsToDouble(0x7FF8000000000000UL | (uint)tag)
            : typeof(T) == typeof(float) ? (T)(object)BitConverter.UInt32BitsToSingle(0x7FC00000U | (uint)tag)
            : (T)(object)BitConverter.UInt16BitsToHalf((ushort)(0x7E00 | (tag & 0x1FF)));
        return negative ? -v : v;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_NaN_input_keeps_its_own_bits_even_where_its_weight_is_NaN(int[] dims, int axis)
    {
        nint[] shape = [.. dims.Select(d => (nint)d)];
        int n = dims.Aggregate(1, (a, b) => a * b);
        int channels = dims[axis < 0 ? dims.Length + axis : axis];
        T[] x = Grid(n, 31);
        for (int i = 0; i < n; i += 3)
        {
            x[i] = TaggedNaN(1 + i % 200, negative: i % 2 == 0);
        }
        T[] weights = [.. Enumerable.Range(0, channels).Select(c => c % 2 == 0 ? TaggedNaN(0x1FF, negative: false) : T.CreateTruncating(0.25))];
        foreach (T[] w in new[] { weights, [TaggedNaN(0x1FF, negative: true)] })
        {
            var y = new T[n];
            Activations.PRelu<T>(x, shape, w, w.Length == 1 ? 1 : axis, y);
            for (int i = 0; i < n; i += 3)
            {
                Assert.True(Numbers.Bits(x[i]) == Numbers.Bits(y[i]),
                    $"{w.Length} weights, element {i}: {Numbers.Show(y[i])}, the input was {Numbers.Show(x[i])}");
            }
        }
    }

    [Fact]
    public void A_rank_1_input_takes_exactly_one_weight()
    {
        T[] x = Of(-2, -1, 0, 1, 2);
        var y = new T[5];
        Activations.PRelu<T>(x, [5], Of(0.5), y);
        Assert.Equal(T.CreateTruncating(-1.0), y[0]);
        var e = Assert.Throws<ArgumentException>(() => Activations.PRelu<T>(x, [5], Of(0.5, 0.25), y));
        Assert.Equal("weight", e.ParamName);
        Assert.Contains("2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_weights_shapes_and_axes_are_refused_with_both_numbers()
    {
        var x = new T[24];
        var y = new T[24];
        var e = Assert.Throws<ArgumentException>(() => Activations.PRelu<T>(x, [2, 3, 4], Of(1, 2), y));
        Assert.Equal("weight", e.ParamName);
        Assert.Contains("2 weights", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 channels", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Activations.PRelu<T>(x, [2, 3, 5], Of(1, 2, 3), y));
        Assert.Equal("shape", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.PRelu<T>(x, [2, 3, 4], Of(1, 2, 3), 3, y));
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.PRelu<T>(x, [2, 3, 4], Of(1, 2, 3), -4, y));
        e = Assert.Throws<ArgumentException>(() => Activations.PReluBackward<T>(x, [2, 3, 4], x, Of(1, 2, 3), y, new T[2]));
        Assert.Equal("gradWeight", e.ParamName);
    }
}

public sealed class PReluFloatTests : PReluTests<float>;
public sealed class PReluDoubleTests : PReluTests<double>;
public sealed class PReluHalfTests : PReluTests<Half>;
