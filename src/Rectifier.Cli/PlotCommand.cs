using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary>One unbroken stretch of a curve: the x values and the library's values there.</summary>
internal sealed record CurvePiece(double[] X, double[] Y);

/// <summary>A curve split at its kinks, so that a jump is drawn as a jump (relu's derivative as a step, not a ramp),
/// with the value the library gives exactly at each jump.</summary>
/// <param name="Label">The function and its parameters, e.g. <c>leaky_relu(0.2)</c>, with a prime for a derivative.</param>
/// <param name="Pieces">The stretches between kinks, each ending one representable double short of the kink.</param>
/// <param name="Jumps">Where the curve jumps: x at the kink and the library's value there.</param>
internal sealed record Curve(string Label, IReadOnlyList<CurvePiece> Pieces, IReadOnlyList<(double X, double Y)> Jumps);

/// <summary>The data of <c>rectifier plot</c>, computed by the library in double precision (forward, and backward
/// with gradOutput = 1 for the derivative), kept apart from the drawing so tests check the numbers, not pixels.</summary>
internal static class Curves
{
    /// <summary>Where <paramref name="a"/> or its derivative may be discontinuous (the catalogue's kinks).</summary>
    public static IReadOnlyList<double> Kinks(Activation a) => a.Info.Kinks(a);

    /// <summary>f over [<paramref name="lo"/>, <paramref name="hi"/>] at <paramref name="points"/> (at least 2) evenly
    /// spaced x, or f' when <paramref name="derivative"/> is true.</summary>
    public static Curve Of(Activation a, double lo, double hi, int points, bool derivative)
    {
        double[] kinks = [.. Kinks(a).Where(k => k > lo && k < hi).Distinct().Order()];
        var pieces = new List<CurvePiece>();
        var jumps = new List<(double, double)>();
        double start = lo;
        for (int i = 0; i <= kinks.Length; i++)
        {
            double end = i < kinks.Length ? kinks[i] : hi;
            // This stretch: its ends (one double inside a kink) and the evenly spaced points strictly between.
            var xs = new List<double> { i == 0 ? lo : Math.BitIncrement(start) };
            for (int j = 0; j < points; j++)
            {
                double x = lo + (hi - lo) * j / (points - 1);
                if (x > xs[0] && x < (i < kinks.Length ? Math.BitDecrement(end) : hi))
                {
                    xs.Add(x);
                }
            }
            xs.Add(i < kinks.Length ? Math.BitDecrement(end) : hi);
            double[] x0 = [.. xs];
            pieces.Add(new CurvePiece(x0, Evaluate(a, x0, derivative)));
            start = end;
        }
        for (int i = 0; i < kinks.Length; i++)
        {
            double k = kinks[i];
            double left = pieces[i].Y[^1], right = pieces[i + 1].Y[0];
            double at = Evaluate(a, [k], derivative)[0];
            double scale = Math.Max(1, Math.Max(Math.Abs(left), Math.Abs(right)));
            if (Math.Abs(left - right) > 1e-6 * scale || (Math.Abs(at - left) > 1e-6 * scale && Math.Abs(at - right) > 1e-6 * scale))
            {
                jumps.Add((k, at));
            }
            else
            {
                // No jump: join the two stretches through the kink itself.
                pieces[i] = new CurvePiece([.. pieces[i].X, k], [.. pieces[i].Y, at]);
            }
        }
        return new Curve(derivative ? Label(a) + "'" : Label(a), pieces, jumps);
    }

    /// <summary>The library's values: forward, or backward with gradOutput = 1.</summary>
    public static double[] Evaluate(Activation a, double[] x, bool derivative)
    {
        var y = new double[x.Length];
        if (derivative)
        {
            double[] ones = [.. Enumerable.Repeat(1.0, x.Length)];
            a.Backward<double>(x, ones, y);
        }
        else
        {
            a.Forward<double>(x, y);
        }
        return y;
    }

    /// <summary>The function as it would be called, with its parameters: <c>gelu(approximate='tanh')</c>.</summary>
    public static string Label(Activation a) => a.Kind == ActivationKind.GeluTanh ? "gelu(approximate='tanh')" : a.ToString();
}

/// <summary><c>rectifier plot</c>: any activations and their derivatives, drawn from the library's own values.</summary>
internal static class PlotCommand
{
    /// <summary>Default size of one panel.</summary>
    public const int PanelWidth = 800, PanelHeight = 560, CellWidth = 360, CellHeight = 280, GridColumns = 4;

