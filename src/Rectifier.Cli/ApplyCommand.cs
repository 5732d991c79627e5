using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Rectifier.IO;
using Spectre.Console;

namespace Rectifier.Cli;

/// <summary><c>rectifier apply</c> and <c>rectifier grad</c>: an activation, or its gradient, over .npy files of any
/// size, streamed in pieces with bounded memory, written atomically.</summary>
internal static class ApplyCommand
{
    /// <summary>The activation-parameter options of apply, grad and plot: one per parameter name of the catalogue
    /// (its help says which functions take it, what it does and its default), and prelu's per-channel weight file.</summary>
    internal sealed class Options
    {
        private readonly Dictionary<string, Option> _parameters = new(StringComparer.Ordinal);

        public readonly Option<string?> WeightFile = new("--weight-file") { Description = "prelu: a 1-d .npy of one weight per channel" };
        public readonly Option<int?> ChannelAxis = CliOptions.OptionalInteger("--channel-axis", "prelu: the channel axis of --weight-file (default 1; -1 = last, NHWC)");
        public readonly Option<string?> GradWeightFile = new("--grad-weight-file") { Description = "prelu grad: also write dL/dw to this .npy" };

        /// <summary>What the command adds to a parameter's help beyond the catalogue's words.</summary>
        private static readonly Dictionary<string, string> Notes = new(StringComparer.Ordinal)
        {
            ["--dim"] = "; the last axis streams, any other reads the whole file into memory",
        };

        public Options()
        {
            foreach (var (parameter, option, users) in Functions.ParameterOptions)
            {
                // "elu, celu: α, finite (default 1)"; a name two functions use differently says both
                string help = string.Join("; ", users
                    .GroupBy(f => Describe(f.Parameters.First(p => p.Option == option).Parameter), StringComparer.Ordinal)
                    .Select(g => $"{string.Join(", ", g.Select(f => f.Name))}: {g.Key}")) + Notes.GetValueOrDefault(option, "");
                _parameters[option] = parameter.Kind switch
                {
                    ActivationParameterKind.Number => CliOptions.OptionalNumber(option, help),
                    ActivationParameterKind.Integer => CliOptions.OptionalInteger(option, help),
                    _ => new Option<string?>(option) { Description = help, HelpName = string.Join("|", parameter.Choices) },
                };
            }
        }

        private static string Describe(ActivationParameter p) => p.Kind == ActivationParameterKind.Choice
            ? $"{string.Join(" or ", p.Choices)} (default {p.DefaultText})"
            : $"{p.Description} ({(p.DefaultText is null ? "required" : "default " + p.DefaultText)})";

        /// <summary>The option of a parameter (e.g. <c>--negative-slope</c>).</summary>
        public Option this[string option] => _parameters[option];

        public IEnumerable<Option> ForFunctions(bool grad)
        {
            foreach (var (option, o) in _parameters)
            {
                yield return o;
                if (option == "--weight")
                {
                    yield return WeightFile;
                    yield return ChannelAxis;
                }
            }
            if (grad)
            {
                yield return GradWeightFile;
            }
        }

        /// <summary>The parameter values of <paramref name="spec"/>: given options, else PyTorch's defaults; a required
        /// parameter that is missing, or a choice that is not one, is a usage error.</summary>
        public ParameterValues ValuesFor(ParseResult parse, FunctionSpec spec)
        {
            var values = new ParameterValues();
            foreach (ParameterSpec p in spec.Parameters)
            {
                ActivationParameter parameter = p.Parameter;
                double? given = _parameters[p.Option] switch
                {
                    Option<double?> number => parse.GetValue(number),
                    Option<int?> integer => parse.GetValue(integer),
                    Option<string?> choice => parse.GetValue(choice) is string name ? Choose(parameter, p.Option, name) : null,
                    _ => null,
                };
                if (given is null && p.Default is null)
                {
                    string example = string.Join(" ", spec.Parameters.Select(q => $"{q.Option} {(q.Parameter.Name == "threshold" ? "0.1" : "0")}"));
                    throw CliError.Usage($"{spec.Name} needs {p.Option} ({p.Help}), e.g. 'rectifier apply {spec.Name} in.npy out.npy {example}'");
                }
                values.Set(p.Option, given ?? p.Default!.Value);
            }
            return values;
        }

