using System.Numerics;

namespace Rectifier.Tests;

/// <summary>One special-value table for every activation, both directions and every type: ±∞, ±max, ±tiny (the
/// smallest normal), ±the smallest subnormal, ±0, NaN, and each kink and parameter boundary with its neighbours one
/// ULP either side. Expected values come from the test project alone: the piecewise family from the exact formulas
/// of <see cref="PiecewiseCases"/>, the smooth family from the double references of <see cref="SmoothCase"/> with
/// the limits of SPEC.md at ±∞ and NaN at NaN. Each row runs through its <see cref="Activation"/> value and through
/// the direct call, on arrays that put every special value at every position of a vector body and tail, and one
/// element at a time. The rows are checked against <see cref="ActivationKind"/>, so a new activation without a row
/// fails here.</summary>
public sealed class SpecialValueTableTests
{
    /// <summary>A piecewise row: its case in <see cref="PiecewiseCases"/>, the same function as an Activation value,
    /// and its parameter boundaries.</summary>
    private static readonly (string Case, Activation Activation, double[] Boundaries)[] PiecewiseRows =
    [
        ("relu", Activation.Relu(), [0]),
        ("relu6", Activation.Relu6(), [0, 6]),
        ("hardtanh", Activation.Hardtanh(), [-1, 1]),
        ("hardtanh(-0.5,2.5)", Activation.Hardtanh(-0.5, 2.5), [-0.5, 2.5]),
        ("threshold(0.5,-2)", Activation.Threshold(0.5, -2), [0.5]),
        ("threshold(-1,0.25)", Activation.Threshold(-1, 0.25), [-1]),
        ("leaky_relu", Activation.LeakyRelu(), [0]),
        ("leaky_relu(0.2)", Activation.LeakyRelu(0.2), [0]),
        ("prelu(0.25)", Activation.PRelu(0.25), [0]),
        ("rrelu_eval", Activation.RRelu(), [0]),
        ("rrelu_eval(0.1,0.3)", Activation.RRelu(0.1, 0.3), [0]),
        ("hardshrink", Activation.Hardshrink(), [-0.5, 0.5]),
        ("hardshrink(0.3)", Activation.Hardshrink(0.3), [-0.3, 0.3]),
        ("softshrink", Activation.Softshrink(), [-0.5, 0.5]),
        ("softshrink(0.3)", Activation.Softshrink(0.3), [-0.3, 0.3]),
        ("softshrink(0)", Activation.Softshrink(0), [0]),
    ];

    private static double[] SmoothBoundaries(string name) => name switch
    {
        "hardswish" or "hardsigmoid" => [-3, 3],
        "softplus" => [20, -20],
        "softplus_b8" => [2.5, -2.5],
        _ => [0],
    };

    public static TheoryData<string> PiecewiseNames => [.. PiecewiseRows.Select(r => r.Case)];

    [Fact]
    public void Every_activation_kind_has_a_row()
    {
        var covered = new HashSet<ActivationKind>(PiecewiseRows.Select(r => r.Activation.Kind).Concat(SmoothCase.All.Select(c => c.Activation.Kind)))
        {
            // The axis functions have their own table below.
            ActivationKind.Softmax, ActivationKind.LogSoftmax, ActivationKind.Softmin,
        };
        foreach (ActivationKind kind in Enum.GetValues<ActivationKind>())
        {
            Assert.True(covered.Contains(kind), $"{kind} has no row in the special-value table");
        }
    }

    /// <summary>The inputs of one row in T: the special values and each boundary with one ULP either side.</summary>
    internal static T[] Inputs<T>(IEnumerable<double> boundaries) where T : IFloatingPointIeee754<T>
    {
        T minNormal = T.CreateTruncating(typeof(T) == typeof(Half) ? Math.ScaleB(1, -14) : typeof(T) == typeof(float) ? Math.ScaleB(1, -126) : double.CreateTruncating(Math.ScaleB(1, -1022)));
        var list = new List<T>
        {
            T.PositiveInfinity, T.NegativeInfinity, MaxOf<T>(), -MaxOf<T>(), minNormal, -minNormal, T.Epsilon, -T.Epsilon,
            T.Zero, T.NegativeZero, T.NaN,
        };
        foreach (double b in boundaries)
        {
            T v = T.CreateTruncating(b);
            list.AddRange([v, T.BitIncrement(v), T.BitDecrement(v)]);
        }
        return [.. list];
    }

    private static T MaxOf<T>() where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(Half) ? (T)(object)Half.MaxValue : typeof(T) == typeof(float) ? (T)(object)float.MaxValue : (T)(object)double.MaxValue;

