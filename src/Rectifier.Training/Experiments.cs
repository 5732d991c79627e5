namespace Rectifier.Training;

/// <summary>One training run of an experiment.</summary>
internal sealed record RunResult(Activation Activation, int Seed, double LearningRate, int[] Hidden, List<EpochResult> Epochs, int? EpochToTarget, double? SecondsToTarget, int Recovered)
{
    public int Depth => Hidden.Length;

    /// <summary>True when the loss stopped being finite: the weights blew up, which is not the same as dying (a
    /// blown-up network's units read as dead because NaN is not positive).</summary>
    public bool Diverged => Epochs.Any(e => !double.IsFinite(e.Loss));
}

/// <summary>Where the runs of an experiment stand: the fraction of all their work done, and what the latest batch said.</summary>
internal sealed record ExperimentProgress(double Fraction, string Status);

/// <summary>What every run of an experiment shares: the data, the training options, the precision of the trainer,
/// and where to report progress.</summary>
internal sealed record ExperimentSetup(Dataset Data, TrainingOptions Options, bool Double = false, Action<ExperimentProgress>? OnProgress = null, CancellationToken Cancel = default);

/// <summary>The two experiments of <c>rectifier experiment</c>: convergence speed of each activation (at one or several
/// depths), and the fraction of dead units as the learning rate grows.</summary>
internal static class Experiments
{
    public static readonly Activation[] ConvergenceActivations =
    [
        Activation.Relu(), Activation.LeakyRelu(), Activation.PRelu(), Activation.Elu(), Activation.Gelu(), Activation.Silu(), Activation.Tanh(), Activation.Sigmoid(),
    ];

    public static readonly Activation[] DyingActivations = [Activation.Relu(), Activation.LeakyRelu(), Activation.LeakyRelu(0.1), Activation.PRelu(), Activation.Elu()];

    /// <summary>Trains every (architecture, activation, seed) triple; runs proceed as many at a time as
    /// <see cref="Parallelism.CurrentDegree"/> allows (every core by default), each on one thread and deterministic for
    /// its seed, so the results do not depend on the thread count.</summary>
    public static List<RunResult> Convergence(ExperimentSetup setup, int[][] architectures, int seeds, double target, Activation[] activations, Action<RunResult>? onRun = null)
    {
        var jobs = (from h in architectures from a in activations from s in Enumerable.Range(0, seeds) select new Job(a, s, setup.Options.LearningRate, h, 0)).ToArray();
        return Run(setup, jobs, target, onRun);
    }

    /// <summary>The learning-rate sweep: every activation at every rate, with the hidden biases started at
    /// <paramref name="biasInit"/> (0 is the ordinary initialisation; a negative value starts units near death).</summary>
    public static List<RunResult> Dying(ExperimentSetup setup, int[] hidden, double[] learningRates, double biasInit, int seeds, Activation[] activations, Action<RunResult>? onRun = null)
    {
        var jobs = (from a in activations from lr in learningRates from s in Enumerable.Range(0, seeds) select new Job(a, s, lr, hidden, biasInit)).ToArray();
        return Run(setup, jobs, target: null, onRun);
    }

    private sealed record Job(Activation Activation, int Seed, double LearningRate, int[] Hidden, double BiasInit);

    private static List<RunResult> Run(ExperimentSetup setup, Job[] jobs, double? target, Action<RunResult>? onRun)
    {
        var (train, test) = setup.Data.TrainTest();
        // Each job's share of the work: its parameter count (the products dominate; every job trains the same epochs).
        double[] cost = [.. jobs.Select(j => (double)Parameters(train.Columns, j.Hidden, train.Classes))];
        double totalCost = cost.Sum();
        var done = new double[jobs.Length];
        var gate = new object();
        var results = new RunResult[jobs.Length];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.CurrentDegree, CancellationToken = setup.Cancel }, index =>
        {
            Job job = jobs[index];
            TrainingOptions options = setup.Options with { Seed = job.Seed, LearningRate = job.LearningRate };
            var spec = new NetworkSpec(train.Columns, job.Hidden, train.Classes, job.Activation, job.BiasInit);
            string name = $"{job.Activation}, {job.Hidden.Length} × {job.Hidden[0]}, lr {job.LearningRate.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}, seed {job.Seed}";
            void Report(int epoch, double part, double loss)
            {
                if (setup.OnProgress is null)
                {
                    return;
                }
                lock (gate)
                {
                    done[index] = cost[index] * (epoch - 1 + part) / options.Epochs;
                    setup.OnProgress(new ExperimentProgress(done.Sum() / totalCost,
                        $"{name}: epoch {epoch}/{options.Epochs}, loss {loss.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}"));
                }
            }
            List<EpochResult> epochs;
            using (Parallelism.Scope(1))
            {
                epochs = setup.Double
                    ? Trainer.Train(new Mlp<double>(spec, job.Seed), train, test, options, cancel: setup.Cancel, onBatch: Report)
                    : Trainer.Train(new Mlp<float>(spec, job.Seed), train, test, options, cancel: setup.Cancel, onBatch: Report);
            }
            EpochResult? reached = target is double goal ? epochs.FirstOrDefault(e => e.TrainAccuracy >= goal) : null;
            results[index] = new RunResult(job.Activation, job.Seed, job.LearningRate, job.Hidden, epochs, reached?.Epoch, reached?.Seconds, Recovered(epochs));
            Report(options.Epochs, 1, epochs.Count > 0 ? epochs[^1].Loss : double.NaN);
            onRun?.Invoke(results[index]);
        });
        return [.. results];
    }

    /// <summary>The weights and biases of a network of these widths.</summary>
    public static long Parameters(int inputs, int[] hidden, int classes)
    {
        int[] sizes = [inputs, .. hidden, classes];
        long n = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            n += (long)sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        return n;
    }

    /// <summary>Units (over all hidden layers) dead after some epoch and alive after the last one.</summary>
    public static int Recovered(List<EpochResult> epochs)
    {
        if (epochs.Count == 0 || epochs[^1].DeadUnits.Length == 0)
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
