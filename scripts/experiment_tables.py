#!/usr/bin/env python3
"""Markdown tables from `rectifier experiment ... --json` (the tables of docs/EXPERIMENTS.md).

    dotnet run -c Release --project src/Rectifier.Cli -- experiment convergence --data fashion-mnist --json | python3 scripts/experiment_tables.py
"""
import json
import sys


def pct(v):
    return "—" if v is None else f"{100 * v:.1f}%"


def num(v, digits=1):
    return "—" if v is None else f"{v:.{digits}f}"


def convergence(d):
    by_depth = len({r["depth"] for r in d["results"]}) > 1
    head = ("| depth " if by_depth else "") + "| activation | reached target | epochs to target (mean ± std) | × relu | seconds to target | × relu | final train acc | final test acc |"
    print(head)
    print(("|---:" if by_depth else "") + "|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in d["results"]:
        reached = r["reached"] > 0
        cells = []
        if by_depth:
            cells.append(str(r["depth"]))
        cells += [
            r["activation"],
            f'{r["reached"]}/{r["runs"]}',
            f'{num(r["epochs_mean"])} ± {num(r["epochs_std"])}' if reached else f'> {d["Epochs"]}',
            num(r["epochs_ratio_to_relu"], 2),
            f'{num(r["seconds_mean"], 2)} ± {num(r["seconds_std"], 2)}' if reached else "—",
            num(r["seconds_ratio_to_relu"], 2),
            f'{pct(r["final_train_mean"])} ± {num(100 * r["final_train_std"])}',
            f'{pct(r["final_test_mean"])} ± {num(100 * r["final_test_std"])}',
        ]
        print("| " + " | ".join(cells) + " |")


def dying(d):
    print("| activation | learning rate | diverged | dead after epoch 1 | dead at peak | dead at the end | dead units that came back | final train acc | final test acc |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in d["results"]:
        print(f'| {r["activation"]} | {r["learning_rate"]:g} | {r["diverged_runs"]}/{r["runs"]} | {pct(r["dead_fraction_first_epoch"])} | '
              f'{pct(r["dead_fraction_peak"])} | {pct(r["dead_fraction_final"])} | {num(r["recovered_units"])} | '
              f'{pct(r["final_train_accuracy"])} | {pct(r["final_test_accuracy"])} |')


def main():
    d = json.loads(sys.stdin.read())
    {"convergence": convergence, "dying": dying}[d["experiment"]](d)


if __name__ == "__main__":
    main()
