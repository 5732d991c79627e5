using System.Numerics;

namespace Rectifier.Tests;

public abstract class RReluTrainingTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [Fact]
    public void Noise_is_drawn_in_bounds_for_non_positive_inputs_and_is_one_elsewhere()
    {
        T[] x = Numbers.Random<T>(5000, 3);
        T[] y = new T[x.Length], noise = new T[x.Length];
        Activations.RReluTraining<T>(x, 0.125, 1.0 / 3, new RReluGenerator(42), y, noise);
        double lo = Numbers.ToDouble(T.CreateTruncating(0.125)), hi = Numbers.ToDouble(T.CreateTruncating(1.0 / 3));
        var distinct = new HashSet<double>();
        for (int i = 0; i < x.Length; i++)
        {
            double xv = Numbers.ToDouble(x[i]), r = Numbers.ToDouble(noise[i]);
            if (xv > 0 || double.IsNaN(xv))
            {
                Assert.Equal(1.0, r);
            }
            else
            {
                Assert.InRange(r, lo, hi);
                distinct.Add(r);
            }
            // y = x·noise, rounded once to T.
            Assert.True(Numbers.Same(y[i], Numbers.FromDouble<T>(xv * r)), $"y[{i}] = {y[i]}, x = {x[i]}, noise = {noise[i]}");
        }
        Assert.True(distinct.Count > (typeof(T) == typeof(Half) ? 50 : 1000), "slopes must vary from element to element");
    }

    [Fact]
    public void The_same_seed_gives_the_same_noise_whatever_the_thread_count_and_the_generator_advances()
    {
        T[] x = [.. Numbers.Random<T>(300_000, 4).Select(v => -T.Abs(v))];
        T[] n1 = new T[x.Length], n2 = new T[x.Length], n3 = new T[x.Length], y = new T[x.Length];
        var gen = new RReluGenerator(7);
        using (Parallelism.Scope(1))
        {
            Activations.RReluTraining<T>(x, 0.1, 0.3, gen, y, n1);
        }
        Assert.Equal((ulong)x.Length, gen.Position);
        Activations.RReluTraining<T>(x, 0.1, 0.3, new RReluGenerator(7), y, n2);
        Harness.AssertElements<T>(n2, i => n1[i], "same seed");
        Activations.RReluTraining<T>(x, 0.1, 0.3, gen, y, n3);
        Assert.Equal(2UL * (ulong)x.Length, gen.Position);
        Assert.True(n3.Where((v, i) => !Numbers.Same(v, n1[i])).Count() > x.Length / 2, "a second call continues the stream");
    }

    [Fact]
    public void The_backward_multiplies_by_the_noise()
    {
        T[] x = Numbers.Random<T>(999, 8), g = Numbers.Random<T>(999, 9);
        T[] y = new T[x.Length], noise = new T[x.Length], dx = new T[x.Length];
        Activations.RReluTraining<T>(x, 0.2, 0.4, new RReluGenerator(1), y, noise);
        Activations.RReluTrainingBackward<T>(noise, g, dx);
        Harness.AssertElements<T>(dx, i => Numbers.FromDouble<T>(Numbers.ToDouble(g[i]) * Numbers.ToDouble(noise[i])), "rrelu training backward");
    }

    [Fact]
    public void Noise_may_not_overlap_the_input_or_the_output()
    {
        var buffer = new T[20];
        var e = Assert.Throws<ArgumentException>(() => Activations.RReluTraining<T>(buffer.AsSpan(0, 10), 0.1, 0.2, new RReluGenerator(1), new T[10], buffer.AsSpan(5, 10)));
        Assert.Equal("noise", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Activations.RReluTraining<T>(new T[10], 0.1, 0.2, new RReluGenerator(1), new T[10], new T[9]));
        Assert.Equal("noise", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Activations.RReluTraining<T>(new T[10], 0.3, 0.2, new RReluGenerator(1), new T[10], new T[10]));
    }
}

public sealed class RReluTrainingFloatTests : RReluTrainingTests<float>;
public sealed class RReluTrainingDoubleTests : RReluTrainingTests<double>;
public sealed class RReluTrainingHalfTests : RReluTrainingTests<Half>;
