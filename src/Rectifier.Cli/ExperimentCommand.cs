using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Rectifier.Training;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary><c>rectifier experiment convergence|dying</c>: the tutorial's two claims measured on this machine —
/// ReLU networks converge faster than sigmoid/tanh ones, and ReLU units can die where Leaky ReLU/PReLU/ELU do not.</summary>
internal static class ExperimentCommand
{
    /// <summary>The defaults of one experiment on one kind of data set; every one of them can be overridden.</summary>
    private sealed record Preset(int[] Hidden, int Epochs, int Seeds, double Target, double LearningRate, double[] LearningRates, int? TrainSize, int[]? Depths);

    /// <summary>The presets: the small data sets keep the networks of the first experiments; Fashion-MNIST uses the
    /// depth grid at width 128 and a training subset sized so that the default grid runs in minutes on 2 cores.</summary>
    private static Preset PresetFor(bool dying, bool fashion, bool quick) => (dying, fashion, quick) switch
    {
        (false, false, false) => new([64, 64], 20, 5, 0.97, 0.05, [], null, null),
        (false, false, true) => new([64, 64], 5, 2, 0.9, 0.05, [], null, null),
        (false, true, false) => new([128], 8, 3, 0.85, 0.02, [], 20_000, [1, 2, 4, 8]),
        (false, true, true) => new([128], 3, 1, 0.8, 0.02, [], 6_000, [1, 4]),
        (true, false, false) => new([64, 64], 15, 2, 0, 0, [0.01, 0.05, 0.2], null, null),
        (true, false, true) => new([64, 64], 5, 1, 0, 0, [0.05, 0.5], null, null),
        (true, true, false) => new([128, 128], 5, 2, 0, 0, [0.01, 0.03, 0.1, 0.15, 0.2, 0.3, 1], 20_000, null),
        (true, true, true) => new([128, 128], 2, 1, 0, 0, [0.03, 1], 6_000, null),
    };

    private sealed class Common(bool dying)
    {
        public readonly Option<string> Data = new("--data") { Description = "digits (UCI optical digits, default), spirals, fashion-mnist (Zalando's 70,000 28×28 images; Debian package dataset-fashion-mnist), or a 2-d .npy of features (with --labels)", DefaultValueFactory = _ => "digits" };
        public readonly Option<string?> DataDir = new("--data-dir") { Description = $"the folder holding Fashion-MNIST's four IDX files, gzipped or not (default {Dataset.FashionMnistFolder})" };
        public readonly Option<string?> Labels = new("--labels") { Description = "a 1-d .npy of class numbers, one per row of --data" };
        public readonly Option<string?> Hidden = new("--hidden") { Description = $"hidden layer widths, comma-separated (default {(dying ? "64,64; 128,128 on fashion-mnist" : "64,64")})" };
        public readonly Option<int?> Epochs = CliOptions.OptionalInteger("--epochs", $"epochs per run (default {(dying ? "15; 5 on fashion-mnist" : "20; 8 on fashion-mnist")})");
        public readonly Option<int> Batch = CliOptions.Integer("--batch", "mini-batch size", 64);
        public readonly Option<string> Optimizer = new("--optimizer") { Description = "sgd (with momentum 0.9) or adam", DefaultValueFactory = _ => "sgd" };
        public readonly Option<int?> Seeds = CliOptions.OptionalInteger("--seeds", $"seeds per configuration (default {(dying ? "2" : "5; 3 on fashion-mnist")})");
        public readonly Option<int?> TrainSize = CliOptions.OptionalInteger("--train-size", "train on this many training rows, a seeded sample (default all; 20,000 of Fashion-MNIST's 60,000)");
        public readonly Option<string> Precision = new("--precision") { Description = "float (float32 trainer, default) or double (float64, as the gradient checks use)", DefaultValueFactory = _ => "float" };
        public readonly Option<bool> Quick = new("--quick") { Description = "a small preset that runs in about a minute (fewer epochs, seeds and rows); explicit options still win" };
        public readonly Option<bool> Json = new("--json") { Description = "print JSON instead of tables" };
        public readonly Option<string?> Plots = new("--plots") { Description = "write PNG plots to this folder" };

