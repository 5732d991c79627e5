using Rectifier.Training;

namespace Rectifier.Tests;

/// <summary>The trainer's thread-count checks: in the collection that has the worker pool to itself, so that "every
/// core" really runs parts on a worker instead of on a caller that found the pool held by another test.</summary>
[Collection(nameof(SerialPool))]
public sealed class TrainingThreadTests
{
    [Fact]
    public void A_product_row_has_the_same_bits_alone_inside_a_tile_and_on_any_thread_count()
    {
        var rng = new Random(11);
        const int n = 403, k = 512, m = 150;   // n·k·m well above the parallel threshold; 403 rows = 100 tiles of 4 and a remainder
        float[] a = [.. Enumerable.Range(0, n * k).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        float[] b = [.. Enumerable.Range(0, k * m).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        var one = new float[n * m];
        var all = new float[n * m];
        using (Parallelism.Scope(1))
        {
            Matrix.Multiply<float>(a, b, one, n, k, m);
        }
        // a part of the product must run on another thread (a pool busy with another test's call is waited out)
        Harness.OnAllThreads(() =>
        {
            Matrix.Multiply<float>(a, b, all, n, k, m);
            return all;
        });
        Assert.Equal(one, all);
        foreach (int row in new[] { 0, 5, 201, 399, 402 })
        {
            var alone = new float[m];
            Matrix.Multiply<float>(a.AsSpan(row * k, k), b, alone, 1, k, m);
            Assert.Equal(one.AsSpan(row * m, m).ToArray(), alone);
        }
        // column tails: the last columns of a 150-wide result go through the narrower kernels and the scalar loop
        var narrow = new float[n * 3];
        float[] b3 = [.. Enumerable.Range(0, k).SelectMany(p => b.Skip(p * m + m - 3).Take(3))];
        Matrix.Multiply<float>(a, b3, narrow, n, k, 3);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(one.AsSpan(i * m + m - 3, 3).ToArray(), narrow.AsSpan(i * 3, 3).ToArray());
        }
    }

    [Fact]
    public void Float_training_gives_the_same_bits_on_one_thread_and_on_every_core()
    {
        // 784 inputs and 256 units: the first layer's products are big enough to be split over threads.
        var rng = new Random(3);
        const int rows = 160, columns = 784;
        float[] x = [.. Enumerable.Range(0, rows * columns).Select(_ => (float)rng.NextDouble())];
        int[] y = [.. Enumerable.Range(0, rows).Select(i => i % 4)];
        var data = new Dataset("noise", x, y, columns, 4);
        var (train, test) = data.Split(0.25, 1);
        var spec = new NetworkSpec(columns, [256, 64], 4, Activation.Gelu());
        var options = new TrainingOptions(Epochs: 2, BatchSize: 64, Optimizer: "sgd", LearningRate: 0.05, Seed: 2);
        (List<EpochResult>, Mlp<float>) Train(int threads)
        {
            var model = new Mlp<float>(spec, seed: 4);
            using (Parallelism.Scope(threads))
            {
                return (Trainer.Train(model, train, test, options), model);
            }
        }
        var (oneEpochs, oneModel) = Train(1);
        // some products split over threads: a pool that another test holds is waited out, never taken as success
        var (allEpochs, allModel) = Harness.OnAllThreads(() => Train(Math.Max(2, Environment.ProcessorCount)));
        Assert.Equal(oneEpochs.Select(e => (e.Loss, e.TrainAccuracy, e.TestAccuracy)), allEpochs.Select(e => (e.Loss, e.TrainAccuracy, e.TestAccuracy)));
        for (int l = 0; l < oneModel.Layers; l++)
        {
            Assert.Equal(oneModel.Weights[l], allModel.Weights[l]);
            Assert.Equal(oneModel.Biases[l], allModel.Biases[l]);
        }
    }
}
