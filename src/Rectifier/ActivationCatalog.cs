using System.Numerics;
using Rectifier.Operators;
using static Rectifier.ActivationFamily;
using static Rectifier.ActivationForms;

namespace Rectifier;

/// <summary>The catalogue: one row per <see cref="ActivationKind"/>, in its order. A new activation is its operator
/// and its <see cref="Activations"/> methods in their file, a kind, a factory, and one row here; the command line (names,
/// options, defaults, help, <c>list</c>), <see cref="Activation"/>'s dispatch, the fused and monitor passes and the
/// tests' coverage checks all read the row.</summary>
public abstract partial class ActivationInfo
{
    private static readonly ActivationParameter Slope = new("negative_slope", Activations.DefaultNegativeSlope, "the slope for x ≤ 0");
    private static readonly ActivationParameter Alpha = new("alpha", 1.0, "α, finite");
    private static readonly ActivationParameter Lambda = new("lambd", Activations.DefaultShrinkLambda, "λ ≥ 0");
    private static readonly ActivationParameter Dim = new("dim", -1, "the axis to normalise along (negative: from the end)", ActivationParameterKind.Integer);

    private static readonly ActivationInfo[] s_all =
    [
        new ReluRow(), new Relu6Row(), new LeakyReluRow(), new PReluRow(), new RReluRow(), new HardtanhRow(), new ThresholdRow(),
        new EluRow(), new CeluRow(), new SeluRow(), new GeluRow(), new GeluTanhRow(), new SiluRow(), new MishRow(), new SoftplusRow(),
        new HardswishRow(), new HardsigmoidRow(), new SigmoidRow(), new TanhRow(), new HardshrinkRow(), new SoftshrinkRow(),
        new SoftsignRow(), new TanhshrinkRow(), new LogSigmoidRow(), new SoftmaxRow(), new LogSoftmaxRow(), new SoftminRow(),
    ];

    /// <summary>Every activation, in the order of <see cref="ActivationKind"/>.</summary>
    public static IReadOnlyList<ActivationInfo> All => s_all;

    /// <summary>The row of <paramref name="kind"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined kind.</exception>
    public static ActivationInfo Of(ActivationKind kind) => (uint)kind < (uint)s_all.Length
        ? s_all[(int)kind]
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not an activation kind");

    /// <summary>The row named <paramref name="name"/> (PyTorch's name, e.g. leaky_relu), or null.</summary>
    public static ActivationInfo? Find(string name) => Array.Find(s_all, r => string.Equals(r.Name, name, StringComparison.Ordinal));

