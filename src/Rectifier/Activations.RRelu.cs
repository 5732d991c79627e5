using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>PyTorch's default lower bound of rrelu's slope, 1/8.</summary>
    public const double DefaultRReluLower = 1.0 / 8.0;

    /// <summary>PyTorch's default upper bound of rrelu's slope, 1/3.</summary>
    public const double DefaultRReluUpper = 1.0 / 3.0;

    /// <summary>rrelu in evaluation mode with the default bounds: leaky_relu with slope (1/8 + 1/3)/2.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public static void RRelu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => RRelu(x, DefaultRReluLower, DefaultRReluUpper, destination);

    /// <summary>rrelu in evaluation mode: leaky_relu with slope (lower + upper)/2, computed in double as PyTorch does.</summary>
    /// <param name="x">The input.</param>
    /// <param name="lower">Lower bound of the random slope.</param>
    /// <param name="upper">Upper bound of the random slope.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="lower"/> &gt; <paramref name="upper"/>.</exception>
    public static void RRelu<T>(ReadOnlySpan<T> x, double lower, double upper, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => LeakyRelu(x, RReluSlope(lower, upper), destination);

    /// <summary>rrelu in evaluation mode, in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="lower">Lower bound of the random slope.</param>
    /// <param name="upper">Upper bound of the random slope.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="lower"/> &gt; <paramref name="upper"/>.</exception>
    public static void RReluInPlace<T>(Span<T> values, double lower = DefaultRReluLower, double upper = DefaultRReluUpper) where T : unmanaged, IFloatingPointIeee754<T>
        => RRelu<T>(values, lower, upper, values);

    /// <summary>rrelu backward in evaluation mode: leaky_relu backward with slope (lower + upper)/2.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="lower">Lower bound of the random slope.</param>
    /// <param name="upper">Upper bound of the random slope.</param>
    /// <param name="gradInput">Receives dL/dx.</param>
    public static void RReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, double lower, double upper, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => LeakyReluBackward(x, gradOutput, RReluSlope(lower, upper), gradInput);

    /// <summary>rrelu in training mode: <c>y = x &lt;= 0 ? r·x : x</c> with r ~ U(lower, upper) drawn per element
    /// from <paramref name="generator"/>; <paramref name="noise"/> receives the factor used (r, or 1 where x &gt; 0),
    /// so that the backward is <see cref="RReluTrainingBackward{T}"/>. The draws depend only on the generator's seed and
    /// position, never on threads or widths; the generator advances by x.Length.</summary>
    /// <param name="x">The input.</param>
    /// <param name="lower">Lower bound of the random slope.</param>
    /// <param name="upper">Upper bound of the random slope.</param>
    /// <param name="generator">The seeded source of the slopes (not thread-safe).</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="noise">Receives the per-element factor; must not overlap <paramref name="x"/> or <paramref name="destination"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="lower"/> &gt; <paramref name="upper"/>.</exception>
    /// <exception cref="ArgumentException">An output is too short or overlaps where it must not.</exception>
    public static unsafe void RReluTraining<T>(ReadOnlySpan<T> x, double lower, double upper, RReluGenerator generator, Span<T> destination, Span<T> noise)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        RReluSlope(lower, upper);
        ArgumentNullException.ThrowIfNull(generator);
        Elementwise.CheckDestination(x, destination, nameof(x), nameof(destination));
        if (noise.Length < x.Length)
        {
            ThrowHelper.DestinationTooShort(nameof(noise));
        }
        CheckDisjoint(x, noise, nameof(x), nameof(noise));
        CheckDisjoint<T>(destination, noise, nameof(destination), nameof(noise));
        ulong start = generator.Advance(x.Length);
        if (x.IsEmpty)
        {
            return;
        }
        fixed (T* px = x)
        fixed (T* pn = noise)
        {
            ParallelRunner.For(x.Length, 2 * sizeof(T), new NoiseBody<T>(px, pn, generator.Seed, start, lower, upper));
        }
        Elementwise.Binary(x, noise[..x.Length], destination, default(MultiplyOperator<float>), default(MultiplyOperator<double>), nameof(x), nameof(noise), nameof(destination));
    }

    /// <summary>rrelu in training mode, in place: as RReluTraining with the output written over the input.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="lower">Lower bound of the random slope.</param>
    /// <param name="upper">Upper bound of the random slope.</param>
    /// <param name="generator">The seeded source of the slopes (not thread-safe).</param>
    /// <param name="noise">Receives the per-element factor; must not overlap <paramref name="values"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="lower"/> &gt; <paramref name="upper"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="noise"/> is too short or overlaps <paramref name="values"/>.</exception>
    public static void RReluTrainingInPlace<T>(Span<T> values, double lower, double upper, RReluGenerator generator, Span<T> noise) where T : unmanaged, IFloatingPointIeee754<T>
        => RReluTraining<T>(values, lower, upper, generator, values, noise);

    /// <summary>rrelu backward in training mode: <c>dx = g·noise</c>, with the noise returned by the forward pass.</summary>
    /// <param name="noise">The per-element factor from <see cref="RReluTraining{T}(ReadOnlySpan{T}, double, double, RReluGenerator, Span{T}, Span{T})"/>.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public static void RReluTrainingBackward<T>(ReadOnlySpan<T> noise, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => Elementwise.Binary(noise, gradOutput, gradInput, default(MultiplyOperator<float>), default(MultiplyOperator<double>), nameof(noise));

    private static double RReluSlope(double lower, double upper)
    {
        CheckNotNaN(lower, nameof(lower));
        CheckNotNaN(upper, nameof(upper));
        if (lower > upper)
        {
            ThrowHelper.OutOfRange(nameof(lower), lower, $"lower ({lower}) must not be greater than upper ({upper}).");
        }
        return (lower + upper) / 2;
    }

    /// <summary>noise[i] = x[i] &lt;= 0 ? r(i) : 1, r(i) from the counter-based generator at position start + i.</summary>
    private readonly unsafe struct NoiseBody<T>(T* x, T* noise, ulong seed, ulong start, double lower, double upper) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(nint s, nint e)
        {
            for (nint i = s; i < e; i++)
            {
                noise[i] = x[i] > T.Zero || T.IsNaN(x[i]) ? T.One : RReluNoise<T>(seed, start + (ulong)i, lower, upper);
            }
        }
    }

    /// <summary>rrelu's slope for draw <paramref name="counter"/> of the generator <paramref name="seed"/>: uniform in
    /// [lower, upper), drawn in double for double data and in float (PyTorch's opmath) for float and Half.</summary>
    internal static T RReluNoise<T>(ulong seed, ulong counter, double lower, double upper) where T : IFloatingPointIeee754<T>
    {
        ulong bits = RReluGenerator.Mix(seed, counter);
        if (typeof(T) == typeof(double))
        {
            return T.CreateTruncating(lower + (upper - lower) * ((bits >> 11) * (1.0 / (1UL << 53))));
        }
        float lf = (float)lower, wf = (float)upper - (float)lower;
        return T.CreateTruncating(lf + wf * ((bits >> 40) * (1.0f / (1 << 24))));
    }
}

/// <summary>The seeded, counter-based source of rrelu's random slopes: draw i of a generator is a fixed function of
/// (seed, position + i), so a training run is reproducible whatever the thread count. Not thread-safe.</summary>
/// <param name="seed">The seed.</param>
public sealed class RReluGenerator(ulong seed)
{
    /// <summary>The seed.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>How many draws have been consumed; the next call starts here.</summary>
    public ulong Position { get; private set; }

    internal ulong Advance(int count)
    {
        ulong start = Position;
        Position += (ulong)count;
        return start;
    }

    /// <summary>SplitMix64 of the counter, keyed by the seed.</summary>
    internal static ulong Mix(ulong seed, ulong counter)
    {
        ulong z = seed + (counter + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        z = (z ^ seed) * 0x9E3779B97F4A7C15UL;
        return z ^ (z >> 29);
    }
}
