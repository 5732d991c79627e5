#!/usr/bin/env python3
"""Fits the polynomials used by src/Rectifier/Math and writes Math/Polynomials.g.cs.

Each polynomial is a Chebyshev fit (mpmath.chebyfit, near-minimax) of a smooth function on a fixed interval,
computed at 60 significant digits. Two sets are produced: "Full" for double results (relative fit error well
below 2^-53) and "Single" for float results (relative fit error below 2^-33, far under half a float ULP).
The script prints the measured maximum relative fit error of every polynomial; docs/ACCURACY.md quotes them.

Run: python3 scripts/fit_coefficients.py   (Debian: apt-get install python3-mpmath)
"""
import os
import struct
import mpmath as mp

mp.mp.dps = 60
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "Rectifier", "Math", "Polynomials.g.cs")

LN2_HALF = mp.log(2) / 2


def expq(r):
    # (e^r - 1 - r) / r^2, smooth through r = 0
    if abs(r) < mp.mpf("1e-20"):
        return mp.mpf(1) / 2 + r / 6
    return (mp.expm1(r) - r) / (r * r)


def erf_over_u(z):
    # erf(u)/u as a function of z = u^2
    if z == 0:
        return 2 / mp.sqrt(mp.pi)
    u = mp.sqrt(z)
    return mp.erf(u) / u


def tanh_over_u(z):
    # tanh(u)/u as a function of z = u^2
    if z == 0:
        return mp.mpf(1)
    u = mp.sqrt(z)
    return mp.tanh(u) / u


def erfcx(u):
    return mp.erfc(u) * mp.exp(u * u)


def erfcx_near(w):
    # erfcx on u in [0.75, 2.5], centred: u = w + 1.625
    return erfcx(w + mp.mpf("1.625"))


def erfcx_far(v):
    # sqrt(pi) * u * erfcx(u) as a function of v = 1/u, u >= 2.5 (limit 1 at v = 0)
    if v == 0:
        return mp.mpf(1)
    u = 1 / v
    return mp.sqrt(mp.pi) * u * erfcx(u)


def gelu_g(a):
    # G(a) = Φ(−a)·e^{a²/2}: gelu(−a) = −a·G(a)·e^{−a²/2}
    return erfcx(a / mp.sqrt(2)) / 2


GELU_A0 = -mp.findroot(lambda x: mp.ncdf(x) + x * mp.npdf(x), mp.mpf(-0.75))   # gelu′(−a0) = 0
GELU_W = mp.mpf("2.75")   # the far variable of gelu forward: w = (a − 2.75)/(a + 2.75)
GELU_NEAR = mp.mpf(1)     # gelu forward near piece: t = a − 1
GELU_SLOPE_NEAR = mp.mpf("0.765625")   # gelu′ near piece: t = a − 0.765625


def gelu_h(a):
    return a * gelu_g(a)


def gelu_small(z):
    # (Φ(x) − ½)/x as a function of z = x², |x| < 0.5: gelu(x) = x·(½ + x·P(x²))
    if z == 0:
        return 1 / mp.sqrt(2 * mp.pi)
    x = mp.sqrt(z)
    return (mp.ncdf(x) - mp.mpf(1) / 2) / x


# Float lanes (gelu and gelu′ in float arithmetic): the tail factor of the Gaussian, a = |x| ≤ 15, in two pieces
# whose coefficients are chosen per lane. The near arguments t = a − c are exact where it matters, the far ones are
# quotients (rounded) of flat functions, which they move by far less than an ULP. Each centre is chosen so that the
# value there (the constant coefficient) lies within a few hundredths of an ULP of a float.
#   gelu, |x| ≥ 0.5:  a < 2: H(a) = a·G(a) in t = a − 1;    a ≥ 2: H(a) in w = (a − 2.75)/(a + 2.75)
#     gelu(−a) = −H·e^{−a²/2}, gelu(a) = a − H·e^{−a²/2}; |x| < 0.5: x·(½ + x·P(x²)) (GeluSmallSingleLanes)
#   gelu′:  a < 2: L(a) = (G(a) − a/√(2π))/(a0 − a) in t = a − 0.765625;   a ≥ 2: J(a) = 1/√(2π) − G(a)/a in v = 1/a
#     gelu′(x) = e^{−x²/2}·(G(a) − a/√(2π)) for x < 0: the zero a0 is a factor, not a cancelling sum
FLOAT_PIECEWISE = [
    ("GeluTail", mp.mpf(2),
     (lambda t: gelu_h(t + GELU_NEAR), mp.mpf("0.5") - GELU_NEAR, 2 - GELU_NEAR, 11, "a·G(a) in t = a − 1 on 0.5 ≤ a &lt; 2"),
     (lambda w: gelu_h(GELU_W * (1 + w) / (1 - w)), (2 - GELU_W) / (2 + GELU_W),
      (15 - GELU_W) / (15 + GELU_W), 10, "a·G(a) in w = (a − 2.75)/(a + 2.75) on 2 ≤ a ≤ 15")),
    ("GeluSlopeTail", mp.mpf(2),
     (lambda t: (lambda a: (gelu_g(a) - a / mp.sqrt(2 * mp.pi)) / (GELU_A0 - a))(t + GELU_SLOPE_NEAR), -GELU_SLOPE_NEAR, 2 - GELU_SLOPE_NEAR, 10,
      "(G(a) − a/√(2π))/(a0 − a) in t = a − 0.765625 on a &lt; 2"),
     (lambda v: 1 / mp.sqrt(2 * mp.pi) - gelu_g(1 / v) * v, mp.mpf(1) / 15, mp.mpf("0.5"), 10,
      "1/√(2π) − G(a)/a in v = 1/a on 2 ≤ a ≤ 15")),
]

