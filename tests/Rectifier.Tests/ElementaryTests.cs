using Rectifier.Maths;
using R = Rectifier.Tests.SmoothReference;

namespace Rectifier.Tests;

/// <summary>The elementary functions of Math/ on their own, in float (double lanes at float precision, and float
/// lanes where the activations use them) and in double, against the independent references of the test project.</summary>
public sealed class ElementaryTests
{
    private static double[] Inputs(double lo, double hi, int seed)
    {
        var rng = new Random(seed);
        var xs = new List<double> { 0.0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 0.75, -0.75, 2.5, -2.5, lo, hi };
        for (int i = 0; i < 20_000; i++)
        {
            xs.Add(i % 2 == 0 ? lo + (hi - lo) * rng.NextDouble() : Math.CopySign(Math.Pow(10, -20 * rng.NextDouble()), rng.NextDouble() - 0.5));
        }
        return [.. xs.Where(x => x >= lo && x <= hi)];
    }

    private static double DoubleUlps(double y, double exact)
    {
        if (double.IsNaN(exact) || double.IsInfinity(exact))
        {
            return y.Equals(exact) ? 0 : double.PositiveInfinity;
        }
        int e = exact == 0 ? -1022 : Math.Max(Math.ILogB(exact), -1022);
        return Math.Abs(y - exact) / Math.ScaleB(1.0, e - 52);
    }