    private sealed class ReluRow() : ActivationInfo(ActivationKind.Relu, "relu", PiecewiseLinear, "max(0, x)", BackwardFromOutput | Mask)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Relu(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.ReluBackward(x, g, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(default(ReluOperator<T>));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(default(ReluBackwardOperator<T>));
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class Relu6Row() : ActivationInfo(ActivationKind.Relu6, "relu6", PiecewiseLinear, "min(max(0, x), 6)", Mask)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Relu6(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.Relu6Backward(x, g, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new HardtanhOperator<T>(T.Zero, T.CreateTruncating(6)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new HardtanhBackwardOperator<T>(T.Zero, T.CreateTruncating(6)));
        public override IReadOnlyList<double> Kinks(Activation a) => [0, 6];
    }

    private sealed class LeakyReluRow() : ActivationInfo(ActivationKind.LeakyRelu, "leaky_relu", PiecewiseLinear, "x > 0 ? x : s·x", Mask, Slope)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.LeakyRelu(x, a.First, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.LeakyReluBackward(x, g, a.First, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new LeakyReluOperator<T>(T.CreateTruncating(a.First)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new LeakyReluBackwardOperator<T>(T.CreateTruncating(a.First)));
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class PReluRow() : ActivationInfo(ActivationKind.PRelu, "prelu", PiecewiseLinear, "x > 0 ? x : w·x (one weight, or one per channel)", None,
        new ActivationParameter("weight", 0.25, "the weight w"))
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.PRelu(x, T.CreateTruncating(a.First), y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.PReluBackward(x, g, T.CreateTruncating(a.First), dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new LeakyReluOperator<T>(T.CreateTruncating(a.First)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new LeakyReluBackwardOperator<T>(T.CreateTruncating(a.First)));
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class RReluRow() : ActivationInfo(ActivationKind.RRelu, "rrelu", PiecewiseLinear, "evaluation mode: leaky_relu with the slope (lower + upper)/2", None,
        new ActivationParameter("lower", Activations.DefaultRReluLower, "the lower bound of the slope", defaultText: "1/8"),
        new ActivationParameter("upper", Activations.DefaultRReluUpper, "the upper bound of the slope", defaultText: "1/3"))
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.RRelu(x, a.First, a.Second, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.RReluBackward(x, g, a.First, a.Second, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new LeakyReluOperator<T>(T.CreateTruncating((a.First + a.Second) / 2)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new LeakyReluBackwardOperator<T>(T.CreateTruncating((a.First + a.Second) / 2)));
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class HardtanhRow() : ActivationInfo(ActivationKind.Hardtanh, "hardtanh", PiecewiseLinear, "clamp(x, min_val, max_val)", Mask,
        new ActivationParameter("min_val", -1.0, "the lower bound"), new ActivationParameter("max_val", 1.0, "the upper bound, ≥ min_val"))
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Hardtanh(x, a.First, a.Second, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.HardtanhBackward(x, g, a.First, a.Second, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new HardtanhOperator<T>(T.CreateTruncating(a.First), T.CreateTruncating(a.Second)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new HardtanhBackwardOperator<T>(T.CreateTruncating(a.First), T.CreateTruncating(a.Second)));
        public override IReadOnlyList<double> Kinks(Activation a) => [a.First, a.Second];
    }

    private sealed class ThresholdRow() : ActivationInfo(ActivationKind.Threshold, "threshold", PiecewiseLinear, "x > threshold ? x : value", Mask,
        new ActivationParameter("threshold", null, "the threshold t"), new ActivationParameter("value", null, "the replacement v"))
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Threshold(x, a.First, a.Second, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.ThresholdBackward(x, g, a.First, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new ThresholdOperator<T>(T.CreateTruncating(a.First), T.CreateTruncating(a.Second)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new ThresholdBackwardOperator<T>(T.CreateTruncating(a.First)));
        public override IReadOnlyList<double> Kinks(Activation a) => [a.First];
    }

    private sealed class EluRow() : ActivationInfo(ActivationKind.Elu, "elu", Smooth, "x > 0 ? x : α·(eˣ - 1)", BackwardFromOutput, Alpha)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Elu(x, a.First, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.EluBackward(x, g, a.First, dx);
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class CeluRow() : ActivationInfo(ActivationKind.Celu, "celu", Smooth, "max(0, x) + min(0, α·(e^(x/α) - 1))", BackwardFromOutput, Alpha)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Celu(x, a.First, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.CeluBackward(x, g, a.First, dx);
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class SeluRow() : ActivationInfo(ActivationKind.Selu, "selu", Smooth, "scale·elu(x, α) with the self-normalising constants", BackwardFromOutput)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Selu(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.SeluBackward(x, g, dx);
        public override IReadOnlyList<double> Kinks(Activation a) => [0];
    }

    private sealed class GeluRow() : ActivationInfo(ActivationKind.Gelu, "gelu", Smooth, "x·Φ(x) (approximate='tanh': the tanh form)", None,
        new ActivationParameter("approximate", 0, "'none' for x·Φ(x), 'tanh' for the tanh form", ActivationParameterKind.Choice) { Choices = ["none", "tanh"] })
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Gelu(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.GeluBackward(x, g, dx);

        private protected override double ChoiceOf(Activation activation) => activation.Kind == ActivationKind.GeluTanh ? 1 : 0;

        private protected override ActivationKind Choose(ActivationParameter parameter, double index) => index switch
        {
            0 => ActivationKind.Gelu,
            1 => ActivationKind.GeluTanh,
            _ => throw new ArgumentOutOfRangeException("approximate", index, "gelu's approximate is 0 ('none') or 1 ('tanh')"),
        };
    }

    private sealed class GeluTanhRow : ActivationInfo
    {
        public GeluTanhRow() : base(ActivationKind.GeluTanh, "gelu_tanh", Smooth, "0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))", None) => VariantOf = ActivationKind.Gelu;

        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Gelu(x, GeluApproximation.Tanh, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.GeluBackward(x, g, GeluApproximation.Tanh, dx);
    }

    private sealed class SiluRow() : ActivationInfo(ActivationKind.Silu, "silu", Smooth, "x·σ(x)", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Silu(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.SiluBackward(x, g, dx);
    }

    private sealed class MishRow() : ActivationInfo(ActivationKind.Mish, "mish", Smooth, "x·tanh(softplus(x))", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Mish(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.MishBackward(x, g, dx);
    }

    private sealed class SoftplusRow() : ActivationInfo(ActivationKind.Softplus, "softplus", Smooth, "log(1 + e^(βx))/β, x where βx > threshold", None,
        new ActivationParameter("beta", 1.0, "β, finite and not 0"), new ActivationParameter("threshold", Activations.DefaultSoftplusThreshold, "linear above this (in βx)"))
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Softplus(x, a.First, a.Second, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.SoftplusBackward(x, g, a.First, a.Second, dx);
        public override IReadOnlyList<double> Kinks(Activation a) => [a.Second / a.First];
    }

    private sealed class HardswishRow() : ActivationInfo(ActivationKind.Hardswish, "hardswish", Smooth, "x·min(max(x + 3, 0), 6)/6", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Hardswish(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.HardswishBackward(x, g, dx);
        public override IReadOnlyList<double> Kinks(Activation a) => [-3, 3];
    }

    private sealed class HardsigmoidRow() : ActivationInfo(ActivationKind.Hardsigmoid, "hardsigmoid", Smooth, "min(max(x + 3, 0), 6)/6", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Hardsigmoid(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.HardsigmoidBackward(x, g, dx);
        public override IReadOnlyList<double> Kinks(Activation a) => [-3, 3];
    }

    private sealed class SigmoidRow() : ActivationInfo(ActivationKind.Sigmoid, "sigmoid", Smooth, "1/(1 + e^(-x))", BackwardFromOutput)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Sigmoid(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.SigmoidBackward(x, g, dx);
    }

    private sealed class TanhRow() : ActivationInfo(ActivationKind.Tanh, "tanh", Smooth, "tanh(x)", BackwardFromOutput)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Tanh(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.TanhBackward(x, g, dx);
    }

    private sealed class HardshrinkRow() : ActivationInfo(ActivationKind.Hardshrink, "hardshrink", PiecewiseLinear, "|x| > λ ? x : 0", None, Lambda)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Hardshrink(x, a.First, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.HardshrinkBackward(x, g, a.First, dx);
        internal override bool VisitForward<T, TV>(in Activation a, ref TV v) => v.Visit(new HardshrinkOperator<T>(T.CreateTruncating(a.First)));
        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new ShrinkBackwardOperator<T>(T.CreateTruncating(a.First)));
        public override IReadOnlyList<double> Kinks(Activation a) => [-a.First, a.First];
    }

    private sealed class SoftshrinkRow() : ActivationInfo(ActivationKind.Softshrink, "softshrink", PiecewiseLinear, "x > λ ? x - λ : x < -λ ? x + λ : 0", None, Lambda)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Softshrink(x, a.First, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.SoftshrinkBackward(x, g, a.First, dx);

        internal override bool VisitForward<T, TV>(in Activation a, ref TV v)
        {
            T lambda = T.CreateTruncating(a.First);
            // a λ so large that x ∓ λ rounds to 0 for every finite x: the output is hardshrink's
            return SoftshrinkOperator<T>.ZeroesEverything(lambda)
                ? v.Visit(new HardshrinkOperator<T>(lambda))
                : v.Visit(new SoftshrinkOperator<T>(lambda));
        }

        internal override bool VisitBackward<T, TV>(in Activation a, ref TV v) => v.Visit(new ShrinkBackwardOperator<T>(T.CreateTruncating(a.First)));
        public override IReadOnlyList<double> Kinks(Activation a) => [-a.First, a.First];
    }

    private sealed class SoftsignRow() : ActivationInfo(ActivationKind.Softsign, "softsign", Smooth, "x/(1 + |x|)", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Softsign(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.SoftsignBackward(x, g, dx);
    }

    private sealed class TanhshrinkRow() : ActivationInfo(ActivationKind.Tanhshrink, "tanhshrink", Smooth, "x - tanh(x)", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.Tanhshrink(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.TanhshrinkBackward(x, g, dx);
    }

    private sealed class LogSigmoidRow() : ActivationInfo(ActivationKind.LogSigmoid, "logsigmoid", Smooth, "log σ(x)", None)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Activations.LogSigmoid(x, y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Activations.LogSigmoidBackward(x, g, dx);
    }

    /// <summary>softmax, log_softmax and softmin: the span forms take one row; the backward computes y from x, then
    /// the backward from y.</summary>
    private abstract class AlongAxisRow(ActivationKind kind, string name, string formula) : ActivationInfo(kind, name, AlongAxis, formula, None, Dim)
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, Span<T> y) => Forward(a, x, [x.Length], y);
        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx) => Backward(a, x, g, [x.Length], dx);

        internal override void Backward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx)
        {
            if (g.Length != x.Length)
            {
                Kernels.ThrowHelper.LengthMismatch("gradOutput", x.Length, g.Length);
            }
            T[] y = new T[x.Length];
            Forward(a, x, shape, y);
            BackwardFromOutput(a, y, g, shape, dx);
        }

        private protected abstract void BackwardFromOutput<T>(in Activation a, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx)
            where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private sealed class SoftmaxRow() : AlongAxisRow(ActivationKind.Softmax, "softmax", "exp(x - max)/Σ exp(x - max) along dim")
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Span<T> y) => Activations.Softmax(x, shape, a.Dim, y);
        private protected override void BackwardFromOutput<T>(in Activation a, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx) => Activations.SoftmaxBackward(y, g, shape, a.Dim, dx);
    }

    private sealed class LogSoftmaxRow() : AlongAxisRow(ActivationKind.LogSoftmax, "log_softmax", "(x - max) - log Σ exp(x - max) along dim")
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Span<T> y) => Activations.LogSoftmax(x, shape, a.Dim, y);
        private protected override void BackwardFromOutput<T>(in Activation a, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx) => Activations.LogSoftmaxBackward(y, g, shape, a.Dim, dx);
    }

    private sealed class SoftminRow() : AlongAxisRow(ActivationKind.Softmin, "softmin", "softmax(-x) along dim")
    {
        internal override void Forward<T>(in Activation a, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Span<T> y) => Activations.Softmin(x, shape, a.Dim, y);
        private protected override void BackwardFromOutput<T>(in Activation a, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, Span<T> dx) => Activations.SoftminBackward(y, g, shape, a.Dim, dx);
    }
}
