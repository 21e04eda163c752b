"""Build the Word contract templates from the YAML sources beside this file.

    python contract_templates/source/build.py            # every <tier>.<lang>.yaml
    python contract_templates/source/build.py complex-award.fr.yaml

The .docx files in contract_templates/ are what partnerdocs uses; a grants
officer may edit them in Word afterwards. This script writes the first version
of each with proper Word styles: numbered articles and clauses (Word
numbering, so inserting a clause renumbers the rest), tables whose rows are
looped by docxtpl, a header with both logos and the reference, and a footer
with "Page X of Y". See FORMAT.md for the source format.
"""
from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import yaml
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from generator.rtl import is_rtl, right_to_left
from generator.word import normalise_zip, prune_styles
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
NUM_ID = 90
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)

LABELS = {
    "en": {
        "lang": "en-GB", "page": "Page", "of": "of", "version": "Version", "colon": ":",
        "party": "Party", "legal_name": "Legal name", "status": "Legal status / category", "address": "Address",
        "registration": "Registration number", "signatory": "Authorised signatory", "contact": "Contact person",
        "lead": "Lead Organisation", "partner": "Partner",
        "budget_line": "Budget line", "amount": "Amount", "total": "Total",
        "tranche": "Tranche", "release": "Release condition",
        "risk": "Risk", "rating": "Rating", "mitigation": "Mitigation",
        "strengths": "Strengths", "weaknesses": "Weaknesses",
        "number": "No.", "owner": "Responsible", "weakness": "Weakness addressed", "action": "Action",
        "support": "Supported by", "due": "Due by",
        "date": "Date", "milestone": "Milestone",
        "name": "Name", "title": "Title", "role": "Authority",
        "result": "Expected result", "indicator": "Indicator", "baseline": "Baseline", "target": "Target",
        "activity": "Activity", "serves": "Result", "period": "Period",
        "type": "Type", "contribution": "Contribution", "value": "Value", "cash": "Cash", "in_kind": "In kind",
        "not_valued": "Not valued", "source": "Source", "share": "Share", "grant": "Grant",
        "cash_contribution": "Cash contribution", "in_kind_contribution": "In-kind contribution",
        "total_cost": "Total cost of the action",
        "for_lead": "For the Lead Organisation", "for_partner": "For the Partner", "signature": "Signature", "sign_date": "Date",
    },
    "fr": {
        "lang": "fr-FR", "page": "Page", "of": "sur", "version": "Version", "colon": "\u00a0:",
        "party": "Partie", "legal_name": "Dénomination légale", "status": "Statut / catégorie", "address": "Adresse",
        "registration": "Numéro d'enregistrement", "signatory": "Signataire autorisé(e)", "contact": "Personne de contact",
        "lead": "Organisation chef de file", "partner": "Partenaire",
        "budget_line": "Ligne budgétaire", "amount": "Montant", "total": "Total",
        "tranche": "Tranche", "release": "Condition de versement",
        "risk": "Risque", "rating": "Niveau", "mitigation": "Mesure d'atténuation",
        "strengths": "Points forts", "weaknesses": "Points à renforcer",
        "number": "N°", "owner": "Responsable", "weakness": "Faiblesse traitée", "action": "Action",
        "support": "Avec l'appui de", "due": "Échéance",
        "date": "Date", "milestone": "Jalon",
        "name": "Nom", "title": "Fonction", "role": "Pouvoirs",
        "result": "Résultat attendu", "indicator": "Indicateur", "baseline": "Situation de départ", "target": "Cible",
        "activity": "Activité", "serves": "Résultat", "period": "Période",
        "type": "Nature", "contribution": "Contribution", "value": "Valeur", "cash": "En numéraire", "in_kind": "En nature",
        "not_valued": "Non valorisée", "source": "Source", "share": "Part", "grant": "Subvention",
        "cash_contribution": "Contribution en numéraire", "in_kind_contribution": "Contribution en nature",
        "total_cost": "Coût total de l'action",
        "for_lead": "Pour l'Organisation chef de file", "for_partner": "Pour le Partenaire", "signature": "Signature", "sign_date": "Date",
    },
    "es": {
        "lang": "es-ES", "page": "Página", "of": "de", "version": "Versión", "colon": ":",
        "party": "Parte", "legal_name": "Razón social", "status": "Naturaleza jurídica / categoría", "address": "Dirección",
        "registration": "Número de registro", "signatory": "Firmante autorizado/a", "contact": "Persona de contacto",
        "lead": "Organización líder", "partner": "Socio",
        "budget_line": "Línea presupuestaria", "amount": "Importe", "total": "Total",
        "tranche": "Tramo", "release": "Condición de desembolso",
        "risk": "Riesgo", "rating": "Nivel", "mitigation": "Mitigación",
        "strengths": "Fortalezas", "weaknesses": "Debilidades",
        "number": "N.º", "owner": "Responsable", "weakness": "Debilidad abordada", "action": "Acción",
        "support": "Con el apoyo de", "due": "Plazo",
        "date": "Fecha", "milestone": "Hito",
        "name": "Nombre", "title": "Cargo", "role": "Facultades",
        "result": "Resultado esperado", "indicator": "Indicador", "baseline": "Línea de base", "target": "Meta",
        "activity": "Actividad", "serves": "Resultado", "period": "Período",
        "type": "Tipo", "contribution": "Aportación", "value": "Valor", "cash": "En efectivo", "in_kind": "En especie",
        "not_valued": "Sin valorar", "source": "Fuente", "share": "Proporción", "grant": "Subvención",
        "cash_contribution": "Aportación en efectivo", "in_kind_contribution": "Aportación en especie",
        "total_cost": "Coste total de la acción",
        "for_lead": "Por la Organización líder", "for_partner": "Por el Socio", "signature": "Firma", "sign_date": "Fecha",
    },
    "pt": {
        "lang": "pt-PT", "page": "Página", "of": "de", "version": "Versão", "colon": ":",
        "party": "Parte", "legal_name": "Denominação legal", "status": "Natureza jurídica / categoria", "address": "Endereço",
        "registration": "Número de registo", "signatory": "Signatário autorizado", "contact": "Pessoa de contacto",
        "lead": "Organização Líder", "partner": "Parceiro",
        "budget_line": "Rubrica orçamental", "amount": "Montante", "total": "Total",
        "tranche": "Tranche", "release": "Condição de desembolso",
        "risk": "Risco", "rating": "Nível", "mitigation": "Mitigação",
        "strengths": "Pontos fortes", "weaknesses": "Pontos a reforçar",
        "number": "N.º", "owner": "Responsável", "weakness": "Fragilidade tratada", "action": "Ação",
        "support": "Com o apoio de", "due": "Prazo",
        "date": "Data", "milestone": "Marco",
        "name": "Nome", "title": "Cargo", "role": "Poderes",
        "result": "Resultado esperado", "indicator": "Indicador", "baseline": "Situação de referência", "target": "Meta",
        "activity": "Atividade", "serves": "Resultado", "period": "Período",
        "type": "Natureza", "contribution": "Contribuição", "value": "Valor", "cash": "Em numerário", "in_kind": "Em espécie",
        "not_valued": "Não valorizada", "source": "Fonte", "share": "Proporção", "grant": "Subvenção",
        "cash_contribution": "Contribuição em numerário", "in_kind_contribution": "Contribuição em espécie",
        "total_cost": "Custo total da ação",
        "for_lead": "Pela Organização Líder", "for_partner": "Pelo Parceiro", "signature": "Assinatura", "sign_date": "Data",
    },
}


