"""A bilingual agreement (issue 13): one signed version per language, each
saying which version prevails; what the record asks for is checked first."""
from __future__ import annotations

import docx
import pytest

from .conftest import RECORD, cli_run, line_of

BILINGUAL = RECORD + "agreement_languages: [en, fr]\nprevailing: fr\ntranslations: fallback\n"


def text_of(path) -> str:
    return "\n".join(p.text for p in docx.Document(path).paragraphs).replace("\u00a0", " ")


def test_each_version_is_its_own_document_and_names_the_prevailing_one(write_record, configs, tmp_path):
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", write_record(BILINGUAL), "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    folder = out / "T-001" / "contract"
    assert sorted(p.name for p in folder.iterdir()) == ["T-001_small-grant.en.docx", "T-001_small-grant.fr.docx"]
    english, french = text_of(folder / "T-001_small-grant.en.docx"), text_of(folder / "T-001_small-grant.fr.docx")
    assert ("This Agreement is drawn up in English and French, in one version for each language, and both Parties "
            "sign each version; this is its English version.") in english
    assert "the French version prevails" in english and "its only authentic version" not in english
    assert "SMALL GRANT AGREEMENT" in english and "ACCORD" in french.upper() and "GRANT AGREEMENT" not in french
    assert ("Le présent Accord est établi en anglais et en français, en une version pour chaque langue, et les deux "
            "Parties signent chaque version ; le présent document en est la version en français.") in french
    assert "la version en français prévaut" in french
    # one language for an arbitration, whichever version a Party relies on
    assert "The language of the arbitration is French, the language of the prevailing version" in english
    assert "La langue de l’arbitrage est le français, langue de la version qui prévaut" in french


def test_one_language_makes_one_document_that_says_it_is_the_only_authentic_one(write_record, configs, tmp_path):
    out = tmp_path / "out"
    assert cli_run("--configs", configs, "generate", write_record(), "--out", out, "--only", "contract").exit_code == 0
    (path,) = (out / "T-001" / "contract").iterdir()
    assert path.name == "T-001_small-grant.docx"
    text = text_of(path)
    assert "This Agreement is made in English, its only authentic version" in text and "prevails" not in text.split(
        "Final provisions")[-1]


@pytest.mark.parametrize("text, fragment, says", [
    (RECORD + "agreement_languages: [en, fr]\n", "id: T-001", "says which version prevails"),
    (RECORD + "agreement_languages: [en, fr]\nprevailing: es\n", "prevailing: es", "es is not one of the agreement"),
    (RECORD + "prevailing: en\n", "prevailing: en", "a prevailing version needs the agreement's versions"),
    (RECORD + "agreement_languages: [fr, es]\nprevailing: fr\n", "agreement_languages:", "the record's language (en)"),
    (RECORD + "agreement_languages: [en, en]\nprevailing: en\n", "agreement_languages:", "listed more than once"),
    (RECORD + "agreement_languages: [en, de]\nprevailing: en\ntranslations: fallback\n", "agreement_languages:",
     "no small-grant template in language 'de'"),
])
def test_what_a_bilingual_agreement_needs_is_checked_with_its_line(write_record, text, fragment, says):
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    assert says in result.output and f"{record}:{line_of(text, fragment)}" in result.output, result.output
    assert "Traceback" not in result.output


def test_a_version_missing_its_translations_lists_every_field(write_record, configs, tmp_path):
    text = RECORD + "agreement_languages: [en, fr]\nprevailing: en\n"
    record = write_record(text)
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", record, "--out", out)
    assert result.exit_code == 2, result.output
    for field in ("title: Test partnership", "{line: Staff", "weaknesses: [Slow payments]"):
        assert f"{record}:{line_of(text, field)}:" in result.output, (field, result.output)
    assert "no French (fr) text for the agreement" in result.output
    assert not (out / "T-001").exists()


def test_an_english_and_arabic_agreement(write_record, configs, tmp_path):
    """The Arabic version names itself and the prevailing English one in Arabic."""
    text = RECORD + "agreement_languages: [en, ar]\nprevailing: en\ntranslations: fallback\n"
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", write_record(text), "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    arabic = text_of(out / "T-001" / "contract" / "T-001_small-grant.ar.docx")
    assert "حُرّرت هذه الاتفاقية باللغة الإنجليزية وباللغة العربية" in arabic
    assert "وهذه هي النسخة العربية" in arabic and "تسود النسخة الإنجليزية" in arabic
    assert "وتكون لغة التحكيم اللغة الإنجليزية، لغة النسخة التي تسود" in arabic


def test_a_workbook_row_asks_for_a_bilingual_agreement(tmp_path):
    from .conftest import write_workbook
    from .test_deal_terms import WB_HEADER, WB_ROW

    book = write_workbook(tmp_path / "wb" / "partnerships.xlsx", {
        "partnerships": [WB_HEADER + ["language", "agreement_languages", "prevailing", "translations"],
                         WB_ROW + ["fr", "fr, en", "fr", "fallback"]],
        "budget": [["id", "line", "amount"], ["WB-1", "Seed purchase", 12000], ["WB-1", "Training", 8000]],
        "advances": [["id", "amount", "release"], ["WB-1", 20000, "on_signature"]],
        "assessment": [["id", "party", "finding", "text"], ["WB-1", "lead", "weakness", "Slow payments"],
                       ["WB-1", "partner", "weakness", "No audit yet"]],
    })
    out = tmp_path / "out"
    result = cli_run("batch", book, "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (out / "WB-1" / "contract").glob("*.docx"))
    assert names == ["WB-1_small-grant.en.docx", "WB-1_small-grant.fr.docx"]
    assert "la version en français prévaut" in text_of(out / "WB-1" / "contract" / names[1])
