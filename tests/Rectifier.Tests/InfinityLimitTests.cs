using System.Numerics;

namespace Rectifier.Tests;

/// <summary>At ±∞ every smooth function returns its limit, written here from the formulas (never from the library),
/// in every type and at every vector width the lengths reach: never a NaN made by ∞·0 or ∞ − ∞.</summary>
public sealed class InfinityLimitTests
{
    private const double SeluScale = 1.0507009873554804934193349852946, SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>(function, f(+∞), f(−∞), f'(+∞), f'(−∞)) with PyTorch's defaults.</summary>
    public static TheoryData<string, double, double, double, double> Limits => new()
    {
        { "elu", double.PositiveInfinity, -1.0, 1, 0 },
        { "celu", double.PositiveInfinity, -1.0, 1, 0 },
        { "selu", double.PositiveInfinity, -SeluAlpha * SeluScale, SeluScale, 0 },
        { "gelu", double.PositiveInfinity, -0.0, 1, 0 },
        { "gelu_tanh", double.PositiveInfinity, -0.0, 1, 0 },
        { "silu", double.PositiveInfinity, -0.0, 1, 0 },
        { "mish", double.PositiveInfinity, -0.0, 1, 0 },
        { "softplus", double.PositiveInfinity, 0.0, 1, 0 },
        { "hardswish", double.PositiveInfinity, -0.0, 1, 0 },
        { "hardsigmoid", 1.0, 0.0, 0, 0 },
        { "sigmoid", 1.0, 0.0, 0, 0 },
        { "tanh", 1.0, -1.0, 0, 0 },
        { "softsign", 1.0, -1.0, 0, 0 },
        { "tanhshrink", double.PositiveInfinity, double.NegativeInfinity, 1, 1 },
        { "logsigmoid", -0.0, double.NegativeInfinity, 0, 1 },
    };

    private static Activation Of(string name) => name switch
    {
        "elu" => Activation.Elu(),
        "celu" => Activation.Celu(),
        "selu" => Activation.Selu(),
        "gelu" => Activation.Gelu(),
        "gelu_tanh" => Activation.Gelu(GeluApproximation.Tanh),
        "silu" => Activation.Silu(),
        "mish" => Activation.Mish(),
        "softplus" => Activation.Softplus(),
        "hardswish" => Activation.Hardswish(),
        "hardsigmoid" => Activation.Hardsigmoid(),
        "sigmoid" => Activation.Sigmoid(),
        "softsign" => Activation.Softsign(),
        "tanhshrink" => Activation.Tanhshrink(),
        "logsigmoid" => Activation.LogSigmoid(),
        "tanh" => Activation.Tanh(),
        _ => throw new ArgumentException($"no limits written for {name}", nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Every_smooth_function_returns_its_limit_at_plus_and_minus_infinity(string name, double atPlus, double atMinus, double slopePlus, double slopeMinus)
    {
        Check<float>(name, atPlus, atMinus, slopePlus, slopeMinus);
        Check<double>(name, atPlus, atMinus, slopePlus, slopeMinus);
        Check<Half>(name, atPlus, atMinus, slopePlus, slopeMinus);
    }

    private static void Check<T>(string name, double atPlus, double atMinus, double slopePlus, double slopeMinus) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Activation a = Of(name);
        // Lengths 1 (scalar path), 7 and 67 (vector bodies and tails), infinities at every position.
        foreach (int n in new[] { 1, 7, 67 })
        {
            T[] x = new T[n], y = new T[n], g = new T[n], dx = new T[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = i % 2 == 0 ? T.PositiveInfinity : T.NegativeInfinity;
                g[i] = T.One;
            }
            a.Forward<T>(x, y);
            a.Backward<T>(x, g, dx);
            for (int i = 0; i < n; i++)
            {
                bool plus = i % 2 == 0;
                T expected = T.CreateTruncating(plus ? atPlus : atMinus);
                Assert.True(Numbers.Same(expected, y[i]), $"{name}<{typeof(T).Name}>({(plus ? "+" : "-")}inf) = {y[i]}, expected {expected} (n = {n})");
                T slope = T.CreateTruncating(plus ? slopePlus : slopeMinus);
                Assert.True(dx[i] == slope, $"{name}'<{typeof(T).Name}>({(plus ? "+" : "-")}inf) = {dx[i]}, expected {slope} (n = {n})");
            }
        }
    }

    /// <summary>At ±MaxValue (and one ULP inside) every smooth function and its derivative agree with the double
    /// reference of the test project: within 2 and 4 float ULP (an overflow counts only where the reference
    /// overflows too), and for Half within 1 and 2 Half ULP of the reference rounded once. A limit computed as NaN,
    /// or an intermediate overflow such as max·scale or max², cannot pass.</summary>
    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void At_plus_and_minus_max_every_smooth_function_meets_its_accuracy_bound(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        float[] x = [float.MaxValue, float.MinValue, MathF.BitDecrement(float.MaxValue), MathF.BitIncrement(float.MinValue)];
        foreach (int n in new[] { 1, 4, 67 })
        {
            float[] xs = Enumerable.Range(0, n).Select(i => x[i % x.Length]).ToArray(), y = new float[n], g = new float[n], dx = new float[n];
            g.AsSpan().Fill(1);
            c.Forward<float>(xs, y);
            c.Backward<float>(xs, g, dx);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Accuracy.FloatUlps(y[i], c.Value(xs[i])) <= 2, $"{name}({xs[i]:R}) = {y[i]:R}, reference {c.Value(xs[i]):R} (n = {n})");
                Assert.True(Accuracy.FloatUlps(dx[i], c.Slope(xs[i])) <= 4, $"{name}'({xs[i]:R}) = {dx[i]:R}, reference {c.Slope(xs[i]):R} (n = {n})");
            }
        }
        Half[] hx = [Half.MaxValue, Half.MinValue, BitConverter.UInt16BitsToHalf(0x7BFE), BitConverter.UInt16BitsToHalf(0xFBFE)];
        Half[] hy = new Half[hx.Length], hg = Enumerable.Repeat(Half.One, hx.Length).ToArray(), hdx = new Half[hx.Length];
        c.Forward<Half>(hx, hy);
        c.Backward<Half>(hx, hg, hdx);
        for (int i = 0; i < hx.Length; i++)
        {
            Assert.True(Accuracy.HalfUlps(hy[i], c.Value((double)hx[i])) <= 1, $"{name}<Half>({hx[i]}) = {hy[i]}, reference {c.Value((double)hx[i]):R}");
            Assert.True(Accuracy.HalfUlps(hdx[i], c.Slope((double)hx[i])) <= 2, $"{name}'<Half>({hx[i]}) = {hdx[i]}, reference {c.Slope((double)hx[i]):R}");
        }
    }

    [Fact]
    public void Selu_scales_an_infinite_gradient_to_infinity_not_NaN()
    {
        float[] x = [1f, 2f], g = [float.PositiveInfinity, float.NegativeInfinity], dx = new float[2];
        Activations.SeluBackward<float>(x, g, dx);
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity], dx);
    }
}

