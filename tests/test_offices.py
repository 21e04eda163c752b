"""Issue 9, item 8: the lead signs through the office that manages the
partnership, every person has a title, and the partner's press contact is
kept apart from the officer who signs requests for funds."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from generator.config import load_config
from generator.contracts import render_contract
from generator.records import load_record
from generator.tiers import select_tier

from .conftest import BUNDLED_CONFIGS, RECORD, line_of, make_logo
from .conftest import cli_run as run

PEOPLE = """\
  contact: {name: Ali Sani, title: Programme Manager, email: ali@example.org, phone: "+227 20 00 00 01"}
  funds_officer: {name: Zeinab Adamou, title: Finance Officer}
  press_contact: {name: Moussa Idé, title: Communications Officer, email: press@example.org, phone: "+227 20 00 00 09"}
"""
WITH_PEOPLE = RECORD.replace(
    '  contact: {name: Ali Sani, title: Programme Manager, email: ali@example.org, phone: "+227 20 00 00 01"}\n', PEOPLE)

# The small grant has no officers annex; the standard grant has one.
STANDARD_TIER = "tier: {name: standard-grant, reason: officers annex}\n"


def write(tmp_path: Path, text: str) -> Path:
    make_logo(tmp_path / "logo.png")
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def render(path: Path, configs: Path = BUNDLED_CONFIGS) -> docx.Document:
    config = load_config(configs)
    loaded = load_record(path)
    contract = render_contract(loaded, config, select_tier(loaded.record, config))
    return docx.Document(io.BytesIO(contract.data))


def officers(document) -> list[list[str]]:
    table = next(t for t in document.tables if len(t.rows[0].cells) == 4 and t.rows[0].cells[3].text in
                 ("Authority", "Pouvoirs", "Facultades"))
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def signature_cells(document) -> list[str]:
    block = next(t for t in document.tables if any("___" in c.text for r in t.rows for c in r.cells))
    return [c.text for r in block.rows for c in r.cells]


@pytest.mark.parametrize("language, title", [
    ("en", "Regional Director for East and Southern Africa"),
    ("fr", "Directrice régionale pour l'Afrique de l'Est et australe"),
    ("es", "Directora Regional para África Oriental y Austral"),
    ("pt", "Diretora Regional para a África Oriental e Austral"),
    ("pt-MZ", "Diretora Regional para a África Oriental e Austral"),
])
def test_lead_signs_through_the_records_office_with_its_title_in_the_language(tmp_path, language, title):
    text = RECORD.replace("language: en", f"language: {language}").replace(
        "countries: [NE]", "countries: [NE]\nlead_office: Nairobi")
    cells = signature_cells(render(write(tmp_path, text)))
    assert any("Grace Wanjiru" in c for c in cells) and any(title in c for c in cells)
    assert not any("Jane Doe" in c for c in cells)
    assert not any("West and Central Africa" in c for c in cells)


def test_default_office_signs_when_the_record_names_none(tmp_path):
    cells = signature_cells(render(write(tmp_path, RECORD)))
    assert any("Jane Doe" in c for c in cells)
    assert any("Regional Director for West and Central Africa" in c for c in cells)


def test_officers_annex_gives_every_person_a_title_and_the_funds_officer(tmp_path):
    """The Title column printed the contact's e-mail."""
    rows = officers(render(write(tmp_path, WITH_PEOPLE + STANDARD_TIER)))
    assert all("@" not in title and title for _, _, title, _ in rows)
    assert ["TPA", "Ali Sani", "Programme Manager", "Day-to-day management, correspondence and narrative reports"] in rows
    assert ["TPA", "Zeinab Adamou", "Finance Officer", "Signs requests for funds and financial reports"] in rows
    assert ["HSI", "Fatou Ndiaye", "Regional Finance Manager", "Approves requests for funds and financial reports"] in rows
    assert not any("Moussa Idé" in row for row in rows)  # the press contact signs nothing


def test_without_a_funds_officer_the_signatory_signs_requests_for_funds(tmp_path):
    rows = officers(render(write(tmp_path, RECORD + STANDARD_TIER)))
    assert ["TPA", "Awa Diallo", "Director", "Signs requests for funds and financial reports"] in rows
    assert not any(row[1] == "Ali Sani" and "funds" in row[3] for row in rows)


COMMS = """\
  about: {en: Test Partner Association works in Niamey.}
comms:
  languages: [en]
  announce_on: 2027-02-01
  speakers:
    - {org: lead, name: Jane Doe, title: Regional Director, quote: "We back what partners build."}
    - {org: partner, name: Awa Diallo, title: Director, quote: "Our members lead."}
"""


def test_press_release_names_the_press_contacts_not_the_finance_officers(tmp_path, configs):
    text = WITH_PEOPLE.replace("  signatory: {name: Awa Diallo", COMMS.split("comms:")[0] + "  signatory: {name: Awa Diallo")
    text += "comms:" + COMMS.split("comms:")[1]
    record = write(tmp_path / "in", text)
    result = run("--configs", configs, "comms", record, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    release = (tmp_path / "out" / "T-001" / "comms" / "press-release.en.md").read_text(encoding="utf-8")
    assert "press@example.org" in release and "press.wca@hsi.example.org" in release
    assert "Zeinab Adamou" not in release and "ali@example.org" not in release


def test_unknown_default_office_is_a_configuration_error(configs):
    path = configs / "organisation.yaml"
    text = path.read_text(encoding="utf-8").replace("default_office: Dakar", "default_office: Dacar")
    path.write_text(text, encoding="utf-8")
    result = run("--configs", configs, "check", BUNDLED_CONFIGS / "partnerships" / "psh-2026-021.yaml")
    assert result.exit_code == 2
    assert f"{path}:{line_of(text, 'default_office')}: default_office: 'Dacar' is not one of the offices" \
        in result.output


def test_a_person_without_title_is_an_error(tmp_path):
    text = RECORD.replace("title: Programme Manager, ", "")
    result = run("--configs", BUNDLED_CONFIGS, "check", write(tmp_path, text))
    assert result.exit_code == 2
    assert f":{line_of(text, 'contact:')}: partner.contact.title: required field is missing" in result.output
