using System.Numerics;
using Rectifier.Kernels;
using Rectifier.Operators;

namespace Rectifier;

public static partial class Activations
{
    /// <summary>prelu with one weight: <c>y = x &gt; 0 ? x : w·x</c>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="weight">The learned slope for x ≤ 0.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps <paramref name="x"/>.</exception>
    public static void PRelu<T>(ReadOnlySpan<T> x, T weight, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Elementwise.Unary(x, destination, new LeakyReluOperator<float>(float.CreateTruncating(weight)), new LeakyReluOperator<double>(double.CreateTruncating(weight)));

    /// <summary>prelu with one weight per channel, the channels on axis 1 (NCHW, or [batch, features]).</summary>
    public static unsafe void PRelu<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> weight, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PRelu<T>(x, shape, weight, 1, destination);

    /// <summary>prelu with one weight per channel: <c>y = x &gt; 0 ? x : w[c]·x</c>, c the index of the element on
    /// <paramref name="channelAxis"/>.</summary>
    /// <param name="x">The input, contiguous in C order with <paramref name="shape"/>.</param>
    /// <param name="shape">The dimensions of <paramref name="x"/>; their product must equal its length.</param>
    /// <param name="weight">One weight, or one per channel (PyTorch's <c>num_parameters</c>).</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    /// <param name="channelAxis">The channel axis: 1 for NCHW (PyTorch's default), −1 for NHWC; negative values count
    /// from the end. A rank-0 or rank-1 input has no channel axis and takes one weight.</param>
    /// <exception cref="ArgumentException">The shape does not match the length, the weight count is neither 1 nor the
    /// channel count, or <paramref name="destination"/> is too short or overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static unsafe void PRelu<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> weight, int channelAxis, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ChannelLayout layout = ResolvePRelu(x.Length, shape, weight, channelAxis);
        Elementwise.CheckDestination(x, destination, nameof(x), nameof(destination));
        CheckDisjoint(weight, destination, nameof(weight), nameof(destination));
        if (x.IsEmpty)
        {
            return;
        }
        fixed (T* px = x)
        fixed (T* pw = weight)
        fixed (T* pd = destination)
        {
            ChannelBroadcast.Apply(layout, px, null, pw, pd, x.Length);
        }
    }

    /// <summary>prelu with one weight, in place.</summary>
    /// <param name="values">The input, overwritten with the output.</param>
    /// <param name="weight">The learned slope for x ≤ 0.</param>
    public static void PReluInPlace<T>(Span<T> values, T weight) where T : unmanaged, IFloatingPointIeee754<T>
        => PRelu<T>(values, weight, values);

    /// <summary>prelu with one weight per channel, in place.</summary>
    /// <param name="values">The input, contiguous in C order with <paramref name="shape"/>, overwritten with the output.</param>
    /// <param name="shape">The dimensions of <paramref name="values"/>.</param>
    /// <param name="weight">One weight, or one per channel.</param>
    /// <param name="channelAxis">The channel axis (1 for NCHW, -1 for NHWC).</param>
    /// <exception cref="ArgumentException">The shape does not match the length, or the weight count is neither 1 nor the channel count.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static void PReluInPlace<T>(Span<T> values, ReadOnlySpan<nint> shape, ReadOnlySpan<T> weight, int channelAxis = 1) where T : unmanaged, IFloatingPointIeee754<T>
        => PRelu<T>(values, shape, weight, channelAxis, values);

