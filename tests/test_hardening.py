"""Issue 11: inputs typed by attackers and careless users end in a clean
error for that record (file:line or sheet!cell), never a traceback, and the
batch goes on; outputs hold data as literal text."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import docx
import markdown
import pytest
import yaml
from click.testing import CliRunner
from PIL import Image

from generator import sheets
from generator.cli import cli
from generator.comms.social import count

from .conftest import RECORD, line_of, make_logo, write_workbook
from .test_batch import GOOD, HEADER, LISTS, cell
from .test_comms import comms_record


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def contract_text(path: Path) -> str:
    document = docx.Document(path)
    return "\n".join(p.text for p in document.paragraphs)


# --- 2. one bad record never stops a batch -------------------------------------------------------------------

BAD_RECORDS = {
    # name: (edit of RECORD, the line fragment the error must point at, words of the message)
    "feb30": ({"end: 2027-12-31": "end: 2029-02-30"}, "end: 2029-02-30", "expected a date"),
    "year0": ({"start: 2027-01-15": "start: 0000-01-15"}, "start: 0000", "expected a date"),
    "year9999": ({"end: 2027-12-31": "end: 9999-12-31"}, "end: 9999", "outside 1900 to 2199"),
    "long-title": ({"title: Test partnership": "title: " + "T" * 256}, "title: TTT", "at most 255"),
    "recursive-alias": ({"countries: [NE]": "countries: &c [NE, *c]"}, "countries:", "refers to a value that contains it"),
    "complex-key": ({"countries: [NE]": "countries: [NE]\n? [a, b]\n: 1"}, "? [a, b]", "a key must be a plain name"),
}


@pytest.mark.parametrize("name", sorted(BAD_RECORDS))
def test_bad_record_is_a_clean_error_with_its_line(write_record, name):
    edits, fragment, words = BAD_RECORDS[name]
    text = RECORD
    for old, new in edits.items():
        text = text.replace(old, new)
    path = write_record(text, f"{name}.yaml")
    result = run("check", path)
    assert result.exit_code == 2
    assert f"{path}:{line_of(text, fragment)}: " in result.output and words in result.output


def test_generate_exits_2_for_a_bad_date_and_writes_nothing(write_record, configs, tmp_path):
    path = write_record(RECORD.replace("end: 2027-12-31", "end: 2029-02-30"))
    result = run("--configs", configs, "generate", path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "end: expected a date" in result.output
    assert not (tmp_path / "out").exists()


def test_folder_batch_goes_on_past_every_bad_record(write_record, configs, tmp_path):
    good = write_record(RECORD, "good.yaml")
    for name, (edits, _, _) in BAD_RECORDS.items():
        text = RECORD.replace("id: T-001", f"id: {name.upper()}")
        for old, new in edits.items():
            text = text.replace(old, new)
        write_record(text, f"{name}.yaml")
    out = tmp_path / "out"
    result = run("--configs", configs, "batch", good.parent, "--out", out, "--only", "contract", "--jobs", "1")
    assert result.exit_code == 1
    assert f"1 written, 0 unchanged, {len(BAD_RECORDS)} failed" in result.output
    assert "Test Partner Association" in contract_text(next((out / "T-001" / "contract").glob("*.docx")))
    for name, (_, _, words) in BAD_RECORDS.items():
        assert f"{good.parent / name}.yaml:" in result.output and words in result.output
    reports = list(out.glob("batch-*.json"))
    assert len(reports) == 1 and json.loads(reports[0].read_text())["totals"]["failed"] == len(BAD_RECORDS)


def collaboration_row(record_id: str) -> list:
    """GOOD without funding: a valid non-financial row that needs no other sheet."""
    row = list(GOOD)
    row[HEADER.index("id")] = record_id
    row[HEADER.index("funding.amount")] = row[HEADER.index("funding.currency")] = None
    return row


def make_book(folder: Path, header: list, rows: list[list], sheets_extra: dict | None = None) -> Path:
    extra = {name: [columns, *values] for name, (columns, values) in (sheets_extra or {}).items()}
    return write_workbook(folder / "book.xlsx", {"partnerships": [header, *rows], **extra})


def test_workbook_bad_cells_fail_their_row_only(configs, tmp_path):
    header = HEADER + ["funding", "partner"]
    rows = [collaboration_row("OK-1") + [None, None]]
    zero, huge, funding, partner = (collaboration_row(i) + [None, None] for i in ("ZERO", "HUGE", "FUND", "PART"))
    zero[HEADER.index("start")] = 0
    huge[HEADER.index("end")] = 99999999
    funding[-2] = "lots"
    partner[-1] = "Someone"
    rows += [zero, huge, funding, partner]
    source = make_book(tmp_path / "in", header, rows)
    out = tmp_path / "out"
    result = run("--configs", configs, "batch", source, "--out", out, "--only", "contract", "--jobs", "1")
    assert result.exit_code == 1
    assert "1 written, 0 unchanged, 4 failed" in result.output
    assert f"{source}: partnerships!{cell(3, 'start')}: start: expected a date" in result.output
    assert f"{source}: partnerships!{cell(4, 'end')}: end: expected a date" in result.output
    assert (f"{source}: partnerships!{cell(5, 'funding', header)}: funding: a column 'funding' beside "
            "'funding.amount'") in result.output
    assert f"{source}: partnerships!{cell(6, 'partner', header)}: partner: a column 'partner' beside" in result.output
    assert (out / "OK-1").is_dir() and not (out / "ZERO").exists()


# --- 3. small inputs, bounded cost ---------------------------------------------------------------------------

def test_alias_expansion_is_bounded(write_record):
    bomb = "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
    path = write_record(RECORD + bomb)
    result = run("check", path)
    assert result.exit_code == 2
    assert "100,000 values" in result.output and "aliases" in result.output


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_nesting_is_refused(write_record, depth):
    path = write_record(RECORD + "x: " + "[" * depth + "]" * depth + "\n")
    result = run("check", path)
    assert result.exit_code == 2
    assert "nested more than 64 levels" in result.output or "exceeded maximum nesting depth" in result.output


def test_workbook_limits(configs, tmp_path, monkeypatch):
    rows = [collaboration_row(f"R-{i}") for i in range(4)]
    source = make_book(tmp_path / "rows", HEADER, rows)
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    result = run("--configs", configs, "batch", source, "--out", tmp_path / "out")
    assert result.exit_code == 2 and f"{source}: partnerships: more than 3 rows" in result.output
    monkeypatch.undo()

    big = [v.date().isoformat() if isinstance(v, datetime) else v for v in collaboration_row("BIG")]
    big[HEADER.index("title")] = "x" * (sheets.MAX_CELL + 1)
    (tmp_path / "partnerships.csv").write_text("\n".join(",".join(str(v or "") for v in r) for r in [HEADER, big]))
    result = run("--configs", configs, "batch", tmp_path / "partnerships.csv", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert f"{tmp_path}: partnerships.csv!{cell(2, 'title')}: the cell holds 32,768 characters" in result.output

    monkeypatch.setattr(sheets, "MAX_UNZIPPED", 1000)
    result = run("--configs", configs, "batch", source, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "over the limit of 1,000" in result.output
    assert not (tmp_path / "out").exists()


def test_x_count_of_a_long_word_is_its_length_and_normal_drafts_count_as_twitter_text_does():
    from twitter_text import parse_tweet

    junk = "see " + "a." * 8000 + ".org"  # no URL: every ASCII character weighs 1
    assert count("x", junk) == len(junk)
    for text in ["@TPA_NE and @HSI_Intl are partnering on “Seeds” in Niger. #Sahel https://example.org/news.",
                 "日本語のテスト 😀👍🏽 (see http://a.example/b?c=(1)) and https://t.co/x",
                 "Read more: https://sub.example.co.uk/" + "p" * 3000 + " #A #B"]:
        assert count("x", text) == parse_tweet(text).weightedLength


def test_long_or_malformed_link_is_refused(write_record):
    for link in ["https://example.org/" + "a" * 3000, "https://a..org/", "not a link"]:
        text = comms_record(**{"  platforms:": f"  link: '{link}'\n  platforms:"})
        result = run("check", write_record(text))
        assert result.exit_code == 2 and "comms.link: expected a web address" in result.output


# --- 4. data stays literal in every output ---------------------------------------------------------------

class _Alts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def test_markdown_and_csv_outputs_keep_data_literal(write_record, configs, tmp_path):
    title, short = "<b>Bold</b> | piped", "@SUM(1+1)|<i>x</i>"
    legal = "Test `Partner` [Assoc](https://evil.example) *Star* _u_ #1"
    text = comms_record(**{"title: Test partnership": f"title: '{title}'", "short_name: TPA": f"short_name: '{short}'",
                           "legal_name: Test Partner Association": f"legal_name: '{legal}'"})
    out = tmp_path / "out"
    result = run("--configs", configs, "comms", write_record(text), "--out", out)
    assert result.exit_code == 0, result.output
    comms = out / "T-001" / "comms"
    social = markdown.markdown((comms / "social.en.md").read_text(), extensions=["fenced_code"])
    assert "<b>" not in social and "<i>" not in social
    assert "&lt;b&gt;Bold&lt;/b&gt; | piped" in social.replace("&lt;b>", "&lt;b&gt;").replace("&lt;/b>", "&lt;/b&gt;")
    plan = markdown.markdown((comms / "posting-plan.en.md").read_text(), extensions=["tables"])
    rows = plan.split("<tr>")[2:]
    assert len(rows) == 5 and all(row.count("<td>") == 10 for row in rows)  # four posts and the closing one
    assert "<i>" not in plan
    table = list(csv.reader(io.StringIO((comms / "posting-plan.en.csv").read_text())))
    assert {row[2] for row in table[1:]} == {"HSI", "'" + short}
    page = _Alts()
    page.feed((comms / "press-release.en.html").read_text())
    assert f"{legal} logo" in page.alts


# --- 5. checks that pass or fail rightly ------------------------------------------------------------------

@pytest.mark.parametrize("handle", ["''", "'@'", "' @ '"])
def test_empty_social_handle_is_refused(write_record, handle):
    text = comms_record(**{"x: '@TPA_NE'": f"x: {handle}"})
    result = run("check", write_record(text))
    assert result.exit_code == 2 and "partner.social.x: is empty" in result.output


def test_two_paragraph_about_and_windows_line_ends_pass(write_record, configs, tmp_path):
    about = "  about:\n    en: \"Test Partner Association works.\\r\\n\\r\\nIt was founded in 2001.\"\n"
    text = comms_record(**{"  about: {en: Test Partner Association works with farmers in Niger.}\n": about,
                           'quote: "Our members lead this work."': 'quote: "Our members\\r\\nlead this work."'})
    out = tmp_path / "out"
    result = run("--configs", configs, "comms", write_record(text), "--out", out)
    assert result.exit_code == 0, result.output
    release = docx.Document(out / "T-001" / "comms" / "press-release.en.docx")
    body = "\n".join(p.text for p in release.paragraphs)
    assert "It was founded in 2001." in body and "\r" not in body


def test_messages_quote_data_on_one_line(write_record):
    text = RECORD.replace("currency: USD", 'currency: "USD\\nERROR: ALL GOOD"')
    result = run("check", write_record(text))
    assert result.exit_code == 2
    assert not any(line.startswith("ERROR") for line in result.output.splitlines())
    assert "'USD\\nERROR: ALL GOOD' is not an ISO 4217 currency code" in result.output
    result = run("check", write_record(RECORD + '"x\\nERROR: ALL GOOD": 1\n'))
    assert not any(line.startswith("ERROR") for line in result.output.splitlines())
    assert "'x\\nERROR: ALL GOOD': unknown field" in result.output


# --- 9. inputs that must be accepted, or refused clearly ---------------------------------------------------------

def test_json_record_with_surrogate_pair_escapes(tmp_path, configs):
    data = yaml.safe_load(RECORD)
    data["title"] = "Seeds 🌱 for Maradi"
    data["start"], data["end"] = "2027-01-15", "2027-12-31"
    path = tmp_path / "r.json"
    text = json.dumps(data, indent=2)  # ensure_ascii: the emoji becomes \ud83c\udf31
    assert "\\ud83c\\udf31" in text
    path.write_text(text)
    make_logo(tmp_path / "logo.png")
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", path, "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    document = docx.Document(next((out / "T-001" / "contract").glob("*.docx")))
    assert document.core_properties.title == "Seeds 🌱 for Maradi"
    bad = text.replace('"currency": "USD"', '"currency": "EUX"')
    path.write_text(bad)
    result = run("check", path)
    assert result.exit_code == 2 and f"{path}:{line_of(bad, 'EUX')}: funding.currency: 'EUX'" in result.output


def test_cmyk_jpeg_logo_is_embedded_as_rgb(write_record, configs, tmp_path):
    path = write_record(RECORD.replace("logo: logo.png", "logo: logo.jpg"))
    Image.new("CMYK", (600, 200), (10, 80, 150, 0)).save(path.parent / "logo.jpg", "JPEG")
    out = tmp_path / "out"
    result = run("--configs", configs, "generate", path, "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(next((out / "T-001" / "contract").glob("*.docx"))) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        modes = {Image.open(io.BytesIO(package.read(n))).mode for n in media}
    assert media and "CMYK" not in modes


def test_banner_logo_is_refused_clearly(write_record):
    path = write_record()
    make_logo(path.parent / "logo.png", size=(4000, 1))
    result = run("check", path)
    assert result.exit_code == 2 and "4000 x 1 pixels; a logo needs at least 16 pixels" in result.output


def test_semicolon_csv_as_european_excel_writes_it(configs, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_logo(folder / "logo.png")
    row = [v.date().isoformat() if isinstance(v, datetime) else v for v in collaboration_row("SEMI-1")]
    with open(folder / "partnerships.csv", "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, delimiter=";").writerows([HEADER, row])
    out = tmp_path / "out"
    result = run("--configs", configs, "batch", folder / "partnerships.csv", "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    assert "Association Sahel Vert" in contract_text(next((out / "SEMI-1" / "contract").glob("*.docx")))


def test_duplicate_columns_and_sheets_are_errors(configs, tmp_path):
    source = make_book(tmp_path / "cols", HEADER + ["title"], [collaboration_row("D-1") + ["Other"]])
    result = run("--configs", configs, "batch", source, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "column 'title' appears more than once" in result.output
    source = make_book(tmp_path / "sheets", HEADER, [collaboration_row("D-1")],
                       {"budget": LISTS["budget"], "Budget ": LISTS["budget"]})
    result = run("--configs", configs, "batch", source, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "two sheets are named 'Budget'" in result.output


@pytest.mark.parametrize("countries, message", [
    ("[ZZ]", "countries[0]: 'ZZ' is not an ISO 3166-1 alpha-2 country code"),
    ("[EU]", "countries[0]: 'EU' is not an ISO 3166-1 alpha-2 country code"),
    ("[NE, ML, NE]", "countries: 'NE' listed more than once"),
])
def test_countries_that_are_no_country_or_repeated(write_record, countries, message):
    result = run("check", write_record(RECORD.replace("countries: [NE]", f"countries: {countries}")))
    assert result.exit_code == 2 and message in result.output
