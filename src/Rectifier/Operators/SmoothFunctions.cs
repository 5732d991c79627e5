using System.Runtime.CompilerServices;
using Rectifier.Maths;
using E = Rectifier.Maths.Elementary;

namespace Rectifier.Operators;

// The smooth family (docs/SPEC.md): each forward and backward written once over any lane type. Comments give the formula
// as evaluated; the reasons (which form avoids which cancellation) are in docs/ACCURACY.md.

/// <summary>Lanes helpers shared by the smooth functions.</summary>
internal static class Lanes
{
    /// <summary>x with its magnitude limited to <paramref name="limit"/> (NaN passes): keeps x·0 finite where a
    /// factor underflows, so a limit (0 or 1) comes out instead of ∞·0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ClampMagnitude<TV, O>(TV x, double limit) where TV : struct where O : ISimd<TV>
    {
        TV big = O.GreaterThan(O.Abs(x), O.C(limit));
        return O.Select(big, O.Xor(O.C(limit), O.And(x, O.C(-0.0))), x);
    }

    /// <summary>For double results: where x lies in [From, To] around a zero x0 = Hi + Lo of a derivative, the
    /// derivative <paramref name="d"/> is replaced by (x − x0)·H(x − Centre), its expansion about x0, instead of the
    /// cancelling direct sum (x − Hi is exact there: x is within a factor 2 of it). Float lanes pass a root with a
    /// float window and float constants (e.g. <see cref="SiluRootSingleLanes"/>) as full precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV NearRoot<TV, O, P, R>(TV x, TV d) where TV : struct where O : ISimd<TV> where P : IPrecision where R : struct, IDerivativeRoot
    {
        if (!P.Full)
        {
            return d;
        }
        TV near = O.And(O.LessThanOrEqual(O.C(R.From), x), O.LessThanOrEqual(x, O.C(R.To)));
        if (!O.Any(near))
        {
            return d;
        }
        TV r = O.Sub(O.Sub(x, O.C(R.Hi)), O.C(R.Lo));
        TV t = O.Sub(x, O.C(R.Centre));
        return O.Select(near, O.Mul(r, R.Slope<TV, O>(t)), d);
    }

    /// <summary>c·x rounded once for a constant c that the lane type cannot hold exactly (selu's scale in float lanes):
    /// c = hi + lo, hi·x + lo·x in one fused multiply-add, so that c·x overflows exactly where the true product does.
    /// At x = ±∞ the two parts have opposite infinities (∞ − ∞ = NaN): there the product is hi·x = ±∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Scale<TV, O>(TV x, double c) where TV : struct where O : ISimd<TV>
    {
        if (c == 1)
        {
            return x;
        }
        double hi = O.IsDouble ? c : (float)c;
        TV product = O.Fma(O.C(hi), x, O.Mul(O.C(c - hi), x));
        return O.Select(O.Equal(O.Sub(x, x), O.C(0)), product, O.Mul(O.C(hi), x));
    }

    /// <summary>−0.0 where x = −∞ (the limit of x·f(x) when f decays faster than x grows), else y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV NegativeInfinityToNegativeZero<TV, O>(TV x, TV y) where TV : struct where O : ISimd<TV>
        => O.Select(O.Equal(x, O.C(double.NegativeInfinity)), O.C(-0.0), y);
}

/// <summary>elu, selu and celu: <c>x &gt; 0 ? scale·x : negCoef·expm1(x/divisor)</c>.</summary>
internal readonly struct EluFunction(double scale, double negCoef, double divisor) : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV t = divisor == 1 ? x : O.Div(x, O.C(divisor));
        TV negative = O.Mul(O.C(negCoef), E.Expm1<TV, O, P>(t));
        return O.Select(O.GreaterThan(x, O.C(0)), Lanes.Scale<TV, O>(x, scale), negative);
    }
}

/// <summary>elu/selu/celu backward from x: <c>x &gt; 0 ? g·scale : g·gradCoef·exp(x/divisor)</c>.</summary>
internal readonly struct EluBackwardFunction(double scale, double gradCoef, double divisor) : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV t = divisor == 1 ? x : O.Div(x, O.C(divisor));
        TV slope = O.Mul(O.C(gradCoef), E.Exp<TV, O, P>(t));
        return O.Select(O.GreaterThan(x, O.C(0)), Lanes.Scale<TV, O>(g, scale), O.Mul(g, slope));
    }
}

/// <summary>elu/selu/celu backward from the output y: <c>y &gt; 0 ? g·scale : g·(y + negCoef)/divisor</c>
/// (as accurate as y is: near saturation y + negCoef cancels).</summary>
internal readonly struct EluBackwardFromOutputFunction(double scale, double negCoef, double divisor) : IBinaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV y, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV slope = O.Add(y, O.C(negCoef));
        slope = divisor == 1 ? slope : O.Div(slope, O.C(divisor));
        return O.Mul(g, O.Select(O.GreaterThan(y, O.C(0)), O.C(scale), slope));
    }
}

