"""What a partner sees on paper: every bundled example and long-data
variants, converted by LibreOffice and read back page by page (pdftotext).
No page is blank or holds only the header and footer, the signature table
stands on the page of its "IN WITNESS WHEREOF" paragraph, and an annex
heading never ends a page."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import yaml

from generator.config import load_config
from generator.contracts import render_contract
from generator.pdf import to_pdf
from generator.records import load_record
from generator.tiers import select_tier

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SIGNATURE_LINE = "_" * 30
TIER_EXAMPLES = {"collaboration": "psh-2026-030.yaml", "small-grant": "psh-2026-021.yaml",
                 "standard-grant": "psh-2026-041.yaml", "complex-award": "psh-2026-052.yaml"}
LONG_NAME = ("Association des femmes productrices et transformatrices de produits agricoles et forestiers "
             "non ligneux pour la résilience climatique et le développement local durable")


def needs_tools():
    if (shutil.which("soffice") or shutil.which("libreoffice")) and shutil.which("pdftotext"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice (soffice) and poppler (pdftotext) are required under CI=true; .ci/run installs them")
    pytest.skip("LibreOffice (soffice) or poppler (pdftotext) is not installed; the layout tests need both")


def long_variant(source: dict) -> dict:
    """The record with 30 budget lines, 6 risks per party and long names."""
    data = yaml.safe_load(yaml.safe_dump(source))
    if data.get("funding"):
        # The direct costs spread over 30 lines; an indirect-cost line stays as it is (its rate is of the direct total).
        indirect = [line for line in data["funding"]["budget"] if line.get("indirect")]
        direct = Decimal(str(data["funding"]["amount"])) - sum(Decimal(str(line["amount"])) for line in indirect)
        share = (direct / 30).quantize(Decimal(1))
        lines = [share] * 29 + [direct - share * 29]
        data["funding"]["budget"] = [{"line": f"Budget line {n} – activities, staff and travel in the districts",
                                      "amount": float(a)} for n, a in enumerate(lines, 1)] + indirect
    for party in ("lead", "partner"):
        findings = data.setdefault("assessment", {}).setdefault(party, {})
        findings["risks"] = [{"risk": f"Risk {n} of the {party}: delays in procurement and reporting in remote areas",
                              "rating": ["low", "medium", "significant"][n % 3],
                              "mitigation": "Quarterly review with both finance teams and a written follow-up plan"}
                             for n in range(1, 7)]
    data["partner"]["legal_name"] = LONG_NAME
    data["partner"]["signatory"]["name"] = "Marie-Françoise Ouédraogo-Kaboré de la Roche-Guillaume"
    data["partner"]["signatory"]["title"] = "Présidente du Conseil d'administration et représentante légale"
    return data


def cases(tmp: Path) -> dict[str, tuple]:
    """name -> (loaded record, tier choice) for every bundled example, every
    template (each tier's example in each language) and the long variants."""
    config = load_config(BUNDLED_CONFIGS)
    (tmp / "logos").symlink_to(BUNDLED_CONFIGS / "partnerships" / "logos")
    found = {}

    def add(name: str, data: dict) -> None:
        path = tmp / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        loaded = load_record(path)
        found[name] = (loaded, select_tier(loaded.record, config))

    for path in BUNDLED_RECORDS:
        add(path.stem, yaml.safe_load(path.read_text(encoding="utf-8")))
    for tier, example in TIER_EXAMPLES.items():
        source = yaml.safe_load((BUNDLED_CONFIGS / "partnerships" / example).read_text(encoding="utf-8"))
        for language in LANGUAGES:
            add(f"{tier}.{language}", dict(source, language=language, translations="fallback"))
            add(f"{tier}.{language}.long", dict(long_variant(source), language=language, translations="fallback"))
    return config, found


# Arabic is laid out and read back by tests/test_arabic.py: pdftotext splits its diacritics.
LANGUAGES = ("en", "fr", "es", "pt")


def pages_of(pdf: bytes, tmp: Path) -> list[str]:
    path = tmp / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    return " ".join(text.split())


def layout_problems(data: bytes, pdf: bytes, tmp: Path) -> list[str]:
    path = tmp / "document.docx"
    path.write_bytes(data)
    document = docx.Document(path)
    reference = document.sections[0].header.tables[0].rows[0].cells[1].paragraphs[0].text
    body = document.element.body
    annexes = [p.text for p in document.paragraphs if p.style.name == "Annex Heading"]
    table = next(t for t in body.iterfind(f"{W}tbl") if SIGNATURE_LINE in "".join(t.itertext()))
    witness = "".join(table.getprevious().itertext())
    problems = []
    # The page's own text: the header (reference, version) and the footer are left out.
    def own(line: str) -> bool:
        line = line.strip()
        return not (line == reference or line.startswith(f"{reference} – ") or re.fullmatch(r"Versi[oó]n \d+|Versão \d+", line))

    pages = [flat("\n".join(filter(own, page.splitlines()))) for page in pages_of(pdf, tmp)]
    for number, page in enumerate(pages, 1):
        if not page:
            problems.append(f"page {number} of {len(pages)} is blank or holds only the header and footer")
        for heading in annexes:
            if page.endswith(flat(heading)):
                problems.append(f"page {number} ends with the annex heading {heading!r}")
    ending = flat(witness)[-30:]
    witness_pages = [n for n, page in enumerate(pages, 1) if ending in page]
    signature_pages = [n for n, page in enumerate(pages, 1) for _ in range(page.count(SIGNATURE_LINE))]
    if len(witness_pages) != 1 or len(signature_pages) != 4:
        problems.append(f"witness paragraph on pages {witness_pages}, signature lines on pages {signature_pages}")
    elif set(signature_pages) != set(witness_pages):
        problems.append(f"the signature table (page(s) {sorted(set(signature_pages))}) is not on the page of "
                        f"its paragraph {witness[:40]!r}… (page {witness_pages[0]})")
    return problems


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every case rendered and converted to PDF with one LibreOffice start."""
    needs_tools()
    tmp = tmp_path_factory.mktemp("layout")
    config, found = cases(tmp)
    contracts = {name: render_contract(loaded, config, choice).data for name, (loaded, choice) in found.items()}
    pdfs = to_pdf({f"{name}.docx": data for name, data in contracts.items()})
    return tmp, {name: (contracts[name], pdfs[f"{name}.docx"]) for name in found}


def test_every_template_is_exercised_also_with_long_data(rendered):
    """The cases cover every tier in each of LANGUAGES, each also with long data."""
    tmp, results = rendered
    for tier in TIER_EXAMPLES:
        for language in LANGUAGES:
            assert {f"{tier}.{language}", f"{tier}.{language}.long"} <= set(results)
    path = tmp / "read.docx"
    path.write_bytes(results["small-grant.es.long"][0])
    cells = [cell.text for table in docx.Document(path).tables for row in table.rows for cell in row.cells]
    assert sum(c.startswith("Budget line") for c in cells) == 30
    assert sum(c.startswith("Risk ") for c in cells) == 12
    assert LONG_NAME in cells


def test_pages_have_content_signatures_stay_with_their_paragraph_and_annex_headings_never_end_a_page(rendered):
    tmp, results = rendered
    problems = []
    for name, (data, pdf) in sorted(results.items()):
        problems += [f"{name}: {p}" for p in layout_problems(data, pdf, tmp)]
    assert not problems, "\n".join(problems)
