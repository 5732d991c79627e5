# Shared by the side-by-side scripts (bench/smooth_speed.sh, bench/new_activations.sh): strict mode, the repository
# root as working directory, $OUT for the tables (default bench-out/, ignored by git), $ROUNDS from the first argument
# (default 2), and the benchmark tool built once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=${OUT:-bench-out}
ROUNDS=${1:-2}
mkdir -p "$OUT"
dotnet build -c Release bench/Rectifier.Benchmarks > /dev/null
