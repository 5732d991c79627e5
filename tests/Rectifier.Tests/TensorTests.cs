using System.Numerics;
using System.Numerics.Tensors;
using CsCheck;

namespace Rectifier.Tests;

/// <summary>The tensor-view overloads (System.Numerics.Tensors): every activation, every type, dense and strided
/// views (every other row, transposed, every other element, permuted, short rows, sliced, runs long enough to share
/// among threads), strided destinations, in place, and what is refused. The reference gathers the view's elements by
/// index arithmetic written here (not through TensorSpan), computes them with the span form and compares bits.</summary>
public sealed class TensorTests
{
    /// <summary>A view of <c>buffer</c>: element [i0, i1, …] at <c>Offset + Σ i_k·Strides[k]</c>.</summary>
    internal sealed record View(string Name, int MinLength, nint Offset, nint[] Lengths, nint[] Strides)
    {
        /// <summary>The buffer's length: TensorSpan asks for Offset + Lengths[k]·Strides[k] elements along each axis
        /// (one stride more than the last element needs).</summary>
        public int BufferLength => (int)Math.Max(MinLength, Offset + Lengths.Zip(Strides, (l, s) => l * s).Max());

        public int Count => (int)Lengths.Aggregate((nint)1, (a, b) => a * b);

        /// <summary>The buffer index of each element in C order.</summary>
        public int[] Indices()
        {
            var result = new int[Count];
            var index = new nint[Lengths.Length];
            for (int n = 0; n < result.Length; n++)
            {
                nint at = Offset;
                for (int k = 0; k < Lengths.Length; k++)
                {
                    at += index[k] * Strides[k];
                }
                result[n] = (int)at;
                for (int k = Lengths.Length - 1; k >= 0; k--)
                {
                    if (++index[k] < Lengths[k])
                    {
                        break;
                    }
                    index[k] = 0;
                }
            }
            return result;
        }

        public ReadOnlyTensorSpan<T> Read<T>(T[] buffer) => new(buffer, (int)Offset, Lengths, Strides);

        public TensorSpan<T> Write<T>(T[] buffer) => new(buffer, (int)Offset, Lengths, Strides);

        public override string ToString() => Name;
    }

    private static View Dense(params nint[] lengths)
    {
        var strides = new nint[lengths.Length];
        nint s = 1;
        for (int k = lengths.Length - 1; k >= 0; k--)
        {
            strides[k] = lengths[k] == 1 ? 0 : s;
            s *= lengths[k];
        }
        return new View($"dense [{string.Join(", ", lengths)}]", (int)s, 0, lengths, strides);
    }

    /// <summary>The input views: each path of the walker (one span, inner runs, runs shared among threads, tiles of a
    /// transpose, one-dimensional strided tiles, short rows) and the shapes around them.</summary>
    internal static readonly View[] Views =
    [
        Dense(7, 33),
        new("every other row [40, 300]", 2 * 40 * 300, 0, [40, 300], [600, 1]),
        new("every other row [96, 1024], shared runs", 2 * 96 * 1024, 0, [96, 1024], [2048, 1]),
        new("transposed [70, 130]", 70 * 130, 0, [70, 130], [1, 70]),
        new("transposed [260, 300], shared tiles", 260 * 300, 0, [260, 300], [1, 260]),
        new("every other element [9, 50]", 2 * 9 * 50, 0, [9, 50], [100, 2]),
        new("permuted [5, 6, 7] from [6, 7, 5]", 6 * 7 * 5, 0, [5, 6, 7], [1, 35, 5]),
        new("short rows [300, 5] of [300, 12], offset 3", 300 * 12, 3, [300, 5], [12, 1]),
        new("unit dimensions [1, 20, 1, 40] of a [20, 64] buffer", 20 * 64, 2, [1, 20, 1, 40], [0, 64, 0, 1]),
        new("one column [50]", 50 * 9, 4, [50], [9]),
    ];

    public static TheoryData<int> ElementwiseKinds => [.. Enumerable.Range(0, Elementwise.Length)];

