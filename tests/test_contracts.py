"""Contracts a grants officer can send for signature: read back with
python-docx and checked as a grants officer would."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from generator.config import load_config
from generator.errors import InputError
from generator.generate import generate
from generator.output import partnership_folder
from generator.word import check_package, read_text

from .conftest import BUNDLED_CONFIGS, REPO, RECORD
from .conftest import cli_run as run

BUNDLED = BUNDLED_CONFIGS / "partnerships"


def contract(out: Path, record_id: str, version: str = "") -> Path:
    """The record's agreement; ``version``: its language, for a bilingual one (psh-2026-014)."""
    (found,) = (out / record_id / "contract").glob(f"*{'.' + version if version else ''}.docx")
    return found


def headings(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs if p.style.name in ("Heading 1", "Annex Heading")]


def full_text(path: Path) -> str:
    return "\n".join(read_text(path.read_bytes()).everything())


@pytest.fixture(scope="module")
def bundled_out(tmp_path_factory) -> Path:
    """Every bundled record generated once for the tests that only read."""
    out = tmp_path_factory.mktemp("out")
    config = load_config(BUNDLED_CONFIGS)
    for record in sorted(BUNDLED.glob("*.yaml")):
        generate(record, config, out, only="contract")
    return out


# Headings only one tier has, and the shared ones a tier must also have.
EXCLUSIVE = {
    "collaboration": {"No transfer of funds"},
    "small-grant": {"Grant and budget", "Annex B – Due diligence summary"},
    "standard-grant": {"Advance schedule"},
    "complex-award": {"Audit", "Procurement standards", "Donor rules and flow-down", "Milestones"},
}
SHARED = {
    "collaboration": {"Joint advocacy, communications and use of names and logos", "Termination"},
    "small-grant": {"Safeguarding and protection from sexual exploitation and abuse", "Termination"},
    "standard-grant": {"Anti-fraud and corruption", "Annex A – Joint assessment of both Parties",
                       "Annex B – Start-up action plan"},
    "complex-award": {"Annex A – Joint assessment of both Parties", "Annex B – Start-up action plan"},
}


def assert_tier_clauses(path: Path, tier: str) -> None:
    found = set(headings(path))
    assert EXCLUSIVE[tier] | SHARED[tier] <= found
    for other, markers in EXCLUSIVE.items():
        if other != tier:
            assert not markers & found, f"{other} clauses in a {tier}"


@pytest.mark.parametrize("record_id, tier", [("PSH-2026-030", "collaboration"), ("PSH-2026-041", "standard-grant"),
                                             ("PSH-2026-052", "complex-award")])
def test_right_tier_clauses_present_and_others_absent(bundled_out, record_id, tier):
    path = contract(bundled_out, record_id)
    assert path.name == f"{record_id}_{tier}.docx"
    assert_tier_clauses(path, tier)


def test_small_grant_clauses(write_record, configs, tmp_path):
    outcome = generate(write_record(), load_config(configs), tmp_path / "out")
    assert_tier_clauses(outcome.files[0].path, "small-grant")


def test_collaboration_has_no_money(bundled_out):
    text = full_text(contract(bundled_out, "PSH-2026-030"))
    assert "USD" not in text and "EUR" not in text
    assert "Indirect costs" not in headings(contract(bundled_out, "PSH-2026-030"))


def test_complex_award_in_english_names_amounts_in_figures_and_words(bundled_out):
    path = contract(bundled_out, "PSH-2026-052")
    text = full_text(path)
    assert "USD\u00a01,250,000.00 (one million two hundred fifty thousand US dollars)" in text
    assert "Bangladesh Coastal Women's Network" in text and "Horizons Solidarity International" in text
    assert "NGOAB-2987" in text and "CHE-123.456.789" in text
    # each sub-partner with its country, role and the part of the grant passed on (issue 16)
    assert ("Satkhira Women's Development Society (Bangladesh): cyclone preparedness and early warning in 22 unions "
            "of Satkhira; part of the Grant passed on: USD\u00a0260,000.00;") in text
    assert "Dacope Community Shelter Committee (Bangladesh): management and upkeep" in text
    assert "1 January 2027" in text and "31 December 2029" in text


