using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Rectifier.Diagnostics;
using Rectifier.IO;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary><c>rectifier dead-units</c>: which units of an activation tensor never fire (the dying-ReLU check),
/// streamed through <see cref="DeadUnitMonitor"/> without loading the file.</summary>
internal static class DeadUnitsCommand
{
    public static Command Create(RunContext ctx)
    {
        var file = new Argument<string>("activations.npy") { Description = "activations, [batch, units] or [N, C, …] (float16/32/64)" };
        var axis = CliOptions.Integer("--axis", "the unit axis: 1 for [batch, units] and NCHW, -1 for NHWC", 1);
        var json = new Option<bool>("--json") { Description = "print JSON instead of a table" };
        var threshold = CliOptions.Number("--threshold", "a unit is active where its value is above this", 0.0);
        var bins = CliOptions.Integer("--bins", "histogram bins of the activation rate", 10);
        var command = new Command("dead-units", "Report units (features or channels) that are never active: how many, which, and how often the others fire.")
        {
            file, axis, json, threshold, bins,
        };
        command.SetAction(parse => ApplyCommand.Guard(ctx, () =>
        {
            string path = parse.GetValue(file)!;
            if (parse.GetValue(bins) < 1)
            {
                throw CliError.Usage("--bins must be at least 1");
            }
            if (double.IsNaN(parse.GetValue(threshold)))
            {
                throw CliError.Usage("--threshold must be a number");
            }
            using NpyReader reader = NpyReader.Open(path);
            NpyArrayInfo info = reader.Info;
            if (info.Shape.Length < 2)
            {
                throw CliError.Input($"{Path.GetFileName(path)}: shape {info.ShapeText} has no unit axis; dead-units needs [batch, units] or [N, C, …]");
            }
            if (info.FortranOrder)
            {
                throw CliError.Input($"{Path.GetFileName(path)}: Fortran-ordered arrays are not supported here (save with np.ascontiguousarray)");
            }
            int requested = parse.GetValue(axis);
            ChannelLayout layout;
            try
            {
                layout = ChannelLayout.Create(info.Shape, requested);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw CliError.Usage($"--axis {requested} is not an axis of shape {info.ShapeText} (use 0..{info.Shape.Length - 1} or -1..-{info.Shape.Length})");
            }
            var monitor = new DeadUnitMonitor(layout.Channels, parse.GetValue(threshold));
            switch (info.DataType)
            {
                case NpyDataType.Float16: Observe<Half>(ctx, reader, layout, monitor); break;
                case NpyDataType.Float32: Observe<float>(ctx, reader, layout, monitor); break;
                case NpyDataType.Float64: Observe<double>(ctx, reader, layout, monitor); break;
                default: throw ApplyCommand.NotFloatingPoint(reader);
            }
            DeadUnitReport report = monitor.Report(parse.GetValue(bins));
            if (parse.GetValue(json))
            {
                ctx.Console.Profile.Width = int.MaxValue / 2;
                ctx.Console.WriteLine(Json(path, info, layout, report));
            }
            else
            {
                Table(ctx.Console, path, info, layout, report);
            }
        }));
        return command;
    }

    private static void Observe<T>(RunContext ctx, NpyReader reader, ChannelLayout layout, DeadUnitMonitor monitor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunk = Pipeline.ChunkBytes / Unsafe.SizeOf<T>();
        T[][] buffers = [new T[chunk], new T[chunk]];
        ctx.WithProgress("dead-units", reader.Info.Count, reader.Info.Count * reader.Info.ItemSize, progress =>
            Pipeline.Run(Pipeline.ByChannel(layout.Outer, layout.Channels, layout.Inner, chunk),
                (p, s) => reader.Read(p.Start, buffers[s].AsSpan(0, p.Length)),
                (p, s) =>
                {
                    ReadOnlySpan<T> data = buffers[s].AsSpan(0, p.Length);
                    // One thread counts a piece several times faster than the next one is read (≈ 20 GB/s against
                    // ≈ 6): more threads only compete with the reading thread for the cores.
                    using var one = Parallelism.Scope(1);
                    if (p.Partial)
                    {
                        monitor.ObserveUnit(data, p.FirstChannel);
                    }
                    else
                    {
                        monitor.ObserveRange(data, layout.Channels, layout.Inner, p.FirstChannel);
                    }
                },
                null, ctx.Cancel, progress));
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(string path, NpyArrayInfo info, ChannelLayout layout, DeadUnitReport report)
    {
        int bins = report.Histogram.Length;
        var document = new
        {
            file = path,
            dtype = info.Descr,
            shape = info.Shape.Select(d => (long)d),
            axis = layout.Axis,
            units = report.Units,
            observations_per_unit = report.Observations,
            threshold = report.Threshold,
            dead = report.DeadUnits.Length,
            dead_fraction = report.DeadFraction,
            dead_units = report.DeadUnits,
            histogram = report.Histogram.Select((count, i) => new { from = (double)i / bins, to = (double)(i + 1) / bins, units = count }),
            activation_rates = report.ActivationRates,
        };
        return JsonSerializer.Serialize(document, JsonOptions);
    }

    private static void Table(IAnsiConsole console, string path, NpyArrayInfo info, ChannelLayout layout, DeadUnitReport report)
    {
        var summary = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        summary.AddRow("file", Markup.Escape(path));
        summary.AddRow("array", $"{info.Descr} {info.ShapeText}, units on axis {layout.Axis}");
        summary.AddRow("units", report.Units.ToString(CultureInfo.InvariantCulture));
        summary.AddRow("observations per unit", report.Observations.ToString("N0", CultureInfo.InvariantCulture));
        summary.AddRow("active means", $"value > {report.Threshold.ToString(CultureInfo.InvariantCulture)}");
        string deadText = $"{report.DeadUnits.Length} ({report.DeadFraction.ToString("P1", CultureInfo.InvariantCulture)})";
        summary.AddRow("dead units", report.DeadUnits.Length > 0 ? $"[red]{deadText}[/]" : $"[green]{deadText}[/]");
        if (report.DeadUnits.Length > 0)
        {
            string list = string.Join(", ", report.DeadUnits.Take(32));
            summary.AddRow("which", report.DeadUnits.Length > 32 ? list + $", … ({report.DeadUnits.Length - 32} more; --json lists all)" : list);
        }
        console.Write(summary);
        console.WriteLine();
        console.MarkupLine("Activation rate (fraction of observations above the threshold), units per bin:");
        var chart = new BarChart().Width(60);
        int bins = report.Histogram.Length;
        for (int i = 0; i < bins; i++)
        {
            string label = $"{(double)i / bins:0.00}–{(double)(i + 1) / bins:0.00}";
            chart.AddItem(label, report.Histogram[i], i == 0 ? Color.Red : Color.Green);
        }
        console.Write(chart);
    }
}
