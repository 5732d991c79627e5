using System.Globalization;
using System.Reflection;

namespace Rectifier.Tests;

/// <summary>The accuracy contract of SPEC.md measured in true ULPs: float against the double references of the test
/// project (forward ≤ 2, backward ≤ 4), double against mpmath golden values (≤ 4 / ≤ 8), Half equal to the float
/// result rounded once.</summary>
public sealed class SmoothAccuracyTests
{
    private const int RandomCount = 1 << 20;

    /// <summary>Error of a float result against an exact value, in units of the float ULP at the exact value
    /// (subnormal spacing below the normal range). Expected overflow (|exact| past the rounding point of MaxValue)
    /// counts as exact when the result is the infinity of the same sign.</summary>
    public static double FloatUlps(float y, double exact)
    {
        if (double.IsNaN(exact))
        {
            return float.IsNaN(y) ? 0 : double.PositiveInfinity;
        }
        if (float.IsNaN(y))
        {
            return double.PositiveInfinity;
        }
        if (float.IsInfinity(y))
        {
            return Math.Abs(exact) >= 3.4028235677973366e38 && Math.Sign(y) == Math.Sign(exact) ? 0 : double.PositiveInfinity;
        }
        int e = exact == 0 ? -126 : Math.Max(Math.ILogB(exact), -126);
        return Math.Abs(y - exact) / Math.ScaleB(1.0, e - 23);
    }

    /// <summary>Error of a double result against an exact value given as hi + lo, in double ULPs.</summary>
    public static double DoubleUlps(double y, double hi, double lo)
    {
        if (double.IsNaN(hi))
        {
            return double.IsNaN(y) ? 0 : double.PositiveInfinity;
        }
        if (double.IsNaN(y))
        {
            return double.PositiveInfinity;
        }
        if (double.IsInfinity(y) || double.IsInfinity(hi))
        {
            return y == hi ? 0 : double.PositiveInfinity;
        }
        int e = hi == 0 ? -1022 : Math.Max(Math.ILogB(hi), -1022);
        double ulp = Math.ScaleB(1.0, e - 52);
        return Math.Abs((y - hi) / ulp - lo / ulp);
    }

    /// <summary>Every float input class SPEC.md names: special values, ±[1e−45, 1e−30], the neighbourhood of 0 and
    /// of each kink and threshold, the saturation tails, and 2^20 seeded random inputs over all exponents.</summary>
    public static float[] FloatInputs()
    {
        var xs = new List<float>(RandomCount + 4096);
        foreach (float s in Numbers.Specials<float>())
        {
            if (float.IsFinite(s) || float.IsNaN(s))
            {
                xs.Add(s);
            }
        }
        for (double m = 1e-45; m <= 1e-30; m *= 1.37)
        {
            xs.Add((float)m);
            xs.Add((float)-m);
        }
        foreach (float k in new[] { 0f, 3f, -3f, 6f, -6f, 20f, -20f, 2.5f, 1.5f, -1.5f, 1.0606602f, -1.0606602f, 2.5f * 1.4142135f, -2.5f * 1.4142135f, 2.5f / 8 })
        {
            float up = k, down = k;
            for (int i = 0; i < 8; i++)
            {
                up = MathF.BitIncrement(up);
                down = MathF.BitDecrement(down);
                xs.Add(up);
                xs.Add(down);
            }
        }
        xs.AddRange([-100f, -13f, -14f, -15f, -1e-30f, 40f, -40f, -88f, -103f, 88f, 89f, 9f, 10f, -0.7517916f, -1.2784645f, -1.1924f, -87f, -104f]);
        var rng = new Random(20261128);
        for (int i = 0; i < RandomCount; i++)
        {
            xs.Add(i % 2 == 0
                ? (float)((rng.NextDouble() + 0.5) * Math.ScaleB(1.0, rng.Next(-149, 127)) * (rng.Next(2) == 0 ? -1 : 1))
                : (float)((rng.NextDouble() * 2 - 1) * 40));
        }
        return [.. xs];
    }

