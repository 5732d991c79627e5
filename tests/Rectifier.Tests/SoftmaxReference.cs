using R = Rectifier.Tests.SmoothReference;

namespace Rectifier.Tests;

/// <summary>softmax, log_softmax and softmin of one row in double, written from SPEC.md independently of the library;
/// shared by the tests and the accuracy report of bench/Rectifier.Benchmarks.</summary>
public static class SoftmaxReference
{
    /// <summary>The exact row in double from SPEC.md's formulas: e = exp(s·x − m) with the difference taken in double
    /// (exact for float data), the sum in double, and log Σ as log1p of the terms other than the first maximum.</summary>
    public static double[] Row(string form, double[] row)
    {
        double sign = form == "softmin" ? -1 : 1;
        double[] v = [.. row.Select(x => sign * x)];
        double m = double.NegativeInfinity;
        bool nan = false;
        foreach (double t in v)
        {
            nan |= double.IsNaN(t);
            m = t > m ? t : m;
        }
        if (nan || double.IsPositiveInfinity(m) || double.IsNegativeInfinity(m))
        {
            return [.. v.Select(_ => double.NaN)];
        }
        int first = Array.IndexOf(v, m);
        double rest = 0;
        for (int i = 0; i < v.Length; i++)
        {
            rest += i == first ? 0 : Math.Exp(v[i] - m);
        }
        if (form == "log_softmax")
        {
            double l = R.Log1p(rest);
            return [.. v.Select(t => double.IsNegativeInfinity(t) ? double.NegativeInfinity : (t - m) - l)];
        }
        return [.. v.Select(t => Math.Exp(t - m) / (1 + rest))];
    }
}
