using System.Globalization;

namespace Rectifier.IO;

/// <summary>Parses the Python dict literal of a .npy header — <c>{'descr': '&lt;f4', 'fortran_order': False,
/// 'shape': (3, 4), }</c> — accepting what NumPy writes (any key order, either quote, trailing commas, spaces)
/// and nothing that would need evaluation. Values: strings, True/False, tuples of integers.</summary>
internal sealed class HeaderParser
{
    private readonly string _text;
    private readonly string _file;
    private int _pos;

    private HeaderParser(string text, string file)
    {
        _text = text;
        _file = file;
    }

    public static Dictionary<string, object> Parse(string text, string file)
    {
        var parser = new HeaderParser(text, file);
        var dict = parser.ParseDict();
        parser.SkipSpace();
        if (parser._pos != text.Length)
        {
            throw parser.Fail("unexpected text after the header dictionary");
        }
        return dict;
    }

    private Dictionary<string, object> ParseDict()
    {
        SkipSpace();
        Expect('{', "the header is not a dictionary (it must start with '{')");
        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (Peek() == '}')
            {
                _pos++;
                return dict;
            }
            string key = ParseString("a quoted key");
            SkipSpace();
            Expect(':', $"missing ':' after the key '{key}'");
            SkipSpace();
            object value = ParseValue(key);
            if (!dict.TryAdd(key, value))
            {
                throw Fail($"the key '{key}' appears twice");
            }
            SkipSpace();
            char c = Peek();
            if (c == ',')
            {
                _pos++;
            }
            else if (c != '}')
            {
                throw Fail(c == '\0' ? "the header dictionary is not closed" : $"unexpected '{c}' after the value of '{key}'");
            }
        }
    }

    private object ParseValue(string key)
    {
        char c = Peek();
        if (c is '\'' or '"')
        {
            return ParseString($"the value of '{key}'");
        }
        if (c == '(')
        {
            return ParseTuple(key);
        }
        if (Match("True"))
        {
            return true;
        }
        if (Match("False"))
        {
            return false;
        }
        if (c is '[' or '{')
        {
            return ParseOpaque(key);
        }
        throw Fail(c == '\0' ? $"the value of '{key}' is missing" : $"the value of '{key}' is not a string, a boolean or a tuple");
    }

    /// <summary>A list or nested dict (structured dtypes): skipped with bracket matching and reported as unsupported.</summary>
    private object ParseOpaque(string key)
    {
        int depth = 0;
        int start = _pos;
        while (_pos < _text.Length)
        {
            char c = _text[_pos++];
            if (c is '[' or '{' or '(')
            {
                depth++;
            }
            else if (c is ']' or '}' or ')')
            {
                depth--;
                if (depth == 0)
                {
                    return new OpaqueValue(_text[start.._pos]);
                }
            }
        }
        throw Fail($"the value of '{key}' is not closed");
    }

    private List<long> ParseTuple(string key)
    {
        Expect('(', "expected a tuple");
        var items = new List<long>();
        while (true)
        {
            SkipSpace();
            if (Peek() == ')')
            {
                _pos++;
                return items;
            }
            int start = _pos;
            if (Peek() is '-' or '+')
            {
                _pos++;
            }
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }
            if (Peek() == 'L')
            {
                _pos++;   // Python 2 long suffix, written by old NumPy
            }
            string number = _text[start.._pos].TrimEnd('L');
            if (number.Length == 0 || number is "-" or "+")
            {
                throw Fail($"'{key}' must be a tuple of integers");
            }
            if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                throw Fail($"the dimension {number} in '{key}' is out of range");
            }
            items.Add(value);
            SkipSpace();
            char c = Peek();
            if (c == ',')
            {
                _pos++;
            }
            else if (c != ')')
            {
                throw Fail(c == '\0' ? $"the tuple of '{key}' is not closed" : $"unexpected '{c}' in the tuple of '{key}'");
            }
        }
    }

    private string ParseString(string what)
    {
        char quote = Peek();
        if (quote is not ('\'' or '"'))
        {
            throw Fail($"expected {what}");
        }
        _pos++;
        int start = _pos;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\')
            {
                throw Fail("escape sequences are not allowed in the header");
            }
            _pos++;
        }
        if (_pos >= _text.Length)
        {
            throw Fail($"{what} is not closed");
        }
        return _text[start.._pos++];
    }

    private bool Match(string word)
    {
        if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) == 0)
        {
            int end = _pos + word.Length;
            if (end == _text.Length || !char.IsAsciiLetterOrDigit(_text[end]))
            {
                _pos = end;
                return true;
            }
        }
        return false;
    }

    private void Expect(char c, string message)
    {
        if (Peek() != c)
        {
            throw Fail(message);
        }
        _pos++;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipSpace()
    {
        while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r')
        {
            _pos++;
        }
    }

    private NpyFormatException Fail(string problem) => NpyArrayInfo.Bad(_file, $"malformed header: {problem}");

    /// <summary>A value Rectifier does not interpret (a structured dtype list); kept to report it clearly.</summary>
    private sealed record OpaqueValue(string Text);
}