def test_budget_table_is_looped_with_its_total(bundled_out):
    document = docx.Document(contract(bundled_out, "PSH-2026-052"))
    budget = next(t for t in document.tables if t.rows[0].cells[0].text == "Budget line")
    rows = [[c.text for c in r.cells] for r in budget.rows]
    assert rows[1] == ["Personnel", "USD\u00a0380,000.00"]
    assert rows[-1] == ["Total", "USD\u00a01,250,000.00"]
    assert len(rows) == 1 + 6 + 1  # five direct lines and the indirect-cost line


def test_advance_schedule_states_liquidation_conditions(bundled_out):
    document = docx.Document(contract(bundled_out, "PSH-2026-052"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Tranche")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows[0] == ["1", "USD\u00a0250,000.00", "On signature of this Agreement by both Parties"]
    assert rows[4] == ["5", "USD\u00a0125,000.00", "When at least 100% of tranche 4 has been liquidated"]


def test_french_agreement(bundled_out):
    """psh-2026-014 is in French: amounts, dates and clause language follow."""
    path = contract(bundled_out, "PSH-2026-014")
    text = full_text(path)
    assert "180\u202f000,00\u00a0EUR (cent quatre-vingt mille euros)" in text
    assert "15 janvier 2027" in text and "30 juin 2028" in text
    assert "Audit" in headings(path) and "Partage des risques" in headings(path)
    assert "établie en français, sa seule version faisant foi" in text.replace("\u00a0", " ")


def test_both_versions_of_the_bilingual_agreement(bundled_out):
    """psh-2026-033 is signed in French and English, French prevailing: each version in its own language."""
    english = full_text(contract(bundled_out, "PSH-2026-033", "en")).replace("\u00a0", " ")
    assert "EUR 95,000.00 (ninety-five thousand euros)" in english
    assert "1 April 2027" in english and "30 November 2028" in english
    assert "Processing equipment" in english and "Équipements de transformation" not in english
    assert "this is its English version" in english and "the French version prevails" in english
    assert "Risk sharing" in headings(contract(bundled_out, "PSH-2026-033", "en"))
    french = full_text(contract(bundled_out, "PSH-2026-033", "fr")).replace("\u00a0", " ").replace("\u202f", " ")
    assert "95 000,00 EUR (quatre-vingt-quinze mille euros)" in french and "1er avril 2027" in french
    assert "Équipements de transformation" in french and "Processing equipment" not in french
    assert "la version en français prévaut" in french and "le présent document en est la version en français" in french


def test_signature_block_for_each_party(bundled_out):
    for record_id in ("PSH-2026-030", "PSH-2026-052"):
        tables = read_text(contract(bundled_out, record_id).read_bytes()).tables
        blocks = [t for t in tables if any("Signature: ___" in c for r in t for c in r)]
        assert len(blocks) == 1
        cells = [c for r in blocks[0] for c in r]
        assert "Horizons Solidarity International" in cells
        # The lead signs through the office that manages the partnership (issue 9).
        signatory = {"PSH-2026-030": "Grace Wanjiru", "PSH-2026-052": "Anika Chowdhury"}[record_id]
        assert f"Name: {signatory}" in cells and "Date: ______________________________" in cells
    assert "Name: Farida Rahman" in cells and "Title: Executive Director" in cells


def test_joint_assessment_annex_covers_both_parties(bundled_out):
    text = read_text(contract(bundled_out, "PSH-2026-052").read_bytes())
    findings = next(t for t in text.tables if t[0][:3] == ["Party", "Strengths", "Weaknesses"])
    assert [row[0] for row in findings[1:]] == ["HSI", "BCWN"]
    actions = next(t for t in text.tables if t[0][0] == "No.")
    weaknesses = [row[2] for row in actions[1:]]
    assert weaknesses == ["Overhead policy not shared with partners", "Late feedback on partner reports",
                          "Sub-grant monitoring procedures untested", "Procurement manual outdated"]
    assert [row[1] for row in actions[1:]] == ["HSI", "HSI", "BCWN", "BCWN"]


def test_header_has_reference_and_both_logos_footer_pages(bundled_out):
    path = contract(bundled_out, "PSH-2026-052")
    text = read_text(path.read_bytes())
    assert "HSI/BD/2027/PSH-2026-052" in text.headers and "Version 1" in text.headers
    with zipfile.ZipFile(path) as package:
        header = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/header"))
        footer = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/footer"))
    assert header.count("<pic:pic") == 2
    assert " PAGE " in footer and " NUMPAGES " in footer and "Page" in footer


def test_logos_keep_their_aspect_ratio(bundled_out):
    """coastal-women.png is 1000 x 500, hsi.png 900 x 300: the extents keep 2:1 and 3:1."""
    import re

    with zipfile.ZipFile(contract(bundled_out, "PSH-2026-052")) as package:
        header = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/header"))
    extents = [(int(cx), int(cy)) for cx, cy in re.findall(r'<wp:extent cx="(\d+)" cy="(\d+)"', header)]
    ratios = sorted(round(cx / cy, 2) for cx, cy in extents)
    assert ratios == [2.0, 3.0]


def test_document_properties(bundled_out):
    properties = docx.Document(contract(bundled_out, "PSH-2026-052")).core_properties
    assert properties.title == "Women-led coastal resilience in Khulna and Satkhira"
    assert properties.subject == "Complex multi-year award agreement"
    assert properties.author == "Horizons Solidarity International"
    assert properties.keywords == "complex-award"


def test_arabic_partner_name_intact(bundled_out):
    text = full_text(contract(bundled_out, "PSH-2026-041"))
    assert "مركز الأمل للدراسات والبحوث" in text and "د. ليلى حداد" in text


def test_manifest(bundled_out):
    folder = bundled_out / "PSH-2026-052"
    manifest = json.loads((folder / "manifest.json").read_text())
    output = folder / "contract" / "PSH-2026-052_complex-award.docx"
    assert manifest["outputs"] == [{"path": "contract/PSH-2026-052_complex-award.docx",
                                    "sha256": hashlib.sha256(output.read_bytes()).hexdigest()}]
    template = REPO / "contract_templates" / "complex-award.en.docx"
    assert manifest["templates"] == [{"path": "contract_templates/complex-award.en.docx",
                                      "sha256": hashlib.sha256(template.read_bytes()).hexdigest()}]
    assert manifest["tier"]["name"] == "complex-award" and manifest["tier"]["reason"].startswith("rule:")
    record = BUNDLED / "psh-2026-052.yaml"
    assert manifest["record"]["sha256"] == hashlib.sha256(record.read_bytes()).hexdigest()


# --- data is data -----------------------------------------------------------

TRICKY = 'Smith & Sons <Ltd> "Q" {{ 7*7 }} {%p if x %} 100% {_{'


def tricky_record(write_record) -> Path:
    text = RECORD.replace("legal_name: Test Partner Association", f"legal_name: '{TRICKY}'")
    text = text.replace("title: Test partnership", "title: 'Savings {{ 7*7 }} & <b>groups</b>'")
    text = text.replace("{line: Staff, amount: 12000}", "{line: 'Staff {{ config }} None', amount: 12000}")
    return write_record(text)


def test_user_text_appears_exactly_as_typed(write_record, configs, tmp_path):
    outcome = generate(tricky_record(write_record), load_config(configs), tmp_path / "out")
    path = outcome.files[0].path
    text = read_text(path.read_bytes())
    everything = "\n".join(text.everything())
    assert TRICKY in everything and "49" not in everything.replace("2049", "")
    assert "Savings {{ 7*7 }} & <b>groups</b>" in text.body
    assert text.properties["title"] == "Savings {{ 7*7 }} & <b>groups</b>"
    assert any("Staff {{ config }} None" in c for t in text.tables for r in t for c in r)


def test_unsafe_template_zip_is_refused(tmp_path):
    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(evil, "w") as package:
        package.writestr("word/document.xml", "<x/>")
        package.writestr("../../etc/passwd", "x")
    with pytest.raises(InputError, match=r"unsafe path in zip: '../../etc/passwd'"):
        check_package(evil)
    many = tmp_path / "many.docx"
    with zipfile.ZipFile(many, "w") as package:
        package.writestr("word/document.xml", "<x/>")
        for i in range(2001):
            package.writestr(f"word/media/{i}.bin", "")
    with pytest.raises(InputError, match="2002 zip members"):
        check_package(many)
    big = tmp_path / "big.docx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", "<x/>" + " " * (51 * 1024 * 1024))
    with pytest.raises(InputError, match="bytes uncompressed"):
        check_package(big)
    text = tmp_path / "text.docx"
    text.write_text("hello")
    with pytest.raises(InputError, match="not a Word document"):
        check_package(text)


# --- writing ------------------------------------------------------------------

def test_deterministic_output(write_record, configs, tmp_path):
    config = load_config(configs)
    record = write_record()
    first = generate(record, config, tmp_path / "a").files[0].path.read_bytes()
    second = generate(record, config, tmp_path / "b").files[0].path.read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_rerun_changes_nothing_and_changed_record_needs_force(write_record, configs, tmp_path):
    record = write_record()
    out = tmp_path / "out"
    args = ["--configs", configs, "generate", record, "--out", out]
    assert run(*args).exit_code == 0
    path = contract(out, "T-001")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    again = run(*args)
    assert again.exit_code == 0 and f"unchanged {path}" in again.output
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before

    record.write_text(RECORD.replace("Awa Diallo", "Awa Diallo Sow"))
    refused = run(*args)
    assert refused.exit_code == 2
    # The contract is among the files refused (the start-up pack names the signatory too).
    assert str(path) in refused.output and "exists with different content; rerun with --force" in refused.output
    assert path.read_bytes() == before[0]
    forced = run(*args, "--force")
    assert forced.exit_code == 0 and f"replaced {path}" in forced.output
    assert "Awa Diallo Sow" in full_text(path)


def test_dry_run_writes_nothing(write_record, configs, tmp_path):
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", write_record(), "--out", out, "--dry-run")
    assert result.exit_code == 0
    assert f"would write {out / 'T-001' / 'contract' / 'T-001_small-grant.docx'}" in result.output
    assert not out.exists()


def test_path_traversal_id_is_refused(write_record, configs, tmp_path):
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", write_record(RECORD.replace("id: T-001", "id: ../escape")),
                 "--out", out)
    assert result.exit_code == 2 and "id: use letters, digits" in result.output
    assert not out.exists() and not (tmp_path / "escape").exists()
    with pytest.raises(InputError, match="would write outside"):
        partnership_folder(out, "..")


