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
}
