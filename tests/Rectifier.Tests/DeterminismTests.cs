using System.Numerics;
using Rectifier.Diagnostics;
using Rectifier.Kernels;

namespace Rectifier.Tests;

/// <summary>Tests that need the worker pool to themselves: run alone, so that "all threads" really means more than one.</summary>
[CollectionDefinition(nameof(SerialPool), DisableParallelization = true)]
public sealed class SerialPool;

/// <summary>Every reduction keeps its bits whatever the thread count, on data whose sums are inexact (so a different
/// order of addition gives a different result, which the first test proves), and each multi-threaded call is checked
/// to have had a part run on a worker thread: a busy pool, which runs every part on the caller, cannot make it pass
/// quietly. The same computations are compared across vector widths by the cross-platform check.</summary>
[Collection(nameof(SerialPool))]
public sealed class DeterminismTests
{
    /// <summary>Values that no binary format holds exactly (irrational multiples), of mixed sign and magnitude.</summary>
    internal static T[] Inexact<T>(int n, int seed) where T : IFloatingPointIeee754<T>
    {
        var rng = new Random(seed);
        var data = new T[n];
        for (int i = 0; i < n; i++)
        {
            double m = (rng.NextDouble() * 2 - 1) * Math.PI * (rng.Next(4) == 0 ? 37.0 / 3 : 1);
            data[i] = T.CreateTruncating(m);
        }
        return data;
    }

    private static TResult OnAllThreads<TResult>(Func<TResult> call) => Harness.OnAllThreads(call);

    private static TResult OnOneThread<TResult>(Func<TResult> call)
    {
        using (Parallelism.Scope(1))
        {
            long before = WorkerPool.PartsRunByWorkersOnThisThread;
            TResult result = call();
            Assert.Equal(before, WorkerPool.PartsRunByWorkersOnThisThread);
            return result;
        }
    }

