using Rectifier.Cli;
using Spectre.Console;

namespace Rectifier.Tests;

/// <summary>The command tested in-process, with a recording console.</summary>
public sealed class CliTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        console.Profile.Width = 160;
        var error = new StringWriter();
        int code = CliApp.Run(args, console, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void I_can_see_the_tutorial_example_with_relu_its_derivative_leaky_and_prelu()
    {
        var (code, output, error) = Run("demo");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (string header in new[] { "relu(x)", "relu'(x)", "leaky_relu(x, 0.01)", "prelu(x, w=0.25)" })
        {
            Assert.Contains(header, output, StringComparison.Ordinal);
        }
        // The −3 row: relu 0, derivative 0, leaky −0.03, prelu −0.75 (computed here independently).
        string row = output.Split('\n').First(l => l.Contains("-3 ", StringComparison.Ordinal) || l.TrimStart('│', ' ').StartsWith("-3", StringComparison.Ordinal));
        Assert.Contains(((float)(-3 * 0.01f)).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture), row, StringComparison.Ordinal);
        Assert.Contains("-0.75", row, StringComparison.Ordinal);
        Assert.Contains(RuntimeInfo.VectorDescription, output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error_with_exit_code_2()
    {
        var (code, _, error) = Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("frobnicate", error, StringComparison.Ordinal);
    }
}
