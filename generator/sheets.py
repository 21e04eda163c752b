"""Partnership records from a workbook (.xlsx) or CSV files, as typed by
people: each row becomes the same data a YAML record holds, validated by the
same model, with problems placed by sheet and cell instead of line."""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Optional

from babel import UnknownLocaleError
from babel.numbers import get_currency_symbol, get_decimal_symbol
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from .errors import InputError, MissingSheet, Problem
from .money import currency_digits, locale_for
from .records import LoadedRecord, check_record, did_you_mean, unknown_prefix
from .yaml_source import Loc, Source, dotted

MAIN = "partnerships"
# Limits (documented in the README): far above any real batch, far below what exhausts memory.
MAX_ROWS = 10_000  # rows per sheet or CSV file
MAX_COLUMNS = 200  # columns per sheet
MAX_CELL = 32_767  # characters per cell, Excel's own limit
MAX_UNZIPPED = 100_000_000  # bytes of a workbook once unzipped (openpyxl holds all shared strings)
COLUMNS = [
    "id", "title", "language", "number_locale", "kind", "reference", "version",
    "partner.legal_name", "partner.short_name", "partner.type", "partner.country", "partner.address", "partner.city",
    "partner.registration_number", "partner.logo", "partner.signatory.name", "partner.signatory.title",
    "partner.contact.name", "partner.contact.title", "partner.contact.email", "partner.contact.phone",
    "partner.funds_officer.name", "partner.funds_officer.title",
    "partner.press_contact.name", "partner.press_contact.title", "partner.press_contact.email",
    "partner.press_contact.phone",
    "partner.social.x", "partner.social.linkedin", "partner.social.facebook", "partner.social.instagram",
    "partner.about.en", "partner.about.fr", "partner.about.es", "partner.about.ar",
    "partner.grammar.en.article", "partner.grammar.en.short_article", "partner.grammar.fr.article",
    "partner.grammar.fr.short_article", "partner.grammar.fr.elision", "partner.grammar.es.article",
    "partner.grammar.es.short_article", "partner.grammar.pt.article", "partner.grammar.pt.short_article",
    "partner.bank.account_holder", "partner.bank.bank", "partner.bank.iban", "partner.bank.account_number",
    "partner.bank.bic",
    "funding.amount", "funding.currency", "funding.indirect_rate", "funding.final_payment.upon",
    "funding.prime_award.donor", "funding.prime_award.award_number", "funding.prime_award.award_start",
    "funding.prime_award.award_end", "lead_office", "action.objective",
    "research.lead_author", "research.review_days", "research.open_access", "research.data_owner",
    "research.results_owner", "research.data_sharing", "research.personal_data", "research.human_participants",
    "research.ethics.committee", "research.ethics.reference", "research.ethics.approved_on",
    "start", "end", "signature_date", "countries", "agreement_languages", "prevailing",
    "comms.languages", "comms.announce_on", "comms.hashtags", "comms.platforms", "comms.link",
    "tier.name", "tier.reason",
]
LISTS = {  # sheet -> its columns after `id`
    "budget": ["line", "amount", "indirect"],
    "advances": ["amount", "release", "liquidated_percent", "of_tranche", "report_approved", "milestone"],
    "speakers": ["org", "name", "title", "quote"],
    "assessment": ["party", "finding", "text", "rating", "mitigation"],
    "milestones": ["date", "description"],
    "sub_partners": ["name", "country", "role", "amount"],
    "results": ["result", "indicator", "baseline", "target"],
    "activities": ["activity", "result", "start", "end"],
    "contributions": ["party", "type", "description", "value"],
}
# Where the rows of the sheets that hold the record's lists as they are go
# (an empty cell is a field left out, so that the model says what is missing).
PLAIN_LISTS = {"results": ("action", "results"), "activities": ("action", "activities"),
               "contributions": ("contributions",)}
SPLIT = {"countries": r"[,;]", "agreement_languages": r"[,;]", "comms.languages": r"[,;]", "comms.hashtags": r"[,;\s]+",
         "comms.platforms": r"[,;]"}
FINDINGS = {"strength": "strength", "strengths": "strength", "weakness": "weakness", "weaknesses": "weakness",
            "risk": "risk", "risks": "risk"}
