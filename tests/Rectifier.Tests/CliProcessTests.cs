using System.Diagnostics;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>The built tool run as a process: the demo, a run killed half-way (no output left), a run stopped by
/// SIGTERM (cleaned up, exit code 1), and a file four times larger than the process's memory cap.</summary>
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
        using NpyWriter writer = NpyWriter.Create(path, NpyDataType.Float32, [count]);
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

    /// <summary>A sparse float32 file of 2^28 zeros (1 GiB that takes no disk space): long enough to interrupt.</summary>
    private string MakeSparseInput(string name)
    {
        string path = Path.Combine(_dir, name);
        using NpyWriter writer = NpyWriter.Create(path, NpyDataType.Float32, [1L << 28]);
        return path;
    }

    /// <summary>Starts a long run and returns once its temporary output exists (the computation has begun).</summary>
    private Process StartLongRun(string input, string output)
    {
        Process p = Start(null, "grad", "gelu", input, input, output);
        var sw = Stopwatch.StartNew();
        while (Directory.GetFiles(_dir, "*.partial").Length == 0)
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

    [Fact]
    public void A_run_killed_half_way_leaves_no_output()
    {
        string x = MakeSparseInput("x.npy");
        string output = Path.Combine(_dir, "out.npy");
        using Process p = StartLongRun(x, output);
        p.Kill();
        p.WaitForExit();
        Assert.False(File.Exists(output), "a killed run must not leave out.npy");
    }

    [Fact]
    public void SIGTERM_stops_the_run_removes_the_temporary_file_and_exits_with_1()
    {
        string x = MakeSparseInput("x.npy");
        string output = Path.Combine(_dir, "out.npy");
        using Process p = StartLongRun(x, output);
        using (Process kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            kill.WaitForExit();
        }
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode == 0)
        {
            // The signal arrived after the last piece: then the output is complete.
            Assert.True(File.Exists(output));
            return;
        }
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("interrupted", error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
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
        Assert.Equal([count], reader.Info.Shape);
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
