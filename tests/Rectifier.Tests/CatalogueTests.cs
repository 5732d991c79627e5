using System.Reflection;
using Rectifier.Cli;

namespace Rectifier.Tests;

/// <summary>The catalogue of activations against references written here from PyTorch's documentation (names,
/// keywords, defaults), against the public methods found by reflection (the forms a row claims, the factories), and
/// against the functions themselves (the kinks a row lists are where their derivatives jump). Every kind has a row, so a
/// new kind without one fails here.</summary>
public sealed class CatalogueTests
{
    /// <summary>torch.nn.functional's name and keywords with their defaults (null: required), from its documentation;
    /// prelu's is nn.PReLU's init, gelu's approximate is 'none' (index 0), softmax's dim is −1 here (the last axis).</summary>
    private static readonly Dictionary<string, (string Name, double? Default)[]> PyTorch = new()
    {
        ["relu"] = [], ["relu6"] = [], ["leaky_relu"] = [("negative_slope", 0.01)], ["prelu"] = [("weight", 0.25)],
        ["rrelu"] = [("lower", 1.0 / 8), ("upper", 1.0 / 3)], ["hardtanh"] = [("min_val", -1), ("max_val", 1)],
        ["threshold"] = [("threshold", null), ("value", null)], ["elu"] = [("alpha", 1)], ["celu"] = [("alpha", 1)], ["selu"] = [],
        ["gelu"] = [("approximate", 0)], ["gelu_tanh"] = [], ["silu"] = [], ["mish"] = [], ["softplus"] = [("beta", 1), ("threshold", 20)],
        ["hardswish"] = [], ["hardsigmoid"] = [], ["sigmoid"] = [], ["tanh"] = [], ["hardshrink"] = [("lambd", 0.5)],
        ["softshrink"] = [("lambd", 0.5)], ["softsign"] = [], ["tanhshrink"] = [], ["logsigmoid"] = [],
        ["softmax"] = [("dim", -1)], ["log_softmax"] = [("dim", -1)], ["softmin"] = [("dim", -1)],
    };

