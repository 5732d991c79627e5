using System.Buffers.Binary;
using Rectifier.Cli;

namespace Rectifier.Tests;

/// <summary><c>rectifier plot</c>: the PNG is valid and of the stated size, the plotted numbers are the library's
/// (checked against formulas written here), and kinks are drawn as they are.</summary>
public sealed class PlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-plot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>The width and height in a PNG's IHDR chunk, after checking the signature.</summary>
    private static (int Width, int Height) PngSize(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, "a PNG has a signature and an IHDR chunk");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Theory]
    [InlineData(new[] { "relu" }, 800, 560)]
    [InlineData(new[] { "relu", "leaky_relu", "--derivative" }, 1600, 560)]
    [InlineData(new[] { "relu", "gelu", "silu", "tanh", "sigmoid", "--derivative", "--grid" }, 4 * 360, 2 * 280)]
    [InlineData(new[] { "elu", "--width", "640", "--height", "480" }, 640, 480)]
    public void The_image_is_a_PNG_of_the_stated_size(string[] args, int width, int height)
    {
        var (code, output, error) = CliTests.Run(["plot", .. args, "--out", P("p.png")]);
        Assert.True(code == 0, error);
        Assert.Contains($"{width}x{height} pixels", output, StringComparison.Ordinal);
        Assert.Equal((width, height), PngSize(P("p.png")));
    }

    [Fact]
    public void Every_function_plots_with_its_derivative_in_one_grid()
    {
        var (code, output, error) = CliTests.Run("plot", "all", "--derivative", "--grid", "--points", "201", "--out", P("all.png"));
        Assert.True(code == 0, error);
        FunctionSpec[] curves = [.. Functions.All.Where(f => !f.AlongDim)];   // softmax and its kin have no curve
        foreach (FunctionSpec f in curves)
        {
            Assert.Contains(f.Name, output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("softmax", output, StringComparison.Ordinal);
        Assert.Contains("gelu(approximate='tanh')", output, StringComparison.Ordinal);
        Assert.Contains("threshold(1, 0)", output, StringComparison.Ordinal);
        var (w, h) = PngSize(P("all.png"));
        Assert.Equal(4 * 360, w);
        Assert.Equal((curves.Length + 1 + 3) / 4 * 280, h);
    }

    [Fact]
    public void Relu_is_drawn_from_max_0_x_and_its_derivative_as_a_step_with_the_value_0_at_the_kink()
    {
        Curve f = Curves.Of(Activation.Relu(), -4, 4, 1001, derivative: false);
        foreach (CurvePiece piece in f.Pieces)
        {
            for (int i = 0; i < piece.X.Length; i++)
            {
                Assert.Equal(piece.X[i] < 0 ? 0 : piece.X[i], piece.Y[i]);
            }
        }
        Assert.Empty(f.Jumps);

        Curve d = Curves.Of(Activation.Relu(), -4, 4, 1001, derivative: true);
        Assert.Equal(2, d.Pieces.Count);
        Assert.All(d.Pieces[0].Y, y => Assert.Equal(0.0, y));
        Assert.All(d.Pieces[1].Y, y => Assert.Equal(1.0, y));
        // The step reaches the kink from both sides: one representable double away.
        Assert.Equal(-double.Epsilon, d.Pieces[0].X[^1]);
        Assert.Equal(double.Epsilon, d.Pieces[1].X[0]);
        Assert.Equal(-4.0, d.Pieces[0].X[0]);
        Assert.Equal(4.0, d.Pieces[1].X[^1]);
        Assert.Equal([(0.0, 0.0)], d.Jumps);
        Assert.Equal("relu'", d.Label);
    }

    [Fact]
    public void Every_plotted_point_is_the_library_value_at_that_x_for_every_function()
    {
        foreach (Activation a in Activation.AllWithDefaults)
        {
            foreach (bool derivative in new[] { false, true })
            {
                Curve c = Curves.Of(a, -5, 7, 97, derivative);
                double[] xs = [.. c.Pieces.SelectMany(p => p.X)];
                double[] ys = [.. c.Pieces.SelectMany(p => p.Y)];
                double[] expected = new double[xs.Length], ones = [.. Enumerable.Repeat(1.0, xs.Length)];
                if (derivative)
                {
                    a.Backward<double>(xs, ones, expected);
                }
                else
                {
                    a.Forward<double>(xs, expected);
                }
                for (int i = 0; i < xs.Length; i++)
                {
                    Assert.True(Numbers.Same(expected[i], ys[i]), $"{c.Label} at {xs[i]}: {ys[i]}, library {expected[i]}");
                }
                // The x values rise through the range: the pieces are in order and never overlap.
                for (int i = 1; i < xs.Length; i++)
                {
                    Assert.True(xs[i] > xs[i - 1], $"{c.Label}: x goes back at {i}");
                }
                Assert.True(xs.Length >= 97, $"{c.Label}: every evenly spaced point is plotted");
            }
        }
    }

    [Fact]
    public void Leaky_relu_and_gelu_curves_match_their_formulas()
    {
        Curve leaky = Curves.Of(Activation.LeakyRelu(0.2), -4, 4, 101, derivative: false);
        foreach (CurvePiece p in leaky.Pieces)
        {
            for (int i = 0; i < p.X.Length; i++)
            {
                Assert.Equal(p.X[i] > 0 ? p.X[i] : p.X[i] * 0.2, p.Y[i]);   // double: one rounded product, exact
            }
        }
        Curve gelu = Curves.Of(Activation.Gelu(), -4, 4, 101, derivative: false);
        Assert.Single(gelu.Pieces);
        Assert.Empty(gelu.Jumps);
        CurvePiece g = gelu.Pieces[0];
        for (int i = 0; i < g.X.Length; i++)
        {
            Assert.Equal(g.X[i] * SmoothReference.Phi(g.X[i]), g.Y[i], 1e-12);
        }
    }

    [Fact]
    public void Jumps_are_marked_with_the_library_value_exactly_at_the_kink()
    {
        // threshold(1, -2): x <= 1 ? -2 : x jumps at 1, where the value is -2.
        Curve t = Curves.Of(Activation.Threshold(1, -2), -4, 4, 101, derivative: false);
        Assert.Equal([(1.0, -2.0)], t.Jumps);
        Assert.Equal(-2.0, t.Pieces[0].Y[^1]);
        Assert.Equal(Math.BitIncrement(1.0), t.Pieces[1].Y[0]);
        // hardtanh's derivative is 0 at both bounds; selu's is the left value scale·alpha at 0.
        Curve h = Curves.Of(Activation.Hardtanh(-1, 2), -4, 4, 101, derivative: true);
        Assert.Equal([(-1.0, 0.0), (2.0, 0.0)], h.Jumps);
        Curve s = Curves.Of(Activation.Selu(), -4, 4, 101, derivative: true);
        Assert.Single(s.Jumps);
        Assert.Equal(1.7580993408473766, s.Jumps[0].Y);   // the spec's left value at 0, scale·alpha rounded once
        // elu with alpha = 1 has no jump in its derivative at 0: one line through the kink.
        Curve e = Curves.Of(Activation.Elu(), -4, 4, 101, derivative: true);
        Assert.Empty(e.Jumps);
        Assert.Equal(0.0, e.Pieces[0].X[^1]);
    }

    public static TheoryData<string[], int, string> Errors => new()
    {
        { ["plot", "relux"], 2, "did you mean 'relu'" },
        { ["plot", "relu", "--range", "4,-4"], 2, "--range must be two finite numbers LO,HI with LO < HI" },
        { ["plot", "relu", "--range", "a,b"], 2, "--range must be" },
        { ["plot", "relu", "--range", "1"], 2, "--range must be" },
        { ["plot", "relu", "--points", "1"], 2, "--points must be between 2 and 1000000" },
        { ["plot", "relu", "--alpha", "2"], 2, "--alpha applies to none of relu" },
        { ["plot", "threshold"], 2, "threshold needs --threshold" },
        { ["plot", "celu", "--alpha", "0"], 2, "--alpha must not be 0" },
        { ["plot", "relu", "--out", "{nodir}"], 1, "does not exist" },
        { ["plot"], 2, "missing <function>" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void A_bad_plot_command_is_one_line_with_the_right_exit_code_and_no_image(string[] args, int expectedCode, string message)
    {
        string[] resolved = [.. args.Select(a => a == "{nodir}" ? P(Path.Combine("no", "such", "p.png")) : a)];
        if (!resolved.Contains("--out") && resolved.Length > 1)
        {
            resolved = [.. resolved, "--out", P("p.png")];
        }
        var (code, _, error) = CliTests.Run(resolved);
        Assert.Equal(expectedCode, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(P("p.png")));
    }

    [Fact]
    public void The_demo_points_to_the_plot_command_and_writes_nothing()
    {
        string before = string.Join("|", Directory.GetFileSystemEntries(Directory.GetCurrentDirectory()).Order());
        var (code, output, _) = CliTests.Run("demo");
        Assert.Equal(0, code);
        Assert.Contains("rectifier plot relu leaky_relu --derivative", output, StringComparison.Ordinal);
        Assert.Equal(before, string.Join("|", Directory.GetFileSystemEntries(Directory.GetCurrentDirectory()).Order()));
    }
}
