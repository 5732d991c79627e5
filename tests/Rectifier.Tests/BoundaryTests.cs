using System.Numerics;

namespace Rectifier.Tests;

/// <summary>Inputs exactly on each parameter of a piecewise function, and one ULP either side, at the lengths where
/// the scalar, 128-, 256- and 512-bit paths and their tails take over (1, 4, 8, 12, 16, 40, 100), with parameters
/// that Half and float cannot hold exactly (so a comparison made in double, or one of ≤ and &lt; swapped, shows).
/// Every length puts each boundary input at a different lane.</summary>
public sealed class BoundaryTests
{
    public static readonly int[] Lengths = [1, 4, 8, 12, 16, 40, 100];

    private static readonly (Activation Activation, double[] Boundaries)[] Piecewise =
    [
        (Activation.Relu(), [0]),
        (Activation.Relu6(), [0, 6]),
        (Activation.Hardtanh(-0.3, 0.7), [-0.3, 0.7]),
        (Activation.Hardtanh(-1.1, 2.9), [-1.1, 2.9]),
        (Activation.Hardtanh(0.1, 0.1), [0.1]),
        (Activation.Hardtanh(-1, 0), [-1, 0]),
        (Activation.Hardtanh(0, 2.5), [0, 2.5]),
        (Activation.Threshold(0.1, -0.7), [0.1]),
        (Activation.Threshold(-0.3, 0.2), [-0.3]),
        (Activation.Threshold(2.5, 2.5), [2.5]),
        (Activation.LeakyRelu(0.3), [0]),
        (Activation.PRelu(0.15), [0]),
        (Activation.RRelu(0.1, 0.3), [0]),
        (Activation.Hardshrink(0.3), [-0.3, 0.3]),
        (Activation.Hardshrink(0.7), [-0.7, 0.7]),
        (Activation.Softshrink(0.3), [-0.3, 0.3]),
        (Activation.Softshrink(0.7), [-0.7, 0.7]),
    ];

    public static TheoryData<int> PiecewiseRows => [.. Enumerable.Range(0, Piecewise.Length)];

    /// <summary>Each boundary b as the element type holds it, one ULP above and below, and the doubles nearest b
    /// that the type rounds to a neighbour (b itself read as a double decides nothing).</summary>
    private static T[] Around<T>(double[] boundaries) where T : IFloatingPointIeee754<T>
    {
        var list = new List<T>();
        foreach (double b in boundaries)
        {
            T v = T.CreateTruncating(b);
            list.AddRange([v, T.BitIncrement(v), T.BitDecrement(v), T.BitIncrement(T.BitIncrement(v)), T.BitDecrement(T.BitDecrement(v))]);
            if (b == 0)
            {
                list.Add(T.NegativeZero); // on a bound of 0, −0 is inside and must come out as −0
            }
        }
        return [.. list];
    }

    private static T[] AtLength<T>(T[] pool, int n, int shift)
    {
        var x = new T[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = pool[(i + shift) % pool.Length];
        }
        return x;
    }

    [Theory]
    [MemberData(nameof(PiecewiseRows))]
    public void Piecewise_functions_at_their_parameters_match_the_reference(int row)
    {
        Check<float>(row);
        Check<double>(row);
        Check<Half>(row);
    }