        private static double Choose(ActivationParameter parameter, string option, string name)
        {
            int index = parameter.Choices.ToList().IndexOf(name);
            return index >= 0 ? index
                : throw CliError.Usage($"{option} must be {string.Join(" or ", parameter.Choices.Select(c => $"'{c}'"))}, not '{name}'");
        }
    }

    public static Command CreateApply(RunContext ctx)
    {
        var options = new Options();
        var function = new Argument<string>("function") { Description = string.Join(", ", Functions.All.Select(f => f.Name)) + " ('rectifier list' shows what each computes)" };
        var input = new Argument<string>("in.npy") { Description = "the input array (float16, float32 or float64, any shape)" };
        var output = new Argument<string>("out.npy") { Description = "where to write f(x): same dtype and shape" };
        var command = new Command("apply", "Apply an activation to a .npy file: out = f(in), streamed, any size.") { function, input, output };
        foreach (Option o in options.ForFunctions(grad: false))
        {
            command.Options.Add(o);
        }
        command.SetAction(parse => Guard(ctx, () =>
        {
            var (spec, values, weightFile) = Resolve(parse, parse.GetValue(function)!, options, grad: false);
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            RefuseSamePath(outPath, inPath, weightFile);
            using NpyReader reader = NpyReader.Open(inPath);
            Dispatch(reader, new ApplyRun(ctx, spec, values, weightFile, reader, outPath, null, null));
        }));
        return command;
    }

    public static Command CreateGrad(RunContext ctx)
    {
        var options = new Options();
        var function = new Argument<string>("function") { Description = "any function 'apply' takes" };
        var input = new Argument<string>("in.npy") { Description = "the forward input x" };
        var gradOut = new Argument<string>("grad_out.npy") { Description = "dL/dy, same shape and dtype as x" };
        var gradIn = new Argument<string>("grad_in.npy") { Description = "where to write dL/dx" };
        var command = new Command("grad", "Backward pass over .npy files: grad_in = f'(in)·grad_out, streamed, any size.") { function, input, gradOut, gradIn };
        foreach (Option o in options.ForFunctions(grad: true))
        {
            command.Options.Add(o);
        }
        command.SetAction(parse => Guard(ctx, () =>
        {
            var (spec, values, weightFile) = Resolve(parse, parse.GetValue(function)!, options, grad: true);
            string inPath = parse.GetValue(input)!, gPath = parse.GetValue(gradOut)!, outPath = parse.GetValue(gradIn)!;
            string? gwPath = parse.GetValue(options.GradWeightFile);
            RefuseSamePath(outPath, inPath, gPath, weightFile);
            if (gwPath is not null)
            {
                RefuseSamePath(gwPath, inPath, gPath, weightFile, outPath);
            }
            using NpyReader x = NpyReader.Open(inPath);
            using NpyReader g = NpyReader.Open(gPath);
            if (g.Info.DataType != x.Info.DataType || !g.Info.Shape.SequenceEqual(x.Info.Shape) || g.Info.FortranOrder != x.Info.FortranOrder)
            {
                throw CliError.Input($"{Path.GetFileName(gPath)}: {g.Info.Descr} {g.Info.ShapeText}{(g.Info.FortranOrder ? " Fortran-ordered" : "")} does not match " +
                    $"{Path.GetFileName(inPath)}: {x.Info.Descr} {x.Info.ShapeText}{(x.Info.FortranOrder ? " Fortran-ordered" : "")}; gradOutput must have the input's dtype, shape and order");
            }
            Dispatch(x, new ApplyRun(ctx, spec, values, weightFile, x, outPath, g, gwPath));
        }));
        return command;
    }

