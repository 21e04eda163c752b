"""`partnerdocs validate`: each check is shown to fail on a broken template,
with the exact problem, in each output format."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
from docx.shared import Pt
from lxml import etree


from .conftest import BUNDLED_CONFIGS
from .conftest import cli_run as run


def validate(configs: Path, *args):
    return run("--configs", configs, "validate", *args)


def add_paragraph(path: Path, *runs: str, bold_second: bool = False) -> None:
    """Append a paragraph made of ``runs`` (separate Word runs) to a template."""
    document = docx.Document(path)
    paragraph = document.add_paragraph()
    for i, text in enumerate(runs):
        run = paragraph.add_run(text)
        if bold_second and i == 1:
            run.bold, run.font.size = True, Pt(13)
    document.save(path)


def contract(configs: Path, name: str = "small-grant.en.docx") -> Path:
    return configs.parent / "contract_templates" / name


def test_bundled_templates_pass():
    result = run("--configs", BUNDLED_CONFIGS, "validate", "--strict")
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].endswith("0 error(s), 0 warning(s): passed")


def test_syntax_error_names_the_line_and_the_visible_text(configs):
    path = contract(configs)
    add_paragraph(path, "Amount due: {{ funding.amount }")
    result = validate(configs, path)
    assert result.exit_code == 1
    line = next(l for l in result.output.splitlines() if "Jinja syntax error" in l)
    assert line.startswith(f"{path}: document line ")
    assert "(near “Amount due: {{ funding.amount }”)" in line


def test_tag_split_across_runs_is_not_reported(configs):
    path = contract(configs)
    add_paragraph(path, "Signed for {{ partner.", "legal_name }} today", bold_second=True)
    result = validate(configs, path)
    assert result.exit_code == 0, result.output


def test_unknown_variable_suggests_the_nearest(configs):
    path = contract(configs)
    add_paragraph(path, "{{ partner.legal_nam }}")
    result = validate(configs, path)
    assert result.exit_code == 1
    assert "unknown variable 'partner.legal_nam'; did you mean partner.legal_name?" in result.output


def test_unknown_variable_inside_a_loop(configs):
    path = contract(configs)
    document = docx.Document(path)
    table = document.add_table(rows=3, cols=1)
    table.rows[0].cells[0].text = "{%tr for row in funding.budget %}"
    table.rows[1].cells[0].text = "{{ row.lien }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    document.save(path)
    result = validate(configs, path)
    assert "unknown variable 'funding.budget.lien'; did you mean funding.budget.line?" in result.output


def test_unknown_filter(configs):
    path = contract(configs)
    add_paragraph(path, "{{ funding.amount | monee }}")
    assert "unknown filter 'monee'; did you mean money?" in validate(configs, path).output


def test_missing_signature_block(configs):
    path = contract(configs)
    document = docx.Document(path)
    for table in document.tables:
        if any("_____" in cell.text for row in table.rows for cell in row.cells):
            table._element.getparent().remove(table._element)
    document.save(path)
    result = validate(configs, path)
    assert result.exit_code == 1
    assert f"{path}: document: no signature block" in result.output


def test_missing_logo_placeholder_in_a_press_release(configs):
    path = configs.parent / "comms_templates" / "press-release.en.docx"
    document = docx.Document(path)
    for table in document.sections[0].header.tables:
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                if "partner_logo" in paragraph.text:
                    for run in paragraph.runs:
                        run.text = ""
    document.save(path)
    result = validate(configs, path)
    assert result.exit_code == 1
    assert f"{path}: header: missing {{{{ partner_logo }}}}: both logos belong in the header" in result.output


def test_markdown_release_without_logos_or_partner_speaker(configs):
    path = configs.parent / "comms_templates" / "press-release.en.md"
    text = path.read_text().replace("{{ logo_row }}", "").replace("speakers.partner", "speakers.lead")
    path.write_text(text)
    output = validate(configs, path).output
    assert f"{path}: missing {{{{ logo_row }}}}: the release must show both logos" in output
    assert f"{path}: no partner speaker" in output


def test_social_draft_that_does_not_tag_the_partner(configs):
    path = configs.parent / "comms_templates" / "social.en.yaml"
    path.write_text(path.read_text().replace("{{ tags.partner }} and {{ tags.lead }} are partnering",
                                             "{{ tags.lead }} is partnering"))
    assert f"{path}: x: the draft does not tag the partner" in validate(configs, path).output


def test_tier_without_template(configs):
    contract(configs, "standard-grant.fr.docx").unlink()
    result = validate(configs)
    assert result.exit_code == 1
    expected = (f"{contract(configs, 'standard-grant.fr.docx')}: coverage: tier 'standard-grant' has no template "
                "in language 'fr'")
    assert expected in result.output


def test_not_a_word_document(configs, tmp_path):
    fake = tmp_path / "collaboration.en.docx"
    fake.write_text("this is not a Word file")
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    result = validate(configs, fake, other)
    assert result.exit_code == 1
    assert f"{fake}: not a Word document (not a zip file)" in result.output
    assert f"{other}: not a template partnerdocs knows" in result.output
    assert "Traceback" not in result.output


def test_render_check_catches_what_only_rendering_shows(configs):
    path = contract(configs, "standard-grant.en.docx")
    add_paragraph(path, "{{ '{{' }} left for the grants officer")
    result = validate(configs, path)
    assert result.exit_code == 1
    assert f"{path}: render with psh-2026-041.yaml: " in result.output
    assert "template tag left in the document" in result.output


def test_broken_record_is_reported_with_its_line(configs):
    record = configs / "partnerships" / "psh-2026-052.yaml"
    text = record.read_text().replace("currency: USD", "currency: USX")
    record.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "USX" in l)
    result = validate(configs)
    assert result.exit_code == 1
    assert f"{record}: line {line}: funding.currency: 'USX' is not an ISO 4217 currency code" in result.output


def test_warnings_fail_only_under_strict(configs):
    """A template for a tier the configuration does not have is a warning.
    (An unknown record key used to be the example; since issue 9 it is an error.)"""
    shutil.copy(configs.parent / "contract_templates" / "small-grant.en.docx",
                configs.parent / "contract_templates" / "mega-grant.en.docx")
    loose = validate(configs)
    assert loose.exit_code == 0 and "no tier 'mega-grant' in configs/tiers.yaml [warning]" in loose.output
    assert validate(configs, "--strict").exit_code == 1


def test_unknown_record_key_fails_validate_without_strict(configs):
    record = configs / "partnerships" / "psh-2026-030.yaml"
    record.write_text(record.read_text() + "notes: signed in Lodwar\n")
    result = validate(configs)
    assert result.exit_code == 1 and "notes: unknown field" in result.output


# --- formats ---------------------------------------------------------------------------

def broken(configs: Path) -> Path:
    path = contract(configs)
    add_paragraph(path, "{{ partner.legal_nam }}")
    return path


def test_json_format(configs):
    path = broken(configs)
    data = json.loads(validate(configs, path, "--format", "json").output)
    assert data["passed"] is False
    (problem,) = [p for p in data["problems"] if p["check"] == "variables"]
    assert problem["file"] == str(path) and problem["severity"] == "error"
    assert problem["message"] == "unknown variable 'partner.legal_nam'; did you mean partner.legal_name?"


def test_github_format(configs):
    path = broken(configs)
    result = validate(configs, path, "--format", "github")
    assert result.exit_code == 1
    assert any(line.startswith(f"::error file={path}::document line ") and "partner.legal_nam" in line
               for line in result.output.splitlines())


def test_junit_format(configs, tmp_path):
    path = broken(configs)
    report = tmp_path / "reports" / "validate.xml"
    result = validate(configs, path, "--format", "junit", "--report", report)
    assert result.exit_code == 1
    suite = etree.parse(str(report)).getroot()
    assert suite.tag == "testsuite" and suite.get("failures") == "1"
    case = next(c for c in suite.iter("testcase") if c.get("name") == str(path))
    assert "unknown variable 'partner.legal_nam'" in case.find("failure").get("message")


def test_junit_needs_a_report_path(configs):
    result = validate(configs, "--format", "junit")
    assert result.exit_code == 2 and "--format junit needs --report PATH" in result.output


def test_missing_path_is_bad_usage(configs, tmp_path):
    assert validate(configs, tmp_path / "nope.docx").exit_code == 2


def test_validate_writes_nothing(configs):
    before = sorted(p for p in configs.parent.rglob("*"))
    validate(configs)
    assert sorted(p for p in configs.parent.rglob("*")) == before


def test_translations_each_version_needs_are_checked_with_their_lines(configs):
    """psh-2026-033 is signed in French and English: an English budget line taken out is an
    error at its line; with translations: fallback it is a warning (so --strict fails)."""
    record = configs / "partnerships" / "psh-2026-033.yaml"
    text = record.read_text(encoding="utf-8").replace(
        "{line: {fr: Équipements de transformation, en: Processing equipment}, amount: 38000}",
        "{line: Équipements de transformation, amount: 38000}")
    record.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "line: Équipements de transformation" in l)
    result = validate(configs)
    assert result.exit_code == 1
    assert f"{record}: line {line}: funding.budget[0].line: no English (en) text for the agreement" in result.output
    record.write_text(text + "translations: fallback\n", encoding="utf-8")
    loose = validate(configs)
    assert loose.exit_code == 0, loose.output
    assert f"{record}: line {line}: funding.budget[0].line: no English (en) text: the French text is used" in loose.output
    assert validate(configs, "--strict").exit_code == 1
