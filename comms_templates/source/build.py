"""Build the Word press-release templates from the Markdown ones, so that the
two formats say the same thing:

    python comms_templates/source/build.py        # every press-release.<lang>.md

Each Markdown line becomes a styled Word paragraph: '# ' the headline, '## '
a heading, '### ' a sub-heading, '> ' a quote, '- ' a bullet, a line that is only a Jinja tag a
docxtpl paragraph tag ('{%p ... %}'), '**...**' bold. The '{{ logo_row }}'
line becomes a header with both logos side by side. Once edited in Word, the
.docx is the template.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from generator.rtl import PPR_AFTER_BIDI, complex_script_twins, is_rtl
from generator.word import normalise_zip, prune_styles
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
ALERT = RGBColor(0xA4, 0x00, 0x0F)
BOLD = re.compile(r"(\*\*.+?\*\*)")
JINJA_LINE = re.compile(r"^\{%-?\s*(.*?)\s*-?%\}$")

def build(source: Path) -> Path:
    language = source.name.split(".")[1]
    rtl = is_rtl(language)
    doc = Document()
    for empty in doc.paragraphs:
        empty._element.getparent().remove(empty._element)
    _styles(doc, rtl)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin = Cm(3.2)
    for line in source.read_text(encoding="utf-8").splitlines():
        line = line.rstrip()
        if not line:
            continue
        if line == "{{ logo_row }}":
            _logo_header(section, rtl)
        elif JINJA_LINE.match(line):
            _paragraph(doc, "{%p " + JINJA_LINE.match(line).group(1) + " %}", "Normal", rtl)
        elif line.startswith("# "):
            _paragraph(doc, line[2:], "Title", rtl)
        elif line.startswith("### "):
            _paragraph(doc, line[4:], "Heading 3", rtl)
        elif line.startswith("## "):
            _paragraph(doc, line[3:], "Heading 2", rtl)
        elif line.startswith("> "):
            _paragraph(doc, line[2:], "Quote", rtl)
        elif line.startswith("- "):
            _paragraph(doc, line[2:], "List Bullet", rtl)
        elif line.startswith("**") and line.endswith("**") and line.count("**") == 2:
            paragraph = _paragraph(doc, line, "Normal", rtl)
            for run in paragraph.runs:
                run.font.color.rgb = ALERT
        else:
            _paragraph(doc, line, "Body Text", rtl)
    prune_styles(doc)
    if rtl:
        for root in (doc.styles.element, doc.element, *(h._element for h in (section.header,))):
            complex_script_twins(root)
    target = OUT / source.name.replace(".md", ".docx")
    saved = io.BytesIO()
    doc.save(saved)
    target.write_bytes(normalise_zip(saved.getvalue()))  # an unchanged source rebuilds to the same bytes
    return target


def _styles(doc, rtl: bool) -> None:
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    title = doc.styles["Title"]
    title.font.name, title.font.size, title.font.color.rgb = "Calibri", Pt(20), ACCENT
    heading = doc.styles["Heading 2"]
    heading.font.color.rgb = ACCENT
    quote = doc.styles["Quote"]
    quote.paragraph_format.left_indent = Cm(1)
    if rtl:
        for style in (normal, doc.styles["Body Text"], title, heading, quote, doc.styles["List Bullet"]):
            style.element.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *(f"w:{t}" for t in PPR_AFTER_BIDI))
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).get_or_add_rtl()


def _paragraph(doc, text: str, style: str, rtl: bool):
    paragraph = doc.add_paragraph(style=style)
    for piece in BOLD.split(text):
        if not piece:
            continue
        bold = piece.startswith("**") and piece.endswith("**")
        run = paragraph.add_run(piece[2:-2] if bold else piece)
        run.bold = bold or None
        if rtl:
            run._r.get_or_add_rPr().get_or_add_rtl()
    return paragraph


def _logo_header(section, rtl: bool) -> None:
    """Both logos side by side, the same height (set when rendering)."""
    header = section.header
    table = header.add_table(1, 2, width=Cm(16.4))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    first, second = ("partner", "lead") if rtl else ("lead", "partner")
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("{{ %s_logo }}" % first)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    right.paragraphs[0].add_run("{{ %s_logo }}" % second)


def main(argv: list[str]) -> None:
    sources = [OUT / a for a in argv] or sorted(OUT.glob("press-release.*.md"))
    for source in sources:
        print(build(source).relative_to(OUT.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
