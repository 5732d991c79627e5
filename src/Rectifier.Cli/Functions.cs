using System.Numerics;

namespace Rectifier.Cli;

/// <summary>A parameter of an activation on the command line: a row's parameter under its option name.</summary>
/// <param name="Parameter">The catalogue's parameter.</param>
internal sealed record ParameterSpec(ActivationParameter Parameter)
{
    /// <summary>The option: <c>--</c> and PyTorch's keyword with '-' for '_' (negative_slope → --negative-slope).</summary>
    public string Option { get; } = OptionName(Parameter.Name);

    /// <summary>PyTorch's default (a choice's index), or null when the parameter is required.</summary>
    public double? Default => Parameter.Default;

    public string Help => Parameter.Description;

    public static string OptionName(string parameter) => "--" + parameter.Replace('_', '-');
}

/// <summary>One activation the command applies: a row of the library's catalogue (gelu_tanh is gelu's --approximate
/// tanh, not a function of its own here).</summary>
internal sealed record FunctionSpec(ActivationInfo Row)
{
    public string Name => Row.Name;

    public string Summary => Row.Formula;

    public ParameterSpec[] Parameters { get; } = [.. Row.Parameters.Select(p => new ParameterSpec(p))];

    public bool Smooth => Row.Family == ActivationFamily.Smooth;

    /// <summary>softmax, log_softmax, softmin: normalised along <c>--dim</c>, not element by element.</summary>
    public bool AlongDim => !Row.IsElementwise;
}

/// <summary>The parameter values given on the command line (defaults filled in), by option; a choice is its index.</summary>
internal sealed class ParameterValues
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public double this[string option] => _values[option];

    public void Set(string option, double value) => _values[option] = value;

    public bool Has(string option) => _values.ContainsKey(option);

    public int ChannelAxis { get; set; } = 1;

    /// <summary>softmax, log_softmax and softmin: the axis (negative from the end).</summary>
    public int Dim
    {
        get => _values.TryGetValue("--dim", out double d) ? (int)d : -1;
        set => _values["--dim"] = value;
    }
}

/// <summary>Every activation the library's catalogue has, as the command names them, and the calls that apply them.</summary>
internal static class Functions
{
    public static readonly FunctionSpec[] All = [.. ActivationInfo.All.Where(r => r.VariantOf is null).Select(r => new FunctionSpec(r))];

    /// <summary>Every parameter option, once, in the order the functions first use it, with the functions that take it.</summary>
    public static readonly (ActivationParameter Parameter, string Option, FunctionSpec[] Users)[] ParameterOptions =
        [.. All.SelectMany(f => f.Parameters.Select(p => (p, f)))
            .GroupBy(t => t.p.Option, StringComparer.Ordinal)
            .Select(g => (g.First().p.Parameter, g.Key, g.Select(t => t.f).ToArray()))];

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
    public static Activation ToActivation(string name, ParameterValues p)
    {
        FunctionSpec spec = Require(name);
        double[] values = [.. spec.Parameters.Select(s => p.Has(s.Option) ? p[s.Option] : s.Default
            ?? throw new ArgumentException($"{name} needs {s.Option}", nameof(p)))];
        return spec.Row.Create(values);
    }

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