    internal static int Guard(RunContext ctx, Action body)
    {
        try
        {
            body();
            return ExitCodes.Success;
        }
        catch (Exception e)
        {
            return Failures.Report(e, ctx.Error, ctx.InterruptedExitCode);
        }
    }

    /// <summary>The function, its parameter values (defaults filled, inapplicable options refused) and the weight file.</summary>
    private static (FunctionSpec Spec, ParameterValues Values, string? WeightFile) Resolve(ParseResult parse, string name, Options options, bool grad)
    {
        FunctionSpec spec = Functions.Require(name);
        var allowed = new HashSet<string>(spec.Parameters.Select(p => p.Option), StringComparer.Ordinal);
        if (spec.Name == "prelu")
        {
            allowed.UnionWith(["--weight-file", "--channel-axis"]);
            if (grad)
            {
                allowed.Add("--grad-weight-file");
            }
        }
        foreach (Option o in options.ForFunctions(grad))
        {
            if (parse.GetResult(o) is not null && !allowed.Contains(o.Name))
            {
                string takes = allowed.Count == 0 ? "takes no parameters" : "takes " + string.Join(", ", allowed.Order(StringComparer.Ordinal));
                throw CliError.Usage($"{o.Name} does not apply to {spec.Name}, which {takes}");
            }
        }
        ParameterValues values = options.ValuesFor(parse, spec);
        string? weightFile = parse.GetValue(options.WeightFile);
        if (weightFile is not null && parse.GetResult(options["--weight"]) is not null)
        {
            throw CliError.Usage("give prelu either --weight or --weight-file, not both");
        }
        if (parse.GetResult(options.ChannelAxis) is not null && weightFile is null)
        {
            throw CliError.Usage("--channel-axis goes with --weight-file (one weight per channel)");
        }
        values.ChannelAxis = parse.GetValue(options.ChannelAxis) ?? 1;
        return (spec, values, weightFile);
    }

    private static void RefuseSamePath(string output, params string?[] inputs)
    {
        string full = Path.GetFullPath(output);
        foreach (string? input in inputs)
        {
            if (input is not null && string.Equals(Path.GetFullPath(input), full, StringComparison.Ordinal))
            {
                throw CliError.Usage($"{output} is also an input; the input is never overwritten, so write to another file");
            }
        }
    }

    private interface ITypedRun
    {
        void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private static void Dispatch<TRun>(NpyReader reader, TRun run) where TRun : ITypedRun
    {
        switch (reader.Info.DataType)
        {
            case NpyDataType.Float16: run.Run<Half>(); break;
            case NpyDataType.Float32: run.Run<float>(); break;
            case NpyDataType.Float64: run.Run<double>(); break;
            default: throw NotFloatingPoint(reader);
        }
    }

    /// <summary>The one-line refusal of an integer file where an activation needs floating-point data.</summary>
    internal static CliError NotFloatingPoint(NpyReader reader)
        => CliError.Input($"{Path.GetFileName(reader.Path)}: dtype {reader.Info.Descr} holds integers; activations take float16, float32 or float64 (<f2, <f4, <f8): convert with x.astype(np.float32)");

