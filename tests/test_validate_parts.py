"""`partnerdocs validate` reads every part docxtpl renders, reports each
mistake once at the place to fix it, exercises every tier, and warns when a
split tag would lose its formatting."""
from __future__ import annotations

import shutil
from pathlib import Path

import docx
from click.testing import CliRunner

from generator.cli import cli

from .docx_edit import add_note


def validate(configs: Path, *args):
    result = CliRunner().invoke(cli, ["--configs", str(configs), "validate", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def template(configs: Path, name: str = "standard-grant.en.docx") -> Path:
    return configs.parent / "contract_templates" / name


def add_paragraph(path: Path, *runs: str, bold_second: bool = False, before: str | None = None) -> None:
    document = docx.Document(path)
    if before:
        anchor = next(p for p in document.paragraphs if p.text.startswith(before))
        paragraph = anchor.insert_paragraph_before()
    else:
        paragraph = document.add_paragraph()
    for i, text in enumerate(runs):
        run = paragraph.add_run(text)
        if bold_second and i == 1:
            run.bold = True
    document.save(path)


def findings_of(output: str, path: Path) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{path}:")]


def test_broken_tag_in_a_footnote_is_reported_in_the_footnotes(configs):
    path = template(configs)
    add_note(path, "footnotes", "As defined by {{ partner.legal_name }", "IN WITNESS WHEREOF")
    result = validate(configs, path)
    assert result.exit_code == 1
    (line,) = findings_of(result.output, path)
    assert line.startswith(f"{path}: footnotes line ") and "Jinja syntax error" in line


def test_tag_in_an_endnote_is_reported_as_never_rendered(configs):
    path = template(configs)
    add_note(path, "endnotes", "Signed by {{ partner.legal_name }}", "IN WITNESS WHEREOF")
    result = validate(configs, path)
    assert result.exit_code == 1
    assert f"{path}: endnotes: a template tag in an endnote: docxtpl does not render endnotes" in result.output


def test_broken_tag_in_a_document_property_names_the_property(configs):
    path = template(configs)
    document = docx.Document(path)
    document.core_properties.subject = "Agreement {{ agreement.tier_label }"
    document.save(path)
    result = validate(configs, path)
    assert result.exit_code == 1
    (line,) = findings_of(result.output, path)
    assert line.startswith(f"{path}: document property 'subject': Jinja syntax error")


def test_tag_in_a_property_docxtpl_never_renders_is_reported(configs):
    path = template(configs)
    document = docx.Document(path)
    document.core_properties.keywords = "{{ agreement.tier }}"
    document.save(path)
    result = validate(configs, path)
    assert result.exit_code == 1
    assert f"{path}: document property 'keywords': a template tag in a property docxtpl does not render" in result.output


def test_unclosed_block_is_reported_where_it_opens(configs):
    path = template(configs)
    add_paragraph(path, "{%p if has_sub_partners %}", before="IN WITNESS WHEREOF")
    result = validate(configs, path)
    assert result.exit_code == 1
    (line,) = findings_of(result.output, path)
    assert "'{% if %}' is never closed ('{% endif %}' missing)" in line
    assert "{% if has_sub_partners %}”)" in line.split("): Jinja")[0] + ")"


def test_each_mistake_is_reported_once(configs):
    """Neither a syntax error nor an unknown variable comes again from the render step."""
    path = template(configs)
    add_paragraph(path, "{{ partner.legal_nam }}")
    result = validate(configs, path)
    assert result.exit_code == 1
    (line,) = findings_of(result.output, path)
    assert "unknown variable 'partner.legal_nam'" in line
    other = template(configs, "small-grant.es.docx")
    add_paragraph(other, "Importe: {{ funding.amount }")
    result = validate(configs, other)
    (line,) = findings_of(result.output, other)
    assert "Jinja syntax error" in line


def test_github_annotations_name_files_from_the_repository_root(configs, monkeypatch):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (configs.parent / ".git").mkdir()
    record = configs / "partnerships" / "psh-2026-041.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("currency: JOD", "currency: JDX"), encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "currency: JOD" in l)
    add_paragraph(template(configs), "{{ partner.legal_nam }}")
    output = validate(configs, "--format", "github").output.splitlines()
    assert any(l.startswith(f"::error file=configs/partnerships/psh-2026-041.yaml,line={line}::") for l in output), output
    assert any(l.startswith("::error file=contract_templates/standard-grant.en.docx::") for l in output), output
    monkeypatch.setenv("GITHUB_WORKSPACE", str(configs))
    output = validate(configs, "--format", "github").output.splitlines()
    assert any(l.startswith(f"::error file=partnerships/psh-2026-041.yaml,line={line}::") for l in output), output


def add_tier(configs: Path, name: str, when: str) -> None:
    """A tier before the others, with its template in every language copied from the small grant."""
    tiers = configs / "tiers.yaml"
    tiers.write_text(tiers.read_text(encoding="utf-8").replace(
        "tiers:\n", f"tiers:\n  - name: {name}\n    label: {{en: Micro grant, fr: Micro-subvention, es: Microsubvención}}\n"
                    f"    when: {when}\n", 1), encoding="utf-8")
    for source in sorted(template(configs).parent.glob("small-grant.*.docx")):  # every contract language
        shutil.copy(source, source.with_name(source.name.replace("small-grant.", f"{name}.")))
    # Every tier has its start-up pack checklist too: the small grant's.
    checklist = configs / "due-diligence.yaml"
    checklist.write_text(checklist.read_text(encoding="utf-8").replace("  small-grant:\n", f"  {name}: &copied\n", 1)
                         + "  small-grant: *copied\n", encoding="utf-8")


def test_a_tier_no_record_reaches_is_rendered_with_a_derived_record(configs):
    add_tier(configs, "micro-grant", "{financial: true, max_amount: 100}")
    path = template(configs, "micro-grant.en.docx")
    assert validate(configs, "--strict").exit_code == 0
    add_paragraph(path, "{{ '{{' }} left for the grants officer")
    result = validate(configs, "--strict")
    assert result.exit_code == 1
    assert any(l.startswith(f"{path}: render with ") and "(as tier micro-grant)" in l
               and "template tag left in the document" in l for l in result.output.splitlines()), result.output


def test_a_tier_no_record_can_be_derived_for_fails_under_strict(configs):
    for record in (configs / "partnerships").glob("psh-2026-030.yaml"):
        record.unlink()  # the only non-financial example
    result = validate(configs)
    assert result.exit_code == 0, result.output
    path = template(configs, "collaboration.en.docx")
    assert f"{path}: render: no bundled record exercises tier 'collaboration'" in result.output
    assert validate(configs, "--strict").exit_code == 1


def test_tag_split_across_runs_with_different_formatting_is_a_warning_naming_the_paragraph(configs):
    path = template(configs)
    add_paragraph(path, "Signed for {{ partner.", "legal_name }} today", bold_second=True)
    result = validate(configs, path)
    assert result.exit_code == 0, result.output
    assert (f"{path}: document: paragraph “Signed for {{{{ partner.legal_name }}}} today”: a tag is split across "
            "runs with different formatting") in result.output
    assert validate(configs, path, "--strict").exit_code == 1


def test_tag_split_across_runs_formatted_alike_is_fine(configs):
    path = template(configs)
    add_paragraph(path, "Signed for {{ partner.", "legal_name }} today")
    result = validate(configs, path, "--strict")
    assert result.exit_code == 0, result.output


def test_github_annotations_of_text_templates_give_the_file_line(configs, monkeypatch):
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    (configs.parent / ".git").mkdir()
    social = configs.parent / "comms_templates" / "social.en.yaml"
    text = social.read_text(encoding="utf-8").replace("From {{ dates.start }}", "From {{ dates.strat }}")
    social.write_text(text, encoding="utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "dates.strat" in l)
    output = validate(configs, social, "--format", "github").output.splitlines()
    assert any(l.startswith(f"::error file=comms_templates/social.en.yaml,line={line}::linkedin line ")
               and "dates.strat" in l for l in output), output
