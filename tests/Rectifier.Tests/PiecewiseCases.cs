using System.Numerics;

namespace Rectifier.Tests;

public delegate void Forward<T>(ReadOnlySpan<T> x, Span<T> y);
public delegate void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gradInput);

/// <summary>One row per function: the library call and an independent scalar reference written from SPEC.md.</summary>
public sealed record Case<T>(string Name, Forward<T> Forward, Backward<T> Backward, Func<T, T> RefForward, Func<T, T, T> RefBackward)
    where T : IFloatingPointIeee754<T>;

public static class CaseNames
{
    public static readonly string[] Piecewise =
    [
        "relu", "relu_from_output", "relu6", "hardtanh", "hardtanh(-0.5,2.5)", "threshold(0.5,-2)", "threshold(-1,0.25)",
        "leaky_relu", "leaky_relu(0.2)", "prelu(0.25)", "rrelu_eval", "rrelu_eval(0.1,0.3)",
        "hardshrink", "hardshrink(0.3)", "softshrink", "softshrink(0.3)", "softshrink(0)",
    ];

    public static TheoryData<string> PiecewiseData => [.. Piecewise];
}

public static class PiecewiseCases
{
    /// <summary>Slopes are computed in float for Half and float (PyTorch's opmath), in double for double.</summary>
    private static double Slope<T>(double s) => typeof(T) == typeof(double) ? s : (float)s;

    /// <summary>Comparison parameters are converted to the element type.</summary>
    private static double Bound<T>(double b) where T : IFloatingPointIeee754<T> => Numbers.ToDouble(T.CreateTruncating(b));

    private static T Leaky<T>(T x, double s) where T : IFloatingPointIeee754<T>
    {
        double xv = Numbers.ToDouble(x);
        return xv > 0 ? x : Numbers.FromDouble<T>(xv * Slope<T>(s));
    }

    private static T LeakyGrad<T>(T x, T g, double s) where T : IFloatingPointIeee754<T>
        => Numbers.ToDouble(x) > 0 ? g : Numbers.FromDouble<T>(Numbers.ToDouble(g) * Slope<T>(s));

    private static T Clamp<T>(T x, double lo, double hi) where T : IFloatingPointIeee754<T>
    {
        double xv = Numbers.ToDouble(x), l = Bound<T>(lo), h = Bound<T>(hi);
        return xv < l ? T.CreateTruncating(l) : xv > h ? T.CreateTruncating(h) : x;
    }

    private static T ClampGrad<T>(T x, T g, double lo, double hi) where T : IFloatingPointIeee754<T>
    {
        double xv = Numbers.ToDouble(x);
        return xv <= Bound<T>(lo) || xv >= Bound<T>(hi) ? T.Zero : g;
    }

    /// <summary>−λ ≤ x ≤ λ with λ in the element type (false for NaN).</summary>
    internal static bool InShrinkBand<T>(T x, double lambda) where T : IFloatingPointIeee754<T>
    {
        double xv = Numbers.ToDouble(x), l = Bound<T>(lambda);
        return xv >= -l && xv <= l;
    }

    /// <summary>softshrink from SPEC.md: x ∓ λ rounded to the element type (Half through float, as the library and
    /// PyTorch's opmath do); NaN passes.</summary>
    internal static T Soft<T>(T x, double lambda) where T : IFloatingPointIeee754<T>
    {
        double xv = Numbers.ToDouble(x), l = Bound<T>(lambda);
        return T.IsNaN(x) ? x : InShrinkBand(x, lambda) ? T.Zero : Numbers.FromDouble<T>(xv > l ? xv - l : xv + l);
    }