    /// <summary>x with every input at every position of a few vector bodies and tails, and gradients 1 and −3.</summary>
    private static (T[] X, T[] G) Spread<T>(T[] inputs) where T : IFloatingPointIeee754<T>
    {
        int n = 3 * inputs.Length + 5;
        T[] x = new T[n], g = new T[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = inputs[i % inputs.Length];
            g[i] = (i / inputs.Length) % 2 == 0 ? T.One : T.CreateTruncating(-3.0);
        }
        return (x, g);
    }

    /// <summary>Runs forward and backward on the whole array and on each element alone.</summary>
    private static (T[] Y, T[] Dx, T[] Y1, T[] Dx1) Run<T>(Forward<T> forward, Backward<T> backward, T[] x, T[] g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        T[] y = new T[n], dx = new T[n], y1 = new T[n], dx1 = new T[n];
        forward(x, y);
        backward(x, g, dx);
        for (int i = 0; i < n; i++)
        {
            forward(x.AsSpan(i, 1), y1.AsSpan(i, 1));
            backward(x.AsSpan(i, 1), g.AsSpan(i, 1), dx1.AsSpan(i, 1));
        }
        return (y, dx, y1, dx1);
    }

    [Theory]
    [MemberData(nameof(PiecewiseNames))]
    public void Piecewise_functions_follow_the_table_in_every_type(string name)
    {
        Piecewise<float>(name);
        Piecewise<double>(name);
        Piecewise<Half>(name);
    }

    private static void Piecewise<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var row = PiecewiseRows.Single(r => r.Case == name);
        Case<T> c = PiecewiseCases.Get<T>(name);
        (T[] x, T[] g) = Spread(Inputs<T>(row.Boundaries));
        foreach ((string route, Forward<T> f, Backward<T> b) in new (string, Forward<T>, Backward<T>)[]
        {
            ("direct", c.Forward, c.Backward),
            ("Activation", (x, y) => row.Activation.Forward(x, y), (x, g, d) => row.Activation.Backward(x, g, d)),
        })
        {
            var r = Run(f, b, x, g);
            for (int i = 0; i < x.Length; i++)
            {
                string at = $"{name}<{typeof(T).Name}> via {route} at x = {Numbers.Show(x[i])} (element {i} of {x.Length})";
                T ey = c.RefForward(x[i]), edx = c.RefBackward(x[i], g[i]);
                Assert.True(Numbers.Same(ey, r.Y[i]), $"{at}: forward {Numbers.Show(r.Y[i])}, expected {Numbers.Show(ey)}");
                Assert.True(Numbers.Same(ey, r.Y1[i]), $"{at}, alone: forward {Numbers.Show(r.Y1[i])}, expected {Numbers.Show(ey)}");
                Assert.True(Numbers.Same(edx, r.Dx[i]), $"{at}: backward {Numbers.Show(r.Dx[i])}, expected {Numbers.Show(edx)} (g = {g[i]})");
                Assert.True(Numbers.Same(edx, r.Dx1[i]), $"{at}, alone: backward {Numbers.Show(r.Dx1[i])}, expected {Numbers.Show(edx)} (g = {g[i]})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void Smooth_functions_follow_the_table_in_every_type(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        Smooth<float>(c, (y, e) => Accuracy.FloatUlps((float)(object)y, e), 2, 4);
        Smooth<double>(c, (y, e) => Accuracy.DoubleUlps((double)(object)y, e, 0), 4, 8);
        Smooth<Half>(c, (y, e) => Accuracy.HalfUlps((Half)(object)y, e), 1, 2);
    }

    private static void Smooth<T>(SmoothCase c, Func<T, double, double> ulps, double forwardBound, double backwardBound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] x, T[] g) = Spread(Inputs<T>(SmoothBoundaries(c.Name)));
        Activation a = c.Activation;
        foreach ((string route, Forward<T> f, Backward<T> b) in new (string, Forward<T>, Backward<T>)[]
        {
            ("direct", c.Forward, c.Backward),
            ("Activation", (x, y) => a.Forward(x, y), (x, g, d) => a.Backward(x, g, d)),
        })
        {
            var r = Run(f, b, x, g);
            for (int i = 0; i < x.Length; i++)
            {
                double xv = Numbers.ToDouble(x[i]), gv = Numbers.ToDouble(g[i]);
                double ey = c.ValueAt(xv), slope = c.SlopeAt(xv);
                double edx = slope == 0 ? 0 : gv * slope;
                string at = $"{c.Name}<{typeof(T).Name}> via {route} at x = {Numbers.Show(x[i])} (element {i} of {x.Length})";
                foreach ((T got, string how) in new[] { (r.Y[i], ""), (r.Y1[i], ", alone") })
                {
                    Assert.True(ulps(got, ey) <= forwardBound, $"{at}{how}: forward {Numbers.Show(got)}, expected {ey:R}");
                    // A zero result carries the sign of the limit or the formula: gelu(−∞) = −0, hardswish(−4) = −0, silu(−0) = −0.
                    if (ey == 0 && T.IsZero(got))
                    {
                        Assert.True(T.IsNegative(got) == double.IsNegative(ey), $"{at}{how}: forward {Numbers.Show(got)} has the wrong sign of zero");
                    }
                }
                foreach ((T got, string how) in new[] { (r.Dx[i], ""), (r.Dx1[i], ", alone") })
                {
                    Assert.True(ulps(got, edx) <= backwardBound, $"{at}{how}: backward {Numbers.Show(got)}, expected {edx:R} (g = {gv})");
                }
            }
        }
    }

