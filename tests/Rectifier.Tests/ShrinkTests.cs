using System.Numerics;

namespace Rectifier.Tests;

/// <summary>hardshrink and softshrink exactly at ±λ and one ULP either side, with λ exact and inexact in the element
/// type, at lengths that reach every vector width's body and tail; validation of λ.</summary>
public sealed class ShrinkTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.3)]      // inexact in Half and float: compared and subtracted as the element type's value
    [InlineData(1e-3)]
    [InlineData(0.0)]
    [InlineData(1e6)]      // ∞ in Half
    [InlineData(1e39)]     // ∞ in Half and float
    [InlineData(double.PositiveInfinity)]
    public void Inputs_at_and_next_to_lambda_follow_the_spec_in_every_type(double lambda)
    {
        Boundaries<Half>(lambda);
        Boundaries<float>(lambda);
        Boundaries<double>(lambda);
    }

    private static void Boundaries<T>(double lambda) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T l = T.CreateTruncating(lambda);
        T[] pattern = [l, -l, T.BitIncrement(l), T.BitDecrement(l), T.BitIncrement(-l), T.BitDecrement(-l), T.Zero, T.NegativeZero, T.NaN, T.One, -T.One];
        foreach (int n in new[] { 1, 4, 8, 12, 16, 40, 100 })
        {
            T[] x = [.. Enumerable.Range(0, n).Select(i => pattern[(i * 7 + n) % pattern.Length])];
            T[] g = [.. Enumerable.Range(0, n).Select(i => T.CreateTruncating(i + 1))];
            T[] hard = new T[n], soft = new T[n], dh = new T[n], ds = new T[n];
            Activations.Hardshrink<T>(x, lambda, hard);
            Activations.Softshrink<T>(x, lambda, soft);
            Activations.HardshrinkBackward<T>(x, g, lambda, dh);
            Activations.SoftshrinkBackward<T>(x, g, lambda, ds);
            for (int i = 0; i < n; i++)
            {
                bool band = PiecewiseCases.InShrinkBand(x[i], lambda);
                T expectedHard = band ? T.Zero : x[i];
                T expectedSoft = PiecewiseCases.Soft(x[i], lambda);
                T expectedGrad = band ? T.Zero : g[i];
                string at = $"<{typeof(T).Name}> λ = {lambda}, x = {Numbers.Show(x[i])}, n = {n}";
                Assert.True(Numbers.Same(expectedHard, hard[i]), $"hardshrink{at}: {Numbers.Show(hard[i])}");
                Assert.True(Numbers.Same(expectedSoft, soft[i]), $"softshrink{at}: {Numbers.Show(soft[i])}");
                Assert.True(Numbers.Same(expectedGrad, dh[i]), $"hardshrink'{at}: {Numbers.Show(dh[i])}");
                Assert.True(Numbers.Same(expectedGrad, ds[i]), $"softshrink'{at}: {Numbers.Show(ds[i])}");
            }
        }
    }

    [Fact]
    public void A_negative_or_NaN_lambda_is_refused_naming_it()
    {
        float[] x = new float[4];
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Hardshrink<float>(x, -0.1, x)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softshrink<float>(x, double.NaN, x)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.SoftshrinkBackward<float>(x, x, -1, x)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Hardshrink(-1).Forward<double>(new double[2], new double[2])).ParamName);
    }

    [Fact]
    public void Fused_bias_with_a_shrink_equals_the_separate_passes()
    {
        var rng = new Random(11);
        nint[] shape = [2, 3, 200];   // runs of 200: the fused run path
        float[] x = [.. Enumerable.Range(0, 1200).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        float[] bias = [0.1f, -0.25f, 0.3f], g = [.. Enumerable.Range(0, 1200).Select(_ => (float)rng.NextDouble())];
        foreach (Activation a in new[] { Activation.Hardshrink(0.3), Activation.Softshrink(0.3), Activation.Softshrink(double.PositiveInfinity) })
        {
            float[] y = new float[1200], expected = new float[1200], z = new float[1200], dx = new float[1200], db = new float[3], edx = new float[1200];
            Fused.BiasActivation<float>(x, shape, bias, a, y);
            for (int i = 0; i < 1200; i++)
            {
                z[i] = x[i] + bias[i / 200 % 3];
            }
            a.Forward<float>(z, expected);
            Harness.AssertElements<float>(y, i => expected[i], $"fused {a}");
            Fused.BiasActivationBackward<float>(x, shape, bias, g, a, dx, db);
            a.Backward<float>(z, g, edx);
            Harness.AssertElements<float>(dx, i => edx[i], $"fused {a} backward");
            for (int c = 0; c < 3; c++)
            {
                double sum = 0;
                for (int i = 0; i < 1200; i++)
                {
                    sum += i / 200 % 3 == c ? edx[i] : 0;
                }
                // summed in double in another order: equal once rounded to float, but for a tie
                Assert.True(Math.Abs(db[c] - sum) <= Math.Abs(sum) * 1e-7, $"dBias[{c}] = {db[c]}, exact {sum}");
            }
        }
    }
}
