using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace Rectifier.Benchmarks;

/// <summary>Fused bias + activation against a separate bias-add pass followed by the activation (f32, NCHW
/// [64, 64, 128, 128] = 64M elements, all cores), interleaved in one process.</summary>
public static class FusedSuite
{
    public static string Run(bool quick)
    {
        nint[] shape = quick ? [16, 64, 128, 128] : [64, 64, 128, 128];
        int n = (int)(shape[0] * shape[1] * shape[2] * shape[3]);
        int channels = (int)shape[1], inner = (int)(shape[2] * shape[3]);
        var rng = new Random(1);
        float[] x = new float[n], g = new float[n], y = new float[n], z = new float[n], dx = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(rng.NextDouble() * 4 - 2);
            g[i] = (float)rng.NextDouble();
        }
        float[] bias = [.. Enumerable.Range(0, channels).Select(c => 0.01f * c - 0.3f)];
        float[] dBias = new float[channels];
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"f32, NCHW {string.Join("×", shape)} = {ReluSuite.Size(n)} elements, {Environment.ProcessorCount} cores; median of interleaved rounds\n");
        md.AppendLine("| activation | direction | fused | separate passes | speed-up |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (Activation a in new[] { Activation.Relu(), Activation.Gelu() })
        {
            var t = new Interleaved()
                .Add("fused fwd", () => Fused.BiasActivation<float>(x, shape, bias, a, y))
                .Add("separate fwd", () =>
                {
                    AddBias(x, bias, inner, z);
                    a.Forward<float>(z, y);
                })
                .Add("fused bwd", () => Fused.BiasActivationBackward<float>(x, shape, bias, g, a, dx, dBias))
                .Add("separate bwd", () =>
                {
                    AddBias(x, bias, inner, z);
                    a.Backward<float>(z, g, dx);
                    SumBias(dx, inner, dBias);
                })
                .Measure(quick ? 3 : 7, quick ? 0.1 : 0.5);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {a} | forward | {ReluSuite.Time(t["fused fwd"])} | {ReluSuite.Time(t["separate fwd"])} | {t["separate fwd"] / t["fused fwd"]:F2}× |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| {a} | backward (dx and dBias) | {ReluSuite.Time(t["fused bwd"])} | {ReluSuite.Time(t["separate bwd"])} | {t["separate bwd"] / t["fused bwd"]:F2}× |");
            Console.Error.WriteLine($"{a}: fwd {t["separate fwd"] / t["fused fwd"]:F2}x, bwd {t["separate bwd"] / t["fused bwd"]:F2}x");
        }
        md.AppendLine();
        md.AppendLine("Separate passes: a bias add over whole channel runs (TensorPrimitives.Add, multi-threaded by channel), the activation");
        md.AppendLine("(Rectifier, all cores), and for the backward a per-channel sum of dx (TensorPrimitives.Sum).");
        return md.ToString();
    }

    /// <summary>z = x + bias per channel run, the runs spread over at most <paramref name="threads"/> threads.</summary>
    internal static void AddBias(float[] x, float[] bias, int inner, float[] z, int threads = -1)
        => Parallel.For(0, x.Length / inner, new ParallelOptions { MaxDegreeOfParallelism = threads },
            r => TensorPrimitives.Add(x.AsSpan(r * inner, inner), bias[r % bias.Length], z.AsSpan(r * inner, inner)));

    internal static void SumBias(float[] dx, int inner, float[] dBias)
    {
        var sums = new double[dBias.Length];
        for (int r = 0; r < dx.Length / inner; r++)
        {
            sums[r % dBias.Length] += TensorPrimitives.Sum<float>(dx.AsSpan(r * inner, inner));
        }
        for (int c = 0; c < dBias.Length; c++)
        {
            dBias[c] = (float)sums[c];
        }
    }
}
