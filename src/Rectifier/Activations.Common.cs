using Rectifier.Kernels;

namespace Rectifier;

/// <summary>The ReLU family of activations over spans of <see cref="Half"/>, <see cref="float"/> and
/// <see cref="double"/>, with PyTorch's names, defaults and semantics (see docs/SPEC.md in the repository).</summary>
/// <remarks>
/// <para>Conventions shared by every method: the destination may be exactly the input span (in-place) but must not
/// partially overlap it; a destination longer than the input is written only over the input's length; an empty
/// input does nothing. Half data is computed in float and rounded once.</para>
/// <para>Parameters are <see cref="double"/> like PyTorch's <c>Scalar</c>: multiplicative parameters (slopes, alpha,
/// beta) are converted to the compute type (float for Half and float, double for double); comparison parameters
/// (threshold, hardtanh bounds, threshold's value) are converted to the element type, exactly as PyTorch does.</para>
/// <para>Large calls run on several cores (<see cref="Parallelism"/>); results never depend on the number of threads,
/// the vector width, the alignment or the length of the call.</para>
/// </remarks>
public static partial class Activations
{
    /// <summary>A multiplicative parameter in the float compute type (Half and float).</summary>
    private static float Multiplier(double value) => (float)value;

    /// <summary>A comparison parameter in the element type, widened to float for Half and float.</summary>
    private static float Bound<T>(double value) => typeof(T) == typeof(Half) ? (float)(Half)value : (float)value;

    /// <summary>Runs a smooth forward whose float evaluation meets the accuracy contract in float lanes (twice the
    /// lanes of double); double data at full precision.</summary>
    private static void SmoothNative<T, TF>(ReadOnlySpan<T> x, Span<T> destination, TF single, TF full) where T : unmanaged where TF : struct, Operators.IUnaryFunction
        => Elementwise.Unary(x, destination, new Operators.NativeSingleUnary<TF>(single), new Operators.DoubleUnary<TF>(full));

    /// <summary>Runs a smooth backward in float lanes for float data (see <see cref="SmoothNative{T, TF}"/>).</summary>
    private static void SmoothBackwardNative<T, TF>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput, TF single, TF full, string xName = "x") where T : unmanaged
        where TF : struct, Operators.IBinaryFunction
        => Elementwise.Binary(x, gradOutput, gradInput, new Operators.NativeSingleBinary<TF>(single), new Operators.DoubleBinary<TF>(full), xName);

    /// <summary>Runs a smooth forward: float and Half through double lanes at float precision (for functions whose
    /// float evaluation would cancel or compound past 2 ULP), double at full precision.</summary>
    private static void Smooth<T, TF>(ReadOnlySpan<T> x, Span<T> destination, TF single, TF full) where T : unmanaged where TF : struct, Operators.IUnaryFunction
        => Elementwise.Unary(x, destination, new Operators.SingleUnary<TF>(single), new Operators.DoubleUnary<TF>(full));

    /// <summary>Runs a smooth backward (first input named <paramref name="xName"/>).</summary>
    private static void SmoothBackward<T, TF>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput, TF single, TF full, string xName = "x") where T : unmanaged
        where TF : struct, Operators.IBinaryFunction
        => Elementwise.Binary(x, gradOutput, gradInput, new Operators.SingleBinary<TF>(single), new Operators.DoubleBinary<TF>(full), xName);

    /// <summary>A multiplicative parameter in the compute type of <typeparamref name="T"/> (float for Half and float),
    /// which must be finite there (and non-zero when <paramref name="nonZero"/>).</summary>
    private static double Coefficient<T>(double value, string paramName, bool nonZero = false)
    {
        double converted = typeof(T) == typeof(double) ? value : (float)value;
        if (!double.IsFinite(converted))
        {
            ThrowHelper.OutOfRange(paramName, value, $"'{paramName}' must be finite in the compute type ({(typeof(T) == typeof(double) ? "double" : "float")}).");
        }
        if (nonZero && converted == 0)
        {
            ThrowHelper.OutOfRange(paramName, value, $"'{paramName}' must not be 0{(value != 0 ? " (it underflows to 0 in float)" : "")}.");
        }
        return converted;
    }

    private static void CheckNotNaN(double value, string paramName)
    {
        if (double.IsNaN(value))
        {
            ThrowHelper.OutOfRange(paramName, value, $"'{paramName}' must not be NaN.");
        }
    }
}
