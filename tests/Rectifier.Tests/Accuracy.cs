using System.Globalization;

namespace Rectifier.Tests;

/// <summary>How accuracy is measured, shared by the tests and by the accuracy report of bench/Rectifier.Benchmarks:
/// true ULP distances, the float input classes of SPEC.md, and the mpmath golden values for double.</summary>
public static class Accuracy
{
    public const int RandomCount = 1 << 20;

    /// <summary>Error of a float result against an exact value, in units of the float ULP at the exact value
    /// (subnormal spacing below the normal range). Expected overflow (|exact| past the rounding point of MaxValue)
    /// counts as exact when the result is the infinity of the same sign.</summary>
    public static double FloatUlps(float y, double exact) => Ulps(y, exact, 3.4028235677973366e38, -126, 23);

    /// <summary>The same for a Half result, in Half ULPs (subnormal spacing below 2^−14); overflow counts as exact
    /// when |exact| is past the rounding point of Half's maximum (65520) and the result is the infinity of its sign.</summary>
    public static double HalfUlps(Half y, double exact) => Ulps((double)y, exact, 65520, -14, 10);

    /// <summary>The error of a result of a narrower format (widened exactly to double) in that format's ULPs: its
    /// overflow rounding point, smallest normal exponent and fraction bits.</summary>
    private static double Ulps(double y, double exact, double overflowsAt, int minExponent, int fractionBits)
    {
        if (double.IsNaN(exact))
        {
            return double.IsNaN(y) ? 0 : double.PositiveInfinity;
        }
        if (double.IsNaN(y))
        {
            return double.PositiveInfinity;
        }
        if (double.IsInfinity(y))
        {
            return Math.Abs(exact) >= overflowsAt && Math.Sign(y) == Math.Sign(exact) ? 0 : double.PositiveInfinity;
        }
        if (double.IsInfinity(exact))
        {
            return double.PositiveInfinity;
        }
        int e = exact == 0 ? minExponent : Math.Max(Math.ILogB(exact), minExponent);
        return Math.Abs(y - exact) / Math.ScaleB(1.0, e - fractionBits);
    }

    /// <summary>Error of a double result against an exact value given as hi + lo, in double ULPs.</summary>
    public static double DoubleUlps(double y, double hi, double lo)
    {
        if (double.IsNaN(hi))
        {
            return double.IsNaN(y) ? 0 : double.PositiveInfinity;
        }
        if (double.IsNaN(y))
        {
            return double.PositiveInfinity;
        }
        if (double.IsInfinity(y) || double.IsInfinity(hi))
        {
            return y == hi ? 0 : double.PositiveInfinity;
        }
        int e = hi == 0 ? -1022 : Math.Max(Math.ILogB(hi), -1022);
        double ulp = Math.ScaleB(1.0, e - 52);
        return Math.Abs((y - hi) / ulp - lo / ulp);
    }

    /// <summary>Every float input class SPEC.md names: special values (±∞ and ±max among them), ±[1e−45, 1e−30], the neighbourhood of 0 and
    /// of each kink and threshold, the saturation tails, and 2^20 seeded random inputs over all exponents.</summary>
    public static float[] FloatInputs()
    {
        var xs = new List<float>(RandomCount + 4096);
        xs.AddRange([0f, -0f, 1f, -1f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue,
            BitConverter.UInt32BitsToSingle(0x7FA00001), BitConverter.UInt32BitsToSingle(0x00400000), BitConverter.UInt32BitsToSingle(0x80400000),
            1.17549435e-38f, -1.17549435e-38f, 0.01f, -0.01f]);
        for (double m = 1e-45; m <= 1e-30; m *= 1.37)
        {
            xs.Add((float)m);
            xs.Add((float)-m);
        }
        foreach (float k in new[] { 0f, 3f, -3f, 6f, -6f, 20f, -20f, 2.5f, 1.5f, -1.5f, 1.0606602f, -1.0606602f, 2.5f * 1.4142135f, -2.5f * 1.4142135f, 2.5f / 8,
            0.5f, -0.5f, 2f, -2f, 10f, -10f, 15f, -15f, -1.6875f, -0.875f, -1.125f, -0.4375f, -1.625f, -0.8125f, -0.75f })
        {
            float up = k, down = k;
            for (int i = 0; i < 8; i++)
            {
                up = MathF.BitIncrement(up);
                down = MathF.BitDecrement(down);
                xs.Add(up);
                xs.Add(down);
            }
        }
        xs.AddRange([-100f, -13f, -14f, -15f, -1e-30f, 40f, -40f, -88f, -103f, 88f, 89f, 9f, 10f, -0.7517916f, -1.2784645f, -1.1924f, -87f, -104f]);
        var rng = new Random(20261128);
        for (int i = 0; i < RandomCount; i++)
        {
            xs.Add(i % 2 == 0
                ? (float)((rng.NextDouble() + 0.5) * Math.ScaleB(1.0, rng.Next(-149, 127)) * (rng.Next(2) == 0 ? -1 : 1))
                : (float)((rng.NextDouble() * 2 - 1) * 40));
        }
        return [.. xs];
    }

    /// <summary>The mpmath golden values (scripts/golden_smooth.py): case, direction, x and the exact value as hi + lo.</summary>
    public static IEnumerable<(string Case, bool Backward, double X, double Hi, double Lo)> Golden(Stream stream)
    {
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] p = line.Split(' ');
            yield return (p[0], p[1] == "bwd", Bits(p[2]), Bits(p[3]), Bits(p[4]));
        }

        static double Bits(string hex) => BitConverter.UInt64BitsToDouble(ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

}
