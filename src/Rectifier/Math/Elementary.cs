using System.Runtime.CompilerServices;

namespace Rectifier.Maths;

/// <summary>How precise a result the caller needs: the polynomial degree follows from it.</summary>
internal interface IPrecision
{
    /// <summary>True for double results (relative error near 2^-53), false for float results (computed in double
    /// lanes to about 1e-10 relative, far below half a float ULP, so the final rounding is the only visible error).</summary>
    static abstract bool Full { get; }
}

/// <summary>Double results.</summary>
internal readonly struct FullPrecision : IPrecision
{
    public static bool Full => true;
}

/// <summary>Float (and Half) results, computed in double lanes.</summary>
internal readonly struct SinglePrecision : IPrecision
{
    public static bool Full => false;
}

/// <summary>Vectorised exp, expm1, log1p, erf, erfc, erfcx, tanh and sigmoid, written once over <see cref="ISimd{TV}"/>.
/// None of them builds on the BCL or TensorPrimitives versions (whose ExpM1/LogP1 cancel and whose vector Tanh
/// loses the sign of zero).</summary>
/// <remarks>
/// <para><b>exp.</b> x = k·ln2 + r with k = round(x/ln2) and ln2 split in two (the high part has trailing zeros, so
/// k·ln2hi and the subtraction are exact), |r| ≤ ln2/2; e^r = 1 + r + r²·Q(r) with Q fitted by
/// scripts/fit_coefficients.py; 2^k is applied in two exact steps so that overflow gives ∞ and the subnormal range
/// is rounded once.</para>
/// <para><b>expm1.</b> The same reduction; expm1(r) = r + r²·Q(r) keeps full relative accuracy near 0, and
/// expm1(x) = 2^k·expm1(r) + (2^k − 1) is recombined without cancellation (k &lt; 0: one fused multiply-add with
/// the exact 2^k − 1; k ≥ 0: (expm1(r) + (1 − 2^−k))·2^k).</para>
/// <para><b>log1p.</b> u = 1 + x rounded, with its exact rounding error c (two-sum); u = 2^e·m, m ∈ [√½, √2);
/// log(m) = 2·atanh(f/(2+f)) with f = m − 1 exact, the odd series summed to the needed degree; c/u added back.</para>
/// <para><b>erf, erfc, erfcx.</b> |u| ≤ 0.75: erf(u) = u·P(u²). Beyond: erfc(u) = e^{−u²}·erfcx(u), where
/// e^{−u²} is taken from the exact split u² = hi + lo (fused multiply-add), so the tail keeps its relative accuracy
/// down to the last subnormal, and erfcx is a polynomial in u − 1.625 (u ≤ 2.5) or in 1/u (u &gt; 2.5).</para>
/// <para><b>tanh</b> = t/(t + 2) with t = expm1(2|x|), sign restored (tanh(−0) = −0). <b>sigmoid</b> from
/// e = exp(−|x|): 1/(1+e) or e/(1+e), and σ(1 − σ) = e/(1+e)², accurate in both tails.</para>
/// <para>Measured errors are in docs/ACCURACY.md.</para>
/// </remarks>
internal static class Elementary
{
    private const double Ln2Hi = 6.93147180369123816490e-01;   // 0x3FE62E42FEE00000: 21 trailing zero bits
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const float Ln2HiF = 0.693145751953125f;          // 0x3F317200
    private const float Ln2LoF = 1.42860676533018704e-06f;
    private const double Log2E = 1.4426950408889634;
    private const double RoundMagic = 6755399441055744.0;       // 1.5·2^52: adding it rounds to an integer
    private const double RoundMagicF = 12582912.0;              // 1.5·2^23
    public const double InvSqrt2 = 0.70710678118654752440;
    public const double InvSqrtPi = 0.56418958354775628695;
    public const double InvSqrt2Pi = 0.39894228040143267794;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Magic<TV, O>() where TV : struct where O : ISimd<TV> => O.C(O.IsDouble ? RoundMagic : RoundMagicF);

