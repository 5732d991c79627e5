using System.Globalization;
using System.Text;
using Rectifier.Diagnostics;

namespace Rectifier.Benchmarks;

/// <summary>The dead-unit monitor against the relu forward over the same data (f32), interleaved in one process:
/// Observe on each layout, and the forward that observes while it computes.</summary>
public static class MonitorSuite
{
    public static string Run(bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine("| layout | threads | relu forward | Observe | Observe / relu | ObserveForward(relu) | ObserveForward / relu |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var cases = new (string Name, nint[] Shape, int Axis, int Units)[]
        {
            ("[4096, 1024], axis 1", [4096, 1024], 1, 1024),
            ("[4096, 1024], axis 0", [4096, 1024], 0, 4096),
            ("NCHW [32, 64, 32, 32], axis 1", [32, 64, 32, 32], 1, 64),
        };
        foreach (var (name, shape, axis, units) in cases)
        {
            int n = (int)shape.Aggregate((nint)1, (a, b) => a * b);
            var rng = new Random(1);
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)(rng.NextDouble() * 2 - 1);
            }
            Activations.Relu<float>(x, y);
            var monitor = new DeadUnitMonitor(units);
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                var t = new Interleaved()
                    .Add("relu", () => { using (Parallelism.Scope(threads)) Activations.Relu<float>(x, y); })
                    .Add("observe", () => { using (Parallelism.Scope(threads)) monitor.Observe<float>(y, shape, axis); })
                    .Add("observe forward", () => { using (Parallelism.Scope(threads)) monitor.ObserveForward<float>(x, shape, Activation.Relu(), axis, y); })
                    .Measure(quick ? 5 : 11, quick ? 0.05 : 0.2);
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {threads} | {ReluSuite.Time(t["relu"])} | {ReluSuite.Time(t["observe"])} | {t["observe"] / t["relu"]:F2} | {ReluSuite.Time(t["observe forward"])} | {t["observe forward"] / t["relu"]:F2} |");
            }
        }
        Console.Error.Write(md.ToString());
        return md.ToString();
    }
}

/// <summary>Where the time of the monitor goes on cache-resident data (one thread).</summary>
public static class MonitorMicro
{
    public static string Run()
    {
        var md = new StringBuilder();
        foreach (var (rows, units) in new[] { (16, 1024), (64, 1024), (4096, 1024) })
        {
            int n = rows * units;
            var rng = new Random(1);
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)(rng.NextDouble() * 2 - 1);
            }
            var monitor = new DeadUnitMonitor(units);
            var monitorRuns = new DeadUnitMonitor(rows);
            long[] active = new long[units];
            var t = new Interleaved()
                .Add("relu", () => { using (Parallelism.Scope(1)) Activations.Relu<float>(x, y); })
                .Add("observe rows", () => { using (Parallelism.Scope(1)) monitor.Observe<float>(x, [rows, units], 1); })
                .Add("observe runs", () => { using (Parallelism.Scope(1)) monitorRuns.Observe<float>(x, [rows, units], 0); })
                .Add("addrows kernel", () => Rectifier.Kernels.CountKernels.AddRows<float>(x, rows, units, 0f, active))
                .Add("countabove kernel", () => Rectifier.Kernels.CountKernels.CountAbove<float>(x, 0f))
                .Measure(5, 0.3);
            md.AppendLine(CultureInfo.InvariantCulture, $"[{rows}, {units}]: {string.Join(", ", t.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value * 1e9 / n:F3} ns/elem")))}");
        }
        return md.ToString();
    }
}
