#!/usr/bin/python3
"""The trainer's float32 matrix products (bench mode `gemm`) in NumPy and PyTorch, GFLOP/s (2·n·k·m per product),
on one thread and on every core, so the numbers sit next to docs/EXPERIMENTS.md's .NET table.

Install: apt-get install python3-numpy python3-torch
Run:     /usr/bin/python3 bench/peers/gemm_peers.py [--quick]
NumPy runs with whatever BLAS Debian's alternatives select (its config is printed); PyTorch uses its own kernels.
"""
import os
import statistics
import sys
import time

CASES = [
    ("forward x·W, first layer", 64, 784, 128, 0),
    ("forward x·W, hidden layer", 64, 128, 128, 0),
    ("weight gradient xᵀ·dy, first layer", 784, 64, 128, 1),
    ("input gradient dy·Wᵀ, hidden layer", 64, 128, 128, 2),
    ("input gradient dy·Wᵀ, second layer", 64, 128, 784, 2),
    ("evaluation x·W, batch 256, first layer", 256, 784, 128, 0),
]


def measure(fn, seconds, rounds):
    fn()
    calls = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds / 4:
        fn()
        calls += 1
    reps = max(1, int(calls * 4))
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t) / reps)
    return statistics.median(samples)


def main():
    quick = "--quick" in sys.argv
    import numpy as np
    import torch
    cores = os.cpu_count()
    rng = np.random.default_rng(1)
    print(f"NumPy {np.__version__}, PyTorch {torch.__version__}, {cores} cores\n")
    print("| product | n × k × m | NumPy, 1 thread | PyTorch, 1 thread | PyTorch, all cores |")
    print("|---|---|---:|---:|---:|")
    for name, n, k, m, kind in CASES:
        if kind == 1:
            a = rng.standard_normal((k, n), dtype=np.float32)   # x [batch, inputs]; the product is xᵀ·dy
            b = rng.standard_normal((k, m), dtype=np.float32)
            np_fn = lambda a=a, b=b: a.T @ b
        elif kind == 2:
            a = rng.standard_normal((n, k), dtype=np.float32)
            b = rng.standard_normal((m, k), dtype=np.float32)   # W [inputs, units]; the product is dy·Wᵀ
            np_fn = lambda a=a, b=b: a @ b.T
        else:
            a = rng.standard_normal((n, k), dtype=np.float32)
            b = rng.standard_normal((k, m), dtype=np.float32)
            np_fn = lambda a=a, b=b: a @ b
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        if kind == 1:
            t_fn = lambda ta=ta, tb=tb: ta.T @ tb
        elif kind == 2:
            t_fn = lambda ta=ta, tb=tb: ta @ tb.T
        else:
            t_fn = lambda ta=ta, tb=tb: ta @ tb
        flops = 2.0 * n * k * m
        rounds, seconds = (5, 0.05) if quick else (11, 0.2)
        t_np = measure(np_fn, seconds, rounds)
        torch.set_num_threads(1)
        t_one = measure(t_fn, seconds, rounds)
        torch.set_num_threads(cores)
        t_all = measure(t_fn, seconds, rounds)
        print(f"| {name} | {n} × {k} × {m} | {flops / t_np / 1e9:.1f} | {flops / t_one / 1e9:.1f} | {flops / t_all / 1e9:.1f} |")


if __name__ == "__main__":
    main()