def test_language_without_template(write_record, configs, tmp_path):
    result = run("--configs", configs, "generate", write_record(RECORD.replace("language: en", "language: de")),
                 "--out", tmp_path / "out")
    assert result.exit_code == 2
    available = ", ".join(sorted(p.name.split(".")[1] for p in (REPO / "contract_templates").glob("small-grant.*.docx")))
    assert f"small-grant.de.docx: no small-grant template in language 'de' (available: {available})" in result.output
    assert not (tmp_path / "out").exists()


def make_template(path: Path, paragraphs: list[str], signatures: bool = True) -> None:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if signatures:
        table = document.add_table(rows=2, cols=2)
        table.rows[1].cells[0].text = "Signature: ________"
        table.rows[0].cells[0].text = "{{ lead.signatory.name }}"
        table.rows[0].cells[1].text = "{{ partner.signatory.name }}"
        table.rows[1].cells[1].text = "{{ partner.legal_name }}"
    document.add_paragraph("{{ funding.amount }}")
    document.save(path)


@pytest.mark.parametrize(
    "paragraphs, signatures, code, message",
    [
        (["{{ partner.legal_name }"], True, 2, "small-grant.en.docx: word/document.xml: line"),
        (["{{ partner.legal_nam }}"], True, 2, "has no attribute 'legal_nam'"),
        (["{{ '{{' }} left over"], True, 1, "ready-to-sign check failed: template tag left in the document"),
        (["Fine text"], False, 1, "ready-to-sign check failed: no signature block"),
    ],
)
def test_broken_template_is_reported_and_nothing_written(write_record, configs, tmp_path, paragraphs, signatures,
                                                         code, message):
    make_template(configs.parent / "contract_templates" / "small-grant.en.docx", paragraphs, signatures)
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", write_record(), "--out", out)
    assert result.exit_code == code, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


