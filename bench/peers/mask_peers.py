#!/usr/bin/python3
"""PyTorch's relu backward at 64M float32 (threshold_backward, allocating and out=), its best of AVX2/AVX-512 and
1/2 threads, for the mask table of docs/PERFORMANCE.md. Run: /usr/bin/python3 bench/peers/mask_peers.py"""
import json, os, statistics, subprocess, sys, time


def child(threads):
    import numpy as np, torch
    torch.set_num_threads(threads)
    n = 1 << 26
    rng = np.random.default_rng(1)
    x = torch.from_numpy((rng.random(n) * 2 - 1).astype(np.float32))
    g = torch.from_numpy(rng.random(n).astype(np.float32))
    out = torch.empty_like(x)
    res = {}
    for name, fn in (("threshold_backward", lambda: torch.ops.aten.threshold_backward(g, x, 0)),
                     ("threshold_backward out=", lambda: torch.ops.aten.threshold_backward.grad_input(g, x, 0, grad_input=out)),
                     ("relu out= (forward)", lambda: torch.clamp_min(x, 0, out=out))):
        fn()
        samples = []
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(5):
                fn()
            samples.append((time.perf_counter() - t0) / 5)
        res[name] = statistics.median(samples)
    return res


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(child(int(sys.argv[1]))))
        sys.exit()
    import torch
    print(f"PyTorch {torch.__version__}, float32, n = 64M; time per call (median of 7 × 5)\n")
    print("| call | kernels | threads | time/call | Gelem/s |")
    print("|---|---|---:|---:|---:|")
    for cap in ("default", "avx512"):
        for threads in (1, 2):
            env = dict(os.environ)
            if cap == "avx512":
                env["ATEN_CPU_CAPABILITY"] = "avx512"
            r = json.loads(subprocess.run([sys.executable, __file__, str(threads)], env=env, capture_output=True, text=True, check=True).stdout)
            for name, secs in r.items():
                print(f"| {name} | {'AVX2' if cap == 'default' else 'AVX-512'} | {threads} | {secs * 1e3:.2f} ms | {(1 << 26) / secs / 1e9:.2f} |")
