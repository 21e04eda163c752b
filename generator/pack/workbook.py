"""financial-report.xlsx: one sheet per reporting period (budget lines,
spent this period, cumulative, per cent of the line) and a tranche sheet
that liquidates the advances in order from the cumulative spending and says
whether each tranche's release condition (from the record) is met. Formulas,
not values: the partner types only the spending; everything else is
protected."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

from babel.numbers import get_currency_precision
from openpyxl import Workbook
from openpyxl.styles import Font, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ..models import Record
from .words import words

OPEN = Protection(locked=False)
BOLD = Font(bold=True)


def periods(record: Record, report_ends: list) -> list[tuple]:
    """(start, end) of each reporting period: the periodic ones, then the last to the project's end."""
    out, start = [], record.start
    for end in report_ends:
        out.append((start, end))
        start = end + timedelta(days=1)
    out.append((start, record.end))
    return out


def _print_setup(sheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:3"
    sheet.protection.sheet = True  # headers and formulas locked; the input cells are OPEN


def financial_workbook(record: Record, report_ends: list, day, schedule: list[dict]) -> bytes:
    """The financial report workbook: a sheet per reporting period, and the tranches with what liquidates them
    (``schedule``: the payments as the agreement states them, context.advance_schedule)."""
    funding, w = record.funding, words(record.language)
    digits = get_currency_precision(funding.currency)
    money = "#,##0" + ("." + "0" * digits if digits else "")
    book = Workbook()
    book.remove(book.active)
    lines = funding.budget
    first, last = 4, 3 + len(lines)  # budget rows
    previous = None
    for n, (start, end) in enumerate(periods(record, report_ends), start=1):
        sheet = book.create_sheet(f"P{n}")
        sheet["A1"] = f"{w['period'].format(n=n)}{w['colon']} {w['period_dates'].format(start=day(start), end=day(end))}"
        sheet["A1"].font = BOLD
        sheet["A2"] = f"{record.title} ({funding.currency})"
        for col, text in zip("ABCDE", (w["line"], w["budget"], w["spent"], w["cumulative"], w["percent"])):
            sheet[f"{col}3"] = text
            sheet[f"{col}3"].font = BOLD
        check = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                               showErrorMessage=True, error=f"≥ 0, {digits} decimal(s)")
        sheet.add_data_validation(check)
        for row, line in enumerate(lines, start=first):
            sheet[f"A{row}"] = line.line
            sheet[f"B{row}"] = float(line.amount)
            sheet[f"C{row}"].protection = OPEN
            check.add(f"C{row}")
            sheet[f"D{row}"] = f"=C{row}+'{previous}'!D{row}" if previous else f"=C{row}"
            sheet[f"E{row}"] = f"=IF(B{row}=0,0,D{row}/B{row})"
        total = last + 1
        sheet[f"A{total}"] = w["total"]
        sheet[f"A{total}"].font = BOLD
        for col in "BCD":
            sheet[f"{col}{total}"] = f"=ROUND(SUM({col}{first}:{col}{last}),{digits})"
        sheet[f"E{total}"] = f"=IF(B{total}=0,0,D{total}/B{total})"
        for row in range(first, total + 1):
            for col in "BCD":
                sheet[f"{col}{row}"].number_format = money
            sheet[f"E{row}"].number_format = "0.0%"
        sheet.column_dimensions["A"].width = 36
        for col in "BCDE":
            sheet.column_dimensions[col].width = 16
        _print_setup(sheet)
        previous = sheet.title
    spent = f"'{previous}'!D{last + 1}"  # cumulative spending, all periods
    sheet = book.create_sheet(w["tranches"][:31])
    sheet["A1"] = w["tranches"]
    sheet["A1"].font = BOLD
    sheet["A2"] = f"{record.title} ({funding.currency})"
    heads = ("#", w["amount"], w["liquidated"], w["liquidated_pct"], w["condition"], w["required"], "#", w["met"])
    for col, text in zip("ABCDEFGH", heads):
        sheet[f"{col}3"] = text
        sheet[f"{col}3"].font = BOLD
    for n, advance in enumerate(funding.advances, start=1):
        row = 3 + n
        sheet[f"A{row}"] = n
        sheet[f"B{row}"] = float(advance.amount)
        # Spending liquidates the tranches in order: this one gets what the earlier ones did not take.
        earlier = f"SUM(B$4:B{row - 1})" if n > 1 else "0"
        sheet[f"C{row}"] = f"=ROUND(MIN(B{row},MAX(0,{spent}-{earlier})),{digits})"
        sheet[f"D{row}"] = f"=IF(B{row}=0,0,C{row}/B{row})"
        release = advance.release
        if release == "on_signature":
            sheet[f"E{row}"] = w["on_signature"]
            sheet[f"H{row}"] = w["yes"]
        elif release.liquidated_percent is None:  # on a milestone or a report's approval: no spending tells
            sheet[f"E{row}"] = schedule[n - 1]["release"]
        else:
            sheet[f"E{row}"] = w["after"].format(percent=release.liquidated_percent, of=release.of_tranche)
            sheet[f"F{row}"] = f"={release.liquidated_percent}/100"
            sheet[f"G{row}"] = release.of_tranche
            sheet[f"H{row}"] = f'=IF(INDEX(D$4:D${3 + len(funding.advances)},G{row})>=F{row},"{w["yes"]}","{w["no"]}")'
        for col in "BC":
            sheet[f"{col}{row}"].number_format = money
        for col in "DF":
            sheet[f"{col}{row}"].number_format = "0.0%"
    sheet.column_dimensions["E"].width = 36
    for col in "BCDFH":
        sheet.column_dimensions[col].width = 16
    _print_setup(sheet)
    book.properties.creator = "partnerdocs"
    book.properties.created = book.properties.modified = datetime(2000, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

