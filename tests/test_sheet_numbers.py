"""Amounts typed in a workbook or CSV are read the way the row's language
(or its number_locale) writes numbers; a value that still reads two ways, a
spreadsheet error value or a foreign currency in an amount is an error that
names its cell. Workbooks are written with openpyxl, as Excel would save them."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.cli import cli
from generator.sheets import CellError, Reading, parse_number

from .conftest import make_logo, write_workbook

HEADER = ["id", "title", "language", "number_locale", "kind", "partner.legal_name", "partner.short_name",
          "partner.type", "partner.country", "partner.address", "partner.registration_number", "partner.logo",
          "partner.signatory.name", "partner.signatory.title", "partner.contact.name", "partner.contact.title",
          "partner.contact.email", "partner.contact.phone", "funding.amount", "funding.currency", "funding.final_payment.upon", "start", "end", "countries"]
ERRORS = ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA"]


def row(record_id: str, language, amount, number_locale=None, **fields) -> list:
    values = {"id": record_id, "title": "Savings groups", "language": language, "number_locale": number_locale,
              "kind": "implementing", "partner.legal_name": "Association Sahel Vert", "partner.short_name": "ASV",
              "partner.type": "civil_society", "partner.country": "NE", "partner.address": "BP 7, Maradi",
              "partner.registration_number": "ONG-101", "partner.logo": "logo.png",
              "partner.signatory.name": "Hadiza Issa", "partner.signatory.title": "Présidente",
              "partner.contact.name": "Moussa Ali", "partner.contact.title": "Chargé de programme",
              "partner.contact.email": "asv@example.org",
              "partner.contact.phone": "+227 20 41 00 00", "funding.amount": amount, "funding.currency": "EUR",
              "funding.final_payment.upon": "final_report_approval",
              "start": "2027-03-01", "end": "2028-02-28", "countries": "NE"}
    values.update({k.replace("__", "."): v for k, v in fields.items()})
    return [values[column] for column in HEADER]


def lists(ids_and_budgets: dict) -> dict:
    budget = [["id", "line", "amount"]]
    assessment = [["id", "party", "finding", "text"]]
    for record_id, lines in ids_and_budgets.items():
        budget += [[record_id, f"Line {n}", amount] for n, amount in enumerate(lines, start=1)]
        assessment += [[record_id, "lead", "weakness", "Slow payments"], [record_id, "partner", "weakness", "No audit"]]
    return {"budget": budget, "assessment": assessment}


def workbook(folder: Path, rows: list[list], sheets: dict) -> Path:
    return write_workbook(folder / "partnerships.xlsx", {"partnerships": [HEADER, *rows], **sheets})


def csv_files(folder: Path, rows: list[list], sheets: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    make_logo(folder / "logo.png")
    for name, values in [("partnerships", [HEADER, *rows]), *sheets.items()]:
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(values)
    return folder / "partnerships.csv"


def cell(number: int, column: str, source: Path) -> str:
    sheet = "partnerships" if source.suffix == ".xlsx" else source.name
    return f"{sheet}!{get_column_letter(HEADER.index(column) + 1)}{number}"


def batch(configs, source, out):
    result = CliRunner().invoke(cli, ["--configs", str(configs), "batch", str(source), "--out", str(out),
                                      "--only", "contract"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def agreement_text(out: Path, record_id: str) -> tuple[str, str]:
    (path,) = (out / record_id / "contract").glob("*.docx")
    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return path.stem.split("_", 1)[1], "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("make", [workbook, csv_files])
def test_amounts_typed_the_european_way_are_read_by_the_row_language(configs, tmp_path, make):
    rows = [row("FR-1", "fr", "EUR 180.000"), row("ES-1", "es", "150.000,00"),
            row("EN-1", "en", "180,000"), row("LOC-1", "en", "180.000", number_locale="es")]
    budgets = {"FR-1": ["75.000", "105.000"], "ES-1": ["75.000", "75.000,00"], "EN-1": ["75,000", "105,000.00"],
               "LOC-1": ["75.000", "105.000"]}
    source = make(tmp_path / "in", rows, lists(budgets))
    out = tmp_path / "out"
    result = batch(configs, source, out)
    assert result.exit_code == 0, result.output
    tier, text = agreement_text(out, "FR-1")
    assert tier == "standard-grant"  # 180 000 EUR, not 180 EUR (which would be a small grant)
    assert "180\u202f000,00\u00a0EUR (cent quatre-vingt mille euros)" in text and "75\u202f000,00\u00a0EUR" in text
    tier, text = agreement_text(out, "ES-1")
    assert tier == "standard-grant" and "150.000,00\u00a0EUR (ciento cincuenta mil euros)" in text
    for record_id in ("EN-1", "LOC-1"):
        tier, text = agreement_text(out, record_id)
        assert tier == "standard-grant" and "EUR\u00a0180,000.00 (one hundred eighty thousand euros)" in text


@pytest.mark.parametrize("make", [workbook, csv_files])
def test_an_amount_that_reads_two_ways_names_its_cell(configs, tmp_path, make):
    rows = [row("NOLANG-1", None, "180.000"), row("NOLANG-2", None, "180000")]
    source = make(tmp_path / "in", rows, lists({"NOLANG-1": ["180000"], "NOLANG-2": ["105,000", "75000"]}))
    out = tmp_path / "out"
    result = batch(configs, source, out)
    assert result.exit_code == 1
    assert (f"{source}: {cell(2, 'funding.amount', source)}: funding.amount: '180.000' reads as 180000 or as 180.000"
            in result.output)
    budget = "budget!C3" if source.suffix == ".xlsx" else "budget.csv!C3"
    assert f"{source}: {budget}: amount: '105,000' reads as 105000 or as 105.000" in result.output
    assert "required field is missing" not in result.output and "expected a number" not in result.output
    assert not (out / "NOLANG-1").exists() and not (out / "NOLANG-2").exists()


def test_thousands_typed_the_other_way_are_no_amount_of_a_two_decimal_currency(configs, tmp_path):
    """An English row decides that '180.000' is 180.000, which EUR cannot hold:
    an error, not an agreement for 180 euros."""
    rows = [row("EN-1", "en", "180.000"), row("FR-1", "fr", "180,000"),
            row("JOD-1", "en", "1.250", funding__currency="JOD")]
    source = workbook(tmp_path / "in", rows, lists({"EN-1": [180000], "FR-1": [180000], "JOD-1": ["1.250"]}))
    result = batch(configs, source, tmp_path / "out")
    assert result.exit_code == 1
    assert (f"{source}: {cell(2, 'funding.amount', source)}: funding.amount: '180.000' reads as 180.000 in en, "
            "but EUR has no third decimal") in result.output
    assert f"{cell(3, 'funding.amount', source)}: funding.amount: '180,000' reads as 180.000 in fr" in result.output
    assert not (tmp_path / "out" / "EN-1").exists() and not (tmp_path / "out" / "FR-1").exists()
    assert "JOD\u00a01.250 (one Jordanian dinar and 250/1000)" in agreement_text(tmp_path / "out", "JOD-1")[1]


def test_scientific_notation_and_numbers_typed_as_numbers_are_exact(configs, tmp_path):
    rows = [row("SCI-1", None, "2E+04"), row("NUM-1", "en", 20000.5)]
    source = csv_files(tmp_path / "in", rows[:1], lists({"SCI-1": ["1.2E+04", "8E+03"]}))
    out = tmp_path / "out"
    assert batch(configs, source, out).exit_code == 0
    assert "EUR\u00a020,000.00 (twenty thousand euros)" in agreement_text(out, "SCI-1")[1]
    source = workbook(tmp_path / "xlsx", rows[1:], lists({"NUM-1": [12000.25, 8000.25]}))
    assert batch(configs, source, tmp_path / "out2").exit_code == 0
    text = agreement_text(tmp_path / "out2", "NUM-1")[1]
    assert "EUR\u00a020,000.50 (twenty thousand euros and 50/100)" in text and "EUR\u00a012,000.25" in text


def test_spreadsheet_error_values_are_never_data(configs, tmp_path):
    rows = [row(f"ERR-{n}", "en", 20000, partner__legal_name=value) for n, value in enumerate(ERRORS, start=1)]
    rows.append(row("ERR-AMOUNT", "en", "#DIV/0!", partner__signatory__name="#N/A", start="#VALUE!"))
    sheets = lists({f"ERR-{n}": [20000] for n in range(1, len(ERRORS) + 1)} | {"ERR-AMOUNT": ["#REF!"]})
    source = workbook(tmp_path / "in", rows, sheets)
    assert [c.data_type for c in load_workbook(source)["partnerships"][2]][HEADER.index("partner.legal_name")] == "e"
    out = tmp_path / "out"
    result = batch(configs, source, out)
    assert result.exit_code == 1
    for number, value in enumerate(ERRORS, start=2):
        assert (f"{source}: {cell(number, 'partner.legal_name', source)}: partner.legal_name: "
                f"the cell shows the spreadsheet error {value}, not a value") in result.output
    last = len(ERRORS) + 2
    for column, value in (("funding.amount", "#DIV/0!"), ("partner.signatory.name", "#N/A"), ("start", "#VALUE!")):
        assert f"{source}: {cell(last, column, source)}: {column}: the cell shows the spreadsheet error {value}" in result.output
    assert f"{source}: budget!C{len(ERRORS) + 2}: amount: the cell shows the spreadsheet error #REF!" in result.output
    assert not any(out.glob("ERR-*"))


def test_spreadsheet_error_values_in_csv(configs, tmp_path):
    source = csv_files(tmp_path / "in", [row("ERR-1", "fr", "#VALUE!", partner__short_name="Err:502")],
                       lists({"ERR-1": ["#N/A"]}))
    result = batch(configs, source, tmp_path / "out")
    assert result.exit_code == 1
    assert f"{source}: {cell(2, 'funding.amount', source)}: funding.amount: the cell shows the spreadsheet error #VALUE!" \
        in result.output
    assert f"{cell(2, 'partner.short_name', source)}: partner.short_name: the cell shows the spreadsheet error Err:502" \
        in result.output


def test_a_bad_number_locale_and_a_foreign_currency_name_their_cell(configs, tmp_path):
    rows = [row("LOC-1", "fr", "20000", number_locale="xx"), row("CUR-1", "en", "USD 20,000")]
    source = workbook(tmp_path / "in", rows, lists({"LOC-1": [20000], "CUR-1": [20000]}))
    result = batch(configs, source, tmp_path / "out")
    assert result.exit_code == 1
    assert f"{source}: {cell(2, 'number_locale', source)}: number_locale: 'xx' is not a locale" in result.output
    assert f"{source}: {cell(3, 'funding.amount', source)}: funding.amount: 'USD 20,000': 'USD' is not the row's currency EUR" \
        in result.output


@pytest.mark.parametrize("typed, locale, value", [
    ("180.000", "fr", Decimal("180000")), ("75.000", "es", Decimal("75000")), ("75.000", "pt", Decimal("75000")),
    ("150.000,00", "fr", Decimal("150000.00")), ("180 000,50", "fr", Decimal("180000.50")),
    ("180\u202f000", "fr", Decimal("180000")), ("180,000", "en", Decimal("180000")),
    ("180,000.50", "en", Decimal("180000.50")), ("180'000.50", "en", Decimal("180000.50")),
    ("180,000", "fr", Decimal("180.000")), ("180.000", "en", Decimal("180.000")),
    ("150.000,00", None, Decimal("150000.00")), ("1.234.567", None, Decimal("1234567")),
    ("12,5", None, Decimal("12.5")), ("2E+04", None, Decimal("20000")), ("2E+04", "fr", Decimal("20000")),
    ("1,5E+05", "fr", Decimal("150000")), (20000.5, None, Decimal("20000.5")), (180000, "fr", Decimal("180000")),
])
def test_typed_numbers(typed, locale, value):
    assert parse_number(typed, Reading(locale)) == value


@pytest.mark.parametrize("typed, locale, message", [
    ("180.000", None, "reads as 180000 or as 180.000"), ("75,000", None, "reads as 75000 or as 75.000"),
    ("180,000.00", "fr", "cannot be read as fr writes numbers"), ("150.000,00", "en", "cannot be read as en writes"),
    ("12.5", "es", "cannot be read as es writes numbers"), ("1.2.3", None, "cannot be read as a number"),
    ("2E+04x", None, "is not a currency"),
])
def test_typed_numbers_that_are_refused(typed, locale, message):
    with pytest.raises(CellError, match=message):
        parse_number(typed, Reading(locale))
