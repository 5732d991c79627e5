using System.Diagnostics;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>The built tool run as a process: the demo, a run killed half-way (nothing left), runs stopped by SIGINT
/// and SIGTERM (cleaned up, exit codes 130 and 143), and a file four times larger than the process's memory cap.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-proc-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Process Start(IDictionary<string, string>? environment, params string[] args)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rectifier.Cli.dll"));
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        return Process.Start(info)!;
    }

    /// <summary>A float32 file of <paramref name="count"/> elements (values from a sine, half negative).</summary>
    private string MakeInput(string name, long count)
    {
        string path = Path.Combine(_dir, name);
        using NpyWriter writer = NpyWriter.Create(path, NpyDataType.Float32, [(nint)count]);
        var buffer = new float[1 << 20];
        for (long s = 0; s < count; s += buffer.Length)
        {
            int len = (int)Math.Min(buffer.Length, count - s);
            for (int i = 0; i < len; i++)
            {
                buffer[i] = MathF.Sin((s + i) * 0.001f) * 3;
            }
            writer.Write<float>(s, buffer.AsSpan(0, len));
        }
        return path;
    }

    [Fact]
    public void The_demo_runs_from_the_built_tool()
    {
        using Process p = Start(null, "demo");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("relu(x)", output, StringComparison.Ordinal);
    }

    /// <summary>A sparse float32 file of 2^30 zeros (4 GiB that take no disk space): its gelu gradient takes several
    /// seconds, long enough to interrupt.</summary>
    private string MakeSparseInput(string name)
    {
        string path = Path.Combine(_dir, name);
        using NpyWriter writer = NpyWriter.Create(path, NpyDataType.Float32, [(nint)1 << 30]);
        return path;
    }

    /// <summary>Whether process <paramref name="pid"/> holds an unnamed file in the test folder (an <c>O_TMPFILE</c>
    /// output shows in /proc as "DIR/#inode (deleted)") or a visible partial file exists there.</summary>
    private bool HasTemporaryOutput(int pid)
    {
        if (Directory.GetFiles(_dir, "*.partial").Length > 0)
        {
            return true;
        }
        try
        {
            foreach (string fd in Directory.GetFiles($"/proc/{pid}/fd"))
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith(_dir + "/", StringComparison.Ordinal) && target.EndsWith("(deleted)", StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return false;
    }

    /// <summary>Starts a long run and returns once its temporary output exists (the computation has begun).</summary>
    private Process StartLongRun(string input, string output)
    {
        Process p = Start(null, "grad", "gelu", input, input, output);
        var sw = Stopwatch.StartNew();
        while (!HasTemporaryOutput(p.Id))
        {
            if (p.HasExited)
            {
                Assert.Fail($"the run ended (exit code {p.ExitCode}) before it could be interrupted: {p.StandardError.ReadToEnd()}");
            }
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), "the run never started writing");
            Thread.Sleep(1);
        }
        return p;
    }

    /// <summary>The folder's entries other than the input.</summary>
    private string[] LeftBehind(string input) => [.. Directory.GetFileSystemEntries(_dir).Where(f => f != input).Select(Path.GetFileName)!];

    [Fact]
    public void A_run_killed_half_way_leaves_nothing_behind_not_even_a_temporary_file()
    {
        string x = MakeSparseInput("x.npy");
        string output = Path.Combine(_dir, "out.npy");
        bool unnamed = Rectifier.Cli.AtomicOutput.CanCreateUnnamed(_dir);
        using Process p = StartLongRun(x, output);
        // While it runs, the output is invisible: no out.npy, and (with unnamed files) no partial file in the folder.
        Assert.DoesNotContain("out.npy", LeftBehind(x));
        if (unnamed)
        {
            Assert.Empty(LeftBehind(x));
        }
        p.Kill();
        p.WaitForExit();
        if (!unnamed)
        {
            // Without unnamed files the killed run's partial file stays until the next run of the same output.
            using Process again = Start(null, "apply", "relu", MakeInput("small.npy", 10), output);
            again.WaitForExit();
            Assert.Equal(0, again.ExitCode);
            File.Delete(output);
            File.Delete(Path.Combine(_dir, "small.npy"));
        }
        Assert.Empty(LeftBehind(x));
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public void A_signal_stops_the_run_removes_the_temporary_output_and_exits_with_128_plus_the_signal(string signal, int expectedCode)
    {
        string x = MakeSparseInput("x.npy");
        string output = Path.Combine(_dir, "out.npy");
        using Process p = StartLongRun(x, output);
        if (signal == "INT" && IgnoredOnEntry(2))
        {
            // Started from a background job, the child inherits SIGINT ignored (as shells arrange for it), and keeps
            // ignoring it as a program should: it must still be running, and SIGTERM must still stop it.
            Send(p, "INT");
            Assert.False(p.WaitForExit(500), "an ignored SIGINT stopped the run");
            (signal, expectedCode) = ("TERM", 143);
        }
        Send(p, signal);
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        // The signal lands seconds before the 4 GiB gradient could finish.
        Assert.Equal(expectedCode, p.ExitCode);
        Assert.Contains("interrupted", error, StringComparison.Ordinal);
        Assert.Empty(LeftBehind(x));
    }

    private static void Send(Process p, string signal)
    {
        using Process kill = Process.Start("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>Whether signal <paramref name="number"/> is ignored in this process (SigIgn of /proc/self/status),
    /// and so in the children it starts.</summary>
    private static bool IgnoredOnEntry(int number)
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && ((ulong.Parse(line[7..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) >> (number - 1)) & 1) == 1;
    }

    [Fact]
    public void A_file_four_times_the_memory_cap_streams_through()
    {
        const long count = 32L << 20;   // 128 MiB of float32 against a 32 MiB GC heap limit
        string x = MakeInput("big.npy", count);
        string output = Path.Combine(_dir, "big_relu.npy");
        using Process p = Start(new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x2000000" }, "apply", "relu", x, output);
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        using NpyReader reader = NpyReader.Open(output);
        Assert.Equal([(nint)count], reader.Info.Shape);
        var y = new float[1 << 20];
        for (long s = 0; s < count; s += y.Length)
        {
            reader.Read<float>(s, y);
            for (int i = 0; i < y.Length; i++)
            {
                float v = MathF.Sin((s + i) * 0.001f) * 3;
                float expected = v < 0 ? 0 : v;
                Assert.True(y[i] == expected && float.IsNegative(y[i]) == float.IsNegative(expected), $"element {s + i}: {y[i]}, expected {expected}");
            }
        }
    }
}
