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
	$(BIN)/partnerdocs generate configs/partnerships/*.yaml --out out
	@echo "Documents written under out/<id>/: contract/, comms/ (open comms/preview.html to review) and pack/ (the start-up pack)"

templates: $(STAMP)
	$(BIN)/python contract_templates/source/build.py
	$(BIN)/python comms_templates/source/build.py

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) out/*/
