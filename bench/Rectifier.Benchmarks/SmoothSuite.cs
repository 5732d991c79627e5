using System.Globalization;
using System.Text;

namespace Rectifier.Benchmarks;

/// <summary>The smooth family, f32, forward and backward, on 1 thread and on all cores, in Gelem/s, measured
/// interleaved in one process (compare with bench/peers/smooth_peers.py for PyTorch).</summary>
public static class SmoothSuite
{
    private delegate void Fwd(float[] x, float[] y);
    private delegate void Bwd(float[] x, float[] g, float[] y);

    private static readonly (string Name, Fwd Forward, Bwd Backward)[] Functions =
    [
        ("elu", (x, y) => Activations.Elu<float>(x, y), (x, g, y) => Activations.EluBackward<float>(x, g, y)),
        ("selu", (x, y) => Activations.Selu<float>(x, y), (x, g, y) => Activations.SeluBackward<float>(x, g, y)),
        ("celu", (x, y) => Activations.Celu<float>(x, y), (x, g, y) => Activations.CeluBackward<float>(x, g, y)),
        ("gelu", (x, y) => Activations.Gelu<float>(x, y), (x, g, y) => Activations.GeluBackward<float>(x, g, y)),
        ("gelu_tanh", (x, y) => Activations.Gelu<float>(x, GeluApproximation.Tanh, y), (x, g, y) => Activations.GeluBackward<float>(x, g, GeluApproximation.Tanh, y)),
        ("silu", (x, y) => Activations.Silu<float>(x, y), (x, g, y) => Activations.SiluBackward<float>(x, g, y)),
        ("mish", (x, y) => Activations.Mish<float>(x, y), (x, g, y) => Activations.MishBackward<float>(x, g, y)),
        ("softplus", (x, y) => Activations.Softplus<float>(x, y), (x, g, y) => Activations.SoftplusBackward<float>(x, g, y)),
        ("hardswish", (x, y) => Activations.Hardswish<float>(x, y), (x, g, y) => Activations.HardswishBackward<float>(x, g, y)),
        ("hardsigmoid", (x, y) => Activations.Hardsigmoid<float>(x, y), (x, g, y) => Activations.HardsigmoidBackward<float>(x, g, y)),
        ("sigmoid", (x, y) => Activations.Sigmoid<float>(x, y), (x, g, y) => Activations.SigmoidBackward<float>(x, g, y)),
        ("tanh", (x, y) => Activations.Tanh<float>(x, y), (x, g, y) => Activations.TanhBackward<float>(x, g, y)),
        ("softsign", (x, y) => Activations.Softsign<float>(x, y), (x, g, y) => Activations.SoftsignBackward<float>(x, g, y)),
        ("tanhshrink", (x, y) => Activations.Tanhshrink<float>(x, y), (x, g, y) => Activations.TanhshrinkBackward<float>(x, g, y)),
        ("logsigmoid", (x, y) => Activations.LogSigmoid<float>(x, y), (x, g, y) => Activations.LogSigmoidBackward<float>(x, g, y)),
        ("sigmoid (bwd from y)", (x, y) => Activations.Sigmoid<float>(x, y), (x, g, y) => Activations.SigmoidBackwardFromOutput<float>(x, g, y)),
        ("tanh (bwd from y)", (x, y) => Activations.Tanh<float>(x, y), (x, g, y) => Activations.TanhBackwardFromOutput<float>(x, g, y)),
    ];

