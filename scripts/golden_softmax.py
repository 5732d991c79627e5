#!/usr/bin/env python3
"""Golden rows of softmax, log_softmax and softmin in double precision, computed with mpmath at 80 significant digits.

Writes tests/Rectifier.Tests/Golden/softmax_f64.txt: one line per (form, row),
    <form> <x bits,...> <y hi bits,...> <y lo bits,...>
where each y = y_hi + y_lo is the exact value to about 2^-106 relative (y_hi the correctly rounded double). The rows
cover what SPEC.md names: tiny results (entries hundreds below the maximum, down to the subnormal range), entries
near ±max of double, rows whose non-maximal terms are tiny (log_softmax's −log1p), −inf entries, ties, lengths 1 to
1,100 (every tail of the 32-element blocks), and seeded random rows.

Run: python3 scripts/golden_softmax.py   (Debian: apt-get install python3-mpmath)
"""
import math
import os
import random

import mpmath as mp

from golden_smooth import bits, split   # the same hi + lo encoding as the smooth family's golden file

mp.mp.dps = 80   # after the import: golden_smooth sets 60
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "Rectifier.Tests", "Golden", "softmax_f64.txt")
MAX = 1.7976931348623157e308


def rows():
    rng = random.Random(4242)
    out = [
        [0.0],
        [-3.5],
        [1.0, 2.0, 3.0],
        [1000.0, 1001.0, 999.0],
        [0.0, -700.0, -745.0, -744.0, -708.5, -1.0],
        [0.0, -40.0, -50.0, -60.0, -100.0],
        [MAX, MAX * 0.5, -MAX, 0.0, MAX],
        [-MAX, -MAX, -MAX * 0.999],
        [5.0, -math.inf, 4.0, -math.inf],
        [2.0, 2.0, 2.0, 2.0],
        [1e-300, -1e-300, 5e-324, 0.0, -0.0],
        [0.5, 0.5 - 2 ** -53, 0.5 + 2 ** -52],
    ]
    for n in (2, 7, 31, 32, 33, 63, 64, 65, 100, 257, 1100):
        out.append([rng.uniform(-4, 4) for _ in range(n)])
    for n in (5, 40, 97):
        out.append([rng.uniform(-300, 300) for _ in range(n)])
        out.append([rng.choice((-1, 1)) * (rng.random() + 0.5) * 2.0 ** rng.randint(-1074, 9) for _ in range(n)])
    # one dominant entry and the rest 40..740 below it: the other terms are tiny next to 1
    for n in (3, 33, 70):
        out.append([10.0] + [10.0 - rng.uniform(40, 740) for _ in range(n - 1)])
    return out


def forms(row):
    xs = [mp.mpf(v) for v in row]
    result = {}
    for name, sign in (("softmax", 1), ("log_softmax", 1), ("softmin", -1)):
        v = [sign * x for x in xs]
        m = max(v)
        if mp.isinf(m) and m > 0:
            result[name] = [mp.nan] * len(v)
            continue
        es = [mp.exp(t - m) if not mp.isinf(t) else mp.mpf(0) for t in v]
        s = mp.fsum(es)
        if name == "log_softmax":
            # log of 1 + (the other terms), which may be far below 10^-80 of 1: log1p of the other terms
            first = v.index(m)
            ls = mp.log1p(mp.fsum(e for i, e in enumerate(es) if i != first))
            result[name] = [(t - m) - ls if not mp.isinf(t) else mp.mpf("-inf") for t in v]
        else:
            result[name] = [e / s for e in es]
    return result


def main():
    lines = []
    for row in rows():
        for name, ys in forms(row).items():
            parts = [split(y) for y in ys]
            lines.append(" ".join([name, ",".join(f"{bits(x):016X}" for x in row),
                                   ",".join(f"{bits(h):016X}" for h, _ in parts), ",".join(f"{bits(l):016X}" for _, l in parts)]))
    with open(OUT, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{len(lines)} golden rows written to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
