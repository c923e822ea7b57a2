# Two commands: `make lab` to learn, `make test` to check everything.
# Both create .venv from requirements.txt first (again whenever requirements.txt is newer).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup browser lab test unit notebooks screenshots bench mutation clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	touch $@

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "The browser tests need Chromium. Run: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

setup: $(STAMP) browser

# JupyterLab on 127.0.0.1 with token authentication (the URL with the token is printed),
# with its news feed, update check and PyPI extension manager off, so nothing reaches the network.
LAB_FLAGS := --no-browser --ServerApp.ip=127.0.0.1 --LabApp.news_url=None \
             --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate --LabApp.extension_manager=readonly
lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS) --ServerApp.root_dir=notebooks $(ROOT_FLAG)

# Unit tests, the committed notebooks compared strictly by nbval, and the browser suite, shared
# between two pytest-xdist workers (the addopts in pyproject.toml; conftest.py says how).
test: setup
	$(BIN)/python -m pytest

# The explorer screenshots in the README (docs/screenshots) and benchmarks/BROWSER_LATENCY.md,
# both taken by the browser suite, in one process (-n 0): one browser at a time, so the latency
# measured is not that of two JupyterLabs sharing the cores.
screenshots: setup
	NBKIT_SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -n 0 tests/browser -k notebook_in_lab

# The portability check re-executes the notebooks, so it is left out here too.
unit: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/browser --ignore=tests/test_portability.py

# Re-execute every notebook in place, so the committed outputs are fresh.
notebooks: $(STAMP)
	$(BIN)/jupyter nbconvert --execute --to notebook --inplace \
	  --ExecutePreprocessor.record_timing=False notebooks/*.ipynb

# Slider latency of every explorer against the common way (interact + new figure); writes benchmarks/RESULTS.md.
bench: $(STAMP)
	$(BIN)/python benchmarks/slider_latency.py

# Mutation testing of nbkit with mutmut (not part of `make test`: it takes long, see README).
# Each module's mutants against its own unit tests, over a copy in mutants/ (benchmarks/mutation_recheck.py);
# MODULES narrows it, e.g. MODULES="objectives descent"; MINUTES=20 stops each module's run after 20 minutes
# (the mutants run in a random order: a uniform sample, scored with its interval).
MUTMUT_VERSION := $(shell sed -n 's/^mutmut==//p' requirements.txt)
MODULES ?=
MINUTES ?=
mutation: $(STAMP)
	@$(BIN)/python -c "import mutmut" 2>/dev/null || $(BIN)/pip install --disable-pip-version-check -q mutmut==$(MUTMUT_VERSION)
	time $(BIN)/python benchmarks/mutation_recheck.py --generate --not-checked $(if $(MODULES),--modules $(foreach m,$(MODULES),nbkit.$(m))) $(if $(MINUTES),--minutes $(MINUTES))
	$(BIN)/python benchmarks/mutation_score.py

clean:
	rm -rf $(VENV) .pytest_cache mutants
