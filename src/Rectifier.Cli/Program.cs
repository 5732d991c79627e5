using System.Runtime.InteropServices;
using Spectre.Console;

namespace Rectifier.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // Ctrl+C and SIGTERM stop at the next piece; the temporary output is removed and nothing is left behind.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });
        return CliApp.Run(args, AnsiConsole.Console, Console.Error, showProgress: !Console.IsErrorRedirected, cancel.Token);
    }
}
