using System.Buffers.Binary;
using System.IO.Compression;

namespace Rectifier.Training;

/// <summary>A file that is not a readable IDX array; the message names the file and what is wrong.</summary>
internal sealed class IdxFormatException(string message) : IOException(message);

/// <summary>An IDX array (the format of MNIST and Fashion-MNIST): its dimensions and its elements widened to float.</summary>
internal sealed record IdxArray(int[] Dimensions, float[] Values)
{
    public long Count => Values.LongLength;
}

/// <summary>Reads IDX files (LeCun's MNIST format): two zero bytes, an element-type code (0x08 unsigned byte, 0x09
/// signed byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, then each dimension as
/// a 32-bit integer and the elements in C order. The format is big-endian; files written little-endian by other tools
/// are read too, the byte order being the one under which the dimensions account for exactly the bytes that follow.
/// A gzip file (recognised by its first two bytes, whatever its name) is decompressed first.</summary>
internal static class Idx
{
    /// <summary>Reads a whole IDX file.</summary>
    /// <exception cref="IdxFormatException">The file is not IDX, is truncated or has bytes left over.</exception>
    public static IdxArray Read(string path)
    {
        byte[] bytes = ReadBytes(path);
        return Parse(bytes, Path.GetFileName(path));
    }

    private static byte[] ReadBytes(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
        {
            return raw;
        }
        string name = Path.GetFileName(path);
        byte[] data;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            data = memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException($"{name}: the gzip stream is damaged or truncated ({e.Message.TrimEnd('.')}).");
        }
        // The last four bytes of a gzip member are the uncompressed length mod 2^32: a cut file ends elsewhere.
        if (raw.Length < 18 || BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4)) != (uint)data.Length)
        {
            throw new IdxFormatException($"{name}: the gzip stream is damaged or truncated (it ends before its stated length).");
        }
        return data;
    }

    /// <summary>Parses the bytes of an IDX file; <paramref name="name"/> prefixes every error.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new IdxFormatException($"{name}: not an IDX file (it must start with two zero bytes, a type code and a dimension count).");
        }
        int size = bytes[2] switch
        {
            0x08 or 0x09 => 1,
            0x0B => 2,
            0x0C or 0x0D => 4,
            0x0E => 8,
            _ => throw new IdxFormatException($"{name}: unknown IDX element type 0x{bytes[2]:X2} (0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)."),
        };
        int rank = bytes[3];
        if (rank == 0)
        {
            throw new IdxFormatException($"{name}: an IDX array needs at least one dimension.");
        }
        int headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
        {
            throw new IdxFormatException($"{name}: truncated: the header names {rank} dimensions but the file has {bytes.Length} bytes.");
        }
        long payload = bytes.Length - headerLength;
        long? bigCount = Product(bytes, rank, bigEndian: true), littleCount = Product(bytes, rank, bigEndian: false);
        bool big;
        if (bigCount is long b && b * size == payload)
        {
            big = true;
        }
        else if (littleCount is long l && l * size == payload)
        {
            big = false;
        }
        else
        {
            long expected = (bigCount ?? littleCount ?? -1) * size;
            throw expected > payload || expected < 0
                ? new IdxFormatException($"{name}: truncated: the dimensions [{string.Join(", ", Dimensions(bytes, rank, bigCount is not null))}] need {(expected < 0 ? "more than 2^31" : expected.ToString(System.Globalization.CultureInfo.InvariantCulture))} bytes of data, the file has {payload}.")
                : new IdxFormatException($"{name}: {payload - expected} bytes after the last element of [{string.Join(", ", Dimensions(bytes, rank, true))}].");
        }
        int[] dims = Dimensions(bytes, rank, big);
        long count = payload / size;
        if (count > Array.MaxLength)
        {
            throw new IdxFormatException($"{name}: {count} elements are more than one array can hold.");
        }
        ReadOnlySpan<byte> data = bytes[headerLength..];
        var values = new float[count];
        byte type = bytes[2];
        if (type == 0x08)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = data[i];
            }
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Element(data.Slice(i * size, size), type, big);
            }
        }
        return new IdxArray(dims, values);
    }

    /// <summary>One element of a multi-byte or signed type, widened to float.</summary>
    private static float Element(ReadOnlySpan<byte> e, byte type, bool big) => type switch
    {
        0x09 => (sbyte)e[0],
        0x0B => big ? BinaryPrimitives.ReadInt16BigEndian(e) : BinaryPrimitives.ReadInt16LittleEndian(e),
        0x0C => big ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e),
        0x0D => big ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
        _ => (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e)),
    };

    /// <summary>The element count the dimensions name in one byte order; null when it overflows a long or a
    /// dimension does not fit an int.</summary>
    private static long? Product(ReadOnlySpan<byte> bytes, int rank, bool bigEndian)
    {
        long product = 1;
        for (int d = 0; d < rank; d++)
        {
            uint v = Dimension(bytes, d, bigEndian);
            if (v > int.MaxValue)
            {
                return null;
            }
            product *= v;
            if (product > (1L << 40))
            {
                return null;
            }
        }
        return product;
    }

    private static uint Dimension(ReadOnlySpan<byte> bytes, int d, bool bigEndian)
    {
        ReadOnlySpan<byte> field = bytes.Slice(4 + 4 * d, 4);
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(field) : BinaryPrimitives.ReadUInt32LittleEndian(field);
    }

    private static int[] Dimensions(ReadOnlySpan<byte> bytes, int rank, bool bigEndian)
    {
        var dims = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            dims[d] = (int)Math.Min(int.MaxValue, Dimension(bytes, d, bigEndian));
        }
        return dims;
    }
}
