"""Mutation testing of nbkit: make the mutants with mutmut, run each module's against its own tests.

    python benchmarks/mutation_recheck.py [--generate] [--not-checked] [--modules nbkit.momentum ...]
    python benchmarks/mutation_recheck.py --from-progress --modules nbkit.neuron

--generate makes the mutants of the nbkit files new or changed since the last run (mutmut's own
generation step, into mutants/). Then, for each module in TESTS, its mutants run against the
test files written for that module, in one pytest session per module (mutant_session.py: the
tests are collected once, each mutant is switched on in turn, the tests run until the first
failure; only the tests that call the mutated function run for its mutants), two modules at a
time. A mutant the tests fail with is recorded as killed (exit code 1) in mutmut's files under
mutants/, so `mutmut results` and mutation_score.py count it; one that none of them reaches as
"no tests" (33); the others as survivors (0).

By default only the survivors (and the "no tests") of the last run are run again, after tests
were written for them; --not-checked also runs the mutants no run has reached yet (all of them
after a fresh --generate). The mutants of a module run in a fixed random order, so that the part
of a module a stopped run reached (--minutes) is a uniform sample of its mutants
(mutation_score.py gives its interval). --modules limits the run to some modules. Each module is
recorded when it ends, and logs a line per mutant to mutants/progress-<module>.log meanwhile;
--from-progress records a stopped run from those logs.

`mutmut run` itself runs every test that reaches a mutated function, in a new pytest run per
mutant: a function the explorers call (the optimisers, training) costs minutes of explorer tests
per surviving mutant, hours for the whole of nbkit on 2 cores.
"""

import argparse
import concurrent.futures
import json
import os
import pathlib
import random
import shutil
import subprocess
import sys
import time

from mutation_score import module_of, results  # this folder is on sys.path when run as a script

ROOT = pathlib.Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"

#: The exit code mutmut's files hold for each outcome a progress log names.
EXIT_CODES = {"killed": 1, "survived": 0, "no-tests": 33}

#: The tests every explorer's module answers to: its controls, and its figure's words and marks.
EXPLORER_TESTS = ["test_explorer_controls.py", "test_explorer_figures.py"]

