using System.Numerics;
using Rectifier.Cli;
using Rectifier.IO;

namespace Rectifier.Tests;

/// <summary>Every activation with parameters away from their defaults, as an <see cref="Activation"/> value (span,
/// shape and tensor forms, fused with a bias of −0) and as a command line, against the direct library call written
/// here with the same parameters: so a value or an option that reaches the wrong function, or drops a parameter,
/// fails. The rows are checked against <see cref="ActivationKind"/> and against the command's function list, so a
/// new activation without a row fails too.</summary>
public sealed class DispatchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rectifier-dispatch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A row: its id, the Activation value, the command line's function and options.</summary>
    private static readonly (string Id, Activation Activation, string Function, string[] Options)[] Rows =
    [
        ("relu", Activation.Relu(), "relu", []),
        ("relu6", Activation.Relu6(), "relu6", []),
        ("leaky_relu 0.2", Activation.LeakyRelu(0.2), "leaky_relu", ["--negative-slope", "0.2"]),
        ("prelu 0.15", Activation.PRelu(0.15), "prelu", ["--weight", "0.15"]),
        ("rrelu 0.05 0.45", Activation.RRelu(0.05, 0.45), "rrelu", ["--lower", "0.05", "--upper", "0.45"]),
        ("hardtanh -0.3 0.7", Activation.Hardtanh(-0.3, 0.7), "hardtanh", ["--min-val", "-0.3", "--max-val", "0.7"]),
        ("threshold 0.1 -0.7", Activation.Threshold(0.1, -0.7), "threshold", ["--threshold", "0.1", "--value", "-0.7"]),
        ("elu 0.7", Activation.Elu(0.7), "elu", ["--alpha", "0.7"]),
        ("celu 1.7", Activation.Celu(1.7), "celu", ["--alpha", "1.7"]),
        ("selu", Activation.Selu(), "selu", []),
        ("gelu", Activation.Gelu(), "gelu", []),
        ("gelu tanh", Activation.Gelu(GeluApproximation.Tanh), "gelu", ["--approximate", "tanh"]),
        ("silu", Activation.Silu(), "silu", []),
        ("mish", Activation.Mish(), "mish", []),
        ("softplus 2 5", Activation.Softplus(2, 5), "softplus", ["--beta", "2", "--threshold", "5"]),
        ("hardswish", Activation.Hardswish(), "hardswish", []),
        ("hardsigmoid", Activation.Hardsigmoid(), "hardsigmoid", []),
        ("sigmoid", Activation.Sigmoid(), "sigmoid", []),
        ("tanh", Activation.Tanh(), "tanh", []),
        ("hardshrink 0.3", Activation.Hardshrink(0.3), "hardshrink", ["--lambd", "0.3"]),
        ("softshrink 0.7", Activation.Softshrink(0.7), "softshrink", ["--lambd", "0.7"]),
        ("softshrink inf", Activation.Softshrink(double.PositiveInfinity), "softshrink", ["--lambd", "inf"]),
        ("softsign", Activation.Softsign(), "softsign", []),
        ("tanhshrink", Activation.Tanhshrink(), "tanhshrink", []),
        ("logsigmoid", Activation.LogSigmoid(), "logsigmoid", []),
        ("softmax 0", Activation.Softmax(0), "softmax", ["--dim", "0"]),
        ("log_softmax 0", Activation.LogSoftmax(0), "log_softmax", ["--dim", "0"]),
        ("softmin 0", Activation.Softmin(0), "softmin", ["--dim", "0"]),
    ];

    private static readonly nint[] Shape = [30, 70];

    /// <summary>The direct call of each row, parameters written out again.</summary>
    private static void Direct<T>(string id, T[] x, T[] g, T[] y, T[] dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (id)
        {
            case "relu": Activations.Relu<T>(x, y); Activations.ReluBackward<T>(x, g, dx); break;
            case "relu6": Activations.Relu6<T>(x, y); Activations.Relu6Backward<T>(x, g, dx); break;
            case "leaky_relu 0.2": Activations.LeakyRelu<T>(x, 0.2, y); Activations.LeakyReluBackward<T>(x, g, 0.2, dx); break;
            case "prelu 0.15": Activations.PRelu<T>(x, T.CreateTruncating(0.15), y); Activations.PReluBackward<T>(x, g, T.CreateTruncating(0.15), dx); break;
            case "rrelu 0.05 0.45": Activations.RRelu<T>(x, 0.05, 0.45, y); Activations.RReluBackward<T>(x, g, 0.05, 0.45, dx); break;
            case "hardtanh -0.3 0.7": Activations.Hardtanh<T>(x, -0.3, 0.7, y); Activations.HardtanhBackward<T>(x, g, -0.3, 0.7, dx); break;
            case "threshold 0.1 -0.7": Activations.Threshold<T>(x, 0.1, -0.7, y); Activations.ThresholdBackward<T>(x, g, 0.1, dx); break;
            case "elu 0.7": Activations.Elu<T>(x, 0.7, y); Activations.EluBackward<T>(x, g, 0.7, dx); break;
            case "celu 1.7": Activations.Celu<T>(x, 1.7, y); Activations.CeluBackward<T>(x, g, 1.7, dx); break;
            case "selu": Activations.Selu<T>(x, y); Activations.SeluBackward<T>(x, g, dx); break;
            case "gelu": Activations.Gelu<T>(x, y); Activations.GeluBackward<T>(x, g, dx); break;
            case "gelu tanh": Activations.Gelu<T>(x, GeluApproximation.Tanh, y); Activations.GeluBackward<T>(x, g, GeluApproximation.Tanh, dx); break;
            case "silu": Activations.Silu<T>(x, y); Activations.SiluBackward<T>(x, g, dx); break;
            case "mish": Activations.Mish<T>(x, y); Activations.MishBackward<T>(x, g, dx); break;
            case "softplus 2 5": Activations.Softplus<T>(x, 2, 5, y); Activations.SoftplusBackward<T>(x, g, 2, 5, dx); break;
            case "hardswish": Activations.Hardswish<T>(x, y); Activations.HardswishBackward<T>(x, g, dx); break;
            case "hardsigmoid": Activations.Hardsigmoid<T>(x, y); Activations.HardsigmoidBackward<T>(x, g, dx); break;
            case "sigmoid": Activations.Sigmoid<T>(x, y); Activations.SigmoidBackward<T>(x, g, dx); break;
            case "tanh": Activations.Tanh<T>(x, y); Activations.TanhBackward<T>(x, g, dx); break;
            case "hardshrink 0.3": Activations.Hardshrink<T>(x, 0.3, y); Activations.HardshrinkBackward<T>(x, g, 0.3, dx); break;
            case "softshrink 0.7": Activations.Softshrink<T>(x, 0.7, y); Activations.SoftshrinkBackward<T>(x, g, 0.7, dx); break;
            case "softshrink inf": Activations.Softshrink<T>(x, double.PositiveInfinity, y); Activations.SoftshrinkBackward<T>(x, g, double.PositiveInfinity, dx); break;
            case "softsign": Activations.Softsign<T>(x, y); Activations.SoftsignBackward<T>(x, g, dx); break;
            case "tanhshrink": Activations.Tanhshrink<T>(x, y); Activations.TanhshrinkBackward<T>(x, g, dx); break;
            case "logsigmoid": Activations.LogSigmoid<T>(x, y); Activations.LogSigmoidBackward<T>(x, g, dx); break;
            // Backward of the axis functions from y, which the value and the command compute from x first.
            case "softmax 0": Activations.Softmax<T>(x, Shape, 0, y); Activations.SoftmaxBackward<T>(y, g, Shape, 0, dx); break;
            case "log_softmax 0": Activations.LogSoftmax<T>(x, Shape, 0, y); Activations.LogSoftmaxBackward<T>(y, g, Shape, 0, dx); break;
            case "softmin 0": Activations.Softmin<T>(x, Shape, 0, y); Activations.SoftminBackward<T>(y, g, Shape, 0, dx); break;
            default: throw new ArgumentException($"no direct call for {id}", nameof(id));
        }
    }

    public static TheoryData<string> Ids => [.. Rows.Select(r => r.Id)];

    [Fact]
    public void Every_activation_kind_and_every_command_function_has_a_row()
    {
        foreach (ActivationKind kind in Enum.GetValues<ActivationKind>())
        {
            Assert.True(Rows.Any(r => r.Activation.Kind == kind), $"{kind} has no dispatch row");
        }
        foreach (FunctionSpec f in Functions.All)
        {
            Assert.True(Rows.Any(r => r.Function == f.Name), $"the command's {f.Name} has no dispatch row");
            // Every option of the function is set away from its default by some row.
            foreach (ParameterSpec p in f.Parameters)
            {
                Assert.True(Rows.Any(r => r.Function == f.Name && r.Options.Contains(p.Option)), $"{f.Name} {p.Option} is not exercised by a dispatch row");
            }
        }
    }

    private static (T[] X, T[] G) Data<T>(int seed) where T : IFloatingPointIeee754<T>
    {
        int n = (int)(Shape[0] * Shape[1]);
        // Mostly ordinary values, so that every region of every function is visited, and some specials.
        T[] x = Numbers.Random<T>(n, seed, 0.03), g = Numbers.Random<T>(n, seed + 1, 0.0);
        var rng = new Random(seed);
        for (int i = 0; i < n; i += 2)
        {
            x[i] = T.CreateTruncating((rng.NextDouble() * 2 - 1) * 4);
            g[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        }
        return (x, g);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_Activation_value_calls_the_function_it_names_with_its_parameters(string id)
    {
        Value<float>(id);
        Value<double>(id);
        Value<Half>(id);
    }

    private static void Value<T>(string id) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var row = Rows.Single(r => r.Id == id);
        Activation a = row.Activation;
        (T[] x, T[] g) = Data<T>(id.Length);
        int n = x.Length;
        T[] y = new T[n], dx = new T[n];
        Direct(id, x, g, y, dx);

        T[] ya = new T[n], dxa = new T[n];
        a.Forward<T>(x, Shape, ya);
        a.Backward<T>(x, g, Shape, dxa);
        Harness.AssertElements<T>(ya, i => y[i], $"{a}<{typeof(T).Name}> forward with a shape");
        Harness.AssertElements<T>(dxa, i => dx[i], $"{a}<{typeof(T).Name}> backward with a shape");

        T[] yt = new T[n], dxt = new T[n];
        a.Forward(new System.Numerics.Tensors.ReadOnlyTensorSpan<T>(x, Shape), new System.Numerics.Tensors.TensorSpan<T>(yt, Shape));
        a.Backward(new System.Numerics.Tensors.ReadOnlyTensorSpan<T>(x, Shape), new System.Numerics.Tensors.ReadOnlyTensorSpan<T>(g, Shape), new System.Numerics.Tensors.TensorSpan<T>(dxt, Shape));
        Harness.AssertElements<T>(yt, i => y[i], $"{a}<{typeof(T).Name}> forward over a tensor");
        Harness.AssertElements<T>(dxt, i => dx[i], $"{a}<{typeof(T).Name}> backward over a tensor");

        if (a.IsElementwise)
        {
            a.Forward<T>(x, ya);
            a.Backward<T>(x, g, dxa);
            Harness.AssertElements<T>(ya, i => y[i], $"{a}<{typeof(T).Name}> forward");
            Harness.AssertElements<T>(dxa, i => dx[i], $"{a}<{typeof(T).Name}> backward");
            if (typeof(T) != typeof(Half))
            {
                // Fused with a bias of −0 on channel axis 1 is the activation itself (x + (−0) is x, −0 included).
                T[] bias = new T[Shape[1]], yf = new T[n], dxf = new T[n], db = new T[Shape[1]];
                bias.AsSpan().Fill(T.NegativeZero);
                Fused.BiasActivation<T>(x, Shape, bias, a, 1, yf);
                Fused.BiasActivationBackward<T>(x, Shape, bias, g, a, 1, dxf, db);
                Harness.AssertElements<T>(yf, i => y[i], $"fused {a}<{typeof(T).Name}> forward");
                Harness.AssertElements<T>(dxf, i => dx[i], $"fused {a}<{typeof(T).Name}> backward");

                // The same data as [2, 3, 350] channels: runs of 350 take the one-pass fused kernels.
                nint[] runs = [2, 3, 350];
                T[] runBias = [T.NegativeZero, T.NegativeZero, T.NegativeZero];
                yf.AsSpan().Fill(T.NaN);   // so that a path that writes nothing cannot pass on the results above
                dxf.AsSpan().Fill(T.NaN);
                Fused.BiasActivation<T>(x, runs, runBias, a, 1, yf);
                Fused.BiasActivationBackward<T>(x, runs, runBias, g, a, 1, dxf, new T[3]);
                Harness.AssertElements<T>(yf, i => y[i], $"fused {a}<{typeof(T).Name}> forward along channel runs");
                Harness.AssertElements<T>(dxf, i => dx[i], $"fused {a}<{typeof(T).Name}> backward along channel runs");
            }

            // The forward that counts: y as the direct call, and counts of y > 0.25 per unit from a loop here, with the
            // units last ([30, 70]) and along runs ([2, 3, 350] on axis 1).
            foreach ((nint[] shape, int axis, Func<int, int> unit) in new (nint[], int, Func<int, int>)[] { (Shape, 1, i => i % 70), ([2, 3, 350], 1, i => i / 350 % 3) })
            {
                int units = (int)shape[axis];
                var monitor = new Rectifier.Diagnostics.DeadUnitMonitor(units, 0.25);
                T[] ym = new T[n];
                monitor.ObserveForward<T>(x, shape, a, axis, ym);
                Harness.AssertElements<T>(ym, i => y[i], $"{a}<{typeof(T).Name}> ObserveForward [{string.Join(", ", shape)}]");
                var counts = new long[units];
                for (int i = 0; i < n; i++)
                {
                    if (Numbers.ToDouble(y[i]) > Numbers.ToDouble(T.CreateTruncating(0.25)))
                    {
                        counts[unit(i)]++;
                    }
                }
                Assert.Equal(counts, monitor.ActiveCounts.ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rectifier_apply_computes_the_function_and_options_it_is_given(string id)
    {
        Command<float>(id, "f4", backward: false);
        Command<double>(id, "f8", backward: false);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rectifier_grad_differentiates_the_function_and_options_it_is_given(string id)
    {
        Command<float>(id, "f4", backward: true);
        Command<double>(id, "f8", backward: true);
    }

    private void Command<T>(string id, string descr, bool backward) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var row = Rows.Single(r => r.Id == id);
        (T[] x, T[] g) = Data<T>(id.Length + 100);
        string xPath = Path.Combine(_dir, $"x.{descr}.npy"), gPath = Path.Combine(_dir, $"g.{descr}.npy"), outPath = Path.Combine(_dir, $"out.{descr}.npy");
        Npy.WriteAll<T>(xPath, x, Shape);
        Npy.WriteAll<T>(gPath, g, Shape);
        string[] args = backward ? ["grad", row.Function, xPath, gPath, outPath, .. row.Options] : ["apply", row.Function, xPath, outPath, .. row.Options];
        var run = CliTests.Run(args);
        Assert.True(run.Code == 0, $"{string.Join(' ', args[..2])} {string.Join(' ', row.Options)}: exit {run.Code}: {run.Err}");

        int n = x.Length;
        T[] y = new T[n], dx = new T[n];
        Direct(id, x, g, y, dx);
        T[] expected = backward ? dx : y, got = Npy.ReadAll<T>(outPath, out _);
        Harness.AssertElements<T>(got, i => expected[i], $"rectifier {args[0]} {row.Function} {string.Join(' ', row.Options)} ({descr})");
    }
}