        public void AddTo(Command c)
        {
            foreach (Option o in new Option[] { Data, DataDir, Labels, Hidden, Epochs, Batch, Optimizer, Seeds, TrainSize, Precision, Quick, Json, Plots })
            {
                c.Options.Add(o);
            }
        }

        public bool IsFashion(ParseResult p) => p.GetValue(Data) == "fashion-mnist";

        public Preset Preset(ParseResult p) => PresetFor(dying, IsFashion(p), p.GetValue(Quick));

        public Dataset LoadData(ParseResult p, Preset preset)
        {
            string data = p.GetValue(Data)!;
            string? labels = p.GetValue(Labels);
            string? dir = p.GetValue(DataDir);
            if (dir is not null && data != "fashion-mnist")
            {
                throw CliError.Usage("--data-dir goes with --data fashion-mnist");
            }
            Dataset set = data switch
            {
                "digits" when labels is null => Dataset.Digits(),
                "spirals" when labels is null => Dataset.Spirals(),
                "fashion-mnist" when labels is null => Dataset.FashionMnist(dir),
                "digits" or "spirals" or "fashion-mnist" => throw CliError.Usage("--labels goes with --data X.npy, not with a built-in data set"),
                _ when labels is null => throw CliError.Usage("--data X.npy needs --labels y.npy (one class number per row)"),
                _ => Dataset.FromNpy(data, labels),
            };
            int? size = p.GetValue(TrainSize) ?? preset.TrainSize;
            if (size is int n)
            {
                if (n < 1)
                {
                    throw CliError.Usage($"--train-size must be at least 1 (got {n})");
                }
                if (set.Test is not null)
                {
                    set = set.Subset(n, 777);
                }
                else if (n < set.Rows)
                {
                    // a data set without its own test part is split first, so that the test part stays the same
                    var (train, test) = set.Split(0.2, 12345);
                    set = new Dataset(set.Name, train.Features, train.Labels, train.Columns, train.Classes, test).Subset(n, 777);
                }
            }
            return set;
        }

        public int[] HiddenLayers(ParseResult p, Preset preset)
        {
            string? text = p.GetValue(Hidden);
            return text is null ? preset.Hidden : Widths(text, "--hidden", "64,64");
        }

        public bool Double(ParseResult p) => p.GetValue(Precision) switch
        {
            "float" => false,
            "double" => true,
            var other => throw CliError.Usage($"--precision must be float or double, not '{other}'"),
        };

        public (TrainingOptions Options, int Seeds) Options(ParseResult p, Preset preset, double learningRate, bool monitorDeadUnits)
        {
            var options = new TrainingOptions(p.GetValue(Epochs) ?? preset.Epochs, p.GetValue(Batch), p.GetValue(Optimizer)!, learningRate, MonitorDeadUnits: monitorDeadUnits);
            int seeds = p.GetValue(Seeds) ?? preset.Seeds;
            Validate(options, seeds);
            return (options, seeds);
        }
    }

    /// <summary>Positive integers separated by commas.</summary>
    private static int[] Widths(string text, string option, string example)
    {
        try
        {
            int[] widths = [.. text.Split(',').Select(s => CliOptions.TryParseInteger(s, out int v) ? v : throw new FormatException())];
            return widths.All(w => w > 0) && widths.Length > 0 ? widths : throw new FormatException();
        }
        catch (FormatException)
        {
            throw CliError.Usage($"{option} must be positive whole numbers separated by commas, like {example} (got '{text}')");
        }
    }

    public static Command Create(RunContext ctx)
    {
        var command = new Command("experiment", "Reproduce the tutorial's claims on this machine: 'convergence' (ReLU vs sigmoid/tanh, at one or several depths) and 'dying' (dead ReLU units vs Leaky/PReLU/ELU as the learning rate grows).");
        command.Subcommands.Add(CreateConvergence(ctx));
        command.Subcommands.Add(CreateDying(ctx));
        return command;
    }