NUMBERS = {"funding.amount", "funding.indirect_rate", "version", "amount", "liquidated_percent", "of_tranche",
           "report_approved", "milestone", "value"}
AMOUNTS = {"funding.amount", "amount", "value"}
DATES = {"start", "end", "signature_date", "comms.announce_on", "date", "funding.prime_award.award_start",
         "funding.prime_award.award_end", "research.ethics.approved_on"}
INSTRUCTIONS = [
    "How to fill this workbook (one partnership per row of the 'partnerships' sheet)",
    "",
    "Columns are record fields; a dot means nesting: partner.legal_name is the partner's legal name.",
    "Leave every funding.* cell empty for a non-financial partnership (collaboration tier).",
    "Lists in one cell: countries, agreement_languages (with prevailing), comms.languages and comms.platforms separated by commas;",
    "comms.hashtags separated by spaces.",
    "Dates as dates or as YYYY-MM-DD text. Amounts as numbers, or as text written the way the row's language",
    "writes numbers (fr, es, pt: '180.000' or '180 000,00'; en: '180,000.00'); number_locale overrides it.",
    "partner.logo: a PNG or JPEG file, relative to the folder of this workbook.",
    "",
    "The other sheets hold lists, one row per item, keyed by the partnership's id:",
    "budget: id, line, amount, indirect (lines must add up to funding.amount; with funding.indirect_rate, mark",
    "        the one indirect-cost line 'yes' in the indirect column: it must be that rate of the other lines).",
    "advances: id, amount, release (on_signature, or empty with liquidated_percent and of_tranche, or empty with",
    "        report_approved: a reporting period, or with milestone: a milestone's number). They add up",
    "        to funding.amount, or funding.final_payment.upon says how the rest is paid (final_report_approval).",
    "speakers: id, org (lead or partner), name, title, quote; one of each org at least.",
    "assessment: id, party (lead or partner), finding (strength, weakness or risk), text, rating and mitigation for risks.",
    "milestones (optional): id, date, description.",
    "sub_partners (optional): id, name, country, role, amount (the part of the grant passed on to it).",
    "results (with action.objective): id, result, indicator, baseline (optional), target.",
    "activities (with action.objective): id, activity, result (the number of the result it serves, 1 for the",
    "        first row of 'results'; optional), start and end (both or neither, within the partnership).",
    "contributions (optional): id, party (lead or partner), type (cash or in_kind), description, value (in",
    "        funding.currency; required for cash, the agreed value for in-kind; empty without funding).",
    "research.* (kind research only): lead_author, data_owner, results_owner (partner, lead or joint),",
    "        personal_data and human_participants (yes/no), ethics.committee, and ethics.reference with",
    "        ethics.approved_on once approved; review_days (default 30) and open_access (default yes).",
    "",
    "Run: partnerdocs batch this-workbook.xlsx",
]


class SheetSource(Source):
    """One row's record data, with the sheet and cell of every field."""

    def __init__(self, path: Path, data: dict, places: dict[Loc, str], row_label: str):
        raw = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
        super().__init__(path, data, {}, raw)
        self.places = places
        self.row_label = row_label

    @property
    def label(self) -> str:
        return f"{self.path} ({self.row_label})"

    def place_of(self, loc: Loc) -> str:
        loc = tuple(loc)
        while loc and loc not in self.places:
            loc = loc[:-1]
        return self.places.get(loc, self.row_label)

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(f"{self.path}: {self.place_of(loc)}", dotted(loc), message)


@dataclass
class Row:
    """A row as read: values by column name, and each column's cell."""

    values: dict[str, Any]
    cells: dict[str, str]
    label: str


@dataclass
class SheetRecord:
    """One partnership of a batch: its record, or why it could not be read."""

    label: str
    loaded: Optional[LoadedRecord] = None
    error: Optional[str] = None
    id: str = ""
    path: Optional[Path] = None  # a YAML record not read yet