def build(source: Path) -> Path:
    tier, lang = source.name.split(".")[:2]
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    labels = LABELS[lang]
    doc = Document()
    _styles(doc, labels["lang"])
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)
    _header(section, labels)
    _footer(section, labels)

    for empty in doc.paragraphs:  # python-docx's default document starts with an empty paragraph
        empty._element.getparent().remove(empty._element)
    spaced = _french_spacing if lang == "fr" else (lambda value: value)
    doc.add_paragraph(spaced(spec["title"]), style="Title")
    if spec.get("subtitle"):
        doc.add_paragraph(spaced(spec["subtitle"]), style="Subtitle")
    for block in spec["blocks"]:
        (kind, value), = block.items()
        _BLOCKS[kind](doc, spaced(value), labels)
    doc.core_properties.title = ""
    doc.core_properties.author = ""
    doc.core_properties.comments = ""
    prune_styles(doc)
    if is_rtl(lang):
        right_to_left(doc, labels["lang"], mark=_mark_values)
    target = OUT / f"{tier}.{lang}.docx"
    saved = io.BytesIO()
    doc.save(saved)
    target.write_bytes(normalise_zip(saved.getvalue()))  # an unchanged source rebuilds to the same bytes
    return target


def _french_spacing(value):
    """French typography: a no-break space (U+00A0) before : ; ! ? » and after «,
    so a line never starts with the punctuation, whatever space the source typed."""
    if not isinstance(value, str):
        return value
    return re.sub(r"«[ \u202f]", "«\u00a0", re.sub(r"[ \u202f](?=[:;!?»])", "\u00a0", value))


