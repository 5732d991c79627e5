#!/usr/bin/env bash
# Streams a .npy file several times larger than the memory cap given to the process, and compares the throughput
# with plain file copies of the same file: cp (copy_file_range, inside the kernel) and dd bs=1M (through user
# space, like rectifier) (docs/PERFORMANCE.md, "Streaming").
#
#   bash bench/stream_check.sh [size_in_MiB (default 1024)] [heap_cap_in_MiB (default 64)]
#
# Needs /usr/bin/python3 with numpy to write the input (random float32, so no sparse-file shortcut).
set -euo pipefail
size_mib=${1:-1024}
cap_mib=${2:-64}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release "$root/src/Rectifier.Cli" -v quiet -nologo > /dev/null
tool="$root/src/Rectifier.Cli/bin/Release/net10.0/Rectifier.Cli.dll"
/usr/bin/python3 - "$work/in.npy" "$size_mib" <<'PY'
import sys, numpy as np
from numpy.lib import format as f
path, mib = sys.argv[1], int(sys.argv[2])
n = mib * (1 << 20) // 4
rng = np.random.default_rng(1)
with open(path, "wb") as fh:
    f.write_array_header_1_0(fh, {"descr": "<f4", "fortran_order": False, "shape": (n,)})
    chunk = 1 << 22
    for s in range(0, n, chunk):
        rng.standard_normal(min(chunk, n - s), dtype=np.float32).tofile(fh)
PY
sync
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
cap=$(printf '0x%X' $((cap_mib << 20)))
echo "input: $size_mib MiB float32; GC heap cap: $cap_mib MiB (DOTNET_GCHeapHardLimit=$cap)"
for run in 1 2 3; do
  rm -f "$work/copy.npy" "$work/out.npy" "$work/grad.npy"
  copy=$(seconds cp "$work/in.npy" "$work/copy.npy")
  rm -f "$work/copy.npy"
  dd=$(seconds dd if="$work/in.npy" of="$work/copy.npy" bs=1M status=none)
  relu=$(seconds env DOTNET_GCHeapHardLimit=$cap dotnet "$tool" apply relu "$work/in.npy" "$work/out.npy")
  gelu=$(seconds env DOTNET_GCHeapHardLimit=$cap dotnet "$tool" apply gelu "$work/in.npy" "$work/out.npy")
  grad=$(seconds env DOTNET_GCHeapHardLimit=$cap dotnet "$tool" grad relu "$work/in.npy" "$work/in.npy" "$work/grad.npy")
  rss=$( { /usr/bin/time -f '%M' env DOTNET_GCHeapHardLimit=$cap dotnet "$tool" apply relu "$work/in.npy" "$work/out.npy" > /dev/null; } 2>&1 | tail -1)
  printf 'run %d: cp %.2f s (%.0f MiB/s) | dd bs=1M %.2f s (%.0f MiB/s) | apply relu %.2f s (%.0f MiB/s, %.2f x cp) | apply gelu %.2f s (%.0f MiB/s) | grad relu %.2f s (%.0f MiB/s in) | max RSS %d MiB\n' \
    "$run" "$copy" "$(echo "$size_mib / $copy" | bc -l)" "$dd" "$(echo "$size_mib / $dd" | bc -l)" "$relu" "$(echo "$size_mib / $relu" | bc -l)" "$(echo "$copy / $relu" | bc -l)" \
    "$gelu" "$(echo "$size_mib / $gelu" | bc -l)" "$grad" "$(echo "2 * $size_mib / $grad" | bc -l)" "$((rss / 1024))"
done
