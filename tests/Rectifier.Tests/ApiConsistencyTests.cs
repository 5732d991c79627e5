using System.Reflection;
using Rectifier.Cli;
using Rectifier.Diagnostics;
using Rectifier.IO;
using Spectre.Console;

namespace Rectifier.Tests;

/// <summary>The rough edges a first try finds: one shape type from the reader to the kernels, one kind of factory on
/// <see cref="Activation"/>, readable reports, clear errors for unsupported element types, output that cannot be
/// seen before it is complete, the benchmark's warm-up, and docs that say what the code does.</summary>
public sealed class ApiConsistencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-api-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    /// <summary>TensorPrimitives' order in every public method of the library: inputs, then scalar parameters, then
    /// outputs (writable spans and tensor views). In-place forms take the buffer they overwrite first.</summary>
    [Fact]
    public void Every_method_takes_inputs_then_parameters_then_outputs()
    {
        static bool IsOutput(ParameterInfo p)
        {
            Type t = p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType;
            return t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(Span<>) || t.GetGenericTypeDefinition() == typeof(System.Numerics.Tensors.TensorSpan<>));
        }
        var offenders = new List<string>();
        int checkedMethods = 0;
        foreach (Type type in new[] { typeof(Activations), typeof(Fused), typeof(Activation) })
        {
            foreach (MethodInfo m in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                ParameterInfo[] ps = m.GetParameters();
                int skip = m.Name.EndsWith("InPlace", StringComparison.Ordinal) ? 1 : 0;
                int firstOutput = Array.FindIndex(ps, skip, IsOutput);
                if (firstOutput < 0)
                {
                    continue;
                }
                checkedMethods++;
                if (ps.Skip(firstOutput).Any(p => !IsOutput(p)))
                {
                    offenders.Add($"{type.Name}.{m.Name}({string.Join(", ", ps.Select(p => p.Name))})");
                }
            }
        }
        Assert.True(checkedMethods > 100, $"only {checkedMethods} methods with outputs found");
        Assert.True(offenders.Count == 0, "parameters after an output: " + string.Join("; ", offenders));
    }

    [Fact]
    public void A_file_loaded_with_Npy_feeds_per_channel_prelu_and_the_monitor_without_converting_its_shape()
    {
        float[] data = Numbers.Random<float>(2 * 3 * 4, 11, 0);
        Npy.WriteAll<float>(P("x.npy"), data, [2, 3, 4]);
        float[] x = Npy.ReadAll<float>(P("x.npy"), out NpyArrayInfo info);
        float[] w = [0.1f, 0.2f, 0.3f], y = new float[x.Length];
        Activations.PRelu<float>(x, info.Shape, w, 1, y);
        for (int i = 0; i < x.Length; i++)
        {
            float expected = x[i] > 0 ? x[i] : w[i / 4 % 3] * x[i];
            Assert.Equal(expected, y[i]);
        }
        var monitor = new DeadUnitMonitor(3);
        monitor.Observe<float>(y, info.Shape, axis: 1);
        Assert.Equal(8, monitor.ObservedCounts[0]);
    }

    [Fact]
    public void Every_Activation_factory_is_a_method_so_none_reads_as_a_method_group()
    {
        PropertyInfo[] properties = typeof(Activation).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(Activation)).ToArray();
        Assert.Empty(properties.Select(p => p.Name));
        var factories = typeof(Activation).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Activation)).Select(m => m.Name).ToHashSet();
        foreach (Activation a in Activation.AllWithDefaults)
        {
            string factory = a.Kind == ActivationKind.GeluTanh ? "Gelu" : a.Kind.ToString();
            Assert.Contains(factory, factories);
        }
        Assert.Equal(Activation.Gelu(), Activation.Gelu(GeluApproximation.None));
        Assert.Equal(ActivationKind.Relu, Activation.Relu().Kind);
    }

    [Fact]
    public void A_dead_unit_report_prints_its_dead_units_and_histogram()
    {
        var monitor = new DeadUnitMonitor(4);
        monitor.Observe<float>([1f, 0f, -1f, 2f, 3f, 0f, -2f, 0f], [2, 4], axis: 1);
        string text = monitor.Report(bins: 2).ToString();
        Assert.Equal("2 of 4 units dead (50.0%): [1, 2]; 2 observations per unit, active above 0; histogram [2, 2]", text);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_batch_leaves_every_histogram_bin_empty_and_no_unit_dead()
    {
        var monitor = new DeadUnitMonitor(5);
        monitor.Observe<float>([], [0, 5], axis: 1);
        DeadUnitReport report = monitor.Report(bins: 10);
        Assert.All(report.Histogram, count => Assert.Equal(0, count));
        Assert.Empty(report.DeadUnits);
    }

    [Fact]
    public void The_dead_units_command_on_an_empty_array_shows_an_empty_histogram()
    {
        Npy.WriteAll<float>(P("empty.npy"), [], [0, 5]);
        var (code, output, error) = CliTests.Run("dead-units", P("empty.npy"), "--json");
        Assert.True(code == 0, error);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.All(doc.RootElement.GetProperty("histogram").EnumerateArray(), bin => Assert.Equal(0, bin.GetProperty("units").GetInt32()));
    }

    [Theory]
    [InlineData("<i8")]
    [InlineData(">i8")]
    [InlineData("<i4")]
    [InlineData("|u1")]
    [InlineData("<u2")]
    public void Integer_files_are_read_as_integers_or_converted_to_floating_point(string descr)
    {
        long[] values = [0, 1, 2, 9, 3, 7];
        NpyIntegers.Write(P("i.npy"), descr, [6], values);
        Assert.Equal([0, 1, 2, 9, 3, 7], Npy.ReadAll<int>(P("i.npy"), out NpyArrayInfo info));
        Assert.Equal(descr, info.Descr);
        Assert.False(info.IsFloatingPoint);
        Assert.Equal([0.0, 1, 2, 9, 3, 7], Npy.ReadAll<double>(P("i.npy"), out _));
        Assert.Equal([0L, 1, 2, 9, 3, 7], Npy.ReadAll<long>(P("i.npy"), out _));
    }

    [Fact]
    public void Reading_into_an_unsupported_or_lossy_type_is_a_clear_error()
    {
        Npy.WriteAll<float>(P("f.npy"), [1.5f, 2f], [2]);
        var notSupported = Assert.Throws<NotSupportedException>(() => Npy.ReadAll<decimal>(P("f.npy"), out _));
        Assert.Contains("Decimal", notSupported.Message, StringComparison.Ordinal);
        var lossy = Assert.Throws<NpyFormatException>(() => Npy.ReadAll<int>(P("f.npy"), out _));
        Assert.Contains("floating-point", lossy.Message, StringComparison.Ordinal);
        NpyIntegers.Write(P("big.npy"), "<i8", [1], [1L << 40]);
        Assert.Throws<NpyFormatException>(() => Npy.ReadAll<int>(P("big.npy"), out _));
        Assert.Throws<NotSupportedException>(() => NpyWriter.Create(P("w.npy"), NpyDataType.Int64, [2]));
    }

    [Fact]
    public void Experiments_take_integer_label_files_as_NumPy_writes_them()
    {
        var rng = new Random(5);
        int rows = 60;
        double[] features = new double[rows * 2];
        long[] labels = new long[rows];
        for (int i = 0; i < rows; i++)
        {
            labels[i] = i % 2;
            features[2 * i] = labels[i] * 2 - 1 + rng.NextDouble() * 0.1;
            features[2 * i + 1] = rng.NextDouble();
        }
        Npy.WriteAll<double>(P("x.npy"), features, [rows, 2]);
        NpyIntegers.Write(P("y.npy"), "<i8", [rows], labels);
        var (code, output, error) = CliTests.Run("experiment", "convergence", "--data", P("x.npy"), "--labels", P("y.npy"),
            "--hidden", "4", "--epochs", "1", "--seeds", "1", "--target", "0.5", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("\"experiment\":\"convergence\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unnamed_output_is_invisible_until_committed_and_leaves_nothing_when_abandoned()
    {
        string final = P("out.npy");
        using (AtomicOutput output = AtomicOutput.Create(final, NpyDataType.Float32, [4], false))
        {
            // Linux file systems with O_TMPFILE (ext4, xfs, btrfs, tmpfs) give an unnamed output; others the fallback.
            Assert.Equal(AtomicOutput.CanCreateUnnamed(_dir), output.Unnamed);
            output.Writer.Write<float>(0, [1f, 2f]);
            Assert.Equal(output.Unnamed ? 0 : 1, Directory.GetFileSystemEntries(_dir).Length);
        }
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        using (AtomicOutput output = AtomicOutput.Create(final, NpyDataType.Float32, [2], false))
        {
            output.Writer.Write<float>(0, [1f, 2f]);
            output.Commit();
        }
        Assert.Equal([1f, 2f], Npy.ReadAll<float>(final, out _));
        // Over an existing file: replaced in one step, and nothing else appears.
        using (AtomicOutput output = AtomicOutput.Create(final, NpyDataType.Float32, [3], false))
        {
            output.Writer.Write<float>(0, [3f, 4f, 5f]);
            Assert.Equal([1f, 2f], Npy.ReadAll<float>(final, out _));
            output.Commit();
        }
        Assert.Equal([3f, 4f, 5f], Npy.ReadAll<float>(final, out _));
        Assert.Equal(["out.npy"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_named_partial_file_is_removed_when_abandoned_and_stale_ones_of_dead_processes_on_the_next_run()
    {
        string final = P("out.npy");
        using (AtomicOutput output = AtomicOutput.Create(final, NpyDataType.Float32, [2], false, allowUnnamed: false))
        {
            Assert.False(output.Unnamed);
            Assert.True(File.Exists(output.TempPath));
        }
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        // A partial file left by a process that has exited (as after SIGKILL), one of a live process, and one of
        // another output.
        using var exited = System.Diagnostics.Process.Start("true")!;
        exited.WaitForExit();
        string stale = P($".out.npy.{exited.Id}.{Guid.NewGuid():N}.partial");
        string live = P($".out.npy.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        string other = P($".other.npy.{exited.Id}.{Guid.NewGuid():N}.partial");
        foreach (string f in new[] { stale, live, other })
        {
            File.WriteAllText(f, "partial");
        }
        using (AtomicOutput output = AtomicOutput.Create(final, NpyDataType.Float32, [2], false, allowUnnamed: false))
        {
            output.Writer.Write<float>(0, [1f, 2f]);
            output.Commit();
        }
        Assert.False(File.Exists(stale), "a dead process's partial file of the same output is removed");
        Assert.True(File.Exists(live), "a running process's partial file is kept");
        Assert.True(File.Exists(other), "another output's partial file is not touched");
        Assert.Equal([1f, 2f], Npy.ReadAll<float>(final, out _));
    }

    [Fact]
    public void The_benchmark_warms_every_contender_up_before_timing_it()
    {
        int calls = 0;
        BenchCommand.Measurement m = BenchCommand.Measure(() => calls++, 0.01, firstTime: true);
        Assert.True(m.WarmUpCalls >= 50, $"{m.WarmUpCalls} warm-up calls");
        Assert.True(calls > m.WarmUpCalls, "timed calls follow the warm-up");
    }

    [Fact]
    public void The_benchmark_compares_copy_relu_and_gelu_at_each_thread_count()
    {
        BenchCommand.SizesOverride = [1 << 12];
        try
        {
            var (code, output, error) = CliTests.Run("bench", "--quick");
            Assert.True(code == 0, error);
            string[] rows = [.. output.Split('\n').Where(l => l.Contains("4K", StringComparison.Ordinal))];
            Assert.Equal(BenchCommand.ThreadCounts.Length, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal(BenchCommand.ThreadCounts[i].ToString(System.Globalization.CultureInfo.InvariantCulture), rows[i].Split('│', StringSplitOptions.TrimEntries)[2]);
            }
            Assert.Contains("warm-up", output, StringComparison.Ordinal);
        }
        finally
        {
            BenchCommand.SizesOverride = null;
        }
    }

    public static TheoryData<string[]> HelpPages => new()
    {
        { [] }, { ["apply"] }, { ["grad"] }, { ["dead-units"] }, { ["list"] }, { ["demo"] }, { ["bench"] },
        { ["experiment"] }, { ["experiment", "convergence"] }, { ["experiment", "dying"] }, { ["plot"] },
    };

    [Theory]
    [MemberData(nameof(HelpPages))]
    public void Help_names_the_tool_rectifier_and_writes_minus_signs_that_can_be_copied(string[] command)
    {
        var (code, output, _) = CliTests.Run([.. command, "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("rectifier " + string.Join(' ', command), output, StringComparison.Ordinal);
        Assert.DoesNotContain("Rectifier.Cli", output, StringComparison.Ordinal);
        Assert.DoesNotContain("testhost", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u2212', output);
    }

    [Fact]
    public void List_writes_minus_signs_that_can_be_copied()
    {
        var (_, output, _) = CliTests.Run("list");
        Assert.DoesNotContain('\u2212', output);
    }

    private static string RepositoryFile(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Rectifier.slnx")))
            {
                return Path.Combine(d.FullName, relative);
            }
        }
        throw new FileNotFoundException("the repository root was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_specification_is_in_the_repository_and_the_README_points_to_it()
    {
        string spec = File.ReadAllText(RepositoryFile("docs/SPEC.md"));
        foreach (Activation a in Activation.AllWithDefaults)
        {
            string name = a.Kind == ActivationKind.GeluTanh ? "gelu(approximate = 'tanh')" : a.Name;
            Assert.Contains(name, spec, StringComparison.Ordinal);
        }
        string readme = File.ReadAllText(RepositoryFile("README.md"));
        Assert.Contains("docs/SPEC.md", readme, StringComparison.Ordinal);
        Assert.Contains("docs/SPEC.md", File.ReadAllText(RepositoryFile("docs/ACCURACY.md")), StringComparison.Ordinal);
        // relu's backward passes g where x is NaN: "x <= 0 ? 0 : g", not "x > 0 ? g : 0".
        Assert.DoesNotContain("x > 0 ? g : 0", readme, StringComparison.Ordinal);
        float[] x = [float.NaN], g = [3f], dx = new float[1];
        Activations.ReluBackward<float>(x, g, dx);
        Assert.Equal(3f, dx[0]);
    }

    [Fact]
    public void The_version_changes_with_every_commit_so_a_rebuilt_tool_updates()
    {
        string? informational = typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Assert.NotNull(informational);
        string[] parts = informational.Split('+')[0].Split('.');
        Assert.Equal(4, parts.Length);
        var git = new System.Diagnostics.ProcessStartInfo("git", ["rev-list", "--count", "HEAD"])
        {
            WorkingDirectory = Path.GetDirectoryName(RepositoryFile("Rectifier.slnx"))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = System.Diagnostics.Process.Start(git)!;
        string height = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(height, parts[3]);
        // The library and the tool carry the same version.
        Assert.Equal(informational, typeof(Activations).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
    }

    [Fact]
    public void The_README_documents_every_exit_code_of_the_command()
    {
        string readme = File.ReadAllText(RepositoryFile("README.md"));
        // One row of the README's exit-code table per code the command can return.
        foreach (int code in new[] { ExitCodes.Success, ExitCodes.BadInput, ExitCodes.Usage, ExitCodes.Interrupted, ExitCodes.Terminated })
        {
            Assert.Contains($"| {code} | ", readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_function_with_a_forward_has_an_in_place_form()
    {
        string[] forwards = [.. typeof(Activations).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.GetParameters().Any(p => p.Name == "destination") && !m.Name.Contains("Backward", StringComparison.Ordinal))
            .Select(m => m.Name).Distinct()];
        var all = typeof(Activations).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        foreach (string f in forwards)
        {
            Assert.True(all.Contains(f + "InPlace"), $"{f} has no {f}InPlace");
        }
    }

    [Fact]
    public void The_in_place_forms_of_prelu_and_rrelu_give_the_bits_of_the_out_of_place_calls()
    {
        float[] x = Numbers.Random<float>(4 * 3 * 5, 21, 0.1), w = [0.1f, -0.2f, 0.3f];
        nint[] shape = [4, 3, 5];
        float[] expected = new float[x.Length], got = (float[])x.Clone();
        Activations.PRelu<float>(x, shape, w, 1, expected);
        Activations.PReluInPlace<float>(got, shape, w, channelAxis: 1);
        Assert.True(expected.Zip(got).All(p => Numbers.Same(p.First, p.Second)));
        got = (float[])x.Clone();
        Activations.PRelu<float>(x, 0.3f, expected);
        Activations.PReluInPlace<float>(got, 0.3f);
        Assert.True(expected.Zip(got).All(p => Numbers.Same(p.First, p.Second)));
        got = (float[])x.Clone();
        Activations.RRelu<float>(x, 0.1, 0.4, expected);
        Activations.RReluInPlace<float>(got, 0.1, 0.4);
        Assert.True(expected.Zip(got).All(p => Numbers.Same(p.First, p.Second)));
        float[] noise1 = new float[x.Length], noise2 = new float[x.Length];
        got = (float[])x.Clone();
        Activations.RReluTraining<float>(x, 0.1, 0.4, new RReluGenerator(9), expected, noise1);
        Activations.RReluTrainingInPlace<float>(got, 0.1, 0.4, new RReluGenerator(9), noise2);
        Assert.True(expected.Zip(got).All(p => Numbers.Same(p.First, p.Second)));
        Assert.Equal(noise1, noise2);
    }

    [Fact]
    public void A_console_written_in_another_culture_keeps_the_invariant_number_format()
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            var writer = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
            console.Profile.Width = 200;
            Assert.Equal(0, CliApp.Run(["demo"], console, TextWriter.Null));
            Assert.Contains("-0.75", writer.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("-0,75", writer.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
