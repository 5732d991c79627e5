#!/usr/bin/python3
"""The smooth family beside PyTorch: reads the tables of bench/smooth_speed.sh (PyTorch's peers and Rectifier's smooth
suite on the AVX-512 and AVX2 legs, each the median over rounds) and prints the ratio tables of docs/PERFORMANCE.md.

    /usr/bin/python3 bench/smooth_table.py bench-out/smooth      # after bash bench/smooth_speed.sh

On the AVX-512 leg PyTorch is taken at its best (the faster of its AVX2 and AVX-512 kernels); on the AVX2 leg
(DOTNET_EnableAVX512=0) against its AVX2 kernels. sigmoid and tanh backward are compared from the output y, as
PyTorch computes them (Rectifier's rows "sigmoid (bwd from y)", "tanh (bwd from y)").
"""
import glob
import math
import statistics
import sys

FUNCTIONS = ["elu", "selu", "celu", "gelu", "gelu_tanh", "silu", "mish", "softplus", "hardswish", "hardsigmoid", "sigmoid", "tanh"]


def rows(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 5 or cells[0] in ("function", "") or cells[1].startswith("-"):
            continue
        try:
            out[cells[0]] = [float(c) for c in cells[1:]]
        except ValueError:
            continue
    return out


def median_rows(paths):
    tables = [rows(p) for p in paths]
    keys = tables[0].keys()
    return {k: [statistics.median(t[k][i] for t in tables) for i in range(len(tables[0][k]))] for k in keys}


def main(prefix):
    torch = median_rows(sorted(glob.glob(f"{prefix}.pytorch.*.md")))
    legs = {leg: median_rows(sorted(glob.glob(f"{prefix}.rectifier.{leg}.*.md"))) for leg in ("default", "avx2")}
    for leg, title in (("default", "AVX-512 leg (default), PyTorch at its best"), ("avx2", "AVX2 leg (DOTNET_EnableAVX512=0), PyTorch's AVX2 kernels")):
        print(f"### {title}\n")
        print("| function | dir | Rectifier 1t | PyTorch 1t | ratio | Rectifier 2t | PyTorch 2t | ratio |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        ratios1, ratios2 = [], []
        for name in FUNCTIONS:
            for d, (ri, ti) in (("fwd", (0, 0)), ("bwd", (2, 4))):
                src = f"{name} (bwd from y)" if d == "bwd" and name in ("sigmoid", "tanh") else name
                r1, r2 = legs[leg][src][ri], legs[leg][src][ri + 1]
                t = torch[name]
                # PyTorch columns: fwd 1t AVX2, 1t AVX-512, 2t AVX2, 2t AVX-512, then the same for bwd
                p1 = max(t[ti], t[ti + 1]) if leg == "default" else t[ti]
                p2 = max(t[ti + 2], t[ti + 3]) if leg == "default" else t[ti + 2]
                ratios1.append(r1 / p1)
                ratios2.append(r2 / p2)
                label = f"{d} (from y)" if src != name else d
                print(f"| {name} | {label} | {r1:.2f} | {p1:.2f} | {r1 / p1:.2f}× | {r2:.2f} | {p2:.2f} | {r2 / p2:.2f}× |")
        g1 = math.exp(statistics.mean(math.log(r) for r in ratios1))
        g2 = math.exp(statistics.mean(math.log(r) for r in ratios2))
        below1 = sum(r < 1 for r in ratios1)
        below2 = sum(r < 1 for r in ratios2)
        print(f"\nGeometric mean over the {len(ratios1)} pairs: {g1:.2f}× on 1 thread ({below1} below 1.0×), {g2:.2f}× on 2 threads ({below2} below 1.0×).\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench-out/smooth")
