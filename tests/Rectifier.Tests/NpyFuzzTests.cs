using System.Text;

namespace Rectifier.Tests;

/// <summary>Ten thousand malformed .npy files through <c>rectifier apply</c>: each must be refused with exit code 1
/// and one line naming the file, never an unhandled exception, a hang, a large allocation or an output file.</summary>
public sealed class NpyFuzzTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] BadDtypes =
        ["<i4", "<i8", "|u1", "|b1", "<c8", "<c16", "|O", "O", "<f16", "f4", "<f3", "float32", "<U3", "|S4", "<M8[ns]", "", "<<f4", "<f4 ", "é"];

    /// <summary>A malformed file of one of several classes; each is invalid by construction.</summary>
    private static (byte[] Bytes, string Class) Generate(Random rng)
    {
        int[] shape = [.. Enumerable.Range(0, rng.Next(0, 4)).Select(_ => rng.Next(0, 6))];
        long count = shape.Aggregate(1L, (a, d) => a * d);
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string Dict(string descr, string fortran, string shp) => $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shp}, }}";
        byte[] Valid(int version = 1) => NpyTests.Build(Dict("<f4", "False", shapeText), (int)count * 4, version);
        switch (rng.Next(12))
        {
            case 0:
            {
                byte[] v = Valid();
                return (v[..rng.Next(0, v.Length - (count == 0 ? 1 : 1))], "truncated");
            }
            case 1:
            {
                byte[] v = Valid();
                v[rng.Next(0, 6)] ^= (byte)rng.Next(1, 256);
                return (v, "magic");
            }
            case 2:
            {
                byte[] v = Valid();
                int real = v[8] | (v[9] << 8);
                int lie = rng.Next(2) == 0 ? real + rng.Next(1, 70000) : rng.Next(0, real);
                v[8] = (byte)lie;
                v[9] = (byte)(lie >> 8);
                return lie == real ? (v[..9], "truncated") : (v, "header length");
            }
            case 3:
            {
                string dims = rng.Next(3) switch
                {
                    0 => $"({-rng.Next(1, 1000)}, 3)",
                    1 => $"({long.MaxValue / rng.Next(1, 5)}, {rng.Next(2, 100)})",
                    _ => $"({rng.NextInt64(1L << 40, 1L << 62)},)",
                };
                return (NpyTests.Build(Dict("<f4", "False", dims), rng.Next(0, 64)), "huge or negative shape");
            }
            case 4:
            {
                int wrong = (int)count * 4 + (rng.Next(2) == 0 ? -rng.Next(1, (int)Math.Max(2, count * 4 + 1)) : rng.Next(1, 100));
                return (NpyTests.Build(Dict("<f4", "False", shapeText), Math.Max(0, wrong) == count * 4 ? (int)count * 4 + 1 : Math.Max(0, wrong)), "data size");
            }
            case 5:
                return (NpyTests.Build(Dict(BadDtypes[rng.Next(BadDtypes.Length)], "False", shapeText), (int)count * 4), "dtype");
            case 6:
            {
                byte[] v = Valid();
                int at = rng.Next(10, 10 + (v[8] | (v[9] << 8)) - 1);
                v[at] = (byte)rng.Next(128, 256);
                return (v, "non-ASCII");
            }
            case 7:
            {
                string[] keys = ["'descr': '<f4'", "'fortran_order': False", $"'shape': {shapeText}"];
                int drop = rng.Next(3);
                string dict = "{" + string.Join(", ", keys.Where((_, i) => i != drop)) + ", }";
                return (NpyTests.Build(dict, (int)count * 4), "missing key");
            }
            case 8:
            {
                string dict = Dict("<f4", "False", shapeText);
                int cut = rng.Next(1, dict.Length - 1);
                return (NpyTests.Build(dict[..cut], (int)count * 4), "unterminated");
            }
            case 9:
            {
                var sb = new StringBuilder();
                int len = rng.Next(1, 200);
                for (int i = 0; i < len; i++)
                {
                    sb.Append((char)rng.Next(32, 127));
                }
                string garbage = sb.ToString().TrimStart('{', ' ');
                return (NpyTests.Build(garbage.Length == 0 ? "x" : garbage, rng.Next(0, 64)), "garbage header");
            }
            case 10:
            {
                string fortran = new[] { "0", "1", "'False'", "None", "true", "false", "(False,)" }[rng.Next(7)];
                return (NpyTests.Build(Dict("<f4", fortran, shapeText), (int)count * 4), "fortran_order value");
            }
            default:
            {
                string dims = new[] { "(2.5,)", "(1, 'a')", "[2, 3]", "(3 4)", "((2,),)", "(,)", "(-,)", "(1e3,)", "2" }[rng.Next(9)];
                return (NpyTests.Build(Dict("<f4", "False", dims), 24), "shape syntax");
            }
        }
    }

    [Fact]
    public void Ten_thousand_malformed_files_are_each_refused_with_exit_code_1()
    {
        var rng = new Random(20261128);
        string output = Path.Combine(_dir, "out.npy");
        var classes = new Dictionary<string, int>();
        long worstAllocation = 0;
        for (int i = 0; i < 10_000; i++)
        {
            var (bytes, kind) = Generate(rng);
            classes[kind] = classes.GetValueOrDefault(kind) + 1;
            string input = Path.Combine(_dir, $"bad{i % 8}.npy");
            File.WriteAllBytes(input, bytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var (code, _, error) = CliTests.Run("apply", "relu", input, output);
            worstAllocation = Math.Max(worstAllocation, GC.GetAllocatedBytesForCurrentThread() - before);
            Assert.True(code == 1, $"file {i} ({kind}) gave exit code {code}: {error}");
            Assert.StartsWith($"rectifier: bad{i % 8}.npy: ", error, StringComparison.Ordinal);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
            Assert.DoesNotContain("unexpected error", error, StringComparison.Ordinal);
            Assert.False(File.Exists(output), $"file {i} ({kind}) left an output behind");
        }
        Assert.True(classes.Count == 12, "every class of malformation was generated: " + string.Join(", ", classes.Keys));
        Assert.True(worstAllocation < 4 << 20, $"a malformed file made the command allocate {worstAllocation:N0} bytes");
    }
}