/// <summary>Φ(x) and the Gaussian density φ(x) for gelu, with e^{−x²/2} from the exact split of x².</summary>
internal static class Gaussian
{
    private const double SmallLimit = 1.0606601717798212;   // 0.75·√2: below, Φ = ½ + ½·erf(x/√2) by polynomial

    /// <summary>For x clamped to |x| ≤ 40 by the caller: whether |x| is in the polynomial range, Φ there
    /// (<paramref name="cdfSmall"/>), Φ(−|x|)·2^S (<paramref name="lowerScaled"/>) and φ(x)·2^S
    /// (<paramref name="densityScaled"/>), S = <see cref="E.TailScale{TV, O, P}"/>: scaled, so that x·Φ(x) and
    /// Φ + x·φ are rounded once even where they are subnormal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Parts<TV, O, P>(TV x, out TV cdfSmall, out TV lowerScaled, out TV densityScaled)
        where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV hi = O.Mul(x, x);
        TV lo = O.Fma(x, x, O.Neg(hi));
        TV gauss = E.ExpTail<TV, O, P>(O.Mul(hi, O.C(-0.5)), O.Mul(lo, O.C(-0.5)));   // e^{−x²/2}·2^S
        densityScaled = O.Mul(gauss, O.C(E.InvSqrt2Pi));
        TV a = O.Abs(x);
        TV small = O.LessThanOrEqual(a, O.C(SmallLimit));
        TV u = O.Mul(x, O.C(E.InvSqrt2));
        cdfSmall = O.Fma(O.Mul(u, O.C(0.5)), E.ErfOverU<TV, O, P>(O.Mul(hi, O.C(0.5))), O.C(0.5));
        if (!O.Any(O.GreaterThan(a, O.C(SmallLimit))))
        {
            lowerScaled = O.C(0);
            return small;
        }
        // Φ(−|x|) = ½·erfc(|x|/√2) = ½·e^{−x²/2}·erfcx(|x|/√2)
        TV ua = O.Select(small, O.C(0.75), O.Mul(a, O.C(E.InvSqrt2)));
        lowerScaled = O.Mul(O.Mul(gauss, O.C(0.5)), E.ErfcxTail<TV, O, P>(ua));
        return small;
    }
}

/// <summary>gelu and gelu′ in float lanes, from one tail factor. With a = |x| ≤ 15, E = e^{−a²/2} and
/// G(a) = Φ(−a)·e^{a²/2}: for |x| ≥ 0.5, T = a·G(a)·E = a·Φ(−a) gives gelu(−a) = −T and gelu(a) = a − T (below 0.5,
/// x·(½ + x·P(x²)) has no cancellation); gelu′(−a) = E·K(a) and gelu′(a) = 1 − E·K(a) with
/// K(a) = G(a) − a/√(2π) = (a0 − a)·L(a), so the zero of gelu′ at −a0 is a factor instead of a cancelling sum.
/// a·G(a), L(a) and (beyond a = 2) 1/√(2π) − G(a)/a are polynomials with float coefficients in two pieces
/// (<see cref="GeluTailPieces"/>, <see cref="GeluSlopeTailPieces"/>)
/// whose near arguments a − c are exact. E = 2^k·(1 + q) takes a² as an exact hi + lo and the factor p in
/// fma(p, q, p) (one rounding for p·E), and lanes past a = 10 are scaled by 2^64 so that a subnormal result is
/// rounded once. Measured worst errors are in docs/ACCURACY.md.</summary>
internal static class GaussianSingleLanes
{
    private const double Deep = 10;   // past it, e^{−a²/2} is taken scaled (E.ExpParts)

    /// <summary>The tail factor for a = |x| ≤ 15: the near polynomial below 2, the far one from 2 on, each computed
    /// only when a lane needs it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Pieces<TV, O, TP>(TV a) where TV : struct where O : ISimd<TV> where TP : struct, ITailPieces
    {
        TV far = O.LessThanOrEqual(O.C(2), a);
        if (!O.Any(far))
        {
            return TP.Near<TV, O>(a);
        }
        TV p = TP.Far<TV, O>(a);
        TV near = O.LessThan(a, O.C(2));
        return O.Any(near) ? O.Select(far, p, TP.Near<TV, O>(a)) : p;
    }

    /// <summary>p·E, scaled by 2^64 where a &gt; 10 (<paramref name="unscale"/> = 2^−64 there, else 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tail<TV, O, P>(TV a, TV p, out TV unscale) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV sq = O.Mul(a, a);
        TV sqLo = O.Fma(a, a, O.Neg(sq));
        TV q = E.ExpParts<TV, O, P>(O.Mul(sq, O.C(-0.5)), O.Mul(sqLo, O.C(-0.5)), O.GreaterThan(a, O.C(Deep)), out TV pow2, out unscale);
        return O.Mul(O.Fma(p, q, p), pow2);
    }
}

