using System.Diagnostics;

namespace Rectifier.Benchmarks;

/// <summary>Measures contenders side by side: round-robin over the contenders, several rounds, median time per
/// call for each. Noise on a shared 2-core machine moves absolute numbers a lot; interleaving keeps ratios honest.</summary>
public sealed class Interleaved
{
    private readonly List<(string Name, Action Run)> _contenders = [];

    public Interleaved Add(string name, Action run)
    {
        _contenders.Add((name, run));
        return this;
    }

    /// <summary>Median seconds per call for each contender.</summary>
    public Dictionary<string, double> Measure(int rounds, double secondsPerSample)
    {
        var samples = _contenders.ToDictionary(c => c.Name, _ => new List<double>());
        var reps = new Dictionary<string, int>();
        // Warm up every contender first (tiered JIT, page faults), so calibration sees steady-state code.
        foreach (var (_, run) in _contenders)
        {
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < Math.Max(0.05, secondsPerSample))
            {
                run();
            }
        }
        foreach (var (name, run) in _contenders)
        {
            var sw = Stopwatch.StartNew();
            int calls = 0;
            while (sw.Elapsed.TotalSeconds < secondsPerSample / 4 || calls < 1)
            {
                run();
                calls++;
            }
            reps[name] = Math.Max(1, (int)(calls * secondsPerSample / Math.Max(1e-9, sw.Elapsed.TotalSeconds)));
        }
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (name, run) in _contenders)
            {
                int n = reps[name];
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++)
                {
                    run();
                }
                samples[name].Add(Stopwatch.GetElapsedTime(t0).TotalSeconds / n);
            }
        }
        return samples.ToDictionary(kv => kv.Key, kv => Median(kv.Value));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int m = values.Count / 2;
        return values.Count % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
    }
}
