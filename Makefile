# Nikay: `make run` to try it, `make test` before every commit, `make bench` for the figures.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test lint typecheck contracts pytest bench translations venv clean bundle

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(UV) || { $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade >/dev/null; \
	  $(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"; }
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --extra dev --quiet --compile-bytecode
	@$(PY) -m compileall -q app ui sync central >/dev/null  # start-up reads .pyc even where writing them is off
	@touch $@

venv: $(VENV)/.installed

translations: venv
	$(PY) -m ui.i18n.build

run: venv translations
	$(PY) -m app run-demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy app sync central

contracts: venv
	$(VENV)/bin/lint-imports

pytest: venv translations
	$(PY) -m pytest -n 2 --dist loadgroup

test: lint typecheck contracts pytest

bench: venv translations
	$(PY) -m tests.bench

bundle: venv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --inexact --extra dev --extra package --quiet
	$(VENV)/bin/pyinstaller --noconfirm pyinstaller.spec

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
