// Rectifier from its NuGet package, the way an application uses it: activations over System.Numerics.Tensors
// tensors (dense and a transposed view), and a dead-unit report. Exit code 0 when every check holds.
using System.Numerics.Tensors;
using Rectifier;
using Rectifier.Diagnostics;

const int Batch = 64, Units = 16;
var rng = new Random(7);
// Pre-activations of one layer: units 0-3 carry a bias that keeps them below zero (dead relu units).
float[] data = new float[Batch * Units];
for (int b = 0; b < Batch; b++)
{
    for (int u = 0; u < Units; u++)
    {
        data[b * Units + u] = (float)(rng.NextDouble() * 2 - 1) - (u < 4 ? 3 : 0);
    }
}
Tensor<float> x = Tensor.Create(data, [Batch, Units]);
Console.WriteLine($"Rectifier on {RuntimeInfo.VectorDescription}, x: [{string.Join(", ", x.Lengths.ToArray())}]");
int failures = 0;

foreach (Activation activation in new[] { Activation.Relu(), Activation.Gelu(), Activation.Silu(), Activation.Softmax(dim: 1) })
{
    Tensor<float> y = activation.Forward(x);
    float[] fromTensor = new float[data.Length], fromSpan = new float[data.Length];
    y.FlattenTo(fromTensor);
    activation.Forward<float>(data, [Batch, Units], fromSpan);
    bool same = fromTensor.AsSpan().SequenceEqual(fromSpan);
    failures += same ? 0 : 1;
    Console.WriteLine($"{activation,-14} mean {fromTensor.Average(),9:F5}   the bits of the span form: {(same ? "yes" : "NO")}");
}

// A transposed view [units, batch] of the same memory, no copy: leaky_relu reads across its rows.
var transposed = new ReadOnlyTensorSpan<float>(data, 0, [Units, Batch], [1, Units]);
float[] perUnit = new float[Units * Batch];
Activation.LeakyRelu(0.1).Forward(transposed, new TensorSpan<float>(perUnit, [Units, Batch]));
int wrong = 0;
for (int u = 0; u < Units; u++)
{
    for (int b = 0; b < Batch; b++)
    {
        float v = data[b * Units + u];
        wrong += perUnit[u * Batch + b] == (v > 0 ? v : v * 0.1f) ? 0 : 1;
    }
}
failures += wrong == 0 ? 0 : 1;
Console.WriteLine($"leaky_relu over the transposed view: {(wrong == 0 ? "every element as expected" : $"{wrong} elements WRONG")}");

// Which units never fire?
Tensor<float> hidden = Activation.Relu().Forward(x);
var monitor = new DeadUnitMonitor(Units);
monitor.Observe(hidden.AsReadOnlyTensorSpan(), axis: 1);
DeadUnitReport report = monitor.Report();
bool expectedDead = report.DeadUnits.SequenceEqual([0, 1, 2, 3]);
failures += expectedDead ? 0 : 1;
Console.WriteLine($"dead units after relu: {report.DeadUnits.Length} of {Units} ({string.Join(", ", report.DeadUnits)}){(expectedDead ? "" : ", expected 0, 1, 2, 3")}");

Console.WriteLine(failures == 0 ? "sample: ok" : $"sample: {failures} checks FAILED");
return failures == 0 ? 0 : 1;
