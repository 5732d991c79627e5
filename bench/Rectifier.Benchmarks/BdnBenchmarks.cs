using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Rectifier.Benchmarks;

/// <summary>BenchmarkDotNet form of the ReLU comparison (run with: -- bdn --filter *ReluBdn*).</summary>
[MemoryDiagnoser]
public class ReluBdn
{
    private float[] _x = [], _g = [], _y = [];

    [Params(1 << 10, 1 << 14, 1 << 18, 1 << 22)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _x = [.. Enumerable.Range(0, N).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        _g = [.. Enumerable.Range(0, N).Select(_ => (float)rng.NextDouble())];
        _y = new float[N];
    }

    [Benchmark(Baseline = true)]
    public void Copy() => _x.AsSpan().CopyTo(_y);

    [Benchmark]
    public void Relu() => Activations.Relu<float>(_x, _y);

    [Benchmark]
    public void TensorPrimitivesMax() => TensorPrimitives.Max(_x, 0f, _y);

    [Benchmark]
    public void ReluBackward() => Activations.ReluBackward<float>(_x, _g, _y);
}
