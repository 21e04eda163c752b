"""The reporting and payment calendar: every date the agreement states, as
all-day events (calendar.ics, RFC 5545) and a table (calendar.md). UIDs are
made from the record's id and the event's kind and number, so a rerun
updates the same entries; nothing depends on the clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from babel.core import get_global
from icalendar import Calendar, Event

from ..config import Config
from ..context import _long_date
from ..models import Record, add_months
from ..money import format_money, locale_for
from ..startup import startup_actions
from .words import words

# A country spanning several time zones (or none known) gets this one: the pack's events are all-day.
DEFAULT_ZONE = "UTC"


@dataclass(frozen=True)
class Dated:
    day: date
    kind: str  # part of the UID
    number: int
    summary: str
    who: str


def partner_zone(record: Record) -> str:
    """The partner's time zone: its country's only zone, else DEFAULT_ZONE."""
    zones = get_global("territory_zones").get(record.partner.country, [])
    return zones[0] if len(zones) == 1 else DEFAULT_ZONE


def report_due_dates(record: Record, config: Config, tier: str) -> list[tuple[date, date]]:
    """(period end, due date) of each periodic report before the final one."""
    if tier not in config.policy.periodic_report_tiers:
        return []
    months, out = config.policy.report_every_months, []
    while (end := add_months(record.start, months * (len(out) + 1)) - timedelta(days=1)) < record.end:
        out.append((end, end + timedelta(days=30)))
    return out


def events(record: Record, config: Config, tier: str, names: dict) -> list[Dated]:
    lang, policy = record.language, config.policy
    w, locale = words(lang), locale_for(lang)
    both = w["both"].format(**names)
    found: list[Dated] = [Dated(record.start, "start", 1, w["start"], both), Dated(record.end, "end", 1, w["end"], both)]
    reports = report_due_dates(record, config, tier)
    for n, (end, due) in enumerate(reports, start=1):
        found.append(Dated(due, "report", n, w["report"].format(n=n, end=_long_date(end, locale)), names["partner"]))
    final_due = record.end + timedelta(days=policy.final_report_days)
    found.append(Dated(final_due, "final-report", 1, w["final_report"], names["partner"]))
    if record.funding is not None:
        found.append(Dated(record.end + timedelta(days=policy.refund_days), "refund", 1, w["refund"], names["partner"]))
        first_report = reports[0][1] if reports else record.start + (record.end - record.start) / 2
        for n, advance in enumerate(record.funding.advances, start=1):
            amount = format_money(advance.amount, record.funding.currency, lang)
            if advance.release == "on_signature":
                found.append(Dated(record.start, "tranche", n, w["tranche_1"].format(n=n, amount=amount), names["lead"]))
            else:
                # The liquidation is shown through a financial report: the first one is the checkpoint.
                found.append(Dated(first_report, "tranche", n, w["tranche"].format(
                    n=n, amount=amount, percent=advance.release.liquidated_percent, of=advance.release.of_tranche),
                    both))
        review, n = add_months(record.start, 6), 1
        while review <= record.end:
            found.append(Dated(review, "review", n, w["review"], both))
            review, n = add_months(record.start, 6 + 12 * n), n + 1
    for n, milestone in enumerate(record.milestones, start=1):
        found.append(Dated(milestone.date, "milestone", n, w["milestone"].format(text=milestone.description), both))
    for action in startup_actions(record, policy):
        found.append(Dated(action.due, "action", action.number,
                           w["action"].format(n=action.number, text=action.weakness), names[action.owner]))
    if record.comms is not None:
        found.append(Dated(record.comms.announce_on, "announce", 1, w["announce"], both))
    return sorted(found, key=lambda e: (e.day, e.kind, e.number))


def _line(text: str) -> str:
    """Text typed with line breaks, on one line (a calendar's title, a table cell)."""
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _line(text).replace("\\", "\\\\").replace("|", "\\|")


def calendar_ics(record: Record, events_: list[Dated], zone: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//partnerdocs//start-up pack//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _line(f"{record.id}: {record.title}"))
    cal.add("x-wr-timezone", zone)
    # DTSTAMP must be there; the record's start keeps the file the same on every run.
    stamp = datetime(record.start.year, record.start.month, record.start.day, tzinfo=timezone.utc)
    for e in events_:
        event = Event()
        event.add("uid", f"{record.id}-{e.kind}-{e.number}@partnerdocs")
        event.add("dtstamp", stamp)
        event.add("dtstart", e.day)
        event.add("dtend", e.day + timedelta(days=1))
        event.add("summary", _line(e.summary))
        event.add("description", _line(e.who))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def calendar_md(record: Record, events_: list[Dated], zone: str, title: str) -> bytes:
    w, locale = words(record.language), locale_for(record.language)
    lines = [f"# {title} — {_line(record.title)}", "", w["times"].format(zone=zone), "",
             f"| {w['date']} | {w['event']} | {w['who']} |", "| --- | --- | --- |"]
    lines += [f"| {_long_date(e.day, locale)} | {_cell(e.summary)} | {_cell(e.who)} |" for e in events_]
    return ("\n".join(lines) + "\n").encode("utf-8")