    private static Command CreateConvergence(RunContext ctx)
    {
        var common = new Common(dying: false);
        var target = CliOptions.OptionalNumber("--target", "training accuracy to reach (default 0.97; 0.85 on fashion-mnist)");
        var rate = CliOptions.OptionalNumber("--learning-rate", "learning rate (default 0.05; 0.02 on fashion-mnist)");
        var depths = new Option<string?>("--depths") { Description = "train networks of these numbers of hidden layers, each --width wide, comma-separated (default 1,2,4,8 on fashion-mnist; otherwise --hidden)" };
        var width = CliOptions.Integer("--width", "the width of every hidden layer with --depths", 128);
        var command = new Command("convergence", "Train the same network with relu, leaky_relu, prelu, elu, gelu, silu, tanh and sigmoid over several seeds (and depths): epochs and seconds to a target accuracy, final accuracy, ratios to relu.");
        common.AddTo(command);
        command.Options.Add(target);
        command.Options.Add(rate);
        command.Options.Add(depths);
        command.Options.Add(width);
        command.SetAction(parse => ApplyCommand.Guard(ctx, () =>
        {
            Preset preset = common.Preset(parse);
            double goal = parse.GetValue(target) ?? preset.Target;
            if (!(goal > 0 && goal <= 1))
            {
                throw CliError.Usage($"--target is a training accuracy between 0 and 1, like 0.97 for 97% (got {goal.ToString(CultureInfo.InvariantCulture)})");
            }
            var (options, seeds) = common.Options(parse, preset, parse.GetValue(rate) ?? preset.LearningRate, monitorDeadUnits: false);
            bool useDouble = common.Double(parse);
            int[][] architectures;
            string? depthText = parse.GetValue(depths);
            if (depthText is not null && parse.GetValue(common.Hidden) is not null)
            {
                throw CliError.Usage("give either --depths (with --width) or --hidden, not both");
            }
            if (parse.GetValue(width) < 1)
            {
                throw CliError.Usage($"--width must be at least 1 (got {parse.GetValue(width)})");
            }
            int[]? depthList = depthText is not null ? Widths(depthText, "--depths", "1,2,4,8") : parse.GetValue(common.Hidden) is null ? preset.Depths : null;
            architectures = depthList is not null
                ? [.. depthList.Select(d => Enumerable.Repeat(parse.GetValue(width), d).ToArray())]
                : [common.HiddenLayers(parse, preset)];
            Dataset data = common.LoadData(parse, preset);
            Activation[] activations = Experiments.ConvergenceActivations;
            var runs = WithProgress(ctx, "convergence", architectures.Length * activations.Length * seeds,
                (progress, tick) => Experiments.Convergence(new ExperimentSetup(data, options, useDouble, progress, ctx.Cancel), architectures, seeds, goal, activations, _ => tick()));
            var rows = (from h in architectures
                        let ofDepth = runs.Where(r => r.Hidden.SequenceEqual(h)).ToList()
                        let relu = Summarise(activations[0], h, ofDepth.Where(r => r.Activation == activations[0]).ToList())
                        from a in activations
                        let row = Summarise(a, h, ofDepth.Where(r => r.Activation == a).ToList())
                        select row with { epochs_ratio_to_relu = row.epochs_mean / relu.epochs_mean, seconds_ratio_to_relu = row.seconds_mean / relu.seconds_mean }).ToList();
            if (parse.GetValue(common.Plots) is { } folder)
            {
                Plots.Convergence(folder, runs, data.Name);
                if (architectures.Length > 1)
                {
                    Plots.Depths(folder, runs, data.Name, goal, options.Epochs);
                }
            }
            if (parse.GetValue(common.Json))
            {
                ctx.Console.Profile.Width = int.MaxValue / 2;
                var parts = data.TrainTest();
                ctx.Console.WriteLine(JsonSerializer.Serialize(new
                {
                    experiment = "convergence", data = data.Name, train_rows = parts.Train.Rows, test_rows = parts.Test.Rows, hidden = architectures, options.Epochs, options.Optimizer, options.LearningRate, options.BatchSize,
                    precision = useDouble ? "double" : "float", target = goal, seeds, results = rows,
                }));
                return;
            }
            RenderConvergence(ctx.Console, data, architectures, options, seeds, goal, rows, useDouble);
        }));
        return command;
    }