    /// <summary>The case of any piecewise <see cref="Activation"/> value, built from its parameters: the direct library
    /// call of its kind and the reference of SPEC.md with those parameters (never the Activation's own dispatch).</summary>
    public static Case<T> For<T>(Activation a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double p = a.First, q = a.Second;
        string name = a.ToString();
        return a.Kind switch
        {
            ActivationKind.Relu => Get<T>("relu"),
            ActivationKind.Relu6 => Get<T>("relu6"),
            ActivationKind.Hardtanh => new(name, (x, y) => Activations.Hardtanh(x, p, q, y), (x, g, d) => Activations.HardtanhBackward(x, g, p, q, d),
                x => Clamp(x, p, q), (x, g) => ClampGrad(x, g, p, q)),
            ActivationKind.Threshold => new(name, (x, y) => Activations.Threshold(x, p, q, y), (x, g, d) => Activations.ThresholdBackward(x, g, p, d),
                x => Numbers.ToDouble(x) <= Bound<T>(p) ? T.CreateTruncating(q) : x, (x, g) => Numbers.ToDouble(x) <= Bound<T>(p) ? T.Zero : g),
            ActivationKind.LeakyRelu => new(name, (x, y) => Activations.LeakyRelu(x, p, y), (x, g, d) => Activations.LeakyReluBackward(x, g, p, d),
                x => Leaky(x, p), (x, g) => LeakyGrad(x, g, p)),
            // The weight is a value of the element type, so the slope is that value.
            ActivationKind.PRelu => new(name, (x, y) => Activations.PRelu(x, T.CreateTruncating(p), y), (x, g, d) => Activations.PReluBackward(x, g, T.CreateTruncating(p), d),
                x => Leaky(x, Numbers.ToDouble(T.CreateTruncating(p))), (x, g) => LeakyGrad(x, g, Numbers.ToDouble(T.CreateTruncating(p)))),
            ActivationKind.RRelu => new(name, (x, y) => Activations.RRelu(x, p, q, y), (x, g, d) => Activations.RReluBackward(x, g, p, q, d),
                x => Leaky(x, (p + q) / 2), (x, g) => LeakyGrad(x, g, (p + q) / 2)),
            ActivationKind.Hardshrink => new(name, (x, y) => Activations.Hardshrink(x, p, y), (x, g, d) => Activations.HardshrinkBackward(x, g, p, d),
                x => InShrinkBand(x, p) ? T.Zero : x, (x, g) => InShrinkBand(x, p) ? T.Zero : g),
            ActivationKind.Softshrink => new(name, (x, y) => Activations.Softshrink(x, p, y), (x, g, d) => Activations.SoftshrinkBackward(x, g, p, d),
                x => Soft(x, p), (x, g) => InShrinkBand(x, p) ? T.Zero : g),
            _ => throw new ArgumentException($"{a} is not piecewise-linear", nameof(a)),
        };
    }

