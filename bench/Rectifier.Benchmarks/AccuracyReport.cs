using System.Globalization;
using System.Text;
using Rectifier.Tests;

namespace Rectifier.Benchmarks;

/// <summary>docs/ACCURACY.md's Rectifier columns: the worst error in true ULPs of every smooth function, type and
/// direction, over the same inputs the tests use (float: SPEC.md's input classes and 2^20 random values against the
/// double references; double: the mpmath golden values; Half: all 65,536 inputs against the float result), and the
/// exhaustive float forward sweep over all 2^32 bit patterns.</summary>
public static class AccuracyReport
{
    public static string Run(string goldenPath)
    {
        float[] x = Accuracy.FloatInputs();
        var golden = Accuracy.Golden(File.OpenRead(goldenPath)).ToArray();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"| function | f32 fwd | f32 bwd | f64 fwd | f64 bwd | Half fwd | Half bwd |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (SmoothCase c in SmoothCase.All)
        {
            var y = new float[x.Length];
            var g = new float[x.Length];
            Array.Fill(g, 1f);
            var gi = new float[x.Length];
            c.Forward<float>(x, y);
            c.Backward<float>(x, g, gi);
            double f32f = 0, f32b = 0;
            for (int i = 0; i < x.Length; i++)
            {
                f32f = Math.Max(f32f, Accuracy.FloatUlps(y[i], c.ValueAt(x[i])));
                f32b = Math.Max(f32b, Accuracy.FloatUlps(gi[i], c.SlopeAt(x[i])));
            }
            double f64f = 0, f64b = 0;
            foreach (bool backward in new[] { false, true })
            {
                var sel = golden.Where(p => p.Case == c.Name && p.Backward == backward).ToArray();
                double[] xd = sel.Select(p => p.X).ToArray();
                var yd = new double[xd.Length];
                if (backward)
                {
                    var ones = new double[xd.Length];
                    Array.Fill(ones, 1.0);
                    c.Backward<double>(xd, ones, yd);
                }
                else
                {
                    c.Forward<double>(xd, yd);
                }
                double worst = 0;
                for (int i = 0; i < xd.Length; i++)
                {
                    worst = Math.Max(worst, Accuracy.DoubleUlps(yd[i], sel[i].Hi, sel[i].Lo));
                }
                if (backward)
                {
                    f64b = worst;
                }
                else
                {
                    f64f = worst;
                }
            }
            (double hf, double hb) = HalfUlps(c);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {f32f:F2} | {f32b:F2} | {f64f:F2} | {f64b:F2} | {hf:F2} | {hb:F2} |");
            Console.Error.WriteLine($"{c.Name}: f32 {f32f:F2}/{f32b:F2} f64 {f64f:F2}/{f64b:F2} half {hf:F2}/{hb:F2}");
        }
        int goldenCount = golden.Count(p => SmoothCase.All.Any(c => c.Name == p.Case)) / 2 / SmoothCase.All.Length;
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Inputs: f32 {x.Length:N0} per function and direction (backward with gradOutput = 1); f64 about {goldenCount:N0} mpmath points per function and direction; Half all 65,536 patterns, measured in Half ULPs against the exact value.");
        return md.ToString();
    }

    /// <summary>Half results against the exact value (double reference), in Half ULPs.</summary>
    private static (double Forward, double Backward) HalfUlps(SmoothCase c)
    {
        var h = new Half[65536];
        for (int i = 0; i < h.Length; i++)
        {
            h[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        }
        var y = new Half[h.Length];
        var ones = new Half[h.Length];
        Array.Fill(ones, Half.One);
        var gi = new Half[h.Length];
        c.Forward<Half>(h, y);
        c.Backward<Half>(h, ones, gi);
        double f = 0, b = 0;
        for (int i = 0; i < h.Length; i++)
        {
            double xv = (double)h[i];
            if (!double.IsFinite(xv))
            {
                continue;
            }
            f = Math.Max(f, Accuracy.HalfUlps(y[i], c.ValueAt(xv)));
            b = Math.Max(b, Accuracy.HalfUlps(gi[i], c.SlopeAt(xv)));
        }
        return (f, b);
    }

    /// <summary>Every finite float (or, with <paramref name="magnitudes"/> "lo,hi", those with lo ≤ |x| &lt; hi, for a
    /// quicker look at one range), forward or backward with gradOutput = 1.</summary>
    public static string Exhaustive(string? only, bool backward = false, string? magnitudes = null)
    {
        double[] range = magnitudes is null ? [0, double.PositiveInfinity] : magnitudes.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var md = new StringBuilder();
        md.AppendLine(backward ? "| function | finite inputs | worst f32 bwd ULP (gradOutput = 1) | at x |" : "| function | finite inputs | worst f32 fwd ULP | at x |");
        md.AppendLine("|---|---:|---:|---:|");
        const int Chunk = 1 << 20;
        foreach (SmoothCase c in SmoothCase.All)
        {
            if (only is not null && !only.Split(',').Contains(c.Name))
            {
                continue;
            }
            var started = DateTime.UtcNow;
            object gate = new();
            double worst = 0;
            float worstAt = 0;
            long count = 0;
            Parallel.For(0, (int)((1L << 32) / Chunk), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, () => (Worst: 0.0, At: 0f, Count: 0L), (block, _, local) =>
            {
                float first = Math.Abs(BitConverter.UInt32BitsToSingle((uint)block * Chunk));
                float last = Math.Abs(BitConverter.UInt32BitsToSingle((uint)block * Chunk + Chunk - 1));
                if (Math.Max(first, last) < range[0] || Math.Min(first, last) >= range[1])
                {
                    return local;
                }
                var x = new float[Chunk];
                var y = new float[Chunk];
                var ones = backward ? new float[Chunk] : [];
                ones.AsSpan().Fill(1);
                uint baseBits = (uint)block * Chunk;
                for (int i = 0; i < Chunk; i++)
                {
                    x[i] = BitConverter.UInt32BitsToSingle(baseBits + (uint)i);
                }
                using (Parallelism.Scope(1))
                {
                    if (backward)
                    {
                        c.Backward<float>(x, ones, y);
                    }
                    else
                    {
                        c.Forward<float>(x, y);
                    }
                }
                for (int i = 0; i < Chunk; i++)
                {
                    if (!float.IsFinite(x[i]))
                    {
                        continue;
                    }
                    local.Count++;
                    double e = Accuracy.FloatUlps(y[i], backward ? c.SlopeAt(x[i]) : c.ValueAt(x[i]));
                    if (e > local.Worst)
                    {
                        local = (e, x[i], local.Count);
                    }
                }
                return local;
            }, local =>
            {
                lock (gate)
                {
                    count += local.Count;
                    if (local.Worst > worst)
                    {
                        worst = local.Worst;
                        worstAt = local.At;
                    }
                }
            });
            md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {count:N0} | {worst:F3} | {worstAt:R} |");
            Console.Error.WriteLine($"{c.Name}: {worst:F3} ULP at {worstAt:R} over {count:N0} inputs ({(DateTime.UtcNow - started).TotalSeconds:F0} s)");
        }
        return md.ToString();
    }
}
