using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary>Exit codes of the <c>rectifier</c> command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int Usage = 2;

    /// <summary>Stopped by SIGINT (Ctrl+C): 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;
}

/// <summary>Builds the command tree and runs it against an injected console (tests use a recording one).</summary>
internal static class CliApp
{
    /// <summary>The command's name in usage lines and messages, whatever the executable or test host is called.</summary>
    public const string Name = "rectifier";

    public static int Run(string[] args, IAnsiConsole console, TextWriter error, bool showProgress = false, CancellationToken cancel = default, Func<int>? interruptedExitCode = null)
        => Run(args, console, error, new RunContext(console, error, showProgress, cancel, interruptedExitCode));

    /// <summary>Runs the command with a context of the host's making (the tests' piece hook and output mode).</summary>
    internal static int Run(string[] args, IAnsiConsole console, TextWriter error, RunContext context)
    {
        // Every number read or written means the same whatever LANG/LC_ALL say (options, tables, JSON, messages),
        // and the parser's own messages are in one language.
        CultureInfo culture = CultureInfo.CurrentCulture, uiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            return RunInvariant(args, console, error, context);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    /// <summary>The command tree: a root named <see cref="Name"/> with help and version options.</summary>
    internal static Command Build(RunContext ctx)
    {
        var root = new Command(Name, "rectifier: the ReLU family of activations over NumPy .npy files - apply them, take their gradients, find dead units.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(DemoCommand.Create(ctx.Console));
        root.Subcommands.Add(ListCommand.Create(ctx));
        root.Subcommands.Add(ApplyCommand.CreateApply(ctx));
        root.Subcommands.Add(ApplyCommand.CreateGrad(ctx));
        root.Subcommands.Add(DeadUnitsCommand.Create(ctx));
        root.Subcommands.Add(PlotCommand.Create(ctx));
        root.Subcommands.Add(BenchCommand.Create(ctx));
        root.Subcommands.Add(ExperimentCommand.Create(ctx));
        return root;
    }

    private static int RunInvariant(string[] args, IAnsiConsole console, TextWriter error, RunContext ctx)
    {
        Command root = Build(ctx);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"{Name}: {UsageMessage(parsed)} (see '{CommandPath(parsed.CommandResult)} --help')");
            return ExitCodes.Usage;
        }
        var output = new StringWriter(CultureInfo.InvariantCulture);
        int code = parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        if (output.GetStringBuilder().Length > 0)
        {
            console.Write(new Text(output.ToString()));
        }
        return code;
    }

    /// <summary>"rectifier experiment dying": the command as the user typed it, for "see ... --help".</summary>
    internal static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Command.Name);
            }
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>A parse error in the command's words: an option given without its value, a word that is neither an
    /// argument nor an option; other messages (the options' own parsers) are kept.</summary>
    private static string InToolWords(ParseError e, CommandResult command)
    {
        if (e.SymbolResult is OptionResult { Tokens.Count: 0 } option && e.Message.StartsWith("Required argument missing", StringComparison.Ordinal))
        {
            string name = option.Option.Name;
            return $"{name} needs a value ({name} {(option.Option.HelpName ?? "value")})";
        }
        const string unrecognized = "Unrecognized command or argument '";
        if (e.Message.StartsWith(unrecognized, StringComparison.Ordinal))
        {
            string word = e.Message[unrecognized.Length..].TrimEnd('.').TrimEnd('\'');
            return $"'{word}' is not an argument or option of '{CommandPath(command)}'";
        }
        return e.Message.TrimEnd('.');
    }

    /// <summary>One message for every parse error, naming the missing arguments once (the parser says "Required
    /// argument missing" once per argument without naming it).</summary>
    private static string UsageMessage(ParseResult parsed)
    {
        CommandResult command = parsed.CommandResult;
        var missing = command.Command.Arguments
            .Where(a => a.Arity.MinimumNumberOfValues > 0 && (command.GetResult(a) is not ArgumentResult r || r.Tokens.Count == 0))
            .ToList();
        var messages = new List<string>();
        if (missing.Count > 0)
        {
            string all = string.Join(" ", command.Command.Arguments.Select(a => $"<{a.Name}>"));
            string which = string.Join(", ", missing.Select(a => $"<{a.Name}>"));
            messages.Add($"'{CommandPath(command)[(Name.Length + 1)..]}' needs {all}; missing {which}");
        }
        foreach (ParseError e in parsed.Errors)
        {
            bool aboutMissing = missing.Count > 0 && (e.SymbolResult is ArgumentResult ar && missing.Contains(ar.Argument)
                || e.Message.StartsWith("Required argument missing", StringComparison.Ordinal));
            string message = InToolWords(e, command);
            if (!aboutMissing && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }
        return string.Join("; ", messages);
    }
}
