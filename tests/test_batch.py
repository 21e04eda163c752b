"""`partnerdocs batch`: a workbook or CSV made in the test, with good rows
and bad rows, as a country office would type them."""
from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from generator.sheets import parse_number

from .conftest import BUNDLED_RECORDS, make_logo, write_workbook
from .conftest import cli_run as run

# The test's own layout: expected cells are computed from it.
HEADER = ["id", "title", "kind", "partner.legal_name", "partner.short_name", "partner.type", "partner.country",
          "partner.address", "partner.registration_number", "partner.logo", "partner.signatory.name",
          "partner.signatory.title", "partner.contact.name", "partner.contact.title", "partner.contact.email",
          "partner.contact.phone", "funding.amount", "funding.currency", "start", "end", "countries"]
GOOD = ["GOOD-1", "Seed banks in Maradi ", "implementing", "Association Sahel Vert", "ASV", "civil_society", "NE",
        "BP 7, Maradi, Niger", "ONG-2015-101", "logo.png", "Hadiza Issa", "Présidente", "Moussa Ali", "Chargé de programme",
        "asv@example.org", "+227 20 41 00 00", "USD 20,000.00", "USD", datetime(2027, 3, 1), " 2028-02-29 ", "NE"]
BAD_CURRENCY = ["BAD-1", "Water points", "implementing", "Eau Pour Tous", "EPT", "civil_society", "NE",
                "BP 9, Zinder, Niger", "ONG-2019-7", "logo.png", "Ali Sani", "Président", "Awa Sow", "Chargée de programme",
                "ept@example.org", "+227 20 51 00 00", "15 000", "EUX", "2027-03-01", "2027-12-31", "NE"]
BAD_BUDGET = ["BAD-2", "Radio programmes", "advocacy", "Radio Alternative", "RA", "network", "NE",
              "BP 3, Tahoua, Niger", "ONG-2001-3", "logo.png", "Ibrahim Ada", "Directeur", "Zara Mai", "Chargée de programme",
              "ra@example.org", "+227 20 61 00 00", "9000", "XOF", "2027-03-01", "2027-12-31", "NE"]
LISTS = {
    "budget": (["id", "line", "amount"], [["GOOD-1", "Seed purchase", "12 000"], ["GOOD-1", "Training", 8000],
                                          ["BAD-1", "Drilling", 15000], ["BAD-2", "Airtime", -9000]]),
    "advances": (["id", "amount", "release", "liquidated_percent", "of_tranche"],
                 [["GOOD-1", 10000, "on_signature", None, None], ["GOOD-1", "10 000", None, 70, 1]]),
    "assessment": (["id", "party", "finding", "text", "rating", "mitigation"],
                   [["GOOD-1", "lead", "weakness", "Slow payments", None, None],
                    ["GOOD-1", "partner", "weakness", "No audit yet", None, None],
                    ["GOOD-1", "partner", "risk", "Drought", "medium", "Drought-tolerant seed"],
                    ["BAD-1", "lead", "weakness", "None known", None, None],
                    ["BAD-2", "lead", "weakness", "None known", None, None]]),
}


def cell(row: int, column: str, header=HEADER) -> str:
    return f"{get_column_letter(header.index(column) + 1)}{row}"


def make_workbook(folder: Path) -> Path:
    return write_workbook(folder / "partnerships.xlsx", {"partnerships": [HEADER, GOOD, BAD_CURRENCY, BAD_BUDGET],
                                                         **{name: [header, *rows] for name, (header, rows) in LISTS.items()}})


