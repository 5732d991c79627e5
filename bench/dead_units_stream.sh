#!/usr/bin/env bash
# `rectifier dead-units` against reading the same file with dd bs=1M and cp (docs/PERFORMANCE.md, "Dead-unit
# monitor"): float32 [rows, 1024] files of two sizes, in the page cache, rounds interleaved; the marginal rate
# (the larger file's extra bytes over its extra seconds) takes the process start-up out.
#
#   bash bench/dead_units_stream.sh [rounds (default 7)] [rectifier executable (default: this checkout's Release build)]
#
# Needs /usr/bin/python3 with numpy to write the inputs.
set -euo pipefail
rounds=${1:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
if [[ $# -ge 2 ]]; then
  tool=$2
else
  dotnet build -c Release "$root/src/Rectifier.Cli" -v quiet -nologo > /dev/null
  tool="$root/src/Rectifier.Cli/bin/Release/net10.0/Rectifier.Cli"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(1)
for name, rows in (("small", 1 << 17), ("large", 1 << 19)):   # 512 MiB and 2 GiB
    a = np.lib.format.open_memmap(f"{sys.argv[1]}/{name}.npy", mode="w+", dtype=np.float32, shape=(rows, 1024))
    for s in range(0, rows, 1 << 16):
        a[s:s + (1 << 16)] = rng.standard_normal((1 << 16, 1024), dtype=np.float32)
    a.flush()
PY
/usr/bin/python3 - "$work" "$tool" "$rounds" <<'PY'
import os, statistics, subprocess, sys, time
work, tool, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = {
    "rectifier dead-units": lambda f: [tool, "dead-units", "--json", f],
    "dd bs=1M": lambda f: ["dd", f"if={f}", "of=/dev/null", "bs=1M", "status=none"],
    "cp": lambda f: ["cp", f, "/dev/null"],
}
files = {k: f"{work}/{k}.npy" for k in ("small", "large")}
size = {k: os.path.getsize(v) for k, v in files.items()}
for f in files.values():
    subprocess.run(["cat", f], stdout=subprocess.DEVNULL, check=True)   # into the page cache
times = {(r, k): [] for r in runs for k in files}
startup = []
for _ in range(rounds):
    for r, cmd in runs.items():
        for k, f in files.items():
            t0 = time.perf_counter()
            subprocess.run(cmd(f), stdout=subprocess.DEVNULL, check=True)
            times[(r, k)].append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    subprocess.run([tool, "list"], stdout=subprocess.DEVNULL, check=True)
    startup.append(time.perf_counter() - t0)
med = {key: statistics.median(v) for key, v in times.items()}
print(f"| reader | 512 MiB | 2 GiB | marginal GB/s |")
print(f"|---|---:|---:|---:|")
for r in runs:
    rate = (size["large"] - size["small"]) / (med[(r, "large")] - med[(r, "small")]) / 1e9
    print(f"| {r} | {med[(r, 'small')]:.3f} s | {med[(r, 'large')]:.3f} s | {rate:.2f} |")
print(f"\n`rectifier list` (start-up alone): {statistics.median(startup):.3f} s; {rounds} rounds, medians.")
PY
