#!/usr/bin/python3
"""PyTorch's smooth activations beside Rectifier's: speed (f32, n = 1M, Gelem/s) and accuracy (worst ULP).

Install: apt-get install python3-numpy python3-scipy python3-torch python3-mpmath
Speed:    /usr/bin/python3 bench/peers/smooth_peers.py speed [--quick]
          one process per ATen capability (AVX2 default, AVX-512 via ATEN_CPU_CAPABILITY) and thread count.
Accuracy: /usr/bin/python3 bench/peers/smooth_peers.py accuracy
          f32 over the input classes of the tests (special values, tiny magnitudes, kink neighbourhoods, tails and
          2^20 seeded random values) against float64 references written with scipy's erfc/ndtr, expm1 and log1p;
          f64 against the mpmath golden values in tests/Rectifier.Tests/Golden/smooth_f64.txt.
"""
import json
import math
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "..", "tests", "Rectifier.Tests", "Golden", "smooth_f64.txt")
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def torch_functions(torch):
    F = torch.nn.functional
    aten = torch.ops.aten
    return {
        "elu": (lambda x: F.elu(x), lambda g, x, y: aten.elu_backward(g, 1.0, 1.0, 1.0, False, x)),
        "selu": (lambda x: F.selu(x), lambda g, x, y: aten.elu_backward(g, SELU_ALPHA, SELU_SCALE, 1.0, False, x)),
        "celu": (lambda x: F.celu(x), lambda g, x, y: aten.elu_backward(g, 1.0, 1.0, 1.0, False, x)),
        "gelu": (lambda x: F.gelu(x), lambda g, x, y: aten.gelu_backward(g, x)),
        "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), lambda g, x, y: aten.gelu_backward(g, x, approximate="tanh")),
        "silu": (lambda x: F.silu(x), lambda g, x, y: aten.silu_backward(g, x)),
        "mish": (lambda x: F.mish(x), lambda g, x, y: aten.mish_backward(g, x)),
        "softplus": (lambda x: F.softplus(x), lambda g, x, y: aten.softplus_backward(g, x, 1.0, 20.0)),
        "hardswish": (lambda x: F.hardswish(x), lambda g, x, y: aten.hardswish_backward(g, x)),
        "hardsigmoid": (lambda x: F.hardsigmoid(x), lambda g, x, y: aten.hardsigmoid_backward(g, x)),
        "sigmoid": (lambda x: torch.sigmoid(x), lambda g, x, y: aten.sigmoid_backward(g, y)),
        "tanh": (lambda x: torch.tanh(x), lambda g, x, y: aten.tanh_backward(g, y)),
        # no dedicated backward kernels: autograd's graph is what PyTorch runs
        "softsign": (lambda x: F.softsign(x), lambda g, x, y: autograd(torch, F.softsign, g, x)),
        "tanhshrink": (lambda x: F.tanhshrink(x), lambda g, x, y: autograd(torch, F.tanhshrink, g, x)),
        "logsigmoid": (lambda x: F.logsigmoid(x), lambda g, x, y: aten.log_sigmoid_backward(g, x, aten.log_sigmoid_forward(x)[1])),
    }


def autograd(torch, f, g, x):
    xr = x.detach().requires_grad_()
    return torch.autograd.grad(f(xr), xr, g)[0]


def rate(fn, n, quick):
    """n elements per call: Gelem/s, the median of 3 (quick) or 7 samples after a warm-up; shared by the peers."""
    fn()
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < (0.05 if quick else 0.2):
        fn()
        calls += 1
    reps = max(1, calls // 4)
    samples = []
    for _ in range(3 if quick else 7):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t0) / reps)
    return n / statistics.median(samples) / 1e9


def children(script, quick):
    """Runs `script speed-child THREADS` once per ATen capability (avx2, PyTorch's default here, and avx512) and thread
    count (1, 2), each in its own process; returns {(capability, threads): the child's JSON}. Shared by the peers."""
    results = {}
    for cap in ("avx2", "avx512"):
        for threads in (1, 2):
            env = dict(os.environ, ATEN_CPU_CAPABILITY=cap)
            text = subprocess.run([sys.executable, script, "speed-child", str(threads)] + (["--quick"] if quick else []),
                                  env=env, check=True, capture_output=True, text=True).stdout
            results[(cap, threads)] = json.loads(text)
    return results