def read_sheets(path: Path, strict: bool = False, allow_unknown: bool = False) -> list[SheetRecord]:
    """Every partnership of a workbook or CSV file. A bad row does not stop the others."""
    tables = _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csvs(path)
    if MAIN not in tables:
        raise MissingSheet(path, MAIN)
    rows_by_id: dict[str, list[tuple[str, Row]]] = {}
    orphans: list[Problem] = []
    main_ids = {str(_clean(r.values.get("id"))) for r in tables[MAIN]}
    for sheet in LISTS:
        for row in tables.get(sheet, []):
            key = _clean(row.values.get("id"))
            if key is None:
                continue
            if str(key) not in main_ids:
                orphans.append(Problem(f"{path}: {row.cells.get('id', row.label)}", "id",
                                       f"{key!r} is not an id of the '{MAIN}' sheet"))
            rows_by_id.setdefault(str(key), []).append((sheet, row))
    out = []
    for row in tables[MAIN]:
        row_id = str(_clean(row.values.get("id")) or "")
        data, places, problems = _record_data(row, rows_by_id.get(row_id, []), path, allow_unknown)
        source = SheetSource(path, data, places, row.label)
        try:
            loaded = check_record(source, strict, allow_unknown)
        except InputError as exc:
            known = {p.file for p in problems}  # a cell already reported is not reported again by the model
            problems = [p for p in exc.problems if p.file not in known] + problems if exc.problems else problems
            message = "\n".join(str(p) for p in problems) or exc.format_message()
            out.append(SheetRecord(source.label, error=message, id=row_id))
            continue
        if problems:
            out.append(SheetRecord(source.label, error="\n".join(str(p) for p in problems), id=row_id))
        else:
            out.append(SheetRecord(source.label, loaded=loaded))
    for problem in orphans:
        out.append(SheetRecord(problem.file, error=str(problem)))
    return out


def _read_xlsx(path: Path) -> dict[str, list[Row]]:
    _check_unzipped_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)  # streams rows, never the whole sheet
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(f"{path}: not an Excel workbook (.xlsx): {exc.__class__.__name__}") from None
    try:
        tables: dict[str, list[Row]] = {}
        for ws in workbook.worksheets:
            name = ws.title.strip().lower()
            if name in tables:
                raise InputError(f"{path}: two sheets are named {ws.title.strip()!r}; keep one")
            tables[name] = _rows(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), ws.title, path)
        return tables
    finally:
        workbook.close()


def _check_unzipped_size(path: Path) -> None:
    """Refuse a workbook that unzips to more than MAX_UNZIPPED bytes (one giant
    shared string in a small file) before openpyxl reads any of it."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            size = sum(info.file_size for info in package.infolist())
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, zipfile.BadZipFile):
        return  # not a zip: openpyxl says it is not a workbook
    if size > MAX_UNZIPPED:
        raise InputError(f"{path}: the workbook unzips to {size:,} bytes, over the limit of {MAX_UNZIPPED:,}; "
                         "split it into several workbooks (or look for a cell holding a whole document)")


def _read_csvs(path: Path) -> dict[str, list[Row]]:
    """The partnerships CSV, with the list sheets as CSV files beside it
    (budget.csv, advances.csv, speakers.csv, assessment.csv, milestones.csv)."""
    tables = {}
    for sheet, file in [(MAIN, path)] + [(s, path.parent / f"{s}.csv") for s in LISTS]:
        if sheet != MAIN and not file.exists():
            continue
        try:
            with open(file, newline="", encoding="utf-8-sig") as stream:
                tables[sheet] = _rows(csv.reader(stream, delimiter=_delimiter(stream)), file.name, file.parent)
        except FileNotFoundError:
            raise InputError(f"{file}: file not found") from None
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"{file}: cannot be read as CSV: {exc}") from None
    return tables


def _delimiter(stream) -> str:
    """',' or ';' (what Excel writes where the comma is the decimal mark),
    whichever the header line holds more of."""
    header = stream.readline(MAX_CELL * MAX_COLUMNS)
    stream.seek(0)
    return ";" if header.count(";") > header.count(",") else ","


def _rows(rows: Iterable[tuple], sheet: str, source: Path) -> list[Row]:
    """The rows under the header, as named values; stops at the first limit
    passed (rows, columns, cell size) with an error naming the place."""
    rows = iter(rows)
    header = next(rows, None) or ()
    names = [str(h).strip() if h is not None else "" for h in header]
    if len(names) > MAX_COLUMNS and any(names[MAX_COLUMNS:]):
        raise InputError(f"{source}: {sheet}: more than {MAX_COLUMNS} columns")
    repeated = sorted(n for n, times in Counter(names).items() if n and times > 1)
    if repeated:
        raise InputError(f"{source}: {sheet}: column {', '.join(map(repr, repeated))} appears more than once; keep one")
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise InputError(f"{source}: {sheet}: more than {MAX_ROWS:,} rows; split it into several files")
        for i, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise InputError(f"{source}: {sheet}!{get_column_letter(i + 1)}{number}: the cell holds {len(value):,} "
                                 f"characters, over the limit of {MAX_CELL:,}")
        if all(_clean(v) is None for v in values):
            continue
        cells = {n: f"{sheet}!{get_column_letter(i + 1)}{number}" for i, n in enumerate(names) if n}
        out.append(Row({n: v for n, v in zip(names, values) if n}, cells, f"{sheet} row {number}"))
    return out


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _set(data: dict, loc: tuple, value: Any) -> None:
    for key in loc[:-1]:
        data = data.setdefault(key, {})
    data[loc[-1]] = value


# Values a spreadsheet shows for a formula that failed: never data.
ERROR_VALUES = frozenset(ERROR_CODES) | {"#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
                                          "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!"}
_LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}")
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2009\u2007"), " ")


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says why."""


