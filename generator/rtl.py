"""Right-to-left Word documents (Arabic), as Word itself builds them: the
section, every paragraph style and every table run right to left (w:bidi,
w:bidiVisual), a run holding Arabic letters is marked w:rtl, bold, italic and
size have their complex-script twins (w:bCs, w:iCs, w:szCs) and the styles name
a complex-script font, declared in the font table. Used by the contract
templates' build, the press release's build and the start-up pack; Word reads
w:jc "left"/"right" and indents relative to the paragraph's direction, so
alignments set before mirror by themselves."""
from __future__ import annotations

import re
from typing import Callable, Optional

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

RTL = {"ar", "fa", "he", "ur"}
CS_FONT, CS_FONT_ALT = "Noto Naskh Arabic", "Arial"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# The schema's child order of the elements a w:bidi (and the twins) go before.
RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
             "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
             "vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()
PPR_AFTER_BIDI = ("adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
                  "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
TBLPR_AFTER_BIDI = ("tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout "
                    "tblCellMar tblLook tblCaption tblDescription tblPrChange").split()
SECTPR_AFTER_BIDI = ("rtlGutter", "docGrid", "printerSettings", "sectPrChange")


def is_rtl(language: str) -> bool:
    return language.replace("_", "-").split("-")[0] in RTL


def right_to_left(doc, lang_tag: str, mark: Optional[Callable[[str], str]] = None) -> None:
    """Turn ``doc`` (python-docx) right to left, its complex-script language
    ``lang_tag`` ('ar-SA'); ``mark`` rewrites each run's text first (the
    contract build marks template values with the ltr filter)."""
    styles = doc.styles.element
    # Paragraph direction: every paragraph style (all are built on Normal; each says it, for editors).
    for style in styles.iterfind(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph":
            _after(style.get_or_add_pPr(), "bidi", PPR_AFTER_BIDI)
    # The complex-script font and language: defaults and every style that names a font.
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr in [defaults] + [s.find(qn("w:rPr")) for s in styles.iterfind(qn("w:style"))]:
        if rpr is None:
            continue
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None and rpr is defaults:
            fonts = OxmlElement("w:rFonts")
            rpr.insert_element_before(fonts, *(f"w:{t}" for t in RPR_ORDER[1:]))
        if fonts is not None:
            fonts.attrib.pop(qn("w:cstheme"), None)
            fonts.set(qn("w:cs"), CS_FONT)
    lang = defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        defaults.append(lang)
    lang.set(qn("w:bidi"), lang_tag)
    font_entry(doc)
    parts = [doc.element, *(p._element for s in doc.sections for p in (s.header, s.footer))]
    for root in parts:
        for table in root.iter(qn("w:tbl")):
            _after(table.find(qn("w:tblPr")), "bidiVisual", TBLPR_AFTER_BIDI)
        for run in root.iter(qn("w:r")):
            texts = run.findall(qn("w:t"))
            if mark is not None:
                for t in texts:
                    t.text = mark(t.text or "")
            if any(ARABIC.search(t.text or "") for t in texts):
                run.get_or_add_rPr().get_or_add_rtl()
        if root is not doc.element:  # LibreOffice lays out a header or footer paragraph left to right without it
            for paragraph in root.iter(qn("w:p")):
                _after(paragraph.get_or_add_pPr(), "bidi", PPR_AFTER_BIDI)
    for root in [styles, *parts]:
        complex_script_twins(root)
    for section in doc.sections:
        _after(section._sectPr, "bidi", SECTPR_AFTER_BIDI)


def complex_script_twins(root) -> None:
    """Word takes bold, italic and size of right-to-left text from their
    complex-script twins (bCs, iCs, szCs): give every b, i, sz its twin."""
    for rpr in root.iter(qn("w:rPr")):
        for name, twin in (("w:b", "w:bCs"), ("w:i", "w:iCs"), ("w:sz", "w:szCs")):
            source = rpr.find(qn(name))
            if source is None:
                continue
            existing = rpr.find(qn(twin))
            if existing is not None:
                rpr.remove(existing)
            element = OxmlElement(twin)
            for key, value in source.attrib.items():
                element.set(key, value)
            rpr.insert_element_before(element, *(f"w:{t}" for t in RPR_ORDER[RPR_ORDER.index(twin[2:]) + 1:]))


def font_entry(doc) -> None:
    """Declare the complex-script font in the font table with Arial as its
    alternate name and the Arabic character set, for a Word without it."""
    from lxml import etree

    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    fonts = parse_xml(part.blob)
    if not any(f.get(qn("w:name")) == CS_FONT for f in fonts.iterfind(qn("w:font"))):
        fonts.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{CS_FONT}"><w:altName w:val="{CS_FONT_ALT}"/>'
            '<w:charset w:val="B2"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'))
        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _after(parent, tag: str, followers) -> None:
    """Add an empty w:<tag> to ``parent`` (if absent) before the first of ``followers``."""
    if parent.find(qn(f"w:{tag}")) is None:
        parent.insert_element_before(OxmlElement(f"w:{tag}"), *(f"w:{t}" for t in followers))
