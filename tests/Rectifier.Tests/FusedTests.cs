using System.Numerics;

namespace Rectifier.Tests;

/// <summary>Fused bias + activation against the two separate calls (bias add rounded to T, then the activation):
/// bitwise, for every activation, element type and layout; the bias gradient against a double sum.</summary>
public abstract class FusedTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static TheoryData<int> Kinds => [.. Enumerable.Range(0, Activation.AllWithDefaults.Count)];

    private static readonly (nint[] Shape, int Axis)[] Layouts =
    [
        ([2, 3, 5, 7], 1),        // NCHW, short runs
        ([2, 5, 7, 3], -1),       // NHWC
        ([33, 17], 1),            // [batch, features]
        ([2, 3, 100], 1),         // long runs
        ([3, 4, 1500], 1),        // several tiles per slice
    ];

    private static (T[] Y, T[] Dx, double[] DBias) Unfused(Activation a, T[] x, nint[] shape, int axis, T[] bias, T[] g)
    {
        ChannelLayout layout = ChannelLayout.Create(shape, axis);
        var z = new T[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            z[i] = x[i] + bias[(int)(i / layout.Inner % layout.Channels)];
        }
        T[] y = new T[x.Length], dx = new T[x.Length];
        a.Forward<T>(z, y);
        a.Backward<T>(z, g, dx);
        var db = new double[bias.Length];
        for (int i = 0; i < x.Length; i++)
        {
            db[(int)(i / layout.Inner % layout.Channels)] += double.CreateTruncating(dx[i]);
        }
        return (y, dx, db);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Fused_forward_and_backward_equal_the_separate_calls(int kind)
    {
        Activation a = Activation.AllWithDefaults[kind];
        foreach (var (shape, axis) in Layouts)
        {
            int n = (int)shape.Aggregate((nint)1, (p, d) => p * d);
            ChannelLayout layout = ChannelLayout.Create(shape, axis);
            T[] x = Numbers.Random<T>(n, kind * 31 + n, 0).Select(v => T.Clamp(v, T.CreateTruncating(-6), T.CreateTruncating(6))).ToArray();
            T[] g = Numbers.Random<T>(n, kind * 37 + n, 0).Select(v => T.Clamp(v, T.CreateTruncating(-2), T.CreateTruncating(2))).ToArray();
            T[] bias = [.. Enumerable.Range(0, layout.Channels).Select(c => T.CreateTruncating(0.25 * c - 0.5))];
            var (y, dx, db) = Unfused(a, x, shape, axis, bias, g);
            T[] fy = new T[n], fdx = new T[n], fdb = new T[bias.Length];
            Fused.BiasActivation<T>(x, shape, bias, a, axis, fy);
            Fused.BiasActivationBackward<T>(x, shape, bias, g, a, axis, fdx, fdb);
            Harness.AssertElements<T>(fy, i => y[i], $"{a} fused forward {string.Join("x", shape)}");
            Harness.AssertElements<T>(fdx, i => dx[i], $"{a} fused backward {string.Join("x", shape)}");
            for (int c = 0; c < bias.Length; c++)
            {
                double expected = double.CreateTruncating(T.CreateTruncating(db[c]));
                double tolerance = Math.Max(Math.Abs(expected), 1) * (typeof(T) == typeof(Half) ? 2e-3 : typeof(T) == typeof(float) ? 1e-6 : 1e-13);
                Assert.True(Math.Abs(double.CreateTruncating(fdb[c]) - expected) <= tolerance, $"{a} dBias[{c}] = {fdb[c]}, double sum {db[c]}");
            }
        }
    }

    [Fact]
    public void NCHW_and_NHWC_agree_on_transposed_data_and_threads_do_not_change_the_bits()
    {
        const int n = 3, c = 8, h = 30, w = 40;
        T[] nchw = Numbers.Random<T>(n * c * h * w, 5, 0).Select(v => T.Clamp(v, T.CreateTruncating(-4), T.CreateTruncating(4))).ToArray();
        T[] g = Numbers.Random<T>(nchw.Length, 6, 0).Select(v => T.Clamp(v, T.CreateTruncating(-1), T.CreateTruncating(1))).ToArray();
        T[] nhwc = new T[nchw.Length], gh = new T[g.Length];
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h * w; i++)
                {
                    nhwc[(b * h * w + i) * c + ch] = nchw[(b * c + ch) * h * w + i];
                    gh[(b * h * w + i) * c + ch] = g[(b * c + ch) * h * w + i];
                }
            }
        }
        T[] bias = [.. Enumerable.Range(0, c).Select(k => T.CreateTruncating(0.1 * k - 0.3))];
        T[] y1 = new T[nchw.Length], y2 = new T[nchw.Length], d1 = new T[nchw.Length], d2 = new T[nchw.Length], b1 = new T[c], b2 = new T[c], b3 = new T[c], d3 = new T[nchw.Length];
        Activation a = Activation.Gelu();
        Fused.BiasActivation<T>(nchw, [n, c, h, w], bias, a, y1);
        Fused.BiasActivation<T>(nhwc, [n, h, w, c], bias, a, -1, y2);
        Fused.BiasActivationBackward<T>(nchw, [n, c, h, w], bias, g, a, d1, b1);
        Fused.BiasActivationBackward<T>(nhwc, [n, h, w, c], bias, gh, a, -1, d2, b2);
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h * w; i++)
                {
                    Assert.True(Numbers.Same(y1[(b * c + ch) * h * w + i], y2[(b * h * w + i) * c + ch]));
                    Assert.True(Numbers.Same(d1[(b * c + ch) * h * w + i], d2[(b * h * w + i) * c + ch]));
                }
            }
        }
        for (int ch = 0; ch < c; ch++)
        {
            double x1 = double.CreateTruncating(b1[ch]), x2 = double.CreateTruncating(b2[ch]);
            Assert.True(Math.Abs(x1 - x2) <= Math.Max(1, Math.Abs(x1)) * (typeof(T) == typeof(Half) ? 2e-3 : 1e-5), $"dBias[{ch}] NCHW {x1}, NHWC {x2}");
        }
        using (Parallelism.Scope(1))
        {
            Fused.BiasActivationBackward<T>(nchw, [n, c, h, w], bias, g, a, d3, b3);
        }
        Assert.Equal(b1.Select(v => double.CreateTruncating(v)), b3.Select(v => double.CreateTruncating(v)));
    }

    /// <summary>On data whose sums are inexact, dBias has the same bits on one thread and on every core, on both of
    /// the backward's paths (long channel runs, and channels last): the parts a call is cut into depend on the
    /// degree of parallelism whether or not the pool is free, so a sum whose order follows the parts shows here.</summary>
    [Fact]
    public void The_bias_gradient_on_inexact_data_keeps_its_bits_on_one_thread_and_every_core()
    {
        foreach ((nint[] shape, int axis) in new (nint[], int)[] { ([12, 3, 20_011], 1), ([20_011, 12], -1) })
        {
            int n = (int)(shape[0] * shape[1] * (shape.Length > 2 ? shape[2] : 1)), channels = (int)shape[axis < 0 ? shape.Length + axis : axis];
            T[] x = DeterminismTests.Inexact<T>(n, 21), g = DeterminismTests.Inexact<T>(n, 22), bias = DeterminismTests.Inexact<T>(channels, 23);
            foreach (Activation a in new[] { Activation.Relu(), Activation.LeakyRelu(0.3), Activation.Silu() })
            {
                T[] dx1 = new T[n], db1 = new T[channels], dxn = new T[n], dbn = new T[channels];
                using (Parallelism.Scope(1))
                {
                    Fused.BiasActivationBackward<T>(x, shape, bias, g, a, axis, dx1, db1);
                }
                using (Parallelism.Scope(Math.Max(2, Environment.ProcessorCount)))
                {
                    Fused.BiasActivationBackward<T>(x, shape, bias, g, a, axis, dxn, dbn);
                }
                Harness.AssertElements<T>(dbn, i => db1[i], $"{a} dBias [{string.Join(", ", shape)}] axis {axis}, every core against one");
                Harness.AssertElements<T>(dxn, i => dx1[i], $"{a} dx [{string.Join(", ", shape)}] axis {axis}, every core against one");
            }
        }
    }

    [Fact]
    public void Invalid_shapes_axes_and_bias_lengths_throw_clear_errors()
    {
        var x = new T[24];
        Assert.Contains("3 values but axis 1 has 4", Assert.Throws<ArgumentException>(() => Fused.BiasActivation<T>(x, [2, 4, 3], new T[3], Activation.Relu(), x)).Message, StringComparison.Ordinal);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => Fused.BiasActivation<T>(x, [5, 4], new T[4], Activation.Relu(), x)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => Fused.BiasActivation<T>(x, [24], new T[1], Activation.Relu(), x)).ParamName);
        Assert.Equal("channelAxis", Assert.Throws<ArgumentOutOfRangeException>(() => Fused.BiasActivation<T>(x, [2, 4, 3], new T[4], Activation.Relu(), 3, x)).ParamName);
        Assert.Equal("gradBias", Assert.Throws<ArgumentException>(() => Fused.BiasActivationBackward<T>(x, [2, 4, 3], new T[4], x, Activation.Relu(), new T[24], new T[3])).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Fused.BiasActivation<T>(x, [2, 4, 3], new T[4], Activation.Celu(0), new T[24])).ParamName);
    }
}

