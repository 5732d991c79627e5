#!/usr/bin/env python3
"""Lists what a Stryker run left alive, from its JSON report: per file the score, then every survived, uncovered or
timed-out mutant with its line, the mutator, the replacement and the source line it changed.

    python3 scripts/mutation_survivors.py artifacts/mutation/<target>/reports/mutation-report.json [more reports...]
    python3 scripts/mutation_survivors.py --kill-list other-report.json report.json    # see below

With --kill-list (repeatable), a mutant of the main reports also counts as killed when the other report (a run of
the same source under another configuration, e.g. DOTNET_EnableAVX512=0, whose vector bodies differ) killed the
mutant at the same place with the same replacement.
"""
import collections
import json
import sys

LIVE = ("Survived", "NoCoverage", "Timeout")


def mutants(path):
    report = json.load(open(path))
    for name, data in sorted(report["files"].items()):
        lines = data["source"].splitlines()
        for m in data["mutants"]:
            yield name, lines, m


def key(name, m):
    s = m["location"]["start"]
    return (name.split("/")[-1], s["line"], s["column"], m["mutatorName"], m.get("replacement"))


def main(args):
    killed_elsewhere = set()
    while args[:1] == ["--kill-list"]:
        for name, _, m in mutants(args[1]):
            if m["status"] in ("Killed", "Timeout"):
                killed_elsewhere.add(key(name, m))
        args = args[2:]
    per_file = collections.defaultdict(collections.Counter)
    alive = []
    for path in args:
        for name, lines, m in mutants(path):
            status = m["status"]
            if status in ("Ignored", "CompileError"):
                continue
            if status in ("Survived", "NoCoverage") and key(name, m) in killed_elsewhere:
                status = "Killed"
            short = name.split("/")[-1]
            per_file[short][status] += 1
            if status in ("Survived", "NoCoverage"):
                line = m["location"]["start"]["line"]
                alive.append((short, line, status, m["mutatorName"], (m.get("replacement") or "")[:90],
                              lines[line - 1].strip()[:110] if line <= len(lines) else ""))
    total = collections.Counter()
    for short, c in sorted(per_file.items()):
        total.update(c)
        detected = c["Killed"] + c["Timeout"]
        tested = detected + c["Survived"] + c["NoCoverage"]
        print(f"{short:28} {tested:4d} mutants  killed {c['Killed']:4d}  timeout {c['Timeout']:3d}  survived "
              f"{c['Survived']:4d}  no coverage {c['NoCoverage']:3d}  score {100 * detected / max(tested, 1):5.1f}%")
    detected = total["Killed"] + total["Timeout"]
    tested = detected + total["Survived"] + total["NoCoverage"]
    print(f"{'all':28} {tested:4d} mutants  score {100 * detected / max(tested, 1):5.1f}%")
    print()
    for short, line, status, mutator, replacement, source in sorted(alive):
        print(f"{short}:{line} [{status}] {mutator}: {replacement}\n    {source}")


if __name__ == "__main__":
    main(sys.argv[1:])
