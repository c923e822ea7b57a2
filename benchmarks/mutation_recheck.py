"""Run the survivors of the last `make mutation` again, against the tests as they are now.

    python benchmarks/mutation_recheck.py

A whole mutation run takes hours here; after tests are written for its survivors, this checks
just those mutants. It copies tests/ into mutants/ afresh and, for each survivor of a module in
TESTS, runs pytest there on that module's test files with MUTANT_UNDER_TEST set to the mutant,
the switch mutmut's own runs use. A mutant whose tests now fail is recorded as killed (exit
code 1) in mutmut's files under mutants/, so `mutmut results` and mutation_score.py count it;
the others stay survivors.
"""

import concurrent.futures
import json
import os
import pathlib
import shutil
import subprocess
import sys

from mutation_score import module_of, results  # this folder is on sys.path when run as a script

ROOT = pathlib.Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"

#: The test files that pin each module's behaviour, most specific first (pytest stops at the first failure).
TESTS = {
    "nbkit.checks": ["test_checks.py", "test_bad_inputs.py"],
    "nbkit.gradcheck": ["test_gradcheck.py"],
    "nbkit.mlp": ["test_mlp.py", "test_bad_inputs.py"],
    "nbkit.neuron": ["test_neuron.py"],
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
}


def survivors():
    """Return the names of the mutants the last run left alive."""
    return [mutant for mutant, status in results() if status == "survived"]


def run(module, mutants):
    """Return [(mutant, pytest's exit code)] for the module's tests with each mutant switched on in turn.

    One process per module: it runs pytest once per mutant (the switch is read at each call,
    as in mutmut's own runs), so the imports are paid once. The tests must pass first with no
    mutant: code changed since `make mutation` copied it would otherwise make every mutant "killed".
    """
    files = [f"tests/{name}" for name in TESTS[module]]
    script = (
        "import json, sys, pytest\n"
        "from mutmut.mutation.trampoline import set_mutant_under_test\n"
        "out = []\n"
        "set_mutant_under_test(None)\n"
        "if pytest.main(['-x', '-q', '-n', '0', '-p', 'no:cacheprovider', *sys.argv[2:]]) != 0:\n"
        "    print('RESULT' + json.dumps(None)); sys.exit()\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    set_mutant_under_test(name)\n"
        "    out.append((name, int(pytest.main(['-x', '-q', '-n', '0', '-p', 'no:cacheprovider', *sys.argv[2:]]))))\n"
        "print('RESULT' + json.dumps(out))\n")
    env = dict(os.environ, PYTHONPATH=str(MUTANTS))
    env.pop("MUTANT_UNDER_TEST", None)
    done = subprocess.run([sys.executable, "-c", script, json.dumps(mutants), *files], cwd=MUTANTS, env=env,
                          capture_output=True, text=True, timeout=3600)
    line = [l for l in done.stdout.splitlines() if l.startswith("RESULT")]
    if not line:
        print(f"{module}: the run gave no result:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}", flush=True)
        return []
    codes = json.loads(line[-1][len("RESULT"):])
    if codes is None:  # a failure without any mutant would count every mutant as killed
        print(f"{module}: its tests fail with no mutant switched on (mutants/ older than the code?): skipped",
              flush=True)
        return []
    return codes


def record(killed):
    """Write exit code 1 for the killed mutants into mutmut's .meta files."""
    for meta in MUTANTS.rglob("*.meta"):
        data = json.loads(meta.read_text())
        codes = data.get("exit_code_by_key", {})
        hits = [name for name in killed if name in codes]
        for name in hits:
            codes[name] = 1
        if hits:
            meta.write_text(json.dumps(data, indent=4))


def main():
    os.chdir(ROOT)  # where mutmut finds its results
    if not MUTANTS.is_dir():
        sys.exit("no mutants/ here: run `make mutation` first")
    shutil.rmtree(MUTANTS / "tests")
    shutil.copytree(ROOT / "tests", MUTANTS / "tests", ignore=shutil.ignore_patterns("browser", "__pycache__"))
    todo = {}
    for name in survivors():
        if module_of(name) in TESTS:
            todo.setdefault(module_of(name), []).append(name)
    print(f"{sum(map(len, todo.values()))} survivors to run again", flush=True)
    killed = []
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        for codes in pool.map(lambda item: run(*item), sorted(todo.items(), key=lambda item: -len(item[1]))):
            for mutant, code in codes:
                if code == 1:
                    killed.append(mutant)
                elif code != 0:
                    print(f"pytest exited with {code} for {mutant}: counted as a survivor", flush=True)
    record(killed)
    print(f"{len(killed)} of them killed now", flush=True)


if __name__ == "__main__":
    main()