/// <summary>A tail factor of <see cref="GaussianSingleLanes"/> in its two pieces (a &lt; 2, a ≥ 2).</summary>
internal interface ITailPieces
{
    static abstract TV Near<TV, O>(TV a) where TV : struct where O : ISimd<TV>;
    static abstract TV Far<TV, O>(TV a) where TV : struct where O : ISimd<TV>;
}

/// <summary>gelu's H(a) = a·G(a): near in a − 1, far in (a − 2.75)/(a + 2.75).</summary>
internal readonly struct GeluTailPieces : ITailPieces
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Near<TV, O>(TV a) where TV : struct where O : ISimd<TV>
        => Polynomials.GeluTailNearSingleLanes<TV, O>(O.Sub(a, O.C(Polynomials.GeluNear)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Far<TV, O>(TV a) where TV : struct where O : ISimd<TV>
        => Polynomials.GeluTailFarSingleLanes<TV, O>(O.Div(O.Sub(a, O.C(Polynomials.GeluW)), O.Add(a, O.C(Polynomials.GeluW))));
}

/// <summary>gelu′'s L(a) near in a − 0.765625 and J(a) far in 1/a.</summary>
internal readonly struct GeluSlopeTailPieces : ITailPieces
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Near<TV, O>(TV a) where TV : struct where O : ISimd<TV>
        => Polynomials.GeluSlopeTailNearSingleLanes<TV, O>(O.Sub(a, O.C(Polynomials.GeluSlopeNear)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Far<TV, O>(TV a) where TV : struct where O : ISimd<TV>
        => Polynomials.GeluSlopeTailFarSingleLanes<TV, O>(O.Div(O.C(1), a));
}

/// <summary>gelu (erf): <c>x·Φ(x)</c>; gelu(−∞) = −0. Float lanes: see <see cref="GaussianSingleLanes"/>.</summary>
internal readonly struct GeluFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        if (!O.IsDouble)
        {
            // |x| ≥ 0.5: T = H(a)·e^{−a²/2} = a·Φ(−a), gelu = −T below 0 and x − T above; |x| < 0.5: x·(½ + x·P(x²)).
            TV ac = O.Abs(Lanes.ClampMagnitude<TV, O>(x, 15));
            TV h = GaussianSingleLanes.Pieces<TV, O, GeluTailPieces>(ac);
            TV tail = O.Mul(GaussianSingleLanes.Tail<TV, O, P>(ac, h, out TV unscale), unscale);
            TV result = O.Select(O.LessThan(x, O.C(0)), O.Neg(tail), O.Sub(x, tail));
            TV central = O.LessThan(ac, O.C(0.5));
            if (O.Any(central))
            {
                TV cdf = O.Fma(x, Polynomials.GeluSmallSingleLanes<TV, O>(O.Mul(x, x)), O.C(0.5));
                result = O.Select(central, O.Mul(x, cdf), result);
            }
            return result;
        }
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 40);
        TV small = Gaussian.Parts<TV, O, P>(xc, out TV cdfSmall, out TV lowerScaled, out _);
        TV negative = E.Unscale<TV, O, P>(O.Mul(xc, lowerScaled));
        TV positive = O.Mul(x, O.Sub(O.C(1), E.Unscale<TV, O, P>(lowerScaled)));
        TV y = O.Select(small, O.Mul(x, cdfSmall), O.Select(O.LessThan(x, O.C(0)), negative, positive));
        return Lanes.NegativeInfinityToNegativeZero<TV, O>(x, y);
    }
}

