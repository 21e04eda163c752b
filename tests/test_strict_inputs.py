"""Issue 9, items 3 and 4: a typo never changes an agreement silently. Unknown
keys in records, workbook columns and configuration are errors with their
place; configuration values are checked; `check` refuses what `generate` would."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook


from .conftest import BUNDLED_CONFIGS, RECORD, line_of, make_logo
from .conftest import cli_run as run


# --- records ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check", "generate", "comms"])
def test_misspelt_funding_is_an_error_in_every_command(command, write_record, tmp_path):
    """`fundng:` used to turn a grant into a memorandum with exit 0."""
    text = RECORD.replace("funding:", "fundng:")
    record = write_record(text)
    out = tmp_path / "out"
    args = ["--configs", BUNDLED_CONFIGS, command, record] + ([] if command == "check" else ["--out", out])
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert f"{record}:{line_of(text, 'fundng:')}: fundng: unknown field; did you mean 'funding'?" in result.output
    assert "pass --allow-unknown" in result.output
    assert not out.exists()


def test_allow_unknown_accepts_an_extra_field_with_a_warning(write_record, tmp_path):
    text = RECORD + "internal_note: approved by the country director\n"
    record = write_record(text)
    out = tmp_path / "out"
    result = run("--configs", BUNDLED_CONFIGS, "generate", record, "--out", out, "--only", "contract",
                 "--allow-unknown")
    assert result.exit_code == 0, result.output
    assert (out / "T-001" / "contract" / "T-001_small-grant.docx").is_file()
    refused = run("--configs", BUNDLED_CONFIGS, "generate", record, "--out", tmp_path / "o2", "--only", "contract")
    assert refused.exit_code == 2 and "internal_note: unknown field" in refused.output


def test_every_command_documents_allow_unknown():
    for command in ("check", "generate", "comms", "batch"):
        result = run(command, "--help")
        assert "--allow-unknown" in result.output, command


# --- workbook columns ------------------------------------------------------------------

HEADER = ["id", "title", "kind", "partner.legal_name", "partner.short_name", "partner.type", "partner.country",
          "partner.address", "partner.registration_number", "partner.logo", "partner.signatory.name",
          "partner.signatory.title", "partner.contact.name", "partner.contact.title", "partner.contact.email",
          "partner.contact.phone", "start", "end", "countries"]
ROW = ["W-1", "Seed banks", "advocacy", "Association Sahel Vert", "ASV", "civil_society", "NE", "BP 7, Maradi",
       "ONG-1", "logo.png", "Hadiza Issa", "Présidente", "Moussa Ali", "Programme officer", "asv@example.org",
       "+227 20 41 00 00", "2027-03-01", "2027-12-31", "NE"]


def workbook(folder: Path, header: list, row: list, budget_header=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    make_logo(folder / "logo.png")
    book = Workbook()
    sheet = book.active
    sheet.title = "partnerships"
    sheet.append(header)
    sheet.append(row)
    if budget_header:
        budget = book.create_sheet("budget")
        budget.append(budget_header)
        budget.append(["W-1", "Seeds", 100])
    path = folder / "in.xlsx"
    book.save(path)
    return path


def test_unknown_workbook_column_is_an_error_at_its_header_cell(tmp_path, configs):
    """An empty `fundng.amount` column would leave a grant without money: it is
    reported at its header cell, whatever the rows hold."""
    source = workbook(tmp_path / "in", HEADER + ["fundng.amount"], ROW + [None])
    result = run("--configs", configs, "batch", source, "--out", tmp_path / "out", "--only", "contract")
    assert result.exit_code == 1
    assert f"{source}: partnerships!T1: fundng: unknown field; did you mean 'funding'?" in result.output
    assert not (tmp_path / "out" / "W-1").exists()
    allowed = run("--configs", configs, "batch", source, "--out", tmp_path / "out", "--only", "contract",
                  "--allow-unknown")
    assert allowed.exit_code == 0, allowed.output


def test_unknown_column_of_a_list_sheet_is_an_error_at_its_header_cell(tmp_path, configs):
    source = workbook(tmp_path / "in", HEADER, ROW, budget_header=["id", "line", "amout"])
    result = run("--configs", configs, "batch", source, "--out", tmp_path / "out", "--only", "contract")
    assert result.exit_code == 1
    assert f"{source}: budget!C1: amout: unknown column of the 'budget' sheet; did you mean 'amount'?" \
        in result.output


# --- configuration ---------------------------------------------------------------------

def edit(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


def check_bundled(configs: Path, *records: Path):
    return run("--configs", configs, "check", *(records or [configs / "partnerships" / "psh-2026-021.yaml"]))


def test_misspelt_tier_bound_is_an_error(configs):
    """`max_monhts:` was dropped, so a 36-month grant got the small-grant agreement."""
    text = edit(configs / "tiers.yaml", "max_months: 12", "max_monhts: 12")
    result = check_bundled(configs)
    assert result.exit_code == 2
    assert (f"{configs / 'tiers.yaml'}:{line_of(text, 'max_monhts')}: tiers[1].when.max_monhts: "
            "unknown field; did you mean 'max_months'?") in result.output


@pytest.mark.parametrize("old, new, message", [
    ("max_amount: 25000, max_months: 12", "min_amount: 30000, max_amount: 25000, max_months: 12",
     "min_amount 30000 is above max_amount 25000: no partnership can match this tier"),
    ("max_months: 12", "max_months: -12", "greater than or equal to 1"),
    ("max_months: 12, max_countries: 1", "max_months: 12, max_countries: 0", "greater than or equal to 1"),
])
def test_tier_bounds_are_checked(configs, old, new, message):
    text = edit(configs / "tiers.yaml", old, new)
    result = check_bundled(configs)
    assert result.exit_code == 2
    assert f"{configs / 'tiers.yaml'}:{line_of(text, new)}: tiers[1].when" in result.output
    assert message in result.output


@pytest.mark.parametrize("key", ["notice_days", "cure_days", "final_report_days", "refund_days", "audit_threshold"])
def test_policy_days_and_thresholds_are_not_negative(configs, key):
    path = configs / "policy.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines() if l.startswith(key + ":"))
    text = edit(path, line, f"{key}: -1")
    result = check_bundled(configs)
    assert result.exit_code == 2
    assert f"{path}:{line_of(text, key + ':')}: {key}: " in result.output
    assert "greater than or equal to 0" in result.output


def test_unknown_policy_key_is_an_error(configs):
    text = edit(configs / "policy.yaml", "notice_days:", "notise_days:")
    result = check_bundled(configs)
    assert result.exit_code == 2
    assert f"{configs / 'policy.yaml'}:{line_of(text, 'notise_days')}: notise_days: unknown field; did you mean " \
           "'notice_days'?" in result.output


def test_rates_base_must_be_the_reference_currency(configs):
    text = edit(configs / "exchange_rates.yaml", "base: USD", "base: EUR")
    result = check_bundled(configs)
    assert result.exit_code == 2
    assert (f"{configs / 'exchange_rates.yaml'}:{line_of(text, 'base:')}: base: the rates are in EUR but tiers.yaml "
            "compares amounts in USD") in result.output


# --- check reports what generate would refuse ------------------------------------------

COMMS = """\
comms:
  languages: [en, de]
  announce_on: 2027-02-01
