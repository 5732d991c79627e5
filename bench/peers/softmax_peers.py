#!/usr/bin/python3
"""PyTorch's softmax and log_softmax beside Rectifier's: speed (f32, 4096 × 1024, both axes) and accuracy.

Install: apt-get install python3-numpy python3-torch
Speed:    /usr/bin/python3 bench/peers/softmax_peers.py speed [--quick]
          one process per ATen capability (AVX2 default, AVX-512 via ATEN_CPU_CAPABILITY) and thread count;
          forward with out=, backward through aten._softmax_backward_data / _log_softmax_backward_data.
Accuracy: /usr/bin/python3 bench/peers/softmax_peers.py accuracy
          f64 against the mpmath rows of tests/Rectifier.Tests/Golden/softmax_f64.txt (finite rows), f32 against
          float64 evaluations of the same rows rounded to float32 inputs.
"""
import json
import os
import sys

from smooth_peers import children, rate   # the same processes, warm-up and median as the smooth family's peers

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "..", "tests", "Rectifier.Tests", "Golden", "softmax_f64.txt")
ROWS, COLUMNS = 4096, 1024


def timed(fn, quick):
    return rate(fn, ROWS * COLUMNS, quick)


def speed_child(threads, quick):
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    rng = np.random.default_rng(1)
    x = torch.from_numpy((rng.standard_normal((ROWS, COLUMNS)) * 3).astype(np.float32))
    g = torch.from_numpy((rng.random((ROWS, COLUMNS)) - 0.5).astype(np.float32))
    out = torch.empty_like(x)
    aten = torch.ops.aten
    result = {}
    for dim in (-1, 0):
        y, ly = torch.softmax(x, dim), torch.log_softmax(x, dim)
        result[f"softmax {dim}"] = timed(lambda: torch.softmax(x, dim, out=out), quick)
        result[f"log_softmax {dim}"] = timed(lambda: torch.log_softmax(x, dim, out=out), quick)
        result[f"softmax backward {dim}"] = timed(lambda: aten._softmax_backward_data(g, y, dim, torch.float32), quick)
        result[f"log_softmax backward {dim}"] = timed(lambda: aten._log_softmax_backward_data(g, ly, dim, torch.float32), quick)
    return result


def speed(quick):
    import torch
    results = children(__file__, quick)
    print(f"PyTorch {torch.__version__}, f32, shape {ROWS} × {COLUMNS}, x ~ N(0, 3²); Gelem/s (median)\n")
    print("| pass | dim | 1t AVX2 | 1t AVX-512 | 1t best | 2t best |")
    print("|---|---:|---:|---:|---:|---:|")
    for key in results[("avx2", 1)]:
        name, dim = key.rsplit(" ", 1)
        a, b = results[("avx2", 1)][key], results[("avx512", 1)][key]
        two = max(results[("avx2", 2)][key], results[("avx512", 2)][key])
        print(f"| {name} | {dim} | {a:.2f} | {b:.2f} | {max(a, b):.2f} | {two:.2f} |")


def golden_rows():
    import numpy as np
    rows = []
    with open(GOLDEN) as fh:
        for line in fh:
            form, xs, his, los = line.split()
            parse = lambda s: np.array([np.frombuffer(bytes.fromhex(b)[::-1], dtype="<f8")[0] for b in s.split(",")])
            rows.append((form, parse(xs), parse(his), parse(los)))
    return rows


def ulps(np, y, hi, lo, mant, emin):
    with np.errstate(all="ignore"):
        e = np.maximum(np.where(hi == 0, emin, np.frexp(hi)[1] - 1), emin)
        err = np.abs((y - hi) - lo) / np.exp2(e - mant)
        err = np.where(np.isnan(y) & np.isnan(hi), 0.0, err)
        err = np.where((y == hi) & np.isinf(hi), 0.0, err)
        return np.where(np.isnan(err), np.inf, err)


def accuracy():
    import numpy as np
    import torch
    fn = {"softmax": lambda t: torch.softmax(t, -1), "log_softmax": lambda t: torch.log_softmax(t, -1), "softmin": lambda t: torch.softmin(t, -1)
          if hasattr(torch, "softmin") else torch.nn.functional.softmin(t, -1)}
    worst = {}
    for form, x, hi, lo in golden_rows():
        if not np.all(np.isfinite(x[np.isfinite(x) | (x > 0)])):
            continue
        y64 = fn[form](torch.from_numpy(x.copy())).numpy()
        worst[(form, "f64")] = max(worst.get((form, "f64"), 0), float(ulps(np, y64, hi, lo, 52, -1022).max()))
        # f32: the same rows rounded to float32 (where they stay finite), against float64 evaluations of the rounded rows
        with np.errstate(over="ignore"):
            x32 = x.astype(np.float32)
        if not np.all(np.isfinite(x32[np.isfinite(x)])):
            continue
        xd = x32.astype(np.float64)
        sign = -1.0 if form == "softmin" else 1.0
        v = sign * xd
        m = v.max()
        first = int(np.argmax(v))
        with np.errstate(all="ignore"):
            e = np.exp(v - m)
            rest = e.sum() - e[first]
            exact = (v - m) - np.log1p(rest) if form == "log_softmax" else e / (1 + rest)
        y32 = fn[form](torch.from_numpy(x32.copy())).numpy().astype(np.float64)
        worst[(form, "f32")] = max(worst.get((form, "f32"), 0), float(ulps(np, y32, exact, np.zeros_like(exact), 23, -126).max()))
    print(f"PyTorch {torch.__version__}: worst error in ULPs over the golden rows (f64 against mpmath; f32 against float64 on the rows rounded to float32)\n")
    print("| function | f32 | f64 |")
    print("|---|---:|---:|")
    for form in ("softmax", "log_softmax", "softmin"):
        print(f"| {form} | {worst.get((form, 'f32'), 0):.3g} | {worst.get((form, 'f64'), 0):.3g} |")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "speed"
    if mode == "speed-child":
        print(json.dumps(speed_child(int(sys.argv[2]), "--quick" in sys.argv)))
    elif mode == "speed":
        speed("--quick" in sys.argv)
    else:
        accuracy()
