"""Print the mutation score of each nbkit module from the last `mutmut run` (read from mutants/).

    python benchmarks/mutation_score.py [--markdown]

A mutant is killed when a unit test fails with it (or times out: the change made a test hang);
it survived when every test passed. A module whose run was stopped shows its score on the
mutants run (a uniform sample: they run in a random order) with its 95% interval. Equivalent
mutants, which no test can tell from the real code, count as survivors (benchmarks/MUTATION.md
lists those found, with the reason). Score = killed / (killed + survived + no tests).
"""

import collections
import math
import re
import subprocess
import sys

KILLED = {"killed", "timeout", "caught by type check"}
COUNTED = KILLED | {"survived", "no tests", "suspicious", "segfault"}
#: Targets by kind of module (see benchmarks/MUTATION.md).
TARGETS = {"plotting": 0.75, "explorers": 0.75, "steppers": 0.75}  # steppers: the backward pass's explorers
DEFAULT_TARGET = 0.90


def module_of(mutant):
    """Return the module of a mutant name, e.g. nbkit.objectives.xǁQuadraticǁvalue__mutmut_3 → nbkit.objectives."""
    parts = mutant.split(".")
    return ".".join(p for p in parts[:-1])


def interval(killed, counted, z=1.96):
    """Return the Wilson 95% interval (low, high) of a score of killed / counted measured on a uniform sample."""
    share = killed / counted
    centre = (share + z * z / (2 * counted)) / (1 + z * z / counted)
    half = z * math.sqrt(share * (1 - share) / counted + z * z / (4 * counted * counted)) / (1 + z * z / counted)
    return centre - half, centre + half


def results():
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        match = re.match(r"\s*(\S+): (.+)$", line)
        if match:
            yield match.group(1), match.group(2).strip()


def main():
    counts = collections.defaultdict(collections.Counter)
    for mutant, status in results():
        counts[module_of(mutant)][status] += 1
    markdown = "--markdown" in sys.argv
    if markdown:
        print("| module | mutants | killed | survived | not checked | score | target |")
        print("|---|---|---|---|---|---|---|")
    else:
        print(f"{'module':32} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>15} {'target':>7}")
    for module in sorted(counts):
        c = counts[module]
        killed = sum(c[s] for s in KILLED)
        counted = sum(c[s] for s in COUNTED)
        unchecked = sum(c.values()) - counted
        kind = module.split(".")[1] if module.count(".") >= 2 else ""
        target = TARGETS.get(kind, DEFAULT_TARGET)
        score = f"{killed / counted:.0%}" if counted else "—"
        if counted and unchecked:  # a stopped run: its mutants ran in a random order, a uniform sample
            low, high = interval(killed, counted)
            score += f" ({low:.0%}–{high:.0%})"
        mark = "  not run" if not counted else ("" if killed / counted >= target else "  below target")
        if markdown:
            print(f"| {module} | {sum(c.values())} | {killed} | {counted - killed} | {unchecked} | "
                  f"{score} | {target:.0%}{mark} |")
        else:
            print(f"{module:32} {sum(c.values()):8} {killed:7} {counted - killed:9} {score:>15} {target:7.0%}{mark}"
                  + (f"  ({unchecked} not checked)" if unchecked else ""))


if __name__ == "__main__":
    main()
