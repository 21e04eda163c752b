"""Issue 9, items 2, 9 and 10: every figure, period, count or condition a
clause states comes from the record or the configuration. Tested as a
property: change the value, render the agreement, read it back with
python-docx; the old wording is gone and the new one is there."""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from generator.config import load_config
from generator.contracts import render_contract
from generator.errors import InputError
from generator.records import load_record
from generator.tiers import select_tier

from .conftest import RECORD

NBSP = "\u00a0"

# A standard grant (USD 60,000, 12 months, one country) with two advances.
STANDARD = (RECORD.replace("amount: 20000\n", "amount: 60000\n")
            .replace("{line: Staff, amount: 12000}", "{line: Staff, amount: 36000}")
            .replace("{line: Training, amount: 8000}", "{line: Training, amount: 24000}")
            .replace("{amount: 10000, release: on_signature}", "{amount: 30000, release: on_signature}")
            .replace("{amount: 10000, release: {liquidated_percent: 70, of_tranche: 1}}",
                     "{amount: 30000, release: {liquidated_percent: 70, of_tranche: 1}}"))
COMPLEX = STANDARD + "tier: {name: complex-award, reason: donor rules apply}\n"
SMALL = RECORD
NO_FUNDS = RECORD[: RECORD.index("funding:")] + RECORD[RECORD.index("start:"):]
THREE_TRANCHES = ("    - {amount: 30000, release: {liquidated_percent: 70, of_tranche: 1}}",
                  "    - {amount: 20000, release: {liquidated_percent: 70, of_tranche: 1}}\n"
                  "    - {amount: 10000, release: {liquidated_percent: 90, of_tranche: 2}}")
# 10% of the direct lines (54,545.45) is 5,454.55: together USD 60,000.00.
INDIRECT = ("  currency: USD\n  budget:\n    - {line: Staff, amount: 36000}\n    - {line: Training, amount: 24000}\n",
            "  currency: USD\n  indirect_rate: 10\n  budget:\n    - {line: Staff, amount: 36000}\n"
            "    - {line: Training, amount: 18545.45}\n"
            "    - {line: Indirect costs, amount: 5454.55, indirect: true}\n")
FINAL = ("    - {amount: 30000, release: {liquidated_percent: 70, of_tranche: 1}}\n",
         "    - {amount: 24000, release: {liquidated_percent: 70, of_tranche: 1}}\n"
         "  final_payment: {upon: final_report_approval}\n")


