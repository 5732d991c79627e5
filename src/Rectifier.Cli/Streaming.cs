using Rectifier.IO;

namespace Rectifier.Cli;

/// <summary>An output .npy written to a temporary file in the destination folder and renamed over the final path
/// only when complete, so an interrupted run leaves no output or a complete one, never a partial file.</summary>
internal sealed class AtomicOutput : IDisposable
{
    private bool _committed;

    private AtomicOutput(string finalPath, string tempPath, NpyWriter writer)
    {
        FinalPath = finalPath;
        TempPath = tempPath;
        Writer = writer;
    }

    public string FinalPath { get; }

    public string TempPath { get; }

    public NpyWriter Writer { get; }

    public static AtomicOutput Create(string path, NpyDataType type, long[] shape, bool fortranOrder)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"{path}: the folder {dir} does not exist");
        }
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        return new AtomicOutput(full, temp, NpyWriter.Create(temp, type, shape, fortranOrder));
    }

    /// <summary>Makes the output visible under its final name.</summary>
    public void Commit()
    {
        Writer.Dispose();
        File.Move(TempPath, FinalPath, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
        {
            Writer.Dispose();
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
                // best effort: the final path was never written
            }
        }
    }
}

/// <summary>A piece of a flat array: [Start, Start + Length). For channel-aware work it also says which channels
/// it covers: Outer whole [channels, inner] blocks, or channels FirstChannel.. of one block, or (Partial) a part
/// of one channel's run.</summary>
internal readonly record struct Piece(long Start, int Length, long Outer, int FirstChannel, int Channels, long Inner, bool Partial);

/// <summary>Splits work into pieces of bounded size and runs them read → compute → write with the next read and
/// the previous write overlapping the computation (two buffer slots), so memory stays bounded whatever the file
/// size, and the library's own threads do the computing.</summary>
internal static class Pipeline
{
    /// <summary>Bytes of each input or output buffer: small enough that a file many times the memory limit streams
    /// through, large enough for the multi-threaded kernels to pay.</summary>
    public const int ChunkBytes = 1 << 20;

    public static IEnumerable<Piece> Flat(long count, int maxLength)
    {
        for (long s = 0; s < count; s += maxLength)
        {
            int len = (int)Math.Min(maxLength, count - s);
            yield return new Piece(s, len, 1, 0, 1, len, false);
        }
    }

    /// <summary>Pieces of a [outer, channels, inner] layout that never split a channel's run across pieces unless
    /// the run alone is longer than <paramref name="maxLength"/>.</summary>
    public static IEnumerable<Piece> ByChannel(long outer, int channels, long inner, int maxLength)
    {
        long block = channels * inner;
        if (block == 0 || outer == 0)
        {
            yield break;
        }
        if (block <= maxLength)
        {
            long k = Math.Max(1, maxLength / block);
            for (long o = 0; o < outer; o += k)
            {
                long blocks = Math.Min(k, outer - o);
                yield return new Piece(o * block, (int)(blocks * block), blocks, 0, channels, inner, false);
            }
        }
        else if (inner <= maxLength)
        {
            int m = (int)Math.Max(1, maxLength / inner);
            for (long o = 0; o < outer; o++)
            {
                for (int c = 0; c < channels; c += m)
                {
                    int cs = Math.Min(m, channels - c);
                    yield return new Piece(o * block + c * inner, (int)(cs * inner), 1, c, cs, inner, false);
                }
            }
        }
        else
        {
            for (long o = 0; o < outer; o++)
            {
                for (int c = 0; c < channels; c++)
                {
                    for (long s = 0; s < inner; s += maxLength)
                    {
                        int len = (int)Math.Min(maxLength, inner - s);
                        yield return new Piece(o * block + c * inner + s, len, 1, c, 1, len, true);
                    }
                }
            }
        }
    }

    /// <summary>Runs every piece: <paramref name="read"/>(piece, slot) fills the slot's input buffers,
    /// <paramref name="compute"/>(piece, slot) works on them, <paramref name="write"/>(piece, slot) stores the slot's
    /// output. Reads run one piece ahead and writes one piece behind the computation.</summary>
    public static void Run(IEnumerable<Piece> pieces, Action<Piece, int> read, Action<Piece, int> compute, Action<Piece, int>? write,
        CancellationToken cancel, Action<long>? progress)
    {
        using var e = pieces.GetEnumerator();
        if (!e.MoveNext())
        {
            return;
        }
        Piece current = e.Current;
        int slot = 0;
        Task reading = Task.Run(() => read(current, 0), cancel);
        Task[] writing = [Task.CompletedTask, Task.CompletedTask];
        try
        {
            while (true)
            {
                reading.GetAwaiter().GetResult();
                Piece piece = current;
                bool more = e.MoveNext();
                if (more)
                {
                    Piece next = e.Current;
                    int nextSlot = 1 - slot;
                    reading = Task.Run(() => read(next, nextSlot), cancel);
                    current = next;
                }
                writing[slot].GetAwaiter().GetResult();   // this slot's previous output is on disk
                cancel.ThrowIfCancellationRequested();
                compute(piece, slot);
                if (write is not null)
                {
                    int s = slot;
                    writing[slot] = Task.Run(() => write(piece, s), cancel);
                }
                progress?.Invoke(piece.Start + piece.Length);
                if (!more)
                {
                    break;
                }
                slot = 1 - slot;
            }
            foreach (Task t in writing)
            {
                t.GetAwaiter().GetResult();
            }
        }
        catch
        {
            // let in-flight I/O finish before the caller deletes the temporary file
            try
            {
                Task.WaitAll([reading, .. writing]);
            }
            catch (AggregateException)
            {
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }
    }
}
