using System.Globalization;
using System.Text;

namespace Rectifier.Benchmarks;

/// <summary>The 1-bit-mask forward and backward against their plain forms (f32, 64M elements, all cores),
/// interleaved in one process.</summary>
public static class MaskSuite
{
    public static string Run(int n, bool quick)
    {
        var rng = new Random(1);
        float[] x = new float[n], g = new float[n], y = new float[n], dx = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1);
            g[i] = (float)rng.NextDouble();
        }
        ulong[] mask = new ulong[Activations.MaskLength(n)];
        Activations.Relu<float>(x, y, mask);
        var t = new Interleaved()
            .Add("relu forward", () => Activations.Relu<float>(x, y))
            .Add("relu forward + mask", () => Activations.Relu<float>(x, y, mask))
            .Add("relu backward from x", () => Activations.ReluBackward<float>(x, g, dx))
            .Add("relu backward from mask", () => Activations.ReluBackwardFromMask<float>(mask, g, dx))
            .Add("leaky_relu backward from x", () => Activations.LeakyReluBackward<float>(x, g, 0.01, dx))
            .Add("leaky_relu backward from mask", () => Activations.LeakyReluBackwardFromMask<float>(mask, g, 0.01, dx))
            .Measure(quick ? 3 : 9, quick ? 0.1 : 0.5);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"f32, n = {ReluSuite.Size(n)}, {Environment.ProcessorCount} cores (default parallelism); median of interleaved rounds\n");
        md.AppendLine("| contender | bytes/element | time/call | Gelem/s | GB/s |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (name, secs) in t)
        {
            // forward + mask: x read, y and n/8 mask bytes written; backward from mask: g and mask read, dx written
            double bytes = name.Contains("mask", StringComparison.Ordinal) ? 8.125 : name.Contains("forward", StringComparison.Ordinal) ? 8 : 12;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {bytes} | {ReluSuite.Time(secs)} | {n / secs / 1e9:F2} | {bytes * n / secs / 1e9:F1} |");
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- forward + mask takes {t["relu forward + mask"] / t["relu forward"]:F3}× the time of the forward alone");
        md.AppendLine(CultureInfo.InvariantCulture, $"- relu backward from the mask is {t["relu backward from x"] / t["relu backward from mask"]:F2}× faster than from x");
        md.AppendLine(CultureInfo.InvariantCulture, $"- leaky_relu backward from the mask is {t["leaky_relu backward from x"] / t["leaky_relu backward from mask"]:F2}× faster than from x");
        Console.Error.Write(md.ToString());
        return md.ToString();
    }
}