    private static void AssertSameBits<T>(T[] expected, T[] actual, string what) where T : IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (Numbers.Bits(expected[i]) != Numbers.Bits(actual[i]) && !(T.IsNaN(expected[i]) && T.IsNaN(actual[i])))
            {
                Assert.Fail($"{what}: element {i} is {Numbers.Show(actual[i])} on every core and {Numbers.Show(expected[i])} on one");
            }
        }
    }

    // Shapes past the parallel threshold: [outer, channels, inner] with the channel on axis 1, and [rows, channels].
    private static IEnumerable<(nint[] Shape, int Axis)> Layouts()
    {
        yield return ([16, 24, 1031], 1);
        yield return ([4099, 96], -1);
        yield return ([2053, 7, 19], 0);
    }

    [Fact]
    public void The_data_make_the_order_of_addition_matter()
    {
        float[] x = Inexact<float>(100_000, 1);
        float forward = 0, backward = 0;
        for (int i = 0; i < x.Length; i++)
        {
            forward += x[i];
            backward += x[x.Length - 1 - i];
        }
        Assert.NotEqual(forward, backward);
    }

    private static void PReluWeightGradient<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((nint[] shape, int axis) in Layouts())
        {
            int n = (int)shape.Aggregate((a, b) => a * b), channels = (int)shape[axis < 0 ? shape.Length + axis : axis];
            T[] x = Inexact<T>(n, 2), g = Inexact<T>(n, 3), w = Inexact<T>(channels, 4);
            (T[] dx, T[] dw) Run()
            {
                T[] dx = new T[n], dw = new T[channels];
                Activations.PReluBackward<T>(x, shape, g, w, axis, dx, dw);
                return (dx, dw);
            }
            var one = OnOneThread(Run);
            var all = OnAllThreads(Run);
            AssertSameBits(one.dw, all.dw, $"prelu dW<{typeof(T).Name}> [{string.Join(", ", shape)}] axis {axis}");
            AssertSameBits(one.dx, all.dx, $"prelu dx<{typeof(T).Name}> [{string.Join(", ", shape)}] axis {axis}");
        }
    }

    [Fact]
    public void PRelu_weight_gradient_keeps_its_bits_on_any_thread_count()
    {
        PReluWeightGradient<float>();
        PReluWeightGradient<double>();
        PReluWeightGradient<Half>();
    }

    /// <summary>The same through tensor views: a channels-last view of a [C, N] buffer read transposed, which the
    /// library stages into a dense copy before the same reduction.</summary>
    [Fact]
    public void PRelu_weight_gradient_over_a_transposed_view_keeps_its_bits_on_any_thread_count()
    {
        ViewWeightGradient<float>();
        ViewWeightGradient<double>();
    }

    private static void ViewWeightGradient<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rows = 6151, channels = 40;
        T[] xs = Inexact<T>(rows * channels, 11), gs = Inexact<T>(rows * channels, 12), w = Inexact<T>(channels, 13);
        (T[] dx, T[] dw) Run()
        {
            // [rows, channels] views of buffers stored [channels, rows].
            var x = new System.Numerics.Tensors.ReadOnlyTensorSpan<T>(xs, 0, [rows, channels], [1, rows]);
            var g = new System.Numerics.Tensors.ReadOnlyTensorSpan<T>(gs, 0, [rows, channels], [1, rows]);
            T[] dx = new T[rows * channels], dw = new T[channels];
            Activations.PReluBackward<T>(x, g, w, 1, new System.Numerics.Tensors.TensorSpan<T>(dx, [rows, channels]), dw);
            return (dx, dw);
        }
        var one = OnOneThread(Run);
        var all = OnAllThreads(Run);
        AssertSameBits(one.dw, all.dw, $"prelu dW<{typeof(T).Name}> over a transposed view");
        AssertSameBits(one.dx, all.dx, $"prelu dx<{typeof(T).Name}> over a transposed view");
    }

    private static void FusedBiasGradient<T>(Activation activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((nint[] shape, int axis) in Layouts())
        {
            int n = (int)shape.Aggregate((a, b) => a * b), channels = (int)shape[axis < 0 ? shape.Length + axis : axis];
            T[] x = Inexact<T>(n, 5), g = Inexact<T>(n, 6), bias = Inexact<T>(channels, 7);
            (T[] y, T[] dx, T[] db) Run()
            {
                T[] y = new T[n], dx = new T[n], db = new T[channels];
                Fused.BiasActivation<T>(x, shape, bias, activation, axis, y);
                Fused.BiasActivationBackward<T>(x, shape, bias, g, activation, axis, dx, db);
                return (y, dx, db);
            }
            var one = OnOneThread(Run);
            var all = OnAllThreads(Run);
            string what = $"fused {activation}<{typeof(T).Name}> [{string.Join(", ", shape)}] axis {axis}";
            AssertSameBits(one.db, all.db, what + " dBias");
            AssertSameBits(one.dx, all.dx, what + " dx");
            AssertSameBits(one.y, all.y, what + " y");
        }
    }

    [Fact]
    public void Fused_bias_gradient_keeps_its_bits_on_any_thread_count()
    {
        foreach (Activation a in new[] { Activation.Relu(), Activation.LeakyRelu(0.1), Activation.Hardtanh(-0.7, 1.3), Activation.Gelu(), Activation.Silu(), Activation.Tanh() })
        {
            FusedBiasGradient<float>(a);
            FusedBiasGradient<double>(a);
        }
        FusedBiasGradient<Half>(Activation.Relu());
        FusedBiasGradient<Half>(Activation.Gelu());
    }

    private static void DeadUnitCounts<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((nint[] shape, int axis) in Layouts())
        {
            int n = (int)shape.Aggregate((a, b) => a * b), a = axis < 0 ? shape.Length + axis : axis, units = (int)shape[a];
            T[] x = Inexact<T>(n, 8);
            const double threshold = 0.3;
            // The counts from an independent loop over the C-ordered index.
            long inner = 1;
            for (int d = a + 1; d < shape.Length; d++)
            {
                inner *= shape[d];
            }
            var expected = new long[units];
            for (int i = 0; i < n; i++)
            {
                if (Numbers.ToDouble(x[i]) > Numbers.ToDouble(T.CreateTruncating(threshold)))
                {
                    expected[i / inner % units]++;
                }
            }
            (long[] observe, long[] forward, T[] y) Run()
            {
                var m = new DeadUnitMonitor(units, threshold);
                m.Observe<T>(x, shape, axis);
                long[] observed = m.ActiveCounts.ToArray();
                var f = new DeadUnitMonitor(units, threshold);
                T[] y = new T[n];
                f.ObserveForward<T>(x, shape, Activation.LeakyRelu(0.2), axis, y);
                return (observed, f.ActiveCounts.ToArray(), y);
            }
            var one = OnOneThread(Run);
            var all = OnAllThreads(Run);
            string what = $"dead-unit counts<{typeof(T).Name}> [{string.Join(", ", shape)}] axis {axis}";
            Assert.Equal(expected, one.observe);
            Assert.Equal(expected, all.observe);
            Assert.Equal(one.forward, all.forward);
            AssertSameBits(one.y, all.y, what + " ObserveForward y");
        }
    }

    [Fact]
    public void Dead_unit_counts_are_the_same_on_any_thread_count()
    {
        DeadUnitCounts<float>();
        DeadUnitCounts<double>();
        DeadUnitCounts<Half>();
    }

    private static void SoftmaxSums<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((nint[] shape, int dim) in new (nint[], int)[] { ([512, 1031], -1), ([1031, 512], 0), ([64, 257, 33], 1) })
        {
            int n = (int)shape.Aggregate((a, b) => a * b);
            T[] x = Inexact<T>(n, 9), g = Inexact<T>(n, 10);
            (T[] y, T[] dx, T[] ly, T[] ldx) Run()
            {
                T[] y = new T[n], dx = new T[n], ly = new T[n], ldx = new T[n];
                Activations.Softmax<T>(x, shape, dim, y);
                Activations.SoftmaxBackward<T>(y, g, shape, dim, dx);
                Activations.LogSoftmax<T>(x, shape, dim, ly);
                Activations.LogSoftmaxBackward<T>(ly, g, shape, dim, ldx);
                return (y, dx, ly, ldx);
            }
            var one = OnOneThread(Run);
            var all = OnAllThreads(Run);
            string what = $"<{typeof(T).Name}> [{string.Join(", ", shape)}] dim {dim}";
            AssertSameBits(one.y, all.y, "softmax" + what);
            AssertSameBits(one.dx, all.dx, "softmax backward" + what);
            AssertSameBits(one.ly, all.ly, "log_softmax" + what);
            AssertSameBits(one.ldx, all.ldx, "log_softmax backward" + what);
        }
    }

    [Fact]
    public void Softmax_sums_keep_their_bits_on_any_thread_count()
    {
        SoftmaxSums<float>();
        SoftmaxSums<double>();
    }
}
