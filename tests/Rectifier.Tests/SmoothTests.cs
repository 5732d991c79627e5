using System.Numerics;
using Rectifier.Operators;

namespace Rectifier.Tests;

/// <summary>The sweep scenarios of the core family, for every smooth function and element type. The bitwise
/// reference here is the library's own one-element call (the scalar path): together with the accuracy tests this
/// shows that every width, length, offset and thread count gives the same, accurate bits.</summary>
public abstract class SmoothTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static Func<T, T> One(SmoothCase c) => v =>
    {
        T[] a = [v];
        c.Forward<T>(a, a);
        return a[0];
    };

    private static Func<T, T, T> OneGrad(SmoothCase c) => (v, g) =>
    {
        T[] a = [v], b = [g], r = new T[1];
        c.Backward<T>(a, b, r);
        return r[0];
    };

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void Every_length_and_offset_equals_the_scalar_path_and_leaves_neighbours_alone(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        Harness.SweepLengthsAndOffsets<T>(c.Forward, c.Backward, One(c), OneGrad(c), name, seed: 41);
        Harness.SweepOffsets<T>(c.Forward, One(c), name, seed: 43);
    }

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void In_place_equals_out_of_place(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        Harness.InPlaceEqualsOutOfPlace<T>(c.Forward, c.Backward, name, seed: 47);
    }

    [Theory]
    [MemberData(nameof(SmoothCase.Names), MemberType = typeof(SmoothCase))]
    public void A_call_of_N_elements_equals_N_calls_of_one(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        Harness.LengthIndependence<T>(c.Forward, c.Backward, name, seed: 53);
    }

    [Theory]
    [InlineData("gelu")]
    [InlineData("silu")]
    [InlineData("softplus_b8")]
    [InlineData("tanh")]
    [InlineData("tanhshrink")]
    [InlineData("logsigmoid")]
    public void Above_the_thresholds_one_thread_equals_all_threads(string name)
    {
        SmoothCase c = SmoothCase.Get(name);
        Harness.LargeAndParallel<T>(c.Forward, c.Backward, One(c), OneGrad(c), name, seed: 59);
    }

    [Fact]
    public void Special_points_follow_the_spec()
    {
        T inf = T.PositiveInfinity, ninf = T.NegativeInfinity, nz = T.NegativeZero;
        T Fwd(Forward<T> f, T v)
        {
            T[] a = [v];
            f(a, a);
            return a[0];
        }
        T Bwd(Backward<T> f, T v, double g = 1)
        {
            T[] a = [v], b = [T.CreateTruncating(g)], r = new T[1];
            f(a, b, r);
            return r[0];
        }
        void Same(T expected, T actual, string what) => Assert.True(Numbers.Same(actual, expected), $"{what}: {Numbers.Show(actual)}, expected {Numbers.Show(expected)}");
        T V(double d) => Numbers.FromDouble<T>(d);

        Same(nz, Fwd(Activations.Elu, nz), "elu(−0)");
        Same(V(-1), Fwd(Activations.Elu, ninf), "elu(−∞)");
        Same(V(0.5), Bwd((x, g, d) => Activations.EluBackward(x, g, 0.5, d), T.Zero), "elu'(0) = α");
        Same(V(1), Bwd((x, g, d) => Activations.CeluBackward(x, g, 2.0, d), T.Zero), "celu'(0) = 1");
        Same(V(1.7580993408473766), Bwd(Activations.SeluBackward, T.Zero), "selu'(0) = α·scale");
        foreach (var approximate in new[] { GeluApproximation.None, GeluApproximation.Tanh })
        {
            Same(V(0.5), Bwd((x, g, d) => Activations.GeluBackward(x, g, approximate, d), T.Zero), $"gelu'(0) {approximate}");
            Same(inf, Fwd((x, d) => Activations.Gelu(x, approximate, d), inf), $"gelu(+∞) {approximate}");
            Same(nz, Fwd((x, d) => Activations.Gelu(x, approximate, d), ninf), $"gelu(−∞) {approximate}");
            Same(V(1), Bwd((x, g, d) => Activations.GeluBackward(x, g, approximate, d), inf), $"gelu'(+∞) {approximate}");
            Assert.True(T.IsZero(Bwd((x, g, d) => Activations.GeluBackward(x, g, approximate, d), ninf)), $"gelu'(−∞) {approximate} is 0");
        }
        Same(V(0.5), Bwd(Activations.SiluBackward, T.Zero), "silu'(0)");
        Same(nz, Fwd(Activations.Silu, ninf), "silu(−∞)");
        Same(inf, Fwd(Activations.Silu, inf), "silu(+∞)");
        Same(V(0.6), Bwd(Activations.MishBackward, T.Zero), "mish'(0)");
        Same(nz, Fwd(Activations.Mish, ninf), "mish(−∞)");
        Same(inf, Fwd(Activations.Mish, inf), "mish(+∞)");
        Same(inf, Fwd(Activations.Softplus, inf), "softplus(+∞)");
        Same(T.Zero, Fwd(Activations.Softplus, ninf), "softplus(−∞)");
        Same(V(20.5), Fwd(Activations.Softplus, V(20.5)), "softplus above the threshold is x");
        Same(T.Zero, Bwd(Activations.HardswishBackward, V(-3), 5), "hardswish'(−3) = 0");
        Same(V(5), Bwd(Activations.HardswishBackward, V(3), 5), "hardswish'(3) = g");
        Same(nz, Fwd(Activations.Hardswish, ninf), "hardswish(−∞)");
        Same(T.Zero, Bwd(Activations.HardsigmoidBackward, V(-3), 6), "hardsigmoid'(−3) = 0");
        Same(T.Zero, Bwd(Activations.HardsigmoidBackward, V(3), 6), "hardsigmoid'(3) = 0");
        Same(V(0.5), Fwd(Activations.Sigmoid, T.Zero), "σ(0)");
        Same(V(0.5), Fwd(Activations.Sigmoid, nz), "σ(−0)");
        Same(nz, Fwd(Activations.Tanh, nz), "tanh(−0)");
        Same(V(-1), Fwd(Activations.Tanh, ninf), "tanh(−∞)");
        if (typeof(T) != typeof(Half))
        {
            T slope = Bwd(Activations.TanhBackward, V(40));
            double relative = Math.Abs(Numbers.ToDouble(slope) / (4 * Math.Exp(-80)) - 1);
            Assert.True(slope > T.Zero && relative < (typeof(T) == typeof(double) ? 1e-15 : 3e-7), $"tanh'(40) = 4e^−80, got {slope}");
        }
        foreach (SmoothCase c in SmoothCase.All)
        {
            Assert.True(T.IsNaN(Fwd(c.Forward, T.NaN)), $"{c.Name}(NaN) is NaN");
            Assert.True(T.IsNaN(Bwd(c.Backward, T.NaN)), $"{c.Name}'(NaN) is NaN");
        }
    }

    [Fact]
    public void Softplus_stays_finite_for_any_beta()
    {
        // PyTorch returns inf/NaN here (pytorch#171249); the true values are finite.
        foreach (double beta in new[] { 1e-3, 1e3, 1e20, 1e30 })
        {
            T[] x = [V(-1e-31), V(1e-31), V(-2.0), V(2.0), T.Zero, V(-1e10), V(1e-45)];
            var y = new T[x.Length];
            Activations.Softplus<T>(x, beta, 20, y);
            double b = typeof(T) == typeof(double) ? beta : (float)beta;
            for (int i = 0; i < x.Length; i++)
            {
                double xv = Numbers.ToDouble(x[i]);
                double t = b * xv;
                double exact = t > Numbers.ToDouble(T.CreateTruncating(20.0)) ? xv : SmoothReference.Softplus(t) / b;
                Assert.True(T.IsFinite(y[i]), $"softplus({xv}, β={beta}) = {y[i]}");
                double relative = typeof(T) == typeof(Half) ? 1e-3 : 1e-6;
                Assert.True(Math.Abs(Numbers.ToDouble(y[i]) - exact) <= Math.Abs(exact) * relative + Numbers.ToDouble(T.Epsilon) * 4, $"softplus({xv}, β={beta}) = {y[i]}, exact {exact}");
            }
        }

        static T V(double d) => T.CreateTruncating(d);
    }

    [Fact]
    public void Backward_from_the_output_agrees_with_backward_from_x()
    {
        T[] x = Numbers.Random<T>(2000, 61, 0).Select(v => T.Clamp(v, T.CreateTruncating(-8), T.CreateTruncating(8))).ToArray();
        T[] g = Numbers.Random<T>(2000, 67, 0).Select(v => T.Clamp(v, T.CreateTruncating(-2), T.CreateTruncating(2))).ToArray();
        var y = new T[x.Length];
        var fromX = new T[x.Length];
        var fromY = new T[x.Length];
        void Check(Forward<T> f, Backward<T> fromInput, Backward<T> fromOutput, string name)
        {
            f(x, y);
            fromInput(x, g, fromX);
            fromOutput(y, g, fromY);
            for (int i = 0; i < x.Length; i++)
            {
                double a = Numbers.ToDouble(fromX[i]), b = Numbers.ToDouble(fromY[i]);
                // y carries one rounding, so the two agree to the precision of y (relative to |g|)
                double tolerance = (typeof(T) == typeof(Half) ? 4e-3 : typeof(T) == typeof(float) ? 1e-6 : 1e-14) * (Math.Abs(Numbers.ToDouble(g[i])) + Math.Abs(a));
                Assert.True(Math.Abs(a - b) <= tolerance, $"{name} at x = {x[i]}: from x {a}, from y {b}");
            }
        }
        Check(Activations.Elu, (a, b, c) => Activations.EluBackward(a, b, c), (a, b, c) => Activations.EluBackwardFromOutput(a, b, c), "elu");
        Check(Activations.Selu, Activations.SeluBackward, Activations.SeluBackwardFromOutput, "selu");
        Check((a, c) => Activations.Celu(a, 2.0, c), (a, b, c) => Activations.CeluBackward(a, b, 2.0, c), (a, b, c) => Activations.CeluBackwardFromOutput(a, b, 2.0, c), "celu");
        Check(Activations.Sigmoid, Activations.SigmoidBackward, Activations.SigmoidBackwardFromOutput, "sigmoid");
        Check(Activations.Tanh, Activations.TanhBackward, Activations.TanhBackwardFromOutput, "tanh");
    }
}

