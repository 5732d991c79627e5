using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary><c>rectifier bench</c>: ReLU and GELU forward on this machine, as GB/s and as a fraction of a plain memory
/// copy of the same bytes measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create(RunContext ctx)
    {
        var quick = new Option<bool>("--quick") { Description = "fewer sizes and shorter timings (well under 30 s)" };
        var command = new Command("bench", "Measure relu and gelu forward (float32) against a memory copy on this machine.") { quick };
        command.SetAction(parse => ApplyCommand.Guard(ctx, () => Run(ctx, parse.GetValue(quick))));
        return command;
    }

    /// <summary>Replaces the sizes (tests run the command on small arrays).</summary>
    internal static int[]? SizesOverride { get; set; }

    private static void Run(RunContext ctx, bool quick)
    {
        int[] sizes = SizesOverride ?? (quick ? [1 << 16, 1 << 20, 1 << 24] : [1 << 12, 1 << 16, 1 << 20, 1 << 24, 1 << 26]);
        double seconds = quick ? 0.05 : 0.25;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("n (float32)").AddColumn(new TableColumn("copy GB/s").RightAligned())
            .AddColumn(new TableColumn("relu GB/s").RightAligned()).AddColumn(new TableColumn("relu / copy").RightAligned())
            .AddColumn(new TableColumn("gelu GB/s").RightAligned()).AddColumn(new TableColumn("gelu / copy").RightAligned());
        foreach (int n in sizes)
        {
            ctx.Cancel.ThrowIfCancellationRequested();
            var rng = new Random(1);
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)(rng.NextDouble() * 8 - 4);
            }
            double copy = Median(() => x.AsSpan().CopyTo(y), seconds);
            double relu = Median(() => Activations.Relu<float>(x, y), seconds);
            double gelu = Median(() => Activations.Gelu<float>(x, y), seconds);
            double bytes = 8.0 * n;
            table.AddRow(Size(n), Rate(bytes, copy), Rate(bytes, relu), Ratio(copy, relu), Rate(bytes, gelu), Ratio(copy, gelu));
        }
        ctx.Console.Write(table);
        ctx.Console.MarkupLine($"Each figure: median of 5 timings, bytes read + written per second. Vector path: {Markup.Escape(RuntimeInfo.VectorDescription)}, {Environment.ProcessorCount} core(s).");
        ctx.Console.MarkupLine("relu/copy near 1 means relu runs at memory speed; gelu is compute-bound (≤ 2 ULP, see docs/ACCURACY.md).");
    }

    private static double Median(Action run, double seconds)
    {
        run();
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalSeconds < seconds / 5 || calls < 2)
        {
            run();
            calls++;
        }
        int reps = Math.Max(1, calls);
        var samples = new double[5];
        for (int s = 0; s < samples.Length; s++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < reps; i++)
            {
                run();
            }
            samples[s] = Stopwatch.GetElapsedTime(t0).TotalSeconds / reps;
        }
        Array.Sort(samples);
        return samples[2];
    }

    private static string Size(int n) => n >= 1 << 20 ? $"{n >> 20}M" : $"{n >> 10}K";

    private static string Rate(double bytes, double secs) => (bytes / secs / 1e9).ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(double copy, double secs) => (copy / secs).ToString("F2", CultureInfo.InvariantCulture);
}
