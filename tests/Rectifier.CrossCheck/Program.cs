using System.Globalization;
using System.Numerics;
using System.Text;
using Rectifier;
using Rectifier.Diagnostics;

// The cross-platform check: every public computation over a fixed seeded input set (special values, kink
// neighbourhoods, every exponent) and short lengths, written as the raw bits of every result. Run on each x64
// vector-width leg and on linux-arm64 (emulated in CI), the files must be byte for byte equal. A NaN the library
// generates (where no input of that element is NaN) is written as one canonical pattern, since its sign is not
// specified; every other value, NaNs passed through from the input included, keeps its bits.
//
//   Rectifier.CrossCheck run OUT.txt        write the results
//   Rectifier.CrossCheck compare A B ...    compare result files (exit 1 and the first differences if any differ)
if (args.Length >= 2 && args[0] == "run")
{
    var sb = new StringBuilder();
    CrossCheck.Run<float>(sb);
    CrossCheck.Run<double>(sb);
    CrossCheck.Run<Half>(sb);
    File.WriteAllText(args[1], sb.ToString());
    Console.WriteLine($"{args[1]}: {sb.ToString().Count(c => c == '\n')} results ({Rectifier.RuntimeInfo.VectorDescription}, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture})");
    return 0;
}
if (args.Length >= 3 && args[0] == "compare")
{
    string[] reference = File.ReadAllLines(args[1]);
    int failures = 0;
    foreach (string other in args[2..])
    {
        string[] lines = File.ReadAllLines(other);
        int differ = 0;
        for (int i = 0; i < Math.Max(reference.Length, lines.Length); i++)
        {
            string a = i < reference.Length ? reference[i] : "<missing>", b = i < lines.Length ? lines[i] : "<missing>";
            if (a != b)
            {
                if (differ++ < 5)
                {
                    Console.WriteLine($"{other} differs from {args[1]} at line {i + 1}:\n  {Trim(a)}\n  {Trim(b)}");
                }
            }
        }
        Console.WriteLine(differ == 0 ? $"{other}: the same bits as {args[1]} ({lines.Length} results)" : $"{other}: {differ} of {lines.Length} results differ");
        failures += differ == 0 ? 0 : 1;
    }
    return failures == 0 ? 0 : 1;
}
Console.Error.WriteLine("usage: Rectifier.CrossCheck run OUT.txt | compare A B [C ...]");
return 2;

static string Trim(string s) => s.Length > 300 ? s[..300] + " ..." : s;

internal static class CrossCheck
{
    private static readonly double[] Specials =
    [
        0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 6, -6, 2.5, -2.5, 20, -20,
        0.01, -0.01, 1e-3, -1e-3, 1e-8, -1e-8, 1e-30, -1e-30, 1e-40, -1e-40, 1e-300, -1e-300, 5e-324, -5e-324,
        88.7, -88.7, 89, -104, 700, -745, 1e30, -1e30, 65504, -65504, 3.4e38, -3.4e38, 1.7e308, -1.7e308,
        0.1, -0.1, 0.125, -0.125, 0.3333333333333333, 1.5, -1.5, 4, -4, 8, -8, 13, -13, 40, -40, 100, -100,
    ];

