namespace Rectifier.Training;

/// <summary>How the hidden layers are set up: widths, activation (prelu learns one weight per unit), initial bias.</summary>
internal sealed record NetworkSpec(int Inputs, int[] Hidden, int Classes, Activation Activation, double BiasInit = 0)
{
    /// <summary>True for prelu: its per-unit weights are parameters, trained with the rest.</summary>
    public bool LearnedSlope => Activation.Kind == ActivationKind.PRelu;
}

/// <summary>A multilayer perceptron: dense layers with an activation, a linear output layer, softmax cross-entropy.
/// Hidden layers compute y = act(x·W + b) with <see cref="Fused.BiasActivation{T}(ReadOnlySpan{T}, ReadOnlySpan{nint}, ReadOnlySpan{T}, Activation, Span{T}, int)"/> (or prelu with per-unit weights);
/// the backward uses the library's gradients (and prelu's weight gradient). Everything in double.</summary>
internal sealed class Mlp
{
    public NetworkSpec Spec { get; }
    public double[][] Weights { get; }
    public double[][] Biases { get; }
    /// <summary>prelu's per-unit weights for each hidden layer (empty otherwise).</summary>
    public double[][] Slopes { get; }
    public double[][] WeightGrads { get; }
    public double[][] BiasGrads { get; }
    public double[][] SlopeGrads { get; }
    private readonly int[] _sizes;

    // caches of the last forward pass
    private double[][] _inputs = [];
    private double[][] _pre = [];     // x·W (before the bias)
    private double[][] _sum = [];     // x·W + b (prelu only)
    private int _batch;

    public Mlp(NetworkSpec spec, int seed)
    {
        Spec = spec;
        _sizes = [spec.Inputs, .. spec.Hidden, spec.Classes];
        int layers = _sizes.Length - 1;
        Weights = new double[layers][];
        Biases = new double[layers][];
        WeightGrads = new double[layers][];
        BiasGrads = new double[layers][];
        Slopes = new double[layers][];
        SlopeGrads = new double[layers][];
        var rng = new Random(seed);
        bool glorot = spec.Activation.Kind is ActivationKind.Tanh or ActivationKind.Sigmoid;
        for (int l = 0; l < layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            Weights[l] = new double[fanIn * fanOut];
            for (int i = 0; i < Weights[l].Length; i++)
            {
                // He (normal, √(2/fan-in)) for the rectifier family; Glorot (uniform, √(6/(fan-in + fan-out))) for tanh and sigmoid
                Weights[l][i] = glorot && l < layers - 1
                    ? (rng.NextDouble() * 2 - 1) * Math.Sqrt(6.0 / (fanIn + fanOut))
                    : Dataset.Gaussian(rng) * Math.Sqrt((l < layers - 1 ? 2.0 : 1.0) / fanIn);
            }
            Biases[l] = new double[fanOut];
            if (l < layers - 1)
            {
                Array.Fill(Biases[l], spec.BiasInit);
            }
            WeightGrads[l] = new double[Weights[l].Length];
            BiasGrads[l] = new double[fanOut];
            bool slope = spec.LearnedSlope && l < layers - 1;
            Slopes[l] = slope ? Enumerable.Repeat(spec.Activation.First, fanOut).ToArray() : [];
            SlopeGrads[l] = slope ? new double[fanOut] : [];
        }
    }

    public int Layers => Weights.Length;

    /// <summary>The pre-activations x·W + b of hidden layer <paramref name="layer"/> in the last forward pass, [batch, units].</summary>
    public double[] PreActivation(int layer)
    {
        int units = _sizes[layer + 1];
        var z = new double[_batch * units];
        for (int i = 0; i < _batch; i++)
        {
            for (int u = 0; u < units; u++)
            {
                z[i * units + u] = _pre[layer][i * units + u] + Biases[layer][u];
            }
        }
        return z;
    }

