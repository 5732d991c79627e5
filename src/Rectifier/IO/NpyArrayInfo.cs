using System.Globalization;
using System.Text;

namespace Rectifier.IO;

/// <summary>The element types Rectifier reads and writes in .npy files.</summary>
public enum NpyDataType
{
    /// <summary>IEEE binary16 (<c>f2</c>).</summary>
    Float16,

    /// <summary>IEEE binary32 (<c>f4</c>).</summary>
    Float32,

    /// <summary>IEEE binary64 (<c>f8</c>).</summary>
    Float64,

    /// <summary>Signed 8-bit integers (<c>i1</c>): read only, e.g. class labels.</summary>
    Int8,

    /// <summary>Unsigned 8-bit integers (<c>u1</c>): read only.</summary>
    UInt8,

    /// <summary>Signed 16-bit integers (<c>i2</c>): read only.</summary>
    Int16,

    /// <summary>Unsigned 16-bit integers (<c>u2</c>): read only.</summary>
    UInt16,

    /// <summary>Signed 32-bit integers (<c>i4</c>): read only.</summary>
    Int32,

    /// <summary>Unsigned 32-bit integers (<c>u4</c>): read only.</summary>
    UInt32,

    /// <summary>Signed 64-bit integers (<c>i8</c>, what NumPy writes for class numbers): read only.</summary>
    Int64,

    /// <summary>Unsigned 64-bit integers (<c>u8</c>): read only.</summary>
    UInt64,
}

/// <summary>A .npy file that cannot be read: the message names the file and the problem.</summary>
public sealed class NpyFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NpyFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public NpyFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public NpyFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>The header of a .npy file (format versions 1.0, 2.0 and 3.0): element type, byte order, memory order,
/// shape and where the data starts.</summary>
/// <param name="DataType">The element type.</param>
/// <param name="BigEndian">True when the data is stored big-endian (<c>&gt;f4</c>); readers convert it.</param>
/// <param name="FortranOrder">True for column-major data.</param>
/// <param name="Shape">The dimensions (empty for a 0-d array).</param>
/// <param name="DataOffset">Byte offset of the first element.</param>
public sealed record NpyArrayInfo(NpyDataType DataType, bool BigEndian, bool FortranOrder, nint[] Shape, long DataOffset)
{
    /// <summary>Headers longer than this are refused (NumPy writes a few hundred bytes; the cap keeps a lying
    /// header-length field from allocating gigabytes).</summary>
    public const int MaxHeaderLength = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Bytes per element.</summary>
    public int ItemSize => SizeOf(DataType);

    /// <summary>The number of elements (the product of the shape; 1 for a 0-d array).</summary>
    public long Count => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The NumPy dtype string (<c>&lt;f4</c>, <c>&gt;f8</c>, <c>|u1</c>, …).</summary>
    public string Descr => (ItemSize == 1 ? "|" : BigEndian ? ">" : "<") + KindLetter(DataType) + ItemSize.ToString(CultureInfo.InvariantCulture);

    /// <summary>True for the floating-point types the activations take (float16, float32, float64).</summary>
    public bool IsFloatingPoint => DataType is NpyDataType.Float16 or NpyDataType.Float32 or NpyDataType.Float64;

    /// <summary>The shape as NumPy prints it: <c>(2, 3)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    public string ShapeText => FormatShape(Shape);

    internal static string FormatShape(ReadOnlySpan<nint> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }
        return parts.Length == 1 ? "(" + parts[0] + ",)" : "(" + string.Join(", ", parts) + ")";
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    /// <param name="type">The element type.</param>
    public static int SizeOf(NpyDataType type) => type switch
    {
        NpyDataType.Int8 or NpyDataType.UInt8 => 1,
        NpyDataType.Float16 or NpyDataType.Int16 or NpyDataType.UInt16 => 2,
        NpyDataType.Float32 or NpyDataType.Int32 or NpyDataType.UInt32 => 4,
        _ => 8,
    };

    private static char KindLetter(NpyDataType type) => type switch
    {
        NpyDataType.Float16 or NpyDataType.Float32 or NpyDataType.Float64 => 'f',
        NpyDataType.Int8 or NpyDataType.Int16 or NpyDataType.Int32 or NpyDataType.Int64 => 'i',
        _ => 'u',
    };

    private static readonly Dictionary<string, NpyDataType> Kinds = new(StringComparer.Ordinal)
    {
        ["f2"] = NpyDataType.Float16, ["f4"] = NpyDataType.Float32, ["f8"] = NpyDataType.Float64,
        ["i1"] = NpyDataType.Int8, ["u1"] = NpyDataType.UInt8, ["i2"] = NpyDataType.Int16, ["u2"] = NpyDataType.UInt16,
        ["i4"] = NpyDataType.Int32, ["u4"] = NpyDataType.UInt32, ["i8"] = NpyDataType.Int64, ["u8"] = NpyDataType.UInt64,
    };

