"""Arabic agreements, right to left (issue #13 item 4): each tier's bundled
example rendered with `language: ar` (its free text falling back to the
record's language) from contract_templates/<tier>.ar.docx, then read back as
Word XML and, through LibreOffice, as PDF text.

What is checked: the section, the paragraph styles and every table run right
to left; bold and size have their complex-script twins and the styles name the
complex-script font; every run holding Arabic letters is marked w:rtl; a
printed value without Arabic letters (a Latin name, the reference, an amount)
stands between LEFT-TO-RIGHT MARKs and an Arabic value does not; the amount is
in figures with no amount in words; the PDF holds the partner's name intact."""
from __future__ import annotations

import io
import math
import re
import subprocess
from decimal import Decimal

import docx
import pytest
import yaml

from generator.config import load_config
from generator.contracts import render_contract
from generator.environment import ltr_filter
from generator.money import amount_in_words
from generator.records import load_record
from generator.tiers import select_tier

from .conftest import BUNDLED_CONFIGS, REPO
from .test_layout import needs_tools

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TIER_EXAMPLES = {"collaboration": "psh-2026-030.yaml", "small-grant": "psh-2026-021.yaml",
                 "standard-grant": "psh-2026-041.yaml", "complex-award": "psh-2026-052.yaml"}
ARABIC = re.compile("[\u0600-\u06ff]")
LRM = "\u200e"
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
CS_FONT = "Noto Naskh Arabic"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    """tier -> (loaded record, tier choice, rendered .docx bytes)."""
    tmp = tmp_path_factory.mktemp("arabic")
    (tmp / "logos").symlink_to(BUNDLED_CONFIGS / "partnerships" / "logos")
    config = load_config(BUNDLED_CONFIGS)
    found = {}
    for tier, example in TIER_EXAMPLES.items():
        data = yaml.safe_load((BUNDLED_CONFIGS / "partnerships" / example).read_text(encoding="utf-8"))
        data.update(language="ar", translations="fallback")
        path = tmp / f"{tier}.ar.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        loaded = load_record(path)
        choice = select_tier(loaded.record, config)
        found[tier] = (loaded, choice, render_contract(loaded, config, choice).data)
    return found


def _document(data: bytes):
    return docx.Document(io.BytesIO(data))


def _parts(document):
    return [document.element, *(part._element for s in document.sections for part in (s.header, s.footer))]


def _text(document) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for root in _parts(document)
                     for p in root.iter(f"{W}p"))


def test_each_tier_has_an_arabic_agreement(arabic):
    for tier, (loaded, choice, data) in arabic.items():
        assert choice.name == tier
        document = _document(data)
        assert ARABIC.search(document.paragraphs[0].text), f"{tier}: the title is not in Arabic"
        assert document.core_properties.language == "ar"


def test_section_paragraph_styles_and_tables_run_right_to_left(arabic):
    for tier, (_, _, data) in arabic.items():
        document = _document(data)
        for section in document.sections:
            assert section._sectPr.find(f"{W}bidi") is not None, f"{tier}: section not right to left"
        paragraph_styles = [s for s in document.styles.element.iterfind(f"{W}style")
                            if s.get(f"{W}type") == "paragraph"]
        assert paragraph_styles
        for style in paragraph_styles:
            assert style.find(f"{W}pPr/{W}bidi") is not None, f"{tier}: style {style.get(f'{W}styleId')} not RTL"
        tables = [t for root in _parts(document) for t in root.iter(f"{W}tbl")]
        assert len(tables) >= 4  # header, parties, at least one table of the body, signatures
        for table in tables:
            assert table.find(f"{W}tblPr/{W}bidiVisual") is not None, f"{tier}: a table is not mirrored"
        for root in _parts(document)[1:]:  # header and footer paragraphs say it themselves
            for paragraph in root.iter(f"{W}p"):
                assert paragraph.find(f"{W}pPr/{W}bidi") is not None


