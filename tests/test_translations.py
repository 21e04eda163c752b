"""Translatable record text (issue #13 item 1): a Prose field given as a map
by language is used in each document's language; a missing language is one
error listing every field with its place, unless translations: fallback."""
from pathlib import Path

from docx import Document

from tests.conftest import cli_run

EXAMPLE = Path(__file__).resolve().parent.parent / "configs" / "partnerships" / "psh-2026-014.yaml"


def _record(tmp_path: Path, text: str) -> Path:
    (tmp_path / "logos").mkdir(exist_ok=True)
    (tmp_path / "logos" / "fss.png").write_bytes((EXAMPLE.parent / "logos" / "fss.png").read_bytes())
    path = tmp_path / "record.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _translated(text: str, extra: str = "") -> str:
    text = text.replace("{line: Personnel, amount: 60000}",
                        "{line: {fr: Personnel du projet, en: Project staff}, amount: 60000}")
    text = text.replace(
        'quote: "Women in Tillabéri already save together and lend to each other. Our role is to back what they have built, on their terms."',
        'quote: {en: "Women in Tillabéri already save together.", fr: "À Tillabéri, les femmes épargnent déjà ensemble."}')
    return text + extra


def _all_text(docx: Path) -> str:
    document = Document(docx)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_each_document_uses_its_languages_text(tmp_path):
    record = _record(tmp_path, _translated(EXAMPLE.read_text(encoding="utf-8")))
    out = tmp_path / "out"
    result = cli_run("generate", str(record), "--out", str(out))
    assert result.exit_code == 0, result.output
    agreement = _all_text(next((out / "PSH-2026-014" / "contract").glob("*.docx")))
    assert "Personnel du projet" in agreement and "Project staff" not in agreement
    comms = out / "PSH-2026-014" / "comms"
    english = (comms / "press-release.en.md").read_text(encoding="utf-8")
    french = (comms / "press-release.fr.md").read_text(encoding="utf-8")
    assert "Women in Tillabéri already save together." in english
    assert "les femmes épargnent déjà ensemble" not in english
    assert "À Tillabéri, les femmes épargnent déjà ensemble." in french
    assert "Women in Tillabéri already save together." not in french


def test_a_map_without_a_needed_language_is_one_error_with_every_place(tmp_path):
    text = _translated(EXAMPLE.read_text(encoding="utf-8"))
    text = text.replace("{line: {fr: Personnel du projet, en: Project staff}", "{line: {en: Project staff}")
    text = text.replace('{en: "Women in Tillabéri already save together.", fr:', '{es:')
    record = _record(tmp_path, text)
    out = tmp_path / "out"
    result = cli_run("generate", str(record), "--out", str(out))
    assert result.exit_code == 2, result.output
    lines = text.splitlines()
    budget_line = next(n for n, l in enumerate(lines, 1) if "Project staff" in l)
    assert f"record.yaml:{budget_line}: funding.budget[0].line: no French (fr) text for the agreement" in result.output
    assert "Traceback" not in result.output
    assert not (out / "PSH-2026-014" / "contract").exists()


def test_fallback_uses_the_source_text(tmp_path):
    text = _translated(EXAMPLE.read_text(encoding="utf-8"), "translations: fallback\n")
    text = text.replace("{line: {fr: Personnel du projet, en: Project staff}", "{line: {en: Project staff}")
    record = _record(tmp_path, text)
    out = tmp_path / "out"
    result = cli_run("generate", str(record), "--out", str(out), "--only", "contract")
    assert result.exit_code == 0, result.output
    assert "Project staff" in _all_text(next((out / "PSH-2026-014" / "contract").glob("*.docx")))
