using System.Numerics;
using System.Text.Json;
using Rectifier.Cli;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>Every command and error path of <c>rectifier</c>, in-process with a recording console.</summary>
public sealed class CliCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private string Save<T>(string name, T[] data, params nint[] shape) where T : unmanaged
    {
        Npy.WriteAll<T>(P(name), data, shape);
        return P(name);
    }

    private static T[] Load<T>(string path) where T : unmanaged, INumberBase<T> => Npy.ReadAll<T>(path, out _);

    private static void AssertSame<T>(T[] expected, T[] actual, string what) where T : IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Numbers.Same(expected[i], actual[i]), $"{what}[{i}]: {actual[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void Apply_relu_threshold_and_prelu_match_PyTorch_bit_for_bit()
    {
        string x = NpyTests.Fixture("torch_x.npy");
        Assert.Equal(0, Run("apply", "relu", x, P("relu.npy")).Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_relu.npy")), Load<float>(P("relu.npy")), "relu");
        Assert.Equal(0, Run("apply", "threshold", x, P("t.npy"), "--threshold", "0.5", "--value", "-1").Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_threshold.npy")), Load<float>(P("t.npy")), "threshold");
        string w = NpyTests.Fixture("torch_w.npy");
        Assert.Equal(0, Run("apply", "prelu", x, P("p.npy"), "--weight-file", w).Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_prelu_nchw.npy")), Load<float>(P("p.npy")), "prelu NCHW");
        Assert.Equal(0, Run("apply", "prelu", NpyTests.Fixture("torch_x_nhwc.npy"), P("q.npy"), "--weight-file", w, "--channel-axis", "-1").Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_prelu_nhwc.npy")), Load<float>(P("q.npy")), "prelu NHWC");
    }

    [Fact]
    public void Grad_leaky_relu_and_prelu_match_PyTorch_and_write_the_weight_gradient()
    {
        string x = NpyTests.Fixture("torch_x.npy"), g = NpyTests.Fixture("torch_g.npy");
        Assert.Equal(0, Run("grad", "leaky_relu", x, g, P("dx.npy"), "--negative-slope", "0.2").Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_leaky_relu_grad.npy")), Load<float>(P("dx.npy")), "leaky_relu grad");
        var (code, output, _) = Run("grad", "prelu", x, g, P("dxp.npy"), "--weight-file", NpyTests.Fixture("torch_w.npy"), "--grad-weight-file", P("dw.npy"));
        Assert.Equal(0, code);
        Assert.Contains("dw.npy", output, StringComparison.Ordinal);
        double[] dw = Load<double>(P("dw.npy")), expected = Load<double>(NpyTests.Fixture("torch_prelu_dw_f64.npy"));
        for (int c = 0; c < dw.Length; c++)
        {
            Assert.True(Math.Abs(dw[c] - expected[c]) <= 1e-6 * Math.Abs(expected[c]), $"dw[{c}] = {dw[c]}, PyTorch {expected[c]}");
        }
    }

    [Theory]
    [MemberData(nameof(FunctionNames))]
    public void Every_function_applies_and_differentiates_over_files_as_the_library_does_in_memory(string name)
    {
        double[] x = Numbers.Random<double>(3000, name.Length, 0.05);
        double[] g = Numbers.Random<double>(3000, name.Length + 1, 0.05);
        string[] extra = name == "threshold" ? ["--threshold", "0.25", "--value", "-2"] : [];
        foreach (var type in new[] { "f2", "f4", "f8" })
        {
            string xi = P($"{name}.{type}.x.npy"), gi = P($"{name}.{type}.g.npy");
            switch (type)
            {
                case "f2": Save<Half>(Path.GetFileName(xi), [.. x.Select(v => (Half)v)], 30, 100); Save<Half>(Path.GetFileName(gi), [.. g.Select(v => (Half)v)], 30, 100); break;
                case "f4": Save<float>(Path.GetFileName(xi), [.. x.Select(v => (float)v)], 30, 100); Save<float>(Path.GetFileName(gi), [.. g.Select(v => (float)v)], 30, 100); break;
                default: Save(Path.GetFileName(xi), x, 30, 100); Save(Path.GetFileName(gi), g, 30, 100); break;
            }
            Assert.Equal(0, Run(["apply", name, xi, P("y.npy"), .. extra]).Code);
            Assert.Equal(0, Run(["grad", name, xi, gi, P("d.npy"), .. extra]).Code);
            using (var reader = NpyReader.Open(P("y.npy")))
            {
                Assert.Equal([30, 100], reader.Info.Shape);
                Assert.Equal(type, reader.Info.Descr[1..]);
            }
            switch (type)
            {
                case "f2": Check<Half>(name, xi, gi); break;
                case "f4": Check<float>(name, xi, gi); break;
                default: Check<double>(name, xi, gi); break;
            }
        }
    }

    private void Check<T>(string name, string xPath, string gPath) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Load<T>(xPath), g = Load<T>(gPath);
        var p = new ParameterValues();
        foreach (ParameterSpec s in Functions.Find(name)!.Parameters.Where(s => s.Default is not null))
        {
            p.Set(s.Option, s.Default!.Value);
        }
        if (name == "threshold")
        {
            p.Set("--threshold", 0.25);
            p.Set("--value", -2);
        }
        T[] y = new T[x.Length], d = new T[x.Length];
        Functions.Forward<T>(name, p, x, [30, 100], y);
        Functions.Backward<T>(name, p, x, g, [30, 100], d);
        AssertSame(y, Load<T>(P("y.npy")), $"{name} {typeof(T).Name} apply");
        AssertSame(d, Load<T>(P("d.npy")), $"{name} {typeof(T).Name} grad");
    }

    public static TheoryData<string> FunctionNames => [.. Functions.All.Select(f => f.Name)];

    [Fact]
    public void Hardshrink_and_softshrink_match_PyTorch_bit_for_bit_with_an_inexact_lambda()
    {
        string x = NpyTests.Fixture("torch_x.npy"), g = NpyTests.Fixture("torch_g.npy");
        Assert.Equal(0, Run("apply", "hardshrink", x, P("h.npy"), "--lambd", "0.3").Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_hardshrink.npy")), Load<float>(P("h.npy")), "hardshrink");
        Assert.Equal(0, Run("apply", "softshrink", x, P("s.npy"), "--lambd", "0.3").Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_softshrink.npy")), Load<float>(P("s.npy")), "softshrink");
        Assert.Equal(0, Run("grad", "softshrink", x, g, P("ds.npy"), "--lambd", "0.3").Code);
        AssertSame(Load<float>(NpyTests.Fixture("torch_softshrink_grad.npy")), Load<float>(P("ds.npy")), "softshrink grad");
        var (code, _, err) = Run("apply", "softshrink", x, P("bad.npy"), "--lambd", "-1");
        Assert.Equal(2, code);
        Assert.Contains("--lambd must be non-negative", err, StringComparison.Ordinal);
        Assert.False(File.Exists(P("bad.npy")));
    }

    [Theory]
    [InlineData("softmax", 0)]
    [InlineData("softmax", 1)]
    [InlineData("log_softmax", -1)]
    [InlineData("log_softmax", -3)]
    [InlineData("softmin", 2)]
    public void The_softmax_family_runs_along_dim_on_C_and_Fortran_files_as_the_library_does(string name, int dim)
    {
        nint[] shape = [3, 4, 50];
        double[] xd = Numbers.Random<double>(600, dim + 10, 0.02), gd = Numbers.Random<double>(600, dim + 20, 0.02);
        float[] x = [.. xd.Select(v => (float)v)], g = [.. gd.Select(v => (float)v)];
        Save("x.npy", x, shape);
        Save("g.npy", g, shape);
        // the library's own value, not the command's table, is the reference
        Activation a = name switch
        {
            "softmax" => Activation.Softmax(dim),
            "log_softmax" => Activation.LogSoftmax(dim),
            _ => Activation.Softmin(dim),
        };
        float[] y = new float[600], dx = new float[600];
        a.Forward<float>(x, shape, y);
        a.Backward<float>(x, g, shape, dx);
        Assert.Equal(0, Run("apply", name, P("x.npy"), P("y.npy"), "--dim", dim.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code);
        AssertSame(y, Load<float>(P("y.npy")), $"{name} dim {dim}");
        Assert.Equal(0, Run("grad", name, P("x.npy"), P("g.npy"), P("dx.npy"), "--dim", dim.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code);
        AssertSame(dx, Load<float>(P("dx.npy")), $"{name} grad dim {dim}");

        // the same logical array stored in Fortran order: memory holds the transpose, the result is the same array
        int axis = dim < 0 ? dim + 3 : dim;
        float[] fortran = new float[600], yf = new float[600];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                for (int k = 0; k < 50; k++)
                {
                    fortran[(k * 4 + j) * 3 + i] = x[(i * 4 + j) * 50 + k];
                }
            }
        }
        using (NpyWriter writer = NpyWriter.Create(P("xf.npy"), NpyDataType.Float32, shape, fortranOrder: true))
        {
            writer.Write<float>(0, fortran);
        }
        Assert.Equal(0, Run("apply", name, P("xf.npy"), P("yf.npy"), "--dim", dim.ToString(System.Globalization.CultureInfo.InvariantCulture)).Code);
        using (var reader = NpyReader.Open(P("yf.npy")))
        {
            Assert.True(reader.Info.FortranOrder);
        }
        // what the library gives on the memory layout: the reversed shape, the axis reversed
        (a with { First = 2 - axis }).Forward<float>(fortran, [50, 4, 3], yf);
        AssertSame(yf, Load<float>(P("yf.npy")), $"{name} dim {dim}, Fortran order");
    }

    [Fact]
    public void Softmax_along_the_last_axis_streams_whole_rows_through_many_pieces()
    {
        // rows of 1000 floats, 700 of them: 2.8 MB, several 1 MB pieces, none splitting a row
        int rows = 700, columns = 1000;
        float[] x = Numbers.Random<float>(rows * columns, 17, 0.001);
        Save("rows.npy", x, rows, columns);
        Assert.Equal(0, Run("apply", "log_softmax", P("rows.npy"), P("rows_out.npy")).Code);
        var expected = new float[x.Length];
        Activations.LogSoftmax<float>(x, [rows, columns], -1, expected);
        AssertSame(expected, Load<float>(P("rows_out.npy")), "streamed log_softmax");
    }

    [Fact]
    public void A_dim_that_is_not_an_axis_or_a_dim_where_it_does_not_apply_is_a_usage_error()
    {
        Save("m.npy", new float[12], 3, 4);
        var (code, _, err) = Run("apply", "softmax", P("m.npy"), P("o.npy"), "--dim", "2");
        Assert.Equal(2, code);
        Assert.Contains("--dim 2 is not an axis of m.npy, shape (3, 4)", err, StringComparison.Ordinal);
        Assert.Equal(2, Run("apply", "relu", P("m.npy"), P("o.npy"), "--dim", "0").Code);
        Assert.Equal(2, Run("apply", "softmax", P("m.npy"), P("o.npy"), "--lambd", "0.5").Code);
        Assert.Equal(2, Run("apply", "softmax", P("m.npy"), P("o.npy"), "--dim", "x").Code);
        Assert.False(File.Exists(P("o.npy")));
        (code, _, err) = Run("plot", "softmax", "--out", P("p.png"));
        Assert.Equal(2, code);
        Assert.Contains("no curve", err, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_many_chunks_long_streams_to_the_same_result_as_one_call()
    {
        int n = 3 * (Pipeline.ChunkBytes / 4) + 12345;
        float[] x = Numbers.Random<float>(n, 5, 0.01);
        Save("big.npy", x, n);
        Assert.Equal(0, Run("apply", "silu", P("big.npy"), P("big_out.npy")).Code);
        var expected = new float[n];
        Activations.Silu<float>(x, expected);
        AssertSame(expected, Load<float>(P("big_out.npy")), "streamed silu");
    }

    [Theory]
    [InlineData(4, 3, 100_000)]        // whole [C, inner] blocks per piece
    [InlineData(1, 40, 20_000)]        // ranges of channels within one block
    [InlineData(2, 2, 700_000)]        // one channel's run longer than a piece
    public void Per_channel_prelu_streams_every_kind_of_piece_like_one_call(int outer, int channels, int inner)
    {
        nint[] shape = [outer, channels, inner];
        int n = outer * channels * inner;
        float[] x = Numbers.Random<float>(n, 7, 0), g = Numbers.Random<float>(n, 8, 0);
        float[] w = [.. Enumerable.Range(0, channels).Select(c => 0.05f * (c + 1))];
        Save("px.npy", x, shape);
        Save("pg.npy", g, shape);
        Save("pw.npy", w, channels);
        Assert.Equal(0, Run("apply", "prelu", P("px.npy"), P("py.npy"), "--weight-file", P("pw.npy")).Code);
        Assert.Equal(0, Run("grad", "prelu", P("px.npy"), P("pg.npy"), P("pd.npy"), "--weight-file", P("pw.npy"), "--grad-weight-file", P("pdw.npy")).Code);
        nint[] nshape = [outer, channels, inner];
        float[] y = new float[n], d = new float[n], dw = new float[channels];
        Activations.PRelu<float>(x, nshape, w, y);
        Activations.PReluBackward<float>(x, nshape, g, w, d, dw);
        AssertSame(y, Load<float>(P("py.npy")), "prelu");
        AssertSame(d, Load<float>(P("pd.npy")), "prelu dx");
        float[] got = Load<float>(P("pdw.npy"));
        double[] dwReference = CliOutputTests.PreluWeightGradient(x, g, outer, channels, inner);
        for (int c = 0; c < channels; c++)
        {
            double reference = dwReference[c];
            Assert.True(Math.Abs(got[c] - reference) <= 1e-5 * Math.Abs(reference) + 1e-3, $"dw[{c}] = {got[c]}, reference {reference}");
        }
    }

    [Fact]
    public void Dead_units_finds_the_columns_that_never_fire_in_a_table_and_in_JSON()
    {
        const int batch = 500, units = 12;
        var a = new float[batch * units];
        var rng = new Random(3);
        for (int b = 0; b < batch; b++)
        {
            for (int u = 0; u < units; u++)
            {
                // units 2 and 7 are dead (≤ 0 everywhere); unit 9 fires exactly on even rows
                a[b * units + u] = u is 2 or 7 ? -(float)rng.NextDouble() : u == 9 ? (b % 2 == 0 ? 1 : 0) : (float)rng.NextDouble() + 0.01f;
            }
        }
        Save("acts.npy", a, batch, units);
        var (code, output, error) = Run("dead-units", P("acts.npy"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("2 (16.7 %)", output, StringComparison.Ordinal);
        Assert.Contains("2, 7", output, StringComparison.Ordinal);

        (code, output, _) = Run("dead-units", P("acts.npy"), "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal([2, 7], json.RootElement.GetProperty("dead_units").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(units, json.RootElement.GetProperty("units").GetInt32());
        Assert.Equal(batch, json.RootElement.GetProperty("observations_per_unit").GetInt64());
        Assert.Equal(0.5, json.RootElement.GetProperty("activation_rates")[9].GetDouble());
        Assert.Equal(units, json.RootElement.GetProperty("histogram").EnumerateArray().Sum(b => b.GetProperty("units").GetInt32()));
    }

    [Fact]
    public void Dead_units_on_NCHW_and_NHWC_give_the_same_channels()
    {
        // [N=3, C=4, H=5, W=6]; channel 1 is dead
        int n = 3, c = 4, h = 5, w = 6;
        var nchw = new double[n * c * h * w];
        var nhwc = new double[nchw.Length];
        var rng = new Random(9);
        for (int b = 0; b < n; b++)
        {
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h * w; i++)
                {
                    double v = ch == 1 ? -1 : rng.NextDouble() - 0.2;
                    nchw[((b * c) + ch) * h * w + i] = v;
                    nhwc[(b * h * w + i) * c + ch] = v;
                }
            }
        }
        Save("nchw.npy", nchw, n, c, h, w);
        Save("nhwc.npy", nhwc, n, h, w, c);
        var (c1, o1, _) = Run("dead-units", P("nchw.npy"), "--json");
        var (c2, o2, _) = Run("dead-units", P("nhwc.npy"), "--axis", "-1", "--json");
        Assert.Equal(0, c1);
        Assert.Equal(0, c2);
        using var j1 = JsonDocument.Parse(o1);
        using var j2 = JsonDocument.Parse(o2);
        Assert.Equal([1], j1.RootElement.GetProperty("dead_units").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(j1.RootElement.GetProperty("activation_rates").ToString(), j2.RootElement.GetProperty("activation_rates").ToString());
    }

    [Fact]
    public void List_shows_every_function_with_its_defaults_and_the_machine()
    {
        var (code, output, _) = Run("list");
        Assert.Equal(0, code);
        foreach (FunctionSpec f in Functions.All)
        {
            Assert.Contains(f.Name, output, StringComparison.Ordinal);
        }
        Assert.Contains("--negative-slope 0.01", output, StringComparison.Ordinal);
        Assert.Contains("--threshold required", output, StringComparison.Ordinal);
        Assert.Contains(RuntimeInfo.VectorDescription, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_reports_relu_and_gelu_against_a_copy()
    {
        BenchCommand.SizesOverride = [1 << 12, 1 << 14];
        try
        {
            var (code, output, _) = Run("bench", "--quick");
            Assert.Equal(0, code);
            Assert.Contains("relu / copy", output, StringComparison.Ordinal);
            Assert.Contains("16K", output, StringComparison.Ordinal);
        }
        finally
        {
            BenchCommand.SizesOverride = null;
        }
    }

    [Fact]
    public void Help_describes_every_command()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        foreach (string command in new[] { "demo", "list", "apply", "grad", "dead-units", "bench" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
        (code, output, _) = Run("apply", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--negative-slope", output, StringComparison.Ordinal);
    }

    public static TheoryData<string[], int, string> Errors => new()
    {
        { ["apply", "relux", "{x}", "{out}"], 2, "did you mean 'relu'" },
        { ["apply", "threshold", "{x}", "{out}"], 2, "threshold needs --threshold" },
        { ["apply", "elu", "{x}", "{out}", "--negative-slope", "0.1"], 2, "--negative-slope does not apply to elu" },
        { ["apply", "relu", "{x}", "{out}", "--alpha", "2"], 2, "relu, which takes no parameters" },
        { ["apply", "gelu", "{x}", "{out}", "--approximate", "fast"], 2, "--approximate must be 'none' or 'tanh'" },
        { ["apply", "celu", "{x}", "{out}", "--alpha", "0"], 2, "--alpha must not be 0" },
        { ["apply", "softplus", "{x}", "{out}", "--beta", "0"], 2, "--beta must not be 0" },
        { ["apply", "relu", "{x}", "{x}"], 2, "is also an input" },
        { ["apply", "relu", "{missing}", "{out}"], 1, "no such file" },
        { ["apply", "relu", "{bad}", "{out}"], 1, "bad.npy: not a .npy file" },
        { ["apply", "relu", "{x}", "{nodir}"], 1, "does not exist" },
        { ["apply", "prelu", "{x}", "{out}", "--weight-file", "{w5}"], 1, "has 5 weights but" },
        { ["apply", "prelu", "{x}", "{out}", "--weight-file", "{w3}", "--channel-axis", "7"], 2, "--channel-axis 7 is not an axis" },
        { ["apply", "prelu", "{x}", "{out}", "--weight", "0.1", "--weight-file", "{w3}"], 2, "either --weight or --weight-file" },
        { ["apply", "prelu", "{x}", "{out}", "--channel-axis", "1"], 2, "--channel-axis goes with --weight-file" },
        { ["apply", "prelu", "{fortran}", "{out}", "--weight-file", "{w3}"], 1, "Fortran-ordered" },
        { ["grad", "relu", "{x}", "{g_wrong}", "{out}"], 1, "does not match" },
        { ["grad", "relu", "{x}", "{x}", "{x}"], 2, "is also an input" },
        { ["dead-units", "{vector}"], 1, "has no unit axis" },
        { ["dead-units", "{x}", "--axis", "5"], 2, "--axis 5 is not an axis" },
        { ["apply", "relu"], 2, "rectifier apply --help" },
        { ["apply", "relu"], 2, "'apply' needs <function> <in.npy> <out.npy>; missing <in.npy>, <out.npy>" },
        { ["apply"], 2, "missing <function>, <in.npy>, <out.npy>" },
        { ["frobnicate"], 2, "rectifier --help" },
        { ["apply", "elu", "{x}", "{out}", "--alpha"], 2, "--alpha needs a value (--alpha number)" },
        { ["apply", "relu", "{x}", "{out}", "extra"], 2, "'extra' is not an argument or option of 'rectifier apply'" },
        { ["apply", "threshold", "{x}", "{out}", "--threshold", "0.5"], 2, "threshold needs --value (the replacement v)" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", "0,2"], 2, "--negative-slope takes a number like 0.2 or -1.5e-3, not '0,2' (write decimals with '.', e.g. 0.2)" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", "abc"], 2, "--negative-slope takes a number like 0.2 or -1.5e-3, not 'abc'" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", "1.000,5"], 2, "not '1.000,5'" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", "1,000.5"], 2, "not '1,000.5' (see 'rectifier apply --help')" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", "0. 2"], 2, "not '0. 2' (see 'rectifier apply --help')" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", " "], 2, "not ' ' (see 'rectifier apply --help')" },
        { ["apply", "leaky_relu", "{x}", "{out}", "--negative-slope", "0,25"], 2, "not '0,25' (write decimals with '.', e.g. 0.25)" },
        { ["apply", "prelu", "{x}", "{out}", "--weight-file", "{w3}", "--channel-axis", "one"], 2, "--channel-axis takes a whole number like 1 or -1, not 'one'" },
        { ["apply", "relu", "{dir}", "{out}"], 1, "sub: is a folder, not a .npy file" },
        { ["apply", "relu", "{x}", "{dir}"], 1, "sub: is a folder; give the output a file name" },
        { ["apply", "relu", "{ints}", "{out}"], 1, "ints.npy: dtype <i8 holds integers; activations take float16, float32 or float64" },
        { ["dead-units", "{dir}"], 1, "is a folder, not a .npy file" },
        { ["experiment", "dying", "--target", "0.9"], 2, "(see 'rectifier experiment dying --help')" },
        { ["experiment", "convergence", "--target", "97"], 2, "--target is a training accuracy between 0 and 1, like 0.97 for 97% (got 97)" },
        { ["experiment", "convergence", "--target", "0"], 2, "--target is a training accuracy between 0 and 1" },
        { ["experiment", "convergence", "--learning-rate", "0,05"], 2, "--learning-rate takes a number" },
        { ["experiment", "dying", "--learning-rates", "0.1,x"], 2, "--learning-rates must be numbers separated by commas" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Every_error_is_one_clear_line_with_the_right_exit_code_and_no_output_file(string[] args, int expectedCode, string message)
    {
        Save("x.npy", new float[] { 1, -2, 3, -4, 5, 6 }, 2, 3);
        Save("g_wrong.npy", new float[] { 1, 2, 3 }, 3);
        Save("w3.npy", new float[] { 0.1f, 0.2f, 0.3f }, 3);
        Save("w5.npy", new float[5], 5);
        Save("vector.npy", new float[4], 4);
        File.WriteAllText(P("bad.npy"), "not numpy at all");
        Directory.CreateDirectory(P("sub"));
        NpyIntegers.Write(P("ints.npy"), "<i8", [2, 3], [1L, -2, 3, -4, 5, 6]);
        string[] resolved = [.. args.Select(a => a switch
        {
            "{x}" => P("x.npy"),
            "{out}" => P("out.npy"),
            "{missing}" => P("missing.npy"),
            "{bad}" => P("bad.npy"),
            "{nodir}" => P(Path.Combine("no", "such", "dir", "out.npy")),
            "{w3}" => P("w3.npy"),
            "{w5}" => P("w5.npy"),
            "{fortran}" => NpyTests.Fixture("f4_fortran_3x4.npy"),
            "{g_wrong}" => P("g_wrong.npy"),
            "{vector}" => P("vector.npy"),
            "{dir}" => P("sub"),
            "{ints}" => P("ints.npy"),
            _ => a,
        })];
        byte[] before = File.ReadAllBytes(P("x.npy"));
        var (code, _, error) = Run(resolved);
        Assert.Equal(expectedCode, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("rectifier: ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(P("out.npy")), "no output is left behind");
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
        Assert.DoesNotContain('\u2212', error);
        Assert.Equal(before, File.ReadAllBytes(P("x.npy")));
    }
}