def speed_child(threads, quick):
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    n = 1 << 20
    rng = np.random.default_rng(1)
    x = torch.from_numpy((rng.random(n) * 8 - 4).astype(np.float32))
    g = torch.from_numpy(rng.random(n).astype(np.float32))
    out = {}
    for name, (fwd, bwd) in torch_functions(torch).items():
        y = fwd(x)
        runs = {"fwd": lambda: fwd(x), "bwd": lambda: bwd(g, x, y)}
        for direction, fn in runs.items():
            out[f"{name} {direction}"] = rate(fn, n, quick)
    return out


def speed(quick):
    import torch
    results = children(__file__, quick)
    print(f"PyTorch {torch.__version__}, f32, n = 1M, inputs uniform in [-4, 4]; Gelem/s (median); AVX2 = default kernels, AVX-512 = ATEN_CPU_CAPABILITY=avx512\n")
    print("| function | fwd 1t AVX2 | fwd 1t AVX-512 | fwd 2t AVX2 | fwd 2t AVX-512 | bwd 1t AVX2 | bwd 1t AVX-512 | bwd 2t AVX2 | bwd 2t AVX-512 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    names = list(results[("avx2", 1)].keys())
    for name in dict.fromkeys(k.rsplit(" ", 1)[0] for k in names):
        row = [name]
        for d in ("fwd", "bwd"):
            k = f"{name} {d}"
            row += [f"{results[(cap, t)][k]:.2f}" for t in (1, 2) for cap in ("avx2", "avx512")]
        print("| " + " | ".join(row) + " |")


def float_inputs():
    import numpy as np
    xs = [0.0, -0.0, 1.0, -1.0, float("nan"), 1.4e-45, -1.4e-45, 3.4028235e38, -3.4028235e38, 1.1754944e-38, -1.1754944e-38, 0.01, -0.01]
    m = 1e-45
    while m <= 1e-30:
        xs += [m, -m]
        m *= 1.37
    for k in (0.0, 3.0, -3.0, 6.0, -6.0, 20.0, -20.0, 2.5, 1.5, -1.5):
        up = down = np.float32(k)
        for _ in range(8):
            up = np.nextafter(up, np.float32(np.inf))
            down = np.nextafter(down, np.float32(-np.inf))
            xs += [float(up), float(down)]
    xs += [-100, -13, -14, -15, -1e-30, 40, -40, -88, -103, 88, 89, 9, 10, -0.7517916, -1.2784645, -1.1924, -87, -104]
    rng = np.random.default_rng(20261128)
    n = 1 << 20
    half = n // 2
    log_uniform = (rng.random(half) + 0.5) * np.exp2(rng.integers(-149, 127, half).astype(np.float64)) * rng.choice([-1.0, 1.0], half)
    uniform = (rng.random(n - half) * 2 - 1) * 40
    with np.errstate(over="ignore"):
        return np.concatenate([np.array(xs, dtype=np.float32), log_uniform.astype(np.float32), uniform.astype(np.float32)])


def references(np, sp):
    def sig(t):
        return np.where(t >= 0, 1 / (1 + np.exp(-np.abs(t))), np.exp(-np.abs(t)) / (1 + np.exp(-np.abs(t))))

    def softplus(t):
        return np.where(t > 0, t + np.log1p(np.exp(-np.abs(t))), np.log1p(np.exp(-np.abs(t))))

    k, kappa = math.sqrt(2 / math.pi), 0.044715

    def z(x):
        return k * (x + kappa * x ** 3)

    def sech2(t):
        return 1 / np.cosh(t) ** 2

    def tanhshrink(x):
        # x − tanh x cancels near 0: its Taylor series below 0.25 (each term ~1/40 of the last there)
        c = [1 / 3, -2 / 15, 17 / 315, -62 / 2835, 1382 / 155925, -21844 / 6081075, 929569 / 638512875]
        s2 = x * x
        series = x * s2 * sum(ck * s2 ** k for k, ck in enumerate(c))
        with np.errstate(all="ignore"):
            return np.where(np.abs(x) < 0.25, series, x - np.tanh(x))

    return {
        "elu": (lambda x: np.where(x > 0, x, np.expm1(x)), lambda x: np.where(x > 0, 1.0, np.exp(x))),
        "selu": (lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)), lambda x: SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(x))),
        "celu": (lambda x: np.where(x > 0, x, np.expm1(x)), lambda x: np.where(x > 0, 1.0, np.exp(x))),
        "gelu": (lambda x: x * sp.ndtr(x), lambda x: sp.ndtr(x) + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)),
        "gelu_tanh": (lambda x: x * sig(2 * z(x)), lambda x: sig(2 * z(x)) + 0.5 * x * sech2(z(x)) * k * (1 + 3 * kappa * x * x)),
        "silu": (lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x))),
        "mish": (lambda x: x * np.tanh(softplus(x)), lambda x: np.tanh(softplus(x)) + x * sig(x) * sech2(softplus(x))),
        "softplus": (lambda x: np.where(x > 20, x, softplus(x)), lambda x: np.where(x > 20, 1.0, sig(x))),
        "hardswish": (lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, x, x * (x + 3) / 6)), lambda x: np.where(x <= -3, 0.0, np.where(x >= 3, 1.0, x / 3 + 0.5))),
        "hardsigmoid": (lambda x: np.clip(x + 3, 0, 6) / 6, lambda x: np.where((x > -3) & (x < 3), 1 / 6, 0.0)),
        "sigmoid": (sig, lambda x: sig(x) * sig(-x)),
        "tanh": (np.tanh, sech2),
        "softsign": (lambda x: x / (1 + np.abs(x)), lambda x: 1 / (1 + np.abs(x)) ** 2),
        "tanhshrink": (tanhshrink, lambda x: np.tanh(x) ** 2),
        "logsigmoid": (lambda x: -softplus(-x), lambda x: sig(-x)),
    }