@dataclass(frozen=True)
class Reading:
    """How a row's typed amounts are read: the locale that decides (the row's
    number_locale, else its language; None when neither is given) and the
    row's currency, which a code or symbol typed in an amount must match."""

    locale: Optional[str] = None
    currency: Optional[str] = None

    @property
    def decimal(self) -> Optional[str]:
        if self.locale is None:
            return None
        symbol = get_decimal_symbol(locale_for(self.locale))
        return symbol if symbol in ".," else None


def _reading(values: dict) -> Reading:
    """The row's Reading; CellError for a number_locale that is no locale."""
    chosen = _clean(values.get("number_locale"))
    language = _clean(values.get("language"))
    currency = _clean(values.get("funding.currency"))
    currency = str(currency).upper() if isinstance(currency, str) and len(currency) == 3 else None
    for value, required in ((chosen, True), (language, False)):
        if value is None:
            continue
        try:
            locale_for(str(value))
            return Reading(str(value), currency)
        except (ValueError, UnknownLocaleError):
            if required:
                raise CellError(f"'{value}' is not a locale; write a language code such as en, fr, es or pt") from None
            return Reading(None, currency)  # the model reports the bad language in its cell
    return Reading(None, currency)


def _convert(column: str, value: Any, reading: Reading = Reading()) -> Any:
    """What people type, turned into what the model expects; CellError for a
    cell that holds a spreadsheet error or an amount that cannot be read."""
    value = _clean(value)
    if value is None:
        return None
    if isinstance(value, str) and (value.upper() in ERROR_VALUES or _LIBREOFFICE_ERROR.fullmatch(value)):
        raise CellError(f"the cell shows the spreadsheet error {value}, not a value; fix its formula or type the value")
    if column in DATES:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                day = from_excel(value)
            except (OverflowError, ValueError):
                day = None
            # 0 is a time of day to Excel, 99999999 no day at all: text the model reports at its cell
            return day.date() if isinstance(day, datetime) else f"date serial {value}"
        return value
    if column in NUMBERS:
        number = parse_number(value, reading)
        if column in AMOUNTS and isinstance(value, str) and reading.currency and isinstance(number, Decimal):
            _three_decimals(value, number, reading)
        return number
    if column in SPLIT and isinstance(value, str):
        return [part.strip() for part in re.split(SPLIT[column], value) if part.strip()]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, (str, date)) else str(value)


