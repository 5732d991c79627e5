using System.Globalization;
using System.Text;
using Rectifier.Kernels;

namespace Rectifier.Benchmarks;

/// <summary>The sweeps behind the two thresholds of the drivers: from what size two threads beat one, and from
/// what size non-temporal stores beat ordinary ones (out of place).</summary>
public static class Thresholds
{
    public static string Run()
    {
        var md = new StringBuilder();
        md.AppendLine("| n (f32) | bytes moved | 1 thread | 2 threads | 2 vs 1 | cached stores | non-temporal | NT vs cached |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        long savedParallel = ParallelRunner.ThresholdBytes, savedPart = ParallelRunner.MinBytesPerPart, savedNt = Elementwise.NonTemporalThresholdBytes;
        try
        {
            for (int n = 1 << 12; n <= 1 << 25; n *= 2)
            {
                float[] x = new float[n], y = new float[n];
                var rng = new Random(1);
                for (int i = 0; i < n; i++)
                {
                    x[i] = (float)(rng.NextDouble() * 2 - 1);
                }
                ParallelRunner.ThresholdBytes = 0;
                ParallelRunner.MinBytesPerPart = 1;
                var t = new Interleaved()
                    .Add("1", () => { Elementwise.NonTemporalThresholdBytes = long.MaxValue; using (Parallelism.Scope(1)) Activations.Relu<float>(x, y); })
                    .Add("2", () => { Elementwise.NonTemporalThresholdBytes = long.MaxValue; using (Parallelism.Scope(2)) Activations.Relu<float>(x, y); })
                    .Add("cached", () => { Elementwise.NonTemporalThresholdBytes = long.MaxValue; using (Parallelism.Scope(2)) Activations.Relu<float>(x, y); })
                    .Add("nt", () => { Elementwise.NonTemporalThresholdBytes = 0; using (Parallelism.Scope(2)) Activations.Relu<float>(x, y); })
                    .Measure(7, n >= 1 << 22 ? 0.1 : 0.02);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {ReluSuite.Size(n)} | {8L * n / 1024} KiB | {ReluSuite.Time(t["1"])} | {ReluSuite.Time(t["2"])} | {t["1"] / t["2"]:F2}× | {ReluSuite.Time(t["cached"])} | {ReluSuite.Time(t["nt"])} | {t["cached"] / t["nt"]:F2}× |");
                Console.Error.WriteLine($"{n}: 2v1 {t["1"] / t["2"]:F2} nt {t["cached"] / t["nt"]:F2}");
            }
        }
        finally
        {
            ParallelRunner.ThresholdBytes = savedParallel;
            ParallelRunner.MinBytesPerPart = savedPart;
            Elementwise.NonTemporalThresholdBytes = savedNt;
        }
        return md.ToString();
    }
}