public sealed class SmoothFloatTests : SmoothTests<float>;
public sealed class SmoothDoubleTests : SmoothTests<double>;
public sealed class SmoothHalfTests : SmoothTests<Half>;

public sealed class SmoothOperatorLaneTests
{
    // Float data runs through one of two adapters (float lanes, or double lanes rounded once; Activations picks one
    // per function): both are checked for every function, so the one in use is whichever it is.
    private static void All<TF>(string name, TF single, TF full) where TF : struct, IUnaryFunction
    {
        OperatorLaneTests.CheckUnary<float, NativeSingleUnary<TF>>(new(single), name.Length);
        OperatorLaneTests.CheckUnary<float, SingleUnary<TF>>(new(single), name.Length + 4);
        OperatorLaneTests.CheckUnary<double, DoubleUnary<TF>>(new(full), name.Length + 1);
    }

    private static void AllBackward<TF>(string name, TF single, TF full) where TF : struct, IBinaryFunction
    {
        OperatorLaneTests.CheckBinary<float, NativeSingleBinary<TF>>(new(single), name.Length + 2);
        OperatorLaneTests.CheckBinary<float, SingleBinary<TF>>(new(single), name.Length + 5);
        OperatorLaneTests.CheckBinary<double, DoubleBinary<TF>>(new(full), name.Length + 3);
    }

