"""What the action is, what each Party contributes and, in a research
partnership, who writes, owns and publishes what (issue 16): each agreement
is generated from a record written here and read back with python-docx; the
figures expected are worked out by hand from the record."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest
import yaml

from generator.config import load_config
from generator.generate import generate

from .conftest import BUNDLED_CONFIGS, RECORD, cli_run, line_of
from .test_deal_terms import STANDARD

ACTION = """\
action:
  objective: Households in Tillabéri keep their seed stock through the lean season
  results:
    - result: Seed banks run by the villages
      indicator: Villages with a seed bank managed by an elected committee
      baseline: Two villages
      target: Twelve villages
    - result: Farmers trained in storage
      indicator: Farmers applying hermetic storage
      target: 400 farmers, half of them women
  activities:
    - {activity: Build and stock the seed banks, result: 1, start: 2027-02-01, end: 2027-06-30}
    - {activity: Train farmers in hermetic storage, result: 2}
"""


def documents(write_record, configs, tmp_path, text: str) -> docx.document.Document:
    outcome = generate(write_record(text), load_config(configs), tmp_path / "out", only="contract")
    (path,) = [f.path for f in outcome.files if f.path.suffix == ".docx"]
    return docx.Document(path)


def plain(text: str) -> str:
    """Text as read: money keeps its currency on the same line with a no-break space."""
    return text.replace("\u00a0", " ")


def paragraphs(document) -> str:
    return plain("\n".join(p.text for p in document.paragraphs))


def table_with(document, cell_text: str) -> list[list[str]]:
    """The rows of the first table that has a cell reading ``cell_text``."""
    for table in document.tables:
        rows = [[plain(cell.text) for cell in row.cells] for row in table.rows]
        if any(cell_text in row for row in rows):
            return rows
    raise AssertionError(f"no table has a cell {cell_text!r}")


def row_of(rows: list[list[str]], first: str) -> list[str]:
    return next(row for row in rows if first in row)


# --- the description of the action ----------------------------------------------------------

def test_standard_grant_annexes_the_description_of_the_action(write_record, configs, tmp_path):
    document = documents(write_record, configs, tmp_path, STANDARD + ACTION)
    text = paragraphs(document)
    assert "Annex D – Description of the Action" in text
    assert "Households in Tillabéri keep their seed stock through the lean season" in text
    results = table_with(document, "Seed banks run by the villages")
    assert row_of(results, "Seed banks run by the villages")[-3:] == [
        "Villages with a seed bank managed by an elected committee", "Two villages", "Twelve villages"]
    second = row_of(results, "Farmers trained in storage")
    assert "Farmers applying hermetic storage" in second and "400 farmers, half of them women" in second
    activities = table_with(document, "Build and stock the seed banks")
    dated = row_of(activities, "Build and stock the seed banks")
    assert "1 February 2027 – 30 June 2027" in dated
    undated = row_of(activities, "Train farmers in hermetic storage")
    assert "2" in undated and not any("2027" in cell for cell in undated)  # serves result 2; no period given


def test_without_an_action_the_standard_grant_has_no_such_annex(write_record, configs, tmp_path):
    text = paragraphs(documents(write_record, configs, tmp_path, STANDARD))
    assert "Description of the Action" not in text


def test_small_grant_prints_the_short_form(write_record, configs, tmp_path):
    document = documents(write_record, configs, tmp_path, RECORD + ACTION)
    text = paragraphs(document)
    assert "Annex D" not in text and "Households in Tillabéri keep their seed stock" in text
    short = table_with(document, "Seed banks run by the villages")
    assert "Twelve villages" in row_of(short, "Seed banks run by the villages")
    bullets = [p.text for p in document.paragraphs if "Build and stock the seed banks" in p.text]
    assert bullets and "1 February 2027" in bullets[0] and "30 June 2027" in bullets[0]
    assert any(p.text.startswith("Train farmers in hermetic storage") for p in document.paragraphs)


def test_bundled_complex_award_annexes_each_result_of_its_record(tmp_path):
    path = BUNDLED_CONFIGS / "partnerships" / "psh-2026-052.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    outcome = generate(path, load_config(BUNDLED_CONFIGS), tmp_path / "out", only="contract")
    document = docx.Document(next(f.path for f in outcome.files if f.path.suffix == ".docx"))
    assert "complex-award" in outcome.files[0].path.name
    assert "Annex E – Description of the Action" in paragraphs(document)
    for result in record["action"]["results"]:
        rows = table_with(document, result["result"].strip())
        row = row_of(rows, result["result"].strip())
        assert result["indicator"].strip() in row and str(result["target"]).strip() in row
    for activity in record["action"]["activities"]:
        assert any(activity["activity"] in cell for row in table_with(document, activity["activity"]) for cell in row)


# --- contributions and the co-financing table ------------------------------------------------

CONTRIBUTIONS = """\
contributions:
  - {party: partner, type: cash, description: Members' savings put into the seed banks, value: 6000}
  - {party: lead, type: in_kind, description: Agronomist's time (40 days), value: 4000}
"""


def test_contributions_and_the_total_cost_of_the_programme(write_record, configs, tmp_path):
    document = documents(write_record, configs, tmp_path, STANDARD + CONTRIBUTIONS)
    text = paragraphs(document)
    # 60,000 of grant + 6,000 cash + 4,000 in kind
    assert "The total cost of the Programme is thus USD 70,000.00, of which the Grant finances 85.7%" in text
    listed = table_with(document, "Members' savings put into the seed banks")
    assert "USD 6,000.00" in row_of(listed, "Members' savings put into the seed banks")
    assert "USD 4,000.00" in row_of(listed, "Agronomist's time (40 days)")
    shares = table_with(document, "USD 70,000.00")
    grant = next(row for row in shares if "USD 60,000.00" in row)
    assert "85.7%" in grant  # 60,000 / 70,000 = 85.71…
    assert "8.6%" in next(row for row in shares if "USD 6,000.00" in row)  # 8.57…
    assert "5.7%" in next(row for row in shares if "USD 4,000.00" in row)  # 5.71…


def test_shares_of_the_total_add_up_to_one_hundred(write_record, configs, tmp_path):
    """Three equal parts: 33.3% each would make 99.9%; the table says 100.0% in all."""
    equal = CONTRIBUTIONS.replace("value: 6000", "value: 60000").replace("value: 4000", "value: 60000")
    shares = table_with(documents(write_record, configs, tmp_path, STANDARD + equal), "USD 180,000.00")
    figures = [cell for row in shares for cell in row if cell.endswith("%")]
    assert figures[-1] == "100.0%"  # the total row
    values = [Decimal(cell.rstrip("%")) for cell in figures[:-1]]
    assert len(values) == 3 and sum(values) == 100 and sorted(values) == [Decimal("33.3")] * 2 + [Decimal("33.4")]


def test_an_unvalued_in_kind_contribution_leaves_out_the_co_financing_table(write_record, configs, tmp_path):
    document = documents(write_record, configs, tmp_path, STANDARD + CONTRIBUTIONS.replace(", value: 4000", ""))
    listed = table_with(document, "Agronomist's time (40 days)")
    assert "USD 6,000.00" in row_of(listed, "Members' savings put into the seed banks")
    assert "The total cost of the Programme" not in paragraphs(document)


# --- research terms -------------------------------------------------------------------------

RESEARCH = """\
research:
  lead_author: partner
  data_owner: partner
  results_owner: joint
  review_days: 21
  personal_data: true
  data_sharing: Anonymised interview transcripts, through encrypted storage
  ethics:
    committee: Ethics Committee of Abdou Moumouni University
"""


def research_record(base: str = STANDARD, terms: str = RESEARCH) -> str:
    return base.replace("kind: implementing", "kind: research").replace(
        "type: civil_society", "type: academic") + terms


def test_research_annex_with_pending_ethics_approval(write_record, configs, tmp_path):
    text = paragraphs(documents(write_record, configs, tmp_path, research_record()))
    assert "Annex D – Research terms" in text  # no description of the action: the research annex is D
    assert "The research protocol is submitted to the Ethics Committee of Abdou Moumouni University for approval" in text
    assert "No data is collected from participants" in text
    assert "The Partner’s researchers lead the writing of the main publications" in text
    assert "at least 21 days in advance" in text
    assert "The research data collected under this Agreement belong to the Partner." in text
    assert "The Parties share data as follows: Anonymised interview transcripts, through encrypted storage." in text
    assert "The research collects personal data of participants." in text
    assert "belongs to both Parties jointly" in text
    assert "Publications are open access" in text  # the default
    assert "Annex D – Research terms" in next(p for p in text.splitlines() if "intellectual property in the research" in p)


def test_research_annex_after_the_description_of_the_action_and_approved_ethics(write_record, configs, tmp_path):
    terms = ("research:\n  lead_author: lead\n  data_owner: lead\n  results_owner: partner\n  open_access: false\n"
             "  personal_data: true\n  ethics:\n    committee: Ethics Committee of Abdou Moumouni University\n"
             "    reference: EC-2027-014\n    approved_on: 2027-01-10\n")
    text = paragraphs(documents(write_record, configs, tmp_path, research_record(STANDARD + ACTION, terms)))
    assert "Annex D – Description of the Action" in text and "Annex E – Research terms" in text
    assert ("The research protocol was approved by the Ethics Committee of Abdou Moumouni University on "
            "10 January 2027 (reference EC-2027-014).") in text
    assert "No data is collected from participants" not in text
    assert "The Lead Organisation’s researchers lead the writing" in text
    assert "belong to the Lead Organisation" in text
    assert "belongs to the Partner, which grants the Lead Organisation" in text
    assert "Publications are open access" not in text and "freely available summary" in text


def test_research_without_participants_or_personal_data(write_record, configs, tmp_path):
    terms = ("research:\n  lead_author: joint\n  data_owner: joint\n  results_owner: lead\n"
             "  personal_data: false\n  human_participants: false\n")
    text = paragraphs(documents(write_record, configs, tmp_path, research_record(terms=terms)))
    assert "The research involves no human participants" in text
    assert "The research collects no personal data" in text
    assert "research protocol" not in text
    assert "Before writing begins, the Parties agree for each main publication which of them leads it" in text


NON_FINANCIAL = RECORD.split("funding:")[0] + "start:" + RECORD.split("start:")[1].split("assessment:")[0]


@pytest.mark.parametrize("kind", ["research", "market_based", "advocacy"])
def test_collaboration_areas_follow_the_kind(write_record, configs, tmp_path, kind):
    text = NON_FINANCIAL.replace("kind: implementing", f"kind: {kind}")
    if kind == "research":
        text = text.replace("type: civil_society", "type: academic") + (
            "research:\n  lead_author: joint\n  data_owner: joint\n  results_owner: joint\n"
            "  personal_data: false\n  human_participants: false\n")
    document = documents(write_record, configs, tmp_path, text)
    body = paragraphs(document)
    assert "COLLABORATION" in body.upper()
    assert ("market" in body.lower()) == (kind == "market_based")
    assert ("Annex C – Research terms" in body) == (kind == "research")
    assert ("(a) joint research, from the design of its questions" in body) == (kind == "research")


def test_collaboration_lists_what_each_side_contributes(write_record, configs, tmp_path):
    text = NON_FINANCIAL + ("contributions:\n"
                            "  - {party: partner, type: in_kind, description: Meeting rooms in Niamey}\n"
                            "  - {party: lead, type: in_kind, description: Two days of legal advice a month}\n")
    document = documents(write_record, configs, tmp_path, text)
    rows = table_with(document, "Meeting rooms in Niamey")
    assert any("Two days of legal advice a month" in row for row in rows)
    assert not any("USD" in cell for row in rows for cell in row)


# --- bad input: exit 2, the file, the line, what is expected ----------------------------------

@pytest.mark.parametrize("text, fragment, says", [
    # each item's error at the item's own line, with its path
    (STANDARD + CONTRIBUTIONS.replace(", value: 6000", ""), "Members' savings",
     "contributions[0]: a cash contribution needs its value in USD"),
    (NON_FINANCIAL + "contributions:\n  - {party: lead, type: in_kind, description: Rooms, value: 100}\n",
     "description: Rooms", "contributions[0].value: a value, but no funds pass"),
    (STANDARD + CONTRIBUTIONS.replace("value: 4000", "value: 4000.555"), "Agronomist's time",
     "contributions[1].value: "),
    (STANDARD + RESEARCH, "research:", "research terms are for a research partnership, and this one is implementing"),
    (STANDARD.replace("kind: implementing", "kind: research"), "kind: research", "states its research terms"),
    (STANDARD + ACTION.replace("end: 2027-06-30", "end: 2028-06-30"), "Build and stock",
     "action.activities[0].start: runs from 2027-02-01 to 2028-06-30, outside the partnership"),
    (STANDARD + ACTION.replace("result: 2}", "result: 3}"), "Train farmers",
     "action.activities[1].result: serves result 3, but action.results lists 2"),
])
def test_bad_terms_name_their_line(write_record, tmp_path, text, fragment, says):
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    assert f"{record}:{line_of(text, fragment)}:" in result.output and says in result.output, result.output
    assert "Traceback" not in result.output


# --- the workbook holds them too --------------------------------------------------------------

def test_a_workbook_row_for_a_research_partnership(tmp_path):
    from .conftest import write_workbook
    from .test_deal_terms import WB_HEADER, WB_ROW

    header = WB_HEADER + ["action.objective", "research.lead_author", "research.data_owner", "research.results_owner",
                          "research.personal_data", "research.ethics.committee", "research.ethics.reference",
                          "research.ethics.approved_on"]
    row = [cell if cell != "implementing" else "research" for cell in WB_ROW] + [
        "Seed systems that farmers trust", "partner", "joint", "joint", "yes", "Comité national d'éthique",
        "CNE-17", "2027-02-15"]
    book = write_workbook(tmp_path / "wb" / "partnerships.xlsx", {
        "partnerships": [header, row],
        "budget": [["id", "line", "amount"], ["WB-1", "Seed purchase", 12000], ["WB-1", "Training", 8000]],
        "advances": [["id", "amount", "release"], ["WB-1", 20000, "on_signature"]],
        "assessment": [["id", "party", "finding", "text"], ["WB-1", "lead", "weakness", "Slow payments"],
                       ["WB-1", "partner", "weakness", "No audit yet"]],
        "results": [["id", "result", "indicator", "target"], ["WB-1", "Varieties compared", "Trials run", "Six trials"]],
        "activities": [["id", "activity", "result", "start", "end"],
                       ["WB-1", "Field trials in Maradi", 1, "2027-04-01", "2027-10-31"]],
        "contributions": [["id", "party", "type", "description", "value"],
                          ["WB-1", "partner", "in_kind", "Trial plots", 1500]],
    })
    out = tmp_path / "out"
    result = cli_run("batch", book, "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    (path,) = (out / "WB-1" / "contract").glob("*.docx")
    document = docx.Document(path)
    text = paragraphs(document) + plain("\n".join(c.text for t in document.tables for r in t.rows for c in r.cells))
    for expected in ("Seed systems that farmers trust", "Varieties compared", "Six trials", "Field trials in Maradi",
                     "1 April 2027", "Trial plots", "USD 1,500.00", "Research terms",
                     "approved by the Comité national d'éthique on 15 February 2027 (reference CNE-17)"):
        assert expected in text, expected


def test_template_sheet_has_the_action_contribution_and_research_columns(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    assert cli_run("batch", "--template-sheet", path).exit_code == 0
    book = load_workbook(path)
    header = [c.value for c in book["partnerships"][1]]
    assert {"action.objective", "research.lead_author", "research.ethics.committee"} <= set(header)
    assert [c.value for c in book["results"][1]] == ["id", "result", "indicator", "baseline", "target"]
    assert [c.value for c in book["activities"][1]] == ["id", "activity", "result", "start", "end"]
    assert [c.value for c in book["contributions"][1]] == ["id", "party", "type", "description", "value"]


# --- in French and Spanish too ----------------------------------------------------------------

# The annex headings and the sentence on the total cost, written here by hand per language; the
# figures are the record's (60,000 + 6,000 + 4,000), formatted as each language writes money.
IN_LANGUAGE = {
    "fr": ("Annexe D – Description de l’action", "Annexe E – Conditions de la recherche",
           "Le coût total du Programme s’élève ainsi à 70 000,00 USD, dont la Subvention finance 85,7 %"),
    "es": ("Anexo D – Descripción de la Acción", "Anexo E – Condiciones de la investigación",
           "El costo total del Programa asciende así a 70.000,00 USD, del cual la Subvención financia el 85,7 %"),
}


@pytest.mark.parametrize("language", sorted(IN_LANGUAGE))
def test_the_new_annexes_and_the_total_cost_in_each_language(write_record, configs, tmp_path, language):
    description, research, total = IN_LANGUAGE[language]
    text = research_record(STANDARD + ACTION + CONTRIBUTIONS).replace("language: en", f"language: {language}")
    document = documents(write_record, configs, tmp_path, text + "translations: fallback\n")
    body = paragraphs(document).replace("\u202f", " ")
    assert description in body and research in body and total in body
    assert "Households in Tillabéri keep their seed stock through the lean season" in body
    assert "Ethics Committee of Abdou Moumouni University" in body
    assert "Twelve villages" in row_of(table_with(document, "Seed banks run by the villages"), "Seed banks run by the villages")
