namespace Rectifier;

/// <summary>How many cores Rectifier may use for one call (like <c>torch.set_num_threads</c>).
/// Results never depend on it: every element is computed the same way whichever thread computes it, and
/// reductions are summed in fixed blocks in a fixed order.</summary>
public static class Parallelism
{
    private static int s_maxDegree = Environment.ProcessorCount;

    [ThreadStatic]
    private static int t_scopedDegree;

    /// <summary>Process-wide upper bound on the threads one call may use; defaults to
    /// <see cref="Environment.ProcessorCount"/>. 1 makes every call single-threaded.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => s_maxDegree;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            s_maxDegree = value;
        }
    }

    /// <summary>The degree the next call on this thread will use: the innermost <see cref="Scope"/>, else
    /// <see cref="MaxDegreeOfParallelism"/>.</summary>
    public static int CurrentDegree => t_scopedDegree > 0 ? t_scopedDegree : s_maxDegree;

    /// <summary>Overrides the degree of parallelism for calls made on the current thread until the returned
    /// scope is disposed: <c>using (Parallelism.Scope(1)) Activations.Relu(x, y);</c></summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is less than 1.</exception>
    public static ParallelismScope Scope(int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        int previous = t_scopedDegree;
        t_scopedDegree = maxDegreeOfParallelism;
        return new ParallelismScope(previous);
    }

    internal static void Restore(int previous) => t_scopedDegree = previous;
}

/// <summary>Restores the previous degree of parallelism of the current thread when disposed.</summary>
public readonly struct ParallelismScope : IDisposable
{
    private readonly int _previous;

    internal ParallelismScope(int previous) => _previous = previous;

    /// <summary>Restores the degree that was in force when the scope was created.</summary>
    public void Dispose() => Parallelism.Restore(_previous);
}