    [Fact]
    public void Every_smooth_operator_agrees_with_its_scalar_form_in_every_lane()
    {
        All("elu", new EluFunction(1, 0.5, 1), new EluFunction(1, 0.5, 1));
        All("celu", new EluFunction(1, 2, 2), new EluFunction(1, 2, 2));
        AllBackward("elu", new EluBackwardFunction(1.05, 1.7, 1), new EluBackwardFunction(1.05, 1.7, 1));
        AllBackward("celu_y", new EluBackwardFromOutputFunction(1, 2, 2), new EluBackwardFromOutputFunction(1, 2, 2));
        All("gelu", default(GeluFunction), default(GeluFunction));
        AllBackward("gelu", default(GeluBackwardFunction), default(GeluBackwardFunction));
        All("gelu_tanh", default(GeluTanhFunction), default(GeluTanhFunction));
        AllBackward("gelu_tanh", default(GeluTanhBackwardFunction), default(GeluTanhBackwardFunction));
        All("silu", default(SiluFunction), default(SiluFunction));
        AllBackward("silu", default(SiluBackwardFunction), default(SiluBackwardFunction));
        All("mish", default(MishFunction), default(MishFunction));
        AllBackward("mish", default(MishBackwardFunction), default(MishBackwardFunction));
        All("softplus", new SoftplusFunction(3, 20), new SoftplusFunction(3, 20));
        AllBackward("softplus", new SoftplusBackwardFunction(3, 20), new SoftplusBackwardFunction(3, 20));
        All("hardswish", default(HardswishFunction), default(HardswishFunction));
        AllBackward("hardswish", default(HardswishBackwardFunction), default(HardswishBackwardFunction));
        All("hardsigmoid", default(HardsigmoidFunction), default(HardsigmoidFunction));
        AllBackward("hardsigmoid", default(HardsigmoidBackwardFunction), default(HardsigmoidBackwardFunction));
        All("sigmoid", default(SigmoidFunction), default(SigmoidFunction));
        AllBackward("sigmoid", default(SigmoidBackwardFunction), default(SigmoidBackwardFunction));
        AllBackward("sigmoid_y", default(SigmoidBackwardFromOutputFunction), default(SigmoidBackwardFromOutputFunction));
        All("tanh", default(TanhFunction), default(TanhFunction));
        AllBackward("tanh", default(TanhBackwardFunction), default(TanhBackwardFunction));
        AllBackward("tanh_y", default(TanhBackwardFromOutputFunction), default(TanhBackwardFromOutputFunction));
        All("softsign", default(SoftsignFunction), default(SoftsignFunction));
        AllBackward("softsign", default(SoftsignBackwardFunction), default(SoftsignBackwardFunction));
        All("tanhshrink", default(TanhshrinkFunction), default(TanhshrinkFunction));
        AllBackward("tanhshrink", default(TanhshrinkBackwardFunction), default(TanhshrinkBackwardFunction));
        All("logsigmoid", default(LogSigmoidFunction), default(LogSigmoidFunction));
        AllBackward("logsigmoid", default(LogSigmoidBackwardFunction), default(LogSigmoidBackwardFunction));
    }
}