# -- right to left (Arabic) ---------------------------------------------------
# A source in a right-to-left language is built as Word builds such a document
# (generator/rtl.py). Every printed value goes through the ltr filter
# (generator/environment.py): a value without Arabic letters (a Latin name, a
# reference, a figure) is held between LEFT-TO-RIGHT MARKs so that it keeps its
# order inside an Arabic sentence. Not the isolates FSI/LRI ... PDI: LibreOffice
# (7.4, which makes the PDFs) lays them out wrongly ("254 20 000 0000+") and
# drops the space after one. See FORMAT.md, "Right-to-left sources".

NOT_MARKED = {"lead_logo", "partner_logo"}  # pictures
VALUE = re.compile(r"\{\{\s*(.*?)\s*\}\}")

LABELS["ar"] = {  # kept here, with the right-to-left code, rather than in the table above
    "lang": "ar-SA", "page": "الصفحة", "of": "من", "version": "النسخة", "colon": ":", "comma": "، ",
    "party": "الطرف", "legal_name": "الاسم القانوني", "status": "الصفة القانونية / الفئة", "address": "العنوان",
    "registration": "رقم التسجيل", "signatory": "المفوَّض بالتوقيع", "contact": "مسؤول الاتصال",
    "lead": "المنظمة الرئيسية", "partner": "الشريك",
    "budget_line": "بند الميزانية", "amount": "المبلغ", "total": "المجموع",
    "tranche": "الدفعة", "release": "شرط الصرف",
    "risk": "الخطر", "rating": "الدرجة", "mitigation": "تدابير التخفيف",
    "strengths": "نقاط القوة", "weaknesses": "جوانب تحتاج إلى تعزيز",
    "number": "م", "owner": "المسؤول", "weakness": "نقطة الضعف المعنية", "action": "الإجراء",
    "support": "بدعم من", "due": "الموعد النهائي",
    "date": "التاريخ", "milestone": "المرحلة",
    "name": "الاسم", "title": "الصفة", "role": "الصلاحيات",
    "result": "النتيجة المتوقعة", "indicator": "المؤشر", "baseline": "خط الأساس", "target": "القيمة المستهدفة",
    "activity": "النشاط", "serves": "النتيجة", "period": "الفترة",
    "type": "النوع", "contribution": "المساهمة", "value": "القيمة", "cash": "نقدية", "in_kind": "عينية",
    "not_valued": "غير مقوَّمة", "source": "المصدر", "share": "النسبة", "grant": "المنحة",
    "cash_contribution": "مساهمة نقدية", "in_kind_contribution": "مساهمة عينية",
    "total_cost": "التكلفة الإجمالية للإجراء",
    "for_lead": "عن المنظمة الرئيسية", "for_partner": "عن الشريك", "signature": "التوقيع", "sign_date": "التاريخ",
}


def _mark_values(text: str) -> str:
    """Each {{ value }} as {{ value | ltr }} (pictures excepted)."""
    def mark(match):
        name = match.group(1)
        return match.group(0) if name in NOT_MARKED else f"{{{{ {name} | ltr }}}}"
    return VALUE.sub(mark, text)


# -- styles and numbering ---------------------------------------------------

