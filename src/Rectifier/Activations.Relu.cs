using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>relu: <c>y = x &lt; 0 ? 0 : x</c>, i.e. max(0, x) with NaN and −0.0 passed through (bitwise PyTorch).</summary>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives relu(x); may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/> or partially overlaps it.</exception>
    public static void Relu<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Elementwise.Unary(x, destination, default(ReluOperator<float>), default(ReluOperator<double>), default(ReluHalfBitsOperator));

    /// <summary>relu in place: <c>values[i] = relu(values[i])</c>.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    public static void ReluInPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
        => Relu<T>(values, values);

    /// <summary>relu backward from the input: <c>dx = x &lt;= 0 ? 0 : g</c> (relu'(0) = 0; NaN input passes g).</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy, same length as <paramref name="x"/>.</param>
    /// <param name="gradInput">Receives dL/dx; may be <paramref name="gradOutput"/> or <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void ReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => Elementwise.Binary(x, gradOutput, gradInput, default(ReluBackwardOperator<float>), default(ReluBackwardOperator<double>), default(ReluBackwardHalfBitsOperator));

    /// <summary>relu backward from the output y = relu(x): <c>dx = y &lt;= 0 ? 0 : g</c>, bitwise equal to
    /// <see cref="ReluBackward{T}"/>, so the input need not be kept alive.</summary>
    /// <param name="y">The forward output.</param>
    /// <param name="gradOutput">dL/dy, same length as <paramref name="y"/>.</param>
    /// <param name="gradInput">Receives dL/dx; may be <paramref name="gradOutput"/> or <paramref name="y"/> itself.</param>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static void ReluBackwardFromOutput<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => Elementwise.Binary(y, gradOutput, gradInput, default(ReluBackwardOperator<float>), default(ReluBackwardOperator<double>), default(ReluBackwardHalfBitsOperator), xName: "y");
}
