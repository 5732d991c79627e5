using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Rectifier.Tests;

/// <summary>softmax, log_softmax and softmin: accuracy per element against independent references (double formulas
/// for float and Half, mpmath rows for double), the special rows of SPEC.md, every axis, in place, thread-count
/// independence, the backward passes within their conditioning bound, and validation.</summary>
public sealed class SoftmaxTests
{
    public static TheoryData<string> Forms => ["softmax", "log_softmax", "softmin"];

    internal static void Forward<T>(string form, ReadOnlySpan<T> x, ReadOnlySpan<nint> shape, int dim, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (form)
        {
            case "softmax": Activations.Softmax(x, shape, dim, y); break;
            case "log_softmax": Activations.LogSoftmax(x, shape, dim, y); break;
            default: Activations.Softmin(x, shape, dim, y); break;
        }
    }

    internal static void Backward<T>(string form, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<nint> shape, int dim, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (form)
        {
            case "softmax": Activations.SoftmaxBackward(y, g, shape, dim, dx); break;
            case "log_softmax": Activations.LogSoftmaxBackward(y, g, shape, dim, dx); break;
            default: Activations.SoftminBackward(y, g, shape, dim, dx); break;
        }
    }

    /// <summary>Rows of every kind the contract names, for float data.</summary>
    private static IEnumerable<float[]> FloatRows()
    {
        var rng = new Random(20261201);
        yield return [0f];
        yield return [-7.25f];
        yield return [1000f, 1001f, 999f];
        yield return [0f, -50f, -87f, -100f, -103f, -103.9f, -104.5f, -120f];
        yield return [float.MaxValue, float.MaxValue * 0.5f, float.MinValue, 0f, float.MaxValue];
        yield return [float.MinValue, float.MinValue];
        yield return [3f, float.NegativeInfinity, 2f, float.NegativeInfinity];
        yield return [1e-45f, -1e-45f, 0f, -0f];
        yield return [10f, -30f, -40f, -50f, -60f, -70f];
        foreach (int n in new[] { 2, 5, 31, 32, 33, 64, 65, 100, 1000, 1025 })
        {
            foreach (double scale in new[] { 4.0, 40.0, 300.0 })
            {
                yield return [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale))];
            }
            yield return [.. Enumerable.Range(0, n).Select(i => i == n / 2 ? 20f : (float)(20 - 30 - rng.NextDouble() * 80))];
        }
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Float_rows_are_within_2_ulp_of_the_exact_values_at_every_element(string form)
    {
        double worst = 0;
        foreach (float[] row in FloatRows())
        {
            var y = new float[row.Length];
            Forward<float>(form, row, [row.Length], -1, y);
            double[] exact = SoftmaxReference.Row(form, [.. row.Select(v => (double)v)]);
            for (int i = 0; i < row.Length; i++)
            {
                double err = Accuracy.FloatUlps(y[i], exact[i]);
                worst = Math.Max(worst, err);
                Assert.True(err <= 2, $"{form} row of {row.Length}: element {i} (x = {row[i]}) is {y[i]:R}, exact {exact[i]:R} ({err:F2} ULP)");
            }
        }
        Assert.True(worst > 0, "the rows must include inexact results");
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Half_rows_are_within_1_ulp_of_the_exact_values_at_every_element(string form)
    {
        foreach (float[] fr in FloatRows())
        {
            Half[] row = [.. fr.Select(v => (Half)v)];
            var y = new Half[row.Length];
            Forward<Half>(form, row, [row.Length], -1, y);
            double[] exact = SoftmaxReference.Row(form, [.. row.Select(v => (double)v)]);
            for (int i = 0; i < row.Length; i++)
            {
                double err = Accuracy.HalfUlps(y[i], exact[i]);
                Assert.True(err <= 1, $"{form}<Half> row of {row.Length}: element {i} (x = {row[i]}) is {y[i]}, exact {exact[i]:R} ({err:F2} ULP)");
            }
        }
    }

    [Fact]
    public void Double_rows_are_within_4_ulp_of_mpmath_at_every_element()
    {
        using Stream stream = typeof(SoftmaxTests).Assembly.GetManifestResourceStream("Rectifier.Tests.Golden.softmax_f64.txt")!;
        using var reader = new StreamReader(stream);
        int rows = 0;
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] parts = line.Split(' ');
            double[] x = Parse(parts[1]), hi = Parse(parts[2]), lo = Parse(parts[3]);
            var y = new double[x.Length];
            Forward<double>(parts[0], x, [x.Length], -1, y);
            for (int i = 0; i < x.Length; i++)
            {
                double err = Accuracy.DoubleUlps(y[i], hi[i], lo[i]);
                Assert.True(err <= 4, $"{parts[0]} golden row {rows} (n = {x.Length}): element {i} (x = {x[i]:R}) is {y[i]:R}, exact {hi[i]:R} ({err:F2} ULP)");
            }
            rows++;
        }
        Assert.True(rows >= 90, $"only {rows} golden rows");

        static double[] Parse(string s) => [.. s.Split(',').Select(b => BitConverter.UInt64BitsToDouble(ulong.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];
    }

    [Fact]
    public void Special_rows_follow_the_spec_in_every_type()
    {
        Special<float>();
        Special<double>();
        Special<Half>();
    }

    private static void Special<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T inf = T.PositiveInfinity, ninf = T.NegativeInfinity, one = T.One, two = T.CreateTruncating(2);
        foreach (int pad in new[] { 0, 40 })   // short rows (one block tail) and rows with full blocks
        {
            T[] Row(params T[] head) => [.. head, .. Enumerable.Repeat(T.CreateTruncating(-1), pad)];
            foreach (string form in new[] { "softmax", "log_softmax", "softmin" })
            {
                AllNaN(form, Row(one, T.NaN, two), $"{form}: a NaN in the row");
                AllNaN(form, form == "softmin" ? Row(one, ninf) : Row(one, inf), $"{form}: +inf (softmin: −inf) in the row");
                T[] allInf = [.. Enumerable.Repeat(form == "softmin" ? inf : ninf, pad + 3)];
                AllNaN(form, allInf, $"{form}: only −inf (softmin: +inf)");
            }
            // −inf entries: exactly 0 in softmax, −inf in log_softmax; +inf entries are softmin's zeros
            T[] masked = Row(one, ninf, two, ninf);
            T[] y = new T[masked.Length];
            Activations.Softmax<T>(masked, y);
            Assert.True(Numbers.Same(T.Zero, y[1]) && Numbers.Same(T.Zero, y[3]), $"softmax<{typeof(T).Name}> of −inf = {y[1]}, {y[3]}");
            Activations.LogSoftmax<T>(masked, y);
            Assert.True(y[1] == ninf && y[3] == ninf, $"log_softmax<{typeof(T).Name}> of −inf = {y[1]}, {y[3]}");
            T[] big = Row(one, inf, two);
            y = new T[big.Length];
            Activations.Softmin<T>(big, y);
            Assert.True(Numbers.Same(T.Zero, y[1]), $"softmin<{typeof(T).Name}> of +inf = {y[1]}");
        }
        // a row of length 1 (a [n, 1] tensor along its last axis): 1, and exactly +0 for log_softmax
        T[] column = [T.CreateTruncating(-3), T.NegativeZero, T.CreateTruncating(1e4), ninf];
        T[] r = new T[4];
        Activations.Softmax<T>(column, [4, 1], -1, r);
        Assert.All(r.Take(3), v => Assert.Equal(T.One, v));
        Activations.LogSoftmax<T>(column, [4, 1], 1, r);
        Assert.All(r.Take(3), v => Assert.True(Numbers.Same(T.Zero, v), $"log_softmax<{typeof(T).Name}> of one element = {v}"));
        Assert.True(T.IsNaN(r[3]), "a row that is only −inf gives NaN");
        // a rank-0 tensor is one element
        T[] s = [T.CreateTruncating(42)];
        Activations.Softmin<T>(s, ReadOnlySpan<nint>.Empty, 0, r);
        Assert.Equal(T.One, r[0]);
        // ties: equal entries share the mass exactly
        T[] ties = [two, two, two, two];
        Activations.Softmax<T>(ties, r);
        Assert.All(r, v => Assert.Equal(T.CreateTruncating(0.25), v));
    }

    private static void AllNaN<T>(string form, T[] row, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = new T[row.Length];
        Forward<T>(form, row, [row.Length], 0, y);
        Assert.All(y, v => Assert.True(T.IsNaN(v), $"{what} <{typeof(T).Name}>: got {v}"));
    }

    public static TheoryData<string, int> FormsAndDims()
    {
        var data = new TheoryData<string, int>();
        foreach (string form in new[] { "softmax", "log_softmax", "softmin" })
        {
            foreach (int dim in new[] { 0, 1, 2, -1, -2, -3 })
            {
                data.Add(form, dim);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FormsAndDims))]
    public void Every_axis_is_accurate_in_place_and_independent_of_the_thread_count(string form, int dim)
    {
        Axis<float>(form, dim, [3, 37, 41]);
        Axis<float>(form, dim, [2, 300, 70]);     // several column tiles and a scalar tail of columns
        Axis<double>(form, dim, [3, 37, 41]);
        Axis<Half>(form, dim, [4, 9, 33]);
    }

    private static void Axis<T>(string form, int dim, nint[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = (int)(shape[0] * shape[1] * shape[2]);
        var rng = new Random(n + dim * 31 + form.Length);
        T[] x = [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating((rng.NextDouble() * 2 - 1) * 12))];
        x[n / 3] = T.NegativeInfinity;
        T[] y = new T[n], y1 = new T[n];
        Forward<T>(form, x, shape, dim, y);
        using (Parallelism.Scope(1))
        {
            Forward<T>(form, x, shape, dim, y1);
        }
        Harness.AssertElements<T>(y1, i => y[i], $"{form}<{typeof(T).Name}> dim {dim}: one thread against all");
        T[] inPlace = (T[])x.Clone();
        switch (form)
        {
            case "softmax": Activations.SoftmaxInPlace<T>(inPlace, shape, dim); break;
            case "log_softmax": Activations.LogSoftmaxInPlace<T>(inPlace, shape, dim); break;
            default: Activations.SoftminInPlace<T>(inPlace, shape, dim); break;
        }
        Harness.AssertElements<T>(inPlace, i => y[i], $"{form}<{typeof(T).Name}> dim {dim}: in place");

        // every row along the axis against the reference, gathered by index arithmetic
        int axis = dim < 0 ? dim + 3 : dim;
        long len = shape[axis], stride = axis == 2 ? 1 : axis == 1 ? shape[2] : shape[1] * shape[2];
        double limit = typeof(T) == typeof(Half) ? 1 : 2;
        for (int start = 0; start < n; start++)
        {
            if (start / stride % len != 0)
            {
                continue;
            }
            double[] row = [.. Enumerable.Range(0, (int)len).Select(k => Numbers.ToDouble(x[start + k * stride]))];
            double[] exact = SoftmaxReference.Row(form, row);
            double m = row.Max(v => form == "softmin" ? -v : v);
            double spread = row.Max(v => Math.Abs((form == "softmin" ? -v : v) - m));
            for (int k = 0; k < len; k++)
            {
                T got = y[start + k * stride];
                // double data: the reference's own exp(x − m) is off by up to |x − m|·ε (the rounded difference)
                // on top of the 4 ULP contract, which the mpmath rows check exactly
                if (typeof(T) == typeof(double))
                {
                    limit = 4 + 2 * (form == "log_softmax" ? spread : Math.Abs((form == "softmin" ? -row[k] : row[k]) - m)) + 2;
                    limit = double.IsFinite(limit) ? limit : double.PositiveInfinity;
                }
                double err = typeof(T) == typeof(Half) ? Accuracy.HalfUlps((Half)(object)got, exact[k])
                    : typeof(T) == typeof(float) ? Accuracy.FloatUlps((float)(object)got, exact[k])
                    : Accuracy.DoubleUlps((double)(object)got, exact[k], 0);
                Assert.True(err <= limit, $"{form}<{typeof(T).Name}> shape [{string.Join(",", shape)}] dim {dim}: row at {start}, element {k} is {got}, exact {exact[k]:R} ({err:F2} ULP)");
            }
        }
    }

    [Fact]
    public void Large_tensors_give_the_same_bits_on_one_thread_as_on_all()
    {
        var rng = new Random(5);
        int length = 2048 * 1200;
        float[] all = [.. Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 20 - 10))];
        float[] gAll = [.. Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        foreach (string form in new[] { "softmax", "log_softmax", "softmin" })
        {
            // the last: two column tiles (1024 + 176 columns), one per thread
            foreach ((nint[] shape, int dim) in new (nint[], int)[] { ([512, 1024], -1), ([1024, 512], 0), ([8, 256, 256], 1), ([2048, 1200], 0) })
            {
                int n = (int)shape.Aggregate((nint)1, (a, b) => a * b);
                float[] x = all[..n], g = gAll[..n];
                float[] y = new float[x.Length], y1 = new float[x.Length], dx = new float[x.Length], dx1 = new float[x.Length];
                Forward<float>(form, x, shape, dim, y);
                Backward<float>(form, y, g, shape, dim, dx);
                using (Parallelism.Scope(1))
                {
                    Forward<float>(form, x, shape, dim, y1);
                    Backward<float>(form, y1, g, shape, dim, dx1);
                }
                Harness.AssertElements<float>(y1, i => y[i], $"{form} [{string.Join(",", shape)}] dim {dim} forward");
                Harness.AssertElements<float>(dx1, i => dx[i], $"{form} [{string.Join(",", shape)}] dim {dim} backward");
            }
        }
    }

    /// <summary>Σ v exactly (every double is an integer multiple of 2^−1074), rounded once.</summary>
    private static double ExactSum(IEnumerable<double> values)
    {
        BigInteger total = BigInteger.Zero;
        foreach (double v in values)
        {
            total += Scaled(v);
        }
        return Unscaled(total);
    }

    /// <summary>Σ a·b exactly: each product split into hi + lo by a fused multiply-add, both summed exactly.</summary>
    private static double ExactDot(double[] a, double[] b)
    {
        var terms = new List<double>();
        for (int i = 0; i < a.Length; i++)
        {
            double p = a[i] * b[i];
            terms.Add(p);
            terms.Add(Math.FusedMultiplyAdd(a[i], b[i], -p));
        }
        return ExactSum(terms);
    }

    private static BigInteger Scaled(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp != 0)
        {
            mant |= 1L << 52;
        }
        BigInteger m = new BigInteger(mant) << Math.Max(exp - 1, 0);
        return v < 0 ? -m : m;
    }

    private static double Unscaled(BigInteger total)
    {
        // total·2^−1074 rounded to double through its top 64 bits (far more than double's 53)
        if (total.IsZero)
        {
            return 0;
        }
        int sign = total.Sign;
        BigInteger a = BigInteger.Abs(total);
        long length = (long)a.GetBitLength();
        int shift = (int)Math.Max(0, length - 64);
        double top = (double)(ulong)(a >> shift);
        return sign * Math.ScaleB(top, shift - 1074);
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Backward_is_within_its_conditioning_bound_in_float_and_double(string form)
    {
        BackwardBound<float>(form, Math.ScaleB(1.0, -24));
        BackwardBound<double>(form, Math.ScaleB(1.0, -53));
    }

    private static void BackwardBound<T>(string form, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(77 + form.Length);
        foreach (int n in new[] { 1, 3, 32, 33, 100, 1000 })
        {
            foreach (bool cancelling in new[] { false, true })
            {
                T[] x = [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating((rng.NextDouble() * 2 - 1) * 6))];
                T[] y = new T[n];
                Forward<T>(form, x, [n], -1, y);
                // cancelling: g = c + small noise, so g − Σ g·y nearly cancels
                T[] g = [.. Enumerable.Range(0, n).Select(_ => T.CreateTruncating(cancelling ? 3 + (rng.NextDouble() - 0.5) * 1e-3 : rng.NextDouble() * 2 - 1))];
                T[] dx = new T[n];
                Backward<T>(form, y, g, [n], -1, dx);
                AssertBackwardWithinBound<T>(form, y, g, dx, eps, $"<{typeof(T).Name}> backward n = {n}{(cancelling ? " (cancelling)" : "")}");
            }
        }
    }

    /// <summary>SPEC.md's backward bound for one row, against Σ g and Σ g·y taken exactly from that row alone.</summary>
    private static void AssertBackwardWithinBound<T>(string form, ReadOnlySpan<T> y, ReadOnlySpan<T> g, ReadOnlySpan<T> dx, double eps, string where)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double[] yd = new double[y.Length], gd = new double[g.Length];
        for (int i = 0; i < y.Length; i++)
        {
            (yd[i], gd[i]) = (Numbers.ToDouble(y[i]), Numbers.ToDouble(g[i]));
        }
        double sum = form == "log_softmax" ? ExactSum(gd) : ExactDot(yd, gd);
        for (int i = 0; i < yd.Length; i++)
        {
            AssertElementWithinBound(form, yd[i], gd[i], sum, Numbers.ToDouble(dx[i]), eps, $"{where}: dx[{i}]");
        }
    }

    /// <summary>SPEC.md's bound for one element with the exact Σ (Σ g·y for softmax and softmin, Σ g for
    /// log_softmax): |dx − exact| ≤ 8ε·|y|·(|g| + |Σ|), or 8ε·(|g| + e^y·|Σ|·(1 + |y|)) for log_softmax.</summary>
    internal static void AssertElementWithinBound(string form, double y, double g, double sum, double got, double eps, string where)
    {
        double exact, bound;
        if (form == "log_softmax")
        {
            double p = Math.Exp(y);
            exact = g - p * sum;
            bound = 8 * eps * (Math.Abs(g) + p * Math.Abs(sum) * (1 + Math.Abs(y)));
        }
        else
        {
            exact = (form == "softmin" ? -1 : 1) * y * (g - sum);
            bound = 8 * eps * Math.Abs(y) * (Math.Abs(g) + Math.Abs(sum));
        }
        Assert.True(Math.Abs(got - exact) <= bound + double.Epsilon, $"{form} {where} = {got:R}, exact {exact:R} (Σ = {sum:R}), bound {bound:R}");
    }

    /// <summary>A batch of rows along the last axis, its inputs inside buffers that hold NaN on both sides and its
    /// outputs inside buffers that hold a sentinel: each row gives the bits of the same row computed alone (in its own
    /// NaN-padded buffers), the float forward is within 2 ULP of the reference of that row, each row's backward is
    /// within SPEC.md's bound with that row's own exact sums, and nothing outside the outputs is written. Lengths
    /// with a partial block (n mod 32 ≠ 0) read a padded tail; a row that read one element past its end, or the
    /// gradient of another row, would take a NaN or a neighbour into its sums.</summary>
    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_row_of_a_batch_reads_and_writes_only_its_own_elements(string form)
    {
        Batch<float>(form, Math.ScaleB(1.0, -24));
        Batch<double>(form, Math.ScaleB(1.0, -53));
    }

    private static void Batch<T>(string form, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int Pad = 5, Rows = 4;
        var rng = new Random(4242 + form.Length);
        T sentinel = T.CreateTruncating(12345.5);
        foreach (int n in new[] { 1, 3, 31, 32, 33, 100 })
        {
            int length = Rows * n;
            T[] x = Padded(T.NaN, length), g = Padded(T.NaN, length), yIn = Padded(T.NaN, length), y = Padded(sentinel, length), dx = Padded(sentinel, length);
            for (int i = 0; i < length; i++)
            {
                x[Pad + i] = T.CreateTruncating((rng.NextDouble() * 2 - 1) * 6);
                g[Pad + i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
            }
            Forward<T>(form, x.AsSpan(Pad, length), [Rows, n], -1, y.AsSpan(Pad, length));
            Array.Copy(y, Pad, yIn, Pad, length);
            Backward<T>(form, yIn.AsSpan(Pad, length), g.AsSpan(Pad, length), [Rows, n], -1, dx.AsSpan(Pad, length));
            for (int i = 0; i < Pad; i++)
            {
                Assert.True(y[i] == sentinel && y[Pad + length + i] == sentinel, $"{form}<{typeof(T).Name}> n = {n}: forward wrote outside its output");
                Assert.True(dx[i] == sentinel && dx[Pad + length + i] == sentinel, $"{form}<{typeof(T).Name}> n = {n}: backward wrote outside its output");
            }
            for (int r = 0; r < Rows; r++)
            {
                int at = Pad + r * n;
                T[] xAlone = Padded(T.NaN, n), yAlone = Padded(T.NaN, n), gAlone = Padded(T.NaN, n), dxAlone = Padded(T.NaN, n);
                Array.Copy(x, at, xAlone, Pad, n);
                Array.Copy(g, at, gAlone, Pad, n);
                Forward<T>(form, xAlone.AsSpan(Pad, n), [n], -1, yAlone.AsSpan(Pad, n));
                Backward<T>(form, yAlone.AsSpan(Pad, n), gAlone.AsSpan(Pad, n), [n], -1, dxAlone.AsSpan(Pad, n));
                Assert.True(MemoryMarshal.AsBytes(y.AsSpan(at, n)).SequenceEqual(MemoryMarshal.AsBytes(yAlone.AsSpan(Pad, n))), $"{form}<{typeof(T).Name}> n = {n}: row {r} forward differs from the row alone");
                Assert.True(MemoryMarshal.AsBytes(dx.AsSpan(at, n)).SequenceEqual(MemoryMarshal.AsBytes(dxAlone.AsSpan(Pad, n))), $"{form}<{typeof(T).Name}> n = {n}: row {r} backward differs from the row alone");
                if (typeof(T) == typeof(float))
                {
                    double[] exact = SoftmaxReference.Row(form, [.. x.AsSpan(at, n).ToArray().Select(Numbers.ToDouble)]);
                    for (int i = 0; i < n; i++)
                    {
                        float got = (float)(object)y[at + i];
                        Assert.True(Accuracy.FloatUlps(got, exact[i]) <= 2, $"{form} n = {n}: row {r} element {i} is {got:R}, exact {exact[i]:R}");
                    }
                }
                AssertBackwardWithinBound<T>(form, yIn.AsSpan(at, n), g.AsSpan(at, n), dx.AsSpan(at, n), eps, $"<{typeof(T).Name}> n = {n}: row {r}");
            }
        }

        static T[] Padded(T fill, int count)
        {
            var buffer = new T[count + 2 * Pad];
            Array.Fill(buffer, fill);
            return buffer;
        }
    }

    [Fact]
    public void Backward_along_a_strided_axis_equals_the_rows_gathered()
    {
        var rng = new Random(9);
        nint[] shape = [5, 40, 19];
        int n = 5 * 40 * 19;
        double[] x = [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 8 - 4)];
        double[] g = [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1)];
        foreach (string form in new[] { "softmax", "log_softmax", "softmin" })
        {
            double[] y = new double[n], dx = new double[n];
            Forward<double>(form, x, shape, 1, y);
            Backward<double>(form, y, g, shape, 1, dx);
            for (int o = 0; o < 5; o++)
            {
                for (int j = 0; j < 19; j++)
                {
                    int[] idx = [.. Enumerable.Range(0, 40).Select(k => (o * 40 + k) * 19 + j)];
                    double[] yr = [.. idx.Select(i => y[i])], gr = [.. idx.Select(i => g[i])], dr = new double[40];
                    Backward<double>(form, yr, gr, [40], 0, dr);
                    for (int k = 0; k < 40; k++)
                    {
                        double scale = Math.Abs(yr[k]) * (Math.Abs(gr[k]) + 1) + Math.Abs(gr[k]);
                        Assert.True(Math.Abs(dx[idx[k]] - dr[k]) <= 1e-15 * scale, $"{form} strided backward [{o},{k},{j}]: {dx[idx[k]]:R} against the row's {dr[k]:R}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_parameter_named()
    {
        float[] x = new float[12], y = new float[12];
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => Activations.Softmax<float>(x, [3, 5], 1, y)).ParamName);
        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => Activations.LogSoftmax<float>(x, [3, -4], 1, y)).ParamName);
        Assert.Equal("dim", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softmax<float>(x, [3, 4], 2, y)).ParamName);
        Assert.Equal("dim", Assert.Throws<ArgumentOutOfRangeException>(() => Activations.Softmin<float>(x, [3, 4], -3, y)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Activations.Softmax<float>(x, [3, 4], 1, new float[11])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Activations.Softmax<float>(x.AsSpan(0, 8), [8], 0, x.AsSpan(2, 8))).ParamName);
        Assert.Equal("gradOutput", Assert.Throws<ArgumentException>(() => Activations.SoftmaxBackward<float>(x, new float[11], [3, 4], 1, y)).ParamName);
        Assert.Equal("gradInput", Assert.Throws<ArgumentException>(() => Activations.LogSoftmaxBackward<float>(x, y, [3, 4], 1, new float[5])).ParamName);
        Assert.Throws<NotSupportedException>(() => Activations.Softmax<NFloat>(new NFloat[2], new NFloat[2]));
        Activations.Softmax<float>(ReadOnlySpan<float>.Empty, [0, 4], 1, Span<float>.Empty);   // empty: nothing to do
    }

    [Fact]
    public void The_activation_value_and_the_span_calls_give_the_same_bits()
    {
        var rng = new Random(3);
        nint[] shape = [6, 10];
        float[] x = [.. Enumerable.Range(0, 60).Select(_ => (float)(rng.NextDouble() * 10 - 5))];
        float[] g = [.. Enumerable.Range(0, 60).Select(_ => (float)(rng.NextDouble() - 0.5))];
        foreach (Activation a in new[] { Activation.Softmax(0), Activation.LogSoftmax(), Activation.Softmin(1) })
        {
            Assert.False(a.IsElementwise);
            string form = a.Name;
            float[] y = new float[60], expected = new float[60], dx = new float[60], expectedDx = new float[60];
            a.Forward<float>(x, shape, y);
            Forward<float>(form, x, shape, a.Dim, expected);
            Harness.AssertElements<float>(y, i => expected[i], $"{a} forward");
            a.Backward<float>(x, g, shape, dx);
            Backward<float>(form, expected, g, shape, a.Dim, expectedDx);
            Harness.AssertElements<float>(dx, i => expectedDx[i], $"{a} backward");
            // the flat overloads take the span as one row (dim 0 or −1)
            if (a.Dim == 1)
            {
                Assert.Equal("dim", Assert.Throws<ArgumentOutOfRangeException>(() => a.Forward<float>(x, new float[60])).ParamName);
                continue;
            }
            a.Forward<float>(x, y);
            Forward<float>(form, x, [60], -1, expected);
            Harness.AssertElements<float>(y, i => expected[i], $"{a} over one row");
        }
        Assert.Equal("log_softmax(dim=-1)", Activation.LogSoftmax().ToString());
        Assert.Throws<ArgumentException>(() => Fused.BiasActivation<float>(x, shape, new float[10], Activation.Softmax(), new float[60]));
    }
}