def parse_number(value: Any, reading: Reading = Reading()) -> Any:
    """A typed number as a Decimal. Numbers typed as numbers are taken exactly;
    text is read the way the reading's locale writes numbers: '180.000' and
    '150.000,00' in fr, es, pt; '180,000.00' in en; spaces and apostrophes
    group thousands everywhere. With no locale, a value that reads two ways
    ('180.000', '75,000') is a CellError, never a guess. '2E+04' is 20000.
    Text with no digit is returned as typed, for the model to report."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    typed = str(value)
    if not any(c.isdigit() for c in typed):
        return value
    text = _without_currency(typed.translate(_SPACES).strip(), reading)
    mantissa, _, exponent = text.upper().partition("E")
    if exponent:
        if not re.fullmatch(r"[+-]?\d{1,3}", exponent):
            raise CellError(f"'{typed}' is not a number")
        number = _decimal(mantissa.strip(), typed, reading).scaleb(int(exponent))
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number
    return _decimal(text, typed, reading)


def _three_decimals(typed: str, number: Decimal, reading: Reading) -> None:
    """'180.000' read as 180.000 by the row's language is no amount of a
    currency with fewer decimals: the thousands were typed the other way."""
    if number.as_tuple().exponent == -3 and currency_digits(reading.currency) < 3:
        raise CellError(f"'{typed}' reads as {number} in {reading.locale}, but {reading.currency} has no third decimal; "
                        f"type the amount without separators (e.g. {number.scaleb(3)}) or set number_locale "
                        "to the convention it was typed in")


def _without_currency(text: str, reading: Reading) -> str:
    """``text`` without the ISO code or symbol typed with it, which must be the row's currency."""
    found = re.search(r"-?\d[\d\s.,'’]*(?:[eE][+-]?\d+)?", text)
    marks = [text[:found.start()].strip(), text[found.end():].strip()]
    if reading.currency:
        allowed = {reading.currency} | {get_currency_symbol(reading.currency, locale=loc).translate(_SPACES)
                                        for loc in ("en", "en_US", "en_GB", reading.locale or "en")}
    for mark in filter(None, marks):
        if reading.currency:
            known = mark in allowed
        else:
            known = re.fullmatch(r"[A-Z]{3}", mark) or any(unicodedata.category(c) == "Sc" for c in mark)
        if not known:
            expected = f"the row's currency {reading.currency}" if reading.currency else "a currency"
            raise CellError(f"'{text}': '{mark}' is not {expected}; type the amount alone, e.g. 180000")
    return found.group().strip()


def _decimal(text: str, typed: str, reading: Reading) -> Decimal:
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    decimal = reading.decimal
    marks = [c for c in body if c in ".,"]
    group = {".": ",", ",": "."}.get(decimal)
    if decimal is None:
        if len(set(marks)) == 2:
            decimal = marks[-1]
            group = marks[0]
        elif len(marks) > 1:
            group = marks[0]
        elif len(marks) == 1:
            before, after = re.split(r"[.,]", body)
            if len(after) == 3 and _grouped(before):
                other = "," if marks[0] == "." else "."
                raise CellError(
                    f"'{typed}' reads as {before.replace(' ', '')}{after} or as {before.replace(' ', '')}.{after} "
                    f"depending on the convention; set the row's language or number_locale, or type it as "
                    f"{before.replace(' ', '')}{after} or with both separators (e.g. {before}{marks[0]}{after}{other}00)")
            decimal = marks[0]
    whole, _, fraction = body.partition(decimal) if decimal else (body, "", "")
    chunks = re.split(rf"[\s'’{re.escape(group or '')}]", whole)
    good = all(c.isdigit() for c in chunks) and (len(chunks) == 1 or _grouped(whole))
    if not good or (fraction and not fraction.isdigit()) or (decimal and decimal in body and not fraction):
        how = {".": "a decimal point, e.g. 180,000.50", ",": "a decimal comma, e.g. 180.000,50 or 180 000,50"}
        where = f"as {reading.locale} writes numbers, with {how[reading.decimal]}" if reading.decimal else "as a number"
        raise CellError(f"'{typed}' cannot be read {where}")
    return Decimal(sign + "".join(chunks) + (f".{fraction}" if fraction else ""))


def _grouped(whole: str) -> bool:
    """True when ``whole`` is digits grouped by thousands: '180', '1 234', '1.234.567'."""
    chunks = re.split(r"[\s'’.,]", whole)
    return 1 <= len(chunks[0]) <= 3 and all(c.isdigit() for c in chunks) and all(len(c) == 3 for c in chunks[1:])


