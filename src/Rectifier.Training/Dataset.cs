using System.Globalization;
using Rectifier.IO;

namespace Rectifier.Training;

/// <summary>A classification data set: rows of features (double) and integer labels 0..Classes−1.</summary>
internal sealed class Dataset(string name, double[] features, int[] labels, int columns, int classes)
{
    public string Name { get; } = name;
    public double[] Features { get; } = features;
    public int[] Labels { get; } = labels;
    public int Columns { get; } = columns;
    public int Classes { get; } = classes;
    public int Rows => Labels.Length;

    /// <summary>Interleaved spirals (Karpathy's CS231n example): <paramref name="classes"/> arms of
    /// <paramref name="perClass"/> points in the plane, with Gaussian noise; deterministic for a seed.</summary>
    public static Dataset Spirals(int perClass = 300, int classes = 3, double noise = 0.2, int seed = 0)
    {
        var rng = new Random(seed);
        var x = new double[perClass * classes * 2];
        var y = new int[perClass * classes];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                double r = (double)i / perClass;
                double t = c * 4.0 + 4.0 * r + noise * Gaussian(rng);
                int k = c * perClass + i;
                x[2 * k] = r * Math.Sin(t);
                x[2 * k + 1] = r * Math.Cos(t);
                y[k] = c;
            }
        }
        return new Dataset($"spirals ({classes} arms, {perClass * classes} points)", x, y, 2, classes);
    }

    /// <summary>The UCI optical digits (1,797 images of 8×8, CC BY 4.0), pixels scaled to [0, 1].</summary>
    public static Dataset Digits()
    {
        using Stream stream = typeof(Dataset).Assembly.GetManifestResourceStream("Rectifier.Training.digits.txt")
            ?? throw new InvalidOperationException("the digits data is not embedded");
        using var reader = new StreamReader(stream);
        var x = new List<double>(1797 * 64);
        var y = new List<int>(1797);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string[] parts = line.Split(',');
            y.Add(int.Parse(parts[0], CultureInfo.InvariantCulture));
            for (int i = 1; i < parts.Length; i++)
            {
                x.Add(int.Parse(parts[i], CultureInfo.InvariantCulture) / 16.0);
            }
        }
        return new Dataset("UCI optical digits (1,797 images, 8×8)", [.. x], [.. y], 64, 10);
    }

    /// <summary>A user's data: X as a 2-d .npy [rows, columns] of floats, y as a 1-d .npy of integral class numbers.</summary>
    public static Dataset FromNpy(string dataPath, string labelsPath)
    {
        double[] x = Npy.ReadAll<double>(dataPath, out NpyArrayInfo info);
        if (info.Shape.Length != 2)
        {
            throw new NpyFormatException($"{Path.GetFileName(dataPath)}: the data must be 2-d [rows, columns], got shape {info.ShapeText}.");
        }
        double[] labels = Npy.ReadAll<double>(labelsPath, out NpyArrayInfo labelInfo);
        if (labelInfo.Shape.Length != 1 || labelInfo.Shape[0] != info.Shape[0])
        {
            throw new NpyFormatException($"{Path.GetFileName(labelsPath)}: the labels must be 1-d with one per row ({info.Shape[0]}), got shape {labelInfo.ShapeText}.");
        }
        var y = new int[labels.Length];
        for (int i = 0; i < y.Length; i++)
        {
            if (labels[i] != Math.Floor(labels[i]) || labels[i] < 0 || labels[i] > 10_000)
            {
                throw new NpyFormatException($"{Path.GetFileName(labelsPath)}: label {labels[i]} at row {i} is not a class number 0, 1, 2, …");
            }
            y[i] = (int)labels[i];
        }
        return new Dataset(Path.GetFileName(dataPath), x, y, (int)info.Shape[1], y.Length == 0 ? 0 : y.Max() + 1);
    }

    /// <summary>A seeded shuffle split into train and test parts.</summary>
    public (Dataset Train, Dataset Test) Split(double testFraction, int seed)
    {
        int[] order = Permutation(Rows, new Random(seed));
        int testRows = (int)Math.Round(Rows * testFraction);
        return (Take(order[testRows..], "train"), Take(order[..testRows], "test"));
    }

    private Dataset Take(int[] rows, string part)
    {
        var x = new double[rows.Length * Columns];
        var y = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(Features, rows[i] * Columns, x, i * Columns, Columns);
            y[i] = Labels[rows[i]];
        }
        return new Dataset($"{Name} [{part}]", x, y, Columns, Classes);
    }

    public static int[] Permutation(int n, Random rng)
    {
        int[] order = [.. Enumerable.Range(0, n)];
        for (int i = n - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
