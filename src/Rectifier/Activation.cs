using System.Numerics;

namespace Rectifier;

/// <summary>Which function an <see cref="Activation"/> is.</summary>
public enum ActivationKind
{
    /// <summary>relu.</summary>
    Relu,
    /// <summary>relu6.</summary>
    Relu6,
    /// <summary>leaky_relu(negative_slope).</summary>
    LeakyRelu,
    /// <summary>prelu with one weight.</summary>
    PRelu,
    /// <summary>rrelu in evaluation mode (leaky with the mean slope).</summary>
    RRelu,
    /// <summary>hardtanh(min, max).</summary>
    Hardtanh,
    /// <summary>threshold(threshold, value).</summary>
    Threshold,
    /// <summary>elu(alpha).</summary>
    Elu,
    /// <summary>celu(alpha).</summary>
    Celu,
    /// <summary>selu.</summary>
    Selu,
    /// <summary>gelu, erf form.</summary>
    Gelu,
    /// <summary>gelu, tanh form.</summary>
    GeluTanh,
    /// <summary>silu.</summary>
    Silu,
    /// <summary>mish.</summary>
    Mish,
    /// <summary>softplus(beta, threshold).</summary>
    Softplus,
    /// <summary>hardswish.</summary>
    Hardswish,
    /// <summary>hardsigmoid.</summary>
    Hardsigmoid,
    /// <summary>sigmoid.</summary>
    Sigmoid,
    /// <summary>tanh.</summary>
    Tanh,
    /// <summary>hardshrink(lambd).</summary>
    Hardshrink,
    /// <summary>softshrink(lambd).</summary>
    Softshrink,
    /// <summary>softsign.</summary>
    Softsign,
    /// <summary>tanhshrink.</summary>
    Tanhshrink,
    /// <summary>logsigmoid.</summary>
    LogSigmoid,
    /// <summary>softmax(dim): normalises along an axis, not element-wise.</summary>
    Softmax,
    /// <summary>log_softmax(dim): along an axis.</summary>
    LogSoftmax,
    /// <summary>softmin(dim): along an axis.</summary>
    Softmin,
}