    private static readonly Activation[] Elementwise =
    [
        .. Activation.AllWithDefaults,
        Activation.LeakyRelu(0.2), Activation.Hardtanh(-0.5, 2.5), Activation.Threshold(0.5, -2), Activation.Elu(0.7),
        Activation.Softplus(2, 10), Activation.RRelu(0.1, 0.4), Activation.Hardshrink(0.3), Activation.Gelu(GeluApproximation.Tanh),
    ];

    private static T[] Data<T>(int length, int seed) where T : unmanaged, IFloatingPointIeee754<T> => Numbers.Random<T>(length, seed);

    /// <summary>y = f(x) over the view into a dense destination, and over the same view into a strided destination
    /// whose gaps must keep their sentinel, against the span form over the gathered elements.</summary>
    private static void CheckForward<T>(Activation activation, View view, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] buffer = Data<T>(view.BufferLength, seed);
        int[] at = view.Indices();
        T[] gathered = [.. at.Select(i => buffer[i])];
        T[] expected = new T[gathered.Length];
        activation.Forward<T>(gathered, view.Lengths, expected);

        T[] dense = new T[view.Count];
        activation.Forward(view.Read(buffer), new TensorSpan<T>(dense, view.Lengths));
        AssertSame(expected, dense, $"{activation} over {view} into a dense destination", activation.IsElementwise);

