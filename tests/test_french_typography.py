"""French small words: the first of a month is '1er' wherever a date is
written, and a no-break space stands before a colon (and ; ! ?) in labels
and clauses, so 'Nom :' never breaks before its colon."""
from __future__ import annotations

import re
from datetime import date

import docx
import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.environment import environment
from generator.word import read_text

from .conftest import RECORD, REPO

COMMS = """\
comms:
  languages: [fr]
  announce_on: 2027-03-01
  speakers:
    - {org: lead, name: Jane Doe, title: Directrice régionale, quote: "Nous soutenons ce que les partenaires bâtissent."}
    - {org: partner, name: Awa Diallo, title: Directrice, quote: "Nos membres mènent ce travail."}
  hashtags: ["#Test"]
  platforms: [x, linkedin]
"""
SOCIAL = "  social: {x: '@TPA_NE', linkedin: tpa-ne}\n"
ABOUT = "  about: {fr: L'Association travaille avec les agricultrices du Niger.}\n"


def french_record() -> str:
    text = RECORD.replace("language: en", "language: fr").replace("start: 2027-01-15", "start: 2027-02-01")
    text = text.replace("end: 2027-12-31", "end: 2028-01-31")
    return text.replace("  contact: {name: Ali Sani", SOCIAL + ABOUT + "  contact: {name: Ali Sani") + COMMS


@pytest.fixture
def french_out(configs, write_record, tmp_path):
    path = write_record(french_record())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--configs", str(configs), "generate", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "T-001"


def agreement_text(folder) -> str:
    (path,) = (folder / "contract").glob("*.docx")
    document = docx.Document(path)
    return "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows
                                                               for c in r.cells])


def test_the_first_of_a_month_is_1er_in_the_agreement_and_the_release(french_out):
    text = agreement_text(french_out)
    assert "1er février 2027" in text and not re.search(r"(?<!\d)1 février", text)
    release = "\n".join(read_text((french_out / "comms" / "press-release.fr.docx").read_bytes()).body)
    assert "1er mars 2027" in release and not re.search(r"(?<!\d)1 mars", release)


@pytest.mark.parametrize("day, style, language, text", [
    (date(2027, 2, 1), "long", "fr", "1er février 2027"), (date(2027, 2, 1), "full", "fr", "lundi 1er février 2027"),
    (date(2027, 2, 1), "medium", "fr", "1er févr. 2027"), (date(2027, 2, 11), "long", "fr", "11 février 2027"),
    (date(2001, 1, 21), "long", "fr", "21 janvier 2001"), (date(2027, 2, 1), "short", "fr", "01/02/2027"),
    (date(2027, 2, 1), "long", "en", "1 February 2027"), (date(2027, 2, 1), "long", "es", "1 de febrero de 2027"),
])
def test_date_filter(day, style, language, text):
    template = environment("text").from_string("{{ day | date(language, style) }}")
    assert template.render(day=day, language=language, style=style) == text


def test_french_labels_and_clauses_keep_a_no_break_space_before_the_colon(french_out):
    text = agreement_text(french_out)
    assert "Nom\u00a0: " in text and "Fonction\u00a0: " in text and "Signature\u00a0: " in text
    assert not re.search(r"\w:\s", text), re.search(r".{20}\w:\s.{10}", text)
    assert not re.search(r" [:;!?»]|« ", text), re.search(r".{20}( [:;!?»]|« ).{10}", text)
    social = (french_out / "comms" / "social.fr.md").read_text(encoding="utf-8")
    assert "Longueur\u00a0: " in social and not re.search(r"\w:\s| [:;]", social)
    credit = (french_out / "comms" / "credit-line.fr.txt").read_text(encoding="utf-8")
    assert credit.startswith("Mention courte\u00a0:\n") and "Mention longue\u00a0:\n" in credit


@pytest.mark.parametrize("tier", ["collaboration", "small-grant", "standard-grant", "complex-award"])
def test_every_french_template_spaces_its_punctuation(tier):
    document = docx.Document(REPO / "contract_templates" / f"{tier}.fr.docx")
    text = "\n".join([p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows
                                                               for c in r.cells])
    assert not re.search(r" [:;!?»]|« ", text), re.search(r".{20}( [:;!?»]|« ).{10}", text)
    assert not re.search(r"\w[:;!?]\s", text), re.search(r".{20}\w[:;!?]\s.{10}", text)