def agreement(record_text: str, configs: Path, tmp_path: Path, name: str = "record.yaml") -> str:
    """The rendered agreement's text (paragraphs and table cells), as python-docx reads it."""
    from .conftest import make_logo

    folder = tmp_path / "records"
    make_logo(folder / "logo.png")
    path = folder / name
    path.write_text(record_text, encoding="utf-8")
    config = load_config(configs)
    loaded = load_record(path)
    contract = render_contract(loaded, config, select_tier(loaded.record, config))
    document = docx.Document(io.BytesIO(contract.data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def edit_policy(configs: Path, key: str, value: str) -> None:
    path = configs / "policy.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, l in enumerate(lines) if l.startswith(f"{key}:"))
    lines[line] = f"{key}: {value}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# (id, base record, record change (old, new) or None, policy change (key, value) or None,
#  wording before, wording after)
CASES = [
    ("tranche count", STANDARD, THREE_TRANCHES, None, "in 2 tranches", "in 3 tranches"),
    ("release percentage", COMPLEX, ("liquidated_percent: 70", "liquidated_percent: 85"), None,
     "tranche 2: when at least 70% of tranche 1", "tranche 2: when at least 85% of tranche 1"),
    ("released on which tranche", COMPLEX, THREE_TRANCHES, None,
     "(tranche 2: when at least 70% of tranche 1 has been liquidated)",
     "tranche 3: when at least 90% of tranche 2 has been liquidated"),
    ("first tranche", STANDARD, ("{amount: 30000, release: on_signature}\n    - {amount: 30000,",
                                 "{amount: 35000, release: on_signature}\n    - {amount: 25000,"),
     None, f"The first Tranche, of USD{NBSP}30,000.00", f"The first Tranche, of USD{NBSP}35,000.00"),
    ("final payment", STANDARD, FINAL, None, "by cash advances, in 2 tranches, according",
     f"The balance of the Grant, USD{NBSP}6,000.00 (10% of the Grant), is not advanced"),
    ("final payment in the small grant", SMALL,
     ("    - {amount: 10000, release: {liquidated_percent: 70, of_tranche: 1}}\n",
      "    - {amount: 8000, release: {liquidated_percent: 70, of_tranche: 1}}\n"
      "  final_payment: {upon: final_report_approval}\n"),
     None, "in advance, in 2 tranches, in accordance", f"The balance of the Grant, USD{NBSP}2,000.00 (10% of the Grant)"),
    ("indirect rate", STANDARD, INDIRECT, None, "No indirect-cost recovery is paid under this Agreement",
     f"equal to 10% of the eligible direct costs. The budget shows it as the line “Indirect costs”, of "
     f"USD{NBSP}5,454.55, that is 10% of the direct budget lines (USD{NBSP}54,545.45)"),
    ("indirect rate in the complex award", COMPLEX, INDIRECT, None, "No indirect-cost rate applies to the Grant",
     "at a flat rate of 10% of the eligible direct costs"),
    ("risk rating", STANDARD, ("    weaknesses: [No audit yet]", "    weaknesses: [No audit yet]\n"
                               "    risks: [{risk: Insecurity, rating: high, mitigation: Remote monitoring}]"),
     None, "overall risk rating, which is low", "overall risk rating, which is high"),
    ("lead office", STANDARD, ("countries: [NE]", "countries: [NE]\nlead_office: Nairobi"), None,
     "Jane Doe", "Grace Wanjiru"),
    ("partner contact title", STANDARD, ("title: Programme Manager", "title: Head of Programmes"), None,
     "Programme Manager", "Head of Programmes"),
    ("duration", COMPLEX, ("end: 2027-12-31", "end: 2028-06-30"), None, "(12 months)", "(18 months)"),
    ("notice days", STANDARD, None, ("notice_days", "45"), "30 days’ written notice", "45 days’ written notice"),
    ("cure days", STANDARD, None, ("cure_days", "21"), "within 14 days", "within 21 days"),
    ("records years", STANDARD, None, ("records_years", "7"), "for 5 years", "for 7 years"),
    ("final report days", STANDARD, None, ("final_report_days", "60"), "30 January 2028", "29 February 2028"),
    ("refund days", STANDARD, None, ("refund_days", "120"), "30 March 2028", "29 April 2028"),
    ("procurement threshold", STANDARD, None, ("procurement_threshold", "7500"), f"USD{NBSP}5,000.00",
     f"USD{NBSP}7,500.00"),
    ("audit threshold", COMPLEX, None, ("audit_threshold", "250000"), f"USD{NBSP}300,000.00", f"USD{NBSP}250,000.00"),
    ("reporting period", STANDARD, None, ("report_every_months", "6"), "reporting period of 3 months",
     "reporting period of 6 months"),
    ("reporting period in the complex award", COMPLEX, None, ("report_every_months", "1"),
     "reporting period of 3 months", "reporting period of 1 month counted"),
]


@pytest.mark.parametrize("base, change, policy, before, after",
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_clause_wording_follows_the_data(configs, tmp_path, base, change, policy, before, after):
    """The value as first given is stated; changed, the old wording is gone and the new one is there."""
    original = agreement(base, configs, tmp_path / "a")
    assert before in original and after not in original
    changed_record = edit(base, *change) if change else base
    if policy:
        edit_policy(configs, *policy)
    changed = agreement(changed_record, configs, tmp_path / "b")
    assert after in changed
    assert before not in changed


def test_final_payment_days_come_from_the_policy(configs, tmp_path):
    record = edit(STANDARD, *FINAL)
    assert "within 30 days of the Lead Organisation’s written approval" in agreement(record, configs, tmp_path / "a")
    edit_policy(configs, "final_payment_days", "45")
    text = agreement(record, configs, tmp_path / "b")
    assert "within 45 days of the Lead Organisation’s written approval" in text
    assert "within 30 days of the Lead Organisation’s written approval" not in text


def test_complex_award_states_no_fixed_percentage_or_quarterly_request(configs, tmp_path):
    """12.4 said 'seventy per cent (70%)' whatever the schedule; requests came 'each Quarter'."""
    text = agreement(edit(COMPLEX, "liquidated_percent: 70", "liquidated_percent: 80"), configs, tmp_path)
    assert "seventy per cent" not in text and "70%" not in text
    assert "requested each Quarter" not in text
    assert "reflects the Partner’s risk rating" not in text
    assert "(tranche 2: when at least 80% of tranche 1 has been liquidated)" in text


def test_one_advance_has_no_clause_about_later_tranches(configs, tmp_path):
    record = edit(edit(STANDARD, "{amount: 30000, release: on_signature}", "{amount: 60000, release: on_signature}"),
                  "    - {amount: 30000, release: {liquidated_percent: 70, of_tranche: 1}}\n", "")
    text = agreement(record, configs, tmp_path)
    assert "in 1 tranche," in text and "tranche(s)" not in text and "1 tranches" not in text
    assert "Each subsequent Tranche" not in text and "requests each subsequent Tranche" not in text


@pytest.mark.parametrize("language, two, three", [("fr", "en 2 tranches", "en 3 tranches"),
                                                   ("es", "en 2 tramos", "en 3 tramos")])
def test_tranche_count_in_french_and_spanish(configs, tmp_path, language, two, three):
    base = edit(SMALL, "language: en", f"language: {language}")
    assert two in agreement(base, configs, tmp_path / "a")
    text = agreement(edit(base, "    - {amount: 10000, release: {liquidated_percent: 70, of_tranche: 1}}",
                          "    - {amount: 6000, release: {liquidated_percent: 70, of_tranche: 1}}\n"
                          "    - {amount: 4000, release: {liquidated_percent: 70, of_tranche: 2}}"), configs, tmp_path / "b")
    assert three in text and two not in text


@pytest.mark.parametrize("language, one", [("en", "in 1 tranche,"), ("fr", "en 1 tranche,"), ("es", "en 1 tramo,")])
def test_one_tranche_is_singular_in_every_language(configs, tmp_path, language, one):
    record = edit(edit(edit(SMALL, "language: en", f"language: {language}"),
                       "{amount: 10000, release: on_signature}", "{amount: 20000, release: on_signature}"),
                  "    - {amount: 10000, release: {liquidated_percent: 70, of_tranche: 1}}\n", "")
    text = agreement(record, configs, tmp_path)
    assert one in text and "(s)" not in text


def test_no_template_source_writes_a_plural_in_brackets():
    sources = Path(__file__).resolve().parent.parent / "contract_templates" / "source"
    for path in sources.glob("*.yaml"):
        assert "(s)" not in path.read_text(encoding="utf-8"), path.name


def test_memorandum_gives_no_one_power_over_funds(configs, tmp_path):
    """The no-funds memorandum's officers annex named 'requests for funds'."""
    document_text = agreement(NO_FUNDS, configs, tmp_path)
    assert "requests for funds" not in document_text.lower()
    assert "Day-to-day coordination of the collaboration and correspondence" in document_text


# --- money left unscheduled, indirect costs against the budget (item 2) -----------------

def problems(record_text: str, tmp_path: Path) -> list[str]:
    from .conftest import make_logo

    make_logo(tmp_path / "logo.png")
    path = tmp_path / "record.yaml"
    path.write_text(record_text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_record(path)
    return [str(p) for p in info.value.problems]


def test_advances_short_of_the_amount_are_an_error(tmp_path):
    text = edit(STANDARD, "{amount: 30000, release: {liquidated_percent: 70", "{amount: 20000, release: {liquidated_percent: 70")
    found = problems(text, tmp_path)
    assert len(found) == 1 and "funding.advances: advances add up to 50,000.00, less than funding.amount 60,000.00" \
        in found[0] and "the remaining 10,000.00" in found[0] and "final_payment: {upon: final_report_approval}" in found[0]


def test_no_advances_and_no_final_payment_is_an_error(tmp_path):
    text = STANDARD[: STANDARD.index("  advances:")] + STANDARD[STANDARD.index("start:"):]
    assert any("advances add up to 0.00, less than funding.amount 60,000.00" in p for p in problems(text, tmp_path))


def test_final_payment_with_nothing_left_is_an_error(tmp_path):
    text = edit(STANDARD, "  advances:", "  final_payment: {upon: final_report_approval}\n  advances:")
    assert any("nothing is left for funding.final_payment" in p for p in problems(text, tmp_path))


def test_stated_rate_without_its_budget_line_is_an_error(tmp_path):
    """The issue's case: 10% stated, no line holds it, the amount equals the direct lines."""
    text = edit(STANDARD, "  currency: USD", "  currency: USD\n  indirect_rate: 10")
    assert any("funding.indirect_rate is 10% but no budget line holds it" in p for p in problems(text, tmp_path))


def test_indirect_line_must_be_the_rate_of_the_direct_lines(tmp_path):
    text = edit(edit(STANDARD, *INDIRECT), "indirect_rate: 10", "indirect_rate: 7")
    found = problems(text, tmp_path)
    assert any("budget[2] (Indirect costs) is 5,454.55 but 7% of the direct lines (54,545.45) is 3,818.18; "
               "the stated rate and the budget must agree" in p for p in found)


def test_indirect_line_without_a_rate_is_an_error(tmp_path):
    text = edit(edit(STANDARD, *INDIRECT), "  indirect_rate: 10\n", "")
    assert any("is the indirect-cost line but funding.indirect_rate is not stated" in p for p in problems(text, tmp_path))


@pytest.mark.parametrize("language, change, policy, before, after", [
    ("fr", ("liquidated_percent: 70", "liquidated_percent: 85"), None,
     f"tranche 2{NBSP}: lorsqu'au moins 70{NBSP}% de la tranche 1", f"tranche 2{NBSP}: lorsqu'au moins 85{NBSP}% de la tranche 1"),
    ("es", ("liquidated_percent: 70", "liquidated_percent: 85"), None,
     f"tramo 2: cuando se haya legalizado al menos el 70{NBSP}% del tramo 1",
     f"tramo 2: cuando se haya legalizado al menos el 85{NBSP}% del tramo 1"),
    ("fr", None, ("report_every_months", "6"), "période de rapport de 3 mois", "période de rapport de 6 mois"),
    ("es", None, ("report_every_months", "1"), "período de informe de 3 meses", "período de informe de 1 mes"),
    ("fr", FINAL, None, "en 2 tranches sous forme d’Avances, selon",
     f"Le solde de la Subvention, soit 6{chr(0x202f)}000,00{NBSP}USD (10{NBSP}% de la Subvention)"),
    ("es", INDIRECT, None, "A la Subvención no se aplica ninguna tasa de costos indirectos",
     f"a una tasa fija del 10{NBSP}% de los costos directos"),
])
def test_french_and_spanish_clauses_follow_the_data(configs, tmp_path, language, change, policy, before, after):
    """Spaces compared as spaces: which ones are no-break is typography, not data."""
    base = edit(COMPLEX, "language: en", f"language: {language}")
    before, after = spaces(before), spaces(after)
    original = spaces(agreement(base, configs, tmp_path / "a"))
    assert before in original and after not in original
    if policy:
        edit_policy(configs, *policy)
    changed = spaces(agreement(edit(base, *change) if change else base, configs, tmp_path / "b"))
    assert after in changed and before not in changed


def spaces(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


@pytest.mark.parametrize("language, one, wrong", [("en", "1 month", "1 months"), ("fr", "1 mois", "1 de mois"),
                                                 ("es", "1 mes", "1 meses")])
@pytest.mark.parametrize("base", [SMALL, COMPLEX, NO_FUNDS], ids=["small-grant", "complex-award", "collaboration"])
def test_a_one_month_partnership_is_singular(configs, tmp_path, base, language, one, wrong):
    record = edit(edit(base, "language: en", f"language: {language}"), "end: 2027-12-31", "end: 2027-02-10")
    text = agreement(record, configs, tmp_path).replace(NBSP, " ")
    assert one in text and wrong not in text


def test_without_a_rate_no_clause_presumes_an_indirect_cost_line(configs, tmp_path):
    for base in (STANDARD, COMPLEX):
        text = agreement(base, configs, tmp_path / str(len(base)))
        assert "the indirect-cost line is not increased" not in text
        assert "the line for indirect costs is not increased" not in text
        assert "Advance balances and indirect costs" not in text


@pytest.mark.parametrize("sub_partners", [False, True])
def test_sub_partners_share_indirect_costs_only_when_the_grant_has_some(configs, tmp_path, sub_partners):
    """A complex award without an indirect-cost rate asks no one to pass indirect costs on to sub-partners."""
    base = COMPLEX.replace("countries: [NE]", "countries: [NE]\nsub_partners: [{name: Radio Kalangou, country: NE, role: radio programmes}]") if sub_partners else COMPLEX
    passes_on = "fair share of indirect costs"
    assert passes_on not in agreement(base, configs, tmp_path / "none")
    with_rate = agreement(edit(base, *INDIRECT), configs, tmp_path / "rate")
    assert (passes_on in with_rate) == sub_partners
