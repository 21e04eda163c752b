"""Translatable record text (issue #13 item 1): a Prose field is a plain
string in the record's language or a map by language; each document uses
its language's text; a missing language is one error listing every field
with its place, unless translations: fallback (then the preview marks each
fallback, and a quote says it is translated only when a translation was given)."""
from pathlib import Path

from docx import Document

from tests.conftest import cli_run, line_of

EXAMPLE = Path(__file__).resolve().parent.parent / "configs" / "partnerships" / "psh-2026-014.yaml"
PARTNER_QUOTE_EN = '        en: "When a woman saves, the whole village stands up better to drought."\n'
PARTNER_QUOTE_FR = "Quand une femme épargne, c'est tout le village qui résiste mieux à la sécheresse."
LEAD_QUOTE_EN = "Women in Tillabéri already save together and lend to each other."


def _record(tmp_path: Path, text: str) -> Path:
    (tmp_path / "logos").mkdir(exist_ok=True)
    (tmp_path / "logos" / "fss.png").write_bytes((EXAMPLE.parent / "logos" / "fss.png").read_bytes())
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _example() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert PARTNER_QUOTE_EN in text
    return text


def _all_text(docx: Path) -> str:
    document = Document(docx)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_plain_string_is_in_the_records_language_only(tmp_path):
    # A French record whose comms are also in English: the plain title is French text.
    text = _example().replace("title:\n  fr: Groupes d'épargne de femmes pour la résilience climatique à Tillabéri\n"
                              "  en: Women's savings groups for climate resilience in Tillabéri\n",
                              "title: Groupes d'épargne de femmes pour la résilience climatique à Tillabéri\n")
    text = text.replace(PARTNER_QUOTE_EN, "")
    record = _record(tmp_path, text)
    out = tmp_path / "out"
    result = cli_run("generate", record, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{record}:{line_of(text, 'title: Groupes')}: title: no English (en) text for the communications" \
        in result.output
    lines = text.splitlines()
    speaker = next(n for n, l in enumerate(lines, 1) if l.strip() == "name: Aïssata Moussa")
    quote = next(n for n, l in enumerate(lines, 1) if n > speaker and l.strip() == "quote:")
    assert f"{record}:{quote}: comms.speakers[1].quote: no English (en) text for the communications" in result.output
    assert "translations: fallback" in result.output and "Traceback" not in result.output
    assert result.output.count("no English (en) text") == 2  # one message, every missing field in it
    assert not out.exists() or not any(out.rglob("*.docx"))  # nothing written, the agreement included


def test_the_agreement_needs_the_records_language(tmp_path):
    text = _example().replace("{line: Suivi et évaluation, amount: 25000}",
                              "{line: {en: Monitoring and evaluation}, amount: 25000}")
    record = _record(tmp_path, text)
    result = cli_run("generate", record, "--out", tmp_path / "out", "--only", "contract")
    assert result.exit_code == 2, result.output
    assert (f"{record}:{line_of(text, 'Monitoring and evaluation')}: funding.budget[2].line: "
            "no French (fr) text for the agreement") in result.output
    assert not (tmp_path / "out" / "PSH-2026-014" / "contract").exists()


def test_each_document_uses_its_languages_text_and_says_which_quote_is_translated(tmp_path):
    out = tmp_path / "out"
    result = cli_run("generate", _record(tmp_path, _example()), "--out", out)
    assert result.exit_code == 0, result.output
    agreement = _all_text(next((out / "PSH-2026-014" / "contract").glob("*.docx")))
    assert "Formation des groupes d'épargne" in agreement
    comms = out / "PSH-2026-014" / "comms"
    english = _flat((comms / "press-release.en.md").read_text(encoding="utf-8"))
    french = _flat((comms / "press-release.fr.md").read_text(encoding="utf-8"))
    # Aïssata Moussa spoke French (the record's language); Jane Doe English (language: en).
    assert "the whole village stands up better to drought.” – **Aïssata Moussa**, National Coordinator, FSS " \
           "(translated from French)" in english
    assert f"“{LEAD_QUOTE_EN}" in english and "Regional Director, HSI (translated" not in english
    assert f"« {PARTNER_QUOTE_FR} » – **Aïssata Moussa**, Coordinatrice nationale, FSS" in french
    assert "Coordinatrice nationale, FSS (traduit" not in french
    assert "Directrice régionale, HSI (traduit de l’anglais)" in french
    word = _flat(_all_text(comms / "press-release.en.docx"))
    assert "National Coordinator, FSS (translated from French)" in word
    assert "#WomenLead" in (comms / "social.en.md").read_text(encoding="utf-8")
    assert "#FemmesLeaders" in (comms / "social.fr.md").read_text(encoding="utf-8")
    assert "#FemmesLeaders" not in (comms / "social.en.md").read_text(encoding="utf-8")
    assert 'class="fallback"' not in (comms / "preview.html").read_text(encoding="utf-8")


def test_fallback_uses_the_source_text_and_the_preview_marks_it(tmp_path):
    text = _example().replace(PARTNER_QUOTE_EN, "") + "translations: fallback\n"
    out = tmp_path / "out"
    result = cli_run("generate", _record(tmp_path, text), "--out", out)
    assert result.exit_code == 0, result.output
    comms = out / "PSH-2026-014" / "comms"
    english = _flat((comms / "press-release.en.md").read_text(encoding="utf-8"))
    # The French words stand in the English release, not said to be a translation.
    assert f"“{PARTNER_QUOTE_FR}” – **Aïssata Moussa**, National Coordinator, FSS\n".strip() in english
    assert "(translated from French)" not in english
    preview = (comms / "preview.html").read_text(encoding="utf-8")
    english_part = preview.split('<section class="language" lang="en"', 1)[1]
    assert "Not translated: in French for want of a translation (comms.speakers[1].quote)" in english_part
    assert '<mark class="fallback"' in english_part.split("</article>", 1)[0].split('<article class="release">', 1)[1]
    assert "Not translated" not in preview.split('<section class="language" lang="en"', 1)[0]  # the French part uses its own text


def test_the_older_comms_titles_form_is_read_as_a_title_map(tmp_path):
    text = _example().replace("title:\n  fr: Groupes d'épargne de femmes pour la résilience climatique à Tillabéri\n"
                              "  en: Women's savings groups for climate resilience in Tillabéri\n",
                              "title: Groupes d'épargne de femmes pour la résilience climatique à Tillabéri\n")
    text = text.replace("  platforms: [x, linkedin, facebook, instagram]\n",
                        "  platforms: [x, linkedin, facebook, instagram]\n  titles: {en: Savings groups in Tillabéri}\n")
    out = tmp_path / "out"
    result = cli_run("generate", _record(tmp_path, text), "--out", out, "--only", "comms")
    assert result.exit_code == 0, result.output
    english = (out / "PSH-2026-014" / "comms" / "press-release.en.md").read_text(encoding="utf-8")
    assert "launch “Savings groups in Tillabéri”" in english


def test_check_reports_coverage_per_language_and_each_missing_text(tmp_path):
    text = _example().replace(PARTNER_QUOTE_EN, "")
    record = _record(tmp_path, text)
    refused = cli_run("check", record)
    assert refused.exit_code == 2
    assert "comms.speakers[1].quote: no English (en) text for the communications" in refused.output
    allowed = _record(tmp_path, text + "translations: fallback\n")
    result = cli_run("check", allowed)
    assert result.exit_code == 0, result.output
    # 9 texts in the English release and social drafts (title, press contact's title, About,
    # two speakers' titles and quotes, two hashtags), one of them not given.
    assert "en (press release, social): 8 of 9 translatable text(s) given (88%)" in result.output
    assert "fr (agreement, press release, social):" in result.output and "(100%)" in result.output
    assert "comms.speakers[1].quote: no en text; translations: fallback uses the fr text [warning]" in result.output


def test_a_workbook_takes_field_dot_language_columns(tmp_path):
    from generator.sheets import read_sheets
    from tests.conftest import write_workbook
    from tests.test_batch import GOOD, HEADER, LISTS

    header = HEADER + ["language", "number_locale", "title.en", "partner.signatory.title.en"]
    row = GOOD + ["fr", "en", "Seed banks in Maradi (English)", "Chair"]
    book = write_workbook(tmp_path / "book.xlsx", {"partnerships": [header, row],
                                                   **{n: [h, *[r for r in rows if r[0] == "GOOD-1"]]
                                                      for n, (h, rows) in LISTS.items()}})
    [read] = read_sheets(book)
    assert read.error is None, read.error
    record = read.loaded.record
    assert record.title.given == {"fr": "Seed banks in Maradi", "en": "Seed banks in Maradi (English)"}
    assert record.partner.signatory.title.given == {"fr": "Présidente", "en": "Chair"}


def test_a_regional_text_serves_its_language_unless_two_could():
    """A Mozambican record's plain text (pt-MZ) is Portuguese for a `pt` release; with texts for both pt-MZ and
    pt-BR, a `pt` document has no one text to take, and says it is missing rather than guess."""
    from generator.models import Texts
    from generator.translations import text_in

    assert text_in(Texts({"pt-MZ": "Poupança comunitária"}, "pt-MZ"), "pt") == "Poupança comunitária"
    assert text_in(Texts({"pt": "Poupança"}, "pt"), "pt-BR") == "Poupança"
    assert text_in(Texts({"pt-MZ": "Poupança", "pt-BR": "Poupança (BR)"}, "pt-MZ"), "pt") is None
    assert text_in(Texts({"pt-MZ": "Poupança", "pt-BR": "Poupança (BR)"}, "pt-MZ"), "pt-BR") == "Poupança (BR)"
    assert text_in(Texts({"fr": "Épargne"}, "fr"), "pt") is None