    public static Command Create(RunContext ctx)
    {
        var options = new ApplyCommand.Options();
        var functions = new Argument<string[]>("function") { Description = "one or more functions 'apply' takes, or 'all'", Arity = ArgumentArity.OneOrMore };
        var derivative = new Option<bool>("--derivative") { Description = "also draw each derivative (the library's backward with gradOutput = 1): a second panel, or with --grid in each cell" };
        var range = new Option<string>("--range") { Description = "the x range as LO,HI", DefaultValueFactory = _ => "-4,4", HelpName = "LO,HI" };
        var points = CliOptions.Integer("--points", "how many evenly spaced x (2 to 1000000)", 1001);
        var output = new Option<string>("--out") { Description = "the PNG to write", DefaultValueFactory = _ => "plot.png", HelpName = "FILE.png" };
        var grid = new Option<bool>("--grid") { Description = $"one cell per function ({GridColumns} columns), each with its derivative when --derivative is given" };
        var width = CliOptions.Integer("--width", $"image width in pixels (default {PanelWidth} per panel, {CellWidth} per grid cell)", 0);
        var height = CliOptions.Integer("--height", $"image height in pixels (default {PanelHeight}, {CellHeight} per grid row)", 0);
        var command = new Command("plot", "Draw activations (and with --derivative their derivatives) over a range as a PNG, computed by the library; kinks drawn as they are, with the value at each jump marked.")
        {
            functions, derivative, range, points, output, grid, width, height,
        };
        foreach (Option o in options.ForFunctions(grad: false).Where(o => o.Name is not ("--weight-file" or "--channel-axis" or "--dim")))
        {
            command.Options.Add(o);
        }
        command.SetAction(parse => ApplyCommand.Guard(ctx, () =>
        {
            var (lo, hi) = ParseRange(parse.GetValue(range)!);
            int n = parse.GetValue(points);
            if (n is < 2 or > 1_000_000)
            {
                throw CliError.Usage($"--points must be between 2 and 1000000, not {n}");
            }
            string[] names = parse.GetValue(functions)!;
            var specs = names.Length == 1 && names[0] == "all"
                ? Functions.All.Where(f => !f.AlongDim).ToList()
                : names.Select(Functions.Require).ToList();
            if (specs.FirstOrDefault(f => f.AlongDim) is { } rowwise)
            {
                throw CliError.Usage($"{rowwise.Name} normalises a whole row along --dim, so it has no curve y = f(x) to plot; 'rectifier apply {rowwise.Name}' computes it");
            }
            var used = specs.SelectMany(s => s.Parameters.Select(p => p.Option)).ToHashSet(StringComparer.Ordinal);
            foreach (Option o in options.ForFunctions(grad: false))
            {
                if (parse.GetResult(o) is not null && !used.Contains(o.Name))
                {
                    throw CliError.Usage($"{o.Name} applies to none of {string.Join(", ", specs.Select(s => s.Name))}");
                }
            }
            var activations = new List<Activation>();
            foreach (FunctionSpec spec in specs)
            {
                ParameterValues values = spec.Name == "threshold" && names[0] == "all" && parse.GetResult(options["--threshold"]) is null
                    ? IllustrativeThreshold()
                    : options.ValuesFor(parse, spec);
                activations.Add(Functions.ToActivation(spec.Name, values));
                if (spec.Name == "gelu" && names[0] == "all")
                {
                    activations.Add(Activation.Gelu(GeluApproximation.Tanh));
                }
            }
            bool withDerivative = parse.GetValue(derivative), asGrid = parse.GetValue(grid);
            var forward = activations.Select(a => Curves.Of(a, lo, hi, n, false)).ToList();
            var backward = withDerivative ? activations.Select(a => Curves.Of(a, lo, hi, n, true)).ToList() : null;
            string path = parse.GetValue(output)!;
            var (w, h) = Plots.ActivationImageSize(activations.Count, withDerivative, asGrid, parse.GetValue(width), parse.GetValue(height));
            Plots.Activations(path, forward, backward, asGrid, w, h, lo, hi);
            ctx.Console.WriteLine($"wrote {path}: {string.Join(", ", forward.Select(c => c.Label))}{(withDerivative ? " and their derivatives" : "")} over [{lo.ToString(CultureInfo.InvariantCulture)}, {hi.ToString(CultureInfo.InvariantCulture)}], {w}x{h} pixels");
        }));
        return command;
    }

    /// <summary>threshold has no default: in 'all', it is drawn with t = 1, v = 0 (the label says so).</summary>
    private static ParameterValues IllustrativeThreshold()
    {
        var values = new ParameterValues();
        values.Set("--threshold", 1);
        values.Set("--value", 0);
        return values;
    }

    internal static (double Lo, double Hi) ParseRange(string text)
    {
        string[] parts = text.Split(',');
        if (parts.Length != 2 || !CliOptions.TryParseNumber(parts[0], out double lo) || !CliOptions.TryParseNumber(parts[1], out double hi)
            || !double.IsFinite(lo) || !double.IsFinite(hi) || !(lo < hi))
        {
            throw CliError.Usage($"--range must be two finite numbers LO,HI with LO < HI, like -4,4 (got '{text}')");
        }
        return (lo, hi);
    }
}
