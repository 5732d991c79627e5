#!/usr/bin/env python3
"""Golden values of the smooth family in double precision, computed with mpmath at 60 significant digits.

Writes tests/Rectifier.Tests/Golden/smooth_f64.txt: one line per point,
    <case> <fwd|bwd> <x bits> <y hi bits> <y lo bits>
where y = y_hi + y_lo is the exact value to about 2^-106 relative (y_hi = the correctly rounded double), and bwd is
the derivative dy/dx (gradOutput = 1); for the case "erf|erfc", fwd is erf(x) and bwd is erfc(x). The test measures the library's double results against it in true ULPs.

Inputs: special values, tiny and subnormal magnitudes, the neighbourhood of 0 and of every kink, the saturation tails
named in SPEC.md, and seeded random values spread over all exponents and over [-40, 40].

Run: python3 scripts/golden_smooth.py   (Debian: apt-get install python3-mpmath)
"""
import math
import os
import random
import struct

import mpmath as mp

mp.mp.dps = 60
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "Rectifier.Tests", "Golden", "smooth_f64.txt")

SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")
GELU_K = mp.sqrt(2 / mp.pi)
KAPPA = mp.mpf("0.044715")


def sig(t):
    return 1 / (1 + mp.exp(-t))


def sp(t):
    return mp.log1p(mp.exp(t))


def elu(alpha):
    return (lambda x: x if x > 0 else alpha * mp.expm1(x),
            lambda x: mp.mpf(1) if x > 0 else alpha * mp.exp(x))


def celu(alpha):
    return (lambda x: x if x > 0 else alpha * mp.expm1(x / alpha),
            lambda x: mp.mpf(1) if x > 0 else mp.exp(x / alpha))


def softplus(beta, threshold):
    return (lambda x: x if float(beta * x) > threshold else sp(beta * x) / beta,
            lambda x: mp.mpf(1) if float(beta * x) > threshold else sig(beta * x))


def tanhshrink(x):
    # x − tanh x ≈ x³/3 cancels 2·log10(1/|x|) digits: carry that many more
    if x == 0:
        return x
    with mp.workdps(60 + max(0, int(-2 * mp.log10(abs(x)))) + 10):
        return +(x - mp.tanh(x))


def gelu_tanh_z2(x):
    return 2 * GELU_K * (x + KAPPA * x ** 3)


CASES = {
    "elu": elu(mp.mpf(1)),
    "elu_a0.5": elu(mp.mpf("0.5")),
    "selu": (lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mp.expm1(x)),
             lambda x: SELU_SCALE * (1 if x > 0 else SELU_ALPHA * mp.exp(x))),
    "celu": celu(mp.mpf(1)),
    "celu_a2": celu(mp.mpf(2)),
    "gelu": (lambda x: x * mp.ncdf(x), lambda x: mp.ncdf(x) + x * mp.npdf(x)),
    "gelu_tanh": (lambda x: x * sig(gelu_tanh_z2(x)),
                  lambda x: sig(gelu_tanh_z2(x)) + 2 * x * sig(gelu_tanh_z2(x)) * sig(-gelu_tanh_z2(x)) * GELU_K * (1 + 3 * KAPPA * x * x)),
    "silu": (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
    "mish": (lambda x: x * mp.tanh(sp(x)), lambda x: mp.tanh(sp(x)) + x * sig(x) * mp.sech(sp(x)) ** 2),
    "softplus": softplus(mp.mpf(1), 20.0),
    "softplus_b8": softplus(mp.mpf(8), 20.0),
    "hardswish": (lambda x: x * min(max(x + 3, 0), 6) / 6,
                  lambda x: mp.mpf(0) if x <= -3 else (x / 3 + mp.mpf(1) / 2 if x < 3 else mp.mpf(1))),
    "hardsigmoid": (lambda x: min(max(x + 3, 0), 6) / 6,
                    lambda x: mp.mpf(1) / 6 if -3 < x < 3 else mp.mpf(0)),
    "sigmoid": (sig, lambda x: sig(x) * sig(-x)),
    "tanh": (mp.tanh, lambda x: mp.sech(x) ** 2),
    # the elementary erf and erfc of src/Rectifier/Math (value only: "bwd" holds erfc)
    "erf|erfc": (mp.erf, mp.erfc),
    "softsign": (lambda x: x / (1 + abs(x)), lambda x: 1 / (1 + abs(x)) ** 2),
    "tanhshrink": (lambda x: tanhshrink(x), lambda x: mp.tanh(x) ** 2),
    "logsigmoid": (lambda x: -sp(-x), lambda x: sig(-x)),
}

