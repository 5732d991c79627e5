using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace Rectifier.Benchmarks;

/// <summary>Activations over System.Numerics.Tensors views (f32, 1M elements) against the dense span path over the
/// same element count, interleaved in one process: every other row of a 2048 × 1024 matrix (contiguous inner runs of
/// 1024), and a transposed 1024 × 1024 view (no contiguous dimension in common with the destination), each into a
/// dense destination.</summary>
public static class TensorSuite
{
    public static string Run(bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine("| function | threads | dense | every other row | rows / dense | transposed | transposed / dense |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        const int N = 1024;
        var rng = new Random(1);
        float[] source = new float[2 * N * N];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = (float)(rng.NextDouble() * 8 - 4);
        }
        float[] dense = source[..(N * N)];
        float[] y = new float[N * N];
        foreach (Activation activation in new[] { Activation.Relu(), Activation.Gelu(), Activation.Silu() })
        {
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                var t = new Interleaved()
                    .Add("dense", () =>
                    {
                        using (Parallelism.Scope(threads)) activation.Forward<float>(dense, y);
                    })
                    .Add("rows", () =>
                    {
                        using (Parallelism.Scope(threads))
                            activation.Forward(new ReadOnlyTensorSpan<float>(source, 0, [N, N], [2 * N, 1]), new TensorSpan<float>(y, [N, N]));
                    })
                    .Add("transposed", () =>
                    {
                        using (Parallelism.Scope(threads))
                            activation.Forward(new ReadOnlyTensorSpan<float>(dense, 0, [N, N], [1, N]), new TensorSpan<float>(y, [N, N]));
                    })
                    .Measure(quick ? 5 : 11, quick ? 0.05 : 0.2);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {activation.Name} | {threads} | {ReluSuite.Time(t["dense"])} | {ReluSuite.Time(t["rows"])} | {t["dense"] / t["rows"]:F2} | {ReluSuite.Time(t["transposed"])} | {t["dense"] / t["transposed"]:F2} |");
            }
        }
        Console.Error.Write(md.ToString());
        return md.ToString();
    }
}