def _record_data(row: Row, items: list[tuple[str, Row]], path: Path,
                 allow_unknown: bool = False) -> tuple[dict, dict[Loc, str], list[Problem]]:
    data: dict = {}
    problems: list[Problem] = []
    places: dict[Loc, str] = {(): row.label}
    conflicts = set()
    for column in row.values:
        # `funding` beside `funding.amount`: the one would overwrite the other
        parent = next((column[:i] for i, c in enumerate(column) if c == "." and column[:i] in row.values), None)
        if parent is not None and _translation(parent, column):
            continue  # `title` beside `title.en`: the text in the row's language and its English
        if parent is not None and parent not in conflicts and _clean(row.values[parent]) is not None:
            conflicts.add(parent)
            problems.append(Problem(f"{path}: {row.cells[parent]}", parent,
                                    f"a column {parent!r} beside {column!r}; use the {parent}.* columns only"))

    def convert(column: str, raw: Any, cell: str, reading: Reading) -> Any:
        try:
            return _convert(column, raw, reading)
        except CellError as exc:  # kept as typed, so the model does not also call it missing
            problems.append(Problem(f"{path}: {cell}", column, str(exc)))
            return _clean(raw)

    try:
        reading = _reading(row.values)
    except CellError as exc:
        problems.append(Problem(f"{path}: {row.cells['number_locale']}", "number_locale", str(exc)))
        reading = Reading()
    for column, raw in row.values.items():
        if column == "number_locale" or column in conflicts:  # how to read the row, not a record field
            continue
        if "." in column and column.rsplit(".", 1)[0] in row.values and _translation(column.rsplit(".", 1)[0], column):
            places[tuple(column.rsplit(".", 1))] = row.cells[column]
            continue  # merged into its text's map below
        value = convert(column, raw, row.cells[column], reading)
        loc = tuple(column.split("."))
        places[loc] = row.cells[column]
        unknown = unknown_prefix(loc)
        if unknown is not None:
            # An unknown column is reported once, at its header cell, even when empty.
            places[unknown] = _header(row.cells[column])
            _set(data, loc, value)
        elif value is not None:
            _set(data, loc, value)
    _translations_in_maps(data, row.values)
    for sheet, item in items:
        extra = [k for k in item.values if k not in ["id"] + LISTS[sheet]]
        if extra and not allow_unknown:
            found = [Problem(f"{path}: {_header(item.cells[k])}", k, f"unknown column of the '{sheet}' sheet"
                             f"{did_you_mean(k, LISTS[sheet])}; the columns are {', '.join(['id'] + LISTS[sheet])}")
                     for k in extra]
            problems += [p for p in found if p not in problems]
        values = {k: convert(k, v, item.cells[k], reading) for k, v in item.values.items() if k != "id"}
        loc, entry, cells = _list_entry(sheet, values, item.cells)
        if loc is None:
            problems.append(Problem(f"{path}: {cells[()] or item.label}", sheet, entry))
            continue
        target = data
        for key in loc[:-1]:
            target = target.setdefault(key, {})
        entries = target.setdefault(loc[-1], [])
        index = len(entries)
        entries.append(entry)
        places[loc] = places.get(loc, item.label)
        places[loc + (index,)] = item.label
        for field_loc, cell in cells.items():
            if cell:
                places[loc + (index,) + field_loc] = cell
    return data, places, problems


def _translation(parent: str, column: str) -> bool:
    """Whether ``column`` is a translation column (``title.en``) of the text column ``parent``."""
    from .models import _language

    language = column[len(parent) + 1:]
    try:
        _language(language)
    except ValueError:
        return False
    return "." not in language and unknown_prefix(tuple(parent.split("."))) is None


def _translations_in_maps(data: dict, values: dict) -> None:
    """``title`` and ``title.en`` columns: the plain text is the row's language's, in the one map."""
    language = _clean(values.get("language")) or "en"
    for column in values:
        parent = column.rsplit(".", 1)[0] if "." in column else None
        if parent is None or parent not in values or not _translation(parent, column):
            continue
        target = data
        keys = parent.split(".")
        for key in keys[:-1]:
            target = target.get(key, {}) if isinstance(target, dict) else {}
        if isinstance(target, dict) and isinstance(target.get(keys[-1]), str):
            target[keys[-1]] = {language: target[keys[-1]]}
        if isinstance(target, dict) and isinstance(target.get(keys[-1]), dict):
            text = _clean(values[column])
            if text is not None:
                target[keys[-1]][column.rsplit(".", 1)[1]] = text


