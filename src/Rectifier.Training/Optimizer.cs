using System.Numerics;

namespace Rectifier.Training;

/// <summary>Updates parameters from their gradients (the state in <typeparamref name="T"/>, the arithmetic too).</summary>
internal abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract void Step(Mlp<T> model);

    public static Optimizer<T> Create(string name, double learningRate) => name switch
    {
        "sgd" => new Sgd<T>(learningRate, 0.9),
        "adam" => new Adam<T>(learningRate),
        _ => throw new ArgumentException($"unknown optimizer '{name}' (sgd or adam)", nameof(name)),
    };
}

/// <summary>SGD with momentum: v ← μ·v − lr·g, p ← p + v.</summary>
internal sealed class Sgd<T>(double learningRate, double momentum) : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<T[]> _velocity = [];
    private readonly T _rate = T.CreateTruncating(learningRate), _momentum = T.CreateTruncating(momentum);

    public override void Step(Mlp<T> model)
    {
        int index = 0;
        foreach (var (value, grad) in model.Parameters())
        {
            if (_velocity.Count <= index)
            {
                _velocity.Add(new T[value.Length]);
            }
            T[] v = _velocity[index++];
            for (int i = 0; i < value.Length; i++)
            {
                v[i] = _momentum * v[i] - _rate * grad[i];
                value[i] += v[i];
            }
        }
    }
}

/// <summary>Adam (Kingma and Ba 2015) with bias correction, β1 = 0.9, β2 = 0.999, ε = 1e−8.</summary>
internal sealed class Adam<T>(double learningRate) : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<(T[] M, T[] V)> _moments = [];
    private int _t;

    public override void Step(Mlp<T> model)
    {
        _t++;
        T c1 = T.CreateTruncating(1 - Math.Pow(0.9, _t)), c2 = T.CreateTruncating(1 - Math.Pow(0.999, _t));
        T b1 = T.CreateTruncating(0.9), b2 = T.CreateTruncating(0.999), a1 = T.CreateTruncating(0.1), a2 = T.CreateTruncating(0.001);
        T rate = T.CreateTruncating(learningRate), epsilon = T.CreateTruncating(1e-8);
        int index = 0;
        foreach (var (value, grad) in model.Parameters())
        {
            if (_moments.Count <= index)
            {
                _moments.Add((new T[value.Length], new T[value.Length]));
            }
            var (m, v) = _moments[index++];
            for (int i = 0; i < value.Length; i++)
            {
                m[i] = b1 * m[i] + a1 * grad[i];
                v[i] = b2 * v[i] + a2 * grad[i] * grad[i];
                value[i] -= rate * (m[i] / c1) / (T.Sqrt(v[i] / c2) + epsilon);
            }
        }
    }
}
