using Rectifier.Cli;
using Rectifier.IO;
using Spectre.Console;

namespace Rectifier.Tests;

/// <summary>A streamed command that fails after its output has started leaves neither the output nor a temporary
/// file, whichever way the output is held (an unnamed O_TMPFILE file, or the named partial file of other file
/// systems). The failure is made in-process at a chosen piece (a cancellation, an input truncated under the
/// reader), so nothing depends on timing.</summary>
public sealed class StreamFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-fail-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>12 MiB of float32: twelve 1 MiB pieces.</summary>
    private const int Elements = 3 << 20;

    private (int Code, string Out, string Err) Run(string[] args, bool unnamed, Action<long> pieceDone, CancellationToken cancel = default)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        var error = new StringWriter();
        var context = new RunContext(console, error, showProgress: false, cancel) { PieceDone = pieceDone, AllowUnnamedOutput = unnamed };
        int code = CliApp.Run(args, console, error, context);
        return (code, output.ToString(), error.ToString());
    }

    private string[] Inputs()
    {
        float[] x = DeterminismTests.Inexact<float>(Elements, 1), g = DeterminismTests.Inexact<float>(Elements, 2);
        Npy.WriteAll<float>(P("x.npy"), x, [Elements / 1024, 1024]);
        Npy.WriteAll<float>(P("g.npy"), g, [Elements / 1024, 1024]);
        return ["x.npy", "g.npy"];
    }

    /// <summary>Nothing in the folder but the inputs, and no open file of this process in it (an unnamed output
    /// shows in /proc/self/fd as "DIR/#inode (deleted)").</summary>
    private void AssertNothingLeft(string[] inputs, string what)
    {
        string[] left = [.. Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Where(f => !inputs.Contains(f)).Cast<string>()];
        Assert.True(left.Length == 0, $"{what}: left behind {string.Join(", ", left)}");
        if (Directory.Exists("/proc/self/fd"))
        {
            foreach (string fd in Directory.GetFiles("/proc/self/fd"))
            {
                string? target = null;
                try
                {
                    target = new FileInfo(fd).LinkTarget;
                }
                catch (IOException)
                {
                }
                Assert.False(target is not null && target.StartsWith(_dir + "/", StringComparison.Ordinal) && !inputs.Any(i => target == P(i)),
                    $"{what}: an open file in the output folder: {target}");
            }
        }
    }

    public static TheoryData<string, bool> Commands => new()
    {
        { "apply", true }, { "apply", false }, { "grad", true }, { "grad", false },
    };

    private string[] Args(string command) => command == "apply"
        ? ["apply", "gelu", P("x.npy"), P("y.npy")]
        : ["grad", "leaky_relu", P("x.npy"), P("g.npy"), P("y.npy")];

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_cancellation_after_some_pieces_are_written_leaves_nothing(string command, bool unnamed)
    {
        string[] inputs = Inputs();
        using var cts = new CancellationTokenSource();
        int pieces = 0;
        var (code, _, err) = Run(Args(command), unnamed, _ =>
        {
            if (++pieces == 3)
            {
                cts.Cancel();
            }
        }, cts.Token);
        Assert.True(pieces >= 3, $"only {pieces} pieces ran: the cancellation came before the output had started");
        Assert.True(pieces < 12, "every piece ran: the cancellation was not seen");
        Assert.Equal(130, code); // SIGINT's code, as DESIGN.md fixes it for a cancelled run
        Assert.Equal("rectifier: interrupted; no output was written", err.Trim());
        Assert.False(File.Exists(P("y.npy")));
        AssertNothingLeft(inputs, $"{command} cancelled (unnamed output allowed: {unnamed})");
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void An_input_truncated_under_the_reader_is_one_error_line_and_leaves_nothing(string command, bool unnamed)
    {
        string[] inputs = Inputs();
        long dataOffset;
        using (var reader = NpyReader.Open(P("x.npy")))
        {
            dataOffset = reader.Info.DataOffset;
        }
        int pieces = 0;
        var (code, _, err) = Run(Args(command), unnamed, _ =>
        {
            if (++pieces == 2)
            {
                // Pieces 0-2 may already be read; piece 4 onwards is certainly gone.
                using var f = new FileStream(P("x.npy"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                f.SetLength(dataOffset + (7L << 19));
            }
        });
        Assert.True(pieces >= 2 && pieces < 12, $"{pieces} pieces ran");
        Assert.Equal(1, code);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].Contains("x.npy", StringComparison.Ordinal) && lines[0].Contains("truncated", StringComparison.Ordinal), $"stderr: {err}");
        Assert.False(File.Exists(P("y.npy")));
        AssertNothingLeft(inputs, $"{command} on a truncated input (unnamed output allowed: {unnamed})");
    }

    [Fact]
    public void The_same_run_without_a_failure_writes_the_whole_output()
    {
        string[] inputs = Inputs();
        int pieces = 0;
        var (code, _, err) = Run(Args("apply"), unnamed: false, _ => pieces++);
        Assert.True(code == 0, err);
        Assert.Equal(12, pieces);
        float[] y = Npy.ReadAll<float>(P("y.npy"), out _), x = Npy.ReadAll<float>(P("x.npy"), out _), expected = new float[x.Length];
        Activations.Gelu<float>(x, expected);
        Harness.AssertElements<float>(y, i => expected[i], "gelu over the file");
        AssertNothingLeft([.. inputs, "y.npy"], "a finished run");
    }
}
