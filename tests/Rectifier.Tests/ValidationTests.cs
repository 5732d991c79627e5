namespace Rectifier.Tests;

public sealed class ValidationTests
{
    [Fact]
    public void A_short_destination_is_an_ArgumentException_naming_it()
    {
        var x = new float[10];
        var e = Assert.Throws<ArgumentException>(() => Activations.Relu<float>(x, new float[9]));
        Assert.Equal("destination", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Activations.ReluBackward<float>(x, x, new float[9]));
        Assert.Equal("gradInput", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Activations.LeakyRelu<Half>(new Half[3], new Half[2]));
        Assert.Equal("destination", e.ParamName);
        Assert.StartsWith("Destination is too short: it must be at least as long as the input.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_overlap_is_refused_and_exact_alias_is_allowed()
    {
        var buffer = new float[100];
        var e = Assert.Throws<ArgumentException>(() => Activations.Relu<float>(buffer.AsSpan(0, 50), buffer.AsSpan(1, 50)));
        Assert.Equal("destination", e.ParamName);
        Assert.StartsWith("'destination' partially overlaps 'x': use the same span (in-place) or separate memory.", e.Message, StringComparison.Ordinal);
        Assert.Null(Record.Exception(() => Activations.Relu<float>(buffer.AsSpan(0, 50), buffer.AsSpan(0, 50))));
        var g = new double[100];
        e = Assert.Throws<ArgumentException>(() => Activations.ReluBackward<double>(new double[50], g.AsSpan(0, 50), g.AsSpan(10, 50)));
        Assert.Equal("gradInput", e.ParamName);
        Assert.Contains("gradOutput", e.Message, StringComparison.Ordinal);
        // x, not only gradOutput, must not partially overlap gradInput, in every element type
        var xs = new float[100];
        e = Assert.Throws<ArgumentException>(() => Activations.ReluBackward<float>(xs.AsSpan(0, 50), new float[50], xs.AsSpan(3, 50)));
        Assert.Equal("gradInput", e.ParamName);
        Assert.StartsWith("'gradInput' partially overlaps 'x'", e.Message, StringComparison.Ordinal);
        var hs = new Half[100];
        e = Assert.Throws<ArgumentException>(() => Activations.GeluBackward<Half>(hs.AsSpan(5, 50), new Half[50], hs.AsSpan(0, 50)));
        Assert.Equal("gradInput", e.ParamName);
        Assert.StartsWith("'gradInput' partially overlaps 'x'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mismatched_input_lengths_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.ReluBackward<float>(new float[5], new float[4], new float[5]));
        Assert.Equal("gradOutput", e.ParamName);
        Assert.StartsWith("'gradOutput' has 4 elements but the input has 5: they must have the same length.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_input_is_a_no_op()
    {
        Activations.Relu<float>([], []);
        Activations.LeakyReluBackward<Half>([], [], []);
        Activations.PRelu<double>([], [0, 3], [1.0, 2.0, 3.0], []);
        Assert.Equal(0.0, Activations.PReluBackward<double>([], [], 0.5, []));
    }

    [Theory]
    [InlineData("negativeSlope")]
    [InlineData("threshold")]
    [InlineData("value")]
    [InlineData("minValue")]
    [InlineData("maxValue")]
    [InlineData("lower")]
    [InlineData("upper")]
    public void Invalid_parameters_are_ArgumentOutOfRangeExceptions_naming_them(string parameter)
    {
        var x = new float[4];
        var y = new float[4];
        Action act = parameter switch
        {
            "negativeSlope" => () => Activations.LeakyRelu<float>(x, double.NaN, y),
            "threshold" => () => Activations.Threshold<float>(x, double.NaN, 0, y),
            "value" => () => Activations.Threshold<float>(x, 0, double.NaN, y),
            "minValue" => () => Activations.Hardtanh<float>(x, 2, 1, y),
            "maxValue" => () => Activations.Hardtanh<float>(x, -1, double.NaN, y),
            "lower" => () => Activations.RRelu<float>(x, 0.5, 0.25, y),
            "upper" => () => Activations.RRelu<float>(x, 0.1, double.NaN, y),
            _ => throw new ArgumentException(parameter),
        };
        var e = Assert.Throws<ArgumentOutOfRangeException>(act);
        Assert.Equal(parameter, e.ParamName);
    }

    [Fact]
    public void Types_other_than_Half_float_and_double_are_refused()
    {
        var a = new System.Runtime.InteropServices.NFloat[4];
        var b = new System.Runtime.InteropServices.NFloat[4];
        var c = new System.Runtime.InteropServices.NFloat[4];
        foreach (Action call in new Action[]
        {
            () => Activations.Relu<System.Runtime.InteropServices.NFloat>(a, b),
            () => Activations.ReluBackward<System.Runtime.InteropServices.NFloat>(a, b, c),
            () => Activations.Gelu<System.Runtime.InteropServices.NFloat>(a, b),
            () => Activations.SiluBackward<System.Runtime.InteropServices.NFloat>(a, b, c),
            () => Activations.Relu<System.Runtime.InteropServices.NFloat>(a, b, new ulong[1]),
            () => Activations.ReluBackwardFromMask<System.Runtime.InteropServices.NFloat>(new ulong[1], a, b),
        })
        {
            var e = Assert.Throws<NotSupportedException>(call);
            Assert.Equal("Rectifier computes in Half, float and double; NFloat is not supported.", e.Message);
        }
    }

    [Fact]
    public void Parallelism_settings_are_validated_and_scoped()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxDegreeOfParallelism = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Scope(0));
        int before = Parallelism.CurrentDegree;
        using (Parallelism.Scope(1))
        {
            Assert.Equal(1, Parallelism.CurrentDegree);
            using (Parallelism.Scope(3))
            {
                Assert.Equal(3, Parallelism.CurrentDegree);
            }
            Assert.Equal(1, Parallelism.CurrentDegree);
        }
        Assert.Equal(before, Parallelism.CurrentDegree);
    }
}
