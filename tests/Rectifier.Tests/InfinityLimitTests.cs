using System.Numerics;

namespace Rectifier.Tests;

/// <summary>The edges of the range: ±MaxValue and one ULP inside (±∞ are rows of <see cref="SpecialValueTableTests"/>),
/// and infinite gradients.</summary>
public sealed class InfinityLimitTests
{
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