def gelu_slope_small(z):
    # (gelu′(x) − ½)/x as a function of z = x², |x| < 0.25: gelu′(x) = ½ + x·Q(x²)
    if z == 0:
        return 2 / mp.sqrt(2 * mp.pi)
    x = mp.sqrt(z)
    return (mp.ncdf(x) + x * mp.npdf(x) - mp.mpf(1) / 2) / x


# Single polynomials with float coefficients (float lanes).
SINGLE_LANE_FUNCTIONS = [
    ("GeluSmall", gelu_small, (mp.mpf(0), mp.mpf("0.25")), 6, "(Φ(x) − ½)/x in z = x² on |x| &lt; 0.5 (gelu in float lanes)"),
    ("GeluSlopeSmall", gelu_slope_small, (mp.mpf(0), mp.mpf("0.0625")), 5, "(gelu′(x) − ½)/x in z = x² on |x| &lt; 0.25 (gelu′ in float lanes)"),
]

FUNCTIONS = [
    # name, function, interval, coefficient counts (Full, Single), description
    ("ExpQ", expq, (-LN2_HALF * mp.mpf("1.0001"), LN2_HALF * mp.mpf("1.0001")), (12, 7),
     "(e^r - 1 - r)/r^2 on |r| ≤ ln2/2: exp(r) = 1 + r + r^2 Q(r), expm1(r) = r + r^2 Q(r)"),
    ("TanhSmall", tanh_over_u, (mp.mpf(0), mp.mpf("0.3025")), (12, 6),
     "tanh(u)/u in z = u^2 on |u| ≤ 0.55"),
    ("ErfSmall", erf_over_u, (mp.mpf(0), mp.mpf("0.5625")), (14, 7),
     "erf(u)/u in z = u^2 on u ≤ 0.75"),
    ("ErfcxNear", erfcx_near, (mp.mpf("-0.875"), mp.mpf("0.875")), (22, 12),
     "erfcx(u) = erfc(u) e^{u^2} in w = u - 1.625 on 0.75 ≤ u ≤ 2.5"),
    ("ErfcxFar", erfcx_far, (mp.mpf(0), mp.mpf("0.4")), (22, 11),
     "sqrt(pi) u erfcx(u) in v = 1/u on u ≥ 2.5"),
]


def sig(t):
    return 1 / (1 + mp.exp(-t))


GELU_K = mp.sqrt(2 / mp.pi)
KAPPA = mp.mpf("0.044715")

# Derivatives with a zero on the negative axis: around it, Φ + x·φ (and the like) cancel in any direct double
# evaluation (measured: up to 34 ULP), so double results on [a, b] come from f'(x) = (x − x0)·H(x − c), with x0
# known to 60 digits, c the interval's centre and H fitted on [a, b]. Each [a, b] covers the span where the direct sum
# measured above 4 ULP, and stays within a factor 2 of x0 so that x − x0 is exact (Sterbenz).
# silu′ in float lanes has its own, narrower window [a, b] with centre c (x − c exact by Sterbenz) and float
# coefficients: there the direct float sum is good to within a few ULP except where the error of e^x is amplified by
# the cancellation, and the window covers that span. (gelu′ in float lanes has its zero as a factor instead; the
# others run in double lanes for float data.)
DERIVATIVES = [
    ("Gelu", lambda x: mp.ncdf(x) + x * mp.npdf(x), -0.75, (-1.375, -0.4375), 20, None, 0),
    ("GeluTanh", lambda x: sig(2 * GELU_K * (x + KAPPA * x ** 3)) * (1 + 2 * x * sig(-2 * GELU_K * (x + KAPPA * x ** 3)) * GELU_K * (1 + 3 * KAPPA * x * x)), -0.75, (-1.4375, -0.4375), 22, None, 0),
    ("Silu", lambda x: sig(x) * (1 + x * sig(-x)), -1.28, (-2.0, -0.875), 22, (-1.6875, -0.875, -1.25), 9),
    ("Mish", lambda x: mp.tanh(mp.log1p(mp.exp(x))) + x * sig(x) * mp.sech(mp.log1p(mp.exp(x))) ** 2, -1.19, (-2.375, -0.625), 30, None, 0),
]


