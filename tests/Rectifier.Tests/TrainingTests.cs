using System.Numerics;
using Rectifier.Training;

namespace Rectifier.Tests;

/// <summary>The trainer behind <c>rectifier experiment</c>: its matrix kernels, its gradients against finite
/// differences for every activation and layer type, a training run that must learn, the dying-unit detection, and the
/// plots.</summary>
public sealed class TrainingTests
{
    /// <summary>The three products against a triple loop in double (an exact sum would differ by at most k rounding
    /// errors of the element type, each bounded by ε·Σ|a·b|), over sizes that hit every kernel and tail.</summary>
    private static void CheckProducts<T>(int n, int k, int m, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] Make(int count) => [.. Enumerable.Range(0, count).Select(_ => T.CreateTruncating(rng.NextDouble() - 0.5))];
        T[] a = Make(n * k), b = Make(k * m), bn = Make(n * m);
        var c = new T[n * m];
        Matrix.Multiply<T>(a, b, c, n, k, m);
        var ct = new T[k * m];
        Matrix.MultiplyTransposedLeft<T>(a, bn, ct, n, k, m);
        var cr = new T[n * k];
        Matrix.MultiplyTransposedRight<T>(bn, b, cr, n, m, k, new T[k * m]);
        double eps = typeof(T) == typeof(float) ? Math.ScaleB(1.0, -24) : Math.ScaleB(1.0, -53);
        void Near(Func<int, double> term, int length, T actual, string what)
        {
            double sum = 0, magnitude = 0;
            for (int t = 0; t < length; t++)
            {
                sum += term(t);
                magnitude += Math.Abs(term(t));
            }
            double got = double.CreateTruncating(actual);
            Assert.True(Math.Abs(got - sum) <= 2 * (length + 1) * eps * magnitude + 1e-300, $"{typeof(T).Name} {n}×{k}×{m} {what}: {got}, the sum is {sum}");
        }
        double D(T v) => double.CreateTruncating(v);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                Near(p => D(a[i * k + p]) * D(b[p * m + j]), k, c[i * m + j], $"a·b [{i}, {j}]");
            }
            for (int p = 0; p < k; p++)
            {
                Near(j => D(bn[i * m + j]) * D(b[p * m + j]), m, cr[i * k + p], $"a·bᵀ [{i}, {p}]");
            }
        }
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < m; j++)
            {
                Near(i => D(a[i * k + p]) * D(bn[i * m + j]), n, ct[p * m + j], $"aᵀ·b [{p}, {j}]");
            }
        }
    }

    public static TheoryData<int, int, int> ProductSizes => new()
    {
        { 1, 1, 1 }, { 7, 5, 9 }, { 4, 3, 16 }, { 9, 17, 33 }, { 5, 64, 10 }, { 13, 2, 47 }, { 64, 40, 128 },
    };

    [Theory]
    [MemberData(nameof(ProductSizes))]
    public void Matrix_products_match_a_triple_loop_in_double_within_the_rounding_of_the_element_type(int n, int k, int m)
    {
        CheckProducts<float>(n, k, m, n * 1000 + k * 10 + m);
        CheckProducts<double>(n, k, m, n * 1000 + k * 10 + m);
    }

    [Fact]
    public void Matrix_spans_that_are_too_short_are_refused()
    {
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Matrix.Multiply<float>(new float[5], new float[6], new float[4], 2, 3, 2)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Matrix.MultiplyTransposedRight<float>(new float[6], new float[6], new float[3], 2, 3, 2, new float[6])).ParamName);
        Assert.Equal("scratch", Assert.Throws<ArgumentException>(() => Matrix.MultiplyTransposedRight<float>(new float[6], new float[6], new float[4], 2, 3, 2, new float[5])).ParamName);
    }

    public static TheoryData<int> ActivationIndexes => [.. Enumerable.Range(0, Activation.AllWithDefaults.Count)];

    [Theory]
    [MemberData(nameof(ActivationIndexes))]
    public void Every_gradient_matches_finite_differences(int index)
    {
        Activation activation = Activation.AllWithDefaults[index];
        var spec = new NetworkSpec(3, [5, 4], 3, activation, BiasInit: 0.1);
        var model = new Mlp<double>(spec, seed: 3);
        var rng = new Random(5);
        const int batch = 6;
        double[] x = [.. Enumerable.Range(0, batch * 3).Select(_ => rng.NextDouble() * 2 - 1)];
        int[] y = [.. Enumerable.Range(0, batch).Select(i => i % 3)];
        double Loss()
        {
            double[] logits = model.Forward(x, batch).ToArray();
            double total = 0;
            for (int i = 0; i < batch; i++)
            {
                double max = logits.Skip(i * 3).Take(3).Max();
                double sum = logits.Skip(i * 3).Take(3).Sum(v => Math.Exp(v - max));
                total += Math.Log(sum) + max - logits[i * 3 + y[i]];
            }
            return total / batch;
        }
        model.Forward(x, batch);
        model.Backward(y);
        var parameters = model.Parameters().ToList();
        var analytic = parameters.Select(p => (double[])p.Grad.Clone()).ToList();
        int checkedCount = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            double[] value = parameters[p].Value;
            for (int i = 0; i < value.Length; i++)
            {
                double saved = value[i];
                const double h = 1e-6;
                value[i] = saved + h;
                double up = Loss();
                value[i] = saved - h;
                double down = Loss();
                value[i] = saved;
                double numeric = (up - down) / (2 * h);
                double a = analytic[p][i];
                Assert.True(Math.Abs(a - numeric) <= 1e-6 + 1e-5 * Math.Abs(numeric),
                    $"{activation}: parameter array {p}, element {i}: backprop {a}, finite difference {numeric}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount >= 3 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3, "every weight, bias (and prelu slope) was checked");
    }

    [Fact]
    public void A_relu_network_learns_the_spirals_to_95_percent_in_60_epochs_for_a_fixed_seed_in_float_and_double()
    {
        Dataset data = Dataset.Spirals(seed: 0);
        var (train, test) = data.Split(0.2, 12345);
        var options = new TrainingOptions(Epochs: 60, BatchSize: 32, Optimizer: "adam", LearningRate: 0.01, Seed: 1);
        var spec = new NetworkSpec(2, [32, 32], 3, Activation.Relu());
        var epochs = Trainer.Train(new Mlp<double>(spec, seed: 1), train, test, options);
        Assert.True(epochs[^1].TrainAccuracy >= 0.95, $"double: training accuracy after 60 epochs: {epochs[^1].TrainAccuracy:P1}");
        Assert.True(epochs[^1].Loss < epochs[0].Loss, "the loss went down");
        var single = Trainer.Train(new Mlp<float>(spec, seed: 1), train, test, options);
        Assert.True(single[^1].TrainAccuracy >= 0.95, $"float: training accuracy after 60 epochs: {single[^1].TrainAccuracy:P1}");
        Assert.True(Math.Abs(single[0].Loss - epochs[0].Loss) < 1e-3 * epochs[0].Loss, $"first-epoch loss {single[0].Loss} in float, {epochs[0].Loss} in double");
        var again = Trainer.Train(new Mlp<double>(spec, seed: 1), train, test, options with { Epochs = 3 });
        Assert.Equal(epochs[2].Loss, again[2].Loss);   // deterministic for a seed
    }

    [Fact]
    public void Negative_biases_kill_relu_units_for_good_while_leaky_relu_units_come_back()
    {
        Dataset data = Dataset.Spirals(seed: 0);
        var options = new TrainingOptions(Epochs: 100, BatchSize: 64, Optimizer: "adam", LearningRate: 0.02);
        var runs = Experiments.Dying(new ExperimentSetup(data, options, Double: true), [32, 32], [0.02], biasInit: -2, seeds: 1, [Activation.Relu(), Activation.LeakyRelu()]);
        RunResult relu = runs.Single(r => r.Activation == Activation.Relu()), leaky = runs.Single(r => r.Activation != Activation.Relu());
        double reluDead = relu.Epochs[^1].DeadFraction.Average(), leakyDead = leaky.Epochs[^1].DeadFraction.Average();
        Assert.True(reluDead > 0.5, $"relu: {reluDead:P0} of hidden units dead at the end");
        Assert.True(leakyDead <= 0.05, $"leaky_relu: {leakyDead:P0} of hidden units dead at the end");
        Assert.True(leaky.Recovered > 10, $"leaky_relu units that came back: {leaky.Recovered}");
        Assert.True(leaky.Epochs[^1].TrainAccuracy > relu.Epochs[^1].TrainAccuracy + 0.3);
    }

    [Fact]
    public void A_learning_rate_too_large_for_relu_kills_its_units_from_an_ordinary_initialisation()
    {
        // Biases start at 0: the only cause of death is the size of the updates (the tutorial's mechanism).
        Dataset data = Dataset.Digits();
        var options = new TrainingOptions(Epochs: 3, BatchSize: 64, Optimizer: "sgd", LearningRate: 0.01);
        var runs = Experiments.Dying(new ExperimentSetup(data, options), [64, 64], [0.01, 1], biasInit: 0, seeds: 1, [Activation.Relu(), Activation.LeakyRelu()]);
        RunResult Of(Activation a, double lr) => runs.Single(r => r.Activation == a && r.LearningRate == lr);
        double Dead(Activation a, double lr) => Of(a, lr).Epochs[^1].DeadFraction.Average();
        Assert.True(Dead(Activation.Relu(), 0.01) < 0.1, $"relu at lr 0.01: {Dead(Activation.Relu(), 0.01):P0} dead");
        Assert.False(Of(Activation.Relu(), 1).Diverged, "relu at lr 1 died with finite weights");
        Assert.True(Dead(Activation.Relu(), 1) > 0.5, $"relu at lr 1: {Dead(Activation.Relu(), 1):P0} dead");
        Assert.True(Of(Activation.Relu(), 1).Epochs[^1].TrainAccuracy < 0.3, "a network of dead relu units has stopped learning");
        // leaky_relu's units keep a gradient, so at the same rate its weights grow without bound instead
        Assert.True(Of(Activation.LeakyRelu(), 1).Diverged, "leaky_relu at lr 1 diverged");
        Assert.False(Of(Activation.LeakyRelu(), 0.01).Diverged);
    }

    [Fact]
    public void Experiments_give_the_same_results_whatever_the_thread_count()
    {
        Dataset data = Dataset.Spirals(perClass: 60, seed: 1);
        var options = new TrainingOptions(Epochs: 3, BatchSize: 16, Optimizer: "sgd", LearningRate: 0.1, MonitorDeadUnits: false);
        List<RunResult> Run(int threads)
        {
            using (Parallelism.Scope(threads))
            {
                return Experiments.Convergence(new ExperimentSetup(data, options), [[8], [8, 8]], seeds: 2, target: 0.5, [Activation.Relu(), Activation.Tanh()]);
            }
        }
        var one = Run(1);
        var all = Run(Math.Max(2, Environment.ProcessorCount));
        Assert.Equal(8, one.Count);
        Assert.Equal(one.Select(r => (r.Activation.ToString(), r.Depth, r.Seed, r.EpochToTarget, r.Epochs[^1].Loss, r.Epochs[^1].TestAccuracy)),
            all.Select(r => (r.Activation.ToString(), r.Depth, r.Seed, r.EpochToTarget, r.Epochs[^1].Loss, r.Epochs[^1].TestAccuracy)));
    }

    [Fact]
    public void The_experiment_commands_write_PNG_plots_of_the_stated_size_and_JSON()
    {
        string folder = Directory.CreateTempSubdirectory("rectifier-plots-").FullName;
        try
        {
            var (code, output, error) = CliTests.Run("experiment", "dying", "--data", "spirals", "--hidden", "8", "--epochs", "2", "--seeds", "1",
                "--learning-rates", "0.05", "--plots", folder, "--json");
            Assert.True(code == 0, error);
            Assert.Contains("\"experiment\":\"dying\"", output, StringComparison.Ordinal);
            (code, _, error) = CliTests.Run("experiment", "convergence", "--data", "spirals", "--hidden", "8", "--epochs", "2", "--seeds", "1", "--plots", folder);
            Assert.True(code == 0, error);
            string[] files = Directory.GetFiles(folder, "*.png");
            Assert.Contains(files, f => f.EndsWith("convergence-loss.png", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("dying-lr0.05.png", StringComparison.Ordinal));
            foreach (string file in files)
            {
                byte[] png = File.ReadAllBytes(file);
                Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
                int width = (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19];
                int height = (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23];
                Assert.Equal((Cli.Plots.Width, Cli.Plots.Height), (width, height));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Both_experiments_run_on_a_Fashion_MNIST_folder_by_depth_and_by_learning_rate_with_their_plots()
    {
        string folder = Directory.CreateTempSubdirectory("rectifier-fashion-").FullName;
        try
        {
            IdxTests.WriteFashionMnist(folder, train: 40, test: 12);
            string plots = Path.Combine(folder, "plots");
            var (code, output, error) = CliTests.Run("experiment", "convergence", "--data", "fashion-mnist", "--data-dir", folder, "--depths", "1,2", "--width", "16",
                "--epochs", "2", "--seeds", "1", "--target", "0.3", "--json", "--plots", plots);
            Assert.True(code == 0, error);
            using (var json = System.Text.Json.JsonDocument.Parse(output))
            {
                var root = json.RootElement;
                Assert.Equal(40, root.GetProperty("train_rows").GetInt32());
                Assert.Equal(12, root.GetProperty("test_rows").GetInt32());
                var rows = root.GetProperty("results").EnumerateArray().ToList();
                Assert.Equal(16, rows.Count);
                Assert.Equal([1, 2], rows.Select(r => r.GetProperty("depth").GetInt32()).Distinct());
                Assert.Equal(Experiments.ConvergenceActivations.Select(a => a.ToString()), rows.Where(r => r.GetProperty("depth").GetInt32() == 2).Select(r => r.GetProperty("activation").GetString()));
                Assert.All(rows, r => Assert.Equal(r.GetProperty("depth").GetInt32(), r.GetProperty("hidden").GetArrayLength()));
            }
            (code, output, error) = CliTests.Run("experiment", "dying", "--data", "fashion-mnist", "--data-dir", folder, "--hidden", "8,8", "--epochs", "1", "--seeds", "1",
                "--learning-rates", "0.05,0.5", "--json", "--plots", plots);
            Assert.True(code == 0, error);
            using (var json = System.Text.Json.JsonDocument.Parse(output))
            {
                var rows = json.RootElement.GetProperty("results").EnumerateArray().ToList();
                Assert.Equal(Experiments.DyingActivations.Length * 2, rows.Count);
                Assert.Equal(0, json.RootElement.GetProperty("bias_init").GetDouble());
                Assert.Contains(rows, r => r.GetProperty("activation").GetString() == "leaky_relu(0.1)");
            }
            foreach (string png in new[] { "convergence-depth.png", "convergence-loss.png", "dying-by-rate.png", "dying-lr0.5.png" })
            {
                Assert.True(File.Exists(Path.Combine(plots, png)), png);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Quick_takes_the_small_preset_and_explicit_options_still_win()
    {
        var (code, output, error) = CliTests.Run("experiment", "convergence", "--quick", "--json");
        Assert.True(code == 0, error);
        using (var json = System.Text.Json.JsonDocument.Parse(output))
        {
            var root = json.RootElement;
            Assert.Equal((5, 2, 0.9), (root.GetProperty("Epochs").GetInt32(), root.GetProperty("seeds").GetInt32(), root.GetProperty("target").GetDouble()));
            Assert.Equal(Experiments.ConvergenceActivations.Length, root.GetProperty("results").GetArrayLength());
        }
        (code, output, error) = CliTests.Run("experiment", "dying", "--quick", "--epochs", "1", "--learning-rates", "0.1", "--json");
        Assert.True(code == 0, error);
        using (var json = System.Text.Json.JsonDocument.Parse(output))
        {
            var root = json.RootElement;
            Assert.Equal((1, 1), (root.GetProperty("Epochs").GetInt32(), root.GetProperty("seeds").GetInt32()));
            Assert.All(root.GetProperty("results").EnumerateArray(), r => Assert.Equal(0.1, r.GetProperty("learning_rate").GetDouble()));
        }
    }

    [Fact]
    public void A_missing_Fashion_MNIST_folder_is_one_line_and_exit_1()
    {
        string missing = Path.Combine(Path.GetTempPath(), "rectifier-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var (code, output, error) = CliTests.Run("experiment", "convergence", "--data", "fashion-mnist", "--data-dir", missing);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"rectifier: fashion-mnist: train-images-idx3-ubyte(.gz) is not in {missing}; the folder needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each gzipped or not)",
            error.TrimEnd('\n', '\r'));
    }

    [Theory]
    [InlineData("--data-dir goes with --data fashion-mnist", "experiment", "convergence", "--data-dir", "x")]
    [InlineData("--depths must be positive whole numbers separated by commas", "experiment", "convergence", "--depths", "1,x")]
    [InlineData("--depths must be positive whole numbers", "experiment", "convergence", "--depths", "0")]
    [InlineData("give either --depths (with --width) or --hidden, not both", "experiment", "convergence", "--depths", "1", "--hidden", "8")]
    [InlineData("--precision must be float or double, not 'half'", "experiment", "dying", "--precision", "half")]
    [InlineData("--train-size must be at least 1 (got 0)", "experiment", "dying", "--train-size", "0")]
    [InlineData("--width must be at least 1 (got 0)", "experiment", "convergence", "--width", "0", "--depths", "2")]
    public void Bad_depth_data_and_precision_options_are_usage_errors(string message, params string[] args)
    {
        var (code, _, error) = CliTests.Run(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_experiment_arguments_are_usage_errors()
    {
        Assert.Equal(2, CliTests.Run("experiment", "convergence", "--hidden", "64,x").Code);
        Assert.Equal(2, CliTests.Run("experiment", "dying", "--learning-rates", "0.1,-1").Code);
        Assert.Equal(2, CliTests.Run("experiment", "convergence", "--data", "x.npy").Code);
        Assert.Equal(2, CliTests.Run("experiment", "convergence", "--optimizer", "rmsprop").Code);
    }
}
