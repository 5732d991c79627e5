using System.Numerics;

namespace Rectifier.Tests;

/// <summary>At ±∞ every smooth function returns its limit, written here from the formulas (never from the library),
/// in every type and at every vector width the lengths reach: never a NaN made by ∞·0 or ∞ − ∞.</summary>
public sealed class InfinityLimitTests
{
    private const double SeluScale = 1.0507009873554804934193349852946, SeluAlpha = 1.6732632423543772848170429916717;

    /// <summary>(function, f(+∞), f(−∞), f'(+∞), f'(−∞)) with PyTorch's defaults.</summary>
    public static TheoryData<string, double, double, double, double> Limits => new()
    {
        { "elu", double.PositiveInfinity, -1.0, 1, 0 },
        { "celu", double.PositiveInfinity, -1.0, 1, 0 },
        { "selu", double.PositiveInfinity, -SeluAlpha * SeluScale, SeluScale, 0 },
        { "gelu", double.PositiveInfinity, -0.0, 1, 0 },
        { "gelu_tanh", double.PositiveInfinity, -0.0, 1, 0 },
        { "silu", double.PositiveInfinity, -0.0, 1, 0 },
        { "mish", double.PositiveInfinity, -0.0, 1, 0 },
        { "softplus", double.PositiveInfinity, 0.0, 1, 0 },
        { "hardswish", double.PositiveInfinity, -0.0, 1, 0 },
        { "hardsigmoid", 1.0, 0.0, 0, 0 },
        { "sigmoid", 1.0, 0.0, 0, 0 },
        { "tanh", 1.0, -1.0, 0, 0 },
        { "softsign", 1.0, -1.0, 0, 0 },
        { "tanhshrink", double.PositiveInfinity, double.NegativeInfinity, 1, 1 },
        { "logsigmoid", -0.0, double.NegativeInfinity, 0, 1 },
    };

    private static Activation Of(string name) => name switch
    {
        "elu" => Activation.Elu(),
        "celu" => Activation.Celu(),
        "selu" => Activation.Selu(),
        "gelu" => Activation.Gelu(),
        "gelu_tanh" => Activation.Gelu(GeluApproximation.Tanh),
        "silu" => Activation.Silu(),
        "mish" => Activation.Mish(),
        "softplus" => Activation.Softplus(),
        "hardswish" => Activation.Hardswish(),
        "hardsigmoid" => Activation.Hardsigmoid(),
        "sigmoid" => Activation.Sigmoid(),
        "softsign" => Activation.Softsign(),
        "tanhshrink" => Activation.Tanhshrink(),
        "logsigmoid" => Activation.LogSigmoid(),
        "tanh" => Activation.Tanh(),
        _ => throw new ArgumentException($"no limits written for {name}", nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Every_smooth_function_returns_its_limit_at_plus_and_minus_infinity(string name, double atPlus, double atMinus, double slopePlus, double slopeMinus)
    {
        Check<float>(name, atPlus, atMinus, slopePlus, slopeMinus);
        Check<double>(name, atPlus, atMinus, slopePlus, slopeMinus);
        Check<Half>(name, atPlus, atMinus, slopePlus, slopeMinus);
    }

    private static void Check<T>(string name, double atPlus, double atMinus, double slopePlus, double slopeMinus) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Activation a = Of(name);
        // Lengths 1 (scalar path), 7 and 67 (vector bodies and tails), infinities at every position.
        foreach (int n in new[] { 1, 7, 67 })
        {
            T[] x = new T[n], y = new T[n], g = new T[n], dx = new T[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = i % 2 == 0 ? T.PositiveInfinity : T.NegativeInfinity;
                g[i] = T.One;
            }
            a.Forward<T>(x, y);
            a.Backward<T>(x, g, dx);
            for (int i = 0; i < n; i++)
            {
                bool plus = i % 2 == 0;
                T expected = T.CreateTruncating(plus ? atPlus : atMinus);
                Assert.True(Numbers.Same(expected, y[i]), $"{name}<{typeof(T).Name}>({(plus ? "+" : "-")}inf) = {y[i]}, expected {expected} (n = {n})");
                T slope = T.CreateTruncating(plus ? slopePlus : slopeMinus);
                Assert.True(dx[i] == slope, $"{name}'<{typeof(T).Name}>({(plus ? "+" : "-")}inf) = {dx[i]}, expected {slope} (n = {n})");
            }
        }
    }

    [Fact]
    public void Selu_scales_an_infinite_gradient_to_infinity_not_NaN()
    {
        float[] x = [1f, 2f], g = [float.PositiveInfinity, float.NegativeInfinity], dx = new float[2];
        Activations.SeluBackward<float>(x, g, dx);
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity], dx);
    }
}
