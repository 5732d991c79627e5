using ScottPlot;
using Rectifier.Training;

namespace Rectifier.Cli;

/// <summary>PNG plots of the experiments (ScottPlot): loss curves and dead-unit fractions.</summary>
internal static class Plots
{
    public const int Width = 900, Height = 560;

    /// <summary>The data set's name without its description ("Fashion-MNIST", "UCI optical digits"), for titles.</summary>
    private static string Short(string dataName)
    {
        int cut = dataName.IndexOf(" (", StringComparison.Ordinal);
        return cut > 0 ? dataName[..cut] : dataName;
    }

    /// <summary>Titles, axis labels, the y range, one tick per whole number on the x axis (epochs, depths) unless the
    /// plot has its own ticks, the legend, and the PNG of <see cref="Width"/> × <see cref="Height"/>.</summary>
    private static void Save(ScottPlot.Plot plot, string path, string title, string xLabel, string yLabel, (double Lo, double Hi)? y,
        ScottPlot.Alignment legend, bool wholeTicks = true)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (y is var (lo, hi))
        {
            plot.Axes.SetLimitsY(lo, hi);
        }
        if (wholeTicks)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        }
        plot.ShowLegend(legend);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Loss and accuracy curves, mean over seeds, one line per activation; with several depths, those of the
    /// deepest network.</summary>
    public static void Convergence(string folder, List<RunResult> runs, string dataName)
    {
        Directory.CreateDirectory(folder);
        dataName = Short(dataName);
        int deepest = runs.Max(r => r.Depth);
        if (runs.Any(r => r.Depth != deepest))
        {
            runs = [.. runs.Where(r => r.Depth == deepest)];
            dataName += $", {deepest} hidden layers";
        }
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
        Save(loss, Path.Combine(folder, "convergence-loss.png"), $"Training loss (mean over seeds), {dataName}", "epoch", "cross-entropy",
            (0, Math.Min(3, runs.Max(r => r.Epochs[0].Loss) * 1.1)), ScottPlot.Alignment.UpperRight);
        Save(accuracy, Path.Combine(folder, "convergence-accuracy.png"), $"Training accuracy (mean over seeds), {dataName}", "epoch", "accuracy",
            null, ScottPlot.Alignment.LowerRight);
    }

    public static void Dying(string folder, List<RunResult> runs, int[] hidden, string dataName)
    {
        Directory.CreateDirectory(folder);
        dataName = Short(dataName);
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
            string rate = byRate.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Save(plot, Path.Combine(folder, $"dying-lr{rate}.png"), $"Dead hidden units, learning rate {rate}, {dataName}", "epoch", "fraction of hidden units dead",
                (0, 1), ScottPlot.Alignment.UpperRight);
        }
    }

    /// <summary>Epochs to the target training accuracy against depth, one line per activation: the mean over the seeds
    /// that reached it, error bars of one standard deviation; a run that never reached it counts as the epoch after
    /// the last (drawn as a hollow marker at that height).</summary>
    public static void Depths(string folder, List<RunResult> runs, string dataName, double target, int epochs)
    {
        Directory.CreateDirectory(folder);
        dataName = Short(dataName);
        var plot = new ScottPlot.Plot();
        int colour = 0;
        foreach (var group in runs.GroupBy(r => r.Activation.ToString()))
        {
            var byDepth = group.GroupBy(r => r.Depth).OrderBy(g => g.Key).ToList();
            double[] x = [.. byDepth.Select(g => (double)g.Key)];
            double[] mean = new double[x.Length], std = new double[x.Length];
            for (int i = 0; i < byDepth.Count; i++)
            {
                (mean[i], std[i]) = Experiments.MeanStd(byDepth[i].Select(r => (double)(r.EpochToTarget ?? epochs + 1)));
            }
            ScottPlot.Color color = plot.Add.Palette.GetColor(colour++);
            var line = plot.Add.Scatter(x, mean, color);
            line.LegendText = group.Key;
            var bars = plot.Add.ErrorBar(x, mean, std);
            bars.Color = color;
        }
        plot.Add.HorizontalLine(epochs + 1, 1, ScottPlot.Colors.Gray.WithAlpha(0.6), ScottPlot.LinePattern.Dashed);
        Save(plot, Path.Combine(folder, "convergence-depth.png"), $"Epochs to {target * 100:F0}% training accuracy against depth, {dataName}", "hidden layers",
            $"epochs (mean ± std over seeds; {epochs + 1} = not reached)", (0, epochs + 1.5), ScottPlot.Alignment.UpperLeft);
    }

    /// <summary>The fraction of hidden units dead at the end of training against the learning rate (log axis), one line
    /// per activation, mean over seeds.</summary>
    public static void DeadAgainstRate(string folder, List<RunResult> runs, int[] hidden, string dataName)
    {
        Directory.CreateDirectory(folder);
        dataName = Short(dataName);
        var plot = new ScottPlot.Plot();
        foreach (var group in runs.GroupBy(r => r.Activation.ToString()))
        {
            // diverged runs (non-finite loss) are left out; a rate where every run diverged has no point
            var byRate = group.Where(r => !r.Diverged).GroupBy(r => r.LearningRate).OrderBy(g => g.Key).ToList();
            double[] x = [.. byRate.Select(g => Math.Log10(g.Key))];
            double[] dead = [.. byRate.Select(g => g.Average(r => r.Epochs[^1].DeadFraction.Select((f, l) => f * hidden[l]).Sum() / hidden.Sum()))];
            plot.Add.Scatter(x, dead).LegendText = group.Key;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => Math.Pow(10, v).ToString("G3", System.Globalization.CultureInfo.InvariantCulture) };
        Save(plot, Path.Combine(folder, "dying-by-rate.png"), $"Dead hidden units at the end against the learning rate, {dataName}", "learning rate (log scale)",
            "fraction of hidden units dead (diverged runs left out)", (0, 1), ScottPlot.Alignment.UpperLeft, wholeTicks: false);
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
