#!/usr/bin/env bash
# Mutation testing with Stryker.NET (a local tool: .config/dotnet-tools.json) over the library's Operators, Kernels
# and Math folders and the activation list, and over the command's option handling. Not part of CI: a full run takes
# hours on two cores (docs/TESTING.md has the last run's scores and what was done about each survivor).
#
#   bash scripts/mutation.sh [library|operators|math|kernels|activation|piecewise|smooth|cli|PATTERN...]   # default: library and cli
#   bash scripts/mutation.sh kernels-elementwise kernels-reductions kernels-counts kernels-mask kernels-softmax kernels-tensor
#   MUTATION_TESTS='FullyQualifiedName~CatalogueTests' bash scripts/mutation.sh activation         # only those tests per mutant
#   MUTATION_TIMEOUT=5000 bash scripts/mutation.sh smooth                                          # additional timeout, ms
#   DOTNET_EnableAVX512=0 bash scripts/mutation.sh kernels-mask   # the 256-bit bodies; reports in artifacts/mutation/kernels-mask-avx2/
#   bash scripts/mutation.sh 'rerun=**/Kernels/ParallelRunner.cs{1200..2400},**/Kernels/Elementwise.cs'   # named run; {from..to}: characters
#   python3 scripts/mutation_survivors.py artifacts/mutation/kernels-mask/reports/mutation-report.json   # scores and survivors
#
# Each target runs in a clean copy of the working tree (so the build outputs here are not touched) and leaves its
# reports under artifacts/mutation/<target>/ (mutation-report.html, mutation-report.json, and the log).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(library cli)
dotnet tool restore > /dev/null

run() {
  local name=$1 project=$2
  shift 2
  local work out
  work=$(mktemp -d)
  # a run on a narrower vector leg keeps its own reports beside the default leg's
  [ "${DOTNET_EnableAVX512:-1}" = 0 ] && name+=-avx2
  [ "${DOTNET_EnableAVX2:-1}" = 0 ] && name+=-sse
  out="$root/artifacts/mutation/$name"
  rm -rf "$out" && mkdir -p "$out"
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$work"
  local mutate=()
  for m in "$@"; do mutate+=(--mutate "$m"); done
  # Stryker places every mutant of the project in the compiled code, filtered or not, which slows the whole suite
  # several times over; a file outside the target is marked off with Stryker's own comment so that none is placed.
  python3 - "$work" "$project" "$@" <<'PY'
import pathlib, re, sys
work, project, patterns = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
src = next(p.parent for p in work.glob("src/*/" + project))
def regex(glob):  # Stryker's globs: **/ any folders (or none), * within a name
    return re.compile("".join("(?:.*/)?" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
                              for part in re.split(r"(\*\*/|\*)", glob)) + "$")
patterns = [re.sub(r"\{[0-9.]*\}$", "", p) for p in patterns]   # a text span {start..end} narrows mutants, not files
targets = [regex(p if p.startswith("**/") else "**/" + p) for p in patterns]
for f in src.rglob("*.cs"):
    rel = f.relative_to(src).as_posix()
    if rel.startswith(("obj/", "bin/")):
        continue
    if not any(t.match(rel) for t in targets):
        f.write_text("// Stryker disable all\n" + f.read_text())
PY
  # MUTATION_TESTS (a test-case filter, e.g. FullyQualifiedName~CatalogueTests) narrows the tests run per mutant
  # to the classes that check the target; the score then says what those tests catch.
  # MUTATION_TIMEOUT (ms) replaces the configuration's additional-timeout: a mutant that loops forever then costs less.
  if [ -n "${MUTATION_TESTS:-}${MUTATION_TIMEOUT:-}" ]; then
    python3 - "$work/tests/Mutation/stryker-config.json" "${MUTATION_TESTS:-}" "${MUTATION_TIMEOUT:-}" <<'PY'
import json, sys
path, tests, timeout = sys.argv[1], sys.argv[2], sys.argv[3]
config = json.load(open(path))
if tests:
    config["stryker-config"]["test-case-filter"] = tests
if timeout:
    config["stryker-config"]["additional-timeout"] = int(timeout)
json.dump(config, open(path, "w"), indent=2)
PY
  fi
  echo "=== mutation: $name (${*})${MUTATION_TESTS:+ tests: $MUTATION_TESTS}"
  local start=$SECONDS
  (cd "$work/tests/Mutation" && dotnet tool restore > /dev/null &&
    dotnet stryker --config-file stryker-config.json --project "$project" "${mutate[@]}" --output "$out" --log-to-file 2>&1 | tee "$out/stryker.log" | grep -E "score|Killed|Survived|Timeout|No coverage|Ignored|error" || true)
  echo "$name: $((SECONDS - start)) s"
  # a test host left running by a mutant that loops forever would hold a core through every later run
  pkill -9 -f "$work/" 2> /dev/null || true
  rm -rf "$work"
}

for t in "${targets[@]}"; do
  case $t in
    library) run operators Rectifier.csproj "**/Operators/**/*.cs"
             run math Rectifier.csproj "**/Math/**/*.cs"
             run kernels Rectifier.csproj "**/Kernels/**/*.cs"
             run activation Rectifier.csproj "**/Activation.cs" "**/ActivationInfo.cs" "**/ActivationCatalog.cs" ;;
    operators|math|kernels) run "$t" Rectifier.csproj "**/${t^}/**/*.cs" ;;
    smooth) run smooth Rectifier.csproj "**/Math/**/*.cs" "**/Operators/Smooth.cs" "**/Operators/SmoothFunctions.cs" ;;
    activation) run activation Rectifier.csproj "**/Activation.cs" "**/ActivationInfo.cs" "**/ActivationCatalog.cs" ;;
    piecewise) run piecewise Rectifier.csproj "**/Operators/Relu.cs" "**/Operators/LeakyRelu.cs" "**/Operators/Hardtanh.cs" \
                 "**/Operators/Threshold.cs" "**/Operators/Shrink.cs" "**/Operators/Piecewise.cs" ;;
    # Kernels/ in parts, so that each part's report comes back in an hour or less on two cores
    kernels-elementwise) run "$t" Rectifier.csproj "**/Kernels/ElementwiseDriver.cs" "**/Kernels/Elementwise.cs" \
                 "**/Kernels/ElementKernels.cs" "**/Kernels/ParallelRunner.cs" ;;
    kernels-reductions) run "$t" Rectifier.csproj "**/Kernels/OrderedSum.cs" "**/Kernels/Channel*.cs" ;;
    kernels-counts) run "$t" Rectifier.csproj "**/Kernels/CountKernels.cs" ;;
    kernels-mask) run "$t" Rectifier.csproj "**/Kernels/MaskKernels.cs" ;;
    kernels-softmax) run "$t" Rectifier.csproj "**/Kernels/SoftmaxKernels.cs" ;;
    kernels-tensor) run "$t" Rectifier.csproj "**/Kernels/TensorWalk.cs" "**/Kernels/TensorStage.cs" ;;
    cli) run cli Rectifier.Cli.csproj "**/CliOptions.cs" "**/Functions.cs" "**/ApplyCommand.cs" ;;
    *=*) IFS=, read -r -a globs <<< "${t#*=}"; run "${t%%=*}" Rectifier.csproj "${globs[@]}" ;;   # NAME=GLOB[{from..to}],GLOB...
    *) run "$(basename "$t" .cs | tr -c 'A-Za-z0-9\n' '-')" Rectifier.csproj "$t" ;;
  esac
done
