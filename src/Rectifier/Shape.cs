namespace Rectifier;

/// <summary>A C-ordered (row-major, contiguous) tensor layout seen as [outer, channels, inner] around one
/// channel axis. Strided (non-contiguous) data is not supported: copy it to a contiguous buffer first.</summary>
public readonly record struct ChannelLayout
{
    /// <summary>Product of the dimensions before the channel axis (the batch, for NCHW).</summary>
    public long Outer { get; }

    /// <summary>Size of the channel axis (1 when the input has no channel axis).</summary>
    public int Channels { get; }

    /// <summary>Product of the dimensions after the channel axis (H·W for NCHW, 1 for NHWC).</summary>
    public long Inner { get; }

    /// <summary>The channel axis, normalised to 0..rank−1 (−1 when the input has rank 0 or 1).</summary>
    public int Axis { get; }

    /// <summary>Total number of elements.</summary>
    public long Length => Outer * Channels * Inner;

    private ChannelLayout(long outer, int channels, long inner, int axis)
    {
        Outer = outer;
        Channels = channels;
        Inner = inner;
        Axis = axis;
    }

    /// <summary>A layout with one channel covering <paramref name="length"/> elements.</summary>
    internal static ChannelLayout Single(long length) => new(1, 1, length, -1);

    /// <summary>The layout of a tensor of <paramref name="shape"/> with channels on <paramref name="channelAxis"/>
    /// (negative values count from the end, like NumPy: −1 is the last axis, i.e. NHWC). A rank-0 or rank-1 tensor
    /// has no channel axis: it is one channel.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the element count overflows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channelAxis"/> is not an axis of the shape.</exception>
    public static ChannelLayout Create(ReadOnlySpan<nint> shape, int channelAxis = 1) => Create(shape, channelAxis, nameof(channelAxis));

    /// <summary><see cref="Create(ReadOnlySpan{nint}, int)"/> with the axis parameter named as the caller's API names
    /// it (softmax's <c>dim</c>).</summary>
    internal static ChannelLayout Create(ReadOnlySpan<nint> shape, int channelAxis, string axisName)
    {
        long total = 1;
        foreach (nint d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape has a negative dimension ({d}).", nameof(shape));
            }
            try
            {
                total = checked(total * d);
            }
            catch (OverflowException)
            {
                throw new ArgumentException("Shape has more elements than can be addressed.", nameof(shape));
            }
        }
        if (shape.Length < 2)
        {
            return new ChannelLayout(1, 1, total, -1);
        }
        int axis = channelAxis < 0 ? channelAxis + shape.Length : channelAxis;
        if (axis < 0 || axis >= shape.Length)
        {
            throw new ArgumentOutOfRangeException(axisName, channelAxis,
                $"Axis {channelAxis} is not an axis of a rank-{shape.Length} tensor (use 0..{shape.Length - 1}, or -1..-{shape.Length} from the end).");
        }
        if (shape[axis] > int.MaxValue)
        {
            throw new ArgumentException($"Channel axis has {shape[axis]} channels; at most {int.MaxValue} are supported.", nameof(shape));
        }
        long outer = 1, inner = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= shape[i];
        }
        for (int i = axis + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }
        if (shape[axis] == 0)
        {
            return new ChannelLayout(0, 0, inner, axis);
        }
        return new ChannelLayout(outer, (int)shape[axis], inner, axis);
    }
}
