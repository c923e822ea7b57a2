"""The committed notebooks and the float-comparing unit tests, again under other numpy SIMD levels.

numpy picks its SIMD kernels (exp, tanh, sums) and OpenBLAS its matrix-product kernels from
the CPU at start-up, so the last bits of a result differ between machines, and a stored output
that prints round-off passes strict nbval only on the machine that recorded it.
`NPY_DISABLE_CPU_FEATURES` switches numpy's kernels off and `OPENBLAS_CORETYPE` picks OpenBLAS's,
so one machine can stand in for older CPUs:

    native    the machine's own kernels: the session's own nbval run of notebooks/*.ipynb
    X86_V3    an AVX2 laptop: AVX512_SPR, AVX512_ICL and X86_V4 disabled, OpenBLAS's Haswell kernels;
              the notebooks
    baseline  every dispatched kernel disabled, numpy's compiled-in minimum (X86_V2 on x86-64),
              and on x86-64 OpenBLAS's kernels for the CPU of that level, Nehalem; the notebooks
              and the unit tests that compare floats

A level above what the CPU has, or identical to a level already run, is skipped with the reason.
Each other level is one pytest subprocess, with this repository's addopts (strict nbval with
nbval_sanitize.cfg; a kernel inherits its environment, so it runs at the same level), over every
notebooks/*.ipynb and the fixture notebook, and at the baseline also the unit tests that compare
floats (a bound there that is tighter than its error analysis shows up below native). tests/conftest.py
starts these runs in a background thread, once per session: in a single-process session with the
first test outside the browser suite, beside the unit tests; under pytest-xdist in the controller
as soon as a worker has collected a test that waits for them, beside the two workers, which read
the results from a file the controller writes when the runs end. The tests here wait for them
and report what failed.

tests/fixtures/roundoff_on_purpose.ipynb prints the digits of a round-off-level value. Its
outputs are recorded afresh at the native level when the runs start (what it prints depends on the
CPU that runs it, so a stored copy would pass only on the CPU that recorded it); the recorded copy
passes at the native level and must fail at every other level that runs, which proves the check
can fail.
"""

import atexit
import dataclasses
import json
import os
import pathlib
import inspect
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
VARIABLE = "NPY_DISABLE_CPU_FEATURES"
CORETYPE = "OPENBLAS_CORETYPE"
FIXTURE = "tests/fixtures/roundoff_on_purpose.ipynb"
#: Unit tests of figures and widgets compare images drawn in one process (and take most of the
#: unit tests' time); these checks and the static ones do not compare floats across processes.
NOT_FLOAT_TESTS = ("test_explorer_", "test_notebooks.py", "test_environment.py", "test_show.py",
                   "test_portability.py")
ABOVE_X86_V3 = ("AVX512_SPR", "AVX512_ICL", "X86_V4")


def notebooks():
    """Return the committed notebooks, found by glob: paths relative to the repository."""
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "notebooks").glob("*.ipynb"))


def float_tests():
    """Return the unit-test files that compare floats: every tests/test_*.py but NOT_FLOAT_TESTS."""
    return sorted(p.relative_to(REPO).as_posix() for p in (REPO / "tests").glob("test_*.py")
                  if not p.name.startswith(NOT_FLOAT_TESTS))


def record_natively(notebook, folder):
    """Execute `notebook` (relative to the repository) at the session's own SIMD level into folder; return its path."""
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.record_timing=False", "--output-dir", str(folder), str(REPO / notebook)],
                   cwd=REPO, check=True, capture_output=True)
    return folder / pathlib.Path(notebook).name


def stored_output(notebook):
    """Return the text the fixture's printing cell stores (its second cell's first output)."""
    return "".join(json.loads(pathlib.Path(notebook).read_text(encoding="utf-8"))["cells"][1]["outputs"][0]["text"])