        // The destination: every other row of a buffer twice as long along its last axis, gaps set to a sentinel.
        nint[] lengths = view.Lengths;
        View output = StridedDestination(lengths);
        T[] target = [.. Enumerable.Repeat(T.CreateTruncating(12345), output.BufferLength)];
        activation.Forward(view.Read(buffer), output.Write(target));
        int[] written = output.Indices();
        AssertSame(expected, [.. written.Select(i => target[i])], $"{activation} over {view} into a strided destination", activation.IsElementwise);
        var inside = new HashSet<int>(written);
        for (int i = 0; i < target.Length; i++)
        {
            if (!inside.Contains(i))
            {
                Assert.True(target[i] == T.CreateTruncating(12345), $"{activation} over {view}: element {i} outside the destination view was written");
            }
        }
    }

    /// <summary>A destination of <paramref name="lengths"/> whose last axis has stride 2 and whose other axes step over
    /// a gap: nothing of it is contiguous.</summary>
    private static View StridedDestination(nint[] lengths)
    {
        var strides = new nint[lengths.Length];
        nint s = 2;
        for (int k = lengths.Length - 1; k >= 0; k--)
        {
            strides[k] = lengths[k] == 1 ? 0 : s;   // TensorSpan takes only stride 0 along an axis of length 1
            s = s * lengths[k] + 1;
        }
        return new View("strided destination", (int)s, 0, lengths, strides);
    }

    /// <summary>Bitwise equality. With <paramref name="exactNaN"/>, NaNs too: an element-wise forward passes an input NaN
    /// through with its bits (SPEC.md); a NaN the library generates or picks between two operands (a backward at NaN,
    /// a softmax row or a sum holding one) has no specified payload or sign, so there any NaN matches any NaN.</summary>
    private static void AssertSame<T>(T[] expected, T[] actual, string what, bool exactNaN = false) where T : IFloatingPointIeee754<T>
        => AssertSame(expected, actual, what, _ => exactNaN);

    /// <summary>Bitwise equality where <paramref name="exactAt"/> says so, any NaN for any NaN elsewhere.</summary>
    private static void AssertSame<T>(T[] expected, T[] actual, string what, Func<int, bool> exactAt) where T : IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (exactAt(i) ? Numbers.Bits(expected[i]) != Numbers.Bits(actual[i]) : !Numbers.Same(expected[i], actual[i]))
            {
                Assert.Fail($"{what}: element {i} is {Numbers.Show(actual[i])}, the span form gives {Numbers.Show(expected[i])}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ElementwiseKinds))]
    public void Forward_over_every_view_is_the_span_form_on_the_same_data(int kind)
    {
        Activation activation = Elementwise[kind];
        for (int v = 0; v < Views.Length; v++)
        {
            CheckForward<float>(activation, Views[v], 100 + v);
            CheckForward<double>(activation, Views[v], 200 + v);
            CheckForward<Half>(activation, Views[v], 300 + v);
        }
    }

    private static void CheckBackward<T>(Activation activation, View xView, View gView, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] xs = Data<T>(xView.BufferLength, seed), gs = Data<T>(gView.BufferLength, seed + 1);
        T[] x = [.. xView.Indices().Select(i => xs[i])], g = [.. gView.Indices().Select(i => gs[i])];
        T[] expected = new T[x.Length];
        activation.Backward<T>(x, g, xView.Lengths, expected);
        T[] dx = new T[x.Length];
        activation.Backward(xView.Read(xs), gView.Read(gs), new TensorSpan<T>(dx, xView.Lengths));
        AssertSame(expected, dx, $"{activation}' over x {xView}, g {gView}");
    }

    [Theory]
    [MemberData(nameof(ElementwiseKinds))]
    public void Backward_over_every_view_is_the_span_form_on_the_same_data(int kind)
    {
        Activation activation = Elementwise[kind];
        for (int v = 0; v < Views.Length; v++)
        {
            // g from another view of the same shape: dense for the odd ones, the same layout for the even ones.
            View g = v % 2 == 0 ? Views[v] : Dense(Views[v].Lengths);
            CheckBackward<float>(activation, Views[v], g, 400 + v);
            CheckBackward<double>(activation, Views[v], g, 500 + v);
            CheckBackward<Half>(activation, Views[v], g, 600 + v);
            // and the other way round: x (and dx) dense, so their axes merge, while g's axes may not
            CheckBackward<float>(activation, Dense(Views[v].Lengths), Views[v], 700 + v);
        }
    }

    public static TheoryData<int> AlongDimCases => [.. Enumerable.Range(0, 6)];

    [Theory]
    [MemberData(nameof(AlongDimCases))]
    public void Softmax_family_takes_its_dim_from_the_tensor_shape_on_every_view(int which)
    {
        Activation activation = Activation.AlongDimWithDefaults[which % 3] with { First = which < 3 ? -1 : 0 };
        foreach (View view in Views)
        {
            CheckForward<float>(activation, view, 700);
            CheckForward<double>(activation, view, 701);
            CheckBackward<float>(activation, view, Dense(view.Lengths), 702);
            CheckBackward<Half>(activation, view, view, 703);
        }
    }

    [Fact]
    public void A_dense_input_into_every_view_as_the_destination_is_the_span_form()
    {
        // the other way round from the forward sweeps: the input contiguous, the destination transposed, permuted or
        // strided, so the walk moves rows of a contiguous source into the destination's own layout
        for (int v = 0; v < Views.Length; v++)
        {
            foreach (Activation activation in new[] { Activation.Relu(), Activation.Gelu() })
            {
                IntoView<float>(activation, Views[v], 900 + v);
                IntoView<double>(activation, Views[v], 950 + v);
            }
        }
    }

    private static void IntoView<T>(Activation activation, View view, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = Data<T>(view.Count, seed);
        T[] expected = new T[x.Length];
        activation.Forward<T>(x, view.Lengths, expected);
        T sentinel = T.CreateTruncating(12345);
        T[] target = [.. Enumerable.Repeat(sentinel, view.BufferLength)];
        activation.Forward(new ReadOnlyTensorSpan<T>(x, view.Lengths), view.Write(target));
        int[] at = view.Indices();
        AssertSame(expected, [.. at.Select(i => target[i])], $"{activation} of a dense input into {view}", exactNaN: true);
        var inside = new HashSet<int>(at);
        for (int i = 0; i < target.Length; i++)
        {
            Assert.True(inside.Contains(i) || target[i] == sentinel, $"{activation} into {view}: element {i} outside the destination view was written");
        }
    }

    [Fact]
    public void In_place_on_a_strided_view_is_exact_and_leaves_the_rest_alone()
    {
        foreach (View view in Views)
        {
            foreach (Activation activation in new[] { Activation.Relu(), Activation.Gelu(), Activation.LeakyRelu(0.3), Activation.Softmax(0) })
            {
                float[] buffer = Data<float>(view.BufferLength, 800);
                float[] original = (float[])buffer.Clone();
                int[] at = view.Indices();
                float[] expected = new float[at.Length];
                activation.Forward<float>([.. at.Select(i => buffer[i])], view.Lengths, expected);
                activation.Forward(view.Read(buffer), view.Write(buffer));
                AssertSame(expected, [.. at.Select(i => buffer[i])], $"{activation} in place over {view}", activation.IsElementwise);
                var inside = new HashSet<int>(at);
                for (int i = 0; i < buffer.Length; i++)
                {
                    if (!inside.Contains(i))
                    {
                        Assert.True(Numbers.Same(original[i], buffer[i]), $"{activation} in place over {view}: element {i} outside the view changed");
                    }
                }

                float[] g = Data<float>(view.Count, 801);
                float[] xs = (float[])original.Clone();
                float[] expectedDx = new float[at.Length];
                activation.Backward<float>([.. at.Select(i => original[i])], g, view.Lengths, expectedDx);
                activation.Backward(view.Read(xs), new ReadOnlyTensorSpan<float>(g, view.Lengths), view.Write(xs));
                AssertSame(expectedDx, [.. at.Select(i => xs[i])], $"{activation}' in place over {view}");
            }
        }
    }

    [Fact]
    public void A_destination_that_partially_overlaps_the_input_is_refused_and_nothing_is_written()
    {
        foreach (Activation activation in new[] { Activation.Relu(), Activation.Silu(), Activation.Softmax() })
        {
            float[] buffer = Data<float>(2 * 64 * 65, 900);
            float[] before = (float[])buffer.Clone();
            // Shifted by one element, transposed onto itself, shifted by three for a gradient: overlapping ranges, not the same view.
            var ex = Assert.Throws<ArgumentException>(() => activation.Forward(new ReadOnlyTensorSpan<float>(buffer, 0, [64, 64], [128, 1]), new TensorSpan<float>(buffer, 1, [64, 64], [128, 1])));
            Assert.Equal("destination", ex.ParamName);
            Assert.Contains("overlaps", ex.Message, StringComparison.Ordinal);
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() =>
                activation.Forward(new ReadOnlyTensorSpan<float>(buffer, 0, [64, 64], [128, 1]), new TensorSpan<float>(buffer, 0, [64, 64], [1, 128]))).ParamName);
            float[] g = new float[64 * 64];
            Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => activation.Backward(new ReadOnlyTensorSpan<float>(buffer, 0, [64, 64], [128, 1]),
                new ReadOnlyTensorSpan<float>(g, [64, 64]), new TensorSpan<float>(buffer, 3, [64, 64], [128, 1]))).ParamName);
            Assert.Equal(before, buffer);
        }
    }

    /// <summary>The overlap checks at their edges, on strided views (a dense one would reach the span form's own
    /// check): a gradient output overlapping the second input (gradOutput), views whose extents share exactly one
    /// element (on either side), and views whose extents only touch (accepted).</summary>
    [Fact]
    public void Overlaps_of_one_element_and_of_the_second_input_are_refused_and_touching_views_are_not()
    {
        nint[] lengths = [4, 5], strides = [10, 2];   // elements 0, 2, … 38 from the offset
        foreach (Activation activation in new[] { Activation.Relu(), Activation.Softmax() })
        {
            float[] buffer = Data<float>(120, 903);
            float[] x = Data<float>(20, 904);
            float[] before = (float[])buffer.Clone();
            var ex = Assert.Throws<ArgumentException>(() => activation.Backward(new ReadOnlyTensorSpan<float>(x, [4, 5]),
                new ReadOnlyTensorSpan<float>(buffer, 0, lengths, strides), new TensorSpan<float>(buffer, 2, lengths, strides)));
            Assert.Equal("gradInput", ex.ParamName);
            Assert.Contains("'gradOutput'", ex.Message, StringComparison.Ordinal);
            // the input's last element is the destination's first, and the other way round
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => activation.Forward(new ReadOnlyTensorSpan<float>(buffer, 0, lengths, strides),
                new TensorSpan<float>(buffer, 38, lengths, strides))).ParamName);
            Assert.Equal("destination", Assert.Throws<ArgumentException>(() => activation.Forward(new ReadOnlyTensorSpan<float>(buffer, 38, lengths, strides),
                new TensorSpan<float>(buffer, 0, lengths, strides))).ParamName);
            Assert.Equal(before, buffer);
            // extents that touch without sharing an element: computed
            activation.Forward(new ReadOnlyTensorSpan<float>(buffer, 0, lengths, strides), new TensorSpan<float>(buffer, 39, lengths, strides));
            float[] gathered = [.. Enumerable.Range(0, 20).Select(k => before[k / 5 * 10 + k % 5 * 2])], expected = new float[20];
            activation.Forward<float>(gathered, [4, 5], expected);
            AssertSame(expected, [.. Enumerable.Range(0, 20).Select(k => buffer[39 + k / 5 * 10 + k % 5 * 2])], $"{activation} into the touching view", activation.IsElementwise);
        }
    }

    [Fact]
    public void Mismatched_shapes_are_refused_naming_both_shapes()
    {
        float[] a = new float[24], b = new float[24];
        foreach (Activation activation in new[] { Activation.Relu(), Activation.Mish(), Activation.LogSoftmax() })
        {
            var ex = Assert.Throws<ArgumentException>(() => activation.Forward(new ReadOnlyTensorSpan<float>(a, [2, 3, 4]), new TensorSpan<float>(b, [4, 3, 2])));
            Assert.Equal("destination", ex.ParamName);
            Assert.Contains("[4, 3, 2]", ex.Message, StringComparison.Ordinal);
            Assert.Contains("[2, 3, 4]", ex.Message, StringComparison.Ordinal);
            var ex2 = Assert.Throws<ArgumentException>(() => activation.Backward(new ReadOnlyTensorSpan<float>(a, [2, 12]), new ReadOnlyTensorSpan<float>(b, [12, 2]), new TensorSpan<float>(new float[24], [2, 12])));
            Assert.Contains("[12, 2]", ex2.Message, StringComparison.Ordinal);
            Assert.Contains("[2, 12]", ex2.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_broadcast_destination_is_refused()
    {
        float[] x = Data<float>(40, 901), y = new float[8];
        var ex = Assert.Throws<ArgumentException>(() => Activation.Relu().Forward(new ReadOnlyTensorSpan<float>(x, [5, 8]), new TensorSpan<float>(y, 0, [5, 8], [0, 1])));
        Assert.Equal("destination", ex.ParamName);
        Assert.Contains("broadcast", ex.Message, StringComparison.Ordinal);
        Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_broadcast_input_is_read_like_its_expanded_copy()
    {
        double[] row = Data<double>(300, 902);
        double[] expanded = [.. Enumerable.Range(0, 6).SelectMany(_ => row)];
        double[] expected = new double[expanded.Length], actual = new double[expanded.Length];
        Activation.Gelu().Forward<double>(expanded, expected);
        Activation.Gelu().Forward(new ReadOnlyTensorSpan<double>(row, 0, [6, 300], [0, 1]), new TensorSpan<double>(actual, [6, 300]));
        AssertSame(expected, actual, "gelu over a broadcast row", exactNaN: true);
    }

    [Fact]
    public void Empty_views_and_invalid_parameters()
    {
        Activation.Relu().Forward(new ReadOnlyTensorSpan<float>(new float[0], [0, 5]), new TensorSpan<float>(new float[0], [0, 5]));
        Activation.Softmax().Forward(new ReadOnlyTensorSpan<float>(new float[0], [3, 0]), new TensorSpan<float>(new float[0], [3, 0]));
        float[] x = [1, 2, 3, 4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Hardtanh(2, 1).Forward(new ReadOnlyTensorSpan<float>(x, [2, 2]), new TensorSpan<float>(new float[4], [2, 2])));
        Assert.Throws<ArgumentOutOfRangeException>(() => Activation.Softmax(2).Forward(new ReadOnlyTensorSpan<float>(x, [2, 2]), new TensorSpan<float>(new float[4], [2, 2])));
        Assert.Throws<ArgumentNullException>(() => Activation.Relu().Forward((Tensor<float>)null!));
    }

    [Fact]
    public void The_allocating_form_returns_a_dense_tensor_of_the_result()
    {
        foreach (View view in Views)
        {
            float[] buffer = Data<float>(view.BufferLength, 903);
            Tensor<float> source = Tensor.Create(buffer, (int)view.Offset, view.Lengths, view.Strides);
            Tensor<float> y = Activation.Silu().Forward(source);
            Assert.True(y.IsDense);
            Assert.Equal(view.Lengths, y.Lengths.ToArray());
            int[] at = view.Indices();
            float[] expected = new float[at.Length];
            Activation.Silu().Forward<float>([.. at.Select(i => buffer[i])], expected);
            float[] flat = new float[at.Length];
            y.FlattenTo(flat);
            AssertSame(expected, flat, $"silu(Tensor) over {view}", exactNaN: true);

            float[] g = Data<float>(view.Count, 904);
            Tensor<float> dx = Activation.Silu().Backward(source, Tensor.Create(g, view.Lengths));
            float[] expectedDx = new float[at.Length];
            Activation.Silu().Backward<float>([.. at.Select(i => buffer[i])], g, expectedDx);
            dx.FlattenTo(flat);
            AssertSame(expectedDx, flat, $"silu'(Tensor) over {view}");
        }
    }

    [Fact]
    public void Prelu_per_channel_over_views_is_the_span_form_with_its_weight_gradient()
    {
        foreach (View view in Views.Where(v => v.Lengths.Length >= 2))
        {
            foreach (int axis in new[] { 1, -1 })
            {
                int channels = (int)view.Lengths[axis < 0 ? view.Lengths.Length + axis : axis];
                float[] w = Data<float>(channels, 905), buffer = Data<float>(view.BufferLength, 906), g = Data<float>(view.Count, 907);
                float[] x = [.. view.Indices().Select(i => buffer[i])];
                float[] expected = new float[x.Length], actual = new float[x.Length];
                Activations.PRelu<float>(x, view.Lengths, w, axis, expected);
                Activations.PRelu(view.Read(buffer), w, axis, new TensorSpan<float>(actual, view.Lengths));
                AssertSame(expected, actual, $"prelu over {view}, axis {axis}", exactNaN: true);

                float[] expectedDw = new float[channels], actualDw = new float[channels];
                Activations.PReluBackward<float>(x, view.Lengths, g, w, axis, expected, expectedDw);
                Activations.PReluBackward(view.Read(buffer), new ReadOnlyTensorSpan<float>(g, view.Lengths), w, axis, new TensorSpan<float>(actual, view.Lengths), actualDw);
                AssertSame(expected, actual, $"prelu' over {view}, axis {axis}");
                AssertSame(expectedDw, actualDw, $"prelu dw over {view}, axis {axis}");
            }
        }
    }

    [Fact]
    public void Fused_bias_activation_over_views_is_the_span_form_with_its_bias_gradient()
    {
        foreach (View view in Views.Where(v => v.Lengths.Length >= 2))
        {
            foreach (Activation activation in new[] { Activation.Relu(), Activation.Gelu(), Activation.Hardtanh(-0.5, 0.5) })
            {
                int channels = (int)view.Lengths[1];
                double[] bias = Data<double>(channels, 908), buffer = Data<double>(view.BufferLength, 909), g = Data<double>(view.Count, 910);
                double[] x = [.. view.Indices().Select(i => buffer[i])];
                double[] expected = new double[x.Length], actual = new double[x.Length];
                Fused.BiasActivation<double>(x, view.Lengths, bias, activation, expected);
                Fused.BiasActivation(view.Read(buffer), bias, activation, new TensorSpan<double>(actual, view.Lengths));
                // x + bias of two NaNs may give either payload (the JIT may order the operands either way), so an
                // element's NaN bits are checked only where its channel's bias is not NaN.
                nint inner = view.Lengths.Skip(2).Aggregate((nint)1, (a, b) => a * b);
                AssertSame(expected, actual, $"bias + {activation} over {view}", i => !double.IsNaN(bias[(int)(i / inner % channels)]));

                double[] expectedDb = new double[channels], actualDb = new double[channels];
                Fused.BiasActivationBackward<double>(x, view.Lengths, bias, g, activation, expected, expectedDb);
                Fused.BiasActivationBackward(view.Read(buffer), bias, new ReadOnlyTensorSpan<double>(g, view.Lengths), activation,
                    new TensorSpan<double>(actual, view.Lengths), actualDb);
                AssertSame(expected, actual, $"(bias + {activation})' over {view}");
                AssertSame(expectedDb, actualDb, $"dbias of {activation} over {view}");
            }
        }
    }

    [Fact]
    public void Any_view_of_any_rank_with_any_strides_is_the_span_form() =>
        Gen.Select(Gen.Int[1, 4], Gen.Int[0, int.MaxValue], Gen.Int[0, 3]).SampleEach((rank, seed, which) =>
        {
            var rng = new Random(seed);
            var lengths = new nint[rank];
            for (int k = 0; k < rank; k++)
            {
                lengths[k] = rng.Next(1, rank <= 2 ? 90 : 14);
            }
            // A dense buffer of a permutation of the axes with a step along each, viewed back in the logical order.
            int[] order = [.. Enumerable.Range(0, rank).OrderBy(_ => rng.Next())];
            var steps = new nint[rank];
            var strides = new nint[rank];
            nint s = 1;
            for (int o = rank - 1; o >= 0; o--)
            {
                int k = order[o];
                steps[k] = rng.Next(1, 3);
                strides[k] = lengths[k] == 1 ? 0 : s * steps[k];   // TensorSpan takes only stride 0 along an axis of length 1
                s = s * steps[k] * lengths[k];
            }
            var view = new View("generated", (int)s + 3, rng.Next(0, 3), lengths, strides);
            Activation activation = new[] { Activation.Relu(), Activation.Gelu(), Activation.Softshrink(0.25), Activation.Softmax(rng.Next(-rank, rank)) }[which];
            float[] buffer = Data<float>(view.BufferLength, seed);
            int[] at = view.Indices();
            float[] expected = new float[at.Length], actual = new float[at.Length];
            activation.Forward<float>([.. at.Select(i => buffer[i])], view.Lengths, expected);
            activation.Forward(view.Read(buffer), new TensorSpan<float>(actual, lengths));
            return expected.Select((e, i) => activation.IsElementwise ? Numbers.Bits(e) == Numbers.Bits(actual[i]) : Numbers.Same(e, actual[i])).All(b => b);
        });

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        foreach (View view in new[] { Views[2], Views[4] })
        {
            float[] buffer = Data<float>(view.BufferLength, 911);
            float[] one = new float[view.Count], all = new float[view.Count];
            using (Parallelism.Scope(1))
            {
                Activation.Gelu().Forward(view.Read(buffer), new TensorSpan<float>(one, view.Lengths));
            }
            Activation.Gelu().Forward(view.Read(buffer), new TensorSpan<float>(all, view.Lengths));
            AssertSame(one, all, $"gelu over {view}, 1 thread against all", exactNaN: true);
        }
    }
}