    /// <summary>One apply or grad run, generic over the element type of the files.</summary>
    private sealed class ApplyRun(RunContext ctx, FunctionSpec spec, ParameterValues values, string? weightFile, NpyReader x, string outPath, NpyReader? g, string? gradWeightPath)
        : ITypedRun
    {
        public void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            NpyArrayInfo info = x.Info;
            T[]? weights = null;
            ChannelLayout layout = default;
            if (weightFile is not null)
            {
                weights = Npy.ReadAll<T>(weightFile, out NpyArrayInfo wInfo);
                if (wInfo.Shape.Length != 1)
                {
                    throw CliError.Input($"{Path.GetFileName(weightFile)}: the weights must be 1-d, got shape {wInfo.ShapeText}");
                }
                if (info.FortranOrder)
                {
                    throw CliError.Input($"{Path.GetFileName(x.Path)}: per-channel prelu needs C order; this array is Fortran-ordered (save it with np.ascontiguousarray)");
                }
                try
                {
                    layout = ChannelLayout.Create(info.Shape, values.ChannelAxis);
                }
                catch (ArgumentOutOfRangeException)
                {
                    throw CliError.Usage($"--channel-axis {values.ChannelAxis} is not an axis of {Path.GetFileName(x.Path)}, shape {info.ShapeText} (use 0..{info.Shape.Length - 1} or -1..-{info.Shape.Length})");
                }
                if (weights.Length != 1 && weights.Length != layout.Channels)
                {
                    throw CliError.Input($"{Path.GetFileName(weightFile)} has {weights.Length} weights but {Path.GetFileName(x.Path)}, shape {info.ShapeText}, has {layout.Channels} channel(s) on axis {values.ChannelAxis}: give 1 weight or one per channel");
                }
                if (weights.Length == 1)
                {
                    values.Set("--weight", double.CreateTruncating(weights[0]));
                    weights = null;
                }
            }
            int chunk = Pipeline.ChunkBytes / Unsafe.SizeOf<T>();
            // softmax and its kin work on whole rows along --dim, in the file's memory order (a Fortran-ordered array
            // is the C-ordered array of the reversed shape): rows that are contiguous stream in whole rows; any
            // other axis is read into memory whole.
            Func<Piece, nint[]> shapeOf = p => [p.Length];
            if (spec.AlongDim)
            {
                (nint[] memoryShape, int memoryDim) = MemoryAxis(info, values.Dim);
                if (memoryDim == memoryShape.Length - 1 || memoryShape.Length == 0)
                {
                    long row = memoryShape.Length == 0 ? 1 : Math.Max(1, (long)memoryShape[^1]);
                    chunk = (int)Math.Min(int.MaxValue, Math.Max(row, chunk / row * row));
                    values.Dim = -1;
                    shapeOf = p => [(nint)(p.Length / row), (nint)row];
                }
                else
                {
                    if (info.Count > Array.MaxLength)
                    {
                        throw CliError.Input($"{Path.GetFileName(x.Path)}: {info.Count} elements are too many to normalise along axis {values.Dim} in memory; only the last axis streams");
                    }
                    chunk = (int)Math.Max(1, info.Count);
                    values.Dim = memoryDim;
                    shapeOf = _ => memoryShape;
                }
            }
            else
            {
                // Parameter checks happen before any output exists: run the function on one element.
                Probe<T>();
            }

            IEnumerable<Piece> pieces = weights is null
                ? Pipeline.Flat(info.Count, chunk)
                : Pipeline.ByChannel(layout.Outer, layout.Channels, layout.Inner, chunk);
            T[][] xs = [new T[chunk], new T[chunk]], gs = g is null ? [] : [new T[chunk], new T[chunk]], ys = [new T[chunk], new T[chunk]];
            double[] gradWeight = new double[weights?.Length ?? 1];
            var gwPiece = new T[weights?.Length ?? 1];

            using AtomicOutput output = AtomicOutput.Create(outPath, info.DataType, info.Shape, info.FortranOrder, ctx.AllowUnnamedOutput);
            string verb = g is null ? spec.Name : spec.Name + " backward";
            ctx.WithProgress(verb, info.Count, info.Count * info.ItemSize * (g is null ? 2 : 3), progress =>
                Pipeline.Run(pieces,
                    (p, s) =>
                    {
                        x.Read(p.Start, xs[s].AsSpan(0, p.Length));
                        g?.Read(p.Start, gs[s].AsSpan(0, p.Length));
                    },
                    (p, s) => Compute(p, shapeOf(p), xs[s].AsSpan(0, p.Length), g is null ? default : gs[s].AsSpan(0, p.Length), ys[s].AsSpan(0, p.Length), weights, gradWeight, gwPiece),
                    (p, s) => output.Writer.Write(p.Start, ys[s].AsSpan(0, p.Length)),
                    ctx.Cancel, progress));
            output.Commit();
            string what = g is null ? $"{spec.Name}" : $"the gradient of {spec.Name}";
            ctx.Console.WriteLine($"wrote {outPath}: {what}, {info.Descr.Replace('>', '<')} {info.ShapeText}{(info.FortranOrder ? " (Fortran order)" : "")}");
            if (g is not null && spec.Name == "prelu")
            {
                ReportGradWeight<T>(gradWeight);
            }
        }

