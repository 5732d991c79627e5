using CsCheck;

namespace Rectifier.Tests;

/// <summary>CsCheck samples in which every iteration is reproducible: a fixed seed pins only the first iteration of
/// <c>Sample</c> (the rest are drawn afresh on each run), so each of the 100 iterations here is its own one-iteration
/// sample with a seed of its own, derived from its index. A failure names the seed that reproduces it.</summary>
internal static class SeededSample
{
    public const int Iterations = 100;

    /// <summary>The seeds, one per iteration, the same on every run.</summary>
    public static readonly string[] Seeds =
        [.. Enumerable.Range(0, Iterations).Select(i => new PCG(0x5EED, 0x9E3779B97F4A7C15UL * (ulong)(i + 1)).ToString())];

    public static void SampleEach<T>(this Gen<T> gen, Func<T, bool> property)
    {
        foreach (string seed in Seeds)
        {
            gen.Sample(property, seed: seed, iter: 1, threads: 1);
        }
    }

    public static void SampleEach<T1, T2>(this Gen<(T1, T2)> gen, Func<T1, T2, bool> property)
        => gen.SampleEach(t => property(t.Item1, t.Item2));

    public static void SampleEach<T1, T2, T3>(this Gen<(T1, T2, T3)> gen, Func<T1, T2, T3, bool> property)
        => gen.SampleEach(t => property(t.Item1, t.Item2, t.Item3));
}

public sealed class SeededSampleTests
{
    [Fact]
    public void Every_iteration_draws_the_same_values_on_every_run()
    {
        var first = new List<double[]>();
        var second = new List<double[]>();
        Gen.Double.Array[0, 20].SampleEach(x => { first.Add(x); return true; });
        Gen.Double.Array[0, 20].SampleEach(x => { second.Add(x); return true; });
        Assert.Equal(SeededSample.Iterations, first.Count);
        Assert.Equal(first.Count, second.Count);
        for (int i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Select(BitConverter.DoubleToInt64Bits), second[i].Select(BitConverter.DoubleToInt64Bits));
        }
        // And the iterations differ from one another: the seeds are not all the same.
        Assert.True(first.Select(a => string.Join(",", a)).Distinct().Count() > SeededSample.Iterations / 2);
    }
}
