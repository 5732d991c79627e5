#!/usr/bin/env bash
# The new activations (hardshrink, softshrink, softsign, tanhshrink, logsigmoid, softmax, log_softmax) side by side
# with PyTorch 1.13 (Debian python3-torch) in one run: each round runs PyTorch's peers, then Rectifier on every
# vector-width leg, so both see the same machine state. Tables go to $OUT (default bench-out/).
#   bash bench/new_activations.sh [ROUNDS]      # about 6 minutes per round on 2 cores (QUICK=--quick: shorter, noisier)
source "$(dirname "$0")/rounds.sh"
run() { dotnet run -c Release --no-build --project bench/Rectifier.Benchmarks -- "$@"; }
for r in $(seq 1 "$ROUNDS"); do
  /usr/bin/python3 bench/peers/smooth_peers.py speed ${QUICK:-} > "$OUT/pytorch-smooth.$r.md" 2>/dev/null
  /usr/bin/python3 bench/peers/softmax_peers.py speed ${QUICK:-} > "$OUT/pytorch-softmax.$r.md" 2>/dev/null
  for leg in default avx2 sse; do
    case $leg in
      default) env=() ;;
      avx2) env=(DOTNET_EnableAVX512=0) ;;
      sse) env=(DOTNET_EnableAVX2=0) ;;
    esac
    env "${env[@]}" bash -c "$(declare -f run); run smooth ${QUICK:-} --only softsign,tanhshrink,logsigmoid" > "$OUT/rectifier-smooth.$leg.$r.md" 2>/dev/null
    env "${env[@]}" bash -c "$(declare -f run); run softmax ${QUICK:-}" > "$OUT/rectifier-softmax.$leg.$r.md" 2>/dev/null
  done
done
env DOTNET_EnableAVX512=1 bash -c "$(declare -f run); run relu" > "$OUT/rectifier-relu.default.md" 2>/dev/null
for leg in avx2 sse; do
  case $leg in avx2) v=DOTNET_EnableAVX512=0 ;; sse) v=DOTNET_EnableAVX2=0 ;; esac
  env $v bash -c "$(declare -f run); run relu --quick" > "$OUT/rectifier-relu.$leg.md" 2>/dev/null
done
ls "$OUT"
