#!/usr/bin/python3
"""ReLU forward/backward in NumPy and PyTorch at the sizes of the .NET suite, as GB/s and as a ratio to a copy of the
same bytes measured in the same process (np.copyto), so the numbers sit next to docs/PERFORMANCE.md's .NET table.

Install: apt-get install python3-numpy python3-torch
Run:     /usr/bin/python3 bench/peers/relu_peers.py [--quick] > peers.md
Each PyTorch capability (AVX2 default, AVX-512 via ATEN_CPU_CAPABILITY) runs in its own process; the table keeps both,
and the summary names the faster one.
"""
import json
import os
import statistics
import subprocess
import sys
import time

SIZES = [1 << 10, 1 << 14, 1 << 18, 1 << 22, 1 << 26]


def measure(fn, seconds):
    fn()
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds / 4 or calls < 1:
        fn()
        calls += 1
    reps = max(1, int(calls * seconds / max(1e-9, time.perf_counter() - t0)))
    return reps


def child(capability, threads, quick):
    import numpy as np
    import torch
    torch.set_num_threads(threads)
    results = []
    sizes = SIZES[:-1] if quick else SIZES
    for n in sizes:
        for dtype, tdtype, size in ((np.float32, torch.float32, 4), (np.float64, torch.float64, 8)):
            rng = np.random.default_rng(1)
            x = (rng.random(n) * 2 - 1).astype(dtype)
            g = rng.random(n).astype(dtype)
            y = np.empty_like(x)
            tx, tg, ty = torch.from_numpy(x), torch.from_numpy(g), torch.from_numpy(y)
            contenders = {}
            contenders["numpy copyto"] = (lambda: np.copyto(y, x), 2)
            if capability == "default" and threads == 1:
                contenders["np.maximum(x, 0, out=y)"] = (lambda: np.maximum(x, 0, out=y), 2)
            # One thread count per process: switching torch.set_num_threads between calls resizes its pool each time.
            tag = f"[{capability}, {threads}t]"
            contenders[f"torch.relu(x) {tag}"] = (lambda: torch.relu(tx), 2)
            contenders[f"torch.clamp_min(x, 0, out=y) {tag}"] = (lambda: torch.clamp_min(tx, 0, out=ty), 2)
            contenders[f"threshold_backward(g, x, 0) {tag}"] = (lambda: torch.ops.aten.threshold_backward(tg, tx, 0), 3)
            contenders[f"threshold_backward out= {tag}"] = (lambda: torch.ops.aten.threshold_backward.grad_input(tg, tx, 0, grad_input=ty), 3)
            seconds = 0.01 if quick else (0.25 if n >= 1 << 24 else 0.05)
            reps = {k: measure(f, seconds) for k, (f, _) in contenders.items()}
            samples = {k: [] for k in contenders}
            for _ in range(3 if quick else 7):
                for k, (f, _) in contenders.items():
                    t0 = time.perf_counter()
                    for _ in range(reps[k]):
                        f()
                    samples[k].append((time.perf_counter() - t0) / reps[k])
            for k, (f, streams) in contenders.items():
                results.append({"n": n, "type": "f32" if size == 4 else "f64", "name": k,
                                "seconds": statistics.median(samples[k]), "bytes": streams * n * size})
    return results


def main():
    quick = "--quick" in sys.argv
    if "--child" in sys.argv:
        cap = sys.argv[sys.argv.index("--child") + 1]
        threads = int(sys.argv[sys.argv.index("--child") + 2])
        print(json.dumps(child(cap, threads, quick)))
        return
    rows = []
    for cap, threads in (("default", 1), ("default", 2), ("avx512", 1), ("avx512", 2)):
        env = dict(os.environ)
        if cap == "avx512":
            env["ATEN_CPU_CAPABILITY"] = "avx512"
        out = subprocess.run([sys.executable, __file__, "--child", cap, str(threads)] + (["--quick"] if quick else []),
                             env=env, check=True, capture_output=True, text=True).stdout
        rows += [r for r in json.loads(out) if r["name"] != "numpy copyto" or (cap, threads) == ("default", 1)]
    import numpy, torch
    print(f"NumPy {numpy.__version__}, PyTorch {torch.__version__}; {os.cpu_count()} cores\n")
    print("| type | n | contender | GB/s | time/call | ratio to numpy copy |")
    print("|---|---:|---|---:|---:|---:|")
    for r in rows:
        copy = next(c for c in rows if c["n"] == r["n"] and c["type"] == r["type"] and c["name"] == "numpy copyto")
        copy_rate = copy["bytes"] / copy["seconds"]
        rate = r["bytes"] / r["seconds"]
        n = r["n"]
        label = f"{n >> 20}M" if n >= 1 << 20 else f"{n >> 10}K"
        t = r["seconds"]
        ts = f"{t * 1e3:.2f} ms" if t >= 1e-3 else f"{t * 1e6:.2f} µs"
        print(f"| {r['type']} | {label} | {r['name']} | {rate / 1e9:.1f} | {ts} | {rate / copy_rate:.2f} |")


if __name__ == "__main__":
    main()
