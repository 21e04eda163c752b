"""The pack's two Word documents, written with python-docx: the two-way
due-diligence checklist (from configs/due-diligence.yaml) and the one-page
key facts."""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from docx import Document
from docx.shared import Cm, Pt
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..models import Name, Record
from ..money import format_money, locale_for
from ..rtl import is_rtl, right_to_left
from ..context import _long_date
from ..startup import startup_actions
from .words import words

FILE = "due-diligence.yaml"
BOX = "☐"


class Item(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)  # the language keys
    due_days: int = Field(ge=0)

    def text(self, language: str) -> str:
        """The item in ``language``, or in its base language ('pt' for 'pt-MZ')."""
        extra = self.model_extra or {}
        return extra.get(language) or extra.get(language.replace("_", "-").split("-")[0]) or ""


class TierItems(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    partner_gives: list[Item]
    lead_gives: list[Item]


class DueDiligence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tiers: dict[Name, TierItems]


def load_due_diligence(folder: Path, tier: str, language: str) -> TierItems:
    path = folder / FILE
    try:
        data = DueDiligence.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InputError(f"{path}: not found; the start-up pack's checklist is configured there") from None
    except (yaml.YAMLError, ValueError) as exc:
        raise InputError(f"{path}: {exc}".splitlines()[0] + f" ({str(exc).splitlines()[-1].strip()})") from None
    if tier not in data.tiers:
        raise InputError(f"{path}: tiers: no '{tier}'; add the checklist of this tier")
    items = data.tiers[tier]
    for side in ("partner_gives", "lead_gives"):
        for index, item in enumerate(getattr(items, side)):
            if not item.text(language).strip():
                raise InputError(f"{path}: tiers.{tier}.{side}[{index}]: no text in language '{language}'")
    return items


def _document(title: str, subtitle: str):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = title
    doc.core_properties.author = "partnerdocs"
    # Fixed dates: the same record gives the same bytes.
    doc.core_properties.created = doc.core_properties.modified = datetime(2000, 1, 1)
    doc.add_heading(title, level=1)
    doc.add_paragraph(subtitle)
    return doc


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text


def _bytes(doc, language: str) -> bytes:
    """The document, laid out right to left in an Arabic agreement's language."""
    if is_rtl(language):
        right_to_left(doc, str(locale_for(language)).replace("_", "-"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def due_diligence_docx(record: Record, policy, items: TierItems, names: dict, subtitle: str) -> bytes:
    w, locale = words(record.language), locale_for(record.language)
    doc = _document(w["checklist"], subtitle)

    def due(days: int) -> str:
        return _long_date(record.start + timedelta(days=days), locale)

    for giver, receiver, side in (("partner", "lead", items.partner_gives), ("lead", "partner", items.lead_gives)):
        doc.add_heading(w["gives"].format(giver=names[giver], receiver=names[receiver]), level=2)
        _table(doc, [w["done"], w["item"], w["owner"], w["due"]],
               [[BOX, item.text(record.language), names[giver], due(item.due_days)] for item in side])
    actions = startup_actions(record, policy)
    if actions:
        doc.add_heading(w["actions"], level=2)
        _table(doc, [w["done"], w["weakness"], w["owner"], w["support"], w["due"]],
               [[BOX, a.weakness, names[a.owner], names[a.support] if a.support else "—", _long_date(a.due, locale)]
                for a in actions])
    return _bytes(doc, record.language)


def key_facts_docx(record: Record, names: dict, people: dict, reporting: str, subtitle: str,
                   schedule: list[dict]) -> bytes:
    """The key facts; ``schedule``: the payments as the agreement states them (context.advance_schedule)."""
    w, locale, lang = words(record.language), locale_for(record.language), record.language
    doc = _document(w["key_facts"], subtitle)
    doc.add_heading(w["parties"], level=2)
    _table(doc, [w["party"], w["signatory"], w["contact"]],
           [[names[side], people[side]["signatory"], people[side]["contact"]] for side in ("lead", "partner")])
    funding = record.funding
    if funding is not None:
        doc.add_heading(w["money"], level=2)
        doc.add_paragraph(f"{w['amount']}{w['colon']} {format_money(funding.amount, funding.currency, lang)}")
        _table(doc, ["#", w["amount"], w["condition"]],
               [[str(row["number"]), row["amount"], row["release"]] for row in schedule])
    doc.add_heading(w["dates"], level=2)
    doc.add_paragraph(f"{w['start']}{w['colon']} {_long_date(record.start, locale)} · "
                      f"{w['end']}{w['colon']} {_long_date(record.end, locale)}")
    doc.add_heading(w["reporting"], level=2)
    doc.add_paragraph(reporting)
    risks = [(side, risk) for side, found in (("lead", record.assessment.lead), ("partner", record.assessment.partner))
             for risk in found.risks] if record.assessment else []
    doc.add_heading(w["risks"], level=2)
    if risks:
        _table(doc, [w["risk"], w["owner"], w["mitigation"]], [[r.risk, names[side], r.mitigation] for side, r in risks])
    else:
        doc.add_paragraph(w["none"])
    return _bytes(doc, record.language)
