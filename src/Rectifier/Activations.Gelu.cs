using System.Numerics;
using Rectifier.Operators;

namespace Rectifier;

/// <summary>How gelu evaluates the Gaussian CDF (PyTorch's <c>approximate</c>).</summary>
public enum GeluApproximation
{
    /// <summary>The exact form x·Φ(x) = ½x·erfc(−x/√2).</summary>
    None,

    /// <summary>The tanh form ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    Tanh,
}

public static partial class Activations
{
    /// <summary>gelu in its exact (erf) form, PyTorch's default.</summary>
    public static void Gelu<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Gelu<T>(x, GeluApproximation.None, destination);

    /// <summary>gelu: <c>x·Φ(x)</c> (or the tanh form), within 2 ULP (float) / 4 ULP (double) of the exact value,
    /// deep negative tails included (gelu(−13) ≈ −8e−38 in float, where the 1 + erf form returns 0);
    /// gelu(+∞) = +∞, gelu(−∞) = −0.</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="approximate">The exact form (default) or the tanh form.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approximate"/> is not a defined value.</exception>
    public static void Gelu<T>(ReadOnlySpan<T> x, GeluApproximation approximate, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (CheckApproximation(approximate) == GeluApproximation.None)
        {
            SmoothNative(x, destination, default(GeluFunction), default(GeluFunction));
        }
        else
        {
            Smooth(x, destination, default(GeluTanhFunction), default(GeluTanhFunction));
        }
    }

    /// <summary>gelu in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="approximate">The exact form (default) or the tanh form.</param>
    public static void GeluInPlace<T>(Span<T> values, GeluApproximation approximate = GeluApproximation.None) where T : unmanaged, IFloatingPointIeee754<T>
        => Gelu<T>(values, approximate, values);

    /// <summary>gelu backward in its exact (erf) form, PyTorch's default.</summary>
    public static void GeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
        => GeluBackward<T>(x, gradOutput, GeluApproximation.None, gradInput);

    /// <summary>gelu backward: <c>g·(Φ(x) + x·φ(x))</c>, or the derivative of the tanh form (finite everywhere:
    /// gelu'(+∞) = 1, gelu'(−∞) = 0); gelu'(0) = 0.5.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <param name="approximate">The exact form (default) or the tanh form.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void GeluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, GeluApproximation approximate, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (CheckApproximation(approximate) == GeluApproximation.None)
        {
            SmoothBackwardNative(x, gradOutput, gradInput, default(GeluBackwardFunction), default(GeluBackwardFunction));
        }
        else
        {
            SmoothBackward(x, gradOutput, gradInput, default(GeluTanhBackwardFunction), default(GeluTanhBackwardFunction));
        }
    }

    private static GeluApproximation CheckApproximation(GeluApproximation approximate)
    {
        if (approximate is not (GeluApproximation.None or GeluApproximation.Tanh))
        {
            Kernels.ThrowHelper.OutOfRange(nameof(approximate), approximate, "'approximate' must be None or Tanh.");
        }
        return approximate;
    }
}
