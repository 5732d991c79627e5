using System.Globalization;
using System.Numerics.Tensors;
using System.Text;

namespace Rectifier.Benchmarks;

/// <summary>softmax and log_softmax, f32, shape 4096 × 1024, along the last axis and along axis 0, forward and
/// backward from y, on 1 thread and on all cores, in Gelem/s, beside TensorPrimitives.SoftMax applied row by row
/// (the .NET baseline; it does not subtract the maximum, so it overflows on large inputs). Compare with
/// bench/peers/softmax_peers.py for PyTorch.</summary>
public static class SoftmaxSuite
{
    private const int Rows = 4096, Columns = 1024;

    public static string Run(bool quick)
    {
        int n = Rows * Columns;
        var rng = new Random(1);
        float[] x = new float[n], g = new float[n], y = new float[n], ly = new float[n], y0 = new float[n], ly0 = new float[n], dx = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(NextGaussian(rng) * 3);
            g[i] = (float)(rng.NextDouble() - 0.5);
        }
        nint[] shape = [Rows, Columns];
        Activations.Softmax<float>(x, shape, -1, y);
        Activations.LogSoftmax<float>(x, shape, -1, ly);
        Activations.Softmax<float>(x, shape, 0, y0);
        Activations.LogSoftmax<float>(x, shape, 0, ly0);
        int cores = Environment.ProcessorCount;
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"f32, shape {Rows} × {Columns}, x ~ N(0, 3²); Gelem/s (median of interleaved rounds)\n");
        md.AppendLine("| pass | dim | 1 thread | all cores |");
        md.AppendLine("|---|---:|---:|---:|");
        var cases = new (string Name, string Dim, Action Call)[]
        {
            ("softmax", "-1", () => Activations.Softmax<float>(x, shape, -1, y)),
            ("log_softmax", "-1", () => Activations.LogSoftmax<float>(x, shape, -1, ly)),
            ("softmax backward", "-1", () => Activations.SoftmaxBackward<float>(y, g, shape, -1, dx)),
            ("log_softmax backward", "-1", () => Activations.LogSoftmaxBackward<float>(ly, g, shape, -1, dx)),
            ("softmax", "0", () => Activations.Softmax<float>(x, shape, 0, y0)),
            ("log_softmax", "0", () => Activations.LogSoftmax<float>(x, shape, 0, ly0)),
            ("softmax backward", "0", () => Activations.SoftmaxBackward<float>(y0, g, shape, 0, dx)),
            ("log_softmax backward", "0", () => Activations.LogSoftmaxBackward<float>(ly0, g, shape, 0, dx)),
            ("TensorPrimitives.SoftMax row by row", "-1", () => RowByRow(x, dx)),
        };
        foreach (var (name, dim, call) in cases)
        {
            var bench = new Interleaved()
                .Add("1", () => { using (Parallelism.Scope(1)) call(); })
                .Add("N", () => { using (Parallelism.Scope(cores)) call(); });
            var t = bench.Measure(quick ? 3 : 7, quick ? 0.05 : 0.2);
            string Rate(string k) => (n / t[k] / 1e9).ToString("F2", CultureInfo.InvariantCulture);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {dim} | {Rate("1")} | {Rate("N")} |");
            Console.Error.WriteLine($"{name} dim {dim}: {Rate("1")} / {Rate("N")} Gelem/s");
        }
        return md.ToString();
    }

    /// <summary>TensorPrimitives.SoftMax on each row (single-threaded: it has no parallel form; the all-cores column
    /// runs it on one core too).</summary>
    private static void RowByRow(float[] x, float[] y)
    {
        for (int r = 0; r < Rows; r++)
        {
            TensorPrimitives.SoftMax(x.AsSpan(r * Columns, Columns), y.AsSpan(r * Columns, Columns));
        }
    }

    private static double NextGaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
