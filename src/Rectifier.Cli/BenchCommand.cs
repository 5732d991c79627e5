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
        var quick = new Option<bool>("--quick") { Description = "fewer sizes and shorter timings (well under a minute)" };
        var command = new Command("bench", "Measure relu and gelu forward (float32) against a memory copy on this machine.") { quick };
        command.SetAction(parse => ApplyCommand.Guard(ctx, () => Run(ctx, parse.GetValue(quick))));
        return command;
    }

    /// <summary>Replaces the sizes (tests run the command on small arrays).</summary>
    internal static int[]? SizesOverride { get; set; }

    /// <summary>The thread counts compared: 1, and every core when there is more than one.</summary>
    internal static int[] ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    private static void Run(RunContext ctx, bool quick)
    {
        int[] sizes = SizesOverride ?? (quick ? [1 << 16, 1 << 20, 1 << 24] : [1 << 12, 1 << 16, 1 << 20, 1 << 24, 1 << 26]);
        double seconds = quick ? 0.05 : 0.25;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("n (float32)").AddColumn(new TableColumn("threads").RightAligned()).AddColumn(new TableColumn("copy GB/s").RightAligned())
            .AddColumn(new TableColumn("relu GB/s").RightAligned()).AddColumn(new TableColumn("relu / copy").RightAligned())
            .AddColumn(new TableColumn("gelu GB/s").RightAligned()).AddColumn(new TableColumn("gelu / copy").RightAligned());
        foreach (int n in sizes)
        {
            var rng = new Random(1);
            float[] x = new float[n], y = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)(rng.NextDouble() * 8 - 4);
            }
            foreach (int threads in ThreadCounts)
            {
                ctx.Cancel.ThrowIfCancellationRequested();
                bool first = n == sizes[0];
                // The copy at its best with at most as many threads: a fork-join costs more than a small copy.
                double copy = Measure(() => Copy(x, y, threads), seconds, first, ctx.Cancel).SecondsPerCall;
                if (threads > 1)
                {
                    copy = Math.Min(copy, Measure(() => Copy(x, y, 1), seconds, false, ctx.Cancel).SecondsPerCall);
                }
                double relu = Measure(() => { using (Parallelism.Scope(threads)) Activations.Relu<float>(x, y); }, seconds, first, ctx.Cancel).SecondsPerCall;
                double gelu = Measure(() => { using (Parallelism.Scope(threads)) Activations.Gelu<float>(x, y); }, seconds, first, ctx.Cancel).SecondsPerCall;
                double bytes = 8.0 * n;
                table.AddRow(Size(n), threads.ToString(CultureInfo.InvariantCulture), Rate(bytes, copy), Rate(bytes, relu), Ratio(copy, relu), Rate(bytes, gelu), Ratio(copy, gelu));
            }
        }
        ctx.Console.Write(table);
        ctx.Console.MarkupLine($"Each figure: median of 5 timings after a warm-up (optimised code, caches and pages warm), bytes read + written per second. On each row relu and gelu use the row's thread count and the copy is the faster of 1 thread and that many. Vector path: {Markup.Escape(RuntimeInfo.VectorDescription)}, {Environment.ProcessorCount} core(s).");
        ctx.Console.MarkupLine("relu/copy near 1 means relu runs at memory speed; gelu is compute-bound (<= 2 ULP, see docs/ACCURACY.md).");
    }

    /// <summary>A plain copy of the same bytes on <paramref name="threads"/> threads (one contiguous part each).</summary>
    private static void Copy(float[] x, float[] y, int threads)
    {
        if (threads == 1)
        {
            x.AsSpan().CopyTo(y);
            return;
        }
        int part = (x.Length + threads - 1) / threads;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int start = Math.Min(x.Length, t * part), length = Math.Min(part, x.Length - start);
            x.AsSpan(start, length).CopyTo(y.AsSpan(start, length));
        });
    }

    /// <summary>What <see cref="Measure"/> found: the median seconds per call, and how many calls warmed it up.</summary>
    internal readonly record struct Measurement(double SecondsPerCall, int WarmUpCalls);

    /// <summary>Times <paramref name="run"/>: first a warm-up of at least 50 calls that goes on until two successive
    /// batches agree within 5%, and lasts at least 600 ms the first time <paramref name="firstTime"/> is true (the JIT
    /// promotes a method to optimised code only after about 100 ms without new compilations and 30 calls, then
    /// compiles it in the background), 100 ms otherwise; then the median of 5 timings of a batch lasting about
    /// <paramref name="seconds"/>/5.</summary>
    internal static Measurement Measure(Action run, double seconds, bool firstTime, CancellationToken cancel = default)
    {
        double minimum = firstTime ? 0.6 : 0.1;
        var warm = Stopwatch.StartNew();
        int warmCalls = 0, batch = 1;
        double previous = double.MaxValue;
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++)
            {
                run();
            }
            double perCall = Stopwatch.GetElapsedTime(t0).TotalSeconds / batch;
            warmCalls += batch;
            bool settled = Math.Abs(perCall - previous) <= 0.05 * previous;
            if ((warm.Elapsed.TotalSeconds >= minimum && warmCalls >= 50 && settled) || warm.Elapsed.TotalSeconds >= 2)
            {
                break;
            }
            previous = perCall;
            batch = Math.Clamp((int)(0.01 / Math.Max(perCall, 1e-9)), 1, 1 << 20);
        }
        int reps = Math.Max(1, (int)(seconds / 5 / Math.Max(previous, 1e-9)));
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
        return new Measurement(samples[2], warmCalls);
    }

    private static string Size(int n) => n >= 1 << 20 ? $"{n >> 20}M" : $"{n >> 10}K";

    private static string Rate(double bytes, double secs) => (bytes / secs / 1e9).ToString("F1", CultureInfo.InvariantCulture);

    private static string Ratio(double copy, double secs) => (copy / secs).ToString("F2", CultureInfo.InvariantCulture);
}
