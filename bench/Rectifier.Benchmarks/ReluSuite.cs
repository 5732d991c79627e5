using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Rectifier.Kernels;

namespace Rectifier.Benchmarks;

/// <summary>ReLU forward/backward against copies of the same bytes, TensorPrimitives.Max and a plain loop.</summary>
public static unsafe class ReluSuite
{
    public static string Run(long[] sizes, bool quick)
    {
        var md = new StringBuilder();
        md.AppendLine("| type | n | contender | GB/s | time/call | ratio |");
        md.AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (long n in sizes)
        {
            Suite<float>(n, md, quick);
            Suite<double>(n, md, quick);
        }
        return md.ToString();
    }

    private static void Suite<T>(long n, StringBuilder md, bool quick) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int len = checked((int)n);
        var rng = new Random(1);
        T[] x = new T[len], g = new T[len], y = new T[len];
        for (int i = 0; i < len; i++)
        {
            x[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
            g[i] = T.CreateTruncating(rng.NextDouble());
        }
        var bench = new Interleaved()
            .Add("copy, 1 thread", () => x.AsSpan().CopyTo(y))
            .Add("copy, 2 threads", () => Copy2(x, y))
            .Add("3-stream pass, 1 thread", () => ThreeStream(x, g, y, 1))
            .Add("3-stream pass, 2 threads", () => ThreeStream(x, g, y, 2))
            .Add("Rectifier relu, default", () => Activations.Relu<T>(x, y))
            .Add("Rectifier relu, 1 thread", () => { using (Parallelism.Scope(1)) Activations.Relu<T>(x, y); })
            .Add("Rectifier relu, 2 threads", () => { using (Parallelism.Scope(2)) Activations.Relu<T>(x, y); })
            .Add("Rectifier hardshrink, default", () => Activations.Hardshrink<T>(x, y))
            .Add("Rectifier hardshrink, 1 thread", () => { using (Parallelism.Scope(1)) Activations.Hardshrink<T>(x, y); })
            .Add("Rectifier softshrink, default", () => Activations.Softshrink<T>(x, y))
            .Add("Rectifier softshrink, 1 thread", () => { using (Parallelism.Scope(1)) Activations.Softshrink<T>(x, y); })
            .Add("TensorPrimitives.Max(x, 0)", () => TensorPrimitives.Max<T>(x, T.Zero, y))
            .Add("scalar loop", () => ScalarLoop(x, y))
            .Add("Rectifier relu backward, default", () => Activations.ReluBackward<T>(x, g, y))
            .Add("Rectifier relu backward, 1 thread", () => { using (Parallelism.Scope(1)) Activations.ReluBackward<T>(x, g, y); })
            .Add("Rectifier relu backward, 2 threads", () => { using (Parallelism.Scope(2)) Activations.ReluBackward<T>(x, g, y); });
        double seconds = quick ? 0.01 : n >= 1 << 24 ? 0.25 : 0.05;
        var t = bench.Measure(quick ? 3 : 9, seconds);
        double bytes2 = 2.0 * n * sizeof(T), bytes3 = 3.0 * n * sizeof(T);
        double bestCopy = Math.Min(t["copy, 1 thread"], t["copy, 2 threads"]);
        double best3 = Math.Min(t["3-stream pass, 1 thread"], t["3-stream pass, 2 threads"]);
        string type = typeof(T) == typeof(float) ? "f32" : "f64";
        foreach (var (name, secs) in t)
        {
            bool backward = name.Contains("backward", StringComparison.Ordinal) || name.StartsWith("3-stream", StringComparison.Ordinal);
            double bytes = backward ? bytes3 : bytes2;
            double reference = backward ? best3 : bestCopy;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {type} | {Size(n)} | {name} | {bytes / secs / 1e9:F1} | {Time(secs)} | {reference / secs:F2}× best {(backward ? "3-stream" : "copy")} |");
        }
        double fwdBest = Math.Min(t["Rectifier relu, default"], Math.Min(t["Rectifier relu, 1 thread"], t["Rectifier relu, 2 threads"]));
        double bwdBest = Math.Min(t["Rectifier relu backward, default"], Math.Min(t["Rectifier relu backward, 1 thread"], t["Rectifier relu backward, 2 threads"]));
        double hard = bestCopy / Math.Min(t["Rectifier hardshrink, default"], t["Rectifier hardshrink, 1 thread"]);
        double soft = bestCopy / Math.Min(t["Rectifier softshrink, default"], t["Rectifier softshrink, 1 thread"]);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {type} | {Size(n)} | **summary** | | | fwd {bestCopy / fwdBest:F2}× copy, {t["TensorPrimitives.Max(x, 0)"] / fwdBest:F2}× TP.Max, bwd {best3 / bwdBest:F2}× 3-stream; hardshrink {hard:F2}×, softshrink {soft:F2}× copy |");
        Console.Error.WriteLine($"{type} {Size(n)}: fwd {bestCopy / fwdBest:F2}x copy, {t["TensorPrimitives.Max(x, 0)"] / fwdBest:F2}x TP.Max, bwd {best3 / bwdBest:F2}x 3-stream, hardshrink {hard:F2}x, softshrink {soft:F2}x copy");
    }

    internal static string Size(long n) => n >= 1 << 20 ? $"{n >> 20}M" : n >= 1 << 10 ? $"{n >> 10}K" : n.ToString(CultureInfo.InvariantCulture);

    internal static string Time(double s) => s >= 1e-3 ? $"{s * 1e3:F2} ms" : $"{s * 1e6:F2} µs";

    private static void ScalarLoop<T>(T[] x, T[] y) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] > T.Zero ? x[i] : T.Zero;
        }
    }

    private static void Copy2<T>(T[] x, T[] y) where T : unmanaged
    {
        fixed (T* px = x)
        fixed (T* py = y)
        {
            using (Parallelism.Scope(2))
            {
                ParallelRunner.For(x.Length, 2 * sizeof(T), new CopyBody<T>(px, py));
            }
        }
    }

    private static void ThreeStream<T>(T[] a, T[] b, T[] y, int threads) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        fixed (T* pa = a)
        fixed (T* pb = b)
        fixed (T* py = y)
        {
            using (Parallelism.Scope(threads))
            {
                ParallelRunner.For(a.Length, 3 * sizeof(T), new AddBody<T>(pa, pb, py));
            }
        }
    }

    private readonly struct CopyBody<T>(T* x, T* y) : IRangeBody where T : unmanaged
    {
        public void Run(nint start, nint end) => new ReadOnlySpan<T>(x + start, (int)(end - start)).CopyTo(new Span<T>(y + start, (int)(end - start)));
    }

    /// <summary>Two reads and one write per element (TensorPrimitives.Add), the memory traffic of a backward pass.</summary>
    private readonly struct AddBody<T>(T* a, T* b, T* y) : IRangeBody where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public void Run(nint start, nint end)
        {
            int len = (int)(end - start);
            TensorPrimitives.Add(new ReadOnlySpan<T>(a + start, len), new ReadOnlySpan<T>(b + start, len), new Span<T>(y + start, len));
        }
    }
}