    /// <summary>Reads and validates the header of <paramref name="stream"/> (positioned at its start) and checks the
    /// data length against the stream's length. Nothing past the header is read.</summary>
    /// <param name="stream">A readable, seekable stream.</param>
    /// <param name="fileName">The name used in error messages.</param>
    /// <exception cref="NpyFormatException">The file is not a .npy file Rectifier can read; the message says why.</exception>
    public static NpyArrayInfo Read(Stream stream, string fileName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[12];
        int got = ReadFully(stream, prefix);
        if (got < 8 || !prefix[..6].SequenceEqual(Magic))
        {
            throw Bad(fileName, got < 6 ? "too short to be a .npy file" : "not a .npy file (the magic string \\x93NUMPY is missing)");
        }
        byte major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
        {
            throw Bad(fileName, $"unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are supported)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        if (got < 8 + lengthBytes)
        {
            throw Bad(fileName, "truncated before the header length");
        }
        long headerLength = lengthBytes == 2
            ? prefix[8] | (prefix[9] << 8)
            : (uint)(prefix[8] | (prefix[9] << 8) | (prefix[10] << 16) | (prefix[11] << 24));
        long headerStart = 8 + lengthBytes;
        if (headerLength > MaxHeaderLength)
        {
            throw Bad(fileName, $"the header claims {headerLength} bytes, more than the {MaxHeaderLength} allowed");
        }
        if (stream.Length < headerStart + headerLength)
        {
            throw Bad(fileName, $"the header claims {headerLength} bytes but the file ends after {Math.Max(0, stream.Length - headerStart)}");
        }
        var header = new byte[headerLength];
        stream.Position = headerStart;
        if (ReadFully(stream, header) != header.Length)
        {
            throw Bad(fileName, "truncated inside the header");
        }
        string text;
        try
        {
            text = major == 3
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(header)
                : Encoding.ASCII.GetString(header);
        }
        catch (DecoderFallbackException)
        {
            throw Bad(fileName, "the header is not valid UTF-8");
        }
        if (major < 3 && header.Any(b => b > 127))
        {
            throw Bad(fileName, $"the header contains non-ASCII bytes (allowed only in format 3.0)");
        }
        var dict = HeaderParser.Parse(text, fileName);
        NpyArrayInfo info = Interpret(dict, headerStart + headerLength, fileName);
        long expected = info.Count * info.ItemSize;
        long available = stream.Length - info.DataOffset;
        if (available != expected)
        {
            throw Bad(fileName, $"shape {info.ShapeText} of {info.Descr} needs {expected} bytes of data but the file has {available}");
        }
        return info;
    }

    private static NpyArrayInfo Interpret(Dictionary<string, object> dict, long dataOffset, string fileName)
    {
        foreach (string key in new[] { "descr", "fortran_order", "shape" })
        {
            if (!dict.ContainsKey(key))
            {
                throw Bad(fileName, $"the header has no '{key}' key");
            }
        }
        if (dict.Count != 3)
        {
            throw Bad(fileName, $"the header has unexpected keys: {string.Join(", ", dict.Keys.Where(k => k is not ("descr" or "fortran_order" or "shape")).Select(k => "'" + k + "'"))}");
        }
        if (dict["descr"] is not string descr)
        {
            throw Bad(fileName, "'descr' is not a dtype string (structured and object arrays are not supported)");
        }
        if (descr.Length != 3 || descr[0] is not ('<' or '>' or '=' or '|') || !Kinds.TryGetValue(descr[1..], out NpyDataType type)
            || (descr[0] == '|' && SizeOf(type) != 1))
        {
            throw Bad(fileName, descr.Contains('O', StringComparison.Ordinal)
                ? $"dtype '{descr}' is an object (pickled) array, which is never loaded"
                : $"dtype '{descr}' is not supported (use float16, float32 or float64: <f2, <f4, <f8; integer files are read as labels)");
        }
        bool bigEndian = descr[0] == '>' && SizeOf(type) > 1;
        if (dict["fortran_order"] is not bool fortran)
        {
            throw Bad(fileName, "'fortran_order' must be True or False");
        }
        if (dict["shape"] is not List<long> dims)
        {
            throw Bad(fileName, "'shape' must be a tuple of integers");
        }
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw Bad(fileName, $"'shape' has a negative dimension ({d})");
            }
            try
            {
                count = checked(count * d);
                _ = checked(count * 8);
            }
            catch (OverflowException)
            {
                throw Bad(fileName, "'shape' describes more elements than can be addressed");
            }
        }
        return new NpyArrayInfo(type, bigEndian, fortran, [.. dims.Select(d => checked((nint)d))], dataOffset);
    }

    /// <summary>The header bytes of a file holding this array (little-endian, format 1.0 or 2.0 if the header needs
    /// it, padded so that the data starts on a 64-byte boundary).</summary>
    /// <param name="dataType">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="fortranOrder">Whether the data is column-major.</param>
    public static byte[] CreateHeader(NpyDataType dataType, ReadOnlySpan<nint> shape, bool fortranOrder = false)
    {
        string descr = new NpyArrayInfo(dataType, false, fortranOrder, [], 0).Descr;
        string shapeText = FormatShape(shape);
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";
        int version = dict.Length + 1 + 10 > 65535 ? 2 : 1;
        int prefix = version == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string padded = dict + new string(' ', total - prefix - dict.Length - 1) + "\n";
        var bytes = new byte[total];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)version;
        bytes[7] = 0;
        int length = padded.Length;
        if (version == 1)
        {
            bytes[8] = (byte)length;
            bytes[9] = (byte)(length >> 8);
        }
        else
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), length);
        }
        Encoding.ASCII.GetBytes(padded, bytes.AsSpan(prefix));
        return bytes;
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    internal static NpyFormatException Bad(string fileName, string problem) => new($"{fileName}: {problem}.");
}