    /// <summary>Logits [batch, classes] for a batch of rows.</summary>
    public double[] Forward(ReadOnlySpan<double> x, int batch)
    {
        _batch = batch;
        int layers = Layers;
        _inputs = new double[layers][];
        _pre = new double[layers][];
        _sum = new double[layers][];
        double[] current = x.ToArray();
        for (int l = 0; l < layers; l++)
        {
            int k = _sizes[l], m = _sizes[l + 1];
            _inputs[l] = current;
            var pre = new double[batch * m];
            Matrix.Multiply(current, Weights[l], pre, batch, k, m);
            _pre[l] = pre;
            var output = new double[batch * m];
            if (l == layers - 1)
            {
                for (int i = 0; i < batch; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        output[i * m + j] = pre[i * m + j] + Biases[l][j];
                    }
                }
            }
            else if (Spec.LearnedSlope)
            {
                var sum = new double[batch * m];
                for (int i = 0; i < batch; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        sum[i * m + j] = pre[i * m + j] + Biases[l][j];
                    }
                }
                _sum[l] = sum;
                Activations.PRelu<double>(sum, [batch, m], Slopes[l], output);
            }
            else
            {
                Fused.BiasActivation<double>(pre, [batch, m], Biases[l], Spec.Activation, output);
            }
            current = output;
        }
        return current;
    }

    /// <summary>Mean softmax cross-entropy of the logits against the labels, its gradient (into the parameter
    /// gradients, via the backward pass) and the number of correct predictions.</summary>
    public (double Loss, int Correct) Backward(double[] logits, ReadOnlySpan<int> labels)
    {
        int batch = _batch, classes = Spec.Classes;
        var grad = new double[batch * classes];
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<double> row = logits.AsSpan(i * classes, classes);
            double max = double.NegativeInfinity;
            int argmax = 0;
            for (int j = 0; j < classes; j++)
            {
                if (row[j] > max)
                {
                    max = row[j];
                    argmax = j;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                sum += Math.Exp(row[j] - max);
            }
            double logSum = Math.Log(sum) + max;
            loss += logSum - row[labels[i]];
            correct += argmax == labels[i] ? 1 : 0;
            for (int j = 0; j < classes; j++)
            {
                grad[i * classes + j] = (Math.Exp(row[j] - logSum) - (j == labels[i] ? 1 : 0)) / batch;
            }
        }
        BackwardFrom(grad);
        return (loss / batch, correct);
    }

    /// <summary>Backpropagates dL/dlogits through every layer into the gradient arrays.</summary>
    public void BackwardFrom(double[] gradLogits)
    {
        int batch = _batch;
        double[] grad = gradLogits;
        for (int l = Layers - 1; l >= 0; l--)
        {
            int k = _sizes[l], m = _sizes[l + 1];
            double[] dPre;
            if (l == Layers - 1)
            {
                dPre = grad;
                Array.Clear(BiasGrads[l]);
                for (int i = 0; i < batch; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        BiasGrads[l][j] += grad[i * m + j];
                    }
                }
            }
            else if (Spec.LearnedSlope)
            {
                var dSum = new double[batch * m];
                Activations.PReluBackward<double>(_sum[l], [batch, m], grad, Slopes[l], dSum, SlopeGrads[l]);
                dPre = dSum;
                Array.Clear(BiasGrads[l]);
                for (int i = 0; i < batch; i++)
                {
                    for (int j = 0; j < m; j++)
                    {
                        BiasGrads[l][j] += dSum[i * m + j];
                    }
                }
            }
            else
            {
                dPre = new double[batch * m];
                Fused.BiasActivationBackward<double>(_pre[l], [batch, m], Biases[l], grad, Spec.Activation, dPre, BiasGrads[l]);
            }
            Matrix.MultiplyTransposedLeft(_inputs[l], dPre, WeightGrads[l], batch, k, m);
            if (l > 0)
            {
                var dInput = new double[batch * k];
                Matrix.MultiplyTransposedRight(dPre, Weights[l], dInput, batch, m, k);
                grad = dInput;
            }
        }
    }

    /// <summary>Every parameter array with its gradient, in a fixed order (what the optimisers walk).</summary>
    public IEnumerable<(double[] Value, double[] Grad)> Parameters()
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
