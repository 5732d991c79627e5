using Spectre.Console;

namespace Rectifier.Cli;

internal static class Program
{
    private static int Main(string[] args) => CliApp.Run(args, AnsiConsole.Console, Console.Error);
}
