using System.Numerics;

namespace Rectifier.Tests;

/// <summary>The 1-bit-mask backward: for every function, type, length (0..256 and k·64 ± 1), offset and leg, the
/// forward with mask equals the forward without it and the backward from the mask equals the backward from x, bit
/// for bit.</summary>
public abstract class MaskTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private delegate void MaskForward(ReadOnlySpan<T> x, Span<T> y, Span<ulong> mask);
    private delegate void MaskBackward(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> g, Span<T> dx);

    private sealed record MaskCase(string Name, Forward<T> Forward, MaskForward ForwardWithMask, Backward<T> Backward, MaskBackward BackwardFromMask);

    private static MaskCase Get(string name) => name switch
    {
        "relu" => new(name, Activations.Relu, Activations.Relu, Activations.ReluBackward, Activations.ReluBackwardFromMask),
        "leaky_relu(0.2)" => new(name, (x, y) => Activations.LeakyRelu(x, 0.2, y), (x, y, m) => Activations.LeakyRelu(x, 0.2, y, m),
            (x, g, d) => Activations.LeakyReluBackward(x, g, 0.2, d), (m, g, d) => Activations.LeakyReluBackwardFromMask(m, g, 0.2, d)),
        "hardtanh(-0.5,2.5)" => new(name, (x, y) => Activations.Hardtanh(x, -0.5, 2.5, y), (x, y, m) => Activations.Hardtanh(x, -0.5, 2.5, y, m),
            (x, g, d) => Activations.HardtanhBackward(x, g, -0.5, 2.5, d), Activations.HardtanhBackwardFromMask),
        "relu6" => new(name, Activations.Relu6, Activations.Relu6, Activations.Relu6Backward, Activations.HardtanhBackwardFromMask),
        "threshold(0.5,-2)" => new(name, (x, y) => Activations.Threshold(x, 0.5, -2, y), (x, y, m) => Activations.Threshold(x, 0.5, -2, y, m),
            (x, g, d) => Activations.ThresholdBackward(x, g, 0.5, d), Activations.ReluBackwardFromMask),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => ["relu", "leaky_relu(0.2)", "hardtanh(-0.5,2.5)", "relu6", "threshold(0.5,-2)"];

    private static readonly int[] Lengths = [.. Enumerable.Range(0, 257), .. Enumerable.Range(5, 12).SelectMany(k => new[] { k * 64 - 1, k * 64 + 1 })];

    [Theory]
    [MemberData(nameof(Names))]
    public void Mask_forward_and_backward_equal_the_plain_ones_at_every_length_and_offset(string name)
    {
        MaskCase c = Get(name);
        foreach (int n in Lengths)
        {
            int offset = n % 16;
            T[] xs = Numbers.Random<T>(n + 16, 100 + n), gs = Numbers.Random<T>(n + 16, 200 + n, 0.05);
            ReadOnlySpan<T> x = xs.AsSpan(offset, n), g = gs.AsSpan(15 - offset, n);
            T[] y = new T[n], yMask = new T[n], dx = new T[n], dxMask = new T[n];
            var mask = new ulong[Activations.MaskLength(n) + 1];
            mask[^1] = 0xDEADBEEF;
            c.Forward(x, y);
            c.ForwardWithMask(x, yMask, mask);
            Harness.AssertElements<T>(yMask, i => y[i], $"{name} forward with mask n={n}");
            Assert.Equal(0xDEADBEEFUL, mask[^1]);
            c.Backward(x, g, dx);
            c.BackwardFromMask(mask, g, dxMask);
            Harness.AssertElements<T>(dxMask, i => dx[i], $"{name} backward from mask n={n}");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void In_place_and_threaded_calls_give_the_same_bits(string name)
    {
        MaskCase c = Get(name);
        // Past the non-temporal threshold: out of place streams past the cache on the destination's 64-byte grid
        // (a misaligned slice here, so mask bits straddle words), in place does not; both must give the same bits.
        int n = (int)(Kernels.Elementwise.NonTemporalThresholdBytes / (2 * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())) + 4099;
        T[] x = Numbers.Random<T>(n, 7), g = Numbers.Random<T>(n, 8);
        T[] yBuffer = new T[n + 3], dxBuffer = new T[n + 5];
        Span<T> y1 = yBuffer.AsSpan(3, n), dx1 = dxBuffer.AsSpan(5, n);
        ulong[] m1 = new ulong[Activations.MaskLength(n)], m2 = new ulong[m1.Length];
        using (Parallelism.Scope(1))
        {
            c.ForwardWithMask(x, y1, m1);
            c.BackwardFromMask(m1, g, dx1);
        }
        T[] inPlace = (T[])x.Clone(), gInPlace = (T[])g.Clone();
        using (Parallelism.Scope(Math.Max(2, Environment.ProcessorCount)))
        {
            c.ForwardWithMask(inPlace, inPlace, m2);
            c.BackwardFromMask(m2, gInPlace, gInPlace);
        }
        T[] y1c = y1.ToArray(), dx1c = dx1.ToArray();
        T[] yPlain = new T[n], dxPlain = new T[n];
        c.Forward(x, yPlain);
        c.Backward(x, g, dxPlain);
        Harness.AssertElements<T>(y1c, i => yPlain[i], $"{name} streamed forward with mask");
        Harness.AssertElements<T>(dx1c, i => dxPlain[i], $"{name} streamed backward from mask");
        Assert.Equal(m1, m2);
        Harness.AssertElements<T>(inPlace, i => y1c[i], $"{name} in place, all threads");
        Harness.AssertElements<T>(gInPlace, i => dx1c[i], $"{name} backward in place, all threads");
    }

    [Fact]
    public void Rrelu_training_with_a_mask_draws_the_same_slopes_as_with_a_noise_buffer()
    {
        foreach (int n in new[] { 0, 1, 63, 64, 65, 1000, 70_001 })
        {
            T[] x = Numbers.Random<T>(n, 300 + n), g = Numbers.Random<T>(n, 400 + n, 0.05);
            var withNoise = new RReluGenerator(42);
            var withMask = new RReluGenerator(42);
            withNoise.Advance(17);
            withMask.Advance(17);
            ulong position = withMask.Position;
            T[] y = new T[n], noise = new T[n], yMask = new T[n], dx = new T[n], dxMask = new T[n];
            var mask = new ulong[Activations.MaskLength(n)];
            Activations.RReluTraining<T>(x, 0.1, 0.3, withNoise, y, noise);
            Activations.RReluTraining<T>(x, 0.1, 0.3, withMask, yMask, mask);
            Assert.Equal(withNoise.Position, withMask.Position);
            Harness.AssertElements<T>(yMask, i => y[i], $"rrelu training with mask n={n}");
            Activations.RReluTrainingBackward<T>(noise, g, dx);
            Activations.RReluTrainingBackwardFromMask<T>(mask, g, 0.1, 0.3, 42, position, dxMask);
            Harness.AssertElements<T>(dxMask, i => dx[i], $"rrelu backward from mask n={n}");
        }
    }

    [Fact]
    public void Short_masks_and_bad_lengths_are_refused()
    {
        T[] x = new T[65], y = new T[65];
        var e = Assert.Throws<ArgumentException>(() => Activations.Relu<T>(x, y, new ulong[1]));
        Assert.Equal("mask", e.ParamName);
        Assert.StartsWith("'mask' has 1 words but 65 elements need 2", e.Message, StringComparison.Ordinal);
        Assert.Equal("mask", Assert.Throws<ArgumentException>(() => Activations.ReluBackwardFromMask<T>(new ulong[1], x, y)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Activations.ReluBackwardFromMask<T>(new ulong[2], x, new T[64])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.MaskLength(-1));
    }

    [Fact]
    public void Short_or_partially_overlapping_outputs_are_refused_and_nothing_is_written()
    {
        T[] x = Numbers.Random<T>(65, 5), buffer = Numbers.Random<T>(80, 6), before = (T[])buffer.Clone();
        ulong[] mask = [.. Enumerable.Repeat(ulong.MaxValue, 2)];
        var e = Assert.Throws<ArgumentException>(() => Activations.Relu<T>(x, new T[64], mask));
        Assert.Equal("destination", e.ParamName);
        Assert.Contains("too short", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Activations.Relu<T>(buffer.AsSpan(0, 65), buffer.AsSpan(1, 65), mask));
        Assert.Equal("destination", e.ParamName);
        Assert.Contains("'x'", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Activations.ReluBackwardFromMask<T>(mask, buffer.AsSpan(0, 65), buffer.AsSpan(2, 65)));
        Assert.Equal("gradInput", e.ParamName);
        Assert.Contains("'gradOutput'", e.Message, StringComparison.Ordinal);
        Assert.All(mask, w => Assert.Equal(ulong.MaxValue, w));
        for (int i = 0; i < buffer.Length; i++)
        {
            Assert.True(Numbers.Bits(before[i]) == Numbers.Bits(buffer[i]), $"element {i} was written by a refused call");
        }
    }

    /// <summary>Short lengths (shorter than a vector, so the part before the destination's vector grid is all there
    /// is) and lengths around a word, into destinations at every element offset, between sentinels: nothing is written
    /// outside the destination, the mask's stale bits are overwritten, bits past the last element are zero, words past
    /// it are untouched, and the backward from the mask equals the plain backward.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Short_and_misaligned_calls_write_only_their_own_elements_and_bits(string name)
    {
        MaskCase c = Get(name);
        T sentinel = T.CreateTruncating(12345);
        foreach (int n in (int[])[.. Enumerable.Range(1, 20), 31, 33, 63, 64, 65, 100, 129])
        {
            T[] x = Numbers.Random<T>(n, 500 + n), g = Numbers.Random<T>(n, 600 + n, 0.05);
            T[] y = new T[n], dx = new T[n];
            c.Forward(x, y);
            c.Backward(x, g, dx);
            int words = Activations.MaskLength(n);
            for (int offset = 0; offset < 16; offset++)
            {
                T[] yBuffer = [.. Enumerable.Repeat(sentinel, n + 32)], dxBuffer = [.. Enumerable.Repeat(sentinel, n + 32)];
                ulong[] mask = [.. Enumerable.Repeat(ulong.MaxValue, words + 1)];
                c.ForwardWithMask(x, yBuffer.AsSpan(offset + 1, n), mask);
                Harness.AssertElements<T>(yBuffer.AsSpan(offset + 1, n), i => y[i], $"{name} forward with mask n={n} +{offset}");
                Harness.AssertSentinels(yBuffer, offset + 1, n, sentinel, $"{name} forward with mask +{offset}");
                Assert.Equal(ulong.MaxValue, mask[words]);
                if (n % 64 != 0)
                {
                    Assert.True(mask[words - 1] >> (n % 64) == 0, $"{name} n={n} +{offset}: bits past the last element are {mask[words - 1] >> (n % 64):X}");
                }
                c.BackwardFromMask(mask, g, dxBuffer.AsSpan(offset + 1, n));
                Harness.AssertElements<T>(dxBuffer.AsSpan(offset + 1, n), i => dx[i], $"{name} backward from mask n={n} +{offset}");
                Harness.AssertSentinels(dxBuffer, offset + 1, n, sentinel, $"{name} backward from mask +{offset}");
            }
        }
    }
}

public sealed class MaskFloatTests : MaskTests<float>;
public sealed class MaskDoubleTests : MaskTests<double>;
public sealed class MaskHalfTests : MaskTests<Half>;

public sealed class MaskLengthTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(64, 1)]
    [InlineData(65, 2)]
    [InlineData(int.MaxValue, 33554432)]
    public void The_mask_has_one_bit_per_element_rounded_up_to_whole_words(int length, int words)
        => Assert.Equal(words, Activations.MaskLength(length));
}
