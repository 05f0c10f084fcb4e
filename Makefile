# The two commands a newcomer needs: `make up` (install what is missing, run the studio) and `make test`.
PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: setup up test test-fast web-size lint bench-events bench-render schemas

setup:
	@bash infra/bootstrap.sh

up: setup
	@.venv/bin/filmstudio up --port $${PORT:-8000}

test: setup
	@cd web && npm test --silent
	@$(PY) -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

test-fast: setup
	@$(PY) -m pytest -n 2 --dist loadfile -m "not slow" $(PYTEST_ARGS)

web-size:
	@cd web && npm run build --silent && npm run size --silent

lint:
	@.venv/bin/ruff check . && .venv/bin/mypy

schemas:
	@$(PY) -m infra.cli schemas export docs/events

bench-events: setup
	@$(PY) bench/bench_events.py

bench-render: setup
	@# MoviePy is only the yardstick; --no-deps keeps its Pillow pin from downgrading the studio's Pillow.
	@.venv/bin/pip install -q --no-deps moviepy==2.2.1 imageio imageio-ffmpeg decorator proglog tqdm
	@$(PY) bench/bench_render.py
