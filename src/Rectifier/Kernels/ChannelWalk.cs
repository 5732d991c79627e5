namespace Rectifier.Kernels;

/// <summary>One segment of a channel walk: elements [Start, End) all of <see cref="Channel"/> (runs), or the slice of
/// the period that starts at <see cref="Offset"/> (short runs).</summary>
internal readonly record struct ChannelSegment(nint Start, nint End, int Channel, nint Offset)
{
    public nint Length => End - Start;
}

/// <summary>The one walk of a channel layout (element i is of channel (i / inner) mod C) over a range of element
/// indices, shared by the per-channel broadcast, the per-channel reduction and the fused bias forms. Long runs are
/// walked run by run (all of one channel; the whole range at once when there is one channel); short runs are walked as
/// slices of a period (C·inner elements, or any multiple of it), each slice a contiguous piece of the period from its
/// offset, so a per-position table of one period (weights, biases, sums) serves every slice.</summary>
internal readonly struct ChannelWalk(nint inner, int channels, nint period)
{
    /// <summary>Runs of one channel (the long-run walk).</summary>
    public static ChannelWalk Runs(ChannelLayout layout) => new((nint)layout.Inner, layout.Channels, 0);

    /// <summary>Slices of a period of <paramref name="period"/> elements (the short-run walk).</summary>
    public static ChannelWalk Periods(ChannelLayout layout, nint period) => new((nint)layout.Inner, layout.Channels, period);

    /// <summary>The segments of [<paramref name="start"/>, <paramref name="end"/>), in order.</summary>
    public Enumerator Segments(nint start, nint end) => new(this, start, end);

    public ref struct Enumerator(ChannelWalk walk, nint start, nint end)
    {
        private nint _next = start;

        public ChannelSegment Current { get; private set; }

        public bool MoveNext()
        {
            nint s = _next;
            if (s >= end)
            {
                return false;
            }
            if (walk.Period > 0)
            {
                nint offset = s % walk.Period;
                _next = Math.Min(end, s + walk.Period - offset);
                Current = new(s, _next, (int)(offset / walk.Inner % walk.Channels), offset);
                return true;
            }
            nint run = s / walk.Inner;
            _next = walk.Channels == 1 ? end : Math.Min(end, (run + 1) * walk.Inner);
            Current = new(s, _next, walk.Channels == 1 ? 0 : (int)(run % walk.Channels), 0);
            return true;
        }

        public readonly Enumerator GetEnumerator() => this;
    }

    private nint Inner => inner;

    private int Channels => channels;

    private nint Period => period;
}
