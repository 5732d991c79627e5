using System.Numerics;
using System.Numerics.Tensors;
using Rectifier.Kernels;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>prelu with one weight per channel over tensor views, the channels on axis 1.</summary>
    public static void PRelu<T>(in ReadOnlyTensorSpan<T> x, ReadOnlySpan<T> weight, in TensorSpan<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => PRelu(x, weight, 1, destination);

    /// <summary>prelu with one weight per channel over tensor views: the channel axis is an axis of the tensor's
    /// shape. Dense views are computed in place of their memory; strided ones are staged through a dense buffer. The
    /// same bits as <see cref="PRelu{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, ReadOnlySpan{T}, int, Span{T})"/>.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="weight">1 weight, or one per channel.</param>
    /// <param name="destination">Receives the output: x's shape, x itself or memory that does not overlap it.</param>
    /// <param name="channelAxis">The channel axis (negative counts from the end).</param>
    /// <exception cref="ArgumentException">Shapes or weight counts disagree, or the destination partially overlaps x.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static void PRelu<T>(in ReadOnlyTensorSpan<T> x, ReadOnlySpan<T> weight, int channelAxis, in TensorSpan<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorWalk.CheckViews(x, destination, nameof(x), nameof(destination));
        using var stage = new TensorStage<T>();
        PRelu(stage.Input(x, nameof(x)), x.Lengths, weight, channelAxis, stage.Output(destination, nameof(destination)));
        stage.Store(destination, nameof(destination));
    }

    /// <summary>prelu backward over tensor views, the channels on axis 1.</summary>
    public static void PReluBackward<T>(in ReadOnlyTensorSpan<T> x, in ReadOnlyTensorSpan<T> gradOutput, ReadOnlySpan<T> weight, in TensorSpan<T> gradInput, Span<T> gradWeight)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PReluBackward(x, gradOutput, weight, 1, gradInput, gradWeight);

    /// <summary>The backward of <see cref="PRelu{T}(in ReadOnlyTensorSpan{T}, ReadOnlySpan{T}, int, in TensorSpan{T})"/>: dx, and
    /// dw summed per channel in a fixed order (the bits of the span form).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy, x's shape.</param>
    /// <param name="weight">The weights of the forward pass.</param>
    /// <param name="gradInput">Receives dL/dx: x's shape, an input itself or memory that overlaps neither.</param>
    /// <param name="gradWeight">Receives dL/dw, one value per weight.</param>
    /// <param name="channelAxis">The channel axis.</param>
    /// <exception cref="ArgumentException">Shapes or counts disagree, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static void PReluBackward<T>(in ReadOnlyTensorSpan<T> x, in ReadOnlyTensorSpan<T> gradOutput, ReadOnlySpan<T> weight, int channelAxis, in TensorSpan<T> gradInput,
        Span<T> gradWeight) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorWalk.CheckViews(x, gradInput, nameof(x), nameof(gradInput));
        TensorWalk.CheckViews(gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
        using var stage = new TensorStage<T>();
        PReluBackward(stage.Input(x, nameof(x)), x.Lengths, stage.Input(gradOutput, nameof(gradOutput)), weight, channelAxis, stage.Output(gradInput, nameof(gradInput)),
            gradWeight);
        stage.Store(gradInput, nameof(gradInput));
    }
}