/// <summary>gelu (erf) backward: <c>g·(Φ(x) + x·φ(x))</c>. Double lanes at full internal precision (the sum cancels
/// near its zero at x ≈ −0.7518, replaced there by its expansion); float lanes: see <see cref="GaussianSingleLanes"/>.</summary>
internal readonly struct GeluBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        if (!O.IsDouble)
        {
            // a < 2: p = L(a), factor a0 − a (as hi + lo); beyond: p = J(a), factor −a. tail = E·K(a).
            TV ac = O.Abs(Lanes.ClampMagnitude<TV, O>(x, 15));
            TV far = O.LessThanOrEqual(O.C(2), ac);
            TV p = GaussianSingleLanes.Pieces<TV, O, GeluSlopeTailPieces>(ac);
            // the factor a0 − a as (a0hi − a) + a0lo, exact but for the one rounding of the fused multiply-add
            TV mp = GaussianSingleLanes.Tail<TV, O, P>(ac, p, out TV unscale);
            TV factorLo = O.Select(far, O.C(0), O.C(Polynomials.GeluA0LoF));
            TV tail = O.Fma(O.Select(far, O.Neg(ac), O.Sub(O.C(Polynomials.GeluA0HiF), ac)), mp, O.Mul(factorLo, mp));
            TV result = O.Select(O.LessThan(x, O.C(0)), O.Mul(O.Mul(g, tail), unscale), O.Mul(g, O.Fma(O.Neg(tail), unscale, O.C(1))));
            // |x| < 0.25: ½ + x·Q(x²) directly (no cancellation, and no product of several rounded factors). Vectors
            // of 8 or 16 lanes compute it always: a branch on "any lane central" goes each way often enough for
            // activations in [−4, 4] that its mispredictions cost more than the polynomial (1-thread gelu′ +12–16%).
            // 4 lanes and scalars keep the branch: there it is mostly not taken, and on the 128-bit x64 leg the fused
            // multiply-adds are emulated in software, so computing always was 10% slower (docs/PERFORMANCE.md).
            TV central = O.LessThan(ac, O.C(0.25));
            if (Unsafe.SizeOf<TV>() >= 32 || O.Any(central))
            {
                result = O.Select(central, O.Mul(g, O.Fma(x, Polynomials.GeluSlopeSmallSingleLanes<TV, O>(O.Mul(x, x)), O.C(0.5))), result);
            }
            return result;
        }
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 40);
        TV small = Gaussian.Parts<TV, O, FullPrecision>(xc, out TV cdfSmall, out TV lowerScaled, out TV densityScaled);
        TV density = E.Unscale<TV, O, FullPrecision>(densityScaled);
        TV negative = E.Unscale<TV, O, FullPrecision>(O.Fma(xc, densityScaled, lowerScaled));
        TV positive = O.Fma(xc, density, O.Sub(O.C(1), E.Unscale<TV, O, FullPrecision>(lowerScaled)));
        TV d = O.Select(small, O.Fma(xc, density, cdfSmall), O.Select(O.LessThan(x, O.C(0)), negative, positive));
        d = Lanes.NearRoot<TV, O, P, GeluRoot>(x, d);
        return O.Mul(g, d);
    }
}

/// <summary>The argument 2z = 2·√(2/π)·(x + 0.044715·x³) of gelu (tanh), as hi + lo: at full precision the
/// products are compensated, so e^{−|2z|} keeps its relative accuracy in the tail (gelu_tanh(−10) ≈ 1e−37).</summary>
internal static class GeluTanhArgument
{
    private const double Kappa = 0.044715, KappaLo = 2.1960211427085595e-18;
    private const double TwoBeta = 1.5957691216057308, TwoBetaLo = -9.96930880911092e-17;   // 2·√(2/π)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Compute<TV, O, P>(TV x, out TV lo) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV x2 = O.Mul(x, x);
        if (!P.Full)
        {
            lo = O.C(0);
            return O.Mul(O.Mul(O.C(TwoBeta), x), O.Fma(O.C(Kappa), x2, O.C(1)));
        }
        TV x2l = O.Fma(x, x, O.Neg(x2));
        TV ah = O.Mul(O.C(Kappa), x2);
        TV al = O.Add(O.Fma(O.C(Kappa), x2, O.Neg(ah)), O.Fma(O.C(Kappa), x2l, O.Mul(O.C(KappaLo), x2)));
        TV bh = O.Add(O.C(1), ah);                                   // two-sum 1 + ah
        TV bv = O.Sub(bh, ah);
        TV bl = O.Add(O.Add(O.Sub(O.C(1), bv), O.Sub(ah, O.Sub(bh, bv))), al);
        TV ph = O.Mul(x, bh);
        TV pl = O.Fma(x, bl, O.Fma(x, bh, O.Neg(ph)));
        TV zh = O.Mul(O.C(TwoBeta), ph);
        lo = O.Add(O.Fma(O.C(TwoBeta), ph, O.Neg(zh)), O.Fma(O.C(TwoBeta), pl, O.Mul(O.C(TwoBetaLo), ph)));
        return zh;
    }

    /// <summary>e^{−|z|}·2^S for z = hi + lo (see <see cref="E.ExpTail{TV, O, P}(TV, TV)"/>), and e^{−|z|} in <paramref name="e"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpNegAbsScaled<TV, O, P>(TV hi, TV lo, out TV e) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV negative = O.LessThan(hi, O.C(0));
        TV scaled = E.ExpTail<TV, O, P>(O.Select(negative, hi, O.Neg(hi)), O.Select(negative, lo, O.Neg(lo)));
        e = E.Unscale<TV, O, P>(scaled);
        return scaled;
    }
}

/// <summary>gelu (tanh): <c>½x(1 + tanh(z)) = x·σ(2z)</c>, z = √(2/π)(x + 0.044715x³).</summary>
internal readonly struct GeluTanhFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 1e10);
        TV z = GeluTanhArgument.Compute<TV, O, P>(xc, out TV lo);
        TV es = GeluTanhArgument.ExpNegAbsScaled<TV, O, P>(z, lo, out TV e);
        TV d = O.Add(O.C(1), e);
        TV negative = E.Unscale<TV, O, P>(O.Div(O.Mul(x, es), d));
        TV y = O.Select(O.LessThan(x, O.C(0)), negative, O.Div(x, d));
        return Lanes.NegativeInfinityToNegativeZero<TV, O>(x, y);
    }
}

