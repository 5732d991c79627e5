using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Rectifier.Cli;

/// <summary>Numeric options read the same way in every locale: '.' is the decimal point, there are no group separators,
/// and a comma decimal ("0,2") is a usage error rather than 2 (de-DE, tr-TR) or a type-name message (fr-FR).</summary>
internal static class CliOptions
{
    /// <summary>An optional number (null when not given).</summary>
    public static Option<double?> OptionalNumber(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "number",
        CustomParser = r => ParseToken(r, name, TryParseNumber, "a number like 0.2 or -1.5e-3") is double v ? v : null,
    };

    /// <summary>A number with a default.</summary>
    public static Option<double> Number(string name, string description, double defaultValue) => new(name)
    {
        Description = description,
        HelpName = "number",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseToken(r, name, TryParseNumber, "a number like 0.2 or -1.5e-3") ?? defaultValue,
    };

    /// <summary>An optional whole number (null when not given).</summary>
    public static Option<int?> OptionalInteger(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "integer",
        CustomParser = r => ParseToken(r, name, TryParseIntegerAsDouble, "a whole number like 1 or -1") is double v ? (int)v : null,
    };

    /// <summary>A whole number with a default.</summary>
    public static Option<int> Integer(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        HelpName = "integer",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseToken(r, name, TryParseIntegerAsDouble, "a whole number like 1 or -1") is double v ? (int)v : defaultValue,
    };

    /// <summary>Parses a number the command's way: invariant culture, '.' as the decimal point, an optional exponent,
    /// <c>inf</c>/<c>-inf</c>/<c>nan</c> as Python writes them; a Unicode minus (U+2212) is read as '-'.</summary>
    public static bool TryParseNumber(string text, out double value)
    {
        string s = Normalise(text);
        switch (s.ToUpperInvariant())
        {
            case "INF" or "+INF" or "INFINITY" or "+INFINITY": value = double.PositiveInfinity; return true;
            case "-INF" or "-INFINITY": value = double.NegativeInfinity; return true;
            case "NAN": value = double.NaN; return true;
        }
        // Digits, an optional sign, one '.', an optional exponent: nothing a locale could read differently.
        if (s.Length == 0 || s.Contains(',', StringComparison.Ordinal) || s.Any(char.IsWhiteSpace))
        {
            value = 0;
            return false;
        }
        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Parses a whole number the command's way (invariant culture, Unicode minus read as '-').</summary>
    public static bool TryParseInteger(string text, out int value)
        => int.TryParse(Normalise(text), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool TryParseIntegerAsDouble(string text, out double value)
    {
        bool ok = TryParseInteger(text, out int v);
        value = v;
        return ok;
    }

    private static string Normalise(string text) => text.Trim().Replace('\u2212', '-');

    private delegate bool Parser(string text, out double value);

    private static double? ParseToken(ArgumentResult result, string name, Parser parse, string expected)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }
        string text = result.Tokens[^1].Value;
        if (parse(text, out double value))
        {
            return value;
        }
        string hint = text.Contains(',', StringComparison.Ordinal) && !text.Contains('.', StringComparison.Ordinal)
            ? $" (write decimals with '.', e.g. {text.Replace(',', '.')})"
            : "";
        result.AddError($"{name} takes {expected}, not '{text}'{hint}");
        return null;
    }
}
