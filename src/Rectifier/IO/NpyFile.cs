using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rectifier.IO;

/// <summary>Reads the data of a .npy file in pieces, at any element offset, converting big-endian data on the fly.
/// Only the header is read when the file is opened; the file is opened read-only and shared for reading.</summary>
public sealed class NpyReader : IDisposable
{
    private readonly SafeFileHandle _handle;

    private NpyReader(string path, SafeFileHandle handle, NpyArrayInfo info)
    {
        Path = path;
        _handle = handle;
        Info = info;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>The validated header.</summary>
    public NpyArrayInfo Info { get; }

    /// <summary>Opens <paramref name="path"/> and validates its header against its length.</summary>
    /// <param name="path">The .npy file.</param>
    /// <exception cref="NpyFormatException">The file is not a .npy file Rectifier can read.</exception>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static NpyReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"{path}: is a folder, not a .npy file");
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such file", path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{path}: permission denied", e);
        }
        try
        {
            using var stream = new FileStream(handle, FileAccess.Read, 1, isAsync: false);
            var info = NpyArrayInfo.Read(stream, System.IO.Path.GetFileName(path));
            // The FileStream owns the handle: reopen one for positional reads.
            return new NpyReader(path, File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read), info);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="destination"/>.Length elements starting at element <paramref name="firstElement"/>.</summary>
    /// <typeparam name="T">Must match the file's element type (Half, float or double).</typeparam>
    /// <param name="firstElement">Index of the first element to read.</param>
    /// <param name="destination">Receives the elements, in machine byte order.</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not the file's type, or the range is outside the data.</exception>
    /// <exception cref="NpyFormatException">The file shrank while being read.</exception>
    public void Read<T>(long firstElement, Span<T> destination) where T : unmanaged
    {
        Npy.CheckType<T>(Info.DataType, nameof(destination));
        if (firstElement < 0 || firstElement + destination.Length > Info.Count)
        {
            throw new ArgumentException($"Elements {firstElement}..{firstElement + destination.Length} are outside the {Info.Count} of {Path}.", nameof(firstElement));
        }
        Span<byte> bytes = MemoryMarshal.AsBytes(destination);
        long offset = Info.DataOffset + firstElement * Info.ItemSize;
        int done = 0;
        while (done < bytes.Length)
        {
            int n = RandomAccess.Read(_handle, bytes[done..], offset + done);
            if (n == 0)
            {
                throw NpyArrayInfo.Bad(System.IO.Path.GetFileName(Path), "the file ended before its data (was it truncated while being read?)");
            }
            done += n;
        }
        if (Info.BigEndian)
        {
            Npy.SwapBytes(bytes, Info.ItemSize);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}

/// <summary>Writes a .npy file (little-endian, format 1.0, or 2.0 for very long headers) in pieces at any element
/// offset; the header is written on creation.</summary>
public sealed class NpyWriter : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly long _dataOffset;
    private readonly int _itemSize;

    private NpyWriter(SafeFileHandle handle, NpyDataType type, long dataOffset, long count)
    {
        _handle = handle;
        DataType = type;
        _dataOffset = dataOffset;
        _itemSize = NpyArrayInfo.SizeOf(type);
        Count = count;
    }

    /// <summary>The element type.</summary>
    public NpyDataType DataType { get; }

    /// <summary>The number of elements the file holds.</summary>
    public long Count { get; }

    /// <summary>Creates (or truncates) <paramref name="path"/> with the header of an array of <paramref name="shape"/>;
    /// the data area is sized up front.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="type">The element type (float16, float32 or float64).</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="fortranOrder">Whether the data is column-major.</param>
    public static NpyWriter Create(string path, NpyDataType type, ReadOnlySpan<nint> shape, bool fortranOrder = false)
    {
        CheckWritable(type);
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        try
        {
            return Create(handle, type, shape, fortranOrder);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Writes the header of an array of <paramref name="shape"/> to an open, empty file and sizes its data
    /// area; the writer takes ownership of <paramref name="handle"/> (for example an unnamed temporary file that is
    /// linked into place once complete).</summary>
    /// <param name="handle">A file opened for reading and writing.</param>
    /// <param name="type">The element type (float16, float32 or float64).</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="fortranOrder">Whether the data is column-major.</param>
    public static NpyWriter Create(SafeFileHandle handle, NpyDataType type, ReadOnlySpan<nint> shape, bool fortranOrder = false)
    {
        ArgumentNullException.ThrowIfNull(handle);
        CheckWritable(type);
        byte[] header = NpyArrayInfo.CreateHeader(type, shape, fortranOrder);
        long count = 1;
        foreach (nint d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count = checked(count * d);
        }
        var writer = new NpyWriter(handle, type, header.Length, count);
        RandomAccess.SetLength(handle, header.Length + count * writer._itemSize);
        RandomAccess.Write(handle, header, 0);
        return writer;
    }

    private static void CheckWritable(NpyDataType type)
    {
        if (type is not (NpyDataType.Float16 or NpyDataType.Float32 or NpyDataType.Float64))
        {
            throw new NotSupportedException($".npy files are written as float16, float32 or float64 here, not {type}.");
        }
    }

    /// <summary>Writes <paramref name="source"/> starting at element <paramref name="firstElement"/>.</summary>
    /// <typeparam name="T">Must match the file's element type.</typeparam>
    /// <param name="firstElement">Index of the first element written.</param>
    /// <param name="source">The elements.</param>
    public void Write<T>(long firstElement, ReadOnlySpan<T> source) where T : unmanaged
    {
        Npy.CheckType<T>(DataType, nameof(source));
        if (firstElement < 0 || firstElement + source.Length > Count)
        {
            throw new ArgumentException($"Elements {firstElement}..{firstElement + source.Length} are outside the {Count} of the file.", nameof(firstElement));
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing .npy files needs a little-endian machine.");
        }
        RandomAccess.Write(_handle, MemoryMarshal.AsBytes(source), _dataOffset + firstElement * _itemSize);
    }

    /// <summary>Flushes the data to the device.</summary>
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}

/// <summary>Whole-array helpers over <see cref="NpyReader"/> and <see cref="NpyWriter"/>.</summary>
public static class Npy
{
    /// <summary>The .npy element type of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Half, float, double, or an integer type of 8 to 64 bits.</typeparam>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no .npy element type here.</exception>
    public static NpyDataType DataTypeOf<T>() =>
        typeof(T) == typeof(Half) ? NpyDataType.Float16
        : typeof(T) == typeof(float) ? NpyDataType.Float32
        : typeof(T) == typeof(double) ? NpyDataType.Float64
        : typeof(T) == typeof(sbyte) ? NpyDataType.Int8
        : typeof(T) == typeof(byte) ? NpyDataType.UInt8
        : typeof(T) == typeof(short) ? NpyDataType.Int16
        : typeof(T) == typeof(ushort) ? NpyDataType.UInt16
        : typeof(T) == typeof(int) ? NpyDataType.Int32
        : typeof(T) == typeof(uint) ? NpyDataType.UInt32
        : typeof(T) == typeof(long) ? NpyDataType.Int64
        : typeof(T) == typeof(ulong) ? NpyDataType.UInt64
        : throw new NotSupportedException($".npy elements are Half, float, double or 8- to 64-bit integers here, not {typeof(T).Name}.");

    /// <summary>Reads a whole (small) array, converting its elements to <typeparamref name="T"/>: any stored type
    /// into a floating-point <typeparamref name="T"/> (rounded once), and integer files into an integer
    /// <typeparamref name="T"/> (checked: a value that does not fit is an error).</summary>
    /// <typeparam name="T">Half, float, double, or an integer type of 8 to 64 bits.</typeparam>
    /// <param name="path">The .npy file.</param>
    /// <param name="info">Receives the header.</param>
    /// <exception cref="NpyFormatException">The file is not a .npy file Rectifier can read, is too large for one array,
    /// or holds floating-point values and <typeparamref name="T"/> is an integer type, or a value that does not fit.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no .npy element type here.</exception>
    public static T[] ReadAll<T>(string path, out NpyArrayInfo info) where T : unmanaged, INumberBase<T>
    {
        NpyDataType wanted = DataTypeOf<T>();
        using NpyReader reader = NpyReader.Open(path);
        info = reader.Info;
        string name = System.IO.Path.GetFileName(path);
        if (info.Count > Array.MaxLength / 8)
        {
            throw NpyArrayInfo.Bad(name, $"{info.Count} elements are too many to load at once");
        }
        bool wantFloat = wanted is NpyDataType.Float16 or NpyDataType.Float32 or NpyDataType.Float64;
        if (!wantFloat && info.IsFloatingPoint)
        {
            throw NpyArrayInfo.Bad(name, $"holds {info.Descr} floating-point values, not the integers asked for ({typeof(T).Name})");
        }
        int n = (int)info.Count;
        try
        {
            return info.DataType switch
            {
                NpyDataType.Float16 => Convert<Half, T>(reader, n),
                NpyDataType.Float32 => Convert<float, T>(reader, n),
                NpyDataType.Float64 => Convert<double, T>(reader, n),
                NpyDataType.Int8 => Convert<sbyte, T>(reader, n),
                NpyDataType.UInt8 => Convert<byte, T>(reader, n),
                NpyDataType.Int16 => Convert<short, T>(reader, n),
                NpyDataType.UInt16 => Convert<ushort, T>(reader, n),
                NpyDataType.Int32 => Convert<int, T>(reader, n),
                NpyDataType.UInt32 => Convert<uint, T>(reader, n),
                NpyDataType.Int64 => Convert<long, T>(reader, n),
                _ => Convert<ulong, T>(reader, n),
            };
        }
        catch (OverflowException)
        {
            throw NpyArrayInfo.Bad(name, $"holds a value that does not fit in {typeof(T).Name}");
        }
    }

    /// <summary>Writes a whole array.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="path">The file to write.</param>
    /// <param name="data">The elements, C order.</param>
    /// <param name="shape">The dimensions (their product must equal the length of <paramref name="data"/>).</param>
    public static void WriteAll<T>(string path, ReadOnlySpan<T> data, ReadOnlySpan<nint> shape) where T : unmanaged
    {
        long count = 1;
        foreach (nint d in shape)
        {
            count *= d;
        }
        if (count != data.Length)
        {
            throw new ArgumentException($"Shape holds {count} elements but data has {data.Length}.", nameof(shape));
        }
        using NpyWriter writer = NpyWriter.Create(path, DataTypeOf<T>(), shape);
        writer.Write(0, data);
    }

    private static TTo[] Convert<TFrom, TTo>(NpyReader reader, int n) where TFrom : unmanaged, INumberBase<TFrom> where TTo : INumberBase<TTo>
    {
        var stored = new TFrom[n];
        reader.Read<TFrom>(0, stored);
        if (typeof(TFrom) == typeof(TTo))
        {
            return (TTo[])(object)stored;
        }
        var result = new TTo[n];
        bool toFloat = typeof(TTo) == typeof(Half) || typeof(TTo) == typeof(float) || typeof(TTo) == typeof(double);
        for (int i = 0; i < n; i++)
        {
            // Floating-point targets: converted directly, rounded once. Integer targets: checked.
            result[i] = toFloat ? TTo.CreateTruncating(stored[i]) : TTo.CreateChecked(stored[i]);
        }
        return result;
    }

    internal static void CheckType<T>(NpyDataType type, string paramName)
    {
        if (DataTypeOf<T>() != type)
        {
            throw new ArgumentException($"The file holds {type}, not {typeof(T).Name}.", paramName);
        }
    }

    internal static void SwapBytes(Span<byte> bytes, int itemSize)
    {
        switch (itemSize)
        {
            case 1:
                break;
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            default:
                var u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
