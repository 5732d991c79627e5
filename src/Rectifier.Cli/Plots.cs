using ScottPlot;
using Rectifier.Training;

namespace Rectifier.Cli;

/// <summary>PNG plots of the experiments (ScottPlot): loss curves and dead-unit fractions.</summary>
internal static class Plots
{
    public const int Width = 900, Height = 560;

    public static void Convergence(string folder, List<RunResult> runs, string dataName)
    {
        Directory.CreateDirectory(folder);
        var loss = new ScottPlot.Plot();
        var accuracy = new ScottPlot.Plot();
        foreach (var group in runs.GroupBy(r => r.Activation.ToString()))
        {
            var list = group.ToList();
            int epochs = list.Min(r => r.Epochs.Count);
            double[] x = [.. Enumerable.Range(1, epochs).Select(e => (double)e)];
            double[] meanLoss = [.. Enumerable.Range(0, epochs).Select(e => list.Average(r => r.Epochs[e].Loss))];
            double[] meanAcc = [.. Enumerable.Range(0, epochs).Select(e => list.Average(r => r.Epochs[e].TrainAccuracy))];
            loss.Add.Scatter(x, meanLoss).LegendText = group.Key;
            accuracy.Add.Scatter(x, meanAcc).LegendText = group.Key;
        }
        loss.Title($"Training loss (mean over seeds), {dataName}");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.Axes.SetLimitsY(0, Math.Min(3, runs.Max(r => r.Epochs[0].Loss) * 1.1));
        loss.ShowLegend();
        loss.SavePng(Path.Combine(folder, "convergence-loss.png"), Width, Height);
        accuracy.Title($"Training accuracy (mean over seeds), {dataName}");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy");
        accuracy.ShowLegend();
        accuracy.SavePng(Path.Combine(folder, "convergence-accuracy.png"), Width, Height);
    }

    public static void Dying(string folder, List<RunResult> runs, int[] hidden, string dataName)
    {
        Directory.CreateDirectory(folder);
        foreach (var byRate in runs.GroupBy(r => r.LearningRate))
        {
            var plot = new ScottPlot.Plot();
            foreach (var group in byRate.GroupBy(r => r.Activation.ToString()))
            {
                var list = group.ToList();
                int epochs = list.Min(r => r.Epochs.Count);
                double[] x = [.. Enumerable.Range(1, epochs).Select(e => (double)e)];
                double[] dead = [.. Enumerable.Range(0, epochs).Select(e => list.Average(r => r.Epochs[e].DeadFraction.Select((f, l) => f * hidden[l]).Sum() / hidden.Sum()))];
                plot.Add.Scatter(x, dead).LegendText = group.Key;
            }
            plot.Title($"Dead hidden units, learning rate {byRate.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {dataName}");
            plot.XLabel("epoch");
            plot.YLabel("fraction of hidden units dead");
            plot.Axes.SetLimitsY(0, 1);
            plot.ShowLegend();
            plot.SavePng(Path.Combine(folder, $"dying-lr{byRate.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)}.png"), Width, Height);
        }
    }

    /// <summary>The image size of <c>rectifier plot</c>: the given width and height, or one panel (two side by side
    /// with derivatives) of <see cref="PlotCommand.PanelWidth"/> × <see cref="PlotCommand.PanelHeight"/>, or a grid
    /// of <see cref="PlotCommand.GridColumns"/> columns of cells.</summary>
    public static (int Width, int Height) ActivationImageSize(int functions, bool derivative, bool grid, int width, int height)
    {
        if (width < 0 || height < 0 || width > 20000 || height > 20000)
        {
            throw CliError.Usage("--width and --height must be between 1 and 20000 pixels");
        }
        int columns = Math.Min(PlotCommand.GridColumns, functions), rows = (functions + PlotCommand.GridColumns - 1) / PlotCommand.GridColumns;
        int w = grid ? columns * PlotCommand.CellWidth : (derivative ? 2 : 1) * PlotCommand.PanelWidth;
        int h = grid ? rows * PlotCommand.CellHeight : PlotCommand.PanelHeight;
        return (width > 0 ? width : w, height > 0 ? height : h);
    }

    /// <summary>Draws the curves: forward curves in one panel and derivatives in a second, or one cell per function
    /// holding both. Each piece is its own line, so jumps stay jumps; the library's value at a jump is a dot.</summary>
    public static void Activations(string path, List<Curve> forward, List<Curve>? derivative, bool grid, int width, int height, double lo, double hi)
    {
        string full = AtomicOutput.CheckOutputPath(path, "the image");
        var multiplot = new ScottPlot.Multiplot();
        if (grid)
        {
            int columns = Math.Min(PlotCommand.GridColumns, forward.Count), rows = (forward.Count + columns - 1) / columns;
            multiplot.AddPlots(forward.Count);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
            for (int i = 0; i < forward.Count; i++)
            {
                ScottPlot.Plot plot = multiplot.GetPlot(i);
                Draw(plot, forward[i], plot.Add.Palette.GetColor(0), "f");
                if (derivative is not null)
                {
                    Draw(plot, derivative[i], plot.Add.Palette.GetColor(1), "f'");
                    plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
                }
                plot.Title(forward[i].Label, size: 13);
                plot.Axes.SetLimitsX(lo, hi);
                plot.Add.HorizontalLine(0, 1, ScottPlot.Colors.Gray.WithAlpha(0.5));
                plot.Add.VerticalLine(0, 1, ScottPlot.Colors.Gray.WithAlpha(0.5));
            }
        }
        else
        {
            multiplot.AddPlots(derivative is null ? 1 : 2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
            Panel(multiplot.GetPlot(0), forward, "activation f(x)", lo, hi);
            if (derivative is not null)
            {
                Panel(multiplot.GetPlot(1), derivative, "derivative f'(x) (backward with gradOutput = 1)", lo, hi);
            }
        }
        multiplot.SavePng(full, width, height);
    }

    private static void Panel(ScottPlot.Plot plot, List<Curve> curves, string title, double lo, double hi)
    {
        for (int i = 0; i < curves.Count; i++)
        {
            Draw(plot, curves[i], plot.Add.Palette.GetColor(i), curves[i].Label);
        }
        plot.Title(title);
        plot.XLabel("x");
        plot.Axes.SetLimitsX(lo, hi);
        plot.Add.HorizontalLine(0, 1, ScottPlot.Colors.Gray.WithAlpha(0.5));
        plot.Add.VerticalLine(0, 1, ScottPlot.Colors.Gray.WithAlpha(0.5));
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
    }

    private static void Draw(ScottPlot.Plot plot, Curve curve, ScottPlot.Color color, string legend)
    {
        for (int p = 0; p < curve.Pieces.Count; p++)
        {
            var line = plot.Add.ScatterLine(curve.Pieces[p].X, curve.Pieces[p].Y, color);
            line.LineWidth = 2;
            if (p == 0)
            {
                line.LegendText = legend;
            }
        }
        foreach (var (x, y) in curve.Jumps)
        {
            var marker = plot.Add.Marker(x, y, ScottPlot.MarkerShape.FilledCircle, 8, color);
            marker.LegendText = "";
        }
    }
}
