using System.Globalization;
using BenchmarkDotNet.Running;
using Rectifier.Benchmarks;

// Usage:
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- relu [--quick] [--out FILE]   interleaved ReLU table (markdown)
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- smooth [--quick] [--only a,b]  smooth family, f32 1M, Gelem/s
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- smooth-half [--quick]          smooth family, Half against float
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- softmax [--quick]            softmax/log_softmax 4096×1024 f32, both axes, vs TensorPrimitives.SoftMax
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- softmax-accuracy             worst ULP of the softmax family over the golden rows
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- accuracy                     worst ULP per smooth function (docs/ACCURACY.md)
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- exhaustive [--only a,b] [--backward] [--magnitudes lo,hi]  every finite float (long)
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- mask [--quick]               1-bit-mask forward/backward, f32 64M
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- fused [--quick]              fused bias + activation vs separate passes
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- drivers --legs [--threads N] [--quick]  mask, fused and Half paths vs their plain forms on every vector-width leg
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- monitor [--quick]            dead-unit monitor vs relu forward, f32
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- gemm [--quick]               the trainer's float32 matrix products, GFLOP/s
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- tensor [--quick]             activations over strided tensor views vs dense, f32 1M
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- monitor-micro                the monitor's kernels on cache-resident data
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- thresholds                   parallel / non-temporal sweeps
//   dotnet run -c Release --project bench/Rectifier.Benchmarks -- bdn [BenchmarkDotNet args]   the BenchmarkDotNet classes
string mode = args.Length > 0 ? args[0] : "relu";
bool quick = args.Contains("--quick");
int outIndex = Array.IndexOf(args, "--out");
string? outFile = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
string header = $"Machine: {Environment.ProcessorCount} cores, {Rectifier.RuntimeInfo.VectorDescription}, .NET {Environment.Version}, {DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\n\n";
string result = mode switch
{
    "relu" => header + ReluSuite.Run(quick ? [1 << 10, 1 << 14, 1 << 18, 1 << 22] : [1 << 10, 1 << 14, 1 << 18, 1 << 22, 1 << 26], quick),
    "smooth" => header + SmoothSuite.Run(1 << 20, quick, Option("--only")),
    "smooth-half" => header + SmoothSuite.RunHalf(1 << 20, quick),
    "accuracy" => header + AccuracyReport.Run(Path.Combine(RepositoryRoot(), "tests", "Rectifier.Tests", "Golden", "smooth_f64.txt")),
    "exhaustive" => header + AccuracyReport.Exhaustive(Option("--only"), args.Contains("--backward"), Option("--magnitudes")),
    "softmax" => header + SoftmaxSuite.Run(quick),
    "softmax-accuracy" => header + SoftmaxAccuracy.Run(Path.Combine(RepositoryRoot(), "tests", "Rectifier.Tests", "Golden", "softmax_f64.txt")),
    "mask" => header + MaskSuite.Run(quick ? 1 << 24 : 1 << 26, quick),
    "fused" => header + FusedSuite.Run(quick),
    "drivers" => (args.Contains("--legs") ? header : "") + DriversSuite.Run(quick, args.Contains("--legs"), int.Parse(Option("--threads") ?? "1", CultureInfo.InvariantCulture)),
    "monitor" => header + MonitorSuite.Run(quick),
    "gemm" => header + GemmSuite.Run(quick),
    "tensor" => header + TensorSuite.Run(quick),
    "monitor-micro" => header + MonitorMicro.Run(),
    "thresholds" => header + Thresholds.Run(),
    "bdn" => RunBdn(args[1..]),
    _ => throw new ArgumentException($"unknown mode '{mode}': use relu, thresholds or bdn"),
};
Console.WriteLine(result);
if (outFile is not null)
{
    File.WriteAllText(outFile, result);
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string RepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Rectifier.slnx")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("run from inside the repository");
}

static string RunBdn(string[] rest)
{
    BenchmarkSwitcher.FromAssembly(typeof(ReluSuite).Assembly).Run(rest);
    return "";
}
