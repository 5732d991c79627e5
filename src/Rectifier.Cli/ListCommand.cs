using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary><c>rectifier list</c>: the functions, their parameters and defaults, and what this machine runs them on.</summary>
internal static class ListCommand
{
    public static Command Create(RunContext ctx)
    {
        var command = new Command("list", "List the functions with their parameters and defaults, the active vector width and the core count.");
        command.SetAction(_ => ApplyCommand.Guard(ctx, () => Render(ctx.Console)));
        return command;
    }

    internal static void Render(IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("function").AddColumn("computes").AddColumn("parameters (default)").AddColumn("family");
        foreach (FunctionSpec f in Functions.All)
        {
            string parameters = f.Parameters.Length == 0 ? "—" : string.Join("\n", f.Parameters.Select(p =>
                $"{p.Option} {p.Parameter.DefaultText ?? "required"}" +
                (p.Parameter.Choices.Count > 0 ? $" ({string.Join("|", p.Parameter.Choices)})" : "")));
            if (f.Name == "prelu")
            {
                parameters += "\n--weight-file w.npy, --channel-axis 1";
            }
            table.AddRow(Markup.Escape(f.Name), Markup.Escape(f.Summary), Markup.Escape(parameters), f.Row.Family switch { ActivationFamily.PiecewiseLinear => "exact (bitwise PyTorch)", ActivationFamily.Smooth => "smooth (≤ 2 ULP)", _ => "along an axis (≤ 2 ULP)" });
        }
        console.Write(table);
        console.MarkupLine($"Vector path: [bold]{Markup.Escape(RuntimeInfo.VectorDescription)}[/]; cores: [bold]{Environment.ProcessorCount}[/]; threads used for large arrays: [bold]{Parallelism.MaxDegreeOfParallelism}[/].");
        console.MarkupLine("Element types: float16, float32, float64 (.npy <f2, <f4, <f8 and big-endian forms).");
    }
}