/// <summary>gelu (tanh) backward: <c>g·(σ(2z) + 2x·σ(2z)(1 − σ(2z))·√(2/π)(1 + 3·0.044715x²))</c>, at full
/// internal precision (the sum cancels near its zero).</summary>
internal readonly struct GeluTanhBackwardFunction : IBinaryFunction
{
    private const double Beta = 0.7978845608028654, ThreeKappaBeta = 0.10703222440890037;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 1e10);
        TV z = GeluTanhArgument.Compute<TV, O, FullPrecision>(xc, out TV lo);
        TV es = GeluTanhArgument.ExpNegAbsScaled<TV, O, FullPrecision>(z, lo, out TV e);
        TV den = O.Add(O.C(1), e);
        TV inner = O.Fma(O.C(ThreeKappaBeta), O.Mul(xc, xc), O.C(Beta));
        TV twoXInner = O.Mul(O.Add(xc, xc), inner);
        // z < 0: σ = e/d, σ(1−σ) = e/d² — both scaled; z ≥ 0: σ = 1/d, σ(1−σ) = e/d²
        TV slopeScaled = O.Div(es, O.Mul(den, den));
        TV negative = E.Unscale<TV, O, FullPrecision>(O.Fma(twoXInner, slopeScaled, O.Div(es, den)));
        TV second = O.Mul(twoXInner, E.Unscale<TV, O, FullPrecision>(slopeScaled));
        second = O.Select(O.Equal(e, O.C(0)), O.C(0), second);
        TV positive = O.Add(O.Div(O.C(1), den), second);
        TV d = O.Select(O.LessThan(z, O.C(0)), negative, positive);
        d = Lanes.NearRoot<TV, O, P, GeluTanhRoot>(x, d);
        return O.Mul(g, d);
    }
}

/// <summary>silu: <c>x·σ(x)</c> = x/(1 + e^{−x}) with the denominator rounded once; x·e^x in the far tail;
/// silu(−∞) = −0.</summary>
internal readonly struct SiluFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV d = E.LogisticDenominator<TV, O, P>(x, out TV tail, out TV tailScaled);
        TV y = O.Select(tail, E.Unscale<TV, O, P>(O.Mul(x, tailScaled)), O.Div(x, d));
        return Lanes.NegativeInfinityToNegativeZero<TV, O>(x, y);
    }
}

/// <summary>silu backward: <c>g·σ(x)·(1 + x·(1 − σ(x)))</c>, σ and 1 − σ from e^{−|x|}, at full internal
/// precision (the bracket cancels near x ≈ −1.2785).</summary>
internal readonly struct SiluBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        if (!O.IsDouble)
        {
            return SingleLanes<TV, O, P>(x, g);
        }
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 1e300);
        TV es = E.ExpNegAbsScaled<TV, O, FullPrecision>(x, out TV e);
        TV c = O.Div(O.C(1), O.Add(O.C(1), e));   // 1/(1 + e)
        // x < 0: σ = e·c, 1 − σ = c; x ≥ 0: σ = c, 1 − σ = e·c
        TV negative = E.Unscale<TV, O, FullPrecision>(O.Mul(O.Mul(es, c), O.Fma(xc, c, O.C(1))));
        TV positive = O.Mul(c, O.Fma(xc, O.Mul(e, c), O.C(1)));
        TV d = O.Select(O.LessThan(x, O.C(0)), negative, positive);
        d = Lanes.NearRoot<TV, O, P, SiluRoot>(x, d);
        return O.Mul(g, d);
    }

    /// <summary>Float lanes: silu′ = N/s² with e = e^{−|x|} = 2^k·(1 + q), s = 1 + e carried exactly as s + sl,
    /// s² rounded once from its exact parts, and N = e·(1 + e + x) below 0 (1 + e + x from a two-sum, rounded once;
    /// e·N as 2^k·fma(q, N, N), one rounding) and 1 + e + x·e above; one division. Around the zero at −1.2785 the
    /// float window of <see cref="Lanes.NearRoot"/> (<see cref="SiluRootSingleLanes"/>); past −60, e·2^64 and one rounding at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SingleLanes<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 1e30);
        TV arg = O.Max(O.C(-120), O.Neg(O.Abs(xc)));   // below, silu′ rounds to 0 anyway
        TV q = E.ExpParts<TV, O, P>(arg, O.C(0), O.LessThan(arg, O.C(-60)), out TV pow2, out TV unscale);
        TV e = O.Mul(O.Fma(pow2, q, pow2), unscale);
        TV s = O.Add(O.C(1), e);
        TV sl = O.Sub(e, O.Sub(s, O.C(1)));   // exact: 1 ≥ e
        TV sq = O.Mul(s, s);
        TV s2 = O.Add(sq, O.Fma(O.Add(s, s), sl, O.Fma(s, s, O.Neg(sq))));
        TV xn = O.Max(O.C(-120), xc);         // with e limited to e^−120, so is x in e·(1 + e + x)
        TV t = O.Add(s, xn);                  // two-sum s + x
        TV bv = O.Sub(t, s);
        TV tl = O.Add(O.Sub(s, O.Sub(t, bv)), O.Sub(xn, bv));
        TV n = O.Add(t, O.Add(tl, sl));
        TV negative = O.LessThan(x, O.C(0));
        TV num = O.Select(negative, O.Mul(O.Fma(q, n, n), pow2), O.Add(s, O.Fma(xc, e, sl)));
        TV d = Lanes.NearRoot<TV, O, FullPrecision, SiluRootSingleLanes>(x, O.Div(num, s2));
        return O.Select(negative, O.Mul(O.Mul(g, d), unscale), O.Mul(g, d));
    }
}