/// <summary>An activation with its parameters, as a value: what the fused forms (<see cref="Fused"/>) and model code
/// pass around. <see cref="Forward{T}(ReadOnlySpan{T}, Span{T})"/> and <see cref="Backward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/> call the matching <see cref="Activations"/>
/// methods, so results are the same bits.</summary>
/// <param name="Kind">The function.</param>
/// <param name="First">Its first parameter (slope, weight, alpha, beta, lower, min, threshold, lambd, dim), if any.</param>
/// <param name="Second">Its second parameter (upper, max, value, softplus threshold), if any.</param>
public readonly partial record struct Activation(ActivationKind Kind, double First = 0, double Second = 0)
{
    /// <summary>relu.</summary>
    public static Activation Relu() => new(ActivationKind.Relu);
    /// <summary>relu6.</summary>
    public static Activation Relu6() => new(ActivationKind.Relu6);
    /// <summary>selu.</summary>
    public static Activation Selu() => new(ActivationKind.Selu);
    /// <summary>silu.</summary>
    public static Activation Silu() => new(ActivationKind.Silu);
    /// <summary>mish.</summary>
    public static Activation Mish() => new(ActivationKind.Mish);
    /// <summary>hardswish.</summary>
    public static Activation Hardswish() => new(ActivationKind.Hardswish);
    /// <summary>hardsigmoid.</summary>
    public static Activation Hardsigmoid() => new(ActivationKind.Hardsigmoid);
    /// <summary>sigmoid.</summary>
    public static Activation Sigmoid() => new(ActivationKind.Sigmoid);
    /// <summary>tanh.</summary>
    public static Activation Tanh() => new(ActivationKind.Tanh);
    /// <summary>softsign.</summary>
    public static Activation Softsign() => new(ActivationKind.Softsign);
    /// <summary>tanhshrink.</summary>
    public static Activation Tanhshrink() => new(ActivationKind.Tanhshrink);
    /// <summary>logsigmoid.</summary>
    public static Activation LogSigmoid() => new(ActivationKind.LogSigmoid);

    /// <summary>hardshrink.</summary>
    /// <param name="lambda">λ ≥ 0.</param>
    public static Activation Hardshrink(double lambda = Activations.DefaultShrinkLambda) => new(ActivationKind.Hardshrink, lambda);
    /// <summary>softshrink.</summary>
    /// <param name="lambda">λ ≥ 0.</param>
    public static Activation Softshrink(double lambda = Activations.DefaultShrinkLambda) => new(ActivationKind.Softshrink, lambda);
    /// <summary>softmax along <paramref name="dim"/> (see <see cref="Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, Span{T})"/>).</summary>
    /// <param name="dim">The axis; negative values count from the end.</param>
    public static Activation Softmax(int dim = -1) => new(ActivationKind.Softmax, dim);
    /// <summary>log_softmax along <paramref name="dim"/>.</summary>
    /// <param name="dim">The axis; negative values count from the end.</param>
    public static Activation LogSoftmax(int dim = -1) => new(ActivationKind.LogSoftmax, dim);
    /// <summary>softmin along <paramref name="dim"/>.</summary>
    /// <param name="dim">The axis; negative values count from the end.</param>
    public static Activation Softmin(int dim = -1) => new(ActivationKind.Softmin, dim);

    /// <summary>leaky_relu.</summary>
    /// <param name="negativeSlope">The slope for x ≤ 0.</param>
    public static Activation LeakyRelu(double negativeSlope = Activations.DefaultNegativeSlope) => new(ActivationKind.LeakyRelu, negativeSlope);
    /// <summary>prelu with one weight.</summary>
    /// <param name="weight">The weight.</param>
    public static Activation PRelu(double weight = 0.25) => new(ActivationKind.PRelu, weight);
    /// <summary>rrelu in evaluation mode.</summary>
    /// <param name="lower">Lower slope bound.</param>
    /// <param name="upper">Upper slope bound.</param>
    public static Activation RRelu(double lower = Activations.DefaultRReluLower, double upper = Activations.DefaultRReluUpper) => new(ActivationKind.RRelu, lower, upper);
    /// <summary>hardtanh.</summary>
    /// <param name="minValue">Lower bound.</param>
    /// <param name="maxValue">Upper bound.</param>
    public static Activation Hardtanh(double minValue = -1, double maxValue = 1) => new(ActivationKind.Hardtanh, minValue, maxValue);
    /// <summary>threshold.</summary>
    /// <param name="threshold">The threshold.</param>
    /// <param name="value">The replacement.</param>
    public static Activation Threshold(double threshold, double value) => new(ActivationKind.Threshold, threshold, value);
    /// <summary>elu.</summary>
    /// <param name="alpha">α.</param>
    public static Activation Elu(double alpha = 1) => new(ActivationKind.Elu, alpha);
    /// <summary>celu.</summary>
    /// <param name="alpha">α.</param>
    public static Activation Celu(double alpha = 1) => new(ActivationKind.Celu, alpha);
    /// <summary>gelu.</summary>
    /// <param name="approximate">The exact form or the tanh form.</param>
    public static Activation Gelu(GeluApproximation approximate = GeluApproximation.None) => new(approximate == GeluApproximation.Tanh ? ActivationKind.GeluTanh : ActivationKind.Gelu);
    /// <summary>softplus.</summary>
    /// <param name="beta">β.</param>
    /// <param name="threshold">The linear threshold.</param>
    public static Activation Softplus(double beta = 1, double threshold = Activations.DefaultSoftplusThreshold) => new(ActivationKind.Softplus, beta, threshold);

    /// <summary>Every element-wise kind with PyTorch's defaults, in the order of <see cref="ActivationKind"/> (threshold
    /// with t = 0, v = 0): the activations that <see cref="Fused"/>, the dead-unit monitor's block path and a layer of
    /// a network take.</summary>
    public static IReadOnlyList<Activation> AllWithDefaults { get; } =
        [.. ActivationInfo.All.Where(r => r.IsElementwise).Select(r => r.VariantOf is null ? WithDefaults(r) : Of(r.Kind))];

    /// <summary>The kinds that normalise along an axis (softmax, log_softmax, softmin), with dim = −1.</summary>
    public static IReadOnlyList<Activation> AlongDimWithDefaults { get; } =
        [.. ActivationInfo.All.Where(r => !r.IsElementwise).Select(WithDefaults)];

    private static Activation WithDefaults(ActivationInfo row)
        => row.Create([.. row.Parameters.Select(p => p.Default ?? 0)]);

    private static Activation Of(ActivationKind kind) => new(kind);

    /// <summary>Its row of the catalogue: name, family, parameters, defaults, forms.</summary>
    public ActivationInfo Info => ActivationInfo.Of(Kind);

    /// <summary>False for softmax, log_softmax and softmin, whose outputs depend on a whole row.</summary>
    public bool IsElementwise => Info.IsElementwise;

    /// <summary>The axis of softmax, log_softmax and softmin.</summary>
    public int Dim => (int)First;

    /// <summary>PyTorch's name (gelu_tanh for the tanh form).</summary>
    public string Name => Info.Name;

    /// <inheritdoc/>
    public override string ToString() => Info.Format(this);

    /// <summary>Checks the parameters as the computation does, before any data (and before a pass that runs it piece by
    /// piece does any work): throws what <see cref="Forward{T}(ReadOnlySpan{T}, Span{T})"/> would throw for them in <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">Half, float or double (a parameter may be fine in double and overflow in Half).</typeparam>
    /// <exception cref="ArgumentException">A parameter is out of range; the exception names it.</exception>
    public void Validate<T>() where T : unmanaged, IFloatingPointIeee754<T> => Forward<T>([T.Zero], stackalloc T[1]);

    /// <summary>y = f(x) over a tensor of <paramref name="shape"/>: the shape matters only to softmax, log_softmax and
    /// softmin (their <see cref="Dim"/> is an axis of it); element-wise kinds check it and ignore it.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="shape">Its dimensions.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Info.Forward(this, x, shape, destination);

    /// <summary>dx = f'(x)·g over a tensor of <paramref name="shape"/> (see <see cref="Forward{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, Span{T})"/>);
    /// softmax, log_softmax and softmin compute y from x first, then their backward from y.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="shape">The dimensions of both.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, ReadOnlySpan<nint> shape, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => Info.Backward(this, x, gradOutput, shape, gradInput);

    /// <summary>y = f(x). Softmax, log_softmax and softmin take the span as one row (a rank-1 tensor: dim 0 or −1).</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The input.</param>
    /// <param name="destination">Receives the output; may be <paramref name="x"/> itself.</param>
    public void Forward<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
        => Info.Forward(this, x, destination);

    /// <summary>dx = f'(x)·g (prelu's weight gradient is not returned here: use <see cref="Activations.PReluBackward{T}(ReadOnlySpan{T}, ReadOnlySpan{T}, T, Span{T})"/>);
    /// softmax, log_softmax and softmin take the span as one row.</summary>
    /// <typeparam name="T">Half, float or double.</typeparam>
    /// <param name="x">The forward input.</param>
    /// <param name="gradOutput">dL/dy.</param>
    /// <param name="gradInput">Receives dL/dx; may alias an input exactly.</param>
    public void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gradOutput, Span<T> gradInput) where T : unmanaged, IFloatingPointIeee754<T>
        => Info.Backward(this, x, gradOutput, gradInput);
}