    /// <summary>prelu backward with one weight: <c>dx = x &gt; 0 ? g : w·g</c>; returns
    /// <c>dw = Σ (x &gt; 0 ? 0 : x·g)</c>, summed in double in a fixed order.</summary>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="weight">The weight used in the forward pass.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    /// <returns>dL/dw.</returns>
    /// <exception cref="ArgumentException">Lengths differ, <paramref name="gradInput"/> is too short, or it partially overlaps an input.</exception>
    public static T PReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, T weight, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> gradWeight = stackalloc T[1];
        PReluBackward(x, [x.Length], gradOutput, [weight], 0, gradInput, gradWeight);
        return gradWeight[0];
    }

    /// <summary>prelu backward with the channels on axis 1 (NCHW, or [batch, features]).</summary>
    public static unsafe void PReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> weight, Span<T> gradInput, Span<T> gradWeight)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PReluBackward<T>(x, shape, gradOutput, weight, 1, gradInput, gradWeight);

    /// <summary>prelu backward with one weight per channel: <c>dx = x &gt; 0 ? g : w[c]·g</c> and
    /// <c>dw[c] = Σ over the batch and every position of channel c of (x &gt; 0 ? 0 : x·g)</c>, summed in double in a
    /// fixed order (the same bits whatever the thread count or vector width).</summary>
    /// <param name="x">The forward input, contiguous in C order with <paramref name="shape"/>.</param>
    /// <param name="shape">The dimensions of <paramref name="x"/>.</param>
    /// <param name="gradOutput">dL/dy, same length as <paramref name="x"/>.</param>
    /// <param name="weight">The weights used in the forward pass (1 or one per channel).</param>
    /// <param name="gradInput">Receives dL/dx; may alias <paramref name="x"/> or <paramref name="gradOutput"/> exactly.</param>
    /// <param name="gradWeight">Receives dL/dw, one value per weight.</param>
    /// <param name="channelAxis">The channel axis (negative counts from the end).</param>
    /// <exception cref="ArgumentException">Shapes, lengths or weight counts disagree, or an output is too short or overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static unsafe void PReluBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, ReadOnlySpan<T> gradOutput, ReadOnlySpan<T> weight, int channelAxis, Span<T> gradInput, Span<T> gradWeight) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ChannelLayout layout = ResolvePRelu(x.Length, shape, weight, channelAxis);
        if (gradOutput.Length != x.Length)
        {
            ThrowHelper.LengthMismatch(nameof(gradOutput), x.Length, gradOutput.Length);
        }
        Elementwise.CheckDestination(x, gradInput, nameof(x), nameof(gradInput));
        Elementwise.CheckDestination(gradOutput, gradInput, nameof(gradOutput), nameof(gradInput));
        CheckDisjoint(weight, gradInput, nameof(weight), nameof(gradInput));
        if (gradWeight.Length < weight.Length)
        {
            ThrowHelper.Argument(nameof(gradWeight), $"gradWeight has {gradWeight.Length} elements but there are {weight.Length} weights.");
        }
        CheckDisjoint(x, gradWeight, nameof(x), nameof(gradWeight));
        CheckDisjoint(gradOutput, gradWeight, nameof(gradOutput), nameof(gradWeight));
        CheckDisjoint(weight, gradWeight, nameof(weight), nameof(gradWeight));
        CheckDisjoint<T>(gradInput, gradWeight, nameof(gradInput), nameof(gradWeight));
        Span<double> sums = weight.Length <= 256 ? stackalloc double[weight.Length] : new double[weight.Length];
        fixed (T* px = x)
        fixed (T* pg = gradOutput)
        fixed (T* pw = weight)
        fixed (T* pd = gradInput)
        {
            // dw first: gradInput may alias gradOutput or x.
            ChannelReduction.WeightGradient(layout, px, pg, x.Length, sums);
            if (!x.IsEmpty)
            {
                ChannelBroadcast.Apply(layout, px, pg, pw, pd, x.Length);
            }
        }
        for (int c = 0; c < weight.Length; c++)
        {
            gradWeight[c] = T.CreateTruncating(sums[c]);
        }
    }

    private static ChannelLayout ResolvePRelu<T>(int length, ReadOnlySpan<nint> shape, ReadOnlySpan<T> weight, int channelAxis)
    {
        ChannelLayout layout = ChannelLayout.Create(shape, channelAxis);
        if (layout.Length != length)
        {
            ThrowHelper.Argument(nameof(shape), $"The shape has {layout.Length} elements but x has {length}.");
        }
        if (weight.Length == 1)
        {
            return ChannelLayout.Single(length);
        }
        if (layout.Axis < 0)
        {
            ThrowHelper.Argument(nameof(weight), $"A rank-{shape.Length} input has no channel axis, so it takes 1 weight, not {weight.Length}.");
        }
        if (weight.Length != layout.Channels)
        {
            ThrowHelper.Argument(nameof(weight), $"There are {weight.Length} weights but axis {layout.Axis} has {layout.Channels} channels: give 1 weight or {layout.Channels}.");
        }
        return layout;
    }

    private static void CheckDisjoint<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> output, string inputName, string outputName)
    {
        if (input.Overlaps(output))
        {
            ThrowHelper.Argument(outputName, $"'{outputName}' overlaps '{inputName}': they must be separate memory.");
        }
    }
}