"""


def test_check_reports_every_refusal_of_generate_at_once_with_its_line(write_record, tmp_path):
    """Italian contract, German comms, a currency without a rate, an unknown
    office: `check` used to say ok; each is now reported at its line, and
    `generate` refuses the same, writing nothing."""
    text = (RECORD.replace("language: en", "language: it").replace("currency: USD", "currency: NOK")
            + "lead_office: Lisbon\n" + COMMS)
    record = write_record(text)
    result = run("--configs", BUNDLED_CONFIGS, "check", record)
    assert result.exit_code == 2
    out = result.output
    assert f"{record}:{line_of(text, 'language: it')}: language: language 'it' has no phrase table" in out
    assert f"{record}:{line_of(text, 'currency: NOK')}: funding.currency: no exchange rate for NOK" in out
    assert f"{record}:{line_of(text, 'lead_office')}: lead_office: 'Lisbon' is not an office" in out
    assert f"{record}:{line_of(text, 'languages: [en, de]')}: comms.languages[1]: " \
           "no communications templates in language 'de'" in out
    generated = run("--configs", BUNDLED_CONFIGS, "generate", record, "--out", tmp_path / "out")
    assert generated.exit_code == 2
    for fragment in ("language 'it'", "no exchange rate for NOK", "'Lisbon' is not an office", "language 'de'"):
        assert fragment in generated.output
    assert not (tmp_path / "out").exists()


def test_check_reports_a_language_without_contract_template(write_record, configs):
    """Spanish has wording but, here, no small-grant template."""
    (configs.parent / "contract_templates" / "small-grant.es.docx").unlink()
    text = RECORD.replace("language: en", "language: es")
    record = write_record(text)
    result = run("--configs", configs, "check", record)
    assert result.exit_code == 2
    assert f"{record}:{line_of(text, 'language: es')}: language: " in result.output
    left = sorted(p.name.split(".")[1] for p in (configs.parent / "contract_templates").glob("small-grant.*.docx"))
    assert "es" not in left and f"no small-grant template in language 'es' (available: {', '.join(left)})" in result.output