    /// <summary>round(x) to nearest even for |x| &lt; 2^22 (float) or 2^51 (double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Round<TV, O>(TV x) where TV : struct where O : ISimd<TV>
        => O.Sub(O.Add(x, Magic<TV, O>()), Magic<TV, O>());

    /// <summary>2^k for an integral k within the normal exponent range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Pow2<TV, O>(TV k) where TV : struct where O : ISimd<TV>
    {
        TV biased = O.IntAdd(O.Add(k, Magic<TV, O>()), O.Bits(O.IsDouble ? 1023 : 127));
        return O.ShiftLeft(biased, O.IsDouble ? 52 : 23);
    }

    /// <summary>p·2^k in two exact steps (2^k itself may be out of range; the product is rounded once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ScaleTwoSteps<TV, O>(TV p, TV k) where TV : struct where O : ISimd<TV>
    {
        TV k1 = Round<TV, O>(O.Mul(k, O.C(0.5)));
        return O.Mul(O.Mul(p, Pow2<TV, O>(k1)), Pow2<TV, O>(O.Sub(k, k1)));
    }

    /// <summary>2^(k + extra) from kr = k + RoundMagic (k integral, the sum in the normal range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Pow2FromRounded<TV, O>(TV kr, int extra) where TV : struct where O : ISimd<TV>
        => O.ShiftLeft(O.IntAdd(kr, O.Bits((O.IsDouble ? 1023 : 127) + extra)), O.IsDouble ? 52 : 23);

    /// <summary>Double lanes computing a float result: every 2^k needed is a normal double, so scaling takes one step
    /// and ln2 one constant (its rounding moves r by ~1e−14, invisible in a float).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Relaxed<TV, O, P>() where TV : struct where O : ISimd<TV> where P : IPrecision => O.IsDouble && !P.Full;