    private static readonly Lazy<float[]> Inputs = new(FloatInputs);

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void Float_forward_is_within_2_ulp_and_backward_within_4_ulp(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        float[] x = Inputs.Value;
        var y = new float[x.Length];
        var g = new float[x.Length];
        var rng = new Random(7);
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = (float)((rng.NextDouble() + 0.5) * (rng.Next(2) == 0 ? -1 : 1));
        }
        var gi = new float[x.Length];
        c.Forward<float>(x, y);
        c.Backward<float>(x, g, gi);
        (double worst, int at) fwd = (0, -1), bwd = (0, -1);
        for (int i = 0; i < x.Length; i++)
        {
            double e = FloatUlps(y[i], c.Value(x[i]));
            if (e > fwd.worst)
            {
                fwd = (e, i);
            }
            double b = FloatUlps(gi[i], float.IsNaN(x[i]) ? double.NaN : g[i] * c.Slope(x[i]));
            if (b > bwd.worst)
            {
                bwd = (b, i);
            }
        }
        Assert.True(fwd.worst <= 2, $"{name} forward: {fwd.worst:G4} ULP at x = {Describe(x, fwd.at)} (got {y[fwd.at]:R}, exact {c.Value(x[fwd.at]):R})");
        Assert.True(bwd.worst <= 4, $"{name} backward: {bwd.worst:G4} ULP at x = {Describe(x, bwd.at)} (got {gi[bwd.at]:R}, exact {g[bwd.at] * c.Slope(x[bwd.at]):R})");
    }

    private static string Describe(float[] x, int i) => x[i].ToString("R", CultureInfo.InvariantCulture);

    public static IEnumerable<(string Case, bool Backward, double X, double Hi, double Lo)> Golden()
    {
        using Stream stream = typeof(SmoothAccuracyTests).Assembly.GetManifestResourceStream("Rectifier.Tests.Golden.smooth_f64.txt")
            ?? throw new InvalidOperationException("golden file not embedded");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] p = line.Split(' ');
            yield return (p[0], p[1] == "bwd", Bits(p[2]), Bits(p[3]), Bits(p[4]));
        }

        static double Bits(string hex) => BitConverter.UInt64BitsToDouble(ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void Double_forward_is_within_4_ulp_and_backward_within_8_ulp_of_mpmath(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        var points = Golden().Where(p => p.Case == name).ToArray();
        Assert.True(points.Length > 1000, $"{name}: only {points.Length} golden points");
        foreach (bool backward in new[] { false, true })
        {
            var sel = points.Where(p => p.Backward == backward).ToArray();
            double[] x = sel.Select(p => p.X).ToArray();
            var y = new double[x.Length];
            if (backward)
            {
                var ones = new double[x.Length];
                Array.Fill(ones, 1.0);
                c.Backward<double>(x, ones, y);
            }
            else
            {
                c.Forward<double>(x, y);
            }
            (double worst, int at) w = (0, -1);
            for (int i = 0; i < x.Length; i++)
            {
                double e = DoubleUlps(y[i], sel[i].Hi, sel[i].Lo);
                if (e > w.worst)
                {
                    w = (e, i);
                }
            }
            double limit = backward ? 8 : 4;
            Assert.True(w.worst <= limit, $"{name} {(backward ? "backward" : "forward")}: {w.worst:G4} ULP at x = {(w.at >= 0 ? x[w.at].ToString("R", CultureInfo.InvariantCulture) : "")} (got {(w.at >= 0 ? y[w.at] : 0):R}, exact {(w.at >= 0 ? sel[w.at].Hi : 0):R})");
        }
    }

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void Half_equals_the_float_result_rounded_once_for_every_half(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        var h = new Half[65536];
        var f = new float[65536];
        for (int i = 0; i < h.Length; i++)
        {
            h[i] = BitConverter.UInt16BitsToHalf((ushort)i);
            f[i] = (float)h[i];
        }
        var hy = new Half[h.Length];
        var fy = new float[f.Length];
        c.Forward<Half>(h, hy);
        c.Forward<float>(f, fy);
        Harness.AssertElements<Half>(hy, i => (Half)fy[i], $"{name} Half forward");

        var hg = new Half[h.Length];
        var fg = new float[f.Length];
        for (int i = 0; i < hg.Length; i++)
        {
            hg[i] = (Half)(i % 7 - 3.25);
            fg[i] = (float)hg[i];
        }
        c.Backward<Half>(h, hg, hy);
        c.Backward<float>(f, fg, fy);
        Harness.AssertElements<Half>(hy, i => (Half)fy[i], $"{name} Half backward");
    }
}