        /// <summary>The file's shape in memory order and <paramref name="dim"/> as an axis of it; a usage error
        /// when <paramref name="dim"/> is not an axis of the file.</summary>
        private (nint[] Shape, int Dim) MemoryAxis(NpyArrayInfo info, int dim)
        {
            int rank = info.Shape.Length, axes = Math.Max(rank, 1);
            int axis = dim < 0 ? dim + axes : dim;
            if (axis < 0 || axis >= axes)
            {
                throw CliError.Usage($"--dim {dim} is not an axis of {Path.GetFileName(x.Path)}, shape {info.ShapeText} (use 0..{axes - 1} or -1..-{axes})");
            }
            if (rank == 0)
            {
                return ([], 0);
            }
            return info.FortranOrder ? ([.. info.Shape.Reverse()], rank - 1 - axis) : ([.. info.Shape], axis);
        }

        private void Probe<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            T[] one = [T.Zero], r = new T[1];
            try
            {
                Functions.Forward<T>(spec.Name, values, one, [1], r);
            }
            catch (ArgumentException e)
            {
                throw CliError.Usage($"{spec.Name}: {Failures.OptionMessage(e)}");
            }
        }

        private void Compute<T>(Piece p, ReadOnlySpan<nint> pieceShape, Span<T> xs, Span<T> gs, Span<T> ys, T[]? weights, double[] gradWeight, T[] gwPiece)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (weights is null)
            {
                if (g is null)
                {
                    Functions.Forward<T>(spec.Name, values, xs, pieceShape, ys);
                }
                else
                {
                    gradWeight[0] += Functions.Backward<T>(spec.Name, values, xs, gs, pieceShape, ys);
                }
                return;
            }
            if (p.Partial)
            {
                T w = weights[p.FirstChannel];
                if (g is null)
                {
                    Activations.PRelu<T>(xs, w, ys);
                }
                else
                {
                    gradWeight[p.FirstChannel] += double.CreateTruncating(Activations.PReluBackward<T>(xs, gs, w, ys));
                }
                return;
            }
            nint[] shape = [(nint)p.Outer, p.Channels, (nint)p.Inner];
            ReadOnlySpan<T> w2 = weights.AsSpan(p.FirstChannel, p.Channels);
            if (g is null)
            {
                Activations.PRelu<T>(xs, shape, w2, 1, ys);
            }
            else
            {
                Span<T> gw = gwPiece.AsSpan(0, p.Channels);
                Activations.PReluBackward<T>(xs, shape, gs, w2, 1, ys, gw);
                for (int c = 0; c < p.Channels; c++)
                {
                    gradWeight[p.FirstChannel + c] += double.CreateTruncating(gw[c]);
                }
            }
        }

        private void ReportGradWeight<T>(double[] gradWeight) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (gradWeightPath is not null)
            {
                T[] dw = [.. gradWeight.Select(T.CreateTruncating)];
                using AtomicOutput gw = AtomicOutput.Create(gradWeightPath, Npy.DataTypeOf<T>(), [dw.Length], false, ctx.AllowUnnamedOutput);
                gw.Writer.Write<T>(0, dw);
                gw.Commit();
                ctx.Console.WriteLine($"wrote {gradWeightPath}: dL/dw, {dw.Length} weight(s)");
            }
            else
            {
                string shown = string.Join(", ", gradWeight.Take(8).Select(v => T.CreateTruncating(v).ToString(null, CultureInfo.InvariantCulture)));
                ctx.Console.WriteLine($"dL/dw = [{shown}{(gradWeight.Length > 8 ? ", …" : "")}] (--grad-weight-file F writes all of it)");
            }
        }
    }
}