#: The test files that pin each module's behaviour, most specific first (pytest stops at the first failure).
TESTS = {
    "nbkit.checks": ["test_checks.py", "test_bad_inputs.py"],
    "nbkit.descent": ["test_descent.py", "test_bad_inputs.py", "test_properties.py"],
    "nbkit.gradcheck": ["test_gradcheck.py"],
    "nbkit.mlp": ["test_mlp.py", "test_bad_inputs.py"],
    "nbkit.momentum": ["test_momentum.py", "test_bad_inputs.py"],
    "nbkit.optimizers": ["test_optimizers.py", "test_fast_optimizers.py", "test_bad_inputs.py"],
    "nbkit.schedules": ["test_schedules.py", "test_bad_inputs.py"],
    "nbkit.neuron": ["test_neuron.py", "test_bad_inputs.py"],
    "nbkit.objectives": ["test_objectives.py", "test_bad_inputs.py"],
    "nbkit.sampling": ["test_sampling.py", "test_bad_inputs.py"],
    "nbkit.sgd": ["test_sgd.py", "test_bad_inputs.py"],
    "nbkit.walkthrough": ["test_walkthrough.py", "test_bad_inputs.py"],
    "nbkit.exercises.descent": ["test_exercises_descent.py"],
    "nbkit.exercises.feedback": ["test_feedback.py", "test_exercises_descent.py", "test_exercises_mlp.py",
                                 "test_exercises_optimizers.py"],
    "nbkit.exercises.mlp": ["test_exercises_mlp.py", "test_bad_inputs.py"],
    "nbkit.exercises.neuron": ["test_exercises_neuron.py"],
    "nbkit.exercises.optimizers": ["test_exercises_optimizers.py"],
    "nbkit.exercises.sgd": ["test_exercises_sgd.py"],
    "nbkit.plotting.descent": ["test_plotting_descent.py", "test_bad_inputs.py"],
    "nbkit.plotting.glyphs": ["test_glyphs.py"],
    "nbkit.plotting.graph": ["test_plotting_graph.py", "test_steppers.py"],
    "nbkit.plotting.mlp": ["test_plotting_mlp.py", "test_bad_inputs.py"],
    "nbkit.plotting.neuron": ["test_plotting_neuron.py", "test_bad_inputs.py"],
    "nbkit.plotting.optimizers": ["test_plotting_optimizers.py", "test_bad_inputs.py"],
    "nbkit.steppers.base": ["test_steppers.py"],
    "nbkit.steppers.mlp": ["test_steppers.py", "test_bad_inputs.py"],
    "nbkit.steppers.neuron": ["test_steppers.py", "test_bad_inputs.py"],
    "nbkit.explorers.fast_optimizers": ["test_fast_optimizers.py"],
    "nbkit.explorers.fast_sgd": ["test_fast_sgd.py"],
    "nbkit.explorers.fast_training": ["test_fast_training.py", "test_fast_redraw.py"],
    "nbkit.explorers.base": ["test_explorer_base.py", "test_explorer_frontend.py", "test_explorer_threads.py",
                             "test_fast_redraw.py"],
    "nbkit.explorers.descent1d": [*EXPLORER_TESTS, "test_explorer_descent1d.py", "test_bad_inputs.py"],
    "nbkit.explorers.descent2d": [*EXPLORER_TESTS, "test_explorer_descent2d.py", "test_bad_inputs.py"],
    "nbkit.explorers.mlp": [*EXPLORER_TESTS, "test_explorer_mlp.py", "test_fast_redraw.py", "test_bad_inputs.py"],
    "nbkit.explorers.neuron": [*EXPLORER_TESTS, "test_explorer_neuron.py", "test_explorer_threads.py", "test_bad_inputs.py"],
    "nbkit.explorers.optimizers": [*EXPLORER_TESTS, "test_explorer_optimizers.py", "test_bad_inputs.py"],
    "nbkit.explorers.sgd": [*EXPLORER_TESTS, "test_explorer_sgd.py", "test_bad_inputs.py"],
}


def generate():
    """Make the mutants of every nbkit file new or changed since the last run, with mutmut's own generation step.

    mutmut keeps the results of functions whose code is unchanged; a changed function's mutants
    start "not checked". (mutmut has no command for this step alone: `mutmut run` goes on to run
    every test that reaches each mutant, hours here.)
    """
    from mutmut.__main__ import create_mutants, setup_source_paths, store_lines_covered_by_tests
    from mutmut.mutation.trampoline import set_mutant_under_test
    from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir

    set_mutant_under_test("mutant_generation")
    MUTANTS.mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    store_lines_covered_by_tests()
    stats = create_mutants(os.cpu_count() or 2)
    print(f"mutants made for {stats.mutated} files ({stats.unmodified} unchanged)", flush=True)


def mutants_with(statuses):
    """Return the names of the mutants whose status in the last run is one of `statuses`."""
    return [mutant for mutant, status in results() if status in statuses]


