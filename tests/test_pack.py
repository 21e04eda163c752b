"""The start-up pack (issue 14): out/<id>/pack/ beside each agreement.
The calendar is read back with vobject (not the icalendar library that
wrote it); the .docx files pass the shared Word-compatibility checker."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
import vobject

from generator.word import read_text

from .conftest import BUNDLED_RECORDS, REPO, RECORD, cli_run as run

SHARED = Path(os.environ.get("PARTNERDOCS_SHARED") or REPO.parent / "shared")
CHECKER = SHARED / "ooxml" / "check_docx.py"
FUNDED = {"calendar.ics", "calendar.md", "due-diligence.docx", "financial-report.xlsx", "key-facts.docx"}


def needs_checker():
    if CHECKER.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Word-compatibility checker is required under CI=true: {CHECKER} is missing")
    pytest.skip(f"the Word-compatibility checker {CHECKER} is not there (set PARTNERDOCS_SHARED)")


def _events(path: Path) -> dict[str, tuple[date, str]]:
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return {e.uid.value: (e.dtstart.value, e.summary.value) for e in calendar.vevent_list}


@pytest.fixture(scope="module")
def bundled_pack(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    result = run("--configs", REPO / "configs", "generate", *BUNDLED_RECORDS, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def _pack(out: Path, record_id: str) -> Path:
    return out / record_id / "pack"


def test_funded_agreements_write_the_pack_and_collaboration_two_files(bundled_pack):
    for folder in bundled_pack.iterdir():
        if not folder.is_dir():
            continue
        names = {p.name for p in (folder / "pack").iterdir()}
        if folder.name == "PSH-2026-030":  # the bundled collaboration: no money
            assert names == {"due-diligence.docx", "key-facts.docx"}
        else:
            assert names == FUNDED, folder.name


def test_every_pack_docx_passes_the_word_check(bundled_pack):
    needs_checker()
    files = sorted(str(p) for p in bundled_pack.glob("*/pack/*.docx"))
    assert len(files) == 14
    done = subprocess.run([sys.executable, str(CHECKER), *files], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_calendar_dates_are_those_the_agreement_states(configs, write_record, tmp_path):
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", write_record(), "--out", out).exit_code == 0
    contract = read_text(next((out / "T-001" / "contract").glob("*.docx")).read_bytes())
    events = _events(out / "T-001" / "pack" / "calendar.ics")
    # RECORD ends 2027-12-31: final reports 30 days later, refunds 90 days later (configs/policy.yaml).
    assert events["T-001-final-report-1@partnerdocs"][0] == date(2028, 1, 30)
    assert events["T-001-refund-1@partnerdocs"][0] == date(2028, 3, 30)
    body = "\n".join(contract.body)
    assert "30 January 2028" in body and "30 March 2028" in body
    # Tranche 1 on signature at the start; the start-up actions due three months in, as Annex B says.
    assert events["T-001-tranche-1@partnerdocs"][0] == date(2027, 1, 15)
    assert "70%" in events["T-001-tranche-2@partnerdocs"][1]
    actions = next(t for t in contract.tables if t[0][0] == "No.")
    assert [row[5] for row in actions[1:]] == ["15 April 2027", "15 April 2027"]
    assert events["T-001-action-1@partnerdocs"][0] == events["T-001-action-2@partnerdocs"][0] == date(2027, 4, 15)
    # The small grant reports at the end only; the joint review comes six months in.
    assert not any(uid.startswith("T-001-report-") for uid in events)
    assert events["T-001-review-1@partnerdocs"][0] == date(2027, 7, 15)


def test_standard_grant_reports_every_quarter(bundled_pack):
    events = _events(_pack(bundled_pack, "PSH-2026-033") / "calendar.ics")
    reports = sorted(day for uid, (day, _) in events.items() if "-report-" in uid and "final" not in uid)
    gaps = {(b.year - a.year) * 12 + b.month - a.month for a, b in zip(reports, reports[1:])}
    assert gaps == {3}


def test_rerun_keeps_the_uids_and_bytes(configs, write_record, tmp_path):
    record = write_record()
    for name in ("a", "b"):
        assert run("--configs", configs, "generate", record, "--out", tmp_path / name, "--only", "pack").exit_code == 0
    first, second = (tmp_path / n / "T-001" / "pack" for n in ("a", "b"))
    for name in FUNDED:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    record.write_text(RECORD.replace("title: Test partnership", "title: Renamed partnership"))
    assert run("--configs", configs, "generate", record, "--out", tmp_path / "c", "--only", "pack").exit_code == 0
    assert set(_events(tmp_path / "c" / "T-001" / "pack" / "calendar.ics")) == set(_events(first / "calendar.ics"))


def test_pack_is_in_the_agreements_language(bundled_pack):
    # PSH-2026-014 is a French agreement.
    facts = docx.Document(str(_pack(bundled_pack, "PSH-2026-014") / "key-facts.docx"))
    text = "\n".join(p.text for p in facts.paragraphs)
    assert "L’essentiel" in text and "Montant et tranches" in text
    checklist = docx.Document(str(_pack(bundled_pack, "PSH-2026-014") / "due-diligence.docx"))
    cells = [c.text for t in checklist.tables for r in t.rows for c in r.cells]
    assert "Attestation bancaire du compte" in cells and "☐" in cells
    # The start-up action with its own owner and date (configs/partnerships/psh-2026-014.yaml).
    assert "Pas encore d'audit externe" in cells and "31 décembre 2027" in cells


def test_collaboration_key_facts_have_no_money(bundled_pack):
    facts = docx.Document(str(_pack(bundled_pack, "PSH-2026-030") / "key-facts.docx"))
    text = "\n".join(p.text for p in facts.paragraphs)
    assert facts.paragraphs and "Amount" not in text and "Tranche" not in text


def test_checklist_without_the_tier_is_refused(configs, write_record, tmp_path):
    path = configs / "due-diligence.yaml"
    path.write_text(path.read_text().replace("  small-grant:", "  smal-grant:"))
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", write_record(), "--out", out, "--only", "pack")
    assert result.exit_code == 2 and "due-diligence.yaml" in result.output and "small-grant" in result.output
    assert "Traceback" not in result.output and not (out / "T-001" / "pack").exists()


def _calc() -> str:
    """soffice with Calc, or skip (fail under CI=true): recalculation needs it."""
    import shutil

    soffice = shutil.which("soffice")
    program = Path(soffice).resolve().parent if soffice else None
    if program and any(program.glob("libsclo.so*")):
        return soffice
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice Calc is required under CI=true to recalculate the workbook")
    pytest.skip("LibreOffice Calc is not installed (soffice cannot open .xlsx): cannot recalculate the workbook")


def _recalculated(soffice: str, workbook: Path, spending: dict[str, float], folder: Path):
    """A copy of ``workbook`` with ``spending`` typed into period 1, recalculated by LibreOffice on load."""
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    for cell, value in spending.items():
        book["P1"][cell] = value
    folder.mkdir()
    filled = folder / "filled.xlsx"
    book.save(filled)
    done = subprocess.run([soffice, "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                           "--convert-to", "xlsx", "--outdir", str(folder / "out"), str(filled)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return load_workbook(folder / "out" / "filled.xlsx", data_only=True)


def test_next_tranche_flag_turns_on_exactly_at_the_records_percentage(configs, write_record, tmp_path):
    soffice = _calc()
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", write_record(), "--out", out, "--only", "pack").exit_code == 0
    workbook = out / "T-001" / "pack" / "financial-report.xlsx"
    # RECORD: tranche 1 of USD 10,000 on signature; tranche 2 once 70% of tranche 1 is liquidated.
    # Budget rows start at row 4 (Staff 12,000, Training 8,000); C is "spent this period".
    below = _recalculated(soffice, workbook, {"C4": 4000, "C5": 2999.99}, tmp_path / "below")
    exact = _recalculated(soffice, workbook, {"C4": 4000, "C5": 3000}, tmp_path / "exact")
    for book, flag, percent in ((below, "NO", 0.699999), (exact, "YES", 0.7)):
        tranches = book["Tranches"]
        assert tranches["H5"].value == flag
        assert abs(tranches["D4"].value - percent) < 1e-6
        assert book["P1"]["E4"].value == pytest.approx(4000 / 12000)
        assert book["P1"]["D6"].value == pytest.approx(percent * 10000, abs=0.01)  # the total, cumulative


def test_workbook_protects_formulas_and_opens_inputs(configs, write_record, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    assert run("--configs", configs, "generate", write_record(), "--out", out, "--only", "pack").exit_code == 0
    book = load_workbook(out / "T-001" / "pack" / "financial-report.xlsx")
    period = book["P1"]
    assert period.protection.sheet and book["Tranches"].protection.sheet
    assert not period["C4"].protection.locked and period["D4"].protection.locked and period["A3"].protection.locked
    assert str(period["D4"].value).startswith("=") and str(book["Tranches"]["H5"].value).startswith("=IF(")
    assert int(period.page_setup.paperSize) == 9  # A4 in OOXML
    assert period["B4"].number_format == "#,##0.00"  # USD: two decimals (ISO 4217)
    assert any("C4" in str(v.sqref) and v.type == "decimal" for v in period.data_validations.dataValidation)


def test_validate_checks_the_checklist_configuration(configs):
    path = configs / "due-diligence.yaml"
    path.write_text(path.read_text().replace("es: Certificado de registro, ", "", 1))
    result = run("--configs", configs, "validate")
    assert result.exit_code == 1
    assert f"{path}: coverage: tiers.collaboration.partner_gives[0]: no text in language 'es'" in result.output


def test_key_facts_fit_one_page(bundled_pack, tmp_path):
    import shutil

    from pypdf import PdfReader

    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is required under CI=true to lay out the key facts")
        pytest.skip("LibreOffice is not installed: cannot lay out the key facts")
    # The funded example with the most tranches and risks, and the collaboration.
    for record_id in ("PSH-2026-014", "PSH-2026-030"):
        folder = tmp_path / record_id
        done = subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                               "--convert-to", "pdf", "--outdir", str(folder),
                               str(_pack(bundled_pack, record_id) / "key-facts.docx")],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        assert len(PdfReader(folder / "key-facts.pdf").pages) == 1


def test_key_facts_and_workbook_state_each_payment_as_the_agreement_does(bundled_pack):
    """psh-2026-041 pays tranches 2 and 3 on milestones: the key facts and the workbook's tranche sheet name
    them (never "None% of tranche None"); psh-2026-014 holds back EUR 18,000 (180,000 less the three advances)
    for the final payment, which the key facts list."""
    import yaml
    from openpyxl import load_workbook

    record = yaml.safe_load((REPO / "configs" / "partnerships" / "psh-2026-041.yaml").read_text(encoding="utf-8"))
    first_milestone = record["milestones"][0]["description"]
    first_milestone = first_milestone["en"] if isinstance(first_milestone, dict) else first_milestone  # the record's language
    facts = docx.Document(str(_pack(bundled_pack, "PSH-2026-041") / "key-facts.docx"))
    rows = [[c.text for c in r.cells] for t in facts.tables for r in t.rows]
    tranche_2 = next(r for r in rows if r[0] == "2")
    assert "milestone 1" in tranche_2[2] and first_milestone in tranche_2[2]
    assert not any("None" in cell for row in rows for cell in row)
    book = load_workbook(_pack(bundled_pack, "PSH-2026-041") / "financial-report.xlsx")
    tranches = book.worksheets[-1]
    assert first_milestone in tranches["E5"].value and tranches["F5"].value is None
    assert not any("None" in str(c.value) for row in tranches.iter_rows() for c in row if c.value is not None)
    french = docx.Document(str(_pack(bundled_pack, "PSH-2026-014") / "key-facts.docx"))
    last = [c.text for c in french.tables[1].rows[-1].cells]
    assert last[0] == "4" and last[1].replace("\u202f", " ").replace("\u00a0", " ") == "18 000,00 EUR"
    assert last[2].startswith("Paiement final")
