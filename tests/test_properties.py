"""Issue 11, property-based: whatever a record field or a workbook cell
holds, partnerdocs exits 0, 1 or 2 without a traceback, writes nothing
outside --out, and what it writes holds the data as literal text."""
from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import docx
import markdown
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from generator.cli import cli

from .conftest import BUNDLED_CONFIGS, make_logo
from .test_batch import HEADER
from .test_comms import comms_record
from .test_hardening import collaboration_row

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# What people and attackers type: markup of every output format, Jinja, formulas, paths, controls.
TRICKY = ["{{ 7*7 }}", "{% raw %}", "<script>alert(1)</script>", "=1+1", "+cmd", "@SUM(A1)", "-2", "| a | b |",
          "[x](javascript:alert(1))", "`code`", "*em* _u_ #h", "&amp; &#60;", "../../etc/passwd", "a\r\nb",
          "\x00", "\u202e", "Ωμέγα – 日本語 😀", "'; DROP TABLE", "\\", "\t=tab", "a" * 300]
TEXT = st.one_of(st.sampled_from(TRICKY), st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
                 st.lists(st.sampled_from(TRICKY), min_size=2, max_size=3).map(" ".join))
FIELDS = [("title",), ("partner", "short_name"), ("partner", "legal_name"), ("partner", "address"),
          ("partner", "signatory", "name"), ("partner", "contact", "phone"), ("partner", "about", "en"),
          ("comms", "speakers", 1, "quote"), ("partner", "social", "x"), ("comms", "link"), ("end",), ("countries", 0)]


def everything_but(folder: Path, out: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in folder.rglob("*") if p.is_file() and out not in p.parents}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.alts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt") or "")

    def handle_data(self, data):
        self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def kept(value: str) -> str:
    """The value as the README says a record keeps it: trimmed, Windows line ends as \\n."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def flat(text: str) -> str:
    return " ".join(text.split())


def docx_text(path: Path) -> str:
    document = docx.Document(path)
    return flat("\n".join(p.text for p in document.paragraphs))


def assert_literal(value: str, comms: Path, contract: Path, field: tuple) -> None:
    """The value, as the model keeps it, reads back as typed in every format that shows it."""
    shown = flat(kept(value))
    if field == ("title",):
        assert shown in docx_text(next(contract.glob("*.docx")))
        assert docx.Document(next(contract.glob("*.docx"))).core_properties.title == kept(value)
        assert shown in docx_text(comms / "press-release.en.docx")
        assert shown in html_text((comms / "press-release.en.html").read_text())
        assert shown in flat(json.loads((comms / "social.en.json").read_text())["x"]["text"])
        if "\n" not in value:
            assert shown in html_text(markdown.markdown((comms / "social.en.md").read_text(),
                                                        extensions=["fenced_code"]))
    if field == ("partner", "short_name"):
        plan = list(csv.reader(io.StringIO((comms / "posting-plan.en.csv").read_text())))
        cells = {row[2] for row in plan[1:]}
        assert kept(value) in cells or "'" + kept(value) in cells
        if "\n" not in value:
            table = markdown.markdown((comms / "posting-plan.en.md").read_text(), extensions=["tables"])
            assert all(row.count("<td>") == 10 for row in table.split("<tr>")[2:])
            assert shown in html_text(table)
    if field == ("partner", "legal_name"):
        parser = _Text()
        parser.feed((comms / "press-release.en.html").read_text())
        assert f"{kept(value)} logo" in parser.alts


@SETTINGS
@given(field=st.sampled_from(FIELDS), value=TEXT)
def test_any_record_field(field, value):
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_logo(folder / "logo.png")
        data = yaml.safe_load(comms_record())
        target = data
        for key in field[:-1]:
            target = target[key]
        target[field[-1]] = value
        (folder / "record.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out = folder / "out"
        before = everything_but(folder, out)
        result = CliRunner().invoke(cli, ["--configs", str(BUNDLED_CONFIGS), "generate", str(folder / "record.yaml"),
                                          "--out", str(out)])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
        event(f"exit {result.exit_code}")
        assert everything_but(folder, out) == before
        if result.exit_code == 0:
            assert_literal(value, out / "T-001" / "comms", out / "T-001" / "contract", field)
        else:
            assert not out.exists()


CELL = st.one_of(TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
                 st.booleans(), st.none(), st.datetimes(min_value=datetime(1, 1, 1)), st.dates(min_value=date(1, 1, 1)))


@SETTINGS
@given(column=st.sampled_from(HEADER), value=CELL)
def test_any_workbook_cell(column, value):
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        make_logo(folder / "logo.png")
        row = collaboration_row("CELL-1")
        row[HEADER.index(column)] = value
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "partnerships"
        sheet.append(HEADER)
        try:
            sheet.append(row)
        except (ValueError, IllegalCharacterError):  # openpyxl refuses to store some values (control characters): nothing to read
            return
        workbook.save(folder / "book.xlsx")
        out = folder / "out"
        before = everything_but(folder, out)
        result = CliRunner().invoke(cli, ["--configs", str(BUNDLED_CONFIGS), "batch", str(folder / "book.xlsx"),
                                          "--out", str(out), "--jobs", "1", "--only", "contract"])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
        assert "internal error" not in result.output
        event(f"exit {result.exit_code}")
        assert everything_but(folder, out) == before
        if result.exit_code == 0 and column == "title" and isinstance(value, str):
            document = docx.Document(next((out / "CELL-1" / "contract").glob("*.docx")))
            assert document.core_properties.title == kept(value)
