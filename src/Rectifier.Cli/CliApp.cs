using System.CommandLine;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary>Exit codes of the <c>rectifier</c> command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int Usage = 2;
}

/// <summary>Builds the command tree and runs it against an injected console (tests use a recording one).</summary>
internal static class CliApp
{
    public static int Run(string[] args, IAnsiConsole console, TextWriter error, bool showProgress = false, CancellationToken cancel = default)
    {
        var ctx = new RunContext(console, error, showProgress, cancel);
        var root = new RootCommand("rectifier: the ReLU family of activations over NumPy .npy files — apply them, take their gradients, find dead units.");
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(ListCommand.Create(ctx));
        root.Subcommands.Add(ApplyCommand.CreateApply(ctx));
        root.Subcommands.Add(ApplyCommand.CreateGrad(ctx));
        root.Subcommands.Add(DeadUnitsCommand.Create(ctx));
        root.Subcommands.Add(BenchCommand.Create(ctx));
        root.Subcommands.Add(ExperimentCommand.Create(ctx));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string command = parsed.CommandResult.Command is RootCommand ? "" : " " + parsed.CommandResult.Command.Name;
            error.WriteLine($"rectifier: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see 'rectifier{command} --help')");
            return ExitCodes.Usage;
        }
        var output = new StringWriter();
        int code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        if (output.GetStringBuilder().Length > 0)
        {
            console.Write(new Text(output.ToString()));
        }
        return code;
    }
}
