"""The comms pack as a communications team publishes it: approval and final
copies, read back from the files the CLI writes."""
from __future__ import annotations

import json
from pathlib import Path

import docx

from .conftest import BUNDLED_CONFIGS, cli_run
from .test_comms import comms_record

APPROVALS = """\
  approvals:
    lead: {by: Jane Doe, date: 2027-01-25}
    partner: {by: Awa Diallo, date: 2027-01-27}
"""
MARK = "DRAFT for joint review"


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _comms(configs: Path, record: Path, out: Path, *extra):
    return cli_run("--configs", configs, "comms", record, "--out", out, *extra)


def test_drafts_carry_the_joint_review_mark(configs, write_record, tmp_path):
    out = tmp_path / "out"
    assert _comms(configs, write_record(comms_record()), out).exit_code == 0
    folder = out / "T-001" / "comms"
    assert _docx_text(folder / "press-release.en.docx").startswith(MARK)
    assert (folder / "press-release.en.md").read_text(encoding="utf-8").lstrip().startswith(f"**{MARK}")
    assert not (folder / "final").exists()


def test_final_refuses_without_both_approvals_and_names_what_is_missing(configs, write_record, tmp_path):
    out = tmp_path / "out"
    record = write_record(comms_record())
    result = _comms(configs, record, out, "--final")
    assert result.exit_code == 1
    assert "comms.approvals.lead and comms.approvals.partner (by, date) are missing" in result.output
    assert not (out / "T-001").exists()

    only_lead = APPROVALS.split("    partner:")[0]
    result = _comms(configs, write_record(comms_record() + only_lead), out, "--final")
    assert result.exit_code == 1
    assert "comms.approvals.partner (by, date) is missing" in result.output
    assert "approvals.lead" not in result.output
    assert not (out / "T-001").exists()


def test_an_approval_needs_who_and_when(configs, write_record, tmp_path):
    record = write_record(comms_record() + "  approvals:\n    lead: {by: Jane Doe}\n")
    result = _comms(configs, record, tmp_path / "out", "--final")
    assert result.exit_code == 2
    assert "comms.approvals.lead.date" in result.output


def test_final_writes_unmarked_copies_and_records_the_approvals(configs, write_record, tmp_path):
    out = tmp_path / "out"
    record = write_record(comms_record() + APPROVALS)
    assert _comms(configs, record, out).exit_code == 0
    result = _comms(configs, record, out, "--final")
    assert result.exit_code == 0, result.output
    folder = out / "T-001" / "comms"
    final = folder / "final"
    text = _docx_text(final / "press-release.en.docx")
    assert "DRAFT" not in text and "joint review" not in text
    assert text.lstrip().startswith("Test Partner Association and")  # the headline comes first
    for name in ("press-release.en.md", "press-release.en.html", "social.en.md"):
        body = (final / name).read_text(encoding="utf-8")
        assert "DRAFT" not in body and "joint review" not in body, name
    # the drafts stay as they were, marked
    assert _docx_text(folder / "press-release.en.docx").startswith(MARK)
    manifest = json.loads((out / "T-001" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["approvals"] == {"lead": {"by": "Jane Doe", "date": "2027-01-25"},
                                     "partner": {"by": "Awa Diallo", "date": "2027-01-27"}}
    paths = {entry["path"] for entry in manifest["outputs"]}
    assert "comms/final/press-release.en.docx" in paths and "comms/press-release.en.docx" in paths


def test_the_bundled_example_with_approvals_makes_final_copies(tmp_path):
    record = BUNDLED_CONFIGS / "partnerships" / "psh-2026-030.yaml"
    result = cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path, "--final")
    assert result.exit_code == 0, result.output
    finals = list(tmp_path.glob("*/comms/final/press-release.en.docx"))
    assert len(finals) == 1 and "DRAFT" not in _docx_text(finals[0])
