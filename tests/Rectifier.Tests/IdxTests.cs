using System.Buffers.Binary;
using System.IO.Compression;
using Rectifier.Training;

namespace Rectifier.Tests;

/// <summary>The IDX reader and the Fashion-MNIST loader, on small files the tests write themselves (no data set
/// package needed): both byte orders, every element type, gzip by content, and every way a file can be wrong.</summary>
public sealed class IdxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("rectifier-idx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>An IDX file: header with <paramref name="dims"/> in the given byte order, then <paramref name="payload"/>.</summary>
    internal static byte[] Idx(byte type, int[] dims, byte[] payload, bool bigEndian = true)
    {
        var bytes = new byte[4 + 4 * dims.Length + payload.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
        {
            Span<byte> field = bytes.AsSpan(4 + 4 * d, 4);
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt32BigEndian(field, dims[d]);
            }
            else
            {
                BinaryPrimitives.WriteInt32LittleEndian(field, dims[d]);
            }
        }
        payload.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }
        return memory.ToArray();
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Unsigned_bytes_read_in_C_order_with_their_dimensions()
    {
        byte[] pixels = [.. Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10))];
        IdxArray a = Training.Idx.Read(Write("images", Idx(0x08, [2, 3, 4], pixels)));
        Assert.Equal([2, 3, 4], a.Dimensions);
        Assert.Equal(pixels.Select(p => (float)p), a.Values);
    }

    [Fact]
    public void A_little_endian_header_is_read_as_well_as_a_big_endian_one()
    {
        byte[] pixels = [.. Enumerable.Range(0, 5 * 7).Select(i => (byte)i)];
        IdxArray big = Training.Idx.Read(Write("big", Idx(0x08, [5, 7], pixels)));
        IdxArray little = Training.Idx.Read(Write("little", Idx(0x08, [5, 7], pixels, bigEndian: false)));
        Assert.Equal([5, 7], little.Dimensions);
        Assert.Equal(big.Values, little.Values);
    }

    [Fact]
    public void Every_element_type_is_widened_to_float_in_either_byte_order()
    {
        foreach (bool bigEndian in new[] { true, false })
        {
            var s16 = new byte[6];
            var s32 = new byte[12];
            var f32 = new byte[12];
            var f64 = new byte[24];
            short[] shorts = [-300, 0, 12345];
            int[] ints = [-70000, 1, 1 << 20];
            float[] floats = [-1.5f, 0.25f, 3e10f];
            double[] doubles = [-2.5, 1e-3, 7];
            for (int i = 0; i < 3; i++)
            {
                if (bigEndian)
                {
                    BinaryPrimitives.WriteInt16BigEndian(s16.AsSpan(2 * i), shorts[i]);
                    BinaryPrimitives.WriteInt32BigEndian(s32.AsSpan(4 * i), ints[i]);
                    BinaryPrimitives.WriteSingleBigEndian(f32.AsSpan(4 * i), floats[i]);
                    BinaryPrimitives.WriteDoubleBigEndian(f64.AsSpan(8 * i), doubles[i]);
                }
                else
                {
                    BinaryPrimitives.WriteInt16LittleEndian(s16.AsSpan(2 * i), shorts[i]);
                    BinaryPrimitives.WriteInt32LittleEndian(s32.AsSpan(4 * i), ints[i]);
                    BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4 * i), floats[i]);
                    BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8 * i), doubles[i]);
                }
            }
            Assert.Equal(new float[] { -1, 127, -128 }, Training.Idx.Read(Write("s8", Idx(0x09, [3], [0xFF, 0x7F, 0x80], bigEndian))).Values);
            Assert.Equal(shorts.Select(v => (float)v), Training.Idx.Read(Write("s16", Idx(0x0B, [3], s16, bigEndian))).Values);
            Assert.Equal(ints.Select(v => (float)v), Training.Idx.Read(Write("s32", Idx(0x0C, [3], s32, bigEndian))).Values);
            Assert.Equal(floats, Training.Idx.Read(Write("f32", Idx(0x0D, [3], f32, bigEndian))).Values);
            Assert.Equal(doubles.Select(v => (float)v), Training.Idx.Read(Write("f64", Idx(0x0E, [3], f64, bigEndian))).Values);
        }
    }

    [Fact]
    public void A_gzip_file_is_recognised_by_its_content_whatever_its_name()
    {
        byte[] labels = [3, 1, 4, 1, 5];
        IdxArray a = Training.Idx.Read(Write("labels-without-gz-suffix", Gzip(Idx(0x08, [5], labels))));
        Assert.Equal([5], a.Dimensions);
        Assert.Equal(labels.Select(v => (float)v), a.Values);
    }

    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty", [], "not an IDX file" },
        { "wrong magic", [0x1F, 0x00, 0x08, 0x01, 0, 0, 0, 1, 7], "not an IDX file" },
        { "wrong type", Idx(0x07, [1], [1]), "unknown IDX element type 0x07" },
        { "no dimensions", [0, 0, 0x08, 0], "at least one dimension" },
        { "truncated header", [0, 0, 0x08, 3, 0, 0, 0, 2], "truncated: the header names 3 dimensions but the file has 8 bytes" },
        { "truncated data", Idx(0x08, [4, 5], new byte[19]), "truncated: the dimensions [4, 5] need 20 bytes of data, the file has 19" },
        { "truncated floats", Idx(0x0D, [3], new byte[11]), "need 12 bytes of data, the file has 11" },
        { "bytes left over", Idx(0x08, [2, 2], new byte[6]), "2 bytes after the last element of [2, 2]" },
        { "damaged gzip", [.. Gzip(Idx(0x08, [100], new byte[100]))[..20]], "the gzip stream is damaged or truncated" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_a_clear_error_naming_it(string name, byte[] bytes, string message)
    {
        string path = Write(name.Replace(' ', '-'), bytes);
        var e = Assert.Throws<IdxFormatException>(() => Training.Idx.Read(path));
        Assert.StartsWith(Path.GetFileName(path) + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    /// <summary>Writes a Fashion-MNIST folder of <paramref name="train"/> and <paramref name="test"/> images of
    /// <paramref name="side"/>×<paramref name="side"/> (pixel i of image r is (r + 3i) mod 256, label r mod 10): the
    /// training files gzipped, the test files not.</summary>
    internal static void WriteFashionMnist(string folder, int train, int test, int side = 28)
    {
        foreach (var (stem, rows, gzip) in new[] { ("train", train, true), ("t10k", test, false) })
        {
            byte[] pixels = [.. Enumerable.Range(0, rows).SelectMany(r => Enumerable.Range(0, side * side).Select(i => (byte)((r + 3 * i) % 256)))];
            byte[] labels = [.. Enumerable.Range(0, rows).Select(r => (byte)(r % 10))];
            byte[] images = Idx(0x08, [rows, side, side], pixels), labelFile = Idx(0x08, [rows], labels);
            File.WriteAllBytes(Path.Combine(folder, $"{stem}-images-idx3-ubyte" + (gzip ? ".gz" : "")), gzip ? Gzip(images) : images);
            File.WriteAllBytes(Path.Combine(folder, $"{stem}-labels-idx1-ubyte" + (gzip ? ".gz" : "")), gzip ? Gzip(labelFile) : labelFile);
        }
    }

    [Fact]
    public void Fashion_MNIST_loads_its_own_training_and_test_parts_scaled_to_0_1()
    {
        WriteFashionMnist(_folder, train: 12, test: 5);
        Dataset data = Dataset.FashionMnist(_folder);
        Assert.Equal((12, 784, 10), (data.Rows, data.Columns, data.Classes));
        Assert.NotNull(data.Test);
        Assert.Equal((5, 784, 10), (data.Test.Rows, data.Test.Columns, data.Test.Classes));
        Assert.Equal(Enumerable.Range(0, 12).Select(r => r % 10), data.Labels);
        Assert.Equal((7 + 3 * 100) % 256 / 255f, data.Features[7 * 784 + 100]);
        Assert.Equal((4 + 3 * 783) % 256 / 255f, data.Test.Features[4 * 784 + 783]);
        var (train, test) = data.TrainTest();
        Assert.Equal((12, 5), (train.Rows, test.Rows));
        Dataset part = data.Subset(8, seed: 1);
        Assert.Equal(8, part.Rows);
        Assert.Same(data.Test, part.Test);
        Assert.All(Enumerable.Range(0, 8), i => Assert.Equal(part.Labels[i], (int)Math.Round(part.Features[i * 784] * 255) % 10));
    }

    [Fact]
    public void A_missing_data_set_names_the_file_and_how_to_get_it()
    {
        string missing = Path.Combine(_folder, "nowhere");
        var e = Assert.Throws<DataSetMissingException>(() => Dataset.FashionMnist(null, missing));
        Assert.Contains($"train-images-idx3-ubyte(.gz) is not in {missing}", e.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<DataSetMissingException>(() => Dataset.FashionMnist(missing));
        Assert.Contains("t10k-labels-idx1-ubyte", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("apt-get", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_that_do_not_match_the_images_are_refused()
    {
        WriteFashionMnist(_folder, train: 6, test: 3);
        File.WriteAllBytes(Path.Combine(_folder, "t10k-labels-idx1-ubyte"), Idx(0x08, [4], [1, 2, 3, 4]));
        var e = Assert.Throws<IdxFormatException>(() => Dataset.FashionMnist(_folder));
        Assert.Contains("one per image (3), got [4]", e.Message, StringComparison.Ordinal);
    }
}
