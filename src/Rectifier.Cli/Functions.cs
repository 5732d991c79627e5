using System.Numerics;

namespace Rectifier.Cli;

/// <summary>A parameter of an activation on the command line.</summary>
/// <param name="Option">The option, e.g. <c>--alpha</c>.</param>
/// <param name="Default">PyTorch's default, or null when the parameter is required.</param>
/// <param name="Help">What it does.</param>
internal sealed record ParameterSpec(string Option, double? Default, string Help);

/// <summary>One activation the command applies: its PyTorch name, parameters and a one-line description.</summary>
internal sealed record FunctionSpec(string Name, string Summary, params ParameterSpec[] Parameters)
{
    public bool Smooth { get; init; }

    /// <summary>softmax, log_softmax, softmin: normalised along <c>--dim</c>, not element by element.</summary>
    public bool AlongDim { get; init; }
}

/// <summary>The parameter values given on the command line (defaults filled in).</summary>
internal sealed class ParameterValues
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public double this[string option] => _values[option];

    public void Set(string option, double value) => _values[option] = value;

    public bool Has(string option) => _values.ContainsKey(option);

    public GeluApproximation Approximate { get; set; } = GeluApproximation.None;

    /// <summary>prelu's per-channel weights (from --weight-file), already in the element type.</summary>
    public object? ChannelWeights { get; set; }

    public int ChannelAxis { get; set; } = 1;

    /// <summary>softmax, log_softmax and softmin: the axis (negative from the end).</summary>
    public int Dim { get; set; } = -1;
}

/// <summary>Every activation the library has, as the command names them, and the calls that apply them.</summary>
internal static class Functions
{
    private static readonly ParameterSpec Slope = new("--negative-slope", Activations.DefaultNegativeSlope, "slope for x ≤ 0");
    private static readonly ParameterSpec Alpha = new("--alpha", 1.0, "α");
    private static readonly ParameterSpec Lambda = new("--lambd", Activations.DefaultShrinkLambda, "λ ≥ 0");
    private static readonly ParameterSpec Dim = new("--dim", -1, "the axis to normalise along (negative: from the end)");

    public static readonly FunctionSpec[] All =
    [
        new("relu", "max(0, x)"),
        new("relu6", "min(max(0, x), 6)"),
        new("leaky_relu", "x > 0 ? x : x·s", Slope),
        new("prelu", "x > 0 ? x : w·x, one weight or one per channel",
            new ParameterSpec("--weight", 0.25, "the single weight w (or --weight-file w.npy with --channel-axis N, default 1)")),
        new("rrelu", "eval mode: leaky_relu with slope (lower + upper)/2",
            new ParameterSpec("--lower", 1.0 / 8, "lower bound of the slope"), new ParameterSpec("--upper", 1.0 / 3, "upper bound of the slope")),
        new("hardtanh", "clamp(x, min, max)",
            new ParameterSpec("--min-val", -1.0, "lower bound"), new ParameterSpec("--max-val", 1.0, "upper bound")),
        new("threshold", "x > t ? x : v",
            new ParameterSpec("--threshold", null, "threshold t (required)"), new ParameterSpec("--value", null, "replacement v (required)")),
        new("elu", "x > 0 ? x : α·(eˣ - 1)", Alpha) { Smooth = true },
        new("celu", "max(0, x) + min(0, α·(e^(x/α) - 1))", Alpha) { Smooth = true },
        new("selu", "scale·elu(x, α) with the self-normalising constants") { Smooth = true },
        new("gelu", "x·Φ(x) (--approximate tanh for the tanh form)", new ParameterSpec("--approximate", null, "none (default) or tanh")) { Smooth = true },
        new("silu", "x·σ(x)") { Smooth = true },
        new("mish", "x·tanh(softplus(x))") { Smooth = true },
        new("softplus", "log(1 + e^(βx))/β, x where βx > threshold",
            new ParameterSpec("--beta", 1.0, "β"), new ParameterSpec("--threshold", Activations.DefaultSoftplusThreshold, "linear above this (in βx)")) { Smooth = true },
        new("hardswish", "x·min(max(x + 3, 0), 6)/6") { Smooth = true },
        new("hardsigmoid", "min(max(x + 3, 0), 6)/6") { Smooth = true },
        new("sigmoid", "1/(1 + e^(-x))") { Smooth = true },
        new("tanh", "tanh(x)") { Smooth = true },
        new("hardshrink", "|x| > λ ? x : 0", Lambda),
        new("softshrink", "x > λ ? x - λ : x < -λ ? x + λ : 0", Lambda),
        new("softsign", "x/(1 + |x|)") { Smooth = true },
        new("tanhshrink", "x - tanh(x)") { Smooth = true },
        new("logsigmoid", "log σ(x)") { Smooth = true },
        new("softmax", "exp(x - max)/Σ exp(x - max) along --dim", Dim) { Smooth = true, AlongDim = true },
        new("log_softmax", "(x - max) - log Σ exp(x - max) along --dim", Dim) { Smooth = true, AlongDim = true },
        new("softmin", "softmax(-x) along --dim", Dim) { Smooth = true, AlongDim = true },
    ];

