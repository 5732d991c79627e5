using System.Runtime.InteropServices;
using Spectre.Console;

namespace Rectifier.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        using var interruption = new Interruption();
        // Ctrl+C and SIGTERM stop the run at its next piece; the temporary output is removed and nothing is left
        // behind; the exit code says which signal it was (130, 143). A second signal ends the process at once.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = interruption.Signal(ExitCodes.Interrupted));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = interruption.Signal(ExitCodes.Terminated));
        return CliApp.Run(args, AnsiConsole.Console, Console.Error, showProgress: !Console.IsErrorRedirected, interruption.Token, () => interruption.ExitCode);
    }
}
