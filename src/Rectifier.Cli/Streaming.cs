using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Rectifier.IO;

namespace Rectifier.Cli;

/// <summary>An output .npy written where no one sees it until it is complete, then put in place in one step: an
/// interrupted run leaves no output or a complete one, never a partial file.
/// On Linux the data goes to an unnamed file in the destination folder (<c>O_TMPFILE</c>), linked under its name
/// only on <see cref="Commit"/>: a killed process (SIGKILL, out of memory, power loss) leaves nothing to clean up.
/// Elsewhere, or where the file system has no unnamed files, a hidden <c>.NAME.PID.GUID.partial</c> file is renamed
/// over the output; a later run of the same output removes the partial files of processes that no longer exist.</summary>
internal sealed partial class AtomicOutput : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly bool _unnamed;
    private bool _committed;

    private AtomicOutput(string finalPath, string? tempPath, SafeFileHandle handle, NpyWriter writer)
    {
        FinalPath = finalPath;
        TempPath = tempPath;
        _handle = handle;
        _unnamed = tempPath is null;
        Writer = writer;
    }

    public string FinalPath { get; }

    /// <summary>The visible temporary file, or null when the output is an unnamed file.</summary>
    public string? TempPath { get; }

    public NpyWriter Writer { get; }

    /// <summary>Whether the output lives in an unnamed file until it is committed.</summary>
    public bool Unnamed => _unnamed;

    /// <summary>Starts an output at <paramref name="path"/>.</summary>
    /// <param name="path">The output file.</param>
    /// <param name="type">Its element type.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="fortranOrder">Whether its data is column-major.</param>
    /// <param name="allowUnnamed">False forces the named temporary file (tests of the fallback).</param>
    public static AtomicOutput Create(string path, NpyDataType type, ReadOnlySpan<nint> shape, bool fortranOrder, bool allowUnnamed = true)
    {
        string full = CheckOutputPath(path, "the output");
        string dir = Path.GetDirectoryName(full)!;
        RemoveStalePartials(full);
        if (allowUnnamed && OpenUnnamed(dir) is { } unnamed)
        {
            try
            {
                return new AtomicOutput(full, null, unnamed, NpyWriter.Create(unnamed, type, shape, fortranOrder));
            }
            catch
            {
                unnamed.Dispose();
                throw;
            }
        }
        string temp = PartialPath(full, Environment.ProcessId);
        SafeFileHandle handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            return new AtomicOutput(full, temp, handle, NpyWriter.Create(handle, type, shape, fortranOrder));
        }
        catch
        {
            handle.Dispose();
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The full path of an output file to be written, after checking that it names no folder and that its
    /// folder exists (the one-line errors every command gives).</summary>
    /// <param name="path">The path as given.</param>
    /// <param name="what">What is written there, for the message ("the output", "the image").</param>
    public static string CheckOutputPath(string path, string what)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new IOException($"{path}: is a folder; give {what} a file name");
        }
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"{path}: the folder {dir} does not exist");
        }
        return full;
    }

    /// <summary>Makes the output visible under its final name.</summary>
    public void Commit()
    {
        if (_unnamed)
        {
            string? staging = null;
            try
            {
                // Link straight to the final name when it is free: no name ever shows a partial file. Over an
                // existing file, link to a hidden name and rename it over (rename replaces in one step).
                if (!TryLink(FinalPath))
                {
                    staging = PartialPath(FinalPath, Environment.ProcessId);
                    if (!TryLink(staging))
                    {
                        throw new IOException($"{FinalPath}: the finished output could not be linked into its folder ({Marshal.GetLastPInvokeErrorMessage()})");
                    }
                    File.Move(staging, FinalPath, overwrite: true);
                    staging = null;
                }
            }
            finally
            {
                if (staging is not null)
                {
                    File.Delete(staging);
                }
            }
            Writer.Dispose();
        }
        else
        {
            Writer.Dispose();
            File.Move(TempPath!, FinalPath, overwrite: true);
        }
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }
        Writer.Dispose();
        if (TempPath is not null)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (IOException)
            {
                // best effort: the final path was never written, and a later run removes a stale partial file
            }
        }
    }

    private static string PartialPath(string full, int pid)
        => Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{pid.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}.partial");

    /// <summary>Removes <c>.NAME.PID.GUID.partial</c> files of this output left by processes that no longer run.</summary>
    internal static void RemoveStalePartials(string full)
    {
        string dir = Path.GetDirectoryName(full)!, prefix = "." + Path.GetFileName(full) + ".";
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(dir, prefix + "*.partial").ToList();
        }
        catch (IOException)
        {
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }
        foreach (string file in candidates)
        {
            string[] parts = Path.GetFileName(file)[prefix.Length..].Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || IsRunning(pid))
            {
                continue;
            }
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // Linux open(2) flags. O_TMPFILE is __O_TMPFILE | O_DIRECTORY, and O_DIRECTORY differs on Arm.
    private const int ORdWr = 2, OCloExec = 0x80000, OTmpFileBase = 0x400000;
    private const int AtFdCwd = -100, AtSymlinkFollow = 0x400;

    /// <summary>Whether outputs in <paramref name="dir"/> can live in an unnamed file until committed.</summary>
    internal static bool CanCreateUnnamed(string dir)
    {
        using SafeFileHandle? probe = OpenUnnamed(dir);
        return probe is not null;
    }

    private static SafeFileHandle? OpenUnnamed(string dir)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/fd"))
        {
            return null;
        }
        int oDirectory = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
        int fd = Open(dir, OTmpFileBase | oDirectory | ORdWr | OCloExec, Convert.ToInt32("644", 8));
        return fd < 0 ? null : new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    private bool TryLink(string target)
    {
        string source = "/proc/self/fd/" + _handle.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture);
        return LinkAt(AtFdCwd, source, AtFdCwd, target, AtSymlinkFollow) == 0;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkAt(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags);
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
