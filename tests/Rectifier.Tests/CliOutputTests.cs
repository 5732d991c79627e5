using System.Globalization;
using System.Text.RegularExpressions;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>What the command prints: its help (every argument, option and default, written out here as a user reads
/// them), the line that reports a written file, the prelu weight gradient and the suggestion for a misspelt function (the nearest names written here were
/// checked with an edit distance computed apart from the command).</summary>
public sealed partial class CliOutputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Help wraps at the console's width; compared with every run of white space read as one space.</summary>
    private static string Flat(string text) => Spaces().Replace(text, " ");

    private static readonly string[] SharedOptionHelp =
    [
        "--negative-slope <number> leaky_relu: the slope for x ≤ 0 (default 0.01)",
        "--weight <number> prelu: the weight w (default 0.25)",
        "--weight-file <weight-file> prelu: a 1-d .npy of one weight per channel",
        "--channel-axis <integer> prelu: the channel axis of --weight-file (default 1; -1 = last, NHWC)",
        "--lower <number> rrelu: the lower bound of the slope (default 1/8)",
        "--upper <number> rrelu: the upper bound of the slope (default 1/3)",
        "--min-val <number> hardtanh: the lower bound (default -1)",
        "--max-val <number> hardtanh: the upper bound, ≥ min_val (default 1)",
        "--threshold <number> threshold: the threshold t (required); softplus: linear above this (in βx) (default 20)",
        "--value <number> threshold: the replacement v (required)",
        "--alpha <number> elu, celu: α, finite (default 1)",
        "--approximate <none|tanh> gelu: none or tanh (default none)",
        "--beta <number> softplus: β, finite and not 0 (default 1)",
        "--lambd <number> hardshrink, softshrink: λ ≥ 0 (default 0.5)",
        "--dim <integer> softmax, log_softmax, softmin: the axis to normalise along (negative: from the end) (default -1); the last axis streams, any other reads the whole file into memory",
    ];

    /// <summary>The help of <paramref name="command"/> holds each of <paramref name="lines"/> and every shared option line.</summary>
    private static string AssertHelp(string command, params string[] lines)
    {
        var (code, output, _) = CliTests.Run(command, "--help");
        Assert.Equal(0, code);
        string help = Flat(output);
        foreach (string line in lines.Concat(SharedOptionHelp))
        {
            Assert.Contains(line, help, StringComparison.Ordinal);
        }
        return help;
    }

    [Fact]
    public void Apply_help_names_every_argument_and_every_option_with_its_functions_and_default()
    {
        string help = AssertHelp("apply",
            "Apply an activation to a .npy file: out = f(in), streamed, any size.",
            "rectifier apply <function> <in.npy> <out.npy> [options]",
            "<function> relu, relu6, leaky_relu, prelu, rrelu, hardtanh, threshold, elu, celu, selu, gelu, silu, mish, softplus, hardswish, hardsigmoid, sigmoid, tanh, hardshrink, softshrink, softsign, tanhshrink, logsigmoid, softmax, log_softmax, softmin ('rectifier list' shows what each computes)",
            "<in.npy> the input array (float16, float32 or float64, any shape)",
            "<out.npy> where to write f(x): same dtype and shape");
        Assert.DoesNotContain("--grad-weight-file", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Grad_help_names_its_four_arguments_and_the_weight_gradient_file()
        => AssertHelp("grad",
            "Backward pass over .npy files: grad_in = f'(in)·grad_out, streamed, any size.",
            "rectifier grad <function> <in.npy> <grad_out.npy> <grad_in.npy> [options]",
            "<function> any function 'apply' takes",
            "<in.npy> the forward input x",
            "<grad_out.npy> dL/dy, same shape and dtype as x",
            "<grad_in.npy> where to write dL/dx",
            "--grad-weight-file <grad-weight-file> prelu grad: also write dL/dw to this .npy");

    [Fact]
    public void The_report_of_a_written_file_names_the_function_the_direction_the_dtype_the_shape_and_the_order()
    {
        string x = NpyTests.Fixture("f4_le_2x3x4.npy");
        var (code, output, error) = CliTests.Run("apply", "relu", x, P("y.npy"));
        Assert.Equal((0, ""), (code, error));
        Assert.Equal($"wrote {P("y.npy")}: relu, <f4 (2, 3, 4)", output.TrimEnd('\n'));

        (code, output, error) = CliTests.Run("grad", "elu", x, x, P("dx.npy"));
        Assert.Equal((0, ""), (code, error));
        Assert.Equal($"wrote {P("dx.npy")}: the gradient of elu, <f4 (2, 3, 4)", output.TrimEnd('\n'));

        (code, output, _) = CliTests.Run("apply", "gelu", NpyTests.Fixture("f8_be_2x3x4.npy"), P("b.npy"));
        Assert.Equal(0, code);
        Assert.Equal($"wrote {P("b.npy")}: gelu, <f8 (2, 3, 4)", output.TrimEnd('\n'));

        (code, output, _) = CliTests.Run("apply", "relu", NpyTests.Fixture("f4_fortran_3x4.npy"), P("f.npy"));
        Assert.Equal(0, code);
        Assert.Equal($"wrote {P("f.npy")}: relu, <f4 (3, 4) (Fortran order)", output.TrimEnd('\n'));
    }

    /// <summary>The test's own prelu weight gradient of [outer, channels, inner] data: dW[c] = Σ over x ≤ 0 of x·g
    /// along channel c, in double.</summary>
    internal static double[] PreluWeightGradient(float[] x, float[] g, int outer, int channels, int inner)
    {
        double[] dw = new double[channels];
        for (int o = 0; o < outer; o++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < inner; i++)
                {
                    long at = ((long)o * channels + c) * inner + i;
                    dw[c] += x[at] > 0 ? 0 : (double)x[at] * g[at];
                }
            }
        }
        return dw;
    }

    private static double[] Printed(string line)
    {
        Match m = Regex.Match(line, @"^dL/dw = \[(?<v>[^\]]*)\] \(--grad-weight-file F writes all of it\)$", RegexOptions.Multiline);
        Assert.True(m.Success, line);
        return [.. m.Groups["v"].Value.Split(", ").Where(s => s != "…").Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    public void Prelu_grad_prints_the_first_eight_weight_gradients_and_marks_the_rest(int channels)
    {
        const int outer = 2, inner = 5;
        // Moderate values (seeded), so that the printed line stays within the console's width.
        var rng = new Random(4242 + channels);
        float[] x = [.. Enumerable.Range(0, outer * channels * inner).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
        float[] g = [.. Enumerable.Range(0, x.Length).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        float[] w = [.. Enumerable.Range(0, channels).Select(c => 0.05f * (c + 1))];
        Npy.WriteAll<float>(P("x.npy"), x, [outer, channels, inner]);
        Npy.WriteAll<float>(P("g.npy"), g, [outer, channels, inner]);
        Npy.WriteAll<float>(P("w.npy"), w, [channels]);
        var (code, output, error) = CliTests.Run("grad", "prelu", P("x.npy"), P("g.npy"), P("dx.npy"), "--weight-file", P("w.npy"));
        Assert.Equal((0, ""), (code, error));
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 2, output);
        Assert.Equal($"wrote {P("dx.npy")}: the gradient of prelu, <f4 ({outer}, {channels}, {inner})", lines[0]);
        double[] shown = Printed(lines[1]);
        double[] expected = PreluWeightGradient(x, g, outer, channels, inner);
        Assert.Equal(Math.Min(channels, 8), shown.Length);
        Assert.Equal(channels > 8, lines[1].Contains(", …]", StringComparison.Ordinal));
        for (int c = 0; c < shown.Length; c++)
        {
            Assert.True(Math.Abs(shown[c] - expected[c]) <= 1e-5 * Math.Max(1, Math.Abs(expected[c])), $"dw[{c}] printed {shown[c]}, expected {expected[c]}");
        }
    }

    [Theory]
    [InlineData("e", "elu")]
    [InlineData("leaky_rleu", "leaky_relu")]
    [InlineData("Leaky-Relu6", "leaky_relu")]
    [InlineData("sfotplus", "softplus")]
    [InlineData("hardswsh", "hardswish")]
    [InlineData("logsigmod", "logsigmoid")]
    [InlineData("softmn", "softmin")]
    [InlineData("tanshrink", "tanhshrink")]
    public void A_misspelt_function_is_answered_with_the_nearest_name_by_edit_distance(string typed, string nearest)
    {
        var (code, _, error) = CliTests.Run("apply", typed, P("x.npy"), P("y.npy"));
        Assert.Equal(2, code);
        Assert.Equal($"rectifier: unknown function '{typed}'; did you mean '{nearest}'? ('rectifier list' shows them all)", error.TrimEnd('\n'));
    }
}