def test_styles_carry_complex_script_twins_and_font(arabic):
    for tier, (_, _, data) in arabic.items():
        document = _document(data)
        styles = document.styles.element
        for rpr in styles.iter(f"{W}rPr"):
            for name, twin in (("b", "bCs"), ("i", "iCs"), ("sz", "szCs")):
                source = rpr.find(f"{W}{name}")
                if source is not None:
                    pair = rpr.find(f"{W}{twin}")
                    assert pair is not None and pair.attrib == source.attrib, f"{tier}: {name} without {twin}"
        defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        assert defaults.find(f"{W}rFonts").get(f"{W}cs") == CS_FONT
        assert defaults.find(f"{W}lang").get(f"{W}bidi") == "ar-SA"
        named = [f for f in styles.iter(f"{W}rFonts") if f.get(f"{W}ascii")]
        assert named and all(f.get(f"{W}cs") == CS_FONT for f in named)
        # bold runs of the tables (headers, signature block) have their twin too
        for run in document.element.body.iter(f"{W}r"):
            rpr = run.find(f"{W}rPr")
            if rpr is not None and rpr.find(f"{W}b") is not None:
                assert rpr.find(f"{W}bCs") is not None
        fonts = next(rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable"))
        assert f'w:name="{CS_FONT}"'.encode() in fonts.blob and b'w:altName w:val="Arial"' in fonts.blob


def test_arabic_runs_of_the_templates_are_marked_right_to_left():
    """Every run of an Arabic template that holds Arabic text is w:rtl (a run
    holding only a value is not: its value may be a Latin name)."""
    for tier in TIER_EXAMPLES:
        document = docx.Document(REPO / "contract_templates" / f"{tier}.ar.docx")
        arabic_runs = 0
        for root in _parts(document):
            for run in root.iter(f"{W}r"):
                text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                if ARABIC.search(text):
                    arabic_runs += 1
                    assert run.find(f"{W}rPr/{W}rtl") is not None, f"{tier}: Arabic run without w:rtl: {text[:40]}"
                elif text.strip() and "{" not in text:
                    assert run.find(f"{W}rPr/{W}rtl") is None, f"{tier}: a run without Arabic is w:rtl: {text[:40]}"
        assert arabic_runs > 50


def test_latin_values_are_held_left_to_right_and_arabic_ones_are_not(arabic):
    for tier, (loaded, _, data) in arabic.items():
        record = loaded.record
        text = _text(_document(data))
        reference = _document(data).sections[0].header.tables[0].rows[0].cells[1].paragraphs[0].text
        assert reference.startswith(LRM) and reference.endswith(LRM) and reference.strip(LRM)
        assert f"{LRM}Horizons Solidarity International{LRM}" in text  # the lead's name, from the configuration
        name = record.partner.legal_name
        name = name if isinstance(name, str) else str(name)
        if not ARABIC.search(name):
            assert f"{LRM}{name}{LRM}" in text, f"{tier}: the partner's Latin name is not marked"
        # An Arabic value (a date) is printed as it is, with no mark inside the sentence.
        start = re.search(r"\d+ [\u0600-\u06ff]+ \d{4}", text)
        assert start and LRM not in start.group(0)
    # the Arabic name of 041's partner, where the record gives one, stands unmarked
    text = _text(_document(arabic["standard-grant"][2]))
    arabic_names = re.findall(r"مركز[\u0600-\u06ff ]+", text)
    assert arabic_names and all(LRM not in n for n in arabic_names)


def test_amounts_are_in_figures_with_the_currency_and_never_in_words(arabic):
    assert amount_in_words(Decimal("180000"), "EUR", "ar") == "180,000.00\u00a0يورو"
    assert amount_in_words(Decimal("1250.5"), "JOD", "ar") == "1,250.500\u00a0دينار أردني"
    assert amount_in_words(Decimal("118065000"), "XOF", "ar") == "118,065,000\u00a0فرنك غرب أفريقي"
    for tier, (loaded, _, data) in arabic.items():
        funding = loaded.record.funding
        text = _text(_document(data))
        if funding is None:
            assert tier == "collaboration"
            continue
        from generator.money import format_money
        assert f"{LRM}{format_money(funding.amount, funding.currency, 'ar')}{LRM}" in text
        for spelled in spellings(int(funding.amount)):  # what num2words or ICU would write
            assert spelled not in text, f"{tier}: the amount in words ({spelled})"


def spellings(number: int) -> list[str]:
    from num2words import num2words
    found = [num2words(number, lang="ar")]
    try:
        import icu
        found.append(icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale("ar")).format(number))
    except ImportError:
        pass
    return found


def test_ltr_filter_marks_only_values_without_arabic_letters():
    assert ltr_filter("ESSA") == f"{LRM}ESSA{LRM}"
    assert ltr_filter("+254 20 000 0000") == f"{LRM}+254 20 000 0000{LRM}"
    assert ltr_filter(30) == f"{LRM}30{LRM}"
    assert ltr_filter("مركز الأمل") == "مركز الأمل"
    assert ltr_filter("Association A وAssociation B") == "Association A وAssociation B"
    assert ltr_filter(None) is None and ltr_filter("  ") == "  "  # left for the empty-value check
    assert math.isnan(ltr_filter(float("nan")))


def test_pdf_holds_the_partners_name_and_signatories_intact(arabic, tmp_path):
    needs_tools()
    from generator.pdf import to_pdf
    pdfs = to_pdf({f"{tier}.docx": data for tier, (_, _, data) in arabic.items()})
    for tier, (loaded, _, _) in arabic.items():
        path = tmp_path / f"{tier}.pdf"
        path.write_bytes(pdfs[f"{tier}.docx"])
        raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(raw.translate(BIDI_CONTROLS).split())
        partner = loaded.record.partner
        for name in (str(partner.legal_name), partner.signatory.name, partner.short_name):
            if ARABIC.search(name):
                continue  # an Arabic name is checked in the XML; PDF text extraction may split its ligatures
            assert name in text, f"{tier}: {name!r} not intact in the PDF text"
        assert "Horizons Solidarity International" in text


def test_an_arabic_record_generates_every_part(tmp_path):
    """The agreement, the communications and the start-up pack, whose words and checklist are in Arabic."""
    from .conftest import cli_run

    (tmp_path / "logos").symlink_to(BUNDLED_CONFIGS / "partnerships" / "logos")
    data = yaml.safe_load((BUNDLED_CONFIGS / "partnerships" / "psh-2026-041.yaml").read_text(encoding="utf-8"))
    data.update(language="ar", translations="fallback")
    path = tmp_path / "ar.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli_run("--configs", BUNDLED_CONFIGS, "generate", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    pack = tmp_path / "out" / data["id"] / "pack"
    facts = "\n".join(p.text for p in docx.Document(pack / "key-facts.docx").paragraphs)
    checklist = docx.Document(pack / "due-diligence.docx")
    cells = [c.text for t in checklist.tables for r in t.rows for c in r.cells]
    assert "المعلومات الأساسية" in facts  # "Key facts"
    assert "شهادة التسجيل" in cells  # "Registration certificate", from configs/due-diligence.yaml
