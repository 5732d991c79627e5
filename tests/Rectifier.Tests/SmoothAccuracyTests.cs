using System.Globalization;

namespace Rectifier.Tests;

/// <summary>The accuracy contract of SPEC.md measured in true ULPs: float against the double references of the test
/// project (forward ≤ 2, backward ≤ 4), double against mpmath golden values (≤ 4 / ≤ 8), Half equal to the float
/// result rounded once.</summary>
public sealed class SmoothAccuracyTests
{
    private static readonly Lazy<float[]> Inputs = new(Accuracy.FloatInputs);

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
            double e = Accuracy.FloatUlps(y[i], c.ValueAt(x[i]));
            if (e > fwd.worst)
            {
                fwd = (e, i);
            }
            double slope = c.SlopeAt(x[i]);
            double b = Accuracy.FloatUlps(gi[i], slope == 0 ? 0 : g[i] * slope);
            if (b > bwd.worst)
            {
                bwd = (b, i);
            }
        }
        Assert.True(fwd.worst <= 2, $"{name} forward: {fwd.worst:G4} ULP at x = {Describe(x, fwd.at)} (got {y[fwd.at]:R}, exact {c.ValueAt(x[fwd.at]):R})");
        Assert.True(bwd.worst <= 4, $"{name} backward: {bwd.worst:G4} ULP at x = {Describe(x, bwd.at)} (got {gi[bwd.at]:R}, exact {g[bwd.at] * c.SlopeAt(x[bwd.at]):R})");
    }

    private static string Describe(float[] x, int i) => x[i].ToString("R", CultureInfo.InvariantCulture);

    private static Stream GoldenStream() => typeof(SmoothAccuracyTests).Assembly.GetManifestResourceStream("Rectifier.Tests.Golden.smooth_f64.txt")
        ?? throw new InvalidOperationException("golden file not embedded");

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void Double_forward_is_within_4_ulp_and_backward_within_8_ulp_of_mpmath(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        var points = Accuracy.Golden(GoldenStream()).Where(p => p.Case == name).ToArray();
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
                double e = Accuracy.DoubleUlps(y[i], sel[i].Hi, sel[i].Lo);
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
