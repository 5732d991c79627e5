using System.Diagnostics;

namespace Rectifier.Kernels;

/// <summary>A range of work a driver hands to the partitioner: <c>Run(start, end)</c> must touch only
/// destination elements in [start, end).</summary>
internal interface IRangeBody
{
    void Run(nint start, nint end);
}

/// <summary>Splits a pass across cores when it is large enough to pay for the hand-off.
/// Part boundaries are multiples of <see cref="Granule"/> elements (whole cache lines and whole mask words).</summary>
internal static class ParallelRunner
{
    /// <summary>Parts start on multiples of this many elements.</summary>
    public const int Granule = 256;

    /// <summary>Bytes moved (all streams) below which one thread is faster than two: measured with
    /// bench/Rectifier.Benchmarks (ParallelThreshold), see docs/PERFORMANCE.md.</summary>
    public static long ThresholdBytes { get; set; } = 192 * 1024;

    /// <summary>Each part moves at least this many bytes.</summary>
    public static long MinBytesPerPart { get; set; } = 96 * 1024;

    public static void For<TBody>(nint n, long bytesPerElement, TBody body, nint granule = Granule) where TBody : struct, IRangeBody
    {
        long bytes = n * bytesPerElement;
        if (bytes < ThresholdBytes)
        {
            body.Run(0, n);
            return;
        }
        int degree = Math.Min(Parallelism.CurrentDegree, WorkerPool.MaxParts);
        if (degree <= 1)
        {
            body.Run(0, n);
            return;
        }
        int parts = (int)Math.Clamp(bytes / MinBytesPerPart, 1, degree);
        if (parts <= 1)
        {
            body.Run(0, n);
            return;
        }
        WorkerPool.Run(new BodyJob<TBody>(body, n, parts, granule));
    }

    private sealed class BodyJob<TBody>(TBody body, nint n, int parts, nint granule) : PoolJob(parts) where TBody : struct, IRangeBody
    {
        public override void RunPart(int part)
        {
            nint step = ((n + Parts - 1) / Parts + granule - 1) / granule * granule;
            nint start = Math.Min(n, step * part);
            nint end = part == Parts - 1 ? n : Math.Min(n, start + step);
            if (start < end)
            {
                body.Run(start, end);
            }
        }
    }
}

/// <summary>One fork-join call: part 0 runs on the caller, parts 1.. on pool workers. The first failure of any part
/// is thrown to the caller (as an <see cref="AggregateException"/>) once every part has ended.</summary>
internal abstract class PoolJob(int parts)
{
    internal int Pending;
    internal int RunByWorkers;
    internal Exception? Failure;

    public int Parts { get; } = parts;

    public abstract void RunPart(int part);
}

/// <summary>A small fork-join pool of dedicated threads that spin briefly between calls, so a hand-off costs
/// well under a microsecond while calls come back to back, and sleep otherwise. Calls from several threads at
/// once are safe: whoever finds the pool busy runs its parts itself (the result is the same).</summary>
internal static class WorkerPool
{
    private static readonly Lazy<Worker[]> s_workers = new(() =>
    {
        var workers = new Worker[Math.Max(0, Environment.ProcessorCount - 1)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = new Worker(w + 1);
        }
        return workers;
    });

    private static int s_busy;

    [ThreadStatic]
    private static long t_partsRunByWorkers;

    /// <summary>How many parts of the calls made from this thread pool workers have run so far: a test reads it
    /// before and after a call to know that more than one thread took part (a busy pool runs every part on the caller).</summary>
    internal static long PartsRunByWorkersOnThisThread => t_partsRunByWorkers;

    public static int MaxParts => Environment.ProcessorCount;

    public static void Run(PoolJob job)
    {
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int p = 0; p < job.Parts; p++)
            {
                job.RunPart(p);
            }
            return;
        }
        try
        {
            Worker[] workers = s_workers.Value;
            int helpers = Math.Min(job.Parts - 1, workers.Length);
            job.Pending = helpers;
            for (int w = 0; w < helpers; w++)
            {
                workers[w].Post(job, w + 1);
            }
            try
            {
                for (int p = helpers + 1; p < job.Parts; p++)
                {
                    job.RunPart(p);
                }
                job.RunPart(0);
            }
            catch (Exception e)
            {
                // wait for the workers all the same: their parts may still be using the caller's (pinned) memory
                Interlocked.CompareExchange(ref job.Failure, e, null);
            }
            var spinner = new SpinWait();
            while (Volatile.Read(ref job.Pending) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            t_partsRunByWorkers += Volatile.Read(ref job.RunByWorkers);
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
        if (job.Failure is not null)
        {
            throw new AggregateException(job.Failure);
        }
    }

    private sealed class Worker
    {
        private static readonly long s_spinTicks = Stopwatch.Frequency / 5000; // 200 µs

        private readonly SemaphoreSlim _signal = new(0);
        private PoolJob? _job;
        private int _part;
        private int _sleeping;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Rectifier worker {index}" };
            thread.Start();
        }

        public void Post(PoolJob job, int part)
        {
            _part = part;
            Interlocked.Exchange(ref _job, job);
            if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
            {
                _signal.Release();
            }
        }

        private void Loop()
        {
            while (true)
            {
                PoolJob job = Take();
                try
                {
                    job.RunPart(_part);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref job.Failure, e, null);
                }
                Interlocked.Increment(ref job.RunByWorkers);
                Interlocked.Decrement(ref job.Pending);
            }
        }

        private PoolJob Take()
        {
            long deadline = Stopwatch.GetTimestamp() + s_spinTicks;
            while (true)
            {
                PoolJob? job = Interlocked.Exchange(ref _job, null);
                if (job is not null)
                {
                    return job;
                }
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(16);
                    continue;
                }
                Interlocked.Exchange(ref _sleeping, 1);
                job = Interlocked.Exchange(ref _job, null);
                if (job is not null)
                {
                    Interlocked.Exchange(ref _sleeping, 0);
                    return job;
                }
                _signal.Wait();
                deadline = Stopwatch.GetTimestamp() + s_spinTicks;
            }
        }
    }
}
