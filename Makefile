# The two commands of the README's quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test validate bench clean templates

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/partnerdocs check configs/partnerships/*.yaml
	@for record in configs/partnerships/*.yaml; do $(BIN)/partnerdocs tier $$record || exit $$?; done

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out/*/
