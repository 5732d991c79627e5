using System.Numerics;
using R = Rectifier.Tests.SmoothReference;

namespace Rectifier.Tests;

/// <summary>One smooth function (with fixed parameters): the library's forward and backward at any element type,
/// and independent double references for its value and derivative at finite inputs.</summary>
public abstract class SmoothCase
{
    public abstract string Name { get; }
    public abstract void Forward<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
    public abstract void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) where T : unmanaged, IFloatingPointIeee754<T>;
    public abstract double Value(double x);
    public abstract double Slope(double x);
    public override string ToString() => Name;

    /// <summary>f and f' at +∞ and −∞, written from the limits of SPEC.md (never evaluated: ∞·0 and ∞ − ∞ have no value).</summary>
    public (double AtPlus, double AtMinus, double SlopePlus, double SlopeMinus) Limits => Name switch
    {
        "elu" => (double.PositiveInfinity, -1.0, 1, 0),
        "elu_a0.5" => (double.PositiveInfinity, -0.5, 1, 0),
        "celu" => (double.PositiveInfinity, -1.0, 1, 0),
        "celu_a2" => (double.PositiveInfinity, -2.0, 1, 0),
        "selu" => (double.PositiveInfinity, -R.SeluAlpha * R.SeluScale, R.SeluScale, 0),
        "gelu" or "gelu_tanh" or "silu" or "mish" or "hardswish" => (double.PositiveInfinity, -0.0, 1, 0),
        "softplus" or "softplus_b8" => (double.PositiveInfinity, 0.0, 1, 0),
        "hardsigmoid" or "sigmoid" => (1.0, 0.0, 0, 0),
        "tanh" or "softsign" => (1.0, -1.0, 0, 0),
        "tanhshrink" => (double.PositiveInfinity, double.NegativeInfinity, 1, 1),
        "logsigmoid" => (-0.0, double.NegativeInfinity, 0, 1),
        _ => throw new InvalidOperationException($"no limits written for {Name}"),
    };

    /// <summary>The value at any input: the reference at finite x, the limit at ±∞, NaN at NaN.</summary>
    public double ValueAt(double x) => double.IsPositiveInfinity(x) ? Limits.AtPlus : double.IsNegativeInfinity(x) ? Limits.AtMinus : double.IsNaN(x) ? double.NaN : Value(x);

    /// <summary>The derivative at any input (NaN at NaN: SPEC.md's backward of the smooth family at NaN).</summary>
    public double SlopeAt(double x) => double.IsPositiveInfinity(x) ? Limits.SlopePlus : double.IsNegativeInfinity(x) ? Limits.SlopeMinus : double.IsNaN(x) ? double.NaN : Slope(x);

    /// <summary>The same function as an <see cref="Activation"/> value, built from its own parameters.</summary>
    public abstract Activation Activation { get; }

    public static readonly SmoothCase[] All =
    [
        new Elu(1.0, "elu"), new Elu(0.5, "elu_a0.5"), new Selu(), new Celu(1.0, "celu"), new Celu(2.0, "celu_a2"),
        new Gelu(), new GeluTanh(), new Silu(), new Mish(), new Softplus(1.0, "softplus"), new Softplus(8.0, "softplus_b8"),
        new Hardswish(), new Hardsigmoid(), new Sigmoid(), new Tanh(), new Softsign(), new Tanhshrink(), new LogSigmoid(),
    ];

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static SmoothCase Get(string name) => All.Single(c => c.Name == name);

    private sealed class Elu(double alpha, string name) : SmoothCase
    {
        public override Activation Activation => Activation.Elu(alpha);
        public override string Name => name;
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Elu(x, alpha, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.EluBackward(x, g, alpha, gi);
        public override double Value(double x) => x > 0 ? x : alpha * R.Expm1(x);
        public override double Slope(double x) => x > 0 ? 1 : alpha * Math.Exp(x);
    }

    private sealed class Selu : SmoothCase
    {
        public override Activation Activation => Activation.Selu();
        public override string Name => "selu";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Selu(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.SeluBackward(x, g, gi);
        public override double Value(double x) => R.SeluScale * (x > 0 ? x : R.SeluAlpha * R.Expm1(x));
        public override double Slope(double x) => R.SeluScale * (x > 0 ? 1 : R.SeluAlpha * Math.Exp(x));
    }

    private sealed class Celu(double alpha, string name) : SmoothCase
    {
        public override Activation Activation => Activation.Celu(alpha);
        public override string Name => name;
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Celu(x, alpha, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.CeluBackward(x, g, alpha, gi);
        public override double Value(double x) => x > 0 ? x : alpha * R.Expm1(x / alpha);
        public override double Slope(double x) => x > 0 ? 1 : Math.Exp(x / alpha);
    }

    private sealed class Gelu : SmoothCase
    {
        public override Activation Activation => Activation.Gelu();
        public override string Name => "gelu";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Gelu(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.GeluBackward(x, g, gi);
        public override double Value(double x) => x * R.Phi(x);
        public override double Slope(double x) => R.Phi(x) + x * R.PhiDensity(x);
    }

    private sealed class GeluTanh : SmoothCase
    {
        public override Activation Activation => Activation.Gelu(GeluApproximation.Tanh);
        public override string Name => "gelu_tanh";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Gelu(x, GeluApproximation.Tanh, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.GeluBackward(x, g, GeluApproximation.Tanh, gi);
        public override double Value(double x) => R.GeluTanh(x);
        public override double Slope(double x) => R.GeluTanhDerivative(x);
    }

    private sealed class Silu : SmoothCase
    {
        public override Activation Activation => Activation.Silu();
        public override string Name => "silu";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Silu(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.SiluBackward(x, g, gi);
        public override double Value(double x) => x * R.Sigmoid(x);
        public override double Slope(double x) => R.Sigmoid(x) * (1 + x * R.Sigmoid(-x));
    }

    private sealed class Mish : SmoothCase
    {
        public override Activation Activation => Activation.Mish();
        public override string Name => "mish";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Mish(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.MishBackward(x, g, gi);
        public override double Value(double x) => x * Math.Tanh(R.Softplus(x));
        public override double Slope(double x) => Math.Tanh(R.Softplus(x)) + x * R.Sigmoid(x) * R.Sech2(R.Softplus(x));
    }

    private sealed class Softplus(double beta, string name) : SmoothCase
    {
        public override Activation Activation => Activation.Softplus(beta, 20);
        public override string Name => name;
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Softplus(x, beta, 20, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.SoftplusBackward(x, g, beta, 20, gi);
        public override double Value(double x) => beta * x > 20 ? x : R.Softplus(beta * x) / beta;
        public override double Slope(double x) => beta * x > 20 ? 1 : R.Sigmoid(beta * x);
    }

    private sealed class Hardswish : SmoothCase
    {
        public override Activation Activation => Activation.Hardswish();
        public override string Name => "hardswish";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Hardswish(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.HardswishBackward(x, g, gi);
        public override double Value(double x) => x <= -3 ? -0.0 : x >= 3 ? x : x * (x + 3) / 6;   // x·0/6 = −0 below −3
        public override double Slope(double x) => x <= -3 ? 0 : x >= 3 ? 1 : x / 3 + 0.5;
    }

    private sealed class Hardsigmoid : SmoothCase
    {
        public override Activation Activation => Activation.Hardsigmoid();
        public override string Name => "hardsigmoid";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Hardsigmoid(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.HardsigmoidBackward(x, g, gi);
        public override double Value(double x) => x <= -3 ? 0 : x >= 3 ? 1 : (x + 3) / 6;
        public override double Slope(double x) => x > -3 && x < 3 ? 1.0 / 6 : 0;
    }

    private sealed class Sigmoid : SmoothCase
    {
        public override Activation Activation => Activation.Sigmoid();
        public override string Name => "sigmoid";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Sigmoid(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.SigmoidBackward(x, g, gi);
        public override double Value(double x) => R.Sigmoid(x);
        public override double Slope(double x) => R.Sigmoid(x) * R.Sigmoid(-x);
    }

    private sealed class Tanh : SmoothCase
    {
        public override Activation Activation => Activation.Tanh();
        public override string Name => "tanh";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Tanh(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.TanhBackward(x, g, gi);
        public override double Value(double x) => Math.Tanh(x);
        public override double Slope(double x) => R.Sech2(x);
    }

    private sealed class Softsign : SmoothCase
    {
        public override Activation Activation => Activation.Softsign();
        public override string Name => "softsign";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Softsign(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.SoftsignBackward(x, g, gi);
        public override double Value(double x) => x / (1 + Math.Abs(x));
        public override double Slope(double x) => 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x)));
    }

    private sealed class Tanhshrink : SmoothCase
    {
        public override Activation Activation => Activation.Tanhshrink();
        public override string Name => "tanhshrink";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.Tanhshrink(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.TanhshrinkBackward(x, g, gi);
        public override double Value(double x) => R.Tanhshrink(x);
        public override double Slope(double x) => Math.Tanh(x) * Math.Tanh(x);
    }

    private sealed class LogSigmoid : SmoothCase
    {
        public override Activation Activation => Activation.LogSigmoid();
        public override string Name => "logsigmoid";
        public override void Forward<T>(ReadOnlySpan<T> x, Span<T> y) => Activations.LogSigmoid(x, y);
        public override void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> gi) => Activations.LogSigmoidBackward(x, g, gi);
        public override double Value(double x) => -R.Softplus(-x);
        public override double Slope(double x) => R.Sigmoid(-x);
    }
}
