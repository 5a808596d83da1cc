# Everything a newcomer needs: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test test-snapshot-update soak bench demo serve story clean browser tmux

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("opsconsole needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q opsconsole  # bytecode even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

setup: $(STAMP)

# The browser test needs Chromium: Debian's package, installed here when we are root and apt is
# there (the test is skipped, saying why, where it cannot be).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 \
		&& apt-get install -y -q chromium >/dev/null 2>&1)) \
		|| echo "chromium not installed: the browser test will be skipped"; }

# Processes for the suite: each starts its own throwaway PostgreSQL; most console tests wait
# on timers, so a few more than the cores pay off.
JOBS ?= 3

test: $(STAMP) browser
	$(BIN)/ruff check opsconsole tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n $(JOBS)

test-snapshot-update: $(STAMP)
	$(BIN)/python -m pytest -q tests/tui --snapshot-update

# The crash test at full size (make test runs it scaled down); OPSCONSOLE_CRASH_SEED replays.
soak: $(STAMP)
	OPSCONSOLE_CRASH_SUBS=3000 OPSCONSOLE_CRASH_DAYS=60 OPSCONSOLE_CRASH_KILLS=30 \
		$(BIN)/python -m pytest -q -s tests/reliability/test_crash.py

# bench/terminal.py drives the console in tmux: Debian's package, installed here when we are
# root and apt is there.
tmux:
	@command -v tmux >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get install -y -q tmux >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 \
		&& apt-get install -y -q tmux >/dev/null 2>&1)) \
		|| echo "tmux not installed: bench/terminal.py needs it"; }

bench: $(STAMP) tmux
	cd bench && ../$(BIN)/python all.py

demo: $(STAMP)
	$(BIN)/opsconsole --db demo.db demo --fresh

# The console in a browser at http://127.0.0.1:8000 on the demo store (built if missing).
serve: $(STAMP)
	[ -f demo.db ] || $(BIN)/opsconsole --db demo.db demo --no-ui
	$(BIN)/opsconsole --db demo.db serve

clean:
	rm -rf $(VENV) .pytest_cache demo.db* demo-story.db*

story: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash fixtures/story.sh
