#!/usr/bin/env bash
# The smooth family side by side with PyTorch 1.13 (Debian python3-torch): each round runs PyTorch's peers (AVX2 and
# AVX-512 kernels, 1 and 2 threads), then Rectifier's smooth suite on the AVX-512 and AVX2 legs, so both see the same
# machine state; bench/smooth_table.py then prints the ratio tables from the medians over rounds.
#   bash bench/smooth_speed.sh [ROUNDS]      # about 8 minutes per round on 2 cores
source "$(dirname "$0")/rounds.sh"
for r in $(seq 1 "$ROUNDS"); do
  /usr/bin/python3 bench/peers/smooth_peers.py speed ${QUICK:-} > "$OUT/smooth.pytorch.$r.md" 2>/dev/null
  dotnet run -c Release --no-build --project bench/Rectifier.Benchmarks -- smooth ${QUICK:-} > "$OUT/smooth.rectifier.default.$r.md" 2>/dev/null
  DOTNET_EnableAVX512=0 dotnet run -c Release --no-build --project bench/Rectifier.Benchmarks -- smooth ${QUICK:-} > "$OUT/smooth.rectifier.avx2.$r.md" 2>/dev/null
done
/usr/bin/python3 bench/smooth_table.py "$OUT/smooth"
