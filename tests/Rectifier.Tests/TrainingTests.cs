using Rectifier.Training;

namespace Rectifier.Tests;

/// <summary>The trainer behind <c>rectifier experiment</c>: its matrix kernels, its gradients against finite
/// differences for every activation and layer type, a training run that must learn, the dying-unit detection, and the
/// plots.</summary>
public sealed class TrainingTests
{
    [Fact]
    public void Matrix_products_match_a_plain_triple_loop()
    {
        var rng = new Random(1);
        const int n = 7, k = 5, m = 9;
        double[] a = [.. Enumerable.Range(0, n * k).Select(_ => rng.NextDouble() - 0.5)];
        double[] b = [.. Enumerable.Range(0, k * m).Select(_ => rng.NextDouble() - 0.5)];
        double[] bn = [.. Enumerable.Range(0, n * m).Select(_ => rng.NextDouble() - 0.5)];
        var c = new double[n * m];
        Matrix.Multiply(a, b, c, n, k, m);
        var ct = new double[k * m];
        Matrix.MultiplyTransposedLeft(a, bn, ct, n, k, m);
        var cr = new double[n * k];
        Matrix.MultiplyTransposedRight(bn, b, cr, n, m, k);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    s += a[i * k + p] * b[p * m + j];
                }
                Assert.Equal(s, c[i * m + j], 12);
            }
            for (int p = 0; p < k; p++)
            {
                double s = 0;
                for (int j = 0; j < m; j++)
                {
                    s += bn[i * m + j] * b[p * m + j];
                }
                Assert.Equal(s, cr[i * k + p], 12);
            }
        }
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s += a[i * k + p] * bn[i * m + j];
                }
                Assert.Equal(s, ct[p * m + j], 12);
            }
        }
    }

    public static TheoryData<int> ActivationIndexes => [.. Enumerable.Range(0, Activation.AllWithDefaults.Count)];

    [Theory]
    [MemberData(nameof(ActivationIndexes))]
    public void Every_gradient_matches_finite_differences(int index)
    {
        Activation activation = Activation.AllWithDefaults[index];
        var spec = new NetworkSpec(3, [5, 4], 3, activation, BiasInit: 0.1);
        var model = new Mlp(spec, seed: 3);
        var rng = new Random(5);
        const int batch = 6;
        double[] x = [.. Enumerable.Range(0, batch * 3).Select(_ => rng.NextDouble() * 2 - 1)];
        int[] y = [.. Enumerable.Range(0, batch).Select(i => i % 3)];
        double Loss()
        {
            double[] logits = model.Forward(x, batch);
            double total = 0;
            for (int i = 0; i < batch; i++)
            {
                double max = logits.Skip(i * 3).Take(3).Max();
                double sum = logits.Skip(i * 3).Take(3).Sum(v => Math.Exp(v - max));
                total += Math.Log(sum) + max - logits[i * 3 + y[i]];
            }
            return total / batch;
        }
        model.Backward(model.Forward(x, batch), y);
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
    public void A_relu_network_learns_the_spirals_to_95_percent_in_60_epochs_for_a_fixed_seed()
    {
        Dataset data = Dataset.Spirals(seed: 0);
        var (train, test) = data.Split(0.2, 12345);
        var model = new Mlp(new NetworkSpec(2, [32, 32], 3, Activation.Relu()), seed: 1);
        var epochs = Trainer.Train(model, train, test, new TrainingOptions(Epochs: 60, BatchSize: 32, Optimizer: "adam", LearningRate: 0.01, Seed: 1));
        Assert.True(epochs[^1].TrainAccuracy >= 0.95, $"training accuracy after 60 epochs: {epochs[^1].TrainAccuracy:P1}");
        Assert.True(epochs[^1].Loss < epochs[0].Loss, "the loss went down");
        var again = Trainer.Train(new Mlp(new NetworkSpec(2, [32, 32], 3, Activation.Relu()), seed: 1), train, test,
            new TrainingOptions(Epochs: 3, BatchSize: 32, Optimizer: "adam", LearningRate: 0.01, Seed: 1));
        Assert.Equal(epochs[2].Loss, again[2].Loss);   // deterministic for a seed
    }

    [Fact]
    public void Negative_biases_kill_relu_units_for_good_while_leaky_relu_units_come_back()
    {
        Dataset data = Dataset.Spirals(seed: 0);
        var options = new TrainingOptions(Epochs: 100, BatchSize: 64, Optimizer: "adam", LearningRate: 0.02);
        var runs = Experiments.Dying(data, [32, 32], options, [0.02], biasInit: -2, seeds: 1, [Activation.Relu(), Activation.LeakyRelu()]);
        RunResult relu = runs.Single(r => r.Activation == Activation.Relu()), leaky = runs.Single(r => r.Activation != Activation.Relu());
        double reluDead = relu.Epochs[^1].DeadFraction.Average(), leakyDead = leaky.Epochs[^1].DeadFraction.Average();
        Assert.True(reluDead > 0.5, $"relu: {reluDead:P0} of hidden units dead at the end");
        Assert.True(leakyDead <= 0.05, $"leaky_relu: {leakyDead:P0} of hidden units dead at the end");
        Assert.True(leaky.Recovered > 10, $"leaky_relu units that came back: {leaky.Recovered}");
        Assert.True(leaky.Epochs[^1].TrainAccuracy > relu.Epochs[^1].TrainAccuracy + 0.3);
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
    public void Bad_experiment_arguments_are_usage_errors()
    {
        Assert.Equal(2, CliTests.Run("experiment", "convergence", "--hidden", "64,x").Code);
        Assert.Equal(2, CliTests.Run("experiment", "dying", "--learning-rates", "0.1,-1").Code);
        Assert.Equal(2, CliTests.Run("experiment", "convergence", "--data", "x.npy").Code);
        Assert.Equal(2, CliTests.Run("experiment", "convergence", "--optimizer", "rmsprop").Code);
    }
}