def run(module, mutants, tests, minutes=None):
    """Return [(mutant, 1 killed / 0 survived / 33 no tests)] for the module's tests with each mutant switched on in turn.

    One process per module (mutant_session.py): the tests are collected once and run in order for
    each mutant until the first failure. They must pass first with no mutant: code changed since
    `make mutation` copied it would otherwise make every mutant "killed". Progress, a line per
    mutant, goes to mutants/progress-<module>.log. minutes: no mutant is started after that many
    minutes (the mutants run are a uniform sample: they come in a random order).
    """
    files = [f"{tests.name}/{name}" for name in TESTS[module]]
    names = tests / f"{module}.json"
    names.write_text(json.dumps(mutants))
    env = dict(os.environ, PYTHONPATH=str(MUTANTS))
    env.pop("MUTANT_UNDER_TEST", None)
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "mutant_session.py"), str(names),
                           str(MUTANTS / f"progress-{module}.log"), str(time.time() + 60 * minutes if minutes else 0),
                           *files],
                          cwd=MUTANTS, env=env, capture_output=True, text=True, timeout=6 * 3600)
    line = [l for l in done.stdout.splitlines() if l.startswith("RESULT")]
    if not line:
        print(f"{module}: the run gave no result:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}", flush=True)
        return []
    codes = json.loads(line[-1][len("RESULT"):])
    if codes is None:  # a failure without any mutant would count every mutant as killed
        print(f"{module}: its tests fail with no mutant switched on (mutants/ older than the code?): skipped\n"
              f"{done.stdout[-3000:]}", flush=True)
        return []
    return codes


def progress(module):
    """Return {mutant: exit code} from the module's progress log, as far as its run got."""
    lines = (MUTANTS / f"progress-{module}.log").read_text().splitlines()
    return {name: EXIT_CODES[outcome] for _, name, outcome in (line.split() for line in lines)}


def killed(outcomes):
    """Return how many of {mutant: exit code} were killed."""
    return sum(code == EXIT_CODES["killed"] for code in outcomes.values())


def record(outcomes):
    """Write each mutant's exit code ({name: 1 killed, 0 survived, 33 no tests}) into mutmut's .meta files."""
    for meta in MUTANTS.rglob("*.meta"):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        hits = [name for name in outcomes if name in codes]
        for name in hits:
            codes[name] = outcomes[name]
        if hits:
            meta.write_text(json.dumps(data, indent=4))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--not-checked", action="store_true", help="also run the mutants the last run did not reach")
    parser.add_argument("--modules", nargs="+", help="only these modules (e.g. nbkit.momentum)")
    parser.add_argument("--minutes", type=float,
                        help="start no mutant of a module after this many minutes of its run (a uniform sample)")
    parser.add_argument("--generate", action="store_true", help="first make the mutants of new or changed files")
    parser.add_argument("--from-progress", action="store_true",
                        help="run nothing: record what the modules' progress logs say (a run stopped before its end)")
    args = parser.parse_args()
    os.chdir(ROOT)  # where mutmut finds its results
    if args.generate:
        generate()
    if not MUTANTS.is_dir():
        sys.exit("no mutants/ here: run `make mutation` first")
    if args.from_progress:
        for module in args.modules or []:
            outcomes = progress(module)
            record(outcomes)
            print(f"{module}: {killed(outcomes)} of {len(outcomes)} killed (from its progress log)")
        return
    # The tests as they are now, in a folder of this run's own, so that two runs on different modules can overlap.
    tests = MUTANTS / f"tests-{os.getpid()}"
    shutil.copytree(ROOT / "tests", tests, ignore=shutil.ignore_patterns("browser", "__pycache__"))
    todo = {}
    for name in mutants_with(("survived", "no tests", "not checked") if args.not_checked else ("survived", "no tests")):
        if module_of(name) in TESTS and (not args.modules or module_of(name) in args.modules):
            todo.setdefault(module_of(name), []).append(name)
    for names in todo.values():  # in a fixed random order: a run stopped for time has run a uniform sample
        random.Random(0).shuffle(names)
    print(f"{sum(map(len, todo.values()))} mutants to run", flush=True)
    total = 0
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = {pool.submit(run, module, names, tests, args.minutes): module
                for module, names in sorted(todo.items(), key=lambda item: -len(item[1]))}
        for done in concurrent.futures.as_completed(runs):  # each module recorded as it ends
            outcomes = dict(done.result())
            record(outcomes)
            total += killed(outcomes)
            print(f"{runs[done]}: {killed(outcomes)} of {len(outcomes)} killed", flush=True)
    shutil.rmtree(tests)
    print(f"{total} of them killed", flush=True)


if __name__ == "__main__":
    main()