def _header(cell: str) -> str:
    """'partnerships!C7' -> 'partnerships!C1', the column's header cell."""
    return re.sub(r"\d+$", "1", cell)


def _list_entry(sheet: str, values: dict, cells: dict) -> tuple[Optional[tuple], Any, dict]:
    """Where a list sheet's row goes in the record, what it holds, and its cells."""
    if sheet == "budget":
        entry = {k: values.get(k) for k in ("line", "amount")}
        if values.get("indirect") is not None:  # yes/no, true/false: the model reads (and refuses) it
            entry["indirect"] = values["indirect"]
        return ("funding", "budget"), entry, {
            ("line",): cells.get("line"), ("amount",): cells.get("amount"), ("indirect",): cells.get("indirect")}
    if sheet == "advances":
        release = values.get("release")
        if release in (None, "after", "liquidated"):
            # A liquidation pair, or one of its alternatives; the model refuses a mix.
            alternatives = {k: values[k] for k in ("report_approved", "milestone") if values.get(k) is not None}
            pair = {k: values.get(k) for k in ("liquidated_percent", "of_tranche")}
            release = alternatives if alternatives and all(v is None for v in pair.values()) else {
                **pair, **alternatives}
        first = next((k for k in ("liquidated_percent", "report_approved", "milestone") if values.get(k) is not None),
                     "liquidated_percent")
        cell = cells.get(first) if isinstance(release, dict) else cells.get("release")
        return ("funding", "advances"), {"amount": values.get("amount"), "release": release}, {
            ("amount",): cells.get("amount"), ("release",): cell,
            **{("release", k): cells.get(k) for k in ("liquidated_percent", "of_tranche", "report_approved", "milestone")}}
    if sheet == "speakers":
        fields = ("org", "name", "title", "quote")
        return ("comms", "speakers"), {k: values.get(k) for k in fields}, {(k,): cells.get(k) for k in fields}
    if sheet == "sub_partners":
        fields = ("name", "country", "role", "amount")
        entry = {k: values.get(k) for k in fields if k != "amount" or values.get(k) is not None}
        return ("sub_partners",), entry, {(k,): cells.get(k) for k in fields}
    if sheet in PLAIN_LISTS:
        fields = LISTS[sheet]
        return PLAIN_LISTS[sheet], {k: values[k] for k in fields if values.get(k) is not None}, {
            (k,): cells.get(k) for k in fields}
    if sheet == "milestones":
        return ("milestones",), {k: values.get(k) for k in ("date", "description")}, {
            ("date",): cells.get("date"), ("description",): cells.get("description")}
    party = str(values.get("party") or "").lower()
    finding = FINDINGS.get(str(values.get("finding") or "").lower())
    if party not in ("lead", "partner"):
        return None, "party must be lead or partner", {(): cells.get("party")}
    if finding not in ("strength", "weakness", "risk"):
        return None, "finding must be strength, weakness or risk", {(): cells.get("finding")}
    if finding == "risk":
        fields = ("rating", "mitigation")
        return ("assessment", party, "risks"), {"risk": values.get("text"), **{k: values.get(k) for k in fields}}, {
            ("risk",): cells.get("text"), **{(k,): cells.get(k) for k in fields}}
    return ("assessment", party, f"{finding}es" if finding == "weakness" else f"{finding}s"), values.get("text"), {
        (): cells.get("text")}


def write_template_sheet(path: Path) -> None:
    """An empty workbook with the expected sheets and columns, and instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = MAIN
    for name, columns in [(MAIN, COLUMNS)] + [(s, ["id"] + c) for s, c in LISTS.items()]:
        ws = sheet if name == MAIN else workbook.create_sheet(name)
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "B2"
    notes = workbook.create_sheet("instructions", 0)
    for line in INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    workbook.save(path)