def to_float32(v):
    return mp.mpf(struct.unpack("f", struct.pack("f", float(v)))[0])


def float_fit(f, a, b, n):
    """A fit with float coefficients: the highest coefficient is fitted and rounded first, and the lower ones are
    refitted to what is left after each rounding, so that they absorb the rounding of those above them."""
    fixed = []
    for i in range(n):
        def residual(t, fixed=tuple(fixed)):
            return f(t) - sum(c * t ** (n - 1 - j) for j, c in enumerate(fixed))
        fixed.append(to_float32(mp.chebyfit(residual, [a, b], n - i)[0]))
    return fixed


def max_rel_error(f, poly, a, b, samples=2000):
    worst = mp.mpf(0)
    for i in range(samples + 1):
        t = a + (b - a) * i / samples
        exact = f(t)
        # evaluate the coefficients as the code will: rounded to double
        approx = mp.polyval([mp.mpf(float(c)) for c in poly], t)
        worst = max(worst, abs((approx - exact) / exact))
    return worst


def horner(name, coeffs, single=False):
    # coeffs: highest degree first (mpmath convention); float coefficients are written as the doubles they equal
    cs = [repr(float(to_float32(c) if single else c)) for c in coeffs]
    expr = f"O.C({cs[0]})"
    for c in cs[1:]:
        expr = f"O.Fma({expr}, t, O.C({c}))"
    return expr


