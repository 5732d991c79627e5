using Spectre.Console;

namespace Rectifier.Cli;

/// <summary>A failure reported as one line on stderr with an exit code (1: bad input or I/O, 2: usage).</summary>
internal sealed class CliError(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliError Usage(string message) => new(ExitCodes.Usage, message);

    public static CliError Input(string message) => new(ExitCodes.BadInput, message);
}

/// <summary>How a run was stopped from outside: SIGINT (Ctrl+C) exits 130 and SIGTERM 143, the shell's 128 + signal
/// convention, so a script can tell an interrupt from bad input (1).</summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private int _exitCode = ExitCodes.Interrupted;

    public CancellationToken Token => _source.Token;

    /// <summary>The exit code of the first signal received (130 until one arrives).</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>Asks the run to stop at its next piece; returns false when a stop was already requested.</summary>
    public bool Signal(int exitCode)
    {
        if (_source.IsCancellationRequested)
        {
            return false;
        }
        Volatile.Write(ref _exitCode, exitCode);
        _source.Cancel();
        return true;
    }

    public void Dispose() => _source.Dispose();
}

/// <summary>What every command needs from its host: where to write, whether to show progress, when to stop.</summary>
internal sealed class RunContext(IAnsiConsole console, TextWriter error, bool showProgress, CancellationToken cancel, Func<int>? interruptedExitCode = null)
{
    public IAnsiConsole Console { get; } = console;

    public TextWriter Error { get; } = error;

    /// <summary>True when stderr is a terminal: long runs then draw a progress bar there.</summary>
    public bool ShowProgress { get; } = showProgress;

    public CancellationToken Cancel { get; } = cancel;

    /// <summary>The exit code of a run stopped through <see cref="Cancel"/>: 130 (SIGINT) or 143 (SIGTERM).</summary>
    public int InterruptedExitCode => interruptedExitCode?.Invoke() ?? ExitCodes.Interrupted;

    /// <summary>Called after each piece of a streamed command with the elements done so far; an in-process host
    /// (the tests) stops or disturbs a run at a chosen piece through it, without any timing.</summary>
    public Action<long>? PieceDone { get; init; }

    /// <summary>Whether outputs may be unnamed files until committed (O_TMPFILE); false gives the named partial
    /// file that other file systems get, so both ways of abandoning an output can be tested on one machine.</summary>
    public bool AllowUnnamedOutput { get; init; } = true;

    /// <summary>Runs <paramref name="work"/>, with a progress bar on stderr when it is a terminal and the work moves
    /// at least 64 MiB; <paramref name="work"/> reports how many of <paramref name="total"/> units are done.</summary>
    public void WithProgress(string description, long total, long bytes, Action<Action<long>?> work)
    {
        Action<long>? pieceDone = PieceDone;
        if (!ShowProgress || bytes < 64L << 20)
        {
            work(pieceDone);
            return;
        }
        var errConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        errConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: Math.Max(1, total));
                double scale = total == 0 ? 1 : (double)bytes / total;
                task.MaxValue = bytes;
                work(done =>
                {
                    task.Value = done * scale;
                    pieceDone?.Invoke(done);
                });
                task.Value = task.MaxValue;
            });
    }
}

/// <summary>Turns exceptions from the library and the file system into one clear line and an exit code.</summary>
internal static class Failures
{
    /// <summary>A library argument error in the command's words: <c>'alpha' must not be 0</c> → <c>--alpha must not be 0</c>.</summary>
    public static string OptionMessage(ArgumentException e)
    {
        string message = e.Message;
        int cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        foreach (var (name, option) in new[] { ("negativeSlope", "--negative-slope"), ("minValue", "--min-val"), ("maxValue", "--max-val"), ("alpha", "--alpha"),
            ("beta", "--beta"), ("threshold", "--threshold"), ("value", "--value"), ("lower", "--lower"), ("upper", "--upper"), ("weight", "--weight"), ("lambda", "--lambd") })
        {
            message = message.Replace($"'{name}'", option, StringComparison.Ordinal);
        }
        return message.TrimEnd('.');
    }

    public static int Report(Exception e, TextWriter error, int interruptedExitCode = ExitCodes.Interrupted)
    {
        (int code, string message) = e switch
        {
            CliError c => (c.ExitCode, c.Message),
            Rectifier.IO.NpyFormatException n => (ExitCodes.BadInput, n.Message.TrimEnd('.')),
            FileNotFoundException f => (ExitCodes.BadInput, $"{f.FileName ?? "file"}: no such file"),
            DirectoryNotFoundException d when d.Message.StartsWith("Could not find a part of the path", StringComparison.Ordinal) => (ExitCodes.BadInput, "a folder on the path does not exist: " + d.Message),
            DirectoryNotFoundException d => (ExitCodes.BadInput, d.Message),
            UnauthorizedAccessException u when u.Message.EndsWith(": permission denied", StringComparison.Ordinal) => (ExitCodes.BadInput, u.Message),
            UnauthorizedAccessException u => (ExitCodes.BadInput, $"permission denied: {u.Message}"),
            OperationCanceledException => (interruptedExitCode, "interrupted; no output was written"),
            IOException io => (ExitCodes.BadInput, io.Message),
            ArgumentException a => (ExitCodes.Usage, OptionMessage(a)),
            AggregateException ag when ag.InnerExceptions.Count == 1 => (-1, ""),
            _ => (ExitCodes.BadInput, $"unexpected error: {e.Message}"),
        };
        if (code == -1)
        {
            return Report(((AggregateException)e).InnerExceptions[0], error, interruptedExitCode);
        }
        error.WriteLine($"rectifier: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