/// <summary>mish: <c>x·tanh(softplus(x))</c> with tanh(log(1 + eˣ)) written as a ratio of polynomials in
/// e = e^{−|x|}: x ≥ 0: (1 + 2e)/(1 + 2e + 2e²); x &lt; 0: e(e + 2)/(e(e + 2) + 2).</summary>
internal static class MishParts
{
    /// <summary>The numerator (scaled by 2^S where x &lt; 0) and the denominator of tanh(softplus(x)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Numerator<TV, O>(TV x, TV e, TV es, TV positive, out TV denominator) where TV : struct where O : ISimd<TV>
    {
        TV twoE = O.Add(e, e);
        TV ePlus2 = O.Add(e, O.C(2));
        denominator = O.Select(positive, O.Fma(twoE, e, O.Add(O.C(1), twoE)), O.Fma(e, ePlus2, O.C(2)));
        return O.Select(positive, O.Add(O.C(1), twoE), O.Mul(es, ePlus2));
    }
}

/// <summary>mish forward; mish(−∞) = −0.</summary>
internal readonly struct MishFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV es = E.ExpNegAbsScaled<TV, O, P>(x, out TV e);
        TV positive = O.LessThanOrEqual(O.C(0), x);
        TV numerator = MishParts.Numerator<TV, O>(x, e, es, positive, out TV den);
        TV y = O.Div(O.Mul(x, numerator), den);
        y = O.Select(positive, y, E.Unscale<TV, O, P>(y));
        return Lanes.NegativeInfinityToNegativeZero<TV, O>(x, y);
    }
}

/// <summary>mish backward: <c>g·(tanh(sp) + x·σ(x)·(1 − tanh²(sp)))</c>, where σ(1 − tanh²(sp)) =
/// 4·A·(1 + e)/den² (A = e² for x ≥ 0, e below) has no cancellation; at full internal precision (the sum
/// cancels near x ≈ −1.1924).</summary>
internal readonly struct MishBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 1e300);
        TV es = E.ExpNegAbsScaled<TV, O, FullPrecision>(x, out TV e);
        TV positive = O.LessThanOrEqual(O.C(0), x);
        TV numerator = MishParts.Numerator<TV, O>(x, e, es, positive, out TV den);
        TV a = O.Select(positive, O.Mul(e, e), es);
        TV slope = O.Div(O.Mul(O.Mul(O.C(4), a), O.Add(O.C(1), e)), O.Mul(den, den));
        TV d = O.Fma(xc, slope, O.Div(numerator, den));
        d = O.Select(positive, d, E.Unscale<TV, O, FullPrecision>(d));
        d = Lanes.NearRoot<TV, O, P, MishRoot>(x, d);
        return O.Mul(g, d);
    }
}

/// <summary>t = β·x carried as hi + lo (exact product) and e^{−|t|} from it.</summary>
internal static class SoftplusArgument
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpNegAbs<TV, O, P>(TV x, double beta, out TV t, out TV tl, out TV negative) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        if (beta == 1)
        {
            // PyTorch's default: t = x exactly, tl = 0 (the same bits as the general form, without its products)
            t = x;
            tl = O.C(0);
            negative = O.LessThan(x, O.C(0));
            return E.Exp<TV, O, P>(O.Neg(O.Abs(x)), O.C(0));
        }
        TV b = O.C(beta);
        t = O.Mul(b, x);
        tl = O.Select(O.Equal(O.Abs(t), O.C(double.PositiveInfinity)), O.C(0), O.Fma(b, x, O.Neg(t)));
        negative = O.LessThan(t, O.C(0));
        return E.Exp<TV, O, P>(O.Select(negative, t, O.Neg(t)), O.Select(negative, tl, O.Neg(tl)));
    }
}

