using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary><c>rectifier demo</c>: the tutorial's worked example, computed by the library.</summary>
internal static class DemoCommand
{
    /// <summary>The example input: negatives, zero (both signs) and positives.</summary>
    internal static readonly float[] Input = [-3.0f, -1.5f, -0.5f, -0.0f, 0.0f, 0.5f, 1.5f, 3.0f];

    public static Command Create(IAnsiConsole console)
    {
        var command = new Command("demo", "Show the tutorial's worked example: relu, its derivative, leaky_relu and prelu of a small array.");
        command.SetAction(_ =>
        {
            Render(console);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void Render(IAnsiConsole console)
    {
        float[] x = Input;
        float[] relu = new float[x.Length], grad = new float[x.Length], leaky = new float[x.Length], prelu = new float[x.Length];
        float[] ones = [.. Enumerable.Repeat(1f, x.Length)];
        Activations.Relu<float>(x, relu);
        Activations.ReluBackward<float>(x, ones, grad);
        Activations.LeakyRelu<float>(x, 0.01, leaky);
        Activations.PRelu<float>(x, 0.25f, prelu);

        console.MarkupLine("[bold]ReLU, the rectified linear unit:[/] f(x) = max(0, x), applied to a whole array at once");
        console.MarkupLine("(NumPy: [grey]np.maximum(0, x)[/]; Rectifier: [grey]Activations.Relu(x, y)[/]).");
        console.WriteLine();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn(new TableColumn("x").RightAligned());
        table.AddColumn(new TableColumn("relu(x)").RightAligned());
        table.AddColumn(new TableColumn("relu'(x)").RightAligned());
        table.AddColumn(new TableColumn("leaky_relu(x, 0.01)").RightAligned());
        table.AddColumn(new TableColumn("prelu(x, w=0.25)").RightAligned());
        for (int i = 0; i < x.Length; i++)
        {
            table.AddRow(Format(x[i]), Format(relu[i]), Format(grad[i]), Format(leaky[i]), Format(prelu[i]));
        }
        console.Write(table);
        console.WriteLine();
        console.MarkupLine("relu'(x) is 1 where x > 0 and 0 elsewhere (0 at the kink x = 0, as in PyTorch).");
        console.MarkupLine("Units whose input stays negative get no gradient and can 'die'; leaky_relu and prelu keep a small slope there.");
        console.MarkupLine($"Vector path: [bold]{RuntimeInfo.VectorDescription}[/], {Environment.ProcessorCount} core(s) available.");
        console.MarkupLine("To see the curves and their derivatives: [grey]rectifier plot relu leaky_relu --derivative[/] (writes plot.png).");
    }

    internal static string Format(float v) =>
        v == 0 && float.IsNegative(v) ? "-0" : v.ToString("0.####", CultureInfo.InvariantCulture);
}
