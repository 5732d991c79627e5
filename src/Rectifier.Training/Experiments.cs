namespace Rectifier.Training;

/// <summary>One training run of an experiment.</summary>
internal sealed record RunResult(Activation Activation, int Seed, double LearningRate, List<EpochResult> Epochs, int? EpochToTarget, double? SecondsToTarget, int Recovered);

/// <summary>The two experiments of <c>rectifier experiment</c>: convergence speed of each activation, and the
/// fraction of dead units as the learning rate grows.</summary>
internal static class Experiments
{
    public static readonly Activation[] ConvergenceActivations =
    [
        Activation.Relu(), Activation.LeakyRelu(), Activation.PRelu(), Activation.Elu(), Activation.Gelu(), Activation.Silu(), Activation.Tanh(), Activation.Sigmoid(),
    ];

    public static readonly Activation[] DyingActivations = [Activation.Relu(), Activation.LeakyRelu(), Activation.PRelu(), Activation.Elu()];

    /// <summary>Trains every (activation, seed) pair; runs proceed two (or as many as there are cores) at a time, each
    /// deterministic for its seed.</summary>
    public static List<RunResult> Convergence(Dataset data, int[] hidden, TrainingOptions options, int seeds, double target,
        Activation[] activations, Action<RunResult>? onRun = null, CancellationToken cancel = default)
    {
        var (train, test) = data.Split(0.2, 12345);
        var jobs = activations.SelectMany(a => Enumerable.Range(0, seeds).Select(s => (Activation: a, Seed: s))).ToArray();
        var results = new RunResult[jobs.Length];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, j =>
        {
            var (activation, seed) = jobs[j];
            var model = new Mlp(new NetworkSpec(train.Columns, hidden, train.Classes, activation), seed);
            List<EpochResult> epochs;
            using (Parallelism.Scope(1))
            {
                epochs = Trainer.Train(model, train, test, options with { Seed = seed }, cancel: cancel);
            }
            EpochResult? reached = epochs.FirstOrDefault(e => e.TrainAccuracy >= target);
            results[j] = new RunResult(activation, seed, options.LearningRate, epochs, reached?.Epoch, reached?.Seconds, Recovered(epochs));
            onRun?.Invoke(results[j]);
        });
        return [.. results];
    }

    /// <summary>The learning-rate sweep: every activation at every rate, with the hidden biases started at
    /// <paramref name="biasInit"/>.</summary>
    public static List<RunResult> Dying(Dataset data, int[] hidden, TrainingOptions options, double[] learningRates, double biasInit, int seeds,
        Activation[] activations, Action<RunResult>? onRun = null, CancellationToken cancel = default)
    {
        var (train, test) = data.Split(0.2, 12345);
        var jobs = (from a in activations from lr in learningRates from s in Enumerable.Range(0, seeds) select (Activation: a, LearningRate: lr, Seed: s)).ToArray();
        var results = new RunResult[jobs.Length];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, j =>
        {
            var (activation, lr, seed) = jobs[j];
            var model = new Mlp(new NetworkSpec(train.Columns, hidden, train.Classes, activation, biasInit), seed);
            List<EpochResult> epochs;
            using (Parallelism.Scope(1))
            {
                epochs = Trainer.Train(model, train, test, options with { Seed = seed, LearningRate = lr }, cancel: cancel);
            }
            results[j] = new RunResult(activation, seed, lr, epochs, null, null, Recovered(epochs));
            onRun?.Invoke(results[j]);
        });
        return [.. results];
    }

    /// <summary>Units (over all hidden layers) dead after some epoch and alive after the last one.</summary>
    public static int Recovered(List<EpochResult> epochs)
    {
        if (epochs.Count == 0)
        {
            return 0;
        }
        int recovered = 0;
        EpochResult last = epochs[^1];
        for (int l = 0; l < last.DeadUnits.Length; l++)
        {
            var everDead = epochs.SelectMany(e => e.DeadUnits[l]).ToHashSet();
            everDead.ExceptWith(last.DeadUnits[l]);
            recovered += everDead.Count;
        }
        return recovered;
    }

    public static (double Mean, double Std) MeanStd(IEnumerable<double> values)
    {
        double[] v = [.. values];
        if (v.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = v.Average();
        double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
        return (mean, std);
    }
}
