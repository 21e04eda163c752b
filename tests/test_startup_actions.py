"""Start-up actions (issue 14, item 5): a weakness may carry its action,
owner, support and due date; the others take configs/policy.yaml's defaults.
Read back from the agreement's annex table."""
from __future__ import annotations

from pathlib import Path

import yaml

from generator.word import read_text

from .conftest import RECORD, cli_run as run, line_of

PLAIN = """\
assessment:
  lead:
    weaknesses: [Slow payments]
  partner:
    weaknesses: [No audit yet]
"""
DETAILED = """\
assessment:
  lead:
    weaknesses:
      - weakness: Slow payments
        action: Publish a payment calendar and keep to it
        support: none
        due: 2027-03-31
  partner:
    weaknesses:
      - weakness: No audit yet
        action: Commission an external audit of the first year
        owner: partner
        support: lead
        due: 2027-06-30
      - Paper-based accounting
"""
HEADER = ["No.", "Responsible", "Weakness addressed", "Action", "Supported by", "Due by"]


def _record(write_record, assessment: str, **replace) -> Path:
    text = RECORD.replace(PLAIN, assessment)
    for old, new in replace.items():
        text = text.replace(old, new)
    return write_record(text)


def _actions(out: Path) -> list[list[str]]:
    (docx,) = (out / "T-001" / "contract").glob("*.docx")
    table = next(t for t in read_text(docx.read_bytes()).tables if t[0][0] == "No.")
    assert table[0] == HEADER
    return table[1:]


def test_plain_weaknesses_take_the_defaults(configs, write_record, tmp_path):
    assert PLAIN in RECORD
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", _record(write_record, PLAIN), "--out", out,
               "--only", "contract").exit_code == 0
    generic = "Agree a plan to address this weakness and review progress at each quarterly meeting"
    assert _actions(out) == [["1", "HSI", "Slow payments", generic, "TPA", "15 April 2027"],
                             ["2", "TPA", "No audit yet", generic, "HSI", "15 April 2027"]]


def test_a_weakness_carries_its_own_action(configs, write_record, tmp_path):
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", _record(write_record, DETAILED), "--out", out,
               "--only", "contract").exit_code == 0
    assert _actions(out) == [
        ["1", "HSI", "Slow payments", "Publish a payment calendar and keep to it", "—", "31 March 2027"],
        ["2", "TPA", "No audit yet", "Commission an external audit of the first year", "HSI", "30 June 2027"],
        ["3", "TPA", "Paper-based accounting",
         "Agree a plan to address this weakness and review progress at each quarterly meeting", "HSI", "15 April 2027"],
    ]


def test_defaults_come_from_the_policy(configs, write_record, tmp_path):
    policy = configs / "policy.yaml"
    data = yaml.safe_load(policy.read_text())
    data.update(startup_due_months=6, startup_support="none")
    policy.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", _record(write_record, PLAIN), "--out", out,
               "--only", "contract").exit_code == 0
    assert [(row[4], row[5]) for row in _actions(out)] == [("—", "15 July 2027"), ("—", "15 July 2027")]


def test_default_due_date_stays_within_a_short_project(configs, write_record, tmp_path):
    out = tmp_path / "out"
    record = _record(write_record, PLAIN, **{"end: 2027-12-31": "end: 2027-03-01"})
    assert run("--configs", configs, "generate", record, "--out", out, "--only", "contract").exit_code == 0
    assert {row[5] for row in _actions(out)} == {"1 March 2027"}


def test_due_outside_the_project_is_refused_at_its_line(configs, write_record, tmp_path):
    text = DETAILED.replace("due: 2027-06-30", "due: 2028-06-30")
    record = _record(write_record, text)
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", record, "--out", out)
    line = line_of(record.read_text(), "due: 2028-06-30")
    assert result.exit_code == 2
    assert f"{record}:{line}: assessment.partner.weaknesses[0].due: 2028-06-30 is outside the project" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_owner_cannot_support_itself(configs, write_record, tmp_path):
    record = _record(write_record, DETAILED.replace("support: lead", "support: partner"))
    result = run("--configs", configs, "check", record)
    assert result.exit_code == 2
    assert "assessment.partner.weaknesses[0].support: 'partner' owns this action" in result.output


def test_unknown_key_in_a_weakness_is_an_error(configs, write_record, tmp_path):
    record = _record(write_record, DETAILED.replace("action: Publish", "actoin: Publish"))
    result = run("--configs", configs, "check", record)
    line = line_of(record.read_text(), "actoin:")
    assert result.exit_code == 2
    assert f"{record}:{line}: assessment.lead.weaknesses[0].actoin: unknown field" in result.output
    assert "action" in result.output
