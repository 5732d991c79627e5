using System.Globalization;
using System.Numerics;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>The .npy reader and writer against files NumPy wrote (scripts/make_npy_fixtures.py).</summary>
public sealed class NpyTests
{
    internal static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Npy", name);

    public static TheoryData<string> Fixtures => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Npy"), "*.expected.txt")
        .Select(p => Path.GetFileName(p).Replace(".expected.txt", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static (string Descr, nint[] Shape, bool Fortran, double[] Values) Expected(string name)
    {
        string[] lines = File.ReadAllLines(Fixture(name + ".expected.txt"));
        string[] head = lines[0].Split(' ');
        nint[] shape = head[1].Length == 0 ? [] : [.. head[1].Split(',').Select(s => nint.Parse(s, CultureInfo.InvariantCulture))];
        double[] values = [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => BitConverter.UInt64BitsToDouble(ulong.Parse(l, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];
        return (head[0], shape, head[2] == "True", values);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_NumPy_fixture_reads_back_its_dtype_shape_order_and_values(string name)
    {
        var (descr, shape, fortran, values) = Expected(name);
        using NpyReader reader = NpyReader.Open(Fixture(name + ".npy"));
        NpyArrayInfo info = reader.Info;
        Assert.Equal(descr, info.Descr);
        Assert.Equal(shape, info.Shape);
        Assert.Equal(fortran, info.FortranOrder);
        Assert.Equal(values.Length, info.Count);
        double[] got = info.DataType switch
        {
            NpyDataType.Float16 => Read<Half>(reader).Select(h => (double)h).ToArray(),
            NpyDataType.Float32 => Read<float>(reader).Select(f => (double)f).ToArray(),
            _ => Read<double>(reader),
        };
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(BitConverter.DoubleToUInt64Bits(got[i]) == BitConverter.DoubleToUInt64Bits(values[i]) || (double.IsNaN(got[i]) && double.IsNaN(values[i])),
                $"{name}[{i}] = {got[i]}, NumPy wrote {values[i]}");
        }
    }

    private static T[] Read<T>(NpyReader reader) where T : unmanaged
    {
        var data = new T[reader.Info.Count];
        reader.Read<T>(0, data);
        return data;
    }

    [Theory]
    [InlineData("f2_le_2x3x4")]
    [InlineData("f4_le_2x3x4")]
    [InlineData("f8_le_2x3x4")]
    [InlineData("f4_scalar")]
    [InlineData("f4_empty_0x3")]
    [InlineData("f8_empty_1d")]
    [InlineData("f2_rank4_2x3x2x2")]
    public void Writing_what_was_read_gives_the_bytes_NumPy_wrote(string name)
    {
        string source = Fixture(name + ".npy");
        string copy = Path.Combine(Path.GetTempPath(), $"rectifier-npy-{Guid.NewGuid():N}.npy");
        try
        {
            using (NpyReader reader = NpyReader.Open(source))
            {
                switch (reader.Info.DataType)
                {
                    case NpyDataType.Float16: Npy.WriteAll<Half>(copy, Read<Half>(reader), reader.Info.Shape); break;
                    case NpyDataType.Float32: Npy.WriteAll<float>(copy, Read<float>(reader), reader.Info.Shape); break;
                    default: Npy.WriteAll<double>(copy, Read<double>(reader), reader.Info.Shape); break;
                }
            }
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void Big_endian_files_read_the_same_values_as_little_endian_ones()
    {
        foreach (string code in new[] { "f2", "f4", "f8" })
        {
            double[] le = Expected($"{code}_le_2x3x4").Values, be = Expected($"{code}_be_2x3x4").Values;
            Assert.Equal(le.Select(BitConverter.DoubleToUInt64Bits), be.Select(BitConverter.DoubleToUInt64Bits));
            using NpyReader reader = NpyReader.Open(Fixture($"{code}_be_2x3x4.npy"));
            Assert.True(reader.Info.BigEndian);
            // The data themselves, read from the big-endian file, against the little-endian file's values.
            double[] read = [.. Npy.ReadAll<double>(Fixture($"{code}_be_2x3x4.npy"), out _)];
            Assert.Equal(le.Select(BitConverter.DoubleToUInt64Bits), read.Select(BitConverter.DoubleToUInt64Bits));
        }
    }

    /// <summary>A big-endian file written here byte by byte (header '&gt;f2'/'&gt;f4'/'&gt;f8', each value's bytes
    /// reversed by hand), read back through the reader in pieces and whole, and applied by the command: the values
    /// come back exactly, specials and subnormals included.</summary>
    [Fact]
    public void A_big_endian_file_written_by_hand_reads_back_its_values_and_streams_through_the_command()
    {
        string dir = Directory.CreateTempSubdirectory("rectifier-be-").FullName;
        try
        {
            double[] values = [1.5, -2.25, 0.0, -0.0, 65504, -6.103515625e-05, 5.9604644775390625e-08, double.PositiveInfinity, double.NegativeInfinity, 0.333251953125, -3, 7.5];
            BigEndianRoundTrip<Half>(dir, "f2", values, v => BitConverter.GetBytes((Half)v));
            BigEndianRoundTrip<float>(dir, "f4", values, v => BitConverter.GetBytes((float)v));
            BigEndianRoundTrip<double>(dir, "f8", values, BitConverter.GetBytes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void BigEndianRoundTrip<T>(string dir, string code, double[] values, Func<double, byte[]> littleEndianBytes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string header = $"{{'descr': '>{code}', 'fortran_order': False, 'shape': ({values.Length},), }}";
        int total = (10 + header.Length + 1 + 63) / 64 * 64;
        header = header.PadRight(total - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8) };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (double v in values)
        {
            byte[] le = littleEndianBytes(v);
            Array.Reverse(le);
            bytes.AddRange(le);
        }
        string path = Path.Combine(dir, $"be_{code}.npy");
        File.WriteAllBytes(path, [.. bytes]);

        T[] expected = [.. values.Select(v => T.CreateTruncating(v))];
        T[] whole = Npy.ReadAll<T>(path, out NpyArrayInfo info);
        Assert.True(info.BigEndian);
        Harness.AssertElements<T>(whole, i => expected[i], $"big-endian {code} read whole");
        using (NpyReader reader = NpyReader.Open(path))
        {
            var piece = new T[5];
            reader.Read<T>(3, piece);
            Harness.AssertElements<T>(piece, i => expected[3 + i], $"big-endian {code} read from element 3");
        }
        string output = Path.Combine(dir, $"be_{code}.relu.npy");
        var run = CliTests.Run("apply", "relu", path, output);
        Assert.True(run.Code == 0, run.Err);
        T[] y = Npy.ReadAll<T>(output, out _);
        Harness.AssertElements<T>(y, i => T.IsNegative(expected[i]) && !T.IsZero(expected[i]) ? T.Zero : expected[i], $"relu of a big-endian {code} file");
    }

    [Fact]
    public void A_long_header_is_written_as_format_2()
    {
        nint[] shape = [.. Enumerable.Repeat((nint)1, 30000)];
        byte[] header = NpyArrayInfo.CreateHeader(NpyDataType.Float32, shape);
        Assert.Equal(2, header[6]);
        Assert.Equal(0, header.Length % 64);
        using var stream = new MemoryStream([.. header, 0, 0, 0, 0]);
        NpyArrayInfo info = NpyArrayInfo.Read(stream, "long.npy");
        Assert.Equal(30000, info.Shape.Length);
        Assert.Equal(1, info.Count);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", "dtype '<c8' is not supported" },
        { "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "object (pickled) array" },
        { "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured and object arrays" },
        { "{'descr': '<f4', 'shape': (2,), }", "no 'fortran_order' key" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "negative dimension" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", "more elements than can be addressed" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "needs 12 bytes of data but the file has 8" },
        { "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "the value of 'fortran_order' is not a string, a boolean or a tuple" },
        { "{'descr': '<f4', 'fortran_order': 'no', 'shape': (2,), }", "'fortran_order' must be True or False" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "is not a string, a boolean or a tuple" },
        { "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", "appears twice" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "not closed" },
        { "['descr', '<f4']", "is not a dictionary" },
        { "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", "unexpected text after" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_header_names_the_file_and_the_problem(string dict, string problem)
    {
        byte[] bytes = Build(dict, dataBytes: 8);
        var e = Assert.Throws<NpyFormatException>(() => NpyArrayInfo.Read(new MemoryStream(bytes), "bad.npy"));
        Assert.StartsWith("bad.npy: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_versions_truncation_and_lying_lengths_are_refused()
    {
        byte[] good = Build("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8);
        Assert.Contains("magic", Read(good.Select((b, i) => i == 1 ? (byte)'X' : b).ToArray()), StringComparison.Ordinal);
        Assert.Contains("version 4.0", Read(good.Select((b, i) => i == 6 ? (byte)4 : b).ToArray()), StringComparison.Ordinal);
        Assert.Contains("too short", Read(good[..4]), StringComparison.Ordinal);
        Assert.Contains("the file ends after", Read(good[..20]), StringComparison.Ordinal);
        byte[] lying = (byte[])good.Clone();
        lying[8] = 0xFF;
        lying[9] = 0xFF;
        Assert.Contains("claims 65535 bytes", Read(lying), StringComparison.Ordinal);
        byte[] v2 = [.. good[..6], 2, 0, 0xFF, 0xFF, 0xFF, 0x7F, .. good[10..]];
        Assert.Contains("more than the", Read(v2), StringComparison.Ordinal);
        byte[] nonAscii = (byte[])good.Clone();
        nonAscii[20] = 0xE9;
        Assert.Contains("non-ASCII", Read(nonAscii), StringComparison.Ordinal);

        static string Read(byte[] bytes) => Assert.Throws<NpyFormatException>(() => NpyArrayInfo.Read(new MemoryStream(bytes), "f.npy")).Message;
    }

    /// <summary>A version-1.0 file with <paramref name="dict"/> as its header and <paramref name="dataBytes"/> of data.</summary>
    internal static byte[] Build(string dict, int dataBytes, int version = 1)
    {
        string header = dict + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        if (version == 1)
        {
            bytes.Add((byte)header.Length);
            bytes.Add((byte)(header.Length >> 8));
        }
        else
        {
            bytes.AddRange(BitConverter.GetBytes(header.Length));
        }
        bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(header));
        bytes.AddRange(new byte[dataBytes]);
        return [.. bytes];
    }
}