    /// <summary>r = x − k·ln2 with k = round(x/ln2); <paramref name="kr"/> = k + RoundMagic (its bits hold k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Reduce<TV, O, P>(TV x, out TV kr, out TV k) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        kr = O.Fma(x, O.C(Log2E), Magic<TV, O>());
        k = O.Sub(kr, Magic<TV, O>());
        if (Relaxed<TV, O, P>())
        {
            return O.Fma(k, O.C(-0.6931471805599453), x);
        }
        TV r = O.Fma(k, O.C(O.IsDouble ? -Ln2Hi : -Ln2HiF), x);
        return O.Fma(k, O.C(O.IsDouble ? -Ln2Lo : -Ln2LoF), r);
    }

    /// <summary>expm1(r) = r + r²·Q(r) for |r| ≤ ln2/2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Expm1Reduced<TV, O, P>(TV r) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV q = P.Full ? Polynomials.ExpQFull<TV, O>(r) : Polynomials.ExpQSingle<TV, O>(r);
        return O.Fma(O.Mul(r, r), q, r);
    }

    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
        => ExpCore<TV, O, P>(x, default, hasLo: false, extra: 0);

    /// <summary>e^(hi + lo) for a value given as an unevaluated sum (|lo| ≤ ulp(hi)): the tails of erfc and of the
    /// Gaussian keep their relative accuracy because x² is passed exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<TV, O, P>(TV hi, TV lo) where TV : struct where O : ISimd<TV> where P : IPrecision
        => ExpCore<TV, O, P>(hi, lo, hasLo: true, extra: 0);

    /// <summary>e^(hi + lo) where the caller knows the result is a normal number (hi ∈ [−86, 88] in float lanes,
    /// [−700, 709] in double lanes): 2^k is then applied in one exact multiply instead of two (softmax's terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpNormal<TV, O, P>(TV hi, TV lo) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV r = O.Add(Reduce<TV, O, P>(hi, out TV kr, out _), lo);
        TV p = O.Add(O.C(1), Expm1Reduced<TV, O, P>(r));
        return O.Mul(p, Pow2FromRounded<TV, O>(kr, 0));
    }

    /// <summary>The binary exponent <see cref="ExpTail{TV, O, P}(TV, TV)"/> adds: 256 for double results and 64 in float lanes,
    /// so that a subnormal e^x multiplied by x or divided by (1 + e^x) is rounded once, at the end, by
    /// <see cref="Unscale{TV, O, P}"/>. Float results computed in double lanes need none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TailScale<TV, O, P>() where TV : struct where O : ISimd<TV> where P : IPrecision
        => Relaxed<TV, O, P>() ? 0 : O.IsDouble ? 256 : 64;

    /// <summary>e^(hi + lo)·2^S with S = <see cref="TailScale{TV, O, P}"/>, for hi ≤ 0 (so it cannot overflow).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpTail<TV, O, P>(TV hi, TV lo) where TV : struct where O : ISimd<TV> where P : IPrecision
        => ExpCore<TV, O, P>(hi, lo, hasLo: true, TailScale<TV, O, P>());

    /// <summary>e^x·2^S, see <see cref="ExpTail{TV, O, P}(TV, TV)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpTail<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
        => ExpCore<TV, O, P>(x, default, hasLo: false, TailScale<TV, O, P>());

    /// <summary>Removes the 2^S of <see cref="ExpTail{TV, O, P}(TV, TV)"/> (one rounding, into the subnormal range if need be).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Unscale<TV, O, P>(TV v) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        int scale = TailScale<TV, O, P>();
        return scale == 0 ? v : O.Mul(v, O.C(scale == 256 ? 8.636168555094445e-78 : 5.421010862427522e-20));   // 2^−256, 2^−64
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpCore<TV, O, P>(TV hi, TV lo, bool hasLo, int extra) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        // Clamp so that k stays representable; the clamped ends still overflow to ∞ or round to 0. NaN passes.
        bool relaxed = Relaxed<TV, O, P>();
        double top = relaxed ? 708.0 : O.IsDouble ? 709.8 : 88.8;
        double bottom = relaxed ? -708.0 : (O.IsDouble ? -745.2 : -104.0) - extra * 0.6931471805599453;
        TV clamped = O.Min(O.C(top), O.Max(O.C(bottom), hi));
        TV r = Reduce<TV, O, P>(clamped, out TV kr, out TV k);
        if (hasLo)
        {
            r = O.Add(r, O.Select(O.Equal(clamped, hi), lo, O.C(0)));
        }
        TV p = O.Add(O.C(1), Expm1Reduced<TV, O, P>(r));
        if (relaxed)
        {
            return O.Mul(p, Pow2FromRounded<TV, O>(kr, extra));
        }
        // While every lane's p·2^k is a normal number (p ∈ [0.7, 1.42]), one multiply by 2^k gives the same bits as the
        // two exact steps; these are needed only where the result overflows or is subnormal.
        TV ke = extra == 0 ? k : O.Add(k, O.C(extra));
        TV extreme = O.Or(O.LessThan(ke, O.C(O.IsDouble ? -1021 : -125)), O.GreaterThan(ke, O.C(O.IsDouble ? 1023 : 127)));
        return O.Any(extreme) ? ScaleTwoSteps<TV, O>(p, ke) : O.Mul(p, Pow2FromRounded<TV, O>(kr, extra));
    }

    /// <summary>e^(hi + lo) as 2^k·(1 + q) for callers that fold a factor p into p·(1 + q) = fma(p, q, p) before
    /// scaling (one rounding instead of two): returns q, and in <paramref name="pow2"/> 2^k, times 2^S
    /// (<see cref="TailScale{TV, O, P}"/>) in the lanes of <paramref name="deep"/>, whose results would be subnormal;
    /// <paramref name="unscale"/> is 2^−S there and 1 elsewhere, to apply once at the end (<see cref="Unscale{TV, O, P}"/>
    /// for the other lanes' form). r = hi − k·ln2 + lo takes one rounding: lo is added to the low part of k·ln2 first.
    /// The caller keeps k (+ S) within the normal range (float lanes: hi ≥ −120, deep below −60).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpParts<TV, O, P>(TV hi, TV lo, TV deep, out TV pow2, out TV unscale) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        int scale = TailScale<TV, O, P>();
        TV kr = O.Fma(hi, O.C(Log2E), Magic<TV, O>());
        TV k = O.Sub(kr, Magic<TV, O>());
        TV r = O.Fma(k, O.C(O.IsDouble ? -Ln2Hi : -Ln2HiF), hi);   // exact
        r = O.Add(r, O.Fma(k, O.C(O.IsDouble ? -Ln2Lo : -Ln2LoF), lo));
        pow2 = Pow2FromRounded<TV, O>(O.IntAdd(kr, O.Select(deep, O.Bits(scale), O.Bits(0))), 0);
        unscale = O.Select(deep, Unscale<TV, O, P>(O.C(1)), O.C(1));
        return Expm1Reduced<TV, O, P>(r);
    }

    /// <summary>e^x − 1, accurate relative to the result everywhere (−0 → −0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Expm1<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        // Below the bottom the result rounds to −1; above the top it overflows.
        double top = O.IsDouble ? 709.8 : 88.8, bottom = O.IsDouble ? -45.0 : -18.0;
        TV xc = O.Min(O.C(top), O.Max(O.C(bottom), x));
        TV r = Reduce<TV, O, P>(xc, out TV kr, out TV k);
        TV q = Expm1Reduced<TV, O, P>(r);
        TV result;
        if (!P.Full)
        {
            // 2^k·(1 + q) − 1 in one rounding; 2^k − 1 is exact while it matters (k ≤ 24 in float lanes, k ≤ 53 in
            // double). Float lanes cap k at 127 and double the result past it (relative error 2^−128).
            TV kc = O.IsDouble ? kr : O.Min(O.C(RoundMagicF + 127), kr);
            TV s = Pow2FromRounded<TV, O>(kc, 0);
            result = O.Fma(s, q, O.Sub(s, O.C(1)));
            if (!O.IsDouble)
            {
                result = O.Mul(result, O.Select(O.GreaterThan(k, O.C(127)), O.C(2), O.C(1)));
            }
        }
        else
        {
            TV k1 = Round<TV, O>(O.Mul(k, O.C(0.5)));
            TV s1 = Pow2<TV, O>(k1), s2 = Pow2<TV, O>(O.Sub(k, k1));
            // k < 0 (k ≥ −65): 2^k·q + (2^k − 1), with 2^k − 1 exact.
            TV s = O.Mul(s1, s2);
            TV negative = O.Fma(s, q, O.Sub(s, O.C(1)));
            // k ≥ 0: (q + (1 − 2^−k))·2^k; 1 − 2^−k is exact up to k = 53 and rounds to 1 beyond.
            TV kc = O.Min(O.C(60), k);
            TV positive = O.Mul(O.Mul(O.Add(q, O.Sub(O.C(1), Pow2<TV, O>(O.Neg(kc)))), s1), s2);
            result = O.Select(O.LessThan(k, O.C(0)), negative, positive);
        }
        return O.Select(O.Equal(x, O.C(0)), x, result);
    }

    /// <summary>log(1 + x) for x ≥ −1 (−1 → −∞, below → NaN, ±0 → ±0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log1p<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV one = O.C(1);
        TV u = O.Add(one, x);
        // c: the exact rounding error of u = fl(1 + x) (fast two-sum, ordered by magnitude).
        TV c = O.Select(O.LessThanOrEqual(O.Abs(x), one), O.Add(O.Sub(one, u), x), O.Add(O.Sub(x, u), one));
        TV f, e;
        if (O.IsDouble)
        {
            // e = exponent of u/√½, m = u·2^−e ∈ [√½, √2)
            TV t = O.IntAdd(O.IntSub(u, O.Bits(0x3FE6A09E667F3BCDL)), O.Bits(512L << 52));
            TV eBiased = O.ShiftRightLogical(t, 52);
            TV eInt = O.IntSub(eBiased, O.Bits(512));
            TV m = O.IntSub(u, O.ShiftLeft(eInt, 52));
            f = O.Sub(m, one);
            e = O.Sub(O.Or(eBiased, O.Bits(0x4330000000000000L)), O.C(4503599627370496.0 + 512));
        }
        else
        {
            TV t = O.IntAdd(O.IntSub(u, O.Bits(0x3F3504F3)), O.Bits(64L << 23));
            TV eBiased = O.ShiftRightLogical(t, 23);
            TV eInt = O.IntSub(eBiased, O.Bits(64));
            TV m = O.IntSub(u, O.ShiftLeft(eInt, 23));
            f = O.Sub(m, one);
            e = O.Sub(O.Or(eBiased, O.Bits(0x4B000000)), O.C(8388608.0 + 64));
        }
        TV s = O.Div(f, O.Add(O.C(2), f));
        TV z = O.Mul(s, s);
        // R(z) = 2z/3 + 2z²/5 + ... (2·atanh(s) = 2s + s·R), z ≤ 0.0295
        TV poly;
        if (P.Full)
        {
            poly = O.C(2.0 / 23);
            for (int j = 21; j >= 3; j -= 2)
            {
                poly = O.Fma(poly, z, O.C(2.0 / j));
            }
        }
        else
        {
            poly = O.C(2.0 / 15);
            for (int j = 13; j >= 3; j -= 2)
            {
                poly = O.Fma(poly, z, O.C(2.0 / j));
            }
        }
        TV rr = O.Mul(z, poly);
        TV hfsq = O.Mul(O.C(0.5), O.Mul(f, f));
        TV tail = O.Fma(e, O.C(O.IsDouble ? Ln2Lo : Ln2LoF), O.Div(c, u));
        TV inner = O.Sub(hfsq, O.Fma(s, O.Add(hfsq, rr), tail));
        TV result = O.Fma(e, O.C(O.IsDouble ? Ln2Hi : Ln2HiF), O.Sub(f, inner));
        result = O.Select(O.Equal(x, O.C(double.PositiveInfinity)), x, result);
        result = O.Select(O.Equal(x, O.C(-1)), O.C(double.NegativeInfinity), result);
        result = O.Select(O.LessThan(x, O.C(-1)), O.C(double.NaN), result);
        return O.Select(O.Equal(x, O.C(0)), x, result);
    }

    /// <summary>erf(u)/u as a polynomial in z = u² (valid for |u| ≤ 0.75).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ErfOverU<TV, O, P>(TV z) where TV : struct where O : ISimd<TV> where P : IPrecision
        => P.Full ? Polynomials.ErfSmallFull<TV, O>(z) : Polynomials.ErfSmallSingle<TV, O>(z);

    /// <summary>erfcx(u) = e^{u²}·erfc(u) for u ≥ 0.75 (a smooth, slowly decaying factor ≈ 1/(u√π)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ErfcxTail<TV, O, P>(TV u) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV far = O.GreaterThan(u, O.C(2.5));
        TV v = O.Div(O.C(1), u);
        TV t = O.Select(far, v, O.Sub(u, O.C(1.625)));
        TV p = P.Full ? Polynomials.ErfcxFull<TV, O>(t, far) : Polynomials.ErfcxSingle<TV, O>(t, far);
        return O.Select(far, O.Mul(p, O.Mul(v, O.C(InvSqrtPi))), p);
    }

    /// <summary>erfc(|x|) for |x| ≥ 0.75 as e^{−x²}·erfcx(|x|), with x² split exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ErfcTail<TV, O, P>(TV a) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        a = O.Min(O.C(30), a);   // erfc(30) underflows in double; keeps x² finite
        TV hi = O.Mul(a, a);
        TV lo = O.Fma(a, a, O.Neg(hi));
        TV g = Exp<TV, O, P>(O.Neg(hi), O.Neg(lo));
        return O.Mul(g, ErfcxTail<TV, O, P>(O.Select(O.LessThan(a, O.C(0.75)), O.C(0.75), a)));
    }

    /// <summary>erf(x), odd, ±0 kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Erf<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV a = O.Abs(x);
        TV small = O.Mul(x, ErfOverU<TV, O, P>(O.Mul(x, x)));
        TV tail = O.Sub(O.C(1), ErfcTail<TV, O, P>(a));
        tail = O.Xor(tail, O.And(x, O.C(-0.0)));
        return O.Select(O.LessThanOrEqual(a, O.C(0.75)), small, tail);
    }

    /// <summary>erfc(x) = 1 − erf(x), accurate relative to the result in the positive tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Erfc<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV a = O.Abs(x);
        TV small = O.Sub(O.C(1), O.Mul(x, ErfOverU<TV, O, P>(O.Mul(x, x))));
        TV tail = ErfcTail<TV, O, P>(a);
        tail = O.Select(O.LessThan(x, O.C(0)), O.Sub(O.C(2), tail), tail);
        return O.Select(O.LessThanOrEqual(a, O.C(0.75)), small, tail);
    }

    /// <summary>tanh(x): |x| ≤ 0.55: x·T(x²) (odd polynomial); beyond: 1 − 2/(1 + e^{2|x|}) with the denominator
    /// rounded once (<see cref="OnePlusExp{TV, O, P}"/>), sign restored (tanh(±0) = ±0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV a = O.Abs(x);
        TV z = O.Mul(x, x);
        TV small = O.Mul(x, P.Full ? Polynomials.TanhSmallFull<TV, O>(z) : Polynomials.TanhSmallSingle<TV, O>(z));
        double top = O.IsDouble ? 20.0 : 9.5;   // tanh rounds to 1 beyond
        TV d = OnePlusExp<TV, O, P>(O.Min(O.C(2 * top), O.Add(a, a)));
        TV large = O.Sub(O.C(1), O.Div(O.C(2), d));
        large = O.Xor(large, O.And(x, O.C(-0.0)));
        return O.Select(O.LessThanOrEqual(a, O.C(0.55)), small, large);
    }

    /// <summary>1 + e^x rounded once, for x ≤ 87 (float lanes) or 708 (double lanes); below −60 it is 1. With
    /// x = k·ln2 + r and q = expm1(r): k ≥ 0: 2^k·(q + (1 + 2^−k)), k &lt; 0: (2^k + 1) + 2^k·q in one fused
    /// multiply-add; both sums are exact but for the final rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV OnePlusExp<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV xc = O.Min(O.C(O.IsDouble ? 708.0 : 87.0), O.Max(O.C(-60.0), x));
        TV r = Reduce<TV, O, P>(xc, out TV kr, out TV k);
        return OnePlusExpReduced<TV, O, P>(Expm1Reduced<TV, O, P>(r), kr, k);
    }

    /// <summary>1 + 2^k·(1 + q) rounded once (see <see cref="OnePlusExp{TV, O, P}"/>), |k| ≤ 126: while 2^k + 1 is
    /// exact (k ≤ 23 in float lanes, 52 in double), (2^k + 1) + 2^k·q in one fused multiply-add; beyond,
    /// 2^k·h + (2^k·l + 1) with 1 + q = h + l split exactly (the inner rounding is far below the result's ULP).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV OnePlusExpReduced<TV, O, P>(TV q, TV kr, TV k) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV s = Pow2FromRounded<TV, O>(kr, 0);
        TV exact = O.Fma(s, q, O.Add(s, O.C(1)));
        TV big = O.GreaterThan(k, O.C(O.IsDouble ? 52 : 23));
        if (!O.Any(big))
        {
            return exact;   // the usual case (|x| < 16 in float lanes): no lane needs the split form
        }
        TV h = O.Add(O.C(1), q);
        TV l = O.Sub(q, O.Sub(h, O.C(1)));   // exact (fast two-sum, |1| ≥ |q|)
        TV large = O.Fma(s, h, O.Fma(s, l, O.C(1)));
        return O.Select(big, large, exact);
    }

    /// <summary>e^{−a}/(1 + e^{−a})² = 1/((1 + e^a)(1 + e^{−a})) for a ≥ 0 (NaN passes): the slope of σ at ±a.
    /// Both factors come from one reduction and are rounded once each; past 80 (float lanes) or 700 (double lanes)
    /// the slope is e^{−a}, taken scaled so that a subnormal result is rounded once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LogisticSlope<TV, O, P>(TV a) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        double limit = O.IsDouble ? 700.0 : 80.0;
        TV ac = O.Min(O.C(limit), a);
        TV r = Reduce<TV, O, P>(ac, out TV kr, out TV k);
        TV plus = OnePlusExpReduced<TV, O, P>(Expm1Reduced<TV, O, P>(r), kr, k);
        TV minusKr = O.Sub(O.C(2 * (O.IsDouble ? RoundMagic : RoundMagicF)), kr);
        TV minus = OnePlusExpReduced<TV, O, P>(Expm1Reduced<TV, O, P>(O.Neg(r)), minusKr, O.Neg(k));
        TV slope = O.Div(O.C(1), O.Mul(plus, minus));
        TV far = O.GreaterThan(a, O.C(limit));
        if (O.Any(far))
        {
            slope = O.Select(far, Unscale<TV, O, P>(ExpTail<TV, O, P>(O.Neg(a))), slope);
        }
        return slope;
    }

    /// <summary>Below this, 1 + e^{−x} would overflow: σ(x) and x·σ(x) are taken from e^x (then below 2^−60 of 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogisticTail<TV, O>() where TV : struct where O : ISimd<TV> => O.IsDouble ? -708.0 : -87.0;

    /// <summary>σ(x) = 1/(1 + e^{−x}) with the denominator rounded once; e^x·2^S (<see cref="ExpTail{TV, O, P}(TV)"/>)
    /// in the far negative tail, returned scaled in <paramref name="tailScaled"/> with the mask of those lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LogisticDenominator<TV, O, P>(TV x, out TV tail, out TV tailScaled) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        tail = O.LessThan(x, O.C(LogisticTail<TV, O>()));
        tailScaled = O.Any(tail) ? ExpTail<TV, O, P>(x) : O.C(0);
        return OnePlusExp<TV, O, P>(O.Neg(x));
    }

    /// <summary>exp(−|x|)·2^S (see <see cref="ExpTail{TV, O, P}(TV, TV)"/>), and e = exp(−|x|) itself in <paramref name="e"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpNegAbsScaled<TV, O, P>(TV x, out TV e) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV scaled = ExpTail<TV, O, P>(O.Neg(O.Abs(x)));
        e = Unscale<TV, O, P>(scaled);
        return scaled;
    }

    /// <summary>σ(x) from e = exp(−|x|): 1/(1+e) for x ≥ 0, e/(1+e) below.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SigmoidFrom<TV, O>(TV x, TV e) where TV : struct where O : ISimd<TV>
        => O.Div(O.Select(O.LessThan(x, O.C(0)), e, O.C(1)), O.Add(O.C(1), e));

    /// <summary>The logistic function σ(x) = 1/(1 + e^−x), without overflow, within about 1 ULP in both tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV d = LogisticDenominator<TV, O, P>(x, out TV tail, out TV tailScaled);
        return O.Select(tail, Unscale<TV, O, P>(tailScaled), O.Div(O.C(1), d));
    }
}
