# Everything a newcomer needs: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test test-snapshot-update soak bench demo story clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("opsconsole needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q

test-snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests/tui --snapshot-update

# The crash test at full size (make test runs it scaled down); OPSCONSOLE_CRASH_SEED replays.
soak: $(STAMP)
	OPSCONSOLE_CRASH_SUBS=3000 OPSCONSOLE_CRASH_DAYS=60 OPSCONSOLE_CRASH_KILLS=30 \
		$(BIN)/python -m pytest -q -s tests/reliability/test_crash.py

bench: $(STAMP)
	cd bench && ../$(BIN)/python all.py

demo: $(STAMP)
	$(BIN)/opsconsole --db demo.db demo --fresh

clean:
	rm -rf $(VENV) .pytest_cache demo.db* demo-story.db*

story: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash fixtures/story.sh