def main():
    lines = [
        "// <auto-generated> by scripts/fit_coefficients.py: Chebyshev fits at 60 digits (mpmath). Do not edit. </auto-generated>",
        "using System.Runtime.CompilerServices;",
        "",
        "namespace Rectifier.Maths;",
        "",
        "/// <summary>Polynomial kernels of the elementary functions, evaluated by Horner's rule with fused multiply-adds.",
        "/// <c>Full</c> variants are for double results, <c>Single</c> variants for float results.</summary>",
        "internal static class Polynomials",
        "{",
    ]
    report = []
    for name, f, (a, b), counts, desc in FUNCTIONS:
        for variant, n in zip(("Full", "Single"), counts):
            poly = mp.chebyfit(f, [a, b], n)
            err = max_rel_error(f, poly, a, b)
            report.append(f"{name}{variant}: {n} coefficients on [{mp.nstr(a, 6)}, {mp.nstr(b, 6)}], max relative fit error {mp.nstr(err, 3)}")
            lines.append(f"    /// <summary>{desc}; {n} coefficients, max relative fit error {mp.nstr(err, 2)}.</summary>")
            lines.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
            lines.append(f"    public static TV {name}{variant}<TV, O>(TV t) where TV : struct where O : ISimd<TV>")
            lines.append(f"        => {horner(name, poly)};")
            lines.append("")
    # erfcx over both intervals: one Horner whose coefficients are chosen per lane (near: w = u - 1.625, far: v = 1/u)
    for variant, (nn, nf) in (("Full", (22, 22)), ("Single", (12, 11))):
        near = mp.chebyfit(erfcx_near, [mp.mpf("-0.875"), mp.mpf("0.875")], nn)
        far = mp.chebyfit(erfcx_far, [mp.mpf(0), mp.mpf("0.4")], nf)
        n = max(nn, nf)
        near = [mp.mpf(0)] * (n - nn) + list(near)
        far = [mp.mpf(0)] * (n - nf) + list(far)
        expr = f"O.Select(far, O.C({float(far[0])!r}), O.C({float(near[0])!r}))"
        for a, b in zip(near[1:], far[1:]):
            expr = f"O.Fma({expr}, t, O.Select(far, O.C({float(b)!r}), O.C({float(a)!r})))"
        lines.append(f"    /// <summary>ErfcxNear{variant} where <paramref name=\"far\"/> is clear, ErfcxFar{variant} where it is set, in one pass.</summary>")
        lines.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        lines.append(f"    public static TV Erfcx{variant}<TV, O>(TV t, TV far) where TV : struct where O : ISimd<TV>")
        lines.append(f"        => {expr};")
        lines.append("")
    for name, f, (a, b), n, desc in SINGLE_LANE_FUNCTIONS:
        poly = float_fit(f, a, b, n)
        err = max_rel_error(f, poly, a, b, 1000)
        report.append(f"{name}SingleLanes: {n} float coefficients on [{mp.nstr(a, 6)}, {mp.nstr(b, 6)}], max relative fit error {mp.nstr(err, 3)}")
        lines.append(f"    /// <summary>{desc}; {n} float coefficients, max relative fit error {mp.nstr(err, 2)}.</summary>")
        lines.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        lines.append(f"    public static TV {name}SingleLanes<TV, O>(TV t) where TV : struct where O : ISimd<TV>")
        lines.append(f"        => {horner(name, poly, single=True)};")
        lines.append("")
    for name, split, near, far, in FLOAT_PIECEWISE:
        polys = []
        for (f, a, b, n, desc) in (near, far):
            poly = float_fit(f, a, b, n)
            err = max_rel_error(f, poly, a, b, 1000)
            report.append(f"{name}SingleLanes {desc}: {n} float coefficients, max relative fit error {mp.nstr(err, 3)}")
            polys.append((poly, desc, err))
        for (poly, desc, err), piece in zip(polys, ("Near", "Far")):
            lines.append(f"    /// <summary>Float lanes, a = |x| split at {mp.nstr(split, 3)}, the {piece.lower()} piece: {desc}; {len(poly)} float coefficients,")
            lines.append(f"    /// max relative fit error {mp.nstr(err, 2)}.</summary>")
            lines.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
            lines.append(f"    public static TV {name}{piece}SingleLanes<TV, O>(TV t) where TV : struct where O : ISimd<TV>")
            lines.append(f"        => {horner(name, poly, single=True)};")
            lines.append("")
    a0hi = to_float32(GELU_A0)
    lines.append("    /// <summary>a0 = 0.7517915…, −a0 the zero of gelu′, as float hi + lo.</summary>")
    lines.append(f"    public const float GeluA0HiF = {float(a0hi)!r}f, GeluA0LoF = {float(to_float32(GELU_A0 - a0hi))!r}f;")
    lines.append("")
    lines.append("    /// <summary>The centres of the gelu float-lane pieces: far w = (a − GeluW)/(a + GeluW), near t = a − GeluNear, gelu′ near t = a − GeluSlopeNear.</summary>")
    lines.append(f"    public const float GeluW = {float(GELU_W)!r}f, GeluNear = {float(GELU_NEAR)!r}f, GeluSlopeNear = {float(GELU_SLOPE_NEAR)!r}f;")
    lines.append("")
    for name, deriv, guess, (lo_x, hi_x), count, single_window, count_f in DERIVATIVES:
        x0 = mp.findroot(deriv, mp.mpf(guess))
        hi = float(x0)
        lo = float(x0 - mp.mpf(hi))
        a, b = mp.mpf(lo_x), mp.mpf(hi_x)
        c = (a + b) / 2
        assert float(c) == c
        h = lambda t, deriv=deriv, x0=x0, c=c: mp.diff(deriv, x0) if c + t == x0 else deriv(c + t) / (c + t - x0)
        poly = mp.chebyfit(h, [a - c, b - c], count)
        err = max_rel_error(h, poly, a - c, b - c, 600)
        report.append(f"{name}SlopeNearRoot: root {mp.nstr(x0, 20)}, {count} coefficients on [{lo_x}, {hi_x}], max relative fit error {mp.nstr(err, 3)}")
        lines.append(f"    /// <summary>The zero of the {name.lower()} derivative, as hi + lo ({mp.nstr(x0, 25)}), and the interval [{lo_x}, {hi_x}] around it")
        lines.append(f"    /// served by <see cref=\"{name}SlopeNearRoot{{TV, O}}\"/> (centre {float(c)!r}).</summary>")
        lines.append(f"    public const double {name}RootHi = {hi!r}, {name}RootLo = {lo!r}, {name}RootFrom = {lo_x!r}, {name}RootTo = {hi_x!r}, {name}RootCentre = {float(c)!r};")
        lines.append("")
        lines.append(f"    /// <summary>{name.lower()}'(x)/(x − x0) in t = x − centre; {count} coefficients, max relative fit error {mp.nstr(err, 2)}.</summary>")
        lines.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        lines.append(f"    public static TV {name}SlopeNearRoot<TV, O>(TV t) where TV : struct where O : ISimd<TV>")
        lines.append(f"        => {horner(name, poly)};")
        lines.append("")
        if single_window is None:
            continue
        lo_f, hi_f, c_f = single_window
        a, b, c = mp.mpf(lo_f), mp.mpf(hi_f), mp.mpf(c_f)
        assert a >= c * 2 and b <= c / 2   # x − c exact on the window
        hf = lambda t, deriv=deriv, x0=x0, c=c: mp.diff(deriv, x0) if c + t == x0 else deriv(c + t) / (c + t - x0)
        polyf = float_fit(hf, a - c, b - c, count_f)
        errf = max_rel_error(hf, polyf, a - c, b - c, 600)
        hif = to_float32(x0)
        report.append(f"{name}SlopeNearRootSingleLanes: {count_f} float coefficients on [{lo_f}, {hi_f}], max relative fit error {mp.nstr(errf, 3)}")
        lines.append(f"    /// <summary>Float lanes: the zero of the {name.lower()} derivative as float hi + lo and the window [{lo_f}, {hi_f}] served by")
        lines.append(f"    /// <see cref=\"{name}SlopeNearRootSingleLanes{{TV, O}}\"/> (centre {c_f!r}).</summary>")
        lines.append(f"    public const float {name}RootHiF = {float(hif)!r}f, {name}RootLoF = {float(to_float32(x0 - hif))!r}f, {name}RootFromF = {lo_f!r}f, {name}RootToF = {hi_f!r}f, {name}RootCentreF = {c_f!r}f;")
        lines.append("")
        lines.append(f"    /// <summary>{name.lower()}'(x)/(x − x0) in t = x − centre on the float window; {count_f} float coefficients, max relative fit error {mp.nstr(errf, 2)}.</summary>")
        lines.append("    [MethodImpl(MethodImplOptions.AggressiveInlining)]")
        lines.append(f"    public static TV {name}SlopeNearRootSingleLanes<TV, O>(TV t) where TV : struct where O : ISimd<TV>")
        lines.append(f"        => {horner(name, polyf, single=True)};")
        lines.append("")
    lines[-1:] = ["}", ""]
    lines += [
        "/// <summary>A zero of a derivative with the expansion that replaces the direct sum around it.</summary>",
        "internal interface IDerivativeRoot",
        "{",
        "    static abstract double Hi { get; }",
        "    static abstract double Lo { get; }",
        "    static abstract double From { get; }",
        "    static abstract double To { get; }",
        "    static abstract double Centre { get; }",
        "    static abstract TV Slope<TV, O>(TV t) where TV : struct where O : ISimd<TV>;",
        "}",
        "",
    ]
    for name, _, _, _, _, single_window, _ in DERIVATIVES:
        lines += [
            f"/// <summary>The zero of the {name.lower()} derivative and its expansion.</summary>",
            f"internal readonly struct {name}Root : IDerivativeRoot",
            "{",
            f"    public static double Hi => Polynomials.{name}RootHi;",
            f"    public static double Lo => Polynomials.{name}RootLo;",
            f"    public static double From => Polynomials.{name}RootFrom;",
            f"    public static double To => Polynomials.{name}RootTo;",
            f"    public static double Centre => Polynomials.{name}RootCentre;",
            f"    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TV Slope<TV, O>(TV t) where TV : struct where O : ISimd<TV> => Polynomials.{name}SlopeNearRoot<TV, O>(t);",
            "}",
            "",
        ]
        if single_window:
            lines += [
                f"/// <summary>The zero of the {name.lower()} derivative in float lanes: its float window, x0 as float hi + lo, the float expansion.</summary>",
                f"internal readonly struct {name}RootSingleLanes : IDerivativeRoot",
                "{",
                f"    public static double Hi => Polynomials.{name}RootHiF;",
                f"    public static double Lo => Polynomials.{name}RootLoF;",
                f"    public static double From => Polynomials.{name}RootFromF;",
                f"    public static double To => Polynomials.{name}RootToF;",
                f"    public static double Centre => Polynomials.{name}RootCentreF;",
                f"    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static TV Slope<TV, O>(TV t) where TV : struct where O : ISimd<TV> => Polynomials.{name}SlopeNearRootSingleLanes<TV, O>(t);",
                "}",
                "",
            ]
    with open(OUT, "w") as fh:
        fh.write("\n".join(lines))
    for r in report:
        print(r)


if __name__ == "__main__":
    main()