def _styles(doc, lang_tag: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), lang_tag)
    rpr.append(lang)

    for name, size in (("Title", 20), ("Subtitle", 13)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = "Calibri", Pt(size), ACCENT
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h1 = styles["Heading 1"]
    h1.font.name, h1.font.size, h1.font.color.rgb = "Calibri", Pt(12.5), ACCENT
    h1.paragraph_format.space_before, h1.paragraph_format.space_after = Pt(14), Pt(6)
    h1.paragraph_format.keep_with_next = True
    h2 = styles["Heading 2"]
    h2.font.name, h2.font.size, h2.font.color.rgb = "Calibri", Pt(11), ACCENT
    h2.paragraph_format.keep_with_next = True

    clause = styles.add_style("Clause", WD_STYLE_TYPE.PARAGRAPH)
    clause.base_style = normal
    clause.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    annex = styles.add_style("Annex Heading", WD_STYLE_TYPE.PARAGRAPH)
    annex.base_style = normal
    annex.font.size, annex.font.bold, annex.font.color.rgb = Pt(14), True, ACCENT
    annex.paragraph_format.space_after = Pt(10)
    annex.paragraph_format.keep_with_next = True
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")
    annex.element.get_or_add_pPr().append(outline)
    small = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    small.font.size = Pt(9.5)
    small.paragraph_format.space_after = Pt(2)
    styles["Body Text"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{NUM_ID}"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/>'
        '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Clause"/>'
        '<w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{NUM_ID}"><w:abstractNumId w:val="{NUM_ID}"/></w:num>'))
    for style, level in ((h1, 0), (clause, 1)):
        num_pr = style.element.get_or_add_pPr().get_or_add_numPr()  # in schema order: after keepNext
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = NUM_ID


# -- header and footer ------------------------------------------------------

def _header(section, labels) -> None:
    header = section.header
    table = header.add_table(1, 3, width=Cm(16.4))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [5.5, 5.4, 5.5])
    left, middle, right = table.rows[0].cells
    left.paragraphs[0].add_run("{{ lead_logo }}")
    middle.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = middle.paragraphs[0].add_run("{{ agreement.reference }}")
    run.bold, run.font.size = True, Pt(9)
    second = middle.add_paragraph()
    second.alignment = WD_ALIGN_PARAGRAPH.CENTER
    second.add_run(f"{labels['version']} {{{{ agreement.version }}}}").font.size = Pt(8.5)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    right.paragraphs[0].add_run("{{ partner_logo }}")
    header.paragraphs[0].text = ""


def _field(paragraph, instruction: str) -> None:
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(8.5)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _footer(section, labels) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("{{ agreement.reference }} – ").font.size = Pt(8.5)
    paragraph.add_run(f"{labels['page']} ").font.size = Pt(8.5)
    _field(paragraph, "PAGE")
    paragraph.add_run(f" {labels['of']} ").font.size = Pt(8.5)
    _field(paragraph, "NUMPAGES")


# -- blocks -----------------------------------------------------------------

def _p(doc, text, labels):
    doc.add_paragraph(text, style="Body Text")


def _h1(doc, text, labels):
    doc.add_paragraph(text, style="Heading 1")


def _h2(doc, text, labels):
    doc.add_paragraph(text, style="Heading 2")


def _clause(doc, text, labels):
    doc.add_paragraph(text, style="Clause")


def _bullet(doc, text, labels):
    doc.add_paragraph(text, style="List Bullet")


def _annex(doc, text, labels):
    # A new page from the heading itself: a paragraph holding a page break
    # after a table that ends a page would leave a page with nothing on it.
    _drop_spacer(doc)
    doc.add_paragraph(text, style="Annex Heading").paragraph_format.page_break_before = True


def _drop_spacer(doc) -> None:
    """Remove the empty paragraph a table leaves after it (see _grid) when a
    page break follows: pushed onto a page of its own it would be blank."""
    last = doc.element.body[-2] if len(doc.element.body) > 1 else None  # [-1] is the sectPr
    if last is not None and last.tag == qn("w:p") and not "".join(last.itertext()).strip() \
            and last.getprevious() is not None and last.getprevious().tag == qn("w:tbl"):
        last.getparent().remove(last)


