using System.Numerics;

namespace Rectifier.Tests;

/// <summary>The sweep scenarios every element-wise function goes through (forward and backward).</summary>
public static class Harness
{
    public static readonly int[] Lengths = [.. Enumerable.Range(0, 257), .. Enumerable.Range(17, 46).SelectMany(k => new[] { k * 16 - 1, k * 16 + 1 }).Where(n => n <= 1000)];

    /// <summary>Runs <paramref name="call"/> on every core and fails unless a worker thread ran part of it; a pool that
    /// another test holds is waited out (tries for up to 30 s), never taken as success. Callers belong to the
    /// <see cref="SerialPool"/> collection, which runs alone.</summary>
    public static TResult OnAllThreads<TResult>(Func<TResult> call)
    {
        Assert.True(Environment.ProcessorCount >= 2, "the determinism tests need at least two cores to compare thread counts");
        using (Parallelism.Scope(Math.Max(2, Environment.ProcessorCount)))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int attempt = 0; attempt < 20 || clock.Elapsed < TimeSpan.FromSeconds(30); attempt++)
            {
                long before = Kernels.WorkerPool.PartsRunByWorkersOnThisThread;
                TResult result = call();
                if (Kernels.WorkerPool.PartsRunByWorkersOnThisThread > before)
                {
                    return result;
                }
                Thread.Sleep(10);
            }
        }
        Assert.Fail("no part of the call ran on a worker thread in 30 s of tries: the comparison would be of one thread with itself");
        return default!;
    }

    public static void AssertElements<T>(ReadOnlySpan<T> actual, Func<int, T> expected, string what) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            T e = expected(i);
            if (!Numbers.Same(actual[i], e))
            {
                Assert.Fail($"{what}: element {i} of {actual.Length} is {Numbers.Show(actual[i])}, expected {Numbers.Show(e)}");
            }
        }
    }

    /// <summary>Forward and backward against the references at every length, at a start offset that cycles 0..15,
    /// with sentinels before and after the destination that must survive.</summary>
    public static void SweepLengthsAndOffsets<T>(Forward<T> forward, Backward<T> backward, Func<T, T> refForward, Func<T, T, T> refBackward, string name, int seed,
        int[]? lengths = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T sentinel = T.CreateTruncating(12345.0);
        foreach (int n in lengths ?? Lengths)
        {
            int offset = n % 16;
            T[] xs = Numbers.Random<T>(n + 32, seed + n);
            T[] gs = Numbers.Random<T>(n + 32, seed + 7919 * n, 0.05);
            ReadOnlySpan<T> x = xs.AsSpan(offset, n), g = gs.AsSpan((offset * 7) % 16, n);
            T[] outBuffer = new T[n + 32];
            Array.Fill(outBuffer, sentinel);
            int dOffset = (offset * 3) % 16 + 1;
            Span<T> y = outBuffer.AsSpan(dOffset, n);

            forward(x, y);
            T[] xc = x.ToArray(), gc = g.ToArray();
            AssertElements<T>(y, i => refForward(xc[i]), $"{name} forward, n={n}, offset={offset}");
            AssertSentinels(outBuffer, dOffset, n, sentinel, name);

            Array.Fill(outBuffer, sentinel);
            backward(x, g, y);
            AssertElements<T>(y, i => refBackward(xc[i], gc[i]), $"{name} backward, n={n}, offset={offset}");
            AssertSentinels(outBuffer, dOffset, n, sentinel, name);
        }
    }

    public static void AssertSentinels<T>(T[] buffer, int start, int n, T sentinel, string name) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            if ((i < start || i >= start + n) && !Numbers.Same(buffer[i], sentinel))
            {
                Assert.Fail($"{name}: wrote outside the destination at {i - start} (n={n})");
            }
        }
    }

    /// <summary>Every start offset 0..15 for a few lengths around the vector sizes.</summary>
    public static void SweepOffsets<T>(Forward<T> forward, Func<T, T> refForward, string name, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in new[] { 1, 7, 16, 33, 64, 100, 255 })
        {
            for (int offset = 0; offset < 16; offset++)
            {
                T[] xs = Numbers.Random<T>(n + 16, seed + offset);
                var y = new T[n + 16];
                forward(xs.AsSpan(offset, n), y.AsSpan(15 - offset, n));
                T[] xc = xs.AsSpan(offset, n).ToArray();
                AssertElements<T>(y.AsSpan(15 - offset, n), i => refForward(xc[i]), $"{name} n={n} offset={offset}");
            }
        }
    }

    public static void InPlaceEqualsOutOfPlace<T>(Forward<T> forward, Backward<T> backward, string name, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int n in new[] { 1, 3, 15, 64, 65, 1000, 70_000 })
        {
            T[] x = Numbers.Random<T>(n, seed + n), g = Numbers.Random<T>(n, seed - n);
            var expected = new T[n];
            forward(x, expected);
            T[] inPlace = (T[])x.Clone();
            forward(inPlace, inPlace);
            AssertElements<T>(inPlace, i => expected[i], $"{name} in-place forward n={n}");

            backward(x, g, expected);
            T[] gAlias = (T[])g.Clone();
            backward(x, gAlias, gAlias);
            AssertElements<T>(gAlias, i => expected[i], $"{name} backward into gradOutput n={n}");
            if (!name.Contains("from_output", StringComparison.Ordinal))
            {
                T[] xAlias = (T[])x.Clone();
                backward(xAlias, g, xAlias);
                AssertElements<T>(xAlias, i => expected[i], $"{name} backward into x n={n}");
            }
        }
    }

    public static void LengthIndependence<T>(Forward<T> forward, Backward<T> backward, string name, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int n = 531;
        T[] x = Numbers.Random<T>(n, seed), g = Numbers.Random<T>(n, seed + 1);
        T[] whole = new T[n], wholeGrad = new T[n];
        forward(x, whole);
        backward(x, g, wholeGrad);
        var one = new T[1];
        for (int i = 0; i < n; i++)
        {
            forward(x.AsSpan(i, 1), one);
            Assert.True(Numbers.Same(whole[i], one[0]), $"{name}: element {i} differs between an {n}-element call and a 1-element call");
            backward(x.AsSpan(i, 1), g.AsSpan(i, 1), one);
            Assert.True(Numbers.Same(wholeGrad[i], one[0]), $"{name} backward: element {i} differs between an {n}-element call and a 1-element call");
        }
    }

    /// <summary>A length above the non-temporal and parallel thresholds: 1 thread, all threads and the reference agree.</summary>
    public static void LargeAndParallel<T>(Forward<T> forward, Backward<T> backward, Func<T, T> refForward, Func<T, T, T> refBackward, string name, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Forward moves 2 streams: this length is past the non-temporal footprint and the parallel threshold.
        int n = (int)(Kernels.Elementwise.NonTemporalThresholdBytes / (2 * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())) + 4099;
        T[] x = Numbers.Random<T>(n, seed), g = Numbers.Random<T>(n, seed + 1);
        T[] multi = new T[n], single = new T[n], multiGrad = new T[n], singleGrad = new T[n];
        using (Parallelism.Scope(Math.Max(2, Environment.ProcessorCount)))
        {
            forward(x, multi);
            backward(x, g, multiGrad);
        }
        using (Parallelism.Scope(1))
        {
            forward(x, single);
            backward(x, g, singleGrad);
        }
        AssertElements<T>(multi, i => refForward(x[i]), $"{name} large forward");
        AssertElements<T>(single, i => multi[i], $"{name} large forward, 1 thread vs all");
        AssertElements<T>(multiGrad, i => refBackward(x[i], g[i]), $"{name} large backward");
        AssertElements<T>(singleGrad, i => multiGrad[i], $"{name} large backward, 1 thread vs all");
    }
}
