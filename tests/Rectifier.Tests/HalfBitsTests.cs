namespace Rectifier.Tests;

/// <summary>Half relu runs on the 16-bit patterns themselves. Every one of the 65,536 patterns, NaNs of both signs with
/// their payloads, ±0 and ±∞ included, is checked against the definition written on the value: relu(x) = x &lt; 0 ? +0 : x,
/// relu'(x)·g = x ≤ 0 ? +0 : g.</summary>
public sealed class HalfBitsTests
{
    private static Half[] AllPatterns() => [.. Enumerable.Range(0, 1 << 16).Select(i => BitConverter.UInt16BitsToHalf((ushort)i))];

    private static ushort Bits(Half h) => BitConverter.HalfToUInt16Bits(h);

    [Fact]
    public void Relu_of_every_Half_pattern_is_its_definition_bit_for_bit()
    {
        Half[] x = AllPatterns();
        foreach (int offset in new[] { 0, 1, 7 })
        {
            var y = new Half[x.Length - offset];
            Activations.Relu<Half>(x.AsSpan(offset), y);
            for (int i = 0; i < y.Length; i++)
            {
                Half v = x[i + offset];
                ushort expected = (double)v < 0 ? (ushort)0 : Bits(v);
                Assert.True(expected == Bits(y[i]), $"relu(0x{Bits(v):X4}) = 0x{Bits(y[i]):X4}, expected 0x{expected:X4} (offset {offset})");
            }
        }
        Half[] inPlace = AllPatterns();
        Activations.ReluInPlace<Half>(inPlace);
        for (int i = 0; i < inPlace.Length; i++)
        {
            Assert.Equal((double)x[i] < 0 ? (ushort)0 : Bits(x[i]), Bits(inPlace[i]));
        }
    }

    [Fact]
    public void Relu_backward_of_every_Half_pattern_is_its_definition_bit_for_bit()
    {
        Half[] x = AllPatterns();
        // a distinct finite gradient per element, so that a wrong selection cannot go unseen
        Half[] g = [.. Enumerable.Range(0, x.Length).Select(i => BitConverter.UInt16BitsToHalf((ushort)(0x3C00 + i % 1021 + 1)))];
        var dx = new Half[x.Length];
        var fromOutput = new Half[x.Length];
        Activations.ReluBackward<Half>(x, g, dx);
        Half[] y = new Half[x.Length];
        Activations.Relu<Half>(x, y);
        Activations.ReluBackwardFromOutput<Half>(y, g, fromOutput);
        for (int i = 0; i < x.Length; i++)
        {
            bool blocked = (double)x[i] <= 0;
            ushort expected = blocked ? (ushort)0 : Bits(g[i]);
            Assert.True(expected == Bits(dx[i]), $"relu'(0x{Bits(x[i]):X4})·g = 0x{Bits(dx[i]):X4}, expected 0x{expected:X4}");
            Assert.True(expected == Bits(fromOutput[i]), $"relu' from y = relu(0x{Bits(x[i]):X4}): 0x{Bits(fromOutput[i]):X4}, expected 0x{expected:X4}");
        }
    }

    [Fact]
    public void Half_relu_equals_float_relu_rounded_to_Half_for_every_finite_pattern()
    {
        Half[] x = [.. AllPatterns().Where(Half.IsFinite)];
        var y = new Half[x.Length];
        Activations.Relu<Half>(x, y);
        float[] wide = [.. x.Select(v => (float)v)];
        Activations.Relu<float>(wide, wide);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(Bits((Half)wide[i]), Bits(y[i]));
        }
    }
}
