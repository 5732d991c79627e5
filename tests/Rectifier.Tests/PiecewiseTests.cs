using System.Numerics;

namespace Rectifier.Tests;

public abstract class PiecewiseTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [Theory]
    [MemberData(nameof(CaseNames.PiecewiseData), MemberType = typeof(CaseNames))]
    public void Forward_and_backward_equal_the_reference_bit_for_bit_at_every_length(string name)
    {
        Case<T> c = PiecewiseCases.Get<T>(name);
        Harness.SweepLengthsAndOffsets(c.Forward, c.Backward, c.RefForward, c.RefBackward, name, seed: 17);
    }

    [Theory]
    [MemberData(nameof(CaseNames.PiecewiseData), MemberType = typeof(CaseNames))]
    public void Every_start_offset_gives_the_reference(string name)
    {
        Case<T> c = PiecewiseCases.Get<T>(name);
        Harness.SweepOffsets(c.Forward, c.RefForward, name, seed: 23);
    }

    [Theory]
    [MemberData(nameof(CaseNames.PiecewiseData), MemberType = typeof(CaseNames))]
    public void In_place_equals_out_of_place(string name)
    {
        Case<T> c = PiecewiseCases.Get<T>(name);
        Harness.InPlaceEqualsOutOfPlace(c.Forward, c.Backward, name, seed: 29);
    }

    [Theory]
    [MemberData(nameof(CaseNames.PiecewiseData), MemberType = typeof(CaseNames))]
    public void A_call_of_N_elements_equals_N_calls_of_one(string name)
    {
        Case<T> c = PiecewiseCases.Get<T>(name);
        Harness.LengthIndependence(c.Forward, c.Backward, name, seed: 31);
    }

    [Theory]
    [MemberData(nameof(CaseNames.PiecewiseData), MemberType = typeof(CaseNames))]
    public void Above_the_thresholds_one_thread_equals_all_threads_and_the_reference(string name)
    {
        Case<T> c = PiecewiseCases.Get<T>(name);
        Harness.LargeAndParallel(c.Forward, c.Backward, c.RefForward, c.RefBackward, name, seed: 37);
    }

    [Fact]
    public void Every_special_value_follows_the_spec_table()
    {
        T[] s = Numbers.Specials<T>();
        var y = new T[s.Length];
        Activations.Relu<T>(s, y);
        for (int i = 0; i < s.Length; i++)
        {
            if (T.IsNaN(s[i]))
            {
                Assert.True(T.IsNaN(y[i]), "relu(NaN) is NaN");
            }
            else if (T.IsNegative(s[i]))
            {
                Assert.True(Numbers.Same(y[i], T.IsZero(s[i]) ? T.NegativeZero : T.Zero), $"relu({s[i]}) keeps −0.0 and clears negatives");
            }
        }
        T[] g = [.. Enumerable.Repeat(T.CreateTruncating(3.0), s.Length)];
        Activations.ReluBackward<T>(s, g, y);
        for (int i = 0; i < s.Length; i++)
        {
            T expected = T.IsNaN(s[i]) ? g[i] : Numbers.ToDouble(s[i]) > 0 ? g[i] : T.Zero;
            Assert.True(Numbers.Same(y[i], expected), $"relu'({s[i]})");
        }
        // hardtanh/relu6 keep −0.0 when it is inside the range.
        T[] negZero = [T.NegativeZero];
        Activations.Relu6<T>(negZero, y.AsSpan(0, 1));
        Assert.True(Numbers.Same(y[0], T.NegativeZero));
        Activations.LeakyRelu<T>(negZero, y.AsSpan(0, 1));
        Assert.True(Numbers.Same(y[0], T.NegativeZero));
    }
}

public sealed class PiecewiseFloatTests : PiecewiseTests<float>;
public sealed class PiecewiseDoubleTests : PiecewiseTests<double>;
public sealed class PiecewiseHalfTests : PiecewiseTests<Half>;