    /// <summary>SPEC.md's special rows of the axis functions: a row with NaN or +∞, or only −∞, is a NaN row in
    /// softmax; −∞ entries are 0 (softmax) and −∞ (log_softmax); softmin mirrors softmax; a row of one is 1 and +0.</summary>
    [Fact]
    public void Softmax_family_follows_its_special_rows_in_every_type()
    {
        SoftmaxRows<float>();
        SoftmaxRows<double>();
        SoftmaxRows<Half>();
    }

    private static void SoftmaxRows<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T inf = T.PositiveInfinity, nan = T.NaN, zero = T.Zero, half = T.CreateTruncating(0.5);
        T max = MaxOf<T>();
        (T[] Row, T[] Softmax, T[] LogSoftmax, T[] Softmin)[] rows =
        [
            ([-inf, zero, zero], [zero, half, half], [-inf, -T.CreateTruncating(Math.Log(2)), -T.CreateTruncating(Math.Log(2))], [nan, nan, nan]),
            ([inf, zero], [nan, nan], [nan, nan], [zero, T.One]),
            ([nan, T.One], [nan, nan], [nan, nan], [nan, nan]),
            ([-inf, -inf], [nan, nan], [nan, nan], [nan, nan]),
            ([inf, inf], [nan, nan], [nan, nan], [nan, nan]),
            ([T.CreateTruncating(3.0)], [T.One], [zero], [T.One]),
            ([max, max], [half, half], [-T.CreateTruncating(Math.Log(2)), -T.CreateTruncating(Math.Log(2))], [half, half]),
            ([max, -max], [T.One, zero], [zero, -inf], [zero, T.One]),
            ([T.Epsilon, -T.Epsilon], [half, half], [-T.CreateTruncating(Math.Log(2)), -T.CreateTruncating(Math.Log(2))], [half, half]),
        ];
        foreach (var (row, softmax, logSoftmax, softmin) in rows)
        {
            foreach ((string fn, T[] expected) in new[] { ("softmax", softmax), ("log_softmax", logSoftmax), ("softmin", softmin) })
            {
                // The row as the last axis (contiguous) and as the first axis of [n, 3] (strided), three copies.
                int n = row.Length;
                T[] rowMajor = [.. Enumerable.Range(0, 3).SelectMany(_ => row)];
                T[] colMajor = [.. Enumerable.Range(0, n * 3).Select(i => row[i / 3])];
                T[] y = new T[n * 3], yc = new T[n * 3];
                Activation a = fn switch { "softmax" => Activation.Softmax(), "log_softmax" => Activation.LogSoftmax(), _ => Activation.Softmin() };
                Activation a0 = fn switch { "softmax" => Activation.Softmax(0), "log_softmax" => Activation.LogSoftmax(0), _ => Activation.Softmin(0) };
                a.Forward<T>(rowMajor, [3, n], y);
                a0.Forward<T>(colMajor, [n, 3], yc);
                for (int i = 0; i < n * 3; i++)
                {
                    T e = expected[i % n], ec = expected[i / 3];
                    string what = $"{fn}<{typeof(T).Name}>([{string.Join(", ", row.Select(v => Numbers.Show(v)))}])";
                    Assert.True(Close(y[i], e), $"{what} element {i % n} = {Numbers.Show(y[i])}, expected {Numbers.Show(e)}");
                    Assert.True(Close(yc[i], ec), $"{what} along dim 0, element {i / 3} = {Numbers.Show(yc[i])}, expected {Numbers.Show(ec)}");
                }
            }
        }

        // Within 1 ULP of the written value (log 2 is inexact); infinities, zeros and NaN exactly.
        static bool Close(T got, T expected)
            => T.IsNaN(expected) ? T.IsNaN(got)
             : T.IsInfinity(expected) || T.IsZero(expected) ? Numbers.Same(got, expected)
             : got == expected || got == T.BitIncrement(expected) || got == T.BitDecrement(expected);
    }
}