    public static TheoryData<ActivationKind> Kinds => [.. Enum.GetValues<ActivationKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_has_its_row_with_PyTorchs_name_keywords_and_defaults(ActivationKind kind)
    {
        ActivationInfo row = ActivationInfo.Of(kind);
        Assert.Equal(kind, row.Kind);
        Assert.Same(row, ActivationInfo.All[(int)kind]);
        Assert.Same(row, ActivationInfo.Find(row.Name));
        Assert.True(PyTorch.TryGetValue(row.Name, out var expected), $"{row.Name} is not a name of torch.nn.functional");
        Assert.Equal(expected.Select(e => e.Name), row.Parameters.Select(p => p.Name));
        Assert.Equal(expected.Select(e => e.Default), row.Parameters.Select(p => p.Default));
        Assert.False(string.IsNullOrWhiteSpace(row.Formula));
        Assert.All(row.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(kind is ActivationKind.Softmax or ActivationKind.LogSoftmax or ActivationKind.Softmin, !row.IsElementwise);
    }

    [Fact]
    public void The_catalogue_has_one_row_per_kind_and_no_more()
    {
        Assert.Equal(Enum.GetValues<ActivationKind>().Length, ActivationInfo.All.Count);
        Assert.Equal(ActivationInfo.All.Count, ActivationInfo.All.Select(r => r.Name).Distinct().Count());
        Assert.Null(ActivationInfo.Find("Relu"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationInfo.Of((ActivationKind)999));
    }

    private static IEnumerable<MethodInfo> PublicMethods(string name)
        => typeof(Activations).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == name);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_row_claims_exactly_the_extra_forms_that_Activations_has(ActivationKind kind)
    {
        ActivationInfo row = ActivationInfo.Of(kind);
        string name = kind == ActivationKind.GeluTanh ? "Gelu" : kind.ToString();
        bool fromOutput = PublicMethods(name + "BackwardFromOutput").Any();
        bool mask = PublicMethods(name).Any(m => m.GetParameters().Any(p => p.ParameterType == typeof(Span<ulong>)));
        if (kind == ActivationKind.GeluTanh)
        {
            fromOutput = mask = false;   // the tanh form shares gelu's methods, which have neither
        }
        Assert.Equal(fromOutput, row.Forms.HasFlag(ActivationForms.BackwardFromOutput));
        Assert.Equal(mask, row.Forms.HasFlag(ActivationForms.Mask));
        // every row, variant or not, has its forward, backward and in-place methods
        Assert.NotEmpty(PublicMethods(name));
        Assert.NotEmpty(PublicMethods(name + "Backward"));
        Assert.NotEmpty(PublicMethods(name + "InPlace"));
    }

    /// <summary>The factory of each kind, called with values away from the defaults, is the row's Create with the same
    /// values, and ValueOf reads them back.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_factories_and_Create_agree_and_ValueOf_reads_the_values_back(ActivationKind kind)
    {
        ActivationInfo row = ActivationInfo.Of(kind);
        if (row.VariantOf is ActivationKind of)
        {
            Assert.Equal(ActivationKind.Gelu, of);
            Assert.Equal(Activation.Gelu(GeluApproximation.Tanh), ActivationInfo.Of(of).Create(1));
            Assert.Equal(Activation.Gelu(GeluApproximation.None), ActivationInfo.Of(of).Create(0));
            Assert.Equal(1, ActivationInfo.Of(of).ValueOf(Activation.Gelu(GeluApproximation.Tanh), 0));
            return;
        }
        double[] values = [.. row.Parameters.Select((p, i) => p.Kind == ActivationParameterKind.Choice ? 0 : p.Kind == ActivationParameterKind.Integer ? i : 0.1875 + i)];
        Activation created = row.Create(values);
        Assert.Equal(kind, created.Kind);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], row.ValueOf(created, i));
        }
        MethodInfo factory = typeof(Activation).GetMethod(kind.ToString(), BindingFlags.Public | BindingFlags.Static)!;
        object?[] args = [.. factory.GetParameters().Select((p, i) => p.ParameterType == typeof(GeluApproximation) ? GeluApproximation.None
            : p.ParameterType == typeof(int) ? (object)(int)values[i] : values[i])];
        Assert.Equal(created, (Activation)factory.Invoke(null, args)!);
        // and with no values, the defaults: the same as the factory's own defaults where every parameter has one
        if (row.Parameters.All(p => p.Default is not null))
        {
            object?[] defaults = [.. factory.GetParameters().Select(p => p.DefaultValue)];
            Assert.Equal((Activation)factory.Invoke(null, defaults)!, row.Create());
        }
    }

    [Fact]
    public void Create_refuses_too_many_values_a_missing_required_one_and_a_choice_out_of_range()
    {
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => ActivationInfo.Of(ActivationKind.Relu).Create(1)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => ActivationInfo.Of(ActivationKind.Threshold).Create(0.5)).ParamName);
        Assert.Equal(Activation.Threshold(0.5, -1), ActivationInfo.Of(ActivationKind.Threshold).Create(0.5, -1));
        Assert.Equal("approximate", Assert.Throws<ArgumentOutOfRangeException>(() => ActivationInfo.Of(ActivationKind.Gelu).Create(2)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationInfo.Of(ActivationKind.Elu).ValueOf(Activation.Elu(), 1));
    }

    [Fact]
    public void ToString_prints_the_name_and_the_values_in_the_rows_order()
    {
        Assert.Equal("relu", Activation.Relu().ToString());
        Assert.Equal("leaky_relu(0.2)", Activation.LeakyRelu(0.2).ToString());
        Assert.Equal("hardtanh(-0.5, 2)", Activation.Hardtanh(-0.5, 2).ToString());
        Assert.Equal("softplus(2, 5)", Activation.Softplus(2, 5).ToString());
        Assert.Equal("softmax(dim=0)", Activation.Softmax(0).ToString());
        Assert.Equal("gelu", Activation.Gelu().ToString());
        Assert.Equal("gelu_tanh", Activation.Gelu(GeluApproximation.Tanh).ToString());
    }

    /// <summary>Where the derivative of a piecewise-linear function changes between two neighbouring sample points, a
    /// kink the row lists lies between them; and every listed kink is such a place (or a jump of the function).</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_kinks_a_row_lists_are_where_the_derivative_or_the_value_jumps(ActivationKind kind)
    {
        ActivationInfo row = ActivationInfo.Of(kind);
        if (!row.IsElementwise)
        {
            Assert.Empty(row.Kinks(row.Create()));
            return;
        }
        double[] values = [.. row.Parameters.Select(p => p.Kind == ActivationParameterKind.Choice ? 0 : p.Default ?? (p.Name == "threshold" ? 0.75 : -2))];
        Activation a = row.Create(values);
        const int n = 8 * 64 * 2 + 1;   // [-8, 8] in steps of 1/64
        double[] x = [.. Enumerable.Range(0, n).Select(i => -8 + i / 64.0)];
        double[] y = new double[n], d = new double[n];
        a.Forward<double>(x, y);
        a.Backward<double>(x, [.. Enumerable.Repeat(1.0, n)], d);
        IReadOnlyList<double> kinks = row.Kinks(a);
        bool piecewise = row.Family == ActivationFamily.PiecewiseLinear || kind is ActivationKind.Hardswish or ActivationKind.Hardsigmoid;
        if (row.Family == ActivationFamily.PiecewiseLinear)
        {
            for (int i = 0; i + 1 < n; i++)
            {
                if (d[i] != d[i + 1])
                {
                    Assert.True(kinks.Any(k => k >= x[i] && k <= x[i + 1]), $"{a}: the derivative changes between {x[i]} and {x[i + 1]}, where no kink is listed");
                }
            }
        }
        if (piecewise)
        {
            foreach (double k in kinks.Where(k => k > -7 && k < 7))
            {
                int i = (int)Math.Floor((k + 8) * 64);
                double step = 1 / 64.0, left = (d[i - 1] + d[i - 2]) / 2, right = (d[i + 2] + d[i + 3]) / 2;
                bool jump = Math.Abs(y[i + 2] - y[i - 1]) > 3 * step * Math.Max(Math.Abs(left), Math.Abs(right)) + 1e-12;
                Assert.True(left != right || jump, $"{a}: a kink is listed at {k}, where neither the derivative nor the value changes");
            }
        }
    }

    /// <summary>The command reads the catalogue: every row but the variants is a function of apply, every parameter
    /// an option whose help gives the catalogue's default, and a parameter of one function is refused on another.</summary>
    [Fact]
    public void The_command_takes_its_functions_options_and_defaults_from_the_catalogue()
    {
        Assert.Equal(ActivationInfo.All.Where(r => r.VariantOf is null).Select(r => r.Name), Functions.All.Select(f => f.Name));
        var (code, help, _) = CliTests.Run("apply", "--help");
        Assert.Equal(0, code);
        string flat = string.Join(" ", help.Split('\n').Select(l => l.Trim()));
        foreach (ActivationInfo row in ActivationInfo.All.Where(r => r.VariantOf is null))
        {
            Assert.Contains(row.Name, flat, StringComparison.Ordinal);
            foreach (ActivationParameter p in row.Parameters)
            {
                string option = "--" + p.Name.Replace('_', '-');
                Assert.Contains(option, flat, StringComparison.Ordinal);
                Assert.Contains(p.DefaultText is null ? "(required)" : $"(default {p.DefaultText})", flat, StringComparison.Ordinal);
            }
        }
        var (refused, _, err) = CliTests.Run("apply", "relu", "in.npy", "out.npy", "--alpha", "2");
        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Contains("--alpha does not apply to relu", err, StringComparison.Ordinal);
    }

    /// <summary>The lists of defaults, written out here from PyTorch's signatures (threshold with t = v = 0).</summary>
    [Fact]
    public void The_lists_with_defaults_are_every_kind_with_PyTorchs_defaults()
    {
        Activation[] elementwise =
        [
            new(ActivationKind.Relu), new(ActivationKind.Relu6), new(ActivationKind.LeakyRelu, 0.01), new(ActivationKind.PRelu, 0.25),
            new(ActivationKind.RRelu, 1.0 / 8, 1.0 / 3), new(ActivationKind.Hardtanh, -1, 1), new(ActivationKind.Threshold, 0, 0),
            new(ActivationKind.Elu, 1), new(ActivationKind.Celu, 1), new(ActivationKind.Selu), new(ActivationKind.Gelu), new(ActivationKind.GeluTanh),
            new(ActivationKind.Silu), new(ActivationKind.Mish), new(ActivationKind.Softplus, 1, 20), new(ActivationKind.Hardswish),
            new(ActivationKind.Hardsigmoid), new(ActivationKind.Sigmoid), new(ActivationKind.Tanh), new(ActivationKind.Hardshrink, 0.5),
            new(ActivationKind.Softshrink, 0.5), new(ActivationKind.Softsign), new(ActivationKind.Tanhshrink), new(ActivationKind.LogSigmoid),
        ];
        Assert.Equal(elementwise, Activation.AllWithDefaults);
        Assert.Equal([new(ActivationKind.Softmax, -1), new(ActivationKind.LogSoftmax, -1), new Activation(ActivationKind.Softmin, -1)], Activation.AlongDimWithDefaults);
    }

    [Fact]
    public void Refusals_name_the_kind_the_index_and_the_parameter()
    {
        var beyond = Assert.Throws<ArgumentOutOfRangeException>(() => ActivationInfo.Of((ActivationKind)ActivationInfo.All.Count));
        Assert.Equal("kind", beyond.ParamName);
        Assert.Contains("not an activation kind", beyond.Message, StringComparison.Ordinal);
        Assert.Contains("'none'", Assert.Throws<ArgumentOutOfRangeException>(() => ActivationInfo.Of(ActivationKind.Gelu).Create(3)).Message, StringComparison.Ordinal);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => ActivationInfo.Of(ActivationKind.Elu).ValueOf(Activation.Elu(), -1)).ParamName);
        Assert.Contains("relu takes 0 parameter(s), not 1", Assert.Throws<ArgumentException>(() => ActivationInfo.Of(ActivationKind.Relu).Create(1)).Message, StringComparison.Ordinal);
        Assert.Contains("threshold needs its parameter value", Assert.Throws<ArgumentException>(() => ActivationInfo.Of(ActivationKind.Threshold).Create(0.5)).Message, StringComparison.Ordinal);
        // an element-wise function checks the shape it is given, though it does not use it
        Assert.Throws<ArgumentException>(() => Activation.Relu().Forward<float>(new float[6], [2, 2], new float[6]));
        Assert.Throws<ArgumentException>(() => Activation.Relu().Backward<float>(new float[6], new float[6], [4], new float[6]));
        // the softmax family's backward from x checks gradOutput before it computes y
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Activation.Softmax().Backward<float>(new float[6], new float[5], [2, 3], new float[6])).ParamName);
    }

    [Fact]
    public void Defaults_print_as_the_help_text_writes_them()
    {
        ActivationInfo rrelu = ActivationInfo.Of(ActivationKind.RRelu);
        Assert.Equal(["1/8", "1/3"], rrelu.Parameters.Select(p => p.DefaultText));
        Assert.Equal("lower=1/8", rrelu.Parameters[0].ToString());
        Assert.Equal("negative_slope=0.01", ActivationInfo.Of(ActivationKind.LeakyRelu).Parameters[0].ToString());
        Assert.Equal("threshold", ActivationInfo.Of(ActivationKind.Threshold).Parameters[0].ToString());
        Assert.Equal("approximate=none", ActivationInfo.Of(ActivationKind.Gelu).Parameters[0].ToString());
        var (_, help, _) = CliTests.Run("apply", "--help");
        Assert.Contains("(default 1/8)", help, StringComparison.Ordinal);
    }

    /// <summary>Kinks with parameters away from the defaults, written from the spec: softplus turns linear where
    /// βx = threshold, hardswish and hardsigmoid change formula at ±3.</summary>
    [Fact]
    public void Kinks_follow_the_parameters()
    {
        Assert.Equal([2.5], Activation.Softplus(2, 5).Info.Kinks(Activation.Softplus(2, 5)));
        Assert.Equal([-3.0, 3.0], Activation.Hardswish().Info.Kinks(Activation.Hardswish()));
        Assert.Equal([-3.0, 3.0], Activation.Hardsigmoid().Info.Kinks(Activation.Hardsigmoid()));
        Assert.Equal([-0.3, 0.7], Activation.Hardtanh(-0.3, 0.7).Info.Kinks(Activation.Hardtanh(-0.3, 0.7)));
        Assert.Equal([-0.25, 0.25], Activation.Softshrink(0.25).Info.Kinks(Activation.Softshrink(0.25)));
    }
}
