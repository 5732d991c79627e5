using System.Diagnostics;
using Rectifier.Diagnostics;

namespace Rectifier.Training;

/// <summary>What one epoch did.</summary>
internal sealed record EpochResult(int Epoch, double Loss, double TrainAccuracy, double TestAccuracy, double Seconds, double[] DeadFraction, int[][] DeadUnits);

/// <summary>How to train.</summary>
internal sealed record TrainingOptions(int Epochs = 30, int BatchSize = 64, string Optimizer = "sgd", double LearningRate = 0.05, int Seed = 0);

/// <summary>Mini-batch training with a seeded shuffle; after every epoch, the training and test accuracy and, per
/// hidden layer, the units whose pre-activation was never positive over the whole training set (the dead units, seen
/// by <see cref="DeadUnitMonitor"/>).</summary>
internal static class Trainer
{
    public static List<EpochResult> Train(Mlp model, Dataset train, Dataset test, TrainingOptions options, Action<EpochResult>? onEpoch = null, CancellationToken cancel = default)
    {
        var rng = new Random(options.Seed);
        Optimizer optimizer = Optimizer.Create(options.Optimizer, options.LearningRate);
        var results = new List<EpochResult>();
        var clock = Stopwatch.StartNew();
        int columns = train.Columns;
        var batchX = new double[options.BatchSize * columns];
        var batchY = new int[options.BatchSize];
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            int[] order = Dataset.Permutation(train.Rows, rng);
            double lossSum = 0;
            int seen = 0;
            for (int start = 0; start < train.Rows; start += options.BatchSize)
            {
                int n = Math.Min(options.BatchSize, train.Rows - start);
                for (int i = 0; i < n; i++)
                {
                    int row = order[start + i];
                    Array.Copy(train.Features, row * columns, batchX, i * columns, columns);
                    batchY[i] = train.Labels[row];
                }
                double[] logits = model.Forward(batchX.AsSpan(0, n * columns), n);
                var (loss, _) = model.Backward(logits, batchY.AsSpan(0, n));
                optimizer.Step(model);
                lossSum += loss * n;
                seen += n;
            }
            var (trainAccuracy, dead) = Evaluate(model, train, monitorDeadUnits: true);
            var (testAccuracy, _) = Evaluate(model, test, monitorDeadUnits: false);
            var result = new EpochResult(epoch, lossSum / Math.Max(1, seen), trainAccuracy, testAccuracy, clock.Elapsed.TotalSeconds,
                [.. dead.Select(r => r.DeadFraction)], [.. dead.Select(r => r.DeadUnits)]);
            results.Add(result);
            onEpoch?.Invoke(result);
        }
        return results;
    }

    /// <summary>Accuracy over a data set and, optionally, the dead-unit report of each hidden layer.</summary>
    public static (double Accuracy, DeadUnitReport[] Dead) Evaluate(Mlp model, Dataset data, bool monitorDeadUnits)
    {
        const int Batch = 256;
        var monitors = monitorDeadUnits ? model.Spec.Hidden.Select(units => new DeadUnitMonitor(units)).ToArray() : [];
        int correct = 0;
        for (int start = 0; start < data.Rows; start += Batch)
        {
            int n = Math.Min(Batch, data.Rows - start);
            double[] logits = model.Forward(data.Features.AsSpan(start * data.Columns, n * data.Columns), n);
            for (int i = 0; i < n; i++)
            {
                int best = 0;
                for (int j = 1; j < data.Classes; j++)
                {
                    if (logits[i * data.Classes + j] > logits[i * data.Classes + best])
                    {
                        best = j;
                    }
                }
                correct += best == data.Labels[start + i] ? 1 : 0;
            }
            for (int l = 0; l < monitors.Length; l++)
            {
                monitors[l].Observe<double>(model.PreActivation(l), [n, model.Spec.Hidden[l]]);
            }
        }
        return ((double)correct / Math.Max(1, data.Rows), [.. monitors.Select(m => m.Report())]);
    }
}