/// <summary>docs/SPEC.md: a NaN that passes through from the input keeps its bits. Every smooth forward, in float and
/// double, on quiet NaNs of both signs with scattered payloads, at every position of vector bodies and tails.</summary>
public sealed class NaNPassThroughTests
{
    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void A_quiet_NaN_input_comes_out_with_its_bits(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        foreach (int n in new[] { 1, 5, 67 })
        {
            double[] xd = new double[n], yd = new double[n];
            float[] xf = new float[n], yf = new float[n];
            for (int i = 0; i < n; i++)
            {
                bool nan = i % 3 == 0;
                ulong payload = (ulong)(i + 1) * 0x9E3779B97F4A7C15UL;
                xd[i] = nan ? BitConverter.UInt64BitsToDouble(0x7FF8_0000_0000_0000UL | (payload >> 13) | (i % 2 == 0 ? 1UL << 63 : 0)) : (i % 3 == 1 ? -2.5 : 1.5);
                xf[i] = nan ? BitConverter.UInt32BitsToSingle(0x7FC0_0000u | (uint)(payload >> 42) | (i % 2 == 0 ? 1u << 31 : 0)) : (float)xd[i];
            }
            c.Forward<double>(xd, yd);
            c.Forward<float>(xf, yf);
            for (int i = 0; i < n; i += 3)
            {
                Assert.True(BitConverter.DoubleToUInt64Bits(yd[i]) == BitConverter.DoubleToUInt64Bits(xd[i]), $"{name}<double>(0x{BitConverter.DoubleToUInt64Bits(xd[i]):X16}) = 0x{BitConverter.DoubleToUInt64Bits(yd[i]):X16} (n = {n})");
                Assert.True(BitConverter.SingleToUInt32Bits(yf[i]) == BitConverter.SingleToUInt32Bits(xf[i]), $"{name}<float>(0x{BitConverter.SingleToUInt32Bits(xf[i]):X8}) = 0x{BitConverter.SingleToUInt32Bits(yf[i]):X8} (n = {n})");
            }
        }
    }
}
