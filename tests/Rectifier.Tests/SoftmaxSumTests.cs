using System.Numerics;

namespace Rectifier.Tests;

/// <summary>The softmax family's sums on rows built so that a plain sum loses the answer: along a row, many terms
/// below half an ULP of a large partial sum in the same partial (indices ≡ 0 mod 32), then (backward) a term that
/// cancels the large one, so that only the small terms remain; along a strided axis the same column by column (each
/// column's sum is taken in row order). The expected values are written from exact arithmetic here: the forward
/// from ln 2 and ln 1.5 to double-double precision, the backward from sums that are exact dyadic numbers, held to
/// SPEC.md's bound 8ε·|y|·(|g| + |Σ|) with the exact Σ, which at a read-out element (y = 1 or e^y = 1, g = 0)
/// asks for Σ itself to relative accuracy 8ε.</summary>
public sealed class SoftmaxSumTests
{
    public static TheoryData<string> Forms => ["softmax", "log_softmax", "softmin"];

    private const int Blocks = 256;              // a row of 32·256 + 7 elements: 256 in partial 0 and a padded tail
    private const int Length = 32 * Blocks + 7;
    private const int Last = 32 * (Blocks - 1);  // the last index of partial 0 among the whole blocks
    private const int Columns = 19;              // two 8-lane (or four 4-lane) vectors of double columns and 3 scalar ones

    private const double Ln2Hi = 0.6931471805599453, Ln2Lo = 2.3190468138462996e-17;
    private const double Ln15Hi = 0.4054651081081644, Ln15Lo = -2.8811380259626426e-18;   // ln 1.5
    private const double Tiny = -38;             // e^−38 ≈ 3.1e−17: below half an ULP of 1, 1.5 and 0.5

    /// <summary>x₀ = 0 (the maximum), x₃₂ = −ln2_hi (e = ½·e^{ln2_lo}), every other element −38: the sum's first
    /// partial holds 1.5 and then 254 terms that each round away when added to it.</summary>
    private static double[] ForwardRow()
    {
        double[] x = [.. Enumerable.Repeat(Tiny, Length)];
        x[0] = 0;
        x[32] = -Ln2Hi;
        return x;
    }

    /// <summary>The exact value of element i of <see cref="ForwardRow"/> as hi + lo.</summary>
    private static (double Hi, double Lo) ForwardExact(string form, int i)
    {
        double e = Math.Exp(Tiny);                             // its error moves the row sum by 1e−12 of 2^−52
        double eps = 0.5 * Ln2Lo + (Length - 2) * e;           // Σ = 1.5 + eps, the terms other than 1 = 0.5 + eps
        if (form == "log_softmax")
        {
            // L = log1p(0.5 + eps) = ln 1.5 + eps/1.5 − eps²/4.5 (eps ≈ 4e−13: the square is below 1e−24)
            double lh = Ln15Hi, ll = Ln15Lo + eps / 1.5;
            double v = i == 0 ? 0 : i == 32 ? -Ln2Hi : Tiny;   // x − m, exact
            double t = v - lh, bv = t - v;                   // two-sum v − lh
            return Normalise(t, ((v - (t - bv)) + (-lh - bv)) - ll);
        }
        // 1/Σ to double-double: r = RN(1/1.5), r·(1 + (1 − r·1.5) − r·eps)
        double r = 1 / 1.5, residual = Math.FusedMultiplyAdd(-r, 1.5, 1);
        double yl = r * (residual - r * eps);
        return i == 0 ? Normalise(r, yl)
            : i == 32 ? Normalise(0.5 * r, 0.5 * yl + 0.5 * Ln2Lo * r)
            : Normalise(e * r, e * yl);
    }