public sealed class FusedFloatTests : FusedTests<float>;
public sealed class FusedDoubleTests : FusedTests<double>;
public sealed class FusedHalfTests : FusedTests<Half>;

public sealed class FusedStreamingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(6)]
    public void Past_the_cache_the_one_pass_fused_forward_equals_the_separate_calls(int kind)
    {
        // 5.6M float elements: 45 MB moved, past the non-temporal threshold; long channel runs take the one-pass path
        Activation a = Activation.AllWithDefaults[kind] with { First = kind == 6 ? 0.1 : Activation.AllWithDefaults[kind].First, Second = kind == 6 ? -0.5 : Activation.AllWithDefaults[kind].Second };
        nint[] shape = [2, 4, 700_001];
        int n = 2 * 4 * 700_001;
        float[] x = Numbers.Random<float>(n, 77, 0.01);
        float[] bias = [0.5f, -0.25f, 1e-3f, -8f];
        var expected = new float[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = x[i] + bias[i / 700_001 % 4];
        }
        a.Forward<float>(expected, expected);
        var y = new float[n];
        Fused.BiasActivation<float>(x, shape, bias, a, y);
        Harness.AssertElements<float>(y, i => expected[i], $"{a} fused past the cache");
        using (Parallelism.Scope(1))
        {
            Fused.BiasActivation<float>(x, shape, bias, a, y);
        }
        Harness.AssertElements<float>(y, i => expected[i], $"{a} fused past the cache, one thread");

        // backward: dx bitwise equal to the separate calls, dBias the same bits on one thread and all, close to a double sum
        float[] g = Numbers.Random<float>(n, 78, 0).Select(v => Math.Clamp(v, -2f, 2f)).ToArray();
        var z = new float[n];
        for (int i = 0; i < n; i++)
        {
            z[i] = x[i] + bias[i / 700_001 % 4];
        }
        var dxExpected = new float[n];
        a.Backward<float>(z, g, dxExpected);
        float[] dx = new float[n], db1 = new float[4], db2 = new float[4];
        Fused.BiasActivationBackward<float>(x, shape, bias, g, a, dx, db1);
        Harness.AssertElements<float>(dx, i => dxExpected[i], $"{a} fused backward past the cache");
        using (Parallelism.Scope(1))
        {
            Fused.BiasActivationBackward<float>(x, shape, bias, g, a, dx, db2);
        }
        Assert.Equal(db1, db2);
        for (int c = 0; c < 4; c++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += i / 700_001 % 4 == c ? dxExpected[i] : 0;
            }
            Assert.True(Math.Abs(db1[c] - sum) <= 1e-6 * Math.Max(1, Math.Abs(sum)), $"dBias[{c}] = {db1[c]}, double sum {sum}");
        }
    }
}
