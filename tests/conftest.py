"""Shared fixtures: every test works in its own temporary folder, with inputs
written inline."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CONFIGS = REPO / "configs"
BUNDLED_RECORDS = sorted((BUNDLED_CONFIGS / "partnerships").glob("*.yaml"))

# A minimal valid financial record; tests edit its text, so line numbers in
# expectations are found in this text, never produced by the code under test.
RECORD = """\
id: T-001
title: Test partnership
language: en
kind: implementing
partner:
  legal_name: Test Partner Association
  short_name: TPA
  type: civil_society
  country: NE
  address: BP 1, Niamey, Niger
  registration_number: ONG-1
  logo: logo.png
  signatory: {name: Awa Diallo, title: Director}
  contact: {name: Ali Sani, title: Programme Manager, email: ali@example.org, phone: "+227 20 00 00 01"}
funding:
  amount: 20000
  currency: USD
  budget:
    - {line: Staff, amount: 12000}
    - {line: Training, amount: 8000}
  advances:
    - {amount: 10000, release: on_signature}
    - {amount: 10000, release: {liquidated_percent: 70, of_tranche: 1}}
start: 2027-01-15
end: 2027-12-31
countries: [NE]
assessment:
  lead:
    weaknesses: [Slow payments]
  partner:
    weaknesses: [No audit yet]
"""


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line of ``text`` containing ``fragment``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the record text")


def make_logo(path: Path, size=(300, 100), fmt="PNG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (10, 80, 150)).save(path, fmt)
    return path


@pytest.fixture
def configs(tmp_path: Path) -> Path:
    """A private copy of the bundled configuration folder, with the templates beside it."""
    folder = tmp_path / "configs"
    shutil.copytree(BUNDLED_CONFIGS, folder)
    for templates in ("contract_templates", "comms_templates"):
        shutil.copytree(REPO / templates, tmp_path / templates, ignore=shutil.ignore_patterns("source"))
    return folder


@pytest.fixture
def write_record(tmp_path: Path):
    """Write record text (default: RECORD) with its logo; return the path."""

    def write(text: str = RECORD, name: str = "record.yaml") -> Path:
        folder = tmp_path / "records"
        make_logo(folder / "logo.png")
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def cli_run(*args, env=None):
    """Run the CLI in-process; a traceback fails the test (only clean exits are allowed)."""
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An .xlsx at ``path`` with one sheet per entry, in order, each row as
    given (the first row is the header), and a logo.png beside it."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    make_logo(path.parent / "logo.png")
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
