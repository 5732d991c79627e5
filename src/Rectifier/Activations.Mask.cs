using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>The number of <see cref="ulong"/> words of the 1-bit mask of <paramref name="length"/> elements:
    /// ⌈length/64⌉. Element i is bit i % 64 of word i / 64; a set bit means the gradient passes unchanged. The forward writes
    /// every one of these words whole: the bits past the last element are zero.</summary>
    /// <param name="length">The number of elements.</param>
    public static int MaskLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return MaskKernels.MaskLength(length);
    }

    /// <summary>relu that also writes the 1-bit mask for <see cref="ReluBackwardFromMask{T}"/>, so the backward
    /// needs neither x nor y: bit = !(x ≤ 0).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives relu(x); may be <paramref name="x"/> itself.</param>
    /// <param name="mask">Receives the bits: at least <see cref="MaskLength"/>(x.Length) words.</param>
    /// <exception cref="ArgumentException">An output is too short or <paramref name="destination"/> partially overlaps <paramref name="x"/>.</exception>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination, Span<ulong> mask) where T : unmanaged, IFloatingPointIeee754<T>
        => MaskKernels.Forward(x, destination, mask, default(ReluOperator<float>), default(ReluOperator<double>), new NotAtMostPass<float>(0), new NotAtMostPass<double>(0));

    /// <summary>relu backward from the mask: <c>dx = bit ? g : 0</c>, bitwise equal to <see cref="ReluBackward{T}"/>.</summary>
    /// <param name="mask">The mask written by the forward pass.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may be <paramref name="gradOutput"/> itself.</param>
    public static void ReluBackwardFromMask<T>(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => MaskKernels.Backward(mask, gradOutput, gradInput, default(ZeroGradient<float>), default(ZeroGradient<double>));

    /// <summary>leaky_relu that also writes the 1-bit mask (bit = x &gt; 0).</summary>
    /// <param name="x">The input.</param>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="mask">Receives the bits (<see cref="MaskLength"/> words).</param>
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, double negativeSlope, Span<T> destination, Span<ulong> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(negativeSlope, nameof(negativeSlope));
        MaskKernels.Forward(x, destination, mask, new LeakyReluOperator<float>(Multiplier(negativeSlope)), new LeakyReluOperator<double>(negativeSlope),
            default(PositivePass<float>), default(PositivePass<double>));
    }

    /// <summary>leaky_relu backward from the mask: <c>dx = bit ? g : g·negativeSlope</c>, bitwise equal to
    /// <see cref="LeakyReluBackward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, double, Span{T})"/>.</summary>
    /// <param name="mask">The mask written by the forward pass.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="negativeSlope">The slope used in the forward pass.</param>
    /// <param name="gradInput">Receives dL/dx; may be <paramref name="gradOutput"/> itself.</param>
    public static void LeakyReluBackwardFromMask<T>(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> gradOutput, double negativeSlope, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(negativeSlope, nameof(negativeSlope));
        MaskKernels.Backward(mask, gradOutput, gradInput, new SlopeGradient<float>(Multiplier(negativeSlope)), new SlopeGradient<double>(negativeSlope));
    }

    /// <summary>hardtanh that also writes the 1-bit mask (bit = min &lt; x &lt; max, NaN included).</summary>
    /// <param name="x">The input.</param>
    /// <param name="minValue">The lower bound.</param>
    /// <param name="maxValue">The upper bound.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="mask">Receives the bits (<see cref="MaskLength"/> words).</param>
    public static void Hardtanh<T>(ReadOnlySpan<T> x, double minValue, double maxValue, Span<T> destination, Span<ulong> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckBounds(minValue, maxValue);
        float lo = Bound<T>(minValue), hi = Bound<T>(maxValue);
        MaskKernels.Forward(x, destination, mask, new HardtanhOperator<float>(lo, hi), new HardtanhOperator<double>(minValue, maxValue),
            new InsidePass<float>(lo, hi), new InsidePass<double>(minValue, maxValue));
    }

    /// <summary>hardtanh (and relu6) backward from the mask: <c>dx = bit ? g : 0</c>, bitwise equal to the backward from x.</summary>
    /// <param name="mask">The mask written by the forward pass.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may be <paramref name="gradOutput"/> itself.</param>
    public static void HardtanhBackwardFromMask<T>(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => ReluBackwardFromMask(mask, gradOutput, gradInput);

    /// <summary>relu6 that also writes the 1-bit mask (bit = 0 &lt; x &lt; 6); its backward is
    /// <see cref="HardtanhBackwardFromMask{T}"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="mask">Receives the bits (<see cref="MaskLength"/> words).</param>
    public static void Relu6<T>(ReadOnlySpan<T> x, Span<T> destination, Span<ulong> mask) where T : unmanaged, IFloatingPointIeee754<T>
        => Hardtanh(x, 0.0, 6.0, destination, mask);

    /// <summary>threshold that also writes the 1-bit mask (bit = !(x ≤ threshold)); its backward is
    /// <see cref="ReluBackwardFromMask{T}"/> (<c>dx = bit ? g : 0</c>).</summary>
    /// <param name="x">The input.</param>
    /// <param name="threshold">The threshold t.</param>
    /// <param name="value">The replacement v.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="mask">Receives the bits (<see cref="MaskLength"/> words).</param>
    public static void Threshold<T>(ReadOnlySpan<T> x, double threshold, double value, Span<T> destination, Span<ulong> mask) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckNotNaN(threshold, nameof(threshold));
        CheckNotNaN(value, nameof(value));
        float t = Bound<T>(threshold), v = Bound<T>(value);
        MaskKernels.Forward(x, destination, mask, new ThresholdOperator<float>(t, v), new ThresholdOperator<double>(threshold, value),
            new NotAtMostPass<float>(t), new NotAtMostPass<double>(threshold));
    }

    /// <summary>rrelu in training mode without a noise buffer: <c>y = x &gt; 0 ? x : r·x</c> with r drawn exactly as
    /// <see cref="RReluTraining{T}(ReadOnlySpan{T}, double, double, RReluGenerator, Span{T}, Span{T})"/> draws it
    /// (same bits of y), and the 1-bit mask (bit = !(x ≤ 0)) for <see cref="RReluTrainingBackwardFromMask{T}"/>.
    /// Record the generator's <see cref="RReluGenerator.Position"/> before the call: the backward draws the slopes
    /// again from it.</summary>
    /// <param name="x">The input.</param>
    /// <param name="lower">Lower bound of the random slope.</param>
    /// <param name="upper">Upper bound of the random slope.</param>
    /// <param name="generator">The seeded source of the slopes; advances by x.Length.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="mask">Receives the bits (<see cref="MaskLength"/> words).</param>
    public static unsafe void RReluTraining<T>(ReadOnlySpan<T> x, double lower, double upper, RReluGenerator generator, Span<T> destination, Span<ulong> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RReluSlope(lower, upper);
        ArgumentNullException.ThrowIfNull(generator);
        Elementwise.CheckDestination(x, destination, nameof(x), nameof(destination));
        if (mask.Length < MaskKernels.MaskLength(x.Length))
        {
            ThrowHelper.Argument(nameof(mask), $"'mask' has {mask.Length} words but {x.Length} elements need {MaskKernels.MaskLength(x.Length)} (Activations.MaskLength).");
        }
        ulong start = generator.Advance(x.Length);
        if (x.IsEmpty)
        {
            return;
        }
        fixed (T* px = x)
        fixed (T* py = destination)
        fixed (ulong* pm = mask)
        {
            ParallelRunner.For(x.Length, 2 * sizeof(T), new RReluMaskBody<T>(px, py, pm, generator.Seed, start, lower, upper));
        }
    }

    /// <summary>y = x·noise and the mask bits, a 64-aligned block at a time; the product is taken in the compute type
    /// (float for Half) with the noise rounded to the element type, as the noise-buffer path does.</summary>
    private readonly unsafe struct RReluMaskBody<T>(T* x, T* y, ulong* mask, ulong seed, ulong start, double lower, double upper) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(nint s, nint e)
        {
            for (nint b = s; b < e; b += 64)
            {
                int len = (int)Math.Min(64, e - b);
                ulong bits = 0;
                for (int j = 0; j < len; j++)
                {
                    T v = x[b + j];
                    bool pass = v > T.Zero || T.IsNaN(v);
                    if (pass)
                    {
                        bits |= 1UL << j;
                        y[b + j] = v;
                        continue;
                    }
                    T r = RReluNoise<T>(seed, start + (ulong)(b + j), lower, upper);
                    y[b + j] = typeof(T) == typeof(Half)
                        ? T.CreateTruncating(float.CreateTruncating(v) * float.CreateTruncating(r))
                        : v * r;
                }
                mask[b / 64] = bits;
            }
        }
    }

    /// <summary>rrelu backward in training mode from the mask: <c>dx = bit ? g : r(i)·g</c>, the slopes drawn again from
    /// the generator's seed and the position it had before the forward pass; bitwise equal to
    /// <see cref="RReluTrainingBackward{T}"/> with the noise the forward returned.</summary>
    /// <param name="mask">The mask of x.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="lower">The lower bound used in the forward pass.</param>
    /// <param name="upper">The upper bound used in the forward pass.</param>
    /// <param name="seed">The generator's seed.</param>
    /// <param name="position">The generator's <see cref="RReluGenerator.Position"/> before the forward pass.</param>
    /// <param name="gradInput">Receives dL/dx; may be <paramref name="gradOutput"/> itself.</param>
    public static void RReluTrainingBackwardFromMask<T>(ReadOnlySpan<ulong> mask, ReadOnlySpan<T> gradOutput, double lower, double upper, ulong seed, ulong position, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RReluSlope(lower, upper);
        bool half = typeof(T) == typeof(Half);
        MaskKernels.Backward(mask, gradOutput, gradInput, new RandomSlopeGradient<float>(seed, position, lower, upper, half), new RandomSlopeGradient<double>(seed, position, lower, upper, false));
    }
}
