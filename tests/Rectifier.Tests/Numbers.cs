using System.Numerics;

namespace Rectifier.Tests;

/// <summary>Type-generic helpers: conversions, bit patterns, special values and seeded random data.</summary>
internal static class Numbers
{
    public static double ToDouble<T>(T v) where T : IFloatingPointIeee754<T> => double.CreateTruncating(v);

    /// <summary>Rounds a double to T the way the library's compute type does: Half results come from float.</summary>
    public static T FromDouble<T>(double v) where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? T.CreateTruncating(v) : T.CreateTruncating((float)v);

    public static ulong Bits<T>(T v) where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(double) ? BitConverter.DoubleToUInt64Bits(double.CreateTruncating(v))
         : typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits(float.CreateTruncating(v))
         : BitConverter.HalfToUInt16Bits((Half)(object)v);

    /// <summary>Bitwise equality, except that any NaN equals any NaN (payloads are not part of the contract).</summary>
    public static bool Same<T>(T a, T b) where T : IFloatingPointIeee754<T>
        => T.IsNaN(a) ? T.IsNaN(b) : Bits(a) == Bits(b);

    public static string Show<T>(T v) where T : IFloatingPointIeee754<T>
        => $"{v} (0x{Bits(v):X})";

    public static T[] Specials<T>() where T : IFloatingPointIeee754<T>
    {
        var list = new List<T>
        {
            T.Zero, T.NegativeZero, T.One, T.NegativeOne, T.PositiveInfinity, T.NegativeInfinity, T.NaN, -T.NaN,
            T.Epsilon, -T.Epsilon, T.CreateTruncating(6), T.CreateTruncating(-3), T.CreateTruncating(3),
            T.CreateTruncating(0.01), T.CreateTruncating(-0.01),
        };
        if (typeof(T) == typeof(float))
        {
            list.AddRange([(T)(object)float.MaxValue, (T)(object)float.MinValue, (T)(object)BitConverter.UInt32BitsToSingle(0x7FA00001), (T)(object)BitConverter.UInt32BitsToSingle(0xFFA00001), (T)(object)BitConverter.UInt32BitsToSingle(0x00400000), (T)(object)BitConverter.UInt32BitsToSingle(0x80400000)]);
        }
        else if (typeof(T) == typeof(double))
        {
            list.AddRange([(T)(object)double.MaxValue, (T)(object)double.MinValue, (T)(object)BitConverter.UInt64BitsToDouble(0x7FF4000000000001), (T)(object)BitConverter.UInt64BitsToDouble(0xFFF4000000000001), (T)(object)BitConverter.UInt64BitsToDouble(0x0008000000000000), (T)(object)BitConverter.UInt64BitsToDouble(0x8008000000000000)]);
        }
        else
        {
            list.AddRange([(T)(object)Half.MaxValue, (T)(object)Half.MinValue, (T)(object)BitConverter.UInt16BitsToHalf(0x7D01), (T)(object)BitConverter.UInt16BitsToHalf(0xFD01), (T)(object)BitConverter.UInt16BitsToHalf(0x0200), (T)(object)BitConverter.UInt16BitsToHalf(0x8200)]);
        }
        return [.. list];
    }

    /// <summary>Random values of both signs over many exponents, with special values at random positions.</summary>
    public static T[] Random<T>(int length, int seed, double specialFraction = 0.1) where T : IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        T[] specials = Specials<T>();
        int maxExp = typeof(T) == typeof(Half) ? 15 : typeof(T) == typeof(float) ? 60 : 300;
        var data = new T[length];
        for (int i = 0; i < length; i++)
        {
            double r = rng.NextDouble();
            if (r < specialFraction)
            {
                data[i] = specials[rng.Next(specials.Length)];
            }
            else if (r < 0.6)
            {
                data[i] = T.CreateTruncating((rng.NextDouble() * 2 - 1) * 8);
            }
            else
            {
                double m = rng.NextDouble() + 0.5;
                int e = rng.Next(-maxExp, maxExp);
                data[i] = T.CreateTruncating((rng.Next(2) == 0 ? -m : m) * Math.Pow(2, e));
            }
        }
        return data;
    }
}
