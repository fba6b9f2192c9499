# normreg — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NORMREG_DATA_DIR ?= ./data

.PHONY: run test lint typecheck pytest system demo clean bench npm

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "normreg needs Python 3.11 or newer"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP) system
	$(BIN)/normreg init
	$(BIN)/normreg ingest registry/demo/documents --catalog registry/demo/documents/catalog.csv
	NORMREG_ENVIRONMENT=development $(BIN)/normreg demo-accounts
	$(BIN)/normreg serve --host 127.0.0.1 --port 8000

demo: $(STAMP)
	$(BIN)/normreg init
	$(BIN)/normreg ingest registry/demo/documents --catalog registry/demo/documents/catalog.csv
	NORMREG_ENVIRONMENT=development $(BIN)/normreg demo-accounts

system:
	@bash scripts/ensure-system.sh

# axe-core (accessibility checks injected into the browser tests), pinned in package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error || echo "npm ci failed: the accessibility tests will skip"; \
	else echo "npm not found: the accessibility tests will skip (apt-get install npm)"; fi

npm: node_modules/.package-lock.json

lint: $(STAMP)
	$(BIN)/ruff check registry ingest search tests bench scripts

typecheck: $(STAMP)
	$(BIN)/mypy registry ingest search scripts bench

pytest: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

test: $(STAMP) system npm lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python bench/ingest_bench.py
	$(BIN)/python bench/search_bench.py --docs 20000

clean:
	rm -rf $(VENV) data node_modules .pytest_cache .mypy_cache .ruff_cache