    /// <summary>The inputs: specials, their neighbours one ULP away (in T), NaNs with payloads and both signs, and
    /// seeded values over every exponent.</summary>
    private static T[] Inputs<T>(int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var list = new List<T>();
        foreach (double s in Specials)
        {
            T v = T.CreateSaturating(s);
            list.Add(v);
            list.Add(T.BitIncrement(v));
            list.Add(T.BitDecrement(v));
        }
        list.Add(T.NaN);
        list.Add(-T.NaN);
        if (typeof(T) == typeof(float))
        {
            list.Add((T)(object)BitConverter.Int32BitsToSingle(0x7FC12345));
            list.Add((T)(object)BitConverter.Int32BitsToSingle(unchecked((int)0xFFC54321)));
        }
        else if (typeof(T) == typeof(double))
        {
            list.Add((T)(object)BitConverter.Int64BitsToDouble(0x7FF8_0000_1234_5678));
            list.Add((T)(object)BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_8765_4321)));
        }
        var rng = new Random(seed);
        int maxExp = typeof(T) == typeof(Half) ? 15 : typeof(T) == typeof(float) ? 127 : 1023;
        while (list.Count < 1500)
        {
            double mantissa = 1 + rng.NextDouble();
            int e = rng.Next(-Math.Min(maxExp, 60), Math.Min(maxExp, 60) + 1);
            double v = (rng.Next(2) == 0 ? -1 : 1) * mantissa * Math.Pow(2, e);
            list.Add(T.CreateSaturating(rng.Next(3) == 0 ? v : (rng.NextDouble() * 16 - 8)));
        }
        return [.. list];
    }

    private static readonly Activation[] All =
    [
        .. Activation.AllWithDefaults,
        Activation.LeakyRelu(0.2), Activation.PRelu(-0.3), Activation.RRelu(0.1, 0.4), Activation.Hardtanh(-0.5, 2.5),
        Activation.Threshold(0.5, -2), Activation.Elu(0.7), Activation.Celu(2.5), Activation.Softplus(2, 3), Activation.Softplus(0.5, 20),
    ];

    public static void Run<T>(StringBuilder sb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string type = typeof(T).Name;
        T[] x = Inputs<T>(1), g = Inputs<T>(2);
        Array.Reverse(g);
        int n = x.Length;
        foreach (Activation a in All)
        {
            T[] y = new T[n], dx = new T[n];
            a.Forward<T>(x, y);
            Write(sb, $"{type} {a} forward", y, x);
            T[] inPlace = (T[])x.Clone();
            a.Forward<T>(inPlace, inPlace);
            Write(sb, $"{type} {a} in place", inPlace, x);
            a.Backward<T>(x, g, dx);
            Write(sb, $"{type} {a} backward", dx, x, g);
            // Every length 1..67 from every offset 0..2: the same bits as the whole call (and on every machine).
            var lengths = new StringBuilder();
            for (int len = 1; len <= 67; len++)
            {
                for (int off = 0; off < 3; off++)
                {
                    T[] part = new T[len];
                    a.Forward<T>(x.AsSpan(off * 100, len), part);
                    for (int i = 0; i < len; i++)
                    {
                        if (!SameBits(part[i], y[off * 100 + i]))
                        {
                            lengths.Append(CultureInfo.InvariantCulture, $" len{len}+{off}[{i}]");
                        }
                    }
                }
            }
            sb.Append(type).Append(' ').Append(a.ToString()).Append(" lengths").Append(lengths.Length == 0 ? " same" : lengths.ToString()).Append('\n');
        }
        // softmax, log_softmax and softmin along every axis of a few shapes, forward and backward from y: the inputs
        // above (rows with NaN and ±∞ included) and seeded finite rows, whose sums are inexact
        var rows = new Random(3);
        T[] finite = [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating(rows.NextDouble() * 40 - 20))];
        foreach (Activation a in Activation.AlongDimWithDefaults)
        {
            foreach ((nint[] shape, int dim) in new (nint[], int)[] { ([n], 0), ([30, 50], 1), ([30, 50], 0), ([5, 12, 25], 1), ([3, 500], -1) })
            {
                foreach ((string label, T[] data) in new[] { ("inputs", x), ("finite", finite) })
                {
                    Activation along = a with { First = dim };
                    T[] y = new T[n], dx = new T[n];
                    along.Forward<T>(data, shape, y);
                    // every NaN canonical: a row's NaN comes from a whole row's arithmetic, not passed through
                    Write(sb, $"{type} {along} [{string.Join(',', shape)}] {label} forward", y);
                    along.Backward<T>(data, g, shape, dx);
                    Write(sb, $"{type} {along} [{string.Join(',', shape)}] {label} backward", dx);
                }
            }
        }
        T[] yr = new T[n], d = new T[n];
        Activations.Relu<T>(x, yr);
        Activations.ReluBackwardFromOutput<T>(yr, g, d);
        Write(sb, $"{type} relu backward from y", d, yr, g);
        var fromOutput = new (string Name, Action<T[], T[], T[]> Forward, Action<T[], T[], T[]> Backward)[]
        {
            ("elu", (x, y, _) => Activations.Elu<T>(x, 1.0, y), (y, g, d) => Activations.EluBackwardFromOutput<T>(y, g, d)),
            ("selu", (x, y, _) => Activations.Selu<T>(x, y), (y, g, d) => Activations.SeluBackwardFromOutput<T>(y, g, d)),
            ("celu", (x, y, _) => Activations.Celu<T>(x, 1.5, y), (y, g, d) => Activations.CeluBackwardFromOutput<T>(y, g, 1.5, d)),
            ("sigmoid", (x, y, _) => Activations.Sigmoid<T>(x, y), (y, g, d) => Activations.SigmoidBackwardFromOutput<T>(y, g, d)),
            ("tanh", (x, y, _) => Activations.Tanh<T>(x, y), (y, g, d) => Activations.TanhBackwardFromOutput<T>(y, g, d)),
        };
        foreach (var (name, forward, backward) in fromOutput)
        {
            T[] y = new T[n], dx = new T[n];
            forward(x, y, y);
            backward(y, g, dx);
            Write(sb, $"{type} {name} backward from y", dx, y, g);
        }
        // Masks: forward with a mask, backward from it.
        ulong[] mask = new ulong[Activations.MaskLength(n)];
        T[] ym = new T[n], dm = new T[n];
        Activations.Relu<T>(x, ym, mask);
        Write(sb, $"{type} relu forward + mask", ym, x);
        sb.Append(type).Append(" relu mask ").AppendJoin(',', mask.Select(m => m.ToString("x", CultureInfo.InvariantCulture))).Append('\n');
        Activations.ReluBackwardFromMask<T>(mask, g, dm);
        Write(sb, $"{type} relu backward from mask", dm, g);
        Activations.LeakyRelu<T>(x, 0.2, ym, mask);
        Activations.LeakyReluBackwardFromMask<T>(mask, g, 0.2, dm);
        Write(sb, $"{type} leaky_relu backward from mask", dm, g);
        Activations.Hardtanh<T>(x, -0.5, 2.5, ym, mask);
        Activations.HardtanhBackwardFromMask<T>(mask, g, dm);
        Write(sb, $"{type} hardtanh backward from mask", dm, g);
        // rrelu training: the slopes come from the counter-based generator.
        T[] noise = new T[n];
        Activations.RReluTraining<T>(x, 0.1, 0.4, new RReluGenerator(42), ym, noise);
        Write(sb, $"{type} rrelu training", ym, x);
        Write(sb, $"{type} rrelu noise", noise);
        // PReLU per channel with its weight gradient, NCHW and NHWC.
        int channels = 5, inner = 12, outer = n / (channels * inner);
        int m = outer * channels * inner;
        T[] w = [.. Enumerable.Range(0, channels).Select(c => T.CreateTruncating(0.05 * (c + 1) - 0.1))];
        foreach (int axis in new[] { 1, -1 })
        {
            nint[] shape = axis == 1 ? [outer, channels, inner] : [outer, inner, channels];
            T[] yp = new T[m], dp = new T[m], dw = new T[channels];
            Activations.PRelu<T>(x.AsSpan(0, m), shape, w, axis, yp);
            Write(sb, $"{type} prelu axis {axis}", yp, x);
            Activations.PReluBackward<T>(x.AsSpan(0, m), shape, g.AsSpan(0, m), w, axis, dp, dw);
            Write(sb, $"{type} prelu backward axis {axis}", dp, x, g);
            Write(sb, $"{type} prelu dW axis {axis}", dw);
            // Fused bias + activation, forward and backward with the bias gradient.
            foreach (Activation a in new[] { Activation.Relu(), Activation.LeakyRelu(0.1), Activation.Gelu(), Activation.Silu() })
            {
                T[] yf = new T[m], df = new T[m], db = new T[channels];
                Fused.BiasActivation<T>(x.AsSpan(0, m), shape, w, a, axis, yf);
                Write(sb, $"{type} fused {a} axis {axis}", yf, x);
                Fused.BiasActivationBackward<T>(x.AsSpan(0, m), shape, w, g.AsSpan(0, m), a, axis, df, db);
                Write(sb, $"{type} fused {a} backward axis {axis}", df, x, g);
                Write(sb, $"{type} fused {a} dbias axis {axis}", db);
            }
            // Dead-unit counts, and the forward that counts.
            var monitor = new DeadUnitMonitor(channels, 0.1);
            monitor.Observe<T>(x.AsSpan(0, m), shape, axis);
            T[] yo = new T[m];
            monitor.ObserveForward<T>(x.AsSpan(0, m), shape, Activation.Relu(), axis, yo);
            sb.Append(type).Append(CultureInfo.InvariantCulture, $" dead-unit counts axis {axis} ").AppendJoin(',', monitor.ActiveCounts.ToArray()).Append('\n');
        }
    }

    private static bool SameBits<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => Bits(a) == Bits(b) || (T.IsNaN(a) && T.IsNaN(b));

    private static ulong Bits<T>(T v) where T : unmanaged => typeof(T) == typeof(Half) ? BitConverter.HalfToUInt16Bits((Half)(object)v)
        : typeof(T) == typeof(float) ? BitConverter.SingleToUInt32Bits((float)(object)v) : BitConverter.DoubleToUInt64Bits((double)(object)v);

    /// <summary>One result line: the name, then every element's bits in hex; a NaN where no input of the element is
    /// NaN is written as "nan" (generated, sign unspecified).</summary>
    private static void Write<T>(StringBuilder sb, string name, T[] values, params T[][] inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        sb.Append(name).Append(':');
        for (int i = 0; i < values.Length; i++)
        {
            T v = values[i];
            bool passedThrough = inputs.Any(input => i < input.Length && T.IsNaN(input[i]));
            sb.Append(' ');
            if (T.IsNaN(v) && !passedThrough)
            {
                sb.Append("nan");
            }
            else
            {
                sb.Append(Bits(v).ToString("x", CultureInfo.InvariantCulture));
            }
        }
        sb.Append('\n');
    }
}
