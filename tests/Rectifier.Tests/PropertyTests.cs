using CsCheck;

namespace Rectifier.Tests;

/// <summary>Properties over the whole input space (CsCheck generates; every iteration seeded, see SeededSample),
/// complementing the sweeps.</summary>
public sealed class PropertyTests
{
    [Fact]
    public void Relu_of_any_float_array_is_the_reference_and_idempotent() =>
        Gen.Float.Array[0, 300].SampleEach(x =>
        {
            var y = new float[x.Length];
            Activations.Relu<float>(x, y);
            var twice = (float[])y.Clone();
            Activations.ReluInPlace<float>(twice);
            for (int i = 0; i < x.Length; i++)
            {
                float expected = x[i] < 0 ? 0f : x[i];
                if (!Numbers.Same(y[i], expected) || !Numbers.Same(twice[i], y[i]))
                {
                    return false;
                }
            }
            return true;
        });

    [Fact]
    public void Leaky_relu_of_any_double_array_with_any_slope_is_the_reference() =>
        Gen.Select(Gen.Double.Array[0, 200], Gen.Double[-4, 4]).SampleEach((x, s) =>
        {
            var y = new double[x.Length];
            Activations.LeakyRelu<double>(x, s, y);
            return x.Select((v, i) => Numbers.Same(y[i], v > 0 ? v : v * s)).All(b => b);
        });

    [Fact]
    public void Backward_from_output_equals_backward_from_input_for_any_float_array() =>
        Gen.Select(Gen.Float.Array[0, 300], Gen.Float).SampleEach((x, gv) =>
        {
            float[] g = [.. Enumerable.Repeat(gv, x.Length)];
            float[] y = new float[x.Length], a = new float[x.Length], b = new float[x.Length];
            Activations.Relu<float>(x, y);
            Activations.ReluBackward<float>(x, g, a);
            Activations.ReluBackwardFromOutput<float>(y, g, b);
            return a.Select((v, i) => Numbers.Same(v, b[i])).All(t => t);
        });

    [Fact]
    public void Hardtanh_output_always_lies_within_the_bounds() =>
        Gen.Select(Gen.Float.Array[1, 100], Gen.Double[-10, 0], Gen.Double[0, 10]).SampleEach((x, lo, hi) =>
        {
            var y = new float[x.Length];
            Activations.Hardtanh<float>(x, lo, hi, y);
            return y.Select((v, i) => float.IsNaN(x[i]) ? float.IsNaN(v) : v >= (float)lo && v <= (float)hi).All(t => t);
        });
}
