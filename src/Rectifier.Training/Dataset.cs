using System.Globalization;
using Rectifier.IO;

namespace Rectifier.Training;

/// <summary>A classification data set: rows of features (float) and integer labels 0..Classes−1, with its own test
/// part where the data set defines one (Fashion-MNIST's 10,000 images).</summary>
internal sealed class Dataset(string name, float[] features, int[] labels, int columns, int classes, Dataset? test = null)
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the four IDX files.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    private static readonly string[] FashionMnistFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    public string Name { get; } = name;
    public float[] Features { get; } = features;
    /// <summary>The data set's own test part, if it has one.</summary>
    public Dataset? Test { get; } = test;
    public int[] Labels { get; } = labels;
    public int Columns { get; } = columns;
    public int Classes { get; } = classes;
    public int Rows => Labels.Length;

    /// <summary>Interleaved spirals (Karpathy's CS231n example): <paramref name="classes"/> arms of
    /// <paramref name="perClass"/> points in the plane, with Gaussian noise; deterministic for a seed.</summary>
    public static Dataset Spirals(int perClass = 300, int classes = 3, double noise = 0.2, int seed = 0)
    {
        var rng = new Random(seed);
        var x = new float[perClass * classes * 2];
        var y = new int[perClass * classes];
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                double r = (double)i / perClass;
                double t = c * 4.0 + 4.0 * r + noise * Gaussian(rng);
                int k = c * perClass + i;
                x[2 * k] = (float)(r * Math.Sin(t));
                x[2 * k + 1] = (float)(r * Math.Cos(t));
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
        var x = new List<float>(1797 * 64);
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
                x.Add(int.Parse(parts[i], CultureInfo.InvariantCulture) / 16f);
            }
        }
        return new Dataset("UCI optical digits (1,797 images, 8×8)", [.. x], [.. y], 64, 10);
    }

    /// <summary>A user's data: X as a 2-d .npy [rows, columns] of floats, y as a 1-d .npy of integral class numbers.</summary>
    public static Dataset FromNpy(string dataPath, string labelsPath)
    {
        float[] x = Npy.ReadAll<float>(dataPath, out NpyArrayInfo info);
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

    /// <summary>Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, Zalando Research, MIT licence): 60,000 training and
    /// 10,000 test images of 28×28 in 10 classes, pixels scaled to [0, 1], read from the four IDX files (gzipped or
    /// not) in <paramref name="folder"/>, or in <paramref name="defaultFolder"/> (<see cref="FashionMnistFolder"/>) when
    /// it is null.</summary>
    /// <exception cref="DataSetMissingException">A file is not there; the message says how to get it.</exception>
    /// <exception cref="IdxFormatException">A file is not the IDX array it should be.</exception>
    public static Dataset FashionMnist(string? folder = null, string defaultFolder = FashionMnistFolder)
    {
        string dir = folder ?? defaultFolder;
        string[] paths = new string[FashionMnistFiles.Length];
        for (int f = 0; f < paths.Length; f++)
        {
            string plain = Path.Combine(dir, FashionMnistFiles[f]);
            paths[f] = File.Exists(plain) ? plain : File.Exists(plain + ".gz") ? plain + ".gz"
                : throw new DataSetMissingException(folder is null
                    ? $"fashion-mnist: {FashionMnistFiles[f]}(.gz) is not in {dir}; install the data set with 'apt-get install dataset-fashion-mnist' (Debian), or give --data-dir DIR holding its four IDX files"
                    : $"fashion-mnist: {FashionMnistFiles[f]}(.gz) is not in {dir}; the folder needs {string.Join(", ", FashionMnistFiles)} (each gzipped or not)");
        }
        Dataset test = FromIdx(paths[2], paths[3], "Fashion-MNIST [test]", null);
        return FromIdx(paths[0], paths[1], "Fashion-MNIST", test);
    }

    /// <summary>Images [rows, height, width] (or [rows, columns]) of bytes 0..255 and their labels [rows].</summary>
    private static Dataset FromIdx(string imagesPath, string labelsPath, string name, Dataset? test)
    {
        IdxArray images = Idx.Read(imagesPath), labels = Idx.Read(labelsPath);
        if (images.Dimensions.Length < 2)
        {
            throw new IdxFormatException($"{Path.GetFileName(imagesPath)}: images must be [rows, height, width], got [{string.Join(", ", images.Dimensions)}].");
        }
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
        {
            throw new IdxFormatException($"{Path.GetFileName(labelsPath)}: the labels must be 1-d with one per image ({images.Dimensions[0]}), got [{string.Join(", ", labels.Dimensions)}].");
        }
        int rows = images.Dimensions[0], columns = (int)(images.Count / Math.Max(1, rows));
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            float v = labels.Values[i];
            if (v != MathF.Floor(v) || v < 0 || v > 255)
            {
                throw new IdxFormatException($"{Path.GetFileName(labelsPath)}: label {v} of image {i} is not a class number 0, 1, 2, ….");
            }
            y[i] = (int)v;
        }
        float[] x = images.Values;
        for (int i = 0; i < x.Length; i++)
        {
            x[i] /= 255f;
        }
        int classes = Math.Max(y.Length == 0 ? 0 : y.Max() + 1, test?.Classes ?? 0);
        string shape = images.Dimensions.Length == 3 ? $"{images.Dimensions[1]}×{images.Dimensions[2]}" : $"{columns} features";
        string full = test is null ? name : $"{name} ({Count(rows)} training + {Count(test.Rows)} test images, {shape})";
        return new Dataset(full, x, y, columns, classes, test is null ? null : new Dataset(test.Name, test.Features, test.Labels, test.Columns, classes));
    }

    /// <summary>The training and test parts: the data set's own, or a seeded 80/20 split.</summary>
    public (Dataset Train, Dataset Test) TrainTest()
        => Test is { } test ? (new Dataset($"{Name} [train]", Features, Labels, Columns, Classes), test) : Split(0.2, 12345);

    /// <summary>The first <paramref name="rows"/> rows of a seeded shuffle (all of them when there are fewer), with
    /// the same test part.</summary>
    public Dataset Subset(int rows, int seed)
    {
        if (rows >= Rows)
        {
            return this;
        }
        int[] order = Permutation(Rows, new Random(seed))[..rows];
        Dataset part = Take(order, $"{Count(rows)} of {Count(Rows)}");
        return new Dataset(part.Name, part.Features, part.Labels, Columns, Classes, Test);
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
        var x = new float[rows.Length * Columns];
        var y = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Array.Copy(Features, rows[i] * Columns, x, i * Columns, Columns);
            y[i] = Labels[rows[i]];
        }
        return new Dataset($"{Name} [{part}]", x, y, Columns, Classes);
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

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

/// <summary>A built-in data set whose files are not where they should be; the message says how to get them.</summary>
internal sealed class DataSetMissingException(string message) : IOException(message);
