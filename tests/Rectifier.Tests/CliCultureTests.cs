using System.Globalization;
using System.Text;
using Rectifier.Cli;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>Writes integer .npy files the way NumPy does (format 1.0, little- or big-endian), independently of the
/// library's writer, which writes floating-point data only.</summary>
internal static class NpyIntegers
{
    public static void Write(string path, string descr, int[] shape, long[] values)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - 10 - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, (byte)(header.Length >> 8) };
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        int size = descr[2] - '0';
        bool big = descr[0] == '>';
        foreach (long v in values)
        {
            byte[] b = BitConverter.GetBytes(v)[..size];
            if (big)
            {
                Array.Reverse(b);
            }
            bytes.AddRange(b);
        }
        File.WriteAllBytes(path, [.. bytes]);
    }
}

/// <summary>The command gives the same results and the same text whatever the user's locale: numbers are read and
/// written in the invariant culture (a comma decimal is refused), and the Turkish dotted/dotless i changes nothing.</summary>
public sealed class CliCultureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-culture-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    public static TheoryData<string> Cultures => ["de-DE", "fr-FR", "tr-TR", "ar-SA", "sv-SE"];

    /// <summary>Runs the command with <paramref name="culture"/> as the thread's culture and UI culture.</summary>
    private static (int Code, string Out, string Err) RunIn(string culture, params string[] args)
    {
        CultureInfo saved = CultureInfo.CurrentCulture, savedUi = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = culture.Length == 0 ? CultureInfo.InvariantCulture : new CultureInfo(culture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture;
        try
        {
            var result = CliTests.Run(args);
            // The command restores the caller's culture when it returns.
            Assert.Equal(culture.Length == 0 ? "" : culture, CultureInfo.CurrentCulture.Name);
            return result;
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            CultureInfo.CurrentUICulture = savedUi;
        }
    }

    /// <summary>Every command line here, with the files it reads and writes, run in one culture: exit codes, stdout,
    /// stderr and the bytes of every output file.</summary>
    private List<string> Transcript(string culture)
    {
        string run = P(culture.Length == 0 ? "iv-IV" : culture);   // same length: tables hold the path
        Directory.CreateDirectory(run);
        float[] x = Numbers.Random<float>(600, 3, 0.05);
        float[] acts = [.. x.Select((v, i) => i % 6 == 2 ? -Math.Abs(v) : v)];
        Npy.WriteAll<float>(Path.Combine(run, "x.npy"), x, [100, 6]);
        Npy.WriteAll<float>(Path.Combine(run, "acts.npy"), acts, [100, 6]);
        Npy.WriteAll<float>(Path.Combine(run, "w.npy"), [0.25f, 0.5f, 0.75f, 1.25f, 1.5f, 2.5f], [6]);
        string X = Path.Combine(run, "x.npy");
        string[][] commands =
        [
            ["apply", "leaky_relu", X, "{out}/leaky.npy", "--negative-slope", "0.2"],
            ["apply", "hardtanh", X, "{out}/hardtanh.npy", "--min-val", "-0.5", "--max-val", "0.5"],
            ["apply", "prelu", X, "{out}/prelu.npy", "--weight", "0.5"],
            ["apply", "prelu", X, "{out}/prelu_c.npy", "--weight-file", Path.Combine(run, "w.npy"), "--channel-axis", "-1"],
            ["apply", "threshold", X, "{out}/threshold.npy", "--threshold", "0.1", "--value", "-2.5"],
            ["apply", "elu", X, "{out}/elu.npy", "--alpha", "1.5"],
            ["apply", "softplus", X, "{out}/softplus.npy", "--beta", "2.5", "--threshold", "1.5"],
            ["apply", "rrelu", X, "{out}/rrelu.npy", "--lower", "0.1", "--upper", "0.3"],
            ["apply", "gelu", X, "{out}/gelu.npy", "--approximate", "tanh"],
            ["apply", "silu", X, "{out}/silu.npy"],
            ["grad", "prelu", X, X, "{out}/dprelu.npy", "--weight", "0.5"],
            ["apply", "leaky_relu", X, "{out}/comma.npy", "--negative-slope", "0,2"],
            ["dead-units", Path.Combine(run, "acts.npy"), "--threshold", "0.25"],
            ["dead-units", Path.Combine(run, "acts.npy"), "--json", "--threshold", "0.25"],
            ["list"],
            ["demo"],
            ["experiment", "convergence", "--data", "spirals", "--hidden", "8", "--epochs", "1", "--seeds", "1", "--learning-rate", "0.01", "--target", "0.5", "--json"],
            ["experiment", "convergence", "--target", "97"],
        ];
        var transcript = new List<string>();
        foreach (string[] command in commands)
        {
            string[] args = [.. command.Select(a => a.Replace("{out}", run, StringComparison.Ordinal))];
            var (code, output, error) = RunIn(culture, args);
            // Paths and timings differ between runs; everything else must not.
            string Clean(string text) => System.Text.RegularExpressions.Regex.Replace(text.Replace(run, "RUN", StringComparison.Ordinal), "\"seconds[a-z_]*\":[^,}]*", "");
            transcript.Add($"{Clean(string.Join(' ', args))} -> {code}\n{Clean(output)}\n{Clean(error)}");
            foreach (string file in args.Where(a => a.EndsWith(".npy", StringComparison.Ordinal) && a.StartsWith(run, StringComparison.Ordinal) && command[0] is "apply" or "grad"))
            {
                if (file != X && File.Exists(file))
                {
                    transcript.Add($"{Path.GetFileName(file)}: {Convert.ToHexString(File.ReadAllBytes(file))}");
                }
            }
        }
        return transcript;
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void Every_command_gives_the_same_bytes_and_text_in_any_locale_as_in_the_invariant_one(string culture)
    {
        List<string> invariant = Transcript(""), local = Transcript(culture);
        Assert.Equal(invariant.Count, local.Count);
        for (int i = 0; i < invariant.Count; i++)
        {
            Assert.Equal(invariant[i], local[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void A_decimal_option_means_its_value_in_any_locale_and_a_comma_decimal_is_refused(string culture)
    {
        float[] x = [-4f, -1f, -0.5f, 0.5f, 2f];
        Npy.WriteAll<float>(P("x.npy"), x, [5]);
        var (code, _, error) = RunIn(culture, "apply", "leaky_relu", P("x.npy"), P("y.npy"), "--negative-slope", "0.2");
        Assert.True(code == 0, error);
        float[] y = Npy.ReadAll<float>(P("y.npy"), out _);
        for (int i = 0; i < x.Length; i++)
        {
            // PyTorch converts the double slope to the element type, then multiplies.
            float expected = x[i] > 0 ? x[i] : x[i] * (float)0.2;
            Assert.Equal(expected, y[i]);
        }
        (code, _, error) = RunIn(culture, "apply", "leaky_relu", P("x.npy"), P("z.npy"), "--negative-slope", "0,2");
        Assert.Equal(2, code);
        Assert.Contains("not '0,2'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(P("z.npy")));
    }

    [Fact]
    public void A_value_copied_from_the_help_with_a_Unicode_minus_still_parses()
    {
        Npy.WriteAll<float>(P("x.npy"), [-1f, 0.25f, 3f], [3]);
        var (code, _, error) = CliTests.Run("apply", "hardtanh", P("x.npy"), P("y.npy"), "--min-val", "\u22120.5", "--max-val", "0.5");
        Assert.True(code == 0, error);
        Assert.Equal([-0.5f, 0.25f, 0.5f], Npy.ReadAll<float>(P("y.npy"), out _));
    }

    [Theory]
    [InlineData("0.2", 0.2)]
    [InlineData("-1.5e-3", -1.5e-3)]
    [InlineData("+3", 3.0)]
    [InlineData(".5", 0.5)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("\u22122", -2.0)]
    public void Numbers_parse_the_same_way_in_every_culture(string text, double expected)
    {
        foreach (string culture in new[] { "", "de-DE", "fr-FR", "tr-TR" })
        {
            CultureInfo saved = CultureInfo.CurrentCulture;
            CultureInfo.CurrentCulture = culture.Length == 0 ? CultureInfo.InvariantCulture : new CultureInfo(culture);
            try
            {
                Assert.True(CliOptions.TryParseNumber(text, out double v), $"{text} in {culture}");
                Assert.Equal(expected, v);
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
            }
        }
    }

    [Theory]
    [InlineData("0,2")]
    [InlineData("1,000")]
    [InlineData("1.000,5")]
    [InlineData("1 000")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1e999")]
    public void Numbers_a_locale_could_read_differently_are_refused(string text)
    {
        Assert.False(CliOptions.TryParseNumber(text, out _), text);
    }
}
