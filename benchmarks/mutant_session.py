"""Run some test files against each of a list of mutants, in one pytest session (used by mutation_recheck.py).

    cd mutants && python mutant_session.py MUTANTS.json PROGRESS.log tests/test_a.py tests/test_b.py

The tests are collected once; then, for each mutant in turn, the mutant is switched on (the switch
mutmut's trampolines read at each call) and the collected tests run in order until the first
failure. Collecting the tests anew for every mutant, as one pytest.main per mutant does, costs
about 0.7 s a mutant here, more than most mutants' tests take. Between mutants every fixture is
torn down and nbkit's lru caches are cleared, so nothing computed under one mutant serves the next.

Prints one line, RESULT + JSON: [[mutant, 1 killed / 0 survived], ...], or null when the tests
fail with no mutant switched on, before the mutants or after them in the order they were left in
(a test that kills a mutant moves to the front, so that the next mutant tries it first). A mutant whose tests run over MUTANT_SECONDS counts as killed,
as mutmut's own timeout does. PROGRESS.log gets a line per mutant, to follow a long run.
"""

import json
import signal
import sys

import pytest
from _pytest.runner import runtestprotocol
from mutmut.mutation.trampoline import set_mutant_under_test

#: Seconds a mutant's tests may take before they count as failed (a mutant that makes a loop endless).
MUTANT_SECONDS = 120


def _overtime(*_):
    raise TimeoutError("the tests ran over the time of a mutant")


def _clear_caches():
    """Empty the lru caches of nbkit's functions (glyph bitmaps), which may hold a mutant's results."""
    for name, module in list(sys.modules.items()):
        if name.startswith("nbkit"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


class Mutants:
    """A pytest plugin that replaces the test loop by one pass over the tests per mutant."""

    def __init__(self, names, progress):
        self.names, self.progress, self.outcomes = names, progress, []

    def _passes(self, items):
        """Return True if every test in `items` passes; at the first failure, move that test to the front.

        Mutants of one function tend to be killed by the same test, so the next mutant tries it first.
        """
        try:
            for i, item in enumerate(items):
                reports = runtestprotocol(item, nextitem=items[i + 1] if i + 1 < len(items) else None, log=False)
                if any(report.failed for report in reports):
                    items.insert(0, items.pop(i))
                    return False
            return True
        finally:
            self.session._setupstate.teardown_exact(None)  # module and session fixtures too: the next run starts clean

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        signal.signal(signal.SIGALRM, _overtime)
        self.session, items = session, list(session.items)
        set_mutant_under_test(None)
        if not self._passes(items):
            self.outcomes = None
            return True
        with open(self.progress, "w") as log:
            for number, name in enumerate(self.names, 1):
                _clear_caches()
                set_mutant_under_test(name)
                signal.alarm(MUTANT_SECONDS)
                try:
                    killed = not self._passes(items)
                except TimeoutError:  # raised outside a test (a fixture's teardown): counts as a failure
                    killed = True
                finally:
                    signal.alarm(0)
                self.outcomes.append((name, int(killed)))
                print(f"{number}/{len(self.names)} {name} {'killed' if killed else 'survived'}", file=log, flush=True)
        set_mutant_under_test(None)
        if not self._passes(items):  # in the order the failures left: the kills were not an order's artefact
            self.outcomes = None
        return True


def main():
    names = json.loads(open(sys.argv[1]).read())
    plugin = Mutants(names, sys.argv[2])
    pytest.main(["-q", "-n", "0", "-p", "no:cacheprovider", *sys.argv[3:]], plugins=[plugin])
    print("RESULT" + json.dumps(plugin.outcomes))


if __name__ == "__main__":
    main()
