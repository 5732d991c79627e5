namespace Rectifier.Training;

/// <summary>Updates parameters from their gradients.</summary>
internal abstract class Optimizer
{
    public abstract void Step(Mlp model);

    public static Optimizer Create(string name, double learningRate) => name switch
    {
        "sgd" => new Sgd(learningRate, 0.9),
        "adam" => new Adam(learningRate),
        _ => throw new ArgumentException($"unknown optimizer '{name}' (sgd or adam)", nameof(name)),
    };
}

/// <summary>SGD with momentum: v ← μ·v − lr·g, p ← p + v.</summary>
internal sealed class Sgd(double learningRate, double momentum) : Optimizer
{
    private readonly List<double[]> _velocity = [];

    public override void Step(Mlp model)
    {
        int index = 0;
        foreach (var (value, grad) in model.Parameters())
        {
            if (_velocity.Count <= index)
            {
                _velocity.Add(new double[value.Length]);
            }
            double[] v = _velocity[index++];
            for (int i = 0; i < value.Length; i++)
            {
                v[i] = momentum * v[i] - learningRate * grad[i];
                value[i] += v[i];
            }
        }
    }
}

/// <summary>Adam (Kingma and Ba 2015) with bias correction, β1 = 0.9, β2 = 0.999, ε = 1e−8.</summary>
internal sealed class Adam(double learningRate) : Optimizer
{
    private readonly List<(double[] M, double[] V)> _moments = [];
    private int _t;

    public override void Step(Mlp model)
    {
        _t++;
        double c1 = 1 - Math.Pow(0.9, _t), c2 = 1 - Math.Pow(0.999, _t);
        int index = 0;
        foreach (var (value, grad) in model.Parameters())
        {
            if (_moments.Count <= index)
            {
                _moments.Add((new double[value.Length], new double[value.Length]));
            }
            var (m, v) = _moments[index++];
            for (int i = 0; i < value.Length; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * grad[i];
                v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
                value[i] -= learningRate * (m[i] / c1) / (Math.Sqrt(v[i] / c2) + 1e-8);
            }
        }
    }
}
