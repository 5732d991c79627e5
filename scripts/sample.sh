#!/usr/bin/env bash
# Packs the library into a local feed and builds, runs and publishes samples/Rectifier.Sample from that package, as a
# user's project would consume it: a plain run, a trimmed self-contained publish (warnings are errors) and, where a C
# toolchain is present (clang; installed from Debian's packages when missing and apt-get is allowed), a NativeAOT
# publish. Each step prints "sample <step>: ok" or "sample <step>: FAILED"; the exit code is the number of failures.
#   scripts/sample.sh [--no-aot] [--install-clang]
set -uo pipefail
cd "$(dirname "$0")/.."
feed=artifacts/packages
work=artifacts/sample
aot=1
install_clang=0
for arg in "$@"; do
  case $arg in
    --no-aot) aot=0 ;;
    --install-clang) install_clang=1 ;;
    *) echo "usage: scripts/sample.sh [--no-aot] [--install-clang]" >&2; exit 2 ;;
  esac
done
rm -rf "$feed" "$work"
mkdir -p "$feed" "$work"
failures=0
step() {   # step NAME COMMAND...: runs the command, its output in $work/NAME.log
  local name=$1
  shift
  if "$@" > "$work/$name.log" 2>&1; then
    echo "sample $name: ok"
  else
    tail -n 15 "$work/$name.log"
    echo "sample $name: FAILED"
    failures=$((failures + 1))
  fi
}

step pack dotnet pack src/Rectifier -c Release -o "$feed"
package=$(ls "$feed"/Rectifier.*.nupkg 2>/dev/null | grep -v '\.snupkg$' | head -n 1)
if [ -z "$package" ] || [ ! -f "${package%.nupkg}.snupkg" ]; then
  echo "sample package: FAILED (no .nupkg and .snupkg in $feed)"
  exit 1
fi
# The nuspec carries the readme, the licence and the commit it was built from.
nuspec_has() {
  python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); t = z.read("Rectifier.nuspec").decode(); sys.exit(0 if all(k in t for k in sys.argv[2:]) else 1)' "$@"
}
step nuspec nuspec_has "$package" '<readme>README.md</readme>' '<license type="expression">MIT</license>' 'commit="'

version=$(basename "$package" .nupkg)
version=${version#Rectifier.}
echo "packed Rectifier $version"
# A rebuilt package keeps its version until the next commit: drop any copy of it from the global package cache.
cache=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
rm -rf "$cache/rectifier/$version"

project=samples/Rectifier.Sample/Rectifier.Sample.csproj
props=(-c Release -p:RectifierVersion="$version")
step run dotnet run --project "$project" "${props[@]}"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)
step trimmed dotnet publish "$project" "${props[@]}" -r "$rid" --self-contained -p:PublishTrimmed=true -warnaserror -o "$work/trimmed"
step trimmed-run "$work/trimmed/Rectifier.Sample"

if [ "$aot" = 1 ]; then
  compiler=$(command -v clang || command -v clang-19 || command -v clang-16 || command -v clang-14 || true)
  if [ -z "$compiler" ] && [ "$install_clang" = 1 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev; } > "$work/apt.log" 2>&1
    compiler=$(command -v clang || true)
  fi
  if [ -n "$compiler" ]; then
    step aot dotnet publish "$project" "${props[@]}" -r "$rid" -p:PublishAot=true -p:CppCompilerAndLinker="$compiler" -warnaserror -o "$work/aot"
    step aot-run "$work/aot/Rectifier.Sample"
  else
    echo "sample aot: skipped (no clang)"
  fi
fi
exit "$failures"