    private static Command CreateDying(RunContext ctx)
    {
        var common = new Common(dying: true);
        var rates = new Option<string?>("--learning-rates") { Description = "the learning rates to sweep, comma-separated (default 0.01,0.05,0.2; 0.01,0.03,0.1,0.15,0.2,0.3,1 on fashion-mnist)" };
        var biasInit = CliOptions.Number("--bias-init", "initial value of every hidden bias: 0 is the ordinary initialisation; a negative value such as -1.5 starts units near death", 0);
        var command = new Command("dying", "Sweep the learning rate and count dead hidden units (never positive on the training set) epoch by epoch for relu, leaky_relu (0.01 and 0.1), prelu and elu, with final accuracy and how many dead units came back.");
        common.AddTo(command);
        command.Options.Add(rates);
        command.Options.Add(biasInit);
        command.SetAction(parse => ApplyCommand.Guard(ctx, () =>
        {
            Preset preset = common.Preset(parse);
            int[] hidden = common.HiddenLayers(parse, preset);
            double[] sweep = preset.LearningRates;
            if (parse.GetValue(rates) is { } text)
            {
                string[] parts = text.Split(',');
                sweep = new double[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (!CliOptions.TryParseNumber(parts[i], out sweep[i]))
                    {
                        throw CliError.Usage($"--learning-rates must be numbers separated by commas, like 0.01,0.1,0.5 (got '{text}')");
                    }
                }
            }
            var (options, seeds) = common.Options(parse, preset, sweep.FirstOrDefault(), monitorDeadUnits: true);
            if (sweep.Any(r => !(r > 0)))
            {
                throw CliError.Usage("every learning rate must be positive");
            }
            bool useDouble = common.Double(parse);
            double bias = parse.GetValue(biasInit);
            Dataset data = common.LoadData(parse, preset);
            Activation[] activations = Experiments.DyingActivations;
            var runs = WithProgress(ctx, "dying", activations.Length * sweep.Length * seeds,
                (progress, tick) => Experiments.Dying(new ExperimentSetup(data, options, useDouble, progress, ctx.Cancel), hidden, sweep, bias, seeds, activations, _ => tick()));
            var rows = (from a in activations
                        from lr in sweep
                        let runsOf = runs.Where(r => r.Activation == a && r.LearningRate == lr).ToList()
                        let kept = runsOf.Where(r => !r.Diverged).ToList()
                        select new
                        {
                            activation = a.ToString(),
                            learning_rate = lr,
                            runs = runsOf.Count,
                            diverged_runs = runsOf.Count - kept.Count,
                            dead_fraction_first_epoch = Mean(kept, r => Overall(r.Epochs[0], hidden)),
                            dead_fraction_peak = Mean(kept, r => r.Epochs.Max(e => Overall(e, hidden))),
                            dead_fraction_final = Mean(kept, r => Overall(r.Epochs[^1], hidden)),
                            recovered_units = Mean(kept, r => r.Recovered),
                            final_train_accuracy = runsOf.Average(r => r.Epochs[^1].TrainAccuracy),
                            final_test_accuracy = runsOf.Average(r => r.Epochs[^1].TestAccuracy),
                            dead_fraction_by_epoch = kept.Count == 0 ? null : Enumerable.Range(0, options.Epochs).Select(e => kept.Average(r => Overall(r.Epochs[e], hidden))).ToArray(),
                        }).ToList();
            if (parse.GetValue(common.Plots) is { } folder)
            {
                Plots.Dying(folder, runs, hidden, data.Name);
                if (sweep.Length > 1)
                {
                    Plots.DeadAgainstRate(folder, runs, hidden, data.Name);
                }
            }
            if (parse.GetValue(common.Json))
            {
                ctx.Console.Profile.Width = int.MaxValue / 2;
                var parts = data.TrainTest();
                ctx.Console.WriteLine(JsonSerializer.Serialize(new
                {
                    experiment = "dying", data = data.Name, train_rows = parts.Train.Rows, test_rows = parts.Test.Rows, hidden, options.Epochs, options.Optimizer, options.BatchSize, bias_init = bias,
                    precision = useDouble ? "double" : "float", seeds, results = rows,
                }));
                return;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("activation").AddColumn(new TableColumn("lr").RightAligned()).AddColumn(new TableColumn("dead after epoch 1").RightAligned())
                .AddColumn(new TableColumn("dead at peak").RightAligned()).AddColumn(new TableColumn("dead at the end").RightAligned())
                .AddColumn(new TableColumn("units that came back").RightAligned()).AddColumn(new TableColumn("diverged").RightAligned())
                .AddColumn(new TableColumn("train acc").RightAligned()).AddColumn(new TableColumn("test acc").RightAligned());
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.activation), F(r.learning_rate, "G3"), P(r.dead_fraction_first_epoch), P(r.dead_fraction_peak), P(r.dead_fraction_final),
                    r.recovered_units is double back ? F(back, "F1") : "—", $"{r.diverged_runs}/{r.runs}", P(r.final_train_accuracy), P(r.final_test_accuracy));
            }
            ctx.Console.MarkupLine($"[bold]Dying units[/] on {Markup.Escape(data.Name)}: hidden {string.Join("×", hidden)}, {options.Optimizer}, batch {options.BatchSize}, {options.Epochs} epochs, {(useDouble ? "float64" : "float32")}, hidden biases start at {bias.ToString(CultureInfo.InvariantCulture)}, weights {Initialisations.Describe(Activation.Relu())} (leaky_relu and prelu with their slope in the gain, elu as relu), {seeds} seed(s) per row (means).");
            ctx.Console.Write(table);
            ctx.Console.MarkupLine("A unit is dead when its pre-activation is never positive over the whole training set: a relu unit then gets no gradient and cannot come back; leaky_relu, prelu and elu keep a gradient there. A run whose loss stopped being finite diverged (its weights blew up); its units are left out of the dead counts (—: every run diverged).");
        }));
        return command;
    }

    private static double? Mean(List<RunResult> runs, Func<RunResult, double> value) => runs.Count == 0 ? null : runs.Average(value);

    private static string P(double? v) => v is double d ? P(d) : "—";

    private static double Overall(EpochResult e, int[] hidden)
        => e.DeadFraction.Select((f, l) => f * hidden[l]).Sum() / hidden.Sum();

    private static void Validate(TrainingOptions options, int seeds)
    {
        if (options.Epochs < 1 || options.BatchSize < 1 || seeds < 1)
        {
            throw CliError.Usage("--epochs, --batch and --seeds must be at least 1");
        }
        if (options.Optimizer is not ("sgd" or "adam"))
        {
            throw CliError.Usage($"--optimizer must be sgd or adam, not '{options.Optimizer}'");
        }
        if (!(options.LearningRate > 0))
        {
            throw CliError.Usage("--learning-rate must be positive");
        }
    }

    /// <summary>Runs the experiment under a progress bar on stderr (when it is a terminal): the share of the work
    /// done, the runs finished, what the latest mini-batch said (activation, depth, seed, epoch, loss), the time
    /// spent and the time left.</summary>
    private static List<RunResult> WithProgress(RunContext ctx, string what, int total, Func<Action<ExperimentProgress>?, Action, List<RunResult>> work)
    {
        if (!ctx.ShowProgress)
        {
            return work(null, () => { });
        }
        List<RunResult> result = [];
        var errConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        errConsole.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(p =>
            {
                var task = p.AddTask($"{what}: 0/{total} runs", maxValue: 1);
                int finished = 0;
                string status = "";
                result = work(
                    progress =>
                    {
                        status = progress.Status;
                        task.Value = Math.Min(1, progress.Fraction);
                        task.Description = Markup.Escape($"{what}: {Volatile.Read(ref finished)}/{total} runs · {status}");
                    },
                    () =>
                    {
                        int f = Interlocked.Increment(ref finished);
                        task.Description = Markup.Escape($"{what}: {f}/{total} runs · {status}");
                    });
            });
        return result;
    }

    private sealed record ConvergenceRow(string activation, int depth, int[] hidden, string initialisation, int runs, int reached, double? epochs_mean, double? epochs_std, double? seconds_mean, double? seconds_std,
        double final_train_mean, double final_train_std, double final_test_mean, double final_test_std, double? epochs_ratio_to_relu = null, double? seconds_ratio_to_relu = null);

    private static double? Value(double v) => double.IsNaN(v) ? null : v;

    private static ConvergenceRow Summarise(Activation a, int[] hidden, List<RunResult> runs)
    {
        var reached = runs.Where(r => r.EpochToTarget is not null).ToList();
        var (em, es) = Experiments.MeanStd(reached.Select(r => (double)r.EpochToTarget!.Value));
        var (sm, ss) = Experiments.MeanStd(reached.Select(r => r.SecondsToTarget!.Value));
        var (tm, ts) = Experiments.MeanStd(runs.Select(r => r.Epochs[^1].TrainAccuracy));
        var (vm, vs) = Experiments.MeanStd(runs.Select(r => r.Epochs[^1].TestAccuracy));
        return new ConvergenceRow(a.ToString(), hidden.Length, hidden, Initialisations.Describe(a), runs.Count, reached.Count, Value(em), Value(es), Value(sm), Value(ss), tm, ts, vm, vs);
    }

    private static void RenderConvergence(IAnsiConsole console, Dataset data, int[][] architectures, TrainingOptions options, int seeds, double target, List<ConvergenceRow> rows, bool useDouble)
    {
        bool byDepth = architectures.Length > 1;
        var table = new Table().Border(TableBorder.Rounded);
        if (byDepth)
        {
            table.AddColumn(new TableColumn("depth").RightAligned());
        }
        table.AddColumn("activation").AddColumn(new TableColumn("reached").RightAligned()).AddColumn(new TableColumn("epochs to target").RightAligned())
            .AddColumn(new TableColumn("× relu").RightAligned()).AddColumn(new TableColumn("seconds to target").RightAligned()).AddColumn(new TableColumn("× relu").RightAligned())
            .AddColumn(new TableColumn("final train acc").RightAligned()).AddColumn(new TableColumn("final test acc").RightAligned());
        foreach (var r in rows)
        {
            var cells = new List<string>();
            if (byDepth)
            {
                cells.Add(r.depth.ToString(CultureInfo.InvariantCulture));
            }
            cells.AddRange([r.activation, $"{r.reached}/{r.runs}",
                r.reached > 0 ? $"{F(r.epochs_mean!.Value, "F1")} ± {F(r.epochs_std!.Value, "F1")}" : $"> {options.Epochs}",
                r.epochs_ratio_to_relu is double er ? F(er, "F2") : "—",
                r.reached > 0 ? $"{F(r.seconds_mean!.Value, "F2")} ± {F(r.seconds_std!.Value, "F2")}" : "—",
                r.seconds_ratio_to_relu is double sr ? F(sr, "F2") : "—",
                $"{P(r.final_train_mean)} ± {P(r.final_train_std)}", $"{P(r.final_test_mean)} ± {P(r.final_test_std)}"]);
            table.AddRow([.. cells.Select(Markup.Escape)]);
        }
        string shape = byDepth ? $"depths {string.Join(", ", architectures.Select(h => h.Length))} of width {architectures[0][0]}" : $"hidden {string.Join("×", architectures[0])}";
        console.MarkupLine(Markup.Escape($"Convergence on {data.Name}: {shape}, {options.Optimizer} lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, batch {options.BatchSize}, {options.Epochs} epochs, {(useDouble ? "float64" : "float32")}, target {P(target)} training accuracy, {seeds} seeds (mean ± std)."));
        console.Write(table);
        console.MarkupLine(Markup.Escape("Initialisation of the hidden weights: " + string.Join("; ", rows.GroupBy(r => r.initialisation).Select(g => $"{g.Key} for {string.Join(", ", g.Select(r => r.activation).Distinct())}")) + "; the output layer LeCun normal, √(1/fan-in); biases 0."));
        console.MarkupLine("Context: Krizhevsky et al. (2012, fig. 1) saw a ReLU network reach 25% training error on CIFAR-10 six times faster than the same network with tanh — a different network and data set.");
    }

    private static string P(double v) => double.IsNaN(v) ? "—" : (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
