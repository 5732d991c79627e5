using System.Globalization;
using System.Text;
using Rectifier.Training;

namespace Rectifier.Benchmarks;

/// <summary>The trainer's matrix products at the sizes of the Fashion-MNIST experiments (batch 64, 784 inputs, hidden
/// width 128, 10 classes), float32, in GFLOP/s (2·n·k·m per product): one thread, every core on one product, and one
/// product per core at once (how the experiments use the machine: one run per core).</summary>
public static class GemmSuite
{
    public static string Run(bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine("| product | n × k × m | 1 thread | all cores, one product | one product per core |");
        md.AppendLine("|---|---|---:|---:|---:|");
        var cases = new (string Name, int N, int K, int M, int Kind)[]
        {
            ("forward x·W, first layer", 64, 784, 128, 0),
            ("forward x·W, hidden layer", 64, 128, 128, 0),
            ("weight gradient xᵀ·dy, first layer", 784, 64, 128, 1),
            ("input gradient dy·Wᵀ, hidden layer", 64, 128, 128, 2),
            ("input gradient dy·Wᵀ, second layer", 64, 128, 784, 2),
            ("evaluation x·W, batch 256, first layer", 256, 784, 128, 0),
        };
        int cores = Environment.ProcessorCount;
        foreach (var (name, n, k, m, kind) in cases)
        {
            var rng = new Random(1);
            float[] Make(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
            // a: the left operand as the product reads it; b: the right one; c: the result; one set per core.
            var sets = Enumerable.Range(0, cores).Select(_ => (A: Make(kind == 1 ? k * n : n * k), B: Make(k * m), C: new float[n * m], S: new float[k * m])).ToArray();
            void Product(int s)
            {
                var (a, b, c, scratch) = sets[s];
                switch (kind)
                {
                    case 0: Matrix.Multiply<float>(a, b, c, n, k, m); break;
                    case 1: Matrix.MultiplyTransposedLeft<float>(a, b, c, k, n, m); break;
                    default: Matrix.MultiplyTransposedRight<float>(a, b, c, n, k, m, scratch); break;
                }
            }
            var t = new Interleaved()
                .Add("one", () => { using (Parallelism.Scope(1)) Product(0); })
                .Add("all", () => { using (Parallelism.Scope(cores)) Product(0); })
                .Add("each", () => Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, s => { using (Parallelism.Scope(1)) Product(s); }))
                .Measure(quick ? 5 : 11, quick ? 0.05 : 0.2);
            double flops = 2.0 * n * k * m;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {n} × {k} × {m} | {flops / t["one"] / 1e9:F1} | {flops / t["all"] / 1e9:F1} | {cores * flops / t["each"] / 1e9:F1} |");
        }
        Console.Error.Write(md.ToString());
        return md.ToString();
    }
}