public sealed class SmoothValidationTests
{
    [Fact]
    public void Invalid_parameters_are_ArgumentOutOfRangeExceptions_naming_them()
    {
        var x = new float[4];
        var d = new double[4];
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Celu<float>(x, 0.0, x)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.CeluBackward<double>(d, d, 0.0, d)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Elu<float>(x, double.NaN, x)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Elu<double>(d, double.PositiveInfinity, d)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softplus<float>(x, 0.0, 20, x)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softplus<float>(x, 1e39, 20, x)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.SoftplusBackward<Half>(new Half[1], new Half[1], double.NaN, 20, new Half[1])).ParamName);
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softplus<double>(d, 1.0, double.NaN, d)).ParamName);
        Assert.Equal("approximate", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Gelu<float>(x, (GeluApproximation)7, x)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.EluBackwardFromOutput<float>(x, x, -1.0, x)).ParamName);
    }

    [Fact]
    public void Lengths_and_overlaps_are_checked_like_the_core_family()
    {
        var x = new float[10];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Activations.Gelu<float>(x, new float[9])).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Activations.SiluBackward<float>(x, new float[9], new float[10])).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Activations.MishBackward<float>(x, x, new float[9])).ParamName);
        var buffer = new double[64];
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Activations.Tanh<double>(buffer.AsSpan(0, 32), buffer.AsSpan(3, 32))).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Activations.SigmoidBackwardFromOutput<double>(buffer.AsSpan(0, 32), new double[32], buffer.AsSpan(1, 32))).ParamName);
        Activations.Softplus<float>(ReadOnlySpan<float>.Empty, Span<float>.Empty);
    }
}
