using System.Numerics;

namespace Rectifier.Training;

/// <summary>How the hidden layers are set up: widths, activation (prelu learns one weight per unit), initial bias.</summary>
internal sealed record NetworkSpec(int Inputs, int[] Hidden, int Classes, Activation Activation, double BiasInit = 0)
{
    /// <summary>True for prelu: its per-unit weights are parameters, trained with the rest.</summary>
    public bool LearnedSlope => Activation.Kind == ActivationKind.PRelu;
}

/// <summary>Each activation's usual initialisation of the hidden weights (the output layer is always LeCun normal,
/// √(1/fan-in)).</summary>
internal static class Initialisations
{
    /// <summary>Glorot and Bengio (2010) for the saturating units; He et al. (2015) elsewhere, with the gain
    /// √(2/(1 + a²)) for a leaky slope a (PyTorch's <c>calculate_gain('leaky_relu', a)</c>).</summary>
    public static bool IsGlorot(Activation a) => a.Kind is ActivationKind.Tanh or ActivationKind.Sigmoid;

    public static double HeVariance(Activation a, int fanIn)
    {
        double slope = a.Kind is ActivationKind.LeakyRelu or ActivationKind.PRelu ? a.First : 0;
        return 2.0 / ((1 + slope * slope) * fanIn);
    }

    public static string Describe(Activation a) => IsGlorot(a)
        ? "Glorot uniform, ±√(6/(fan-in + fan-out))"
        : a.Kind is ActivationKind.LeakyRelu or ActivationKind.PRelu
            ? "He normal, √(2/((1 + a²)·fan-in))"
            : "He normal, √(2/fan-in)";
}

