using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rectifier.Benchmarks;

/// <summary>Each special path against its plain counterpart, measured in the same process on one thread: the mask
/// forward and backward, the fused bias forms, Half relu against a Half copy and Half gelu against float gelu. With
/// <c>--legs</c> the suite runs itself once per vector-width leg (default, <c>DOTNET_EnableAVX512=0</c>,
/// <c>DOTNET_EnableAVX2=0</c>) and writes one table of ratios, each leg a column.</summary>
public static class DriversSuite
{
    /// <summary>(row, ratio, target): the ratio is the special path's speed over its plain counterpart's.</summary>
    private static List<(string Row, double Ratio, string Target)> Measure(int n, int threads, bool quick)
    {
        var rng = new Random(1);
        float[] x = new float[n], g = new float[n], y = new float[n], dx = new float[n], z = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(rng.NextDouble() * 4 - 2);
            g[i] = (float)rng.NextDouble();
        }
        ulong[] mask = new ulong[Activations.MaskLength(n)];
        Activations.Relu<float>(x, y, mask);
        Half[] hx = [.. x.Select(v => (Half)v)], hy = new Half[n];
        // NCHW with a bias per channel: 16 channels of 64×64 per image
        int channels = 16, inner = 64 * 64;
        nint[] shape = [n / (channels * inner), channels, 64, 64];
        float[] bias = [.. Enumerable.Range(0, channels).Select(c => 0.01f * c - 0.08f)];
        float[] dBias = new float[channels];
        Activation relu = Activation.Relu();
        nint[] nhwc = [n / (channels * inner), 64, 64, channels];
        float[] weights = [.. Enumerable.Range(0, channels).Select(c => 0.02f * c + 0.1f)], dWeights = new float[channels];
        int rounds = quick ? 5 : 11;
        double sample = quick ? 0.05 : 0.2;
        Dictionary<string, double> t;
        using (Parallelism.Scope(threads))
        {
            t = new Interleaved()
                .Add("fwd", () => Activations.Relu<float>(x, y))
                .Add("fwd+mask", () => Activations.Relu<float>(x, y, mask))
                .Add("bwd x", () => Activations.ReluBackward<float>(x, g, dx))
                .Add("bwd mask", () => Activations.ReluBackwardFromMask<float>(mask, g, dx))
                .Add("leaky bwd x", () => Activations.LeakyReluBackward<float>(x, g, 0.01, dx))
                .Add("leaky bwd mask", () => Activations.LeakyReluBackwardFromMask<float>(mask, g, 0.01, dx))
                .Add("fused fwd", () => Fused.BiasActivation<float>(x, shape, bias, relu, y))
                .Add("separate fwd", () =>
                {
                    FusedSuite.AddBias(x, bias, inner, z, threads);
                    Activations.Relu<float>(z, y);
                })
                .Add("fused bwd", () => Fused.BiasActivationBackward<float>(x, shape, bias, g, relu, dx, dBias))
                .Add("separate bwd", () =>
                {
                    FusedSuite.AddBias(x, bias, inner, z, threads);
                    Activations.ReluBackward<float>(z, g, dx);
                    FusedSuite.SumBias(dx, inner, dBias);
                })
                .Add("copy", () => x.AsSpan().CopyTo(y))
                .Add("prelu nhwc", () => Activations.PRelu<float>(x, nhwc, weights, -1, y))
                .Add("prelu bwd", () => Activations.PReluBackward<float>(x, shape, g, weights, 1, dx, dWeights))
                .Add("half copy", () => hx.AsSpan().CopyTo(hy))
                .Add("half relu", () => Activations.Relu<Half>(hx, hy))
                .Add("half gelu", () => Activations.Gelu<Half>(hx, hy))
                .Add("float gelu", () => Activations.Gelu<float>(x, y))
                .Measure(rounds, sample);
        }
        return
        [
            ("mask backward / backward from x (relu)", t["bwd x"] / t["bwd mask"], "≥ 1.25"),
            ("mask backward / backward from x (leaky_relu)", t["leaky bwd x"] / t["leaky bwd mask"], "≥ 1.25"),
            ("forward with mask / forward (relu)", t["fwd"] / t["fwd+mask"], "≥ 0.9"),
            ("fused relu forward / separate passes (NCHW)", t["separate fwd"] / t["fused fwd"], "≥ 1.5"),
            ("fused relu backward / separate passes (NCHW)", t["separate bwd"] / t["fused bwd"], "≥ 1.5"),
            ("prelu backward, dx and dw per channel / leaky_relu backward, dx (NCHW)", t["leaky bwd x"] / t["prelu bwd"], "—"),
            ("prelu forward, one weight per channel (NHWC, 16 channels) / float copy", t["copy"] / t["prelu nhwc"], "—"),
            ("Half relu / Half copy", t["half copy"] / t["half relu"], "≥ 0.8"),
            ("Half gelu / float gelu (elements per second)", t["float gelu"] / t["half gelu"], "≥ 0.9"),
        ];
    }

    public static string Run(bool quick, bool legs, int threads)
    {
        int n = 1 << 18;
        if (!legs)
        {
            var rows = Measure(n, threads, quick);
            var sb = new StringBuilder();
            foreach (var (row, ratio, target) in rows)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{row}\t{ratio:F2}\t{target}");
            }
            return sb.ToString();
        }
        (string Name, string? Variable)[] legList = [("AVX-512", null), ("AVX2 (`DOTNET_EnableAVX512=0`)", "DOTNET_EnableAVX512"), ("128-bit (`DOTNET_EnableAVX2=0`)", "DOTNET_EnableAVX2")];
        var columns = new List<Dictionary<string, (double Ratio, string Target)>>();
        foreach (var (name, variable) in legList)
        {
            Console.Error.WriteLine($"leg {name} ...");
            var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in new[] { "drivers", "--threads", threads.ToString(CultureInfo.InvariantCulture) }.Concat(quick ? ["--quick"] : []))
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment.Remove("DOTNET_EnableAVX512");
            psi.Environment.Remove("DOTNET_EnableAVX2");
            if (variable is not null)
            {
                psi.Environment[variable] = "0";
            }
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var column = new Dictionary<string, (double, string)>();
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = line.Split('\t');
                if (parts.Length == 3)
                {
                    column[parts[0]] = (double.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
                }
            }
            columns.Add(column);
        }
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"f32 unless named, n = {n / 1024}K, {threads} thread(s), median of interleaved rounds; each cell is the special path's speed over its plain counterpart's\n");
        md.AppendLine("| path | " + string.Join(" | ", legList.Select(l => l.Name)) + " | target |");
        md.AppendLine("|---|" + string.Concat(legList.Select(_ => "---:|")) + "---|");
        foreach (string row in columns[0].Keys)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row} |");
            foreach (var c in columns)
            {
                md.Append(CultureInfo.InvariantCulture, $" {(c.TryGetValue(row, out var v) ? v.Ratio.ToString("F2", CultureInfo.InvariantCulture) + "×" : "–")} |");
            }
            md.AppendLine(CultureInfo.InvariantCulture, $" {columns[0][row].Target} |");
        }
        return md.ToString();
    }
}