def make_csv(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    make_logo(folder / "logo.png")

    def write(name, rows):
        with open(folder / name, "w", newline="", encoding="utf-8") as stream:
            csv.writer(stream).writerows(rows)

    good = [v.date().isoformat() if isinstance(v, datetime) else v for v in GOOD]
    write("partnerships.csv", [HEADER, good, BAD_CURRENCY, BAD_BUDGET])
    for name, (header, rows) in LISTS.items():
        write(f"{name}.csv", [header, *rows])
    return folder / "partnerships.csv"


def batch(configs, source, out, *args):
    return run("--configs", configs, "batch", source, "--out", out, "--only", "contract", *args)


def test_workbook_good_rows_generate_bad_rows_name_their_cell(configs, tmp_path):
    source = make_workbook(tmp_path / "in")
    out = tmp_path / "out"
    result = batch(configs, source, out, "--report", tmp_path / "report.json")
    assert result.exit_code == 1
    document = docx.Document(out / "GOOD-1" / "contract" / "GOOD-1_small-grant.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Association Sahel Vert" in text and "Seed banks in Maradi" in text
    assert f"{source}: partnerships!{cell(3, 'funding.currency')}: funding.currency: 'EUX' is not an ISO 4217" \
        in result.output
    assert f"{source}: budget!C5: funding.budget[0].amount: must be greater than zero" in result.output
    assert not (out / "BAD-1").exists() and not (out / "BAD-2").exists()
    lines = result.output.splitlines()
    assert any(l.split() == ["GOOD-1", "small-grant", "1", "file(s)", "written"] for l in lines)
    assert any(l.split() == ["BAD-1", "-", "failed"] for l in lines)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["totals"] == {"partnerships": 3, "written": 1, "unchanged": 0, "failed": 2}


def test_rerun_writes_nothing_and_force_rewrites(configs, tmp_path):
    source = make_workbook(tmp_path / "in")
    out = tmp_path / "out"
    batch(configs, source, out)
    files = sorted(p for p in (out / "GOOD-1").rglob("*") if p.is_file())
    times = {p: p.stat().st_mtime_ns for p in files}
    again = batch(configs, source, out)
    assert "GOOD-1" in again.output and "unchanged" in again.output
    assert {p: p.stat().st_mtime_ns for p in files} == times
    forced = batch(configs, source, out, "--force")
    assert all(p.stat().st_mtime_ns != times[p] for p in files)
    assert "GOOD-1" in forced.output


def test_csv_gives_the_same_documents_as_the_workbook(configs, tmp_path):
    from_xlsx, from_csv = tmp_path / "a", tmp_path / "b"
    batch(configs, make_workbook(tmp_path / "xlsx"), from_xlsx)
    result = batch(configs, make_csv(tmp_path / "csv"), from_csv)
    assert result.exit_code == 1
    assert "partnerships.csv!" in result.output
    name = "GOOD-1/contract/GOOD-1_small-grant.docx"
    assert (from_xlsx / name).read_bytes() == (from_csv / name).read_bytes()


def test_two_jobs_give_the_same_bytes_as_one(configs, tmp_path):
    folder = tmp_path / "records"
    shutil.copytree(BUNDLED_RECORDS[0].parent, folder)
    one, two = tmp_path / "one", tmp_path / "two"
    assert run("--configs", configs, "batch", folder, "--out", one, "--jobs", "1").exit_code == 0
    assert run("--configs", configs, "batch", folder, "--out", two, "--jobs", "2").exit_code == 0
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file() and not p.name.startswith("batch-"))
    assert len(files) > 60
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file() and not p.name.startswith("batch-"))
    for rel in files:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


def test_changed_template_needs_force(configs, tmp_path):
    source = make_workbook(tmp_path / "in")
    out = tmp_path / "out"
    batch(configs, source, out)
    template = configs.parent / "contract_templates" / "small-grant.en.docx"
    document = docx.Document(template)
    document.add_paragraph("Annex E – added by the legal team")
    document.save(template)
    refused = batch(configs, source, out)
    assert "rerun with --force to replace it" in refused.output
    forced = batch(configs, source, out, "--force")
    contract = out / "GOOD-1" / "contract" / "GOOD-1_small-grant.docx"
    assert "Annex E – added by the legal team" in [p.text for p in docx.Document(contract).paragraphs]
    assert forced.exit_code == 1  # the two bad rows still fail


def test_template_sheet(tmp_path):
    path = tmp_path / "new.xlsx"
    result = run("batch", "--template-sheet", path)
    assert result.exit_code == 0
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["instructions", "partnerships", "budget", "advances", "speakers", "assessment",
                                   "milestones", "sub_partners", "results", "activities", "contributions"]
    header = [c.value for c in workbook["partnerships"][1]]
    assert {"id", "partner.legal_name", "funding.amount", "comms.languages"} <= set(header)
    assert [c.value for c in workbook["budget"][1]] == ["id", "line", "amount", "indirect"]
    assert run("batch", "--template-sheet", path).exit_code == 2  # not overwritten without --force


def test_missing_source(tmp_path):
    result = run("batch", tmp_path / "nope.xlsx")
    assert result.exit_code == 2 and "file not found" in result.output


@pytest.mark.parametrize("typed, value", [
    ("180,000.00", Decimal("180000.00")), ("EUR 180 000,00", Decimal("180000.00")), ("€180.000,50", Decimal("180000.50")),
    ("12,5", Decimal("12.5")), ("1.234.567", Decimal("1234567")), (" 25000 ", Decimal("25000")),
    (2500.5, Decimal("2500.5")), ("n/a", "n/a"),
])
def test_amounts_typed_by_people(typed, value):
    assert parse_number(typed) == value


def test_folder_with_a_bad_record_and_a_repeated_id(configs, tmp_path):
    folder = tmp_path / "records"
    shutil.copytree(BUNDLED_RECORDS[0].parent, folder)
    (folder / "zz-broken.yaml").write_text("id: BROKEN\ntitle: [unclosed\n")
    (folder / "zz-copy.yaml").write_text((folder / "psh-2026-030.yaml").read_text())
    out = tmp_path / "out"
    result = run("--configs", configs, "batch", folder, "--out", out, "--jobs", "2", "--only", "contract")
    assert result.exit_code == 1
    assert f"{folder / 'zz-broken.yaml'}:3: not valid YAML" in result.output
    assert f"{folder / 'zz-copy.yaml'}: id PSH-2026-030 already used by {folder / 'psh-2026-030.yaml'}" in result.output
    assert f"{len(BUNDLED_RECORDS)} written, 0 unchanged, 2 failed" in result.output
    assert (out / "PSH-2026-030" / "contract" / "PSH-2026-030_collaboration.docx").exists()