/// <summary>A multilayer perceptron in <typeparamref name="T"/> (float for the experiments, double for the gradient
/// checks): dense layers with an activation, a linear output layer, softmax cross-entropy.
/// Hidden layers compute y = act(x·W + b) with <see cref="Fused.BiasActivation{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, ReadOnlySpan{T}, Activation, int, Span{T})"/> (or prelu with per-unit weights);
/// the backward uses the library's gradients (and prelu's weight gradient). Products go through <see cref="Matrix"/>;
/// the buffers of one batch size are kept from batch to batch.</summary>
internal sealed class Mlp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public NetworkSpec Spec { get; }
    public T[][] Weights { get; }
    public T[][] Biases { get; }
    /// <summary>prelu's per-unit weights for each hidden layer (empty otherwise).</summary>
    public T[][] Slopes { get; }
    public T[][] WeightGrads { get; }
    public T[][] BiasGrads { get; }
    public T[][] SlopeGrads { get; }
    private readonly int[] _sizes;
    private readonly T[] _scratch;

    // the last forward pass, for a batch of _batch rows (buffers sized for _capacity rows)
    private T[] _input = [];
    private readonly T[][] _pre;      // x·W (before the bias)
    private readonly T[][] _sum;      // x·W + b (prelu only)
    private readonly T[][] _out;      // activations (logits for the last layer)
    private readonly T[][] _grad;     // dL/d(output of layer l)
    private readonly T[][] _dPre;     // dL/d(pre-activation of layer l)
    private int _batch, _capacity;

    public Mlp(NetworkSpec spec, int seed)
    {
        Spec = spec;
        _sizes = [spec.Inputs, .. spec.Hidden, spec.Classes];
        int layers = _sizes.Length - 1;
        Weights = new T[layers][];
        Biases = new T[layers][];
        WeightGrads = new T[layers][];
        BiasGrads = new T[layers][];
        Slopes = new T[layers][];
        SlopeGrads = new T[layers][];
        _pre = new T[layers][];
        _sum = new T[layers][];
        _out = new T[layers][];
        _grad = new T[layers][];
        _dPre = new T[layers][];
        var rng = new Random(seed);
        bool glorot = Initialisations.IsGlorot(spec.Activation);
        int largest = 0;
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            bool hidden = l < layers - 1;
            double he = hidden ? Math.Sqrt(Initialisations.HeVariance(spec.Activation, fanIn)) : Math.Sqrt(1.0 / fanIn);
            Weights[l] = new T[fanIn * fanOut];
            for (int i = 0; i < Weights[l].Length; i++)
            {
                double w = glorot && hidden ? (rng.NextDouble() * 2 - 1) * Math.Sqrt(6.0 / (fanIn + fanOut)) : Dataset.Gaussian(rng) * he;
                Weights[l][i] = T.CreateTruncating(w);
            }
            Biases[l] = new T[fanOut];
            if (hidden)
            {
                Array.Fill(Biases[l], T.CreateTruncating(spec.BiasInit));
            }
            WeightGrads[l] = new T[Weights[l].Length];
            BiasGrads[l] = new T[fanOut];
            bool slope = spec.LearnedSlope && hidden;
            Slopes[l] = slope ? Enumerable.Repeat(T.CreateTruncating(spec.Activation.First), fanOut).ToArray() : [];
            SlopeGrads[l] = slope ? new T[fanOut] : [];
            largest = Math.Max(largest, fanIn * fanOut);
        }
        _scratch = new T[largest];
    }

    public int Layers => Weights.Length;

    /// <summary>The pre-activations x·W + b of hidden layer <paramref name="layer"/> in the last forward pass, [batch, units].</summary>
    public T[] PreActivation(int layer)
    {
        int units = _sizes[layer + 1];
        var z = new T[_batch * units];
        AddBias(_pre[layer], Biases[layer], z, _batch, units);
        return z;
    }

    private void Reserve(int batch)
    {
        _batch = batch;
        if (batch <= _capacity)
        {
            return;
        }
        _capacity = batch;
        for (int l = 0; l < Layers; l++)
        {
            int m = _sizes[l + 1];
            _pre[l] = new T[batch * m];
            _sum[l] = Spec.LearnedSlope ? new T[batch * m] : [];
            _out[l] = new T[batch * m];
            _grad[l] = new T[batch * m];
            _dPre[l] = new T[batch * m];
        }
    }

    /// <summary>Logits [batch, classes] for a batch of rows; the span is valid until the next forward.</summary>
    public ReadOnlySpan<T> Forward(T[] x, int batch)
    {
        Reserve(batch);
        _input = x;
        ReadOnlySpan<T> current = x.AsSpan(0, batch * _sizes[0]);
        for (int l = 0; l < Layers; l++)
        {
            int k = _sizes[l], m = _sizes[l + 1], n = batch * m;
            Span<T> pre = _pre[l].AsSpan(0, n), output = _out[l].AsSpan(0, n);
            Matrix.Multiply<T>(current, Weights[l], pre, batch, k, m);
            if (l == Layers - 1)
            {
                AddBias(pre, Biases[l], output, batch, m);
            }
            else if (Spec.LearnedSlope)
            {
                Span<T> sum = _sum[l].AsSpan(0, n);
                AddBias(pre, Biases[l], sum, batch, m);
                Activations.PRelu<T>(sum, [batch, m], Slopes[l], output);
            }
            else
            {
                Fused.BiasActivation<T>(pre, [batch, m], Biases[l], Spec.Activation, output);
            }
            current = output;
        }
        return current;
    }

    private static void AddBias(ReadOnlySpan<T> pre, ReadOnlySpan<T> bias, Span<T> destination, int batch, int m)
    {
        for (int i = 0; i < batch; i++)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(pre.Slice(i * m, m), bias[..m], destination.Slice(i * m, m));
        }
    }

    /// <summary>Mean softmax cross-entropy of the last logits against the labels, its gradient (into the parameter
    /// gradients, via the backward pass) and the number of correct predictions. The loss is summed in double.</summary>
    public (double Loss, int Correct) Backward(ReadOnlySpan<int> labels)
    {
        int batch = _batch, classes = Spec.Classes;
        ReadOnlySpan<T> logits = _out[Layers - 1].AsSpan(0, batch * classes);
        Span<T> grad = _grad[Layers - 1].AsSpan(0, batch * classes);
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<T> row = logits.Slice(i * classes, classes);
            double max = double.NegativeInfinity;
            int argmax = 0;
            for (int j = 0; j < classes; j++)
            {
                double v = double.CreateTruncating(row[j]);
                if (v > max)
                {
                    max = v;
                    argmax = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                sum += Math.Exp(double.CreateTruncating(row[j]) - max);
            }
            double logSum = Math.Log(sum) + max;
            loss += logSum - double.CreateTruncating(row[labels[i]]);
            correct += argmax == labels[i] ? 1 : 0;
            for (int j = 0; j < classes; j++)
            {
                grad[i * classes + j] = T.CreateTruncating((Math.Exp(double.CreateTruncating(row[j]) - logSum) - (j == labels[i] ? 1 : 0)) / batch);
            }
        }
        BackwardFrom(grad);
        return (loss / batch, correct);
    }

    /// <summary>Backpropagates dL/dlogits (<c>[batch, classes]</c> of the last forward) through every layer into the
    /// gradient arrays.</summary>
    public void BackwardFrom(ReadOnlySpan<T> gradLogits)
    {
        int batch = _batch;
        ReadOnlySpan<T> grad = gradLogits;
        for (int l = Layers - 1; l >= 0; l--)
        {
            int k = _sizes[l], m = _sizes[l + 1], n = batch * m;
            ReadOnlySpan<T> dPre;
            if (l == Layers - 1)
            {
                dPre = grad;
                SumRows(grad, BiasGrads[l], batch, m);
            }
            else if (Spec.LearnedSlope)
            {
                Span<T> dSum = _dPre[l].AsSpan(0, n);
                Activations.PReluBackward<T>(_sum[l].AsSpan(0, n), [batch, m], grad, Slopes[l], dSum, SlopeGrads[l]);
                SumRows(dSum, BiasGrads[l], batch, m);
                dPre = dSum;
            }
            else
            {
                Span<T> d = _dPre[l].AsSpan(0, n);
                Fused.BiasActivationBackward<T>(_pre[l].AsSpan(0, n), [batch, m], Biases[l], grad, Spec.Activation, d, BiasGrads[l]);
                dPre = d;
            }
            ReadOnlySpan<T> input = l == 0 ? _input.AsSpan(0, batch * k) : _out[l - 1].AsSpan(0, batch * k);
            Matrix.MultiplyTransposedLeft(input, dPre, WeightGrads[l], batch, k, m);
            if (l > 0)
            {
                Span<T> dInput = _grad[l - 1].AsSpan(0, batch * k);
                Matrix.MultiplyTransposedRight(dPre, Weights[l], dInput, batch, m, k, _scratch);
                grad = dInput;
            }
        }
    }

    /// <summary>Column sums of a [batch, m] gradient in double, rows in order (the bias gradient).</summary>
    private static void SumRows(ReadOnlySpan<T> grad, Span<T> destination, int batch, int m)
    {
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int i = 0; i < batch; i++)
            {
                s += double.CreateTruncating(grad[i * m + j]);
            }
            destination[j] = T.CreateTruncating(s);
        }
    }

    /// <summary>Every parameter array with its gradient, in a fixed order (what the optimisers walk).</summary>
    public IEnumerable<(T[] Value, T[] Grad)> Parameters()
    {
        for (int l = 0; l < Layers; l++)
        {
            yield return (Weights[l], WeightGrads[l]);
            yield return (Biases[l], BiasGrads[l]);
            if (Slopes[l].Length > 0)
            {
                yield return (Slopes[l], SlopeGrads[l]);
            }
        }
    }
}