    /// <summary>erfc(u) for u ≥ 2.5 with e^{−u²} from the exact split of u², so the reference keeps its accuracy.</summary>
    private static double ErfcTail(double u)
    {
        double hi = u * u, lo = Math.FusedMultiplyAdd(u, u, -hi);
        double gauss = Math.Exp(-hi) * (1 - lo);
        double f = u;
        for (int k = 300; k >= 1; k--)
        {
            f = u + k / 2.0 / f;
        }
        return gauss / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>erf(u) for |u| ≤ 2 from its all-positive series (no cancellation; good to a few double ULP).</summary>
    private static double ErfSeries(double u)
    {
        double term = u, sum = u;
        for (int n = 1; n < 200; n++)
        {
            term *= 2 * u * u / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-u * u) * sum;
    }

    private static readonly (string Name, double Lo, double Hi, Func<double, double> Reference, Func<double, double> Single, Func<float, float>? FloatLanes, Func<double, double> Full, double FullUlps)[] Cases =
    [
        ("exp", -700, 700, Math.Exp, v => Elementary.Exp<double, D1, SinglePrecision>(v), v => Elementary.Exp<float, F1, SinglePrecision>(v), v => Elementary.Exp<double, D1, FullPrecision>(v), 2),
        ("expm1", -40, 80, R.Expm1, v => Elementary.Expm1<double, D1, SinglePrecision>(v), v => Elementary.Expm1<float, F1, SinglePrecision>(v), v => Elementary.Expm1<double, D1, FullPrecision>(v), 4),
        ("log1p", -0.999, 1e6, R.Log1p, v => Elementary.Log1p<double, D1, SinglePrecision>(v), v => Elementary.Log1p<float, F1, SinglePrecision>(v), v => Elementary.Log1p<double, D1, FullPrecision>(v), 4),
        ("tanh", -30, 30, Math.Tanh, v => Elementary.Tanh<double, D1, SinglePrecision>(v), v => Elementary.Tanh<float, F1, SinglePrecision>(v), v => Elementary.Tanh<double, D1, FullPrecision>(v), 4),
        ("sigmoid", -700, 700, R.Sigmoid, v => Elementary.Sigmoid<double, D1, SinglePrecision>(v), v => Elementary.Sigmoid<float, F1, SinglePrecision>(v), v => Elementary.Sigmoid<double, D1, FullPrecision>(v), 4),
        ("erf", -2, 2, ErfSeries, v => Elementary.Erf<double, D1, SinglePrecision>(v), null, v => Elementary.Erf<double, D1, FullPrecision>(v), double.PositiveInfinity),
        ("erfc", 2.5, 26, ErfcTail, v => Elementary.Erfc<double, D1, SinglePrecision>(v), null, v => Elementary.Erfc<double, D1, FullPrecision>(v), double.PositiveInfinity),
    ];

    public static TheoryData<string> Names => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Float_results_are_within_2_ulp_and_double_results_within_their_bound(string name)
    {
        var c = Cases.Single(k => k.Name == name);
        foreach (double x in Inputs(c.Lo, c.Hi, name.Length))
        {
            double exact = c.Reference(x);
            float xf = (float)x;
            double exactAtFloat = c.Reference(xf);
            double single = Accuracy.FloatUlps((float)c.Single(xf), exactAtFloat);
            Assert.True(single <= 2, $"{name}({xf}) in double lanes at float precision: {single:G3} ULP");
            if (c.FloatLanes is { } lanes)
            {
                double native = Accuracy.FloatUlps(lanes(xf), exactAtFloat);
                Assert.True(native <= 2, $"{name}({xf}) in float lanes: {native:G3} ULP");
            }
            if (double.IsPositiveInfinity(c.FullUlps))
            {
                continue;   // checked against mpmath below
            }
            double full = DoubleUlps(c.Full(x), exact);
            Assert.True(full <= c.FullUlps, $"{name}({x:R}) in double: {full:G3} ULP (got {c.Full(x):R}, reference {exact:R})");
        }
    }

    /// <summary>erf and erfc in double against mpmath (their double-precision test references are only good to a few
    /// ULP, so the float checks above use them and this one the golden values).</summary>
    [Fact]
    public void Double_erf_and_erfc_are_within_4_ulp_of_mpmath_over_the_whole_line()
    {
        using Stream stream = typeof(ElementaryTests).Assembly.GetManifestResourceStream("Rectifier.Tests.Golden.smooth_f64.txt")!;
        var points = Accuracy.Golden(stream).Where(p => p.Case == "erf|erfc").ToArray();
        Assert.True(points.Length > 1000);
        foreach (var (_, erfc, x, hi, lo) in points)
        {
            double y = erfc ? Elementary.Erfc<double, D1, FullPrecision>(x) : Elementary.Erf<double, D1, FullPrecision>(x);
            double ulps = Accuracy.DoubleUlps(y, hi, lo);
            Assert.True(ulps <= 4, $"{(erfc ? "erfc" : "erf")}({x:R}) = {y:R}, {ulps:G3} ULP from mpmath");
        }
    }

    [Fact]
    public void Special_values_keep_signs_limits_and_NaN()
    {
        Assert.True(double.IsNegative(Elementary.Expm1<double, D1, FullPrecision>(-0.0)));
        Assert.True(double.IsNegative(Elementary.Log1p<double, D1, FullPrecision>(-0.0)));
        Assert.True(double.IsNegative(Elementary.Tanh<double, D1, FullPrecision>(-0.0)));
        Assert.True(double.IsNegative(Elementary.Erf<double, D1, FullPrecision>(-0.0)));
        Assert.Equal(double.PositiveInfinity, Elementary.Exp<double, D1, FullPrecision>(710));
        Assert.Equal(0.0, Elementary.Exp<double, D1, FullPrecision>(-746));
        Assert.Equal(double.NegativeInfinity, Elementary.Log1p<double, D1, FullPrecision>(-1));
        Assert.True(double.IsNaN(Elementary.Log1p<double, D1, FullPrecision>(-2)));
        Assert.Equal(-1.0, Elementary.Expm1<double, D1, FullPrecision>(double.NegativeInfinity));
        Assert.Equal(2.0, Elementary.Erfc<double, D1, FullPrecision>(double.NegativeInfinity));
        Assert.Equal(1.0, Elementary.Erf<double, D1, FullPrecision>(double.PositiveInfinity));
        foreach (Func<double, double> f in new Func<double, double>[]
        {
            v => Elementary.Exp<double, D1, FullPrecision>(v), v => Elementary.Expm1<double, D1, FullPrecision>(v), v => Elementary.Log1p<double, D1, FullPrecision>(v),
            v => Elementary.Tanh<double, D1, FullPrecision>(v), v => Elementary.Sigmoid<double, D1, FullPrecision>(v), v => Elementary.Erf<double, D1, FullPrecision>(v),
            v => Elementary.Erfc<double, D1, FullPrecision>(v),
        })
        {
            Assert.True(double.IsNaN(f(double.NaN)));
        }
    }
}