/// <summary>softplus: <c>β·x &gt; threshold ? x : (max(t, 0) + log1p(e^{−|t|}))/β</c>, t = β·x carried as hi + lo,
/// so the result is finite wherever the true value is, for any β.</summary>
internal readonly struct SoftplusFunction(double beta, double threshold) : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV e = SoftplusArgument.ExpNegAbs<TV, O, P>(x, beta, out TV t, out TV tl, out TV negative);
        TV l = E.Log1p<TV, O, P>(e);
        TV sp = O.Select(negative, l, O.Add(t, O.Add(tl, l)));
        TV y = beta == 1 ? sp : O.Div(sp, O.C(beta));
        return O.Select(O.GreaterThan(t, O.C(threshold)), x, y);
    }
}

/// <summary>softplus backward: <c>β·x &gt; threshold ? g : g·σ(β·x)</c>.</summary>
internal readonly struct SoftplusBackwardFunction(double beta, double threshold) : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV e = SoftplusArgument.ExpNegAbs<TV, O, P>(x, beta, out TV t, out _, out _);
        TV s = E.SigmoidFrom<TV, O>(t, e);
        return O.Select(O.GreaterThan(t, O.C(threshold)), g, O.Mul(g, s));
    }
}

/// <summary>hardswish: <c>x·min(max(x + 3, 0), 6)/6</c>; 0 (−0 for negative x) at and below −3, −∞ included.</summary>
internal readonly struct HardswishFunction : IUnaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV t = O.Add(x, O.C(3));
        t = O.Select(O.GreaterThan(t, O.C(6)), O.C(6), t);
        TV y = O.Select(O.LessThan(x, O.C(3)), O.Div(O.Mul(x, t), O.C(6)), x);
        return O.Select(O.LessThanOrEqual(x, O.C(-3)), O.C(-0.0), y);
    }
}

/// <summary>hardswish backward: <c>x ≤ −3 ? 0 : x &lt; 3 ? g·(x + 1.5)/3 : g</c> ((x + 1.5) is exact near the
/// zero of the slope at −1.5, where x/3 + 0.5 would cancel); NaN → NaN.</summary>
internal readonly struct HardswishBackwardFunction : IBinaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV middle = O.Mul(g, O.Div(O.Add(x, O.C(1.5)), O.C(3)));
        TV result = O.Select(O.LessThan(x, O.C(3)), middle, g);
        result = O.Select(O.LessThanOrEqual(x, O.C(-3)), O.C(0), result);
        return O.Select(O.IsNaN(x), x, result);
    }
}

/// <summary>hardsigmoid: <c>min(max(x + 3, 0), 6)/6</c>.</summary>
internal readonly struct HardsigmoidFunction : IUnaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV t = O.Add(x, O.C(3));
        t = O.Select(O.LessThan(t, O.C(0)), O.C(0), t);
        t = O.Select(O.GreaterThan(t, O.C(6)), O.C(6), t);
        return O.Div(t, O.C(6));
    }
}

/// <summary>hardsigmoid backward: <c>−3 &lt; x &lt; 3 ? g/6 : 0</c>; NaN → NaN.</summary>
internal readonly struct HardsigmoidBackwardFunction : IBinaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV inside = O.And(O.LessThan(O.C(-3), x), O.LessThan(x, O.C(3)));
        TV result = O.Select(inside, O.Div(g, O.C(6)), O.C(0));
        return O.Select(O.IsNaN(x), x, result);
    }
}

/// <summary>sigmoid: σ(x) from e^{−|x|}.</summary>
internal readonly struct SigmoidFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
        => E.Sigmoid<TV, O, P>(x);
}

/// <summary>sigmoid backward from x: <c>g·σ(x)σ(−x)</c> = g/((1 + e^{|x|})(1 + e^{−|x|})).</summary>
internal readonly struct SigmoidBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
        => O.Mul(g, E.LogisticSlope<TV, O, P>(O.Abs(x)));
}

/// <summary>sigmoid backward from the output y (PyTorch's form): <c>g·(1 − y)·y</c>.</summary>
internal readonly struct SigmoidBackwardFromOutputFunction : IBinaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV y, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
        => O.Mul(g, O.Mul(O.Sub(O.C(1), y), y));
}

/// <summary>tanh, sign of ±0 kept.</summary>
internal readonly struct TanhFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
        => E.Tanh<TV, O, P>(x);
}

/// <summary>tanh backward from x: <c>g·4e/(1 + e)²</c>, e = e^{−2|x|}: positive while representable.</summary>
internal readonly struct TanhBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV a = O.Abs(x);
        return O.Mul(g, O.Mul(O.C(4), E.LogisticSlope<TV, O, P>(O.Add(a, a))));
    }
}

/// <summary>tanh backward from the output y (PyTorch's form): <c>g·(1 − y)(1 + y)</c>.</summary>
internal readonly struct TanhBackwardFromOutputFunction : IBinaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV y, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
        => O.Mul(g, O.Mul(O.Sub(O.C(1), y), O.Add(O.C(1), y)));
}

