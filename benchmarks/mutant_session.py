"""Run some test files against each of a list of mutants, in one pytest session (used by mutation_recheck.py).

    cd mutants && python mutant_session.py MUTANTS.json PROGRESS.log UNTIL tests/test_a.py tests/test_b.py

The tests are collected once and run once with no mutant, recording which of nbkit's mutated
functions each test calls (mutmut's "stats" switch, each test with fresh fixtures and caches).
Then, for each mutant in turn, the mutant is switched on (the switch mutmut's trampolines read at
each call) and the tests that call its function run in order until the first failure; a mutant
whose function none of them calls has "no tests" (mutmut's exit code 33), and counts as not
killed. Collecting the tests anew for every mutant, as one pytest.main per mutant does, costs
about 0.7 s a mutant here, more than most mutants' tests take. Between mutants every fixture is
torn down and nbkit's lru caches are cleared, so nothing computed under one mutant serves the next.

Prints one line, RESULT + JSON: [[mutant, 1 killed / 0 survived / 33 no tests], ...], or null when the tests
fail with no mutant switched on, before the mutants or after them in the order they were left in
(a test that kills a mutant moves to the front, so that the next mutant tries it first); then the
failure is printed too. A mutant whose tests run over MUTANT_SECONDS counts as killed, as mutmut's
own timeout does. UNTIL is a time (seconds since the epoch, 0 for none) after which no mutant is
started: the result then holds the mutants run so far. PROGRESS.log gets a line per mutant, to follow a long run.
"""

import gc
import json
import os
import signal
import sys
import threading
import time

import pytest
from _pytest.runner import runtestprotocol
import mutmut.mutation.trampoline as trampoline
from mutmut.mutation.trampoline import set_mutant_under_test

#: mutmut's exit code for a mutant that no test reaches.
NO_TESTS = 33

#: Seconds a mutant's tests may take before they count as failed (a mutant that makes a loop endless).
MUTANT_SECONDS = 120


def _overtime(*_):
    raise TimeoutError("the tests ran over the time of a mutant")


def _watchdog():
    """Return a started timer that interrupts the main thread after MUTANT_SECONDS (cancel it when done).

    A thread and SIGUSR1, not signal.alarm: a test may set and clear an alarm of its own, which
    would cancel the mutant's.
    """
    main = threading.main_thread().ident
    timer = threading.Timer(MUTANT_SECONDS, signal.pthread_kill, (main, signal.SIGUSR1))
    timer.daemon = True
    timer.start()
    return timer


def _switch_on(name):
    """Make `name` the mutant that mutmut's trampolines run (None: the original code).

    set_mutant_under_test(None) alone leaves the last name in MUTANT_UNDER_TEST, which wins.
    """
    set_mutant_under_test(name)
    if name is None:
        os.environ.pop("MUTANT_UNDER_TEST", None)


def _clear_caches():
    """Empty the lru caches of nbkit's functions (glyph bitmaps), which may hold a mutant's results."""
    for name, module in list(sys.modules.items()):
        if name.startswith("nbkit"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def function_of(mutant):
    """Return the mutated function's name as mutmut's trampolines record it: the mutant's name without __mutmut_N."""
    return mutant.partition("__mutmut_")[0]


def _release():
    """Close every figure and widget the tests left: ipywidgets keeps each widget ever made (and an
    explorer's figure with its canvas) until it is closed, gigabytes over a few hundred mutants."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
    ipywidgets = sys.modules.get("ipywidgets")
    if ipywidgets is not None:
        ipywidgets.Widget.close_all()
    gc.collect()


class Mutants:
    """A pytest plugin that replaces the test loop by one pass over the tests per mutant."""

    def __init__(self, names, progress, until):
        self.names, self.progress, self.until, self.outcomes = names, progress, until, []

    def _passes(self, items, show_failure=False):
        """Return True if every test in `items` passes; at the first failure, move that test to the front.

        Mutants of one function tend to be killed by the same test, so the next mutant tries it first.
        show_failure: print the failing test and its traceback (a run with no mutant should not fail).
        """
        try:
            for i, item in enumerate(items):
                reports = runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else None, log=False)
                failed = [report for report in reports if report.failed]
                if failed:
                    if show_failure:
                        print(f"FAILED {item.nodeid}:\n{failed[0].longreprtext[-3000:]}", flush=True)
                    items.insert(0, items.pop(i))
                    return False
            return True
        finally:
            self.session._setupstate.teardown_exact(None)  # module and session fixtures too: the next run starts clean
            _release()

    def _calls(self, items):
        """Return {test: set of mutated functions it calls}, each test run alone with fresh fixtures and caches.

        Returns None if a test fails (with no mutant switched on, none should).
        """
        calls, current = {}, None

        def hit(name, caller=None):
            calls[current].add(name)

        record, trampoline.record_trampoline_hit = trampoline.record_trampoline_hit, hit
        try:
            _switch_on("stats")
            for item in items:
                current = item
                calls[item] = set()
                _clear_caches()
                reports = runtestprotocol(item, nextitem=None, log=False)  # no next item: every fixture torn down
                _release()
                if any(report.failed for report in reports):
                    print(f"FAILED {item.nodeid} while recording calls:\n"
                          f"{[r for r in reports if r.failed][0].longreprtext[-3000:]}", flush=True)
                    return None
        finally:
            trampoline.record_trampoline_hit = record
            _switch_on(None)
        return calls

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        signal.signal(signal.SIGUSR1, _overtime)
        self.session, items = session, list(session.items)
        _switch_on(None)
        calls = self._calls(items)
        if calls is None or not self._passes(items, show_failure=True):
            self.outcomes = None
            return True
        with open(self.progress, "w") as log:
            for number, name in enumerate(self.names, 1):
                if self.until and time.time() > self.until:
                    break
                reaching = [item for item in items if function_of(name) in calls[item]]
                if not reaching:
                    self.outcomes.append((name, NO_TESTS))
                    print(f"{number}/{len(self.names)} {name} no-tests", file=log, flush=True)
                    continue
                _clear_caches()
                _switch_on(name)
                watchdog = _watchdog()
                try:
                    killed = not self._passes(reaching)
                except TimeoutError:  # raised outside a test (a fixture's teardown): counts as a failure
                    killed = True
                finally:
                    watchdog.cancel()
                if killed:  # the killing test, now first of `reaching`, goes first for the next mutant too
                    items.insert(0, items.pop(items.index(reaching[0])))
                self.outcomes.append((name, int(killed)))
                print(f"{number}/{len(self.names)} {name} {'killed' if killed else 'survived'}", file=log, flush=True)
        _switch_on(None)
        if not self._passes(items, show_failure=True):  # in the order the kills left: not an order's artefact
            self.outcomes = None
        return True


def main():
    names = json.loads(open(sys.argv[1]).read())
    plugin = Mutants(names, sys.argv[2], float(sys.argv[3]))
    # --tb=native: a failure's report from Python's traceback module; pytest's own parses each source
    # file of the traceback (the mutants' files are 300 kB), a large part of a killed mutant's time
    pytest.main(["-q", "-n", "0", "-p", "no:cacheprovider", "--tb=native", *sys.argv[4:]], plugins=[plugin])
    print("RESULT" + json.dumps(plugin.outcomes))


if __name__ == "__main__":
    main()
