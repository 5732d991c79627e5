using System.Diagnostics;
using System.Numerics;
using Rectifier.Diagnostics;

namespace Rectifier.Training;

/// <summary>What one epoch did.</summary>
internal sealed record EpochResult(int Epoch, double Loss, double TrainAccuracy, double TestAccuracy, double Seconds, double[] DeadFraction, int[][] DeadUnits);

/// <summary>How to train. <paramref name="MonitorDeadUnits"/> off skips the dead-unit count after each epoch
/// (the convergence experiment needs only the accuracies).</summary>
internal sealed record TrainingOptions(int Epochs = 30, int BatchSize = 64, string Optimizer = "sgd", double LearningRate = 0.05, int Seed = 0, bool MonitorDeadUnits = true);

/// <summary>Mini-batch training with a seeded shuffle; after every epoch, the training and test accuracy and, per
/// hidden layer, the units whose pre-activation was never positive over the whole training set (the dead units, seen
/// by <see cref="DeadUnitMonitor"/>).</summary>
internal static class Trainer
{
    /// <summary>Trains <paramref name="model"/> for the epochs of <paramref name="options"/>; <paramref name="onBatch"/>
    /// hears every 16th mini-batch with the epoch, the fraction of it done and the running mean loss.</summary>
    public static List<EpochResult> Train<T>(Mlp<T> model, Dataset train, Dataset test, TrainingOptions options, Action<EpochResult>? onEpoch = null,
        CancellationToken cancel = default, Action<int, double, double>? onBatch = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(options.Seed);
        Optimizer<T> optimizer = Optimizer<T>.Create(options.Optimizer, options.LearningRate);
        var results = new List<EpochResult>();
        var clock = Stopwatch.StartNew();
        int columns = train.Columns;
        var batchX = new T[options.BatchSize * columns];
        var batchY = new int[options.BatchSize];
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            int[] order = Dataset.Permutation(train.Rows, rng);
            double lossSum = 0;
            int seen = 0, batches = 0;
            for (int start = 0; start < train.Rows; start += options.BatchSize)
            {
                int n = Math.Min(options.BatchSize, train.Rows - start);
                for (int i = 0; i < n; i++)
                {
                    int row = order[start + i];
                    Load(train.Features.AsSpan(row * columns, columns), batchX.AsSpan(i * columns, columns));
                    batchY[i] = train.Labels[row];
                }
                model.Forward(batchX, n);
                var (loss, _) = model.Backward(batchY.AsSpan(0, n));
                optimizer.Step(model);
                lossSum += loss * n;
                seen += n;
                if (onBatch is not null && ++batches % 16 == 0)
                {
                    cancel.ThrowIfCancellationRequested();
                    onBatch(epoch, (double)seen / train.Rows, lossSum / seen);
                }
            }
            var (trainAccuracy, dead) = Evaluate(model, train, monitorDeadUnits: options.MonitorDeadUnits);
            var (testAccuracy, _) = Evaluate(model, test, monitorDeadUnits: false);
            var result = new EpochResult(epoch, lossSum / Math.Max(1, seen), trainAccuracy, testAccuracy, clock.Elapsed.TotalSeconds,
                [.. dead.Select(r => r.DeadFraction)], [.. dead.Select(r => r.DeadUnits)]);
            results.Add(result);
            onEpoch?.Invoke(result);
        }
        return results;
    }

    private static void Load<T>(ReadOnlySpan<float> source, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(source, destination);

    /// <summary>Accuracy over a data set and, optionally, the dead-unit report of each hidden layer.</summary>
    public static (double Accuracy, DeadUnitReport[] Dead) Evaluate<T>(Mlp<T> model, Dataset data, bool monitorDeadUnits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Batch = 256;
        var monitors = monitorDeadUnits ? model.Spec.Hidden.Select(units => new DeadUnitMonitor(units)).ToArray() : [];
        int correct = 0, classes = model.Spec.Classes;
        var x = new T[Batch * data.Columns];
        for (int start = 0; start < data.Rows; start += Batch)
        {
            int n = Math.Min(Batch, data.Rows - start);
            Load(data.Features.AsSpan(start * data.Columns, n * data.Columns), x.AsSpan(0, n * data.Columns));
            ReadOnlySpan<T> logits = model.Forward(x, n);
            for (int i = 0; i < n; i++)
            {
                int best = 0;
                for (int j = 1; j < classes; j++)
                {
                    if (logits[i * classes + j] > logits[i * classes + best])
                    {
                        best = j;
                    }
                }
                correct += best == data.Labels[start + i] ? 1 : 0;
            }
            for (int l = 0; l < monitors.Length; l++)
            {
                monitors[l].Observe<T>(model.PreActivation(l), [n, model.Spec.Hidden[l]]);
            }
        }
        return ((double)correct / Math.Max(1, data.Rows), [.. monitors.Select(m => m.Report())]);
    }
}
