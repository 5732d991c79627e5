using CsCheck;
using Rectifier.Kernels;

namespace Rectifier.Tests;

/// <summary>The one channel walk against index arithmetic written here: its segments tile the range in order, every
/// element of a run segment is of the segment's channel, and every element of a period slice sits at the slice's
/// offset plus its distance from the start.</summary>
public sealed class ChannelWalkTests
{
    private static readonly Gen<(int Outer, int Channels, int Inner, int Start, int Length, int Repeats)> Layouts =
        Gen.Select(Gen.Int[1, 4], Gen.Int[1, 9], Gen.Int[1, 70], Gen.Int[0, 200], Gen.Int[0, 400], Gen.Int[1, 3]);

    [Fact]
    public void Segments_tile_the_range_and_name_each_elements_channel_or_period_offset()
    {
        Layouts.SampleEach(t =>
        {
            var (outer, channels, inner, start0, length, repeats) = t;
            ChannelLayout layout = ChannelLayout.Create([outer, channels, inner], 1);
            nint n = (nint)layout.Length;
            nint start = Math.Min(start0, n), end = Math.Min(n, start + length);
            nint period = (nint)channels * inner * repeats;
            foreach (bool byPeriod in new[] { false, true })
            {
                ChannelWalk walk = byPeriod ? ChannelWalk.Periods(layout, period) : ChannelWalk.Runs(layout);
                nint next = start;
                foreach (ChannelSegment seg in walk.Segments(start, end))
                {
                    Assert.Equal(next, seg.Start);
                    Assert.True(seg.End > seg.Start, "an empty segment");
                    for (nint i = seg.Start; i < seg.End; i++)
                    {
                        int channel = (int)(i / inner % channels);
                        if (byPeriod)
                        {
                            Assert.Equal(i % period, seg.Offset + (i - seg.Start));
                            Assert.True(seg.Offset + seg.Length <= period, "a slice runs past its period");
                        }
                        else
                        {
                            Assert.Equal(channel, seg.Channel);
                        }
                    }
                    if (byPeriod)
                    {
                        Assert.Equal((int)(seg.Offset / inner % channels), seg.Channel);
                    }
                    next = seg.End;
                }
                Assert.Equal(end, next);
            }
            return true;
        });
    }
}