# --- PDF ------------------------------------------------------------------------

def needs_soffice():
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) is required under CI=true; .ci/run installs it")
    pytest.skip("LibreOffice (soffice) is not installed; install libreoffice-writer-nogui to run PDF tests")


def test_pdf_contains_partner_and_amount(configs, tmp_path):
    needs_soffice()
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = run("--configs", configs, "generate", BUNDLED / "psh-2026-052.yaml", "--out", out, "--pdf",
                 "--only", "contract")
    assert result.exit_code == 0, result.output
    pdf = out / "PSH-2026-052" / "contract" / "PSH-2026-052_complex-award.pdf"
    reader = PdfReader(pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bangladesh Coastal Women" in text and "1,250,000.00" in text
    assert len(reader.pages) >= 6
    again = run("--configs", configs, "generate", BUNDLED / "psh-2026-052.yaml", "--out", out, "--pdf",
                "--only", "contract")
    assert f"unchanged {pdf}" in again.output


def test_pdf_without_libreoffice_says_how_to_install(configs, tmp_path, monkeypatch):
    """With no soffice on PATH, one clear error (the real lookup, nothing mocked but PATH)."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("PARTNERDOCS_SOFFICE", raising=False)
    result = run("--configs", configs, "generate", BUNDLED / "psh-2026-030.yaml", "--out", tmp_path / "out", "--pdf")
    assert result.exit_code == 2
    assert "LibreOffice is needed for --pdf" in result.output and "apt-get install libreoffice-writer-nogui" in result.output
    assert not (tmp_path / "out").exists()


def add_footnote_and_second_section(template: Path) -> None:
    """A footnote naming the partner, and a second section: docxtpl renders
    the footnotes once per section, so data goes through Jinja twice."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    footnotes = (
        f'<w:footnotes {w}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">Partner: {{ partner.legal_name }}</w:t></w:r></w:p>'
        '</w:footnote></w:footnotes>'
    )
    document = docx.Document(template)
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                footnotes.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph = document.add_paragraph("See the note.")
    paragraph._p.append(parse_xml(f'<w:r {w}><w:footnoteReference w:id="1"/></w:r>'))
    document.add_section()
    document.add_paragraph("Second section.")
    document.save(template)


def test_data_in_footnotes_is_rendered_once_and_as_typed(write_record, configs, tmp_path):
    add_footnote_and_second_section(configs.parent / "contract_templates" / "small-grant.en.docx")
    outcome = generate(tricky_record(write_record), load_config(configs), tmp_path / "out", only="contract")
    text = read_text(outcome.files[0].path.read_bytes())
    assert f"Partner: {TRICKY}" in text.footnotes
    assert len(docx.Document(outcome.files[0].path).sections) == 2
