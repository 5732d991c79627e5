using System.Numerics;
using System.Numerics.Tensors;
using Rectifier.Kernels;

namespace Rectifier;

public static partial class Fused
{
    /// <summary><c>y = act(x + bias[c])</c> over tensor views, the channels on axis 1.</summary>
    public static void BiasActivation<T>(in ReadOnlyTensorSpan<T> x, ReadOnlySpan<T> bias, Activation activation, in TensorSpan<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => BiasActivation(x, bias, activation, 1, destination);

    /// <summary><c>y = act(x + bias[c])</c> over tensor views, c the index along <paramref name="channelAxis"/> of the
    /// tensor's shape. Dense views are computed in their memory; strided ones are staged through a dense buffer. The
    /// same bits as <see cref="BiasActivation{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, ReadOnlySpan{T}, Activation, int, Span{T})"/>.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="bias">One value per channel.</param>
    /// <param name="activation">The activation (element-wise).</param>
    /// <param name="destination">Receives the output: x's shape, x itself or memory that does not overlap it.</param>
    /// <param name="channelAxis">The channel axis (1 for NCHW and [batch, features], −1 for NHWC).</param>
    /// <exception cref="ArgumentException">Shapes or the bias length disagree, or the destination partially overlaps x.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static void BiasActivation<T>(in ReadOnlyTensorSpan<T> x, ReadOnlySpan<T> bias, Activation activation, int channelAxis, in TensorSpan<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorWalk.CheckViews(x, destination, nameof(x), nameof(destination));
        using var stage = new TensorStage<T>();
        BiasActivation(stage.Input(x, nameof(x)), x.Lengths, bias, activation, channelAxis, stage.Output(destination, nameof(destination)));
        stage.Store(destination, nameof(destination));
    }

    /// <summary>The backward of the fused bias + activation over tensor views, the channels on axis 1.</summary>
    public static void BiasActivationBackward<T>(in ReadOnlyTensorSpan<T> x, ReadOnlySpan<T> bias, in ReadOnlyTensorSpan<T> gradOutput, Activation activation,
        in TensorSpan<T> gradInput, Span<T> gradBias) where T : unmanaged, IFloatingPointIeee754<T>
        => BiasActivationBackward(x, bias, gradOutput, activation, 1, gradInput, gradBias);

    /// <summary>The backward of <see cref="BiasActivation{T}(in ReadOnlyTensorSpan{T}, ReadOnlySpan{T}, Activation, int, in TensorSpan{T})"/>:
    /// dx and the bias gradient, summed in a fixed order (the bits of the span form).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input (before the bias).</param>
    /// <param name="bias">The bias of the forward pass.</param>
    /// <param name="gradOutput">dL/dy, x's shape.</param>
    /// <param name="activation">The activation.</param>
    /// <param name="gradInput">Receives dL/dx: x's shape, an input itself or memory that overlaps neither.</param>
    /// <param name="gradBias">Receives dL/dbias, one value per channel.</param>
    /// <param name="channelAxis">The channel axis.</param>
    /// <exception cref="ArgumentException">Shapes or lengths disagree, or an output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static void BiasActivationBackward<T>(in ReadOnlyTensorSpan<T> x, ReadOnlySpan<T> bias, in ReadOnlyTensorSpan<T> gradOutput, Activation activation,
        int channelAxis, in TensorSpan<T> gradInput, Span<T> gradBias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorWalk.CheckViews(x, gradInput, nameof(x), nameof(gradInput));
        TensorWalk.CheckViews(gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
        using var stage = new TensorStage<T>();
        BiasActivationBackward(stage.Input(x, nameof(x)), x.Lengths, bias, stage.Input(gradOutput, nameof(gradOutput)), activation,
            channelAxis, stage.Output(gradInput, nameof(gradInput)), gradBias);
        stage.Store(gradInput, nameof(gradInput));
    }
}