def _pagebreak(doc, value, labels):
    _drop_spacer(doc)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _grid(doc, headers, loop, cells, total=None, widths=None):
    """A table: a header row, one looped row (docxtpl {%tr %}), an optional total row."""
    rows = 1 + (3 if loop else 1) + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def fill(row, texts, bold=False, shade=False):
        for cell, text in zip(table.rows[row].cells, texts):
            paragraph = cell.paragraphs[0]
            paragraph.style = "Table Text"
            paragraph.add_run(text).bold = bold
            if shade:
                cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="DCE6F0"/>'))

    fill(0, headers, bold=True, shade=True)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    header_row.append(OxmlElement("w:tblHeader"))
    if loop:
        table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for row in {loop} %}}")
        fill(2, cells)
        table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    else:
        fill(1, cells)
    if total:
        fill(rows - 1, total, bold=True)
    if widths:
        _widths(table, widths)
    doc.add_paragraph()


def _widths(table, widths) -> None:
    """Column widths both in the grid (LibreOffice reads it) and in each cell (Word does)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)


def _table(doc, name, L):
    if name == "parties":
        table = doc.add_table(rows=7, cols=3)
        table.style = "Table Grid"
        comma = L.get("comma", ", ")  # Arabic: "، "
        rows = [
            ("", L["lead"], L["partner"]),
            (L["legal_name"], "{{ lead.legal_name }}", "{{ partner.legal_name }}"),
            (L["status"], "{{ lead.legal_status }}", "{{ partner.type_label }}"),
            (L["address"], "{{ lead.address }}", "{{ partner.address }}"),
            (L["registration"], "{{ lead.registration_number }}", "{{ partner.registration_number }}"),
            (L["signatory"], "{{ lead.signatory.name }}" + comma + "{{ lead.signatory.title }}",
             "{{ partner.signatory.name }}" + comma + "{{ partner.signatory.title }}"),
            (L["contact"], "{{ lead.contact.name }}" + comma + "{{ lead.contact.email }}",
             "{{ partner.contact.name }}" + comma + "{{ partner.contact.email }}"),
        ]
        for r, texts in enumerate(rows):
            for c, text in enumerate(texts):
                paragraph = table.rows[r].cells[c].paragraphs[0]
                paragraph.style = "Table Text"
                paragraph.add_run(text).bold = r == 0 or c == 0
        _widths(table, [4, 6.2, 6.2])
        doc.add_paragraph()
        return
    layouts = {
        "budget": ([L["budget_line"], L["amount"]], "funding.budget", ["{{ row.line }}", "{{ row.amount }}"],
                   [L["total"], "{{ funding.budget_total }}"], [10.4, 6]),
        "advances": ([L["tranche"], L["amount"], L["release"]], "funding.advances",
                     ["{{ row.number }}", "{{ row.amount }}", "{{ row.release }}"], None, [2, 4.4, 10]),
        "risks": ([L["party"], L["risk"], L["rating"], L["mitigation"]], "risks",
                  ["{{ row.party }}", "{{ row.risk }}", "{{ row.rating }}", "{{ row.mitigation }}"], None, [3.4, 5, 2.4, 5.6]),
        "findings": ([L["party"], L["strengths"], L["weaknesses"]], "findings",
                     ["{{ row.party }}", "{{ row.strengths }}", "{{ row.weaknesses }}"], None, [3.4, 6.5, 6.5]),
        "actions": ([L["number"], L["owner"], L["weakness"], L["action"], L["support"], L["due"]], "actions",
                    ["{{ row.number }}", "{{ row.owner }}", "{{ row.weakness }}", "{{ row.action }}", "{{ row.support }}",
                     "{{ row.due }}"], None, [1, 2.6, 3.6, 5.2, 2.6, 2.4]),
        "milestones": ([L["date"], L["milestone"]], "milestones", ["{{ row.date }}", "{{ row.description }}"], None,
                       [4, 12.4]),
        "results": ([L["number"], L["result"], L["indicator"], L["baseline"], L["target"]], "action.results",
                    ["{{ row.number }}", "{{ row.result }}", "{{ row.indicator }}", "{{ row.baseline }}",
                     "{{ row.target }}"], None, [1, 4.6, 4.6, 3, 3.2]),
        "results_short": ([L["number"], L["result"], L["indicator"], L["target"]], "action.results",
                          ["{{ row.number }}", "{{ row.result }}", "{{ row.indicator }}", "{{ row.target }}"], None,
                          [1, 5.6, 5.6, 4.2]),
        "activities": ([L["number"], L["activity"], L["serves"], L["period"]], "action.activities",
                       ["{{ row.number }}", "{{ row.activity }}", "{{ row.result }}", "{{ row.period }}"], None,
                       [1, 8.4, 2, 5]),
        "contributions": ([L["party"], L["type"], L["contribution"], L["value"]], "contributions",
                          ["{{ row.party }}", f"{{% if row.type == 'cash' %}}{L['cash']}{{% else %}}{L['in_kind']}{{% endif %}}",
                           "{{ row.description }}", f"{{% if row.value %}}{{{{ row.value }}}}{{% else %}}{L['not_valued']}{{% endif %}}"],
                          None, [3.4, 2.6, 6.8, 3.6]),
        "contributions_unvalued": ([L["party"], L["type"], L["contribution"]], "contributions",
                                   ["{{ row.party }}", f"{{% if row.type == 'cash' %}}{L['cash']}{{% else %}}{L['in_kind']}{{% endif %}}",
                                    "{{ row.description }}"], None, [3.4, 3, 10]),
        "cofinancing": ([L["party"], L["source"], L["amount"], L["share"]], "cofinancing.rows",
                        ["{{ row.party }}", f"{{% if row.type == 'grant' %}}{L['grant']}{{% elif row.type == 'cash' %}}"
                         f"{L['cash_contribution']}{{% else %}}{L['in_kind_contribution']}{{% endif %}}",
                         "{{ row.amount }}", "{{ row.share }}"],
                        [L["total_cost"], "", "{{ cofinancing.total }}", "{{ cofinancing.whole }}"], [3.4, 5.4, 4.6, 3]),
        "officers": ([L["party"], L["name"], L["title"], L["role"]], "officers",
                     ["{{ row.party }}", "{{ row.name }}", "{{ row.title }}", "{{ row.role }}"], None, [3.4, 4, 4, 5]),
    }
    headers, loop, cells, total, widths = layouts[name]
    _grid(doc, headers, loop, cells, total, widths)


def _signatures(doc, value, L):
    # The signatures stay on the page of the paragraph before them ("IN
    # WITNESS WHEREOF"): it keeps with the table, whose rows never split and
    # keep with each other.
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=6, cols=2)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _widths(table, [8.2, 8.2])
    rows = [
        (L["for_lead"], L["for_partner"]),
        ("{{ lead.legal_name }}", "{{ partner.legal_name }}"),
        (f"{L['signature']}{L['colon']} ______________________________",
         f"{L['signature']}{L['colon']} ______________________________"),
        (f"{L['name']}{L['colon']} {{{{ lead.signatory.name }}}}", f"{L['name']}{L['colon']} {{{{ partner.signatory.name }}}}"),
        (f"{L['title']}{L['colon']} {{{{ lead.signatory.title }}}}",
         f"{L['title']}{L['colon']} {{{{ partner.signatory.title }}}}"),
        (f"{L['sign_date']}{L['colon']} ______________________________",
         f"{L['sign_date']}{L['colon']} ______________________________"),
    ]
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            paragraph = table.rows[r].cells[c].paragraphs[0]
            paragraph.add_run(text).bold = r < 2
            paragraph.paragraph_format.space_after = Pt(14 if r == 2 else 4)
            paragraph.paragraph_format.keep_with_next = r < 5
    doc.add_paragraph()


_BLOCKS = {
    "p": _p, "h1": _h1, "h2": _h2, "clause": _clause, "bullet": _bullet, "annex": _annex,
    "pagebreak": _pagebreak, "table": _table, "signatures": _signatures,
}


def main(argv: list[str]) -> None:
    sources = [HERE / a for a in argv] or sorted(HERE.glob("*.*.yaml"))
    for source in sources:
        print(build(source).relative_to(OUT.parent))


if __name__ == "__main__":
    main(sys.argv[1:])