    public static FunctionSpec? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    /// <summary>The function named <paramref name="name"/>, or a usage error with the closest name.</summary>
    public static FunctionSpec Require(string name) => Find(name)
        ?? throw CliError.Usage($"unknown function '{name}'; did you mean '{Closest(name)}'? ('rectifier list' shows them all)");

    /// <summary>The closest known name, for "did you mean".</summary>
    public static string Closest(string name) =>
        All.Select(f => f.Name).OrderBy(n => Distance(n, name.ToLowerInvariant().Replace('-', '_'))).First();

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>The library's <see cref="Activation"/> for a command-line function and its parameter values.</summary>
    public static Activation ToActivation(string name, ParameterValues p) => name switch
    {
        "relu" => Activation.Relu(),
        "relu6" => Activation.Relu6(),
        "leaky_relu" => Activation.LeakyRelu(p["--negative-slope"]),
        "prelu" => Activation.PRelu(p["--weight"]),
        "rrelu" => Activation.RRelu(p["--lower"], p["--upper"]),
        "hardtanh" => Activation.Hardtanh(p["--min-val"], p["--max-val"]),
        "threshold" => Activation.Threshold(p["--threshold"], p["--value"]),
        "elu" => Activation.Elu(p["--alpha"]),
        "celu" => Activation.Celu(p["--alpha"]),
        "selu" => Activation.Selu(),
        "gelu" => Activation.Gelu(p.Approximate),
        "silu" => Activation.Silu(),
        "mish" => Activation.Mish(),
        "softplus" => Activation.Softplus(p["--beta"], p["--threshold"]),
        "hardswish" => Activation.Hardswish(),
        "hardsigmoid" => Activation.Hardsigmoid(),
        "sigmoid" => Activation.Sigmoid(),
        "tanh" => Activation.Tanh(),
        "hardshrink" => Activation.Hardshrink(p["--lambd"]),
        "softshrink" => Activation.Softshrink(p["--lambd"]),
        "softsign" => Activation.Softsign(),
        "tanhshrink" => Activation.Tanhshrink(),
        "logsigmoid" => Activation.LogSigmoid(),
        "softmax" => Activation.Softmax(p.Dim),
        "log_softmax" => Activation.LogSoftmax(p.Dim),
        "softmin" => Activation.Softmin(p.Dim),
        _ => throw new ArgumentException($"unknown function '{name}'", nameof(name)),
    };

    /// <summary>y = f(x) for every function but per-channel prelu, over a C-ordered block of <paramref name="shape"/>
    /// (which only softmax, log_softmax and softmin read).</summary>
    public static void Forward<T>(string name, ParameterValues p, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => ToActivation(name, p).Forward(x, shape, y);

    /// <summary>dx = f'(x)·g for every function but per-channel prelu (softmax and its kin compute y from x first);
    /// prelu with one weight also returns dL/dw.</summary>
    public static double Backward<T>(string name, ParameterValues p, ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (name == "prelu")
        {
            return double.CreateTruncating(Activations.PReluBackward(x, g, T.CreateTruncating(p["--weight"]), dx));
        }
        ToActivation(name, p).Backward(x, g, shape, dx);
        return 0;
    }
}