    public static string Run(int n, bool quick, string? only = null)
    {
        var rng = new Random(1);
        float[] x = new float[n], g = new float[n], y = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(rng.NextDouble() * 8 - 4);
            g[i] = (float)rng.NextDouble();
        }
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"f32, n = {ReluSuite.Size(n)}, inputs uniform in [−4, 4]; Gelem/s (median of interleaved rounds)\n");
        md.AppendLine("| function | fwd 1 thread | fwd all cores | bwd 1 thread | bwd all cores |");
        md.AppendLine("|---|---:|---:|---:|---:|");
        int cores = Environment.ProcessorCount;
        foreach (var (name, fwd, bwd) in Functions)
        {
            if (only is not null && !only.Split(',').Contains(name))
            {
                continue;
            }
            var bench = new Interleaved()
                .Add("f1", () => { using (Parallelism.Scope(1)) fwd(x, y); })
                .Add("fN", () => { using (Parallelism.Scope(cores)) fwd(x, y); })
                .Add("b1", () => { using (Parallelism.Scope(1)) bwd(x, g, y); })
                .Add("bN", () => { using (Parallelism.Scope(cores)) bwd(x, g, y); });
            var t = bench.Measure(quick ? 3 : 7, quick ? 0.02 : 0.1);
            string Rate(string k) => (n / t[k] / 1e9).ToString("G3", CultureInfo.InvariantCulture);   // 3 digits: the 128-bit leg runs at 0.005
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {Rate("f1")} | {Rate("fN")} | {Rate("b1")} | {Rate("bN")} |");
            Console.Error.WriteLine($"{name}: fwd {Rate("f1")}/{Rate("fN")} bwd {Rate("b1")}/{Rate("bN")} Gelem/s");
        }
        return md.ToString();
    }
    /// <summary>Half against float for the smooth family: forward and backward on one thread, interleaved, in
    /// elements per second (docs/PERFORMANCE.md; the target is Half at ≥ 0.9× float).</summary>
    public static string RunHalf(int n, bool quick)
    {
        var rng = new Random(1);
        float[] x = new float[n], g = new float[n], y = new float[n];
        Half[] hx = new Half[n], hg = new Half[n], hy = new Half[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(rng.NextDouble() * 8 - 4);
            g[i] = (float)rng.NextDouble();
            hx[i] = (Half)x[i];
            hg[i] = (Half)g[i];
        }
        (string Name, Activation A)[] functions =
        [
            ("elu", Activation.Elu()), ("selu", Activation.Selu()), ("celu", Activation.Celu()), ("gelu", Activation.Gelu()),
            ("gelu_tanh", Activation.Gelu(GeluApproximation.Tanh)), ("silu", Activation.Silu()), ("mish", Activation.Mish()),
            ("softplus", Activation.Softplus()), ("hardswish", Activation.Hardswish()), ("hardsigmoid", Activation.Hardsigmoid()),
            ("sigmoid", Activation.Sigmoid()), ("tanh", Activation.Tanh()),
        ];
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"n = {ReluSuite.Size(n)}, inputs uniform in [−4, 4], 1 thread; Gelem/s (median of interleaved rounds)\n");
        md.AppendLine("| function | fwd float | fwd Half | Half / float | bwd float | bwd Half | Half / float |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, a) in functions)
        {
            var bench = new Interleaved()
                .Add("ff", () => { using (Parallelism.Scope(1)) a.Forward<float>(x, y); })
                .Add("fh", () => { using (Parallelism.Scope(1)) a.Forward<Half>(hx, hy); })
                .Add("bf", () => { using (Parallelism.Scope(1)) a.Backward<float>(x, g, y); })
                .Add("bh", () => { using (Parallelism.Scope(1)) a.Backward<Half>(hx, hg, hy); });
            var t = bench.Measure(quick ? 3 : 7, quick ? 0.02 : 0.1);
            double R(string k) => n / t[k] / 1e9;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {R("ff"):F2} | {R("fh"):F2} | {R("fh") / R("ff"):F2}× | {R("bf"):F2} | {R("bh"):F2} | {R("bh") / R("bf"):F2}× |");
            Console.Error.WriteLine($"{name}: Half/float fwd {R("fh") / R("ff"):F2} bwd {R("bh") / R("bf"):F2}");
        }
        return md.ToString();
    }
}