    private static (double Hi, double Lo) Normalise(double a, double b)
    {
        double hi = a + b;
        return (hi, b - (hi - a));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Double_rows_keep_every_term_that_a_plain_sum_would_round_away(string form)
    {
        double sign = form == "softmin" ? -1 : 1;
        double[] x = [.. ForwardRow().Select(v => sign * v)];
        var y = new double[Length];
        Forward(form, x, [Length], -1, y);
        for (int i = 0; i < Length; i++)
        {
            (double hi, double lo) = ForwardExact(form, i);
            double err = Accuracy.DoubleUlps(y[i], hi, lo);
            Assert.True(err <= 4, $"{form} row: element {i} (x = {x[i]:R}) is {y[i]:R}, exact {hi:R} ({err:F1} ULP)");
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Double_columns_keep_every_term_that_a_plain_sum_would_round_away(string form)
    {
        double sign = form == "softmin" ? -1 : 1;
        double[] row = ForwardRow();
        var x = new double[Length * Columns];
        for (int k = 0; k < Length; k++)
        {
            for (int j = 0; j < Columns; j++)
            {
                x[k * Columns + j] = sign * row[k];
            }
        }
        var y = new double[x.Length];
        Forward(form, x, [Length, Columns], 0, y);
        for (int k = 0; k < Length; k++)
        {
            (double hi, double lo) = ForwardExact(form, k);
            for (int j = 0; j < Columns; j++)
            {
                double err = Accuracy.DoubleUlps(y[k * Columns + j], hi, lo);
                Assert.True(err <= 4, $"{form} column {j}: row {k} is {y[k * Columns + j]:R}, exact {hi:R} ({err:F1} ULP)");
            }
        }
    }

    /// <summary>y and g along one row whose Σ g·y (softmax, softmin) or Σ g (log_softmax) is a small exact sum left
    /// after a large term and its negation, with 254 terms in between that a plain sum rounds away, all in partial
    /// <paramref name="partial"/> (indices ≡ partial mod 32); element 1 reads Σ out (y = 1, g = 0; for log_softmax
    /// y = 0, so e^y = 1). In double the first product is inexact ((1 + 2^−30)², its low part 2^−60 is part of Σ);
    /// the float row uses products with g ≠ ±1 (a quotient in place of a product would change them).</summary>
    private static (T[] Y, T[] G, double Sum) BackwardRow<T>(string form, int partial = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int first = partial, last = Last + partial;
        bool isDouble = typeof(T) == typeof(double);
        bool log = form == "log_softmax";
        double small = Math.ScaleB(1.0, -60);
        var y = new double[Length];
        var g = new double[Length];
        if (log)
        {
            Array.Fill(y, -1000.0);                // e^y = 0: these elements only add their g to Σ
            double big = isDouble ? 1 + Math.ScaleB(1.0, -30) : 1;
            g[first] = big;
            g[last] = -big;
            for (int k = 1; k < Blocks - 1; k++)
            {
                g[32 * k + partial] = small;
            }
            y[1] = 0;
            return (Convert<T>(y), Convert<T>(g), (Blocks - 2) * small);
        }
        if (isDouble)
        {
            double a = 1 + Math.ScaleB(1.0, -30);
            (y[first], g[first]) = (a, a);                 // 1 + 2^−29 + 2^−60
            (y[last], g[last]) = (1, -(1 + Math.ScaleB(1.0, -29)));
        }
        else
        {
            (y[first], g[first]) = (0.75, 2);              // 1.5 (0.375 as a quotient)
            (y[last], g[last]) = (1.5, -1);
        }
        for (int k = 1; k < Blocks - 1; k++)
        {
            (y[32 * k + partial], g[32 * k + partial]) = (small, 1);
        }
        y[1] = 1;
        double sum = (Blocks - 2) * small + (isDouble ? small : 0);
        return (Convert<T>(y), Convert<T>(g), sum);
    }

    private static T[] Convert<T>(double[] v) where T : unmanaged, IFloatingPointIeee754<T> => [.. v.Select(Numbers.FromDouble<T>)];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Backward_rows_keep_every_term_of_a_cancelling_sum_in_float_and_double(string form)
    {
        BackwardRows<float>(form, Math.ScaleB(1.0, -24));
        BackwardRows<double>(form, Math.ScaleB(1.0, -53));
    }

    /// <summary>The row with its sum in partial 0 and in a partial inside each of the other three chains of eight
    /// that <c>Compensated.Total</c> adds side by side (12, 20, 28: not a chain's first), so that every partial's
    /// compensation must be taken from its own place.</summary>
    private static void BackwardRows<T>(string form, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int partial in new[] { 0, 12, 20, 28 })
        {
            (T[] y, T[] g, double sum) = BackwardRow<T>(form, partial);
            var dx = new T[Length];
            Backward(form, y, g, [Length], -1, dx);
            Assert.NotEqual(0, Numbers.ToDouble(dx[1]));
            for (int i = 0; i < Length; i++)
            {
                SoftmaxTests.AssertElementWithinBound(form, Numbers.ToDouble(y[i]), Numbers.ToDouble(g[i]), sum, Numbers.ToDouble(dx[i]), eps, $"<{typeof(T).Name}> row element {i} (the sum in partial {partial})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Backward_columns_keep_every_term_of_a_cancelling_sum_in_float_and_double(string form)
    {
        BackwardColumns<float>(form, Math.ScaleB(1.0, -24));
        BackwardColumns<double>(form, Math.ScaleB(1.0, -53));
    }

    private static void BackwardColumns<T>(string form, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        (T[] yr, T[] gr, double sum) = BackwardRow<T>(form);
        var y = new T[Length * Columns];
        var g = new T[y.Length];
        for (int k = 0; k < Length; k++)
        {
            for (int j = 0; j < Columns; j++)
            {
                y[k * Columns + j] = yr[k];
                g[k * Columns + j] = gr[k];
            }
        }
        var dx = new T[y.Length];
        Backward(form, y, g, [Length, Columns], 0, dx);
        for (int k = 0; k < Length; k++)
        {
            for (int j = 0; j < Columns; j++)
            {
                int at = k * Columns + j;
                SoftmaxTests.AssertElementWithinBound(form, Numbers.ToDouble(y[at]), Numbers.ToDouble(g[at]), sum, Numbers.ToDouble(dx[at]), eps, $"<{typeof(T).Name}> column {j} row {k}");
            }
        }
    }

    private static void Forward<T>(string form, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, int dim, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
        => SoftmaxTests.Forward(form, x, shape, dim, y);

    private static void Backward<T>(string form, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, int dim, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
        => SoftmaxTests.Backward(form, y, g, shape, dim, dx);
}
