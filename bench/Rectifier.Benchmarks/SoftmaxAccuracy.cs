using System.Globalization;
using System.Text;
using Rectifier.Tests;

namespace Rectifier.Benchmarks;

/// <summary>The softmax family's worst error over the mpmath rows of tests/Rectifier.Tests/Golden/softmax_f64.txt:
/// double against mpmath; float and Half on the same rows rounded to the type (where they stay finite) against a
/// double evaluation of the rounded row (x − m exact in double, log1p of the non-maximal terms). The same measure as
/// bench/peers/softmax_peers.py accuracy, for the PyTorch columns.</summary>
public static class SoftmaxAccuracy
{
    public static string Run(string goldenPath)
    {
        var worst = new Dictionary<(string, string), double>();
        int rows = 0;
        foreach (string line in File.ReadLines(goldenPath))
        {
            string[] p = line.Split(' ');
            string form = p[0];
            double[] x = Parse(p[1]), hi = Parse(p[2]), lo = Parse(p[3]);
            if (x.Any(v => double.IsNaN(v) || double.IsPositiveInfinity(v)))
            {
                continue;
            }
            rows++;
            var y = new double[x.Length];
            Call(form, x, y);
            Max(worst, (form, "f64"), Enumerable.Range(0, x.Length).Max(i => Accuracy.DoubleUlps(y[i], hi[i], lo[i])));
            float[] xf = [.. x.Select(v => (float)v)];
            if (xf.Zip(x).Any(t => float.IsInfinity(t.First) && !double.IsInfinity(t.Second)))
            {
                continue;
            }
            double[] exact = SoftmaxReference.Row(form, [.. xf.Select(v => (double)v)]);
            var yf = new float[xf.Length];
            Call(form, xf, yf);
            Max(worst, (form, "f32"), Enumerable.Range(0, xf.Length).Max(i => Accuracy.FloatUlps(yf[i], exact[i])));
        }
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Worst error in ULPs over {rows} finite golden rows (f64 against mpmath; f32 against double on the rows rounded to float)\n");
        md.AppendLine("| function | f32 | f64 |");
        md.AppendLine("|---|---:|---:|");
        foreach (string form in new[] { "softmax", "log_softmax", "softmin" })
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {form} | {worst[(form, "f32")]:F2} | {worst[(form, "f64")]:F2} |");
        }
        return md.ToString();
    }

    private static void Max(Dictionary<(string, string), double> d, (string, string) key, double v) => d[key] = Math.Max(d.GetValueOrDefault(key), v);

    private static double[] Parse(string s) => [.. s.Split(',').Select(b => BitConverter.UInt64BitsToDouble(ulong.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];

    private static void Call<T>(string form, T[] x, T[] y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        switch (form)
        {
            case "softmax": Activations.Softmax<T>(x, y); break;
            case "log_softmax": Activations.LogSoftmax<T>(x, y); break;
            default: Activations.Softmin<T>(x, y); break;
        }
    }
}