    public static Case<T> Get<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "hardshrink" => new(name, (x, y) => Activations.Hardshrink(x, y), (x, g, d) => Activations.HardshrinkBackward(x, g, d),
            x => InShrinkBand(x, 0.5) ? T.Zero : x, (x, g) => InShrinkBand(x, 0.5) ? T.Zero : g),
        "hardshrink(0.3)" => new(name, (x, y) => Activations.Hardshrink(x, 0.3, y), (x, g, d) => Activations.HardshrinkBackward(x, g, 0.3, d),
            x => InShrinkBand(x, 0.3) ? T.Zero : x, (x, g) => InShrinkBand(x, 0.3) ? T.Zero : g),
        "softshrink" => new(name, (x, y) => Activations.Softshrink(x, y), (x, g, d) => Activations.SoftshrinkBackward(x, g, d),
            x => Soft(x, 0.5), (x, g) => InShrinkBand(x, 0.5) ? T.Zero : g),
        "softshrink(0.3)" => new(name, (x, y) => Activations.Softshrink(x, 0.3, y), (x, g, d) => Activations.SoftshrinkBackward(x, g, 0.3, d),
            x => Soft(x, 0.3), (x, g) => InShrinkBand(x, 0.3) ? T.Zero : g),
        "softshrink(0)" => new(name, (x, y) => Activations.Softshrink(x, 0, y), (x, g, d) => Activations.SoftshrinkBackward(x, g, 0, d),
            x => Soft(x, 0), (x, g) => InShrinkBand(x, 0) ? T.Zero : g),
        "relu" => new(name, (x, y) => Activations.Relu(x, y), (x, g, d) => Activations.ReluBackward(x, g, d),
            x => Numbers.ToDouble(x) < 0 ? T.Zero : x, (x, g) => Numbers.ToDouble(x) <= 0 ? T.Zero : g),
        // Backward from y: the harness feeds x, so the reference applies relu first.
        "relu_from_output" => new(name, (x, y) => Activations.Relu(x, y),
            (x, g, d) => { var y = new T[x.Length]; Activations.Relu(x, y); Activations.ReluBackwardFromOutput<T>(y, g, d); },
            x => Numbers.ToDouble(x) < 0 ? T.Zero : x, (x, g) => Numbers.ToDouble(x) <= 0 ? T.Zero : g),
        "relu6" => new(name, (x, y) => Activations.Relu6(x, y), (x, g, d) => Activations.Relu6Backward(x, g, d),
            x => Clamp(x, 0, 6), (x, g) => ClampGrad(x, g, 0, 6)),
        "hardtanh" => new(name, (x, y) => Activations.Hardtanh(x, y), (x, g, d) => Activations.HardtanhBackward(x, g, d),
            x => Clamp(x, -1, 1), (x, g) => ClampGrad(x, g, -1, 1)),
        "hardtanh(-0.5,2.5)" => new(name, (x, y) => Activations.Hardtanh(x, -0.5, 2.5, y), (x, g, d) => Activations.HardtanhBackward(x, g, -0.5, 2.5, d),
            x => Clamp(x, -0.5, 2.5), (x, g) => ClampGrad(x, g, -0.5, 2.5)),
        "threshold(0.5,-2)" => new(name, (x, y) => Activations.Threshold(x, 0.5, -2, y), (x, g, d) => Activations.ThresholdBackward(x, g, 0.5, d),
            x => Numbers.ToDouble(x) <= Bound<T>(0.5) ? T.CreateTruncating(-2.0) : x, (x, g) => Numbers.ToDouble(x) <= Bound<T>(0.5) ? T.Zero : g),
        "threshold(-1,0.25)" => new(name, (x, y) => Activations.Threshold(x, -1, 0.25, y), (x, g, d) => Activations.ThresholdBackward(x, g, -1, d),
            x => Numbers.ToDouble(x) <= -1 ? T.CreateTruncating(0.25) : x, (x, g) => Numbers.ToDouble(x) <= -1 ? T.Zero : g),
        "leaky_relu" => new(name, (x, y) => Activations.LeakyRelu(x, y), (x, g, d) => Activations.LeakyReluBackward(x, g, d),
            x => Leaky(x, 0.01), (x, g) => LeakyGrad(x, g, 0.01)),
        "leaky_relu(0.2)" => new(name, (x, y) => Activations.LeakyRelu(x, 0.2, y), (x, g, d) => Activations.LeakyReluBackward(x, g, 0.2, d),
            x => Leaky(x, 0.2), (x, g) => LeakyGrad(x, g, 0.2)),
        "prelu(0.25)" => new(name, (x, y) => Activations.PRelu(x, T.CreateTruncating(0.25), y),
            (x, g, d) => Activations.PReluBackward(x, g, T.CreateTruncating(0.25), d),
            x => Leaky(x, 0.25), (x, g) => LeakyGrad(x, g, 0.25)),
        "rrelu_eval" => new(name, (x, y) => Activations.RRelu(x, y), (x, g, d) => Activations.RReluBackward(x, g, 1.0 / 8, 1.0 / 3, d),
            x => Leaky(x, 0.22916666666666666), (x, g) => LeakyGrad(x, g, 0.22916666666666666)),
        "rrelu_eval(0.1,0.3)" => new(name, (x, y) => Activations.RRelu(x, 0.1, 0.3, y), (x, g, d) => Activations.RReluBackward(x, g, 0.1, 0.3, d),
            x => Leaky(x, (0.1 + 0.3) / 2), (x, g) => LeakyGrad(x, g, (0.1 + 0.3) / 2)),
        _ => throw new ArgumentException(name),
    };
}
