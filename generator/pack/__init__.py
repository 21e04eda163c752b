"""The start-up pack, ``out/<id>/pack/``: what both organisations need on
the first day, in the agreement's language, from the same record and
configuration as the agreement. A funded agreement gets the calendar
(.ics and .md), the financial-report workbook, the due-diligence checklist
and the key facts; a collaboration (no money) the checklist and key facts."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

from ..config import Config
from ..context import _long_date, advance_schedule, lead_office, reference_of
from ..models import Person
from ..money import locale_for
from ..records import LoadedRecord
from ..tiers import TierChoice
from ..translations import localised
from .calendar import calendar_ics, calendar_md, events, partner_zone, report_due_dates
from .documents import FILE as DUE_DILIGENCE, due_diligence_docx, key_facts_docx, load_due_diligence
from .words import words
from .workbook import financial_workbook

__all__ = ["DUE_DILIGENCE", "render_pack"]
MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _person(person: Person, language: str) -> str:
    """'Name, title', the title in ``language`` (or its base language: 'pt' for 'pt-MZ'), as the
    agreement prints it; a title given per language in the configuration is a Texts (a str)."""
    return f"{person.name}, {localised(person.title, language)}"


def render_pack(loaded: LoadedRecord, config: Config, choice: TierChoice) -> dict[str, bytes]:
    record, lang = loaded.record, loaded.record.language
    w, locale = words(lang), locale_for(lang)
    office = lead_office(record, config)
    names = {"lead": config.organisation.short_name, "partner": record.partner.short_name}
    people = {side: {"signatory": _person(who.signatory, lang),
                     "contact": f"{_person(who.contact, lang)}, {who.contact.email}"}
              for side, who in (("lead", office), ("partner", record.partner))}
    subtitle = f"{record.title} · {w['agreement'].format(reference=reference_of(record, config))}"
    final = _long_date(record.end + timedelta(days=config.policy.final_report_days), locale)
    reporting = (w["every"].format(months=config.policy.report_every_months, final=final)
                 if report_due_dates(record, config, choice.name) else w["final_only"].format(final=final))
    items = load_due_diligence(config.folder, choice.name, lang)
    schedule = advance_schedule(record, config) if record.funding else []  # as the agreement states it
    files = {
        "due-diligence.docx": due_diligence_docx(record, config.policy, items, names, subtitle),
        "key-facts.docx": key_facts_docx(record, names, people, reporting, subtitle, schedule),
    }
    if record.funding is not None:
        zone = partner_zone(record)
        dated = events(record, config, choice.name, names)
        files["calendar.ics"] = calendar_ics(record, dated, zone)
        files["calendar.md"] = calendar_md(record, dated, zone, w["calendar"])
        ends = [end for end, _ in report_due_dates(record, config, choice.name)]
        files["financial-report.xlsx"] = financial_workbook(record, ends, lambda d: _long_date(d, locale), schedule)
    return {name: _fixed_times(data) if name.endswith((".docx", ".xlsx")) else data
            for name, data in sorted(files.items())}


def _fixed_times(data: bytes) -> bytes:
    """The same bytes on every run: python-docx and openpyxl stamp each zip entry with the time."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(info)
            if info.filename == "docProps/core.xml":  # openpyxl sets "modified" to now on save
                data = MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(entry, data)
    return out.getvalue()