def cpu():
    """Return numpy's SIMD facts for this CPU with nothing disabled: dict of baseline, dispatch, found."""
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    code = ("import json; from numpy._core._multiarray_umath import "
            "__cpu_baseline__ as b, __cpu_dispatch__ as d, __cpu_features__ as f; "
            "print(json.dumps(dict(baseline=b, dispatch=d, found=[x for x in d if f.get(x)])))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@dataclasses.dataclass
class Level:
    """One SIMD level: the numpy features it disables, OpenBLAS's kernels, why it is skipped (None: it runs)."""

    name: str
    disable: tuple
    coretype: str | None = None
    skip: str | None = None
    unit_tests: bool = False  # whether the unit tests that compare floats run at this level too

    def env(self):
        """Return the environment variables that set this level, a dict."""
        return {VARIABLE: ",".join(self.disable)} | ({CORETYPE: self.coretype} if self.coretype else {})


def levels(facts, machine=platform.machine()):
    """Return the Levels other than native for a CPU with these facts (from cpu()), each with its skip reason."""
    found, x86 = set(facts["found"]), machine.lower() in ("x86_64", "amd64")
    native = f"found {sorted(found) or 'nothing'} above the baseline {facts['baseline']}"
    v3 = Level("X86_V3", ABOVE_X86_V3, "Haswell")
    baseline = Level("baseline", tuple(facts["dispatch"]), "Nehalem" if x86 else None, unit_tests=True)
    if not x86:
        v3.skip = f"X86_V3 is an x86-64 level and this CPU is {machine}"
    elif "X86_V3" not in found:
        v3.skip = f"the CPU lacks X86_V3 (AVX2): {native}"
    elif not found & set(ABOVE_X86_V3):
        v3.skip = f"identical to the native level: numpy {native}, so the native run is the X86_V3 run"
    if not found:
        baseline.skip = f"identical to the native level: numpy {native}"
    return [v3, baseline]


class LevelRuns:
    """The pytest subprocesses, one per level that runs, in a background thread; results by level.

    With `out` set (a path), everything the tests need is also written there as JSON when the runs
    end, for xdist workers to read (read_shared)."""

    def __init__(self, out=None):
        self.lock, self.thread, self.results, self.running = threading.Lock(), None, {}, None
        self.stopped, self.out = False, out
        atexit.register(self.stop)

    def stop(self):
        """Interrupt a run still going when the session ends early, so that it shuts its kernel down."""
        with self.lock:
            self.stopped, proc = True, self.running
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()

    def start(self):
        """Start the runs once (later calls do nothing)."""
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self._run_all, daemon=True)
                self.thread.start()

    def _run_all(self):
        try:
            self.facts = cpu()
            self.levels = levels(self.facts)
            # Recorded inside the repository, so that its test ids name it (tests.fixtures.….roundoff_on_purpose).
            with tempfile.TemporaryDirectory(prefix=".recorded-", dir=REPO / pathlib.Path(FIXTURE).parent) as tmp:
                fixture = record_natively(FIXTURE, pathlib.Path(tmp))
                # The recorded fixture at the native level: it must pass there, or its failure proves nothing.
                self.results["native"] = self._run("native", {}, [fixture])
                self.results["native"].stored = stored_output(fixture)
                for level in self.levels:
                    if not level.skip and not self.stopped:
                        tests = float_tests() if level.unit_tests else []
                        self.results[level.name] = self._run(level.name, level.env(), notebooks() + [fixture] + tests)
        except Exception as error:  # reported by the tests, never lost in the thread
            self.error = error
        finally:
            if self.out is not None:
                self._write(pathlib.Path(self.out))

    def _write(self, path):
        error = getattr(self, "error", None)
        data = dict(facts=getattr(self, "facts", None),
                    levels=[dataclasses.asdict(l) for l in getattr(self, "levels", [])],
                    results={k: dataclasses.asdict(r) for k, r in self.results.items()},
                    error=None if error is None else f"{type(error).__name__}: {error}")
        part = path.with_suffix(".part")
        part.write_text(json.dumps(data), encoding="utf-8")
        part.replace(path)  # whole or absent: a reader never sees half a file

    def _run(self, name, level_env, paths):
        env = dict(os.environ) | level_env  # native: the session's own environment
        t0 = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="nbkit-simd-") as tmp:
            xml = pathlib.Path(tmp) / "results.xml"
            with self.lock:
                if self.stopped:
                    raise RuntimeError("the session ended before this run started")
                # In one process (-n 0): the session's own workers keep the cores busy.
                self.running = proc = subprocess.Popen(
                    [sys.executable, "-m", "pytest", "-q", "--color=no", "-n", "0", f"--junitxml={xml}", *map(str, paths)],
                    cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            output = proc.communicate()[0]
            return Result(name, " ".join(f"{k}={v}" for k, v in level_env.items()), proc.returncode,
                          output, cases(xml), time.monotonic() - t0)

    def wait(self):
        """Return (the CPU facts, the Levels, the Results by level name) once every run has ended."""
        self.start()
        self.thread.join()
        if hasattr(self, "error"):
            raise self.error
        return self.facts, self.levels, self.results


@dataclasses.dataclass
class Result:
    """One pytest subprocess: its level and the variables that set it, exit status, output, outcomes, wall time."""

    level: str
    variables: str
    returncode: int
    output: str
    cases: dict
    seconds: float
    stored: str = ""  # the native run: what the recorded fixture's printing cell stores

    def failed(self, exclude=()):
        """Return {test id: failure text} of the tests that did not pass, but those in exclude."""
        return {k: v for k, v in self.cases.items() if v is not None and k not in exclude}


def cases(xml):
    """Return {test id: None if it passed or skipped, else its failure text} from a junit XML file ({} if missing)."""
    if not xml.exists():
        return {}
    out = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        key = f"{case.get('classname')}::{case.get('name')}"
        bad = [e for e in case if e.tag in ("failure", "error")]
        out[key] = None if not bad else "\n".join(f"{e.tag}: {e.get('message', '')}\n{e.text or ''}" for e in bad)
    return out


#: Seconds a worker waits for the controller's runs at other SIMD levels (they take 2–4 minutes here).
SHARED_TIMEOUT = 1800


def read_shared(path, poll=1.0, timeout=SHARED_TIMEOUT):
    """Return what LevelRuns.wait returns, read from the file a LevelRuns(out=path) in another process
    writes when its runs end (waiting for it, at most `timeout` seconds)."""
    path = pathlib.Path(path)
    end = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > end:
            raise RuntimeError(f"the runs at other SIMD levels left no results in {path} within {timeout} s: "
                               "the controller did not start them, or they hang")
        time.sleep(poll)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["error"] is not None:
        raise RuntimeError(f"the runs at other SIMD levels failed to run: {data['error']}")
    levels_ = [Level(**dict(d, disable=tuple(d["disable"]))) for d in data["levels"]]
    return data["facts"], levels_, {k: Result(**r) for k, r in data["results"].items()}


RUNS = LevelRuns()
#: The key, in an xdist worker's workerinput, of the file the controller's runs write.
SHARED = "nbkit_level_runs"


def start_level_runs(out=None):
    """Start the other levels' runs in the background (called by tests/conftest.py), writing to `out` if set."""
    RUNS.out = out
    RUNS.start()


def waits_for_the_runs(nodeid):
    """Return True if the test with this pytest node id waits for the runs (takes the level_runs fixture)."""
    path, _, name = nodeid.partition("::")
    function = globals().get(name.split("[")[0].split("@")[0])
    return (path.endswith("test_portability.py") and callable(function)
            and "level_runs" in inspect.signature(function).parameters)


@pytest.fixture(scope="module")
def level_runs(request):
    shared = getattr(request.config, "workerinput", {}).get(SHARED)
    return read_shared(shared) if shared else RUNS.wait()


def fixture_case(result):
    """Return the test id of the fixture's printing cell in a Result."""
    ids = [k for k in result.cases if "roundoff_on_purpose" in k]
    assert len(ids) == 1, f"the {result.level} run has no single fixture cell: {sorted(result.cases)}\n{result.output[-3000:]}"
    return ids[0]


def _level_param(name):
    return pytest.param(name, id=name)


@pytest.mark.parametrize("name", [_level_param("X86_V3"), _level_param("baseline")])
def test_notebooks_and_float_tests_pass_at_the_level(level_runs, name):
    facts, levels_, results = level_runs
    level = next(l for l in levels_ if l.name == name)
    if level.skip:
        pytest.skip(f"{name}: {level.skip}")
    result = results[name]
    print(f"{name}: {result.variables}: {len(result.cases)} tests in {result.seconds:.0f} s")
    ran = {k.split("::")[0] for k in result.cases}
    expected = notebooks() + (float_tests() if level.unit_tests else [])
    missing = [p for p in expected if p.replace("/", ".").removesuffix(".py") not in ran]
    assert not missing, f"{name}: not run: {missing}\n{result.output[-3000:]}"
    failed = result.failed(exclude={fixture_case(result)})
    report = "\n\n".join(f"{k}\n{v[:3000]}" for k, v in failed.items())
    assert not failed, f"{name} ({result.variables}): {len(failed)} failed:\n{report}"


def test_the_fixture_that_prints_round_off_passes_natively_and_fails_at_every_other_level(level_runs):
    facts, levels_, results = level_runs
    native = results["native"]
    assert native.failed() == {} and native.cases, f"the fixture fails natively:\n{native.output[-3000:]}"
    stored = native.stored
    assert 0 < abs(float(stored.split()[-1])) < 1e-10, f"the fixture no longer prints a round-off-level value: {stored!r}"
    ran = [l for l in levels_ if not l.skip]
    if not ran:
        pytest.skip("no SIMD level other than the native one runs on this CPU: "
                    + "; ".join(f"{l.name}: {l.skip}" for l in levels_))
    for level in ran:
        result = results[level.name]
        failure = result.cases[fixture_case(result)]
        assert failure is not None, f"{level.name}: strict nbval passed the fixture's round-off output {stored!r}"
        # A mismatch of the printed digits, not a failure to run: nbval quotes the stored value.
        assert "Cell outputs differ" in failure and stored.split()[-1] in failure, failure


AVX512 = dict(baseline=["X86_V2"], dispatch=["X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"],
              found=["X86_V3", "X86_V4", "AVX512_ICL", "AVX512_SPR"])


@pytest.mark.parametrize("found, runs", [
    (AVX512["found"], {"X86_V3", "baseline"}),       # an AVX-512 server: both levels differ from native
    (["X86_V3", "X86_V4"], {"X86_V3", "baseline"}),  # AVX-512 without ICL/SPR
    (["X86_V3"], {"baseline"}),                      # an AVX2 laptop: native is X86_V3
    ([], set()),                                     # a CPU at the baseline: native is all there is
])
def test_levels_run_only_what_the_cpu_has_and_the_native_run_does_not_cover(found, runs):
    result = levels(dict(AVX512, found=found), machine="x86_64")
    assert {l.name for l in result if not l.skip} == runs
    assert all(l.skip for l in result if l.name not in runs)
    v3, baseline = (next(l for l in result if l.name == name) for name in ("X86_V3", "baseline"))
    assert v3.env() == {VARIABLE: "AVX512_SPR,AVX512_ICL,X86_V4", CORETYPE: "Haswell"}
    assert baseline.env() == {VARIABLE: "X86_V3,X86_V4,AVX512_ICL,AVX512_SPR", CORETYPE: "Nehalem"}


def test_on_arm_the_baseline_disables_every_dispatched_feature_and_x86_v3_is_skipped():
    facts = dict(baseline=["NEON", "ASIMD"], dispatch=["ASIMDHP", "ASIMDDP", "SVE"], found=["ASIMDHP", "ASIMDDP"])
    v3, baseline = levels(facts, machine="aarch64")
    assert "aarch64" in v3.skip and baseline.skip is None
    assert baseline.env() == {VARIABLE: "ASIMDHP,ASIMDDP,SVE"}  # OpenBLAS's core names are per architecture


def test_cpu_sees_the_features_that_the_variable_would_hide(monkeypatch):
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    if os.environ.get(VARIABLE):
        pytest.skip(f"this session runs with {VARIABLE} set, so its own numpy does not show the CPU's features")
    monkeypatch.setenv(VARIABLE, ",".join(__cpu_dispatch__))
    assert cpu()["found"] == [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