# Tails and kinks named in SPEC.md, plus each function's own neighbourhoods.
SPECIAL = [0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, -6.0, 20.0, -20.0, 0.5, -0.5, 1.5, -1.5, 0.25, -0.25, 1e-8, -1e-8,
           5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308,
           -100.0, -13.0, -37.0, -38.0, 40.0, -40.0, -1e-30, 1e-30, -700.0, -745.0, 709.0, 710.0, 19.0, -0.7517916, -1.2784645, -1.1924, math.nan,
           math.inf, -math.inf]

# At ±∞ the values are limits (SPEC.md), written here rather than evaluated (∞·0 and ∞ − ∞ have no value):
# (f(+∞), f(−∞), f'(+∞), f'(−∞)); for "erf|erfc", (erf(+∞), erf(−∞), erfc(+∞), erfc(−∞)).
INF, NEG = math.inf, -math.inf
LIMITS = {
    "elu": (INF, -1, 1, 0), "elu_a0.5": (INF, -0.5, 1, 0), "selu": (INF, -SELU_ALPHA * SELU_SCALE, SELU_SCALE, 0),
    "celu": (INF, -1, 1, 0), "celu_a2": (INF, -2, 1, 0),
    "gelu": (INF, -0.0, 1, 0), "gelu_tanh": (INF, -0.0, 1, 0), "silu": (INF, -0.0, 1, 0),
    "mish": (INF, -0.0, 1, 0), "softplus": (INF, 0, 1, 0), "softplus_b8": (INF, 0, 1, 0),
    "hardswish": (INF, -0.0, 1, 0), "hardsigmoid": (1, 0, 0, 0), "sigmoid": (1, 0, 0, 0), "tanh": (1, -1, 0, 0),
    "erf|erfc": (1, -1, 0, 2), "softsign": (1, -1, 0, 0), "tanhshrink": (INF, NEG, 1, 1), "logsigmoid": (-0.0, NEG, 0, 1),
}


def inputs(seed):
    rng = random.Random(seed)
    xs = list(SPECIAL)
    for e in range(-1074, -990, 3):
        xs += [math.ldexp(1, e), -math.ldexp(1, e)]
    for m in (1e-320, 1e-310, 1e-300, 1e-200, 1e-100, 1e-30, 1e-16, 1e-10, 1e-5, 1e-3):
        xs += [m, -m]
    for k in (-3.0, 3.0, 0.0, 20.0, -20.0, 2.5, -2.5, 0.75, -0.75, 1.0606601717798212, -1.0606601717798212, 3.5355339059327378, -3.5355339059327378):
        v = k
        for _ in range(4):
            v = math.nextafter(v, math.inf)
            xs.append(v)
        v = k
        for _ in range(4):
            v = math.nextafter(v, -math.inf)
            xs.append(v)
    for _ in range(700):
        xs.append(rng.choice((-1, 1)) * (rng.random() + 0.5) * 2.0 ** rng.randint(-1074, 1023))
    for _ in range(700):
        xs.append(rng.uniform(-40, 40))
    for _ in range(300):
        xs.append(rng.uniform(-4, 4))
    return xs


def bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]


def split(value):
    if isinstance(value, float):
        return value, 0.0  # a limit written exactly (and a signed zero, which mpmath does not have)
    if mp.isnan(value):
        return math.nan, 0.0
    if mp.isinf(value):
        return float(value), 0.0
    hi = float(value)
    if math.isinf(hi):
        return hi, 0.0
    lo = float(value - mp.mpf(hi))
    return hi, lo


def evaluate(name, direction, f, x):
    if math.isnan(x):
        return mp.nan
    if math.isinf(x):
        limits = LIMITS[name]
        v = limits[(0 if x > 0 else 1) + (2 if direction == "bwd" else 0)]
        return float(v) if isinstance(v, int) else v
    return f(mp.mpf(x))


def main():
    lines = []
    for i, (name, (fwd, bwd)) in enumerate(CASES.items()):
        for x in inputs(1000 + i):
            for direction, f in (("fwd", fwd), ("bwd", bwd)):
                try:
                    y = evaluate(name, direction, f, x)
                except (ValueError, ZeroDivisionError, OverflowError):
                    continue
                hi, lo = split(y)
                lines.append(f"{name} {direction} {bits(x):016X} {bits(hi):016X} {bits(lo):016X}")
    with open(OUT, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{len(lines)} golden values written to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