/// <summary>softsign: <c>x/(1 + |x|)</c>, |x| limited to 1e30 (beyond, the result rounds to ±1 in both types), so
/// softsign(±∞) = ±1 instead of ∞/∞.</summary>
internal readonly struct SoftsignFunction : IUnaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV xc = Lanes.ClampMagnitude<TV, O>(x, 1e30);
        return O.Div(xc, O.Add(O.C(1), O.Abs(xc)));
    }
}

/// <summary>softsign backward: <c>g/(1 + |x|)²</c> as (g/d)/d, so no square overflows or underflows before the end
/// (the slope at ±∞ is 0).</summary>
internal readonly struct SoftsignBackwardFunction : IBinaryFunction
{
    public static bool Light => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV d = O.Add(O.C(1), O.Abs(x));
        return O.Div(O.Div(g, d), d);
    }
}

/// <summary>tanhshrink: <c>x − tanh(x)</c>, odd, computed on a = |x|. For a ≤ 1.5 the difference is taken from
/// Lambert's continued fraction tanh a = a/(1 + a²/K), K = 3 + a²/(5 + a²/(7 + …)), which gives
/// a − tanh a = a³/(a² + K) = a³·B(s)/D(s) with s = a² and B, D the convergent's polynomials: positive integer
/// coefficients, so nothing cancels (the direct difference loses every digit near 0). Beyond 1.5,
/// a − tanh a = (a − 1) + 2/(1 + e^{2a}) = ((a − 1)·d + 2)/d, all terms positive; both ranges share one division,
/// and past 20 the result is a − 1.</summary>
internal readonly struct TanhshrinkFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV a = O.Abs(x);
        TV s = O.Mul(a, a);
        TV cube = O.Fma(a, s, O.Mul(a, O.Fma(a, a, O.Neg(s))));   // a³ rounded once (s split exactly)
        TV b, d;
        if (P.Full)
        {
            // ten levels: truncation below 1e−18 relative on a ≤ 1.5
            b = O.Fma(O.Fma(O.Fma(O.Fma(O.C(65), s, O.C(42900)), s, O.C(6891885)), s, O.C(349188840)), s, O.C(4583103525));
            d = O.Fma(O.Fma(O.Fma(O.Fma(O.Fma(O.C(66), s, O.C(45045)), s, O.C(7567560)), s, O.C(413513100)), s, O.C(6547290750)), s, O.C(13749310575));
        }
        else
        {
            // six levels: below 6e−10 relative, far under half a float ULP
            b = O.Fma(O.Fma(O.C(27), s, O.C(2772)), s, O.C(45045));
            d = O.Fma(O.Fma(O.Fma(O.C(28), s, O.C(3150)), s, O.C(62370)), s, O.C(135135));
        }
        TV small = O.LessThanOrEqual(a, O.C(1.5));
        TV e = E.OnePlusExp<TV, O, P>(O.Min(O.C(40), O.Add(a, a)));   // 1 + e^{2a}
        TV am1 = O.Sub(a, O.C(1));
        TV q = O.Div(O.Select(small, O.Mul(cube, b), O.Fma(am1, e, O.C(2))), O.Select(small, d, e));
        TV y = O.Select(O.GreaterThan(a, O.C(20)), am1, q);   // NaN passes (every comparison is false)
        return O.Xor(y, O.And(x, O.C(-0.0)));
    }
}

/// <summary>tanhshrink backward: <c>g·tanh²(x)</c> as (g·t)·t.</summary>
internal readonly struct TanhshrinkBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV t = E.Tanh<TV, O, P>(x);
        return O.Mul(O.Mul(g, t), t);
    }
}

/// <summary>logsigmoid: <c>min(x, 0) − log1p(e^{−|x|})</c> = −softplus(−x): −log1p(e) for x ≥ 0, x − log1p(e) below
/// (a sum of two negative terms); logsigmoid(+∞) = −0, logsigmoid(−∞) = −∞.</summary>
internal readonly struct LogSigmoidFunction : IUnaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV l = E.Log1p<TV, O, P>(E.Exp<TV, O, P>(O.Neg(O.Abs(x))));
        return O.Select(O.LessThan(x, O.C(0)), O.Sub(x, l), O.Neg(l));
    }
}

/// <summary>logsigmoid backward: <c>g·σ(−x)</c>, σ(−x) from e^{−|x|} (1 at −∞, 0 at +∞).</summary>
internal readonly struct LogSigmoidBackwardFunction : IBinaryFunction
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV, O, P>(TV x, TV g) where TV : struct where O : ISimd<TV> where P : IPrecision
    {
        TV e = E.Exp<TV, O, P>(O.Neg(O.Abs(x)));
        return O.Mul(g, E.SigmoidFrom<TV, O>(O.Neg(x), e));
    }
}
