"""What Word shows is what was checked: no tracked change, comment or
hidden text reaches a partner, and every template and every output passes
the Word-compatibility checker (../shared/ooxml/check_docx.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.config import load_config
from generator.generate import generate
from generator.word import revision_marks

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS, REPO
from .docx_edit import W, WORD_TYPE, add_part, edit, paragraph_with, run, w

SHARED = Path(os.environ.get("PARTNERDOCS_SHARED") or REPO.parent / "shared")
CHECKER = SHARED / "ooxml" / "check_docx.py"
TEMPLATES = sorted((REPO / "contract_templates").glob("*.docx")) + sorted((REPO / "comms_templates").glob("*.docx"))
ARTICLE = "Flexibility. The Partner may transfer funds"  # a clause of standard-grant.en.docx


def cli_run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def needs_checker():
    if CHECKER.is_file():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Word-compatibility checker is required under CI=true: {CHECKER} is missing")
    pytest.skip(f"the Word-compatibility checker {CHECKER} is not there (set PARTNERDOCS_SHARED)")


# --- fixtures: a template edited in Word with Track Changes on, comments, hidden text

def tracked_insertion(root):
    paragraph = paragraph_with(root, ARTICLE)
    inserted = w("ins", id="9001", author="Legal", date="2026-11-02T10:00:00Z")
    inserted.append(run(" Private partners are excluded."))
    paragraph.append(inserted)


def tracked_deletion(root):
    paragraph = paragraph_with(root, ARTICLE)
    deleted = w("del", id="9002", author="Legal", date="2026-11-02T10:00:00Z")
    deleted.append(run(" within thirty days", deleted=True))
    paragraph.append(deleted)


def hidden_text(root):
    paragraph = paragraph_with(root, ARTICLE)
    hidden = run(" INTERNAL NOTE: do not offer better terms.")
    rpr = w("rPr")
    rpr.append(w("vanish"))
    hidden.insert(0, rpr)
    paragraph.append(hidden)


def track_revisions(root):
    root.find(f"{W}zoom").addnext(w("trackRevisions"))


def with_comment(path: Path) -> None:
    comment = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W[1:-1]}">'
               '<w:comment w:id="0" w:author="Legal" w:date="2026-11-02T10:00:00Z" w:initials="L"><w:p><w:r>'
               '<w:t>INTERNAL: our donor will not accept this for private partners</w:t></w:r></w:p></w:comment>'
               '</w:comments>').encode("utf-8")
    changes: dict = {}
    add_part(changes, "word/comments.xml", f"{WORD_TYPE}.comments+xml", "comments", comment, "rIdComments1")

    def anchor(root):
        paragraph = paragraph_with(root, ARTICLE)
        paragraph.insert(1, w("commentRangeStart", id="0"))
        paragraph.append(w("commentRangeEnd", id="0"))
        reference = w("r")
        reference.append(w("commentReference", id="0"))
        paragraph.append(reference)

    changes["word/document.xml"] = anchor
    edit(path, changes)


EDITS = {
    "tracked insertion": (lambda p: edit(p, {"word/document.xml": tracked_insertion}),
                          "has a tracked insertion in word/document.xml, paragraph “"),
    "tracked deletion": (lambda p: edit(p, {"word/document.xml": tracked_deletion}),
                         "has a tracked deletion in word/document.xml, paragraph “"),
    "comment": (with_comment, "has a comment in word/document.xml, paragraph “"),
    "hidden text": (lambda p: edit(p, {"word/document.xml": hidden_text}),
                    "has hidden text (w:vanish) in word/document.xml, paragraph “"),
    "revision tracking": (lambda p: edit(p, {"word/settings.xml": track_revisions}),
                          "has revision tracking switched on (word/settings.xml: w:trackRevisions)"),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_validate_refuses_a_template_with_editing_marks_saying_where(configs, kind):
    change, expected = EDITS[kind]
    path = configs.parent / "contract_templates" / "standard-grant.en.docx"
    change(path)
    result = cli_run("--configs", configs, "validate", path)
    assert result.exit_code == 1, result.output
    (line,) = [l for l in result.output.splitlines() if "the template has" in l]
    assert line.startswith(f"{path}: the template {expected}")
    if "paragraph" in expected:
        assert ARTICLE in line
    assert "accept all changes" in line


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_generate_refuses_a_template_with_editing_marks(configs, tmp_path, kind):
    change, expected = EDITS[kind]
    path = configs.parent / "contract_templates" / "standard-grant.en.docx"
    change(path)
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", configs / "partnerships" / "psh-2026-041.yaml", "--out", out,
                     "--only", "contract")
    assert result.exit_code == 1, result.output
    assert f"{path}: ready-to-sign check failed: the template {expected}" in result.output
    assert not list(out.glob("**/*.docx"))


@pytest.fixture(scope="module")
def bundled_outputs(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("out")
    config = load_config(BUNDLED_CONFIGS)
    for record in BUNDLED_RECORDS:
        generate(record, config, out)
    outputs = sorted(out.glob("**/*.docx"))
    assert {p.parent.name for p in outputs} == {"contract", "comms", "pack"}
    return outputs


def test_outputs_carry_no_editing_marks_and_the_scan_finds_one(bundled_outputs, tmp_path):
    for path in bundled_outputs:
        assert revision_marks(path.read_bytes()) == [], path
    copy = tmp_path / "copy.docx"
    copy.write_bytes(next(p for p in bundled_outputs if p.parent.name == "contract").read_bytes())
    edit(copy, {"word/document.xml": lambda root: root.find(f"{W}body")[3].append(w("ins", id="1", author="x"))})
    assert revision_marks(copy.read_bytes())[0].startswith("has a tracked insertion in word/document.xml")


def check_docx(paths: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECKER), *map(str, paths)], capture_output=True, text=True)


def test_every_template_passes_the_word_checker():
    needs_checker()
    # every source is built and checked: a language added without its .docx fails here
    sources = {p.name.removesuffix(".yaml") for p in (REPO / "contract_templates" / "source").glob("*.*.yaml")}
    sources |= {p.name.removesuffix(".md") for p in (REPO / "comms_templates").glob("press-release.*.md")}
    assert {p.stem for p in TEMPLATES} == sources
    done = check_docx(TEMPLATES)
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith(f"{len(TEMPLATES)} file(s) checked: 0 problem(s)")


def test_every_bundled_output_passes_the_word_checker(bundled_outputs):
    needs_checker()
    done = check_docx(bundled_outputs)
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().endswith(f"{len(bundled_outputs)} file(s) checked: 0 problem(s)")


def test_styles_numbering_and_right_to_left_runs_as_word_reads_them(bundled_outputs):
    """The checker's own package rules at warning level: no style or list
    that names a missing style, no drawing id used twice across parts, and in
    right-to-left text bold and size set on their complex-script twins."""
    needs_checker()
    sys.path.insert(0, str(CHECKER.parent))
    try:
        import validate_ooxml
    finally:
        sys.path.remove(str(CHECKER.parent))
    problems = []
    for path in TEMPLATES + bundled_outputs:
        package = validate_ooxml.Package(path)
        problems += [f"{path.name}: {f['check']}: {f['detail'][:120]}" for f in validate_ooxml.package_checks(package)
                     if f["check"] in ("style-unresolved", "numId-unresolved", "docPr-id-duplicate")]
        problems += [f"{path.name}: {gap['where']}" for gap in validate_ooxml.bidi_report(package)["rtl_cs_gaps"]]
    assert not problems, "\n".join(problems)


def test_the_word_press_release_is_refused_with_a_comment_too(configs, tmp_path):
    path = configs.parent / "comms_templates" / "press-release.en.docx"

    def anchor(root):
        paragraph = paragraph_with(root, "today announced a partnership")
        paragraph.insert(1, w("commentRangeStart", id="0"))
        reference = w("r")
        reference.append(w("commentReference", id="0"))
        paragraph.append(reference)

    edit(path, {"word/document.xml": anchor})
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", configs / "partnerships" / "psh-2026-041.yaml", "--out", out,
                     "--only", "comms")
    assert result.exit_code == 1, result.output
    assert f"{path}: co-branding check failed: the template has a comment in word/document.xml, paragraph" in result.output
    assert not out.exists()
    result = cli_run("--configs", configs, "validate", path)
    assert result.exit_code == 1 and f"{path}: the template has a comment in word/document.xml" in result.output