    private static void Check<T>(int row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (Activation a, double[] boundaries) = Piecewise[row];
        Case<T> c = PiecewiseCases.For<T>(a);
        T[] pool = Around<T>(boundaries);
        foreach (int n in Lengths)
        {
            // Every boundary input at every lane of this length: one call per rotation of the pool.
            for (int shift = 0; shift < pool.Length; shift++)
            {
                T[] x = AtLength(pool, n, shift + n);
                T[] g = [.. Enumerable.Range(0, n).Select(i => T.CreateTruncating(i % 3 - 1.25))];
                T[] y = new T[n], dx = new T[n], ya = new T[n], dxa = new T[n];
                c.Forward(x, y);
                c.Backward(x, g, dx);
                a.Forward<T>(x, ya);
                a.Backward<T>(x, g, dxa);
                for (int i = 0; i < n; i++)
                {
                    string at = $"{a}<{typeof(T).Name}> at x = {Numbers.Show(x[i])}, lane {i} of {n}";
                    T ey = c.RefForward(x[i]), edx = c.RefBackward(x[i], g[i]);
                    Assert.True(Numbers.Same(ey, y[i]), $"{at}: forward {Numbers.Show(y[i])}, expected {Numbers.Show(ey)}");
                    Assert.True(Numbers.Same(ey, ya[i]), $"{at} (Activation): forward {Numbers.Show(ya[i])}, expected {Numbers.Show(ey)}");
                    Assert.True(Numbers.Same(edx, dx[i]), $"{at}: backward {Numbers.Show(dx[i])}, expected {Numbers.Show(edx)}");
                    Assert.True(Numbers.Same(edx, dxa[i]), $"{at} (Activation): backward {Numbers.Show(dxa[i])}, expected {Numbers.Show(edx)}");
                }
            }
        }
    }

    /// <summary>hardswish and hardsigmoid at ±3 (their kinks) and softplus on its switch x·β = threshold with β and
    /// threshold whose quotient is inexact: at each length, against the double references within the contract.</summary>
    [Fact]
    public void Smooth_kinks_and_the_softplus_switch_meet_the_contract_at_every_length()
    {
        foreach ((string name, double[] boundaries) in new[] { ("hardswish", new[] { -3.0, 3.0 }), ("hardsigmoid", new[] { -3.0, 3.0 }), ("softplus_b8", new[] { 2.5 }) })
        {
            SmoothCase c = SmoothCase.Get(name);
            float[] pool = Around<float>(boundaries);
            foreach (int n in Lengths)
            {
                for (int shift = 0; shift < pool.Length; shift++)
                {
                    float[] x = AtLength(pool, n, shift + n), y = new float[n], dx = new float[n], g = new float[n];
                    g.AsSpan().Fill(1);
                    c.Forward<float>(x, y);
                    c.Backward<float>(x, g, dx);
                    for (int i = 0; i < n; i++)
                    {
                        Assert.True(Accuracy.FloatUlps(y[i], c.Value(x[i])) <= 2, $"{name}({x[i]:R}) = {y[i]:R}, reference {c.Value(x[i]):R}, lane {i} of {n}");
                        Assert.True(Accuracy.FloatUlps(dx[i], c.Slope(x[i])) <= 4, $"{name}'({x[i]:R}) = {dx[i]:R}, reference {c.Slope(x[i]):R}, lane {i} of {n}");
                    }
                }
            }
        }
    }

    /// <summary>softplus switches to x where x·β &gt; threshold (strictly), with the product rounded in the compute
    /// type (float for Half and float, as PyTorch's opmath): on each side of an inexact switch point.</summary>
    [Fact]
    public void Softplus_switches_strictly_above_its_threshold_with_the_product_in_the_compute_type()
    {
        const double beta = 3, threshold = 7; // switch at 7/3, inexact in every type
        foreach (int n in Lengths)
        {
            float[] pool = Around<float>([threshold / beta]);
            float[] x = AtLength(pool, n, n), y = new float[n];
            Activations.Softplus<float>(x, beta, threshold, y);
            for (int i = 0; i < n; i++)
            {
                bool linear = x[i] * (float)beta > (float)threshold;
                double expected = linear ? x[i] : SmoothReference.Softplus(beta * x[i]) / beta;
                Assert.True(linear ? y[i] == x[i] : Accuracy.FloatUlps(y[i], expected) <= 2,
                    $"softplus(β = 3, threshold = 7)({x[i]:R}) = {y[i]:R}, expected {expected:R} ({(linear ? "x itself" : "the log form")}), lane {i} of {n}");
            }
        }
    }
}