def float_ulps(np, y, exact):
    y = y.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.maximum(np.where(exact == 0, -126, np.frexp(exact)[1] - 1), -126)
        err = np.abs(y - exact) / np.exp2(e - 23.0)
        both_nan = np.isnan(y) & np.isnan(exact)
        overflow_ok = np.isinf(y) & (np.abs(exact) >= 3.4028235677973366e38) & (np.sign(y) == np.sign(exact))
        err = np.where(both_nan | overflow_ok, 0.0, err)
        err = np.where(np.isnan(err), np.inf, err)
    return err


def accuracy():
    import numpy as np
    import scipy.special as sp
    import torch
    x32 = float_inputs()
    x32 = x32[np.isfinite(x32)]   # NaN conventions differ (SPEC.md); accuracy is measured on finite inputs
    xd = x32.astype(np.float64)
    refs = references(np, sp)
    fns = torch_functions(torch)
    golden = {}
    with open(GOLDEN) as fh:
        for line in fh:
            case, direction, xb, hb, lb = line.split()
            golden.setdefault((case, direction), []).append(
                tuple(np.frombuffer(bytes.fromhex(b)[::-1], dtype="<f8")[0] for b in (xb, hb, lb)))
    print(f"PyTorch {torch.__version__}: worst error in ULPs (f32: {len(x32):,} finite inputs per function and direction against float64 references; f64: mpmath golden values; inf = an infinite or NaN result where the true value is finite)\n")
    print("| function | f32 fwd | f32 bwd | f64 fwd | f64 bwd |")
    print("|---|---:|---:|---:|---:|")
    for name, (fwd, bwd) in fns.items():
        rf, rb = refs[name]
        tx = torch.from_numpy(x32.copy())
        y = fwd(tx)
        gi = bwd(torch.ones_like(tx), tx, y)
        with np.errstate(all="ignore"):
            ef = float_ulps(np, y.numpy(), rf(xd))
            eb = float_ulps(np, gi.numpy(), np.where(np.isnan(xd), np.nan, rb(xd)))
        row = [name, f"{ef.max():.3g}", f"{eb.max():.3g}"]
        for direction in ("fwd", "bwd"):
            pts = np.array(golden.get((name, direction), []))
            pts = pts[np.isfinite(pts[:, 0])] if len(pts) else pts
            if len(pts) == 0:
                row.append("")
                continue
            t = torch.from_numpy(pts[:, 0].copy())
            r = fwd(t) if direction == "fwd" else bwd(torch.ones_like(t), t, fwd(t))
            yv = r.numpy()
            hi, lo = pts[:, 1], pts[:, 2]
            with np.errstate(all="ignore"):
                e = np.maximum(np.where(hi == 0, -1022, np.frexp(hi)[1] - 1), -1022)
                ulp = np.exp2(e - 52.0)
                err = np.abs((yv - hi) / ulp - lo / ulp)
                err = np.where(np.isnan(yv) & np.isnan(hi), 0.0, err)
                err = np.where(np.isnan(err), np.inf, err)
            row.append(f"{err.max():.3g}")
        print("| " + " | ".join(row) + " |")


def main():
    quick = "--quick" in sys.argv
    if len(sys.argv) > 1 and sys.argv[1] == "speed-child":
        print(json.dumps(speed_child(int(sys.argv[2]), quick)))
    elif len(sys.argv) > 1 and sys.argv[1] == "accuracy":
        accuracy()
    else:
        speed(quick)


if __name__ == "__main__":
    main()
