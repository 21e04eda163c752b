"""The donor and its prime award (issue 16, item 1): configs/donors.yaml holds
each donor's rules as a dated list; the agreement names the donor, the award
and the version of each rule in force, and the complex award's Annex D
reproduces them. Read back with python-docx."""
from __future__ import annotations

import pytest

from .conftest import RECORD, cli_run, line_of
from .test_deal_terms import STANDARD, agreement, in_language

DONORS = """\
donors:
  fund-a:
    name: Fund A
    visibility: {credit: Funded by Fund A, logo: fund-a.png}
    rules:
      - {name: General conditions, version_date: 2025-01-01, text: Old general conditions text.}
      - {name: General conditions, version_date: 2026-12-01, text: Current general conditions text.}
      - {name: General conditions, version_date: 2027-06-01, text: Future general conditions text.}
      - {name: Procurement rules, version_date: 2026-03-01, text: Procurement text.}
"""
AWARD = """\
  prime_award:
    donor: fund-a
    award_number: FA/2026/77
    award_start: 2026-11-01
    award_end: 2028-06-30
"""


def funded(text: str, award: str = AWARD) -> str:
    return text.replace("start: 2027-01-15", award + "start: 2027-01-15")


@pytest.fixture
def donor_configs(configs):
    (configs / "donors.yaml").write_text(DONORS, encoding="utf-8")
    return configs


COMPLEX = funded(RECORD.replace("end: 2027-12-31", "end: 2028-06-30").replace("countries: [NE]", "countries: [NE]\n"
                                                                              "sub_partners: [{name: Association B, country: NE, role: outreach}]"))
IN_FORCE = {
    "en": "General conditions (version of 1 December 2026) and Procurement rules (version of 1 March 2026)",
    "fr": "General conditions (version du 1er décembre 2026) et Procurement rules (version du 1er mars 2026)",
    "es": "General conditions (versión del 1 de diciembre de 2026) y Procurement rules (versión del 1 de marzo de 2026)",
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("record, tier", [(funded(RECORD), "small-grant"), (funded(STANDARD), "standard-grant"),
                                          (COMPLEX, "complex-award")])
def test_the_agreement_names_the_donor_award_and_rules_in_force(write_record, donor_configs, tmp_path, record,
                                                                tier, language):
    found, text, _ = agreement(write_record, donor_configs, tmp_path, in_language(record, language))
    assert found == tier
    assert "Fund A" in text and "FA/2026/77" in text
    assert {"en": "1 November 2026", "fr": "1er novembre 2026", "es": "1 de noviembre de 2026"}[language] in text
    assert IN_FORCE[language] in text  # the latest version dated on or before the start, 2027-01-15
    assert "2025" not in text and "Future general conditions" not in text


def test_complex_award_annex_d_reproduces_each_rule_in_force(write_record, donor_configs, tmp_path):
    _, _, articles = agreement(write_record, donor_configs, tmp_path, COMPLEX)
    annex = articles["Annex D – Donor rules"]
    assert "General conditions – version of 1 December 2026" in annex
    assert "Current general conditions text." in annex and "Procurement text." in annex
    assert "Old general conditions" not in annex and "Future general conditions" not in annex
    assert "the Donor’s general conditions for sub" not in annex  # the generic paragraph is gone


def test_without_a_prime_award_the_generic_donor_text_stays(write_record, donor_configs, tmp_path):
    no_award = COMPLEX.replace(AWARD, "")
    _, text, articles = agreement(write_record, donor_configs, tmp_path, no_award)
    assert "Fund A" not in text
    assert "in their dated versions attached" in articles["Donor rules and flow-down"]


def check(write_record, configs, text):
    record = write_record(text)
    result = cli_run("--configs", configs, "check", record)
    return record, result


def test_an_unknown_donor_is_refused_at_its_line(write_record, donor_configs):
    text = funded(RECORD).replace("donor: fund-a", "donor: fund-b")
    record, result = check(write_record, donor_configs, text)
    assert result.exit_code == 2, result.output
    assert (f"{record}:{line_of(text, 'donor: fund-b')}: funding.prime_award.donor: 'fund-b' is not a donor in "
            f"{donor_configs / 'donors.yaml'}; the donors are fund-a") in result.output


def test_the_rules_flow_down_in_the_versions_in_force_at_signature(write_record, donor_configs, tmp_path):
    """Signed on 20 November 2026, before the version of 1 December 2026: the earlier version binds,
    although the work starts after it; without signature_date the start (15 January 2027) decides."""
    text = COMPLEX.replace("start: 2027-01-15", "signature_date: 2026-11-20\nstart: 2027-01-15")
    _, _, articles = agreement(write_record, donor_configs, tmp_path, text)
    annex = articles["Annex D – Donor rules"]
    assert "General conditions – version of 1 January 2025" in annex and "Old general conditions text." in annex
    assert "Current general conditions text." not in annex


def test_a_donor_with_no_rules_in_force_is_refused(write_record, donor_configs):
    text = funded(RECORD).replace("start: 2027-01-15", "start: 2024-06-01").replace("award_start: 2026-11-01",
                                                                                  "award_start: 2024-01-01")
    record, result = check(write_record, donor_configs, text)
    assert result.exit_code == 2, result.output
    assert f"{record}:{line_of(text, 'donor: fund-a')}: funding.prime_award.donor: Fund A has no rules dated on or " \
           "before the start, 2024-06-01" in result.output


def test_an_agreement_beyond_its_prime_award_is_refused(write_record, donor_configs):
    text = funded(RECORD, AWARD.replace("award_end: 2028-06-30", "award_end: 2027-06-30"))
    record, result = check(write_record, donor_configs, text)
    assert result.exit_code == 2, result.output
    assert (f"{record}:{line_of(text, 'prime_award:')}: funding.prime_award: the agreement runs from 2027-01-15 to "
            "2027-12-31, outside the prime award (2026-11-01 to 2027-06-30)") in result.output


def test_award_dates_in_the_wrong_order_are_refused_at_their_line(write_record, donor_configs):
    text = funded(RECORD, AWARD.replace("award_end: 2028-06-30", "award_end: 2026-01-01"))
    record, result = check(write_record, donor_configs, text)
    assert result.exit_code == 2, result.output
    assert (f"{record}:{line_of(text, 'award_end:')}: funding.prime_award.award_end: award_end 2026-01-01 is before "
            "award_start 2026-11-01") in result.output


def test_donors_yaml_refuses_an_unknown_key_and_keeps_visibility(write_record, donor_configs):
    text = DONORS.replace("    rules:", "    rulez: []\n    rules:")
    (donor_configs / "donors.yaml").write_text(text, encoding="utf-8")
    result = cli_run("--configs", donor_configs, "check", write_record(funded(RECORD)))
    assert result.exit_code == 2, result.output
    assert f"{donor_configs / 'donors.yaml'}:{line_of(text, 'rulez')}: donors.fund-a.rulez: unknown field" \
        in result.output
    assert "visibility" not in result.output


def test_template_sheet_has_the_prime_award_columns(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    assert cli_run("batch", "--template-sheet", path).exit_code == 0
    header = [c.value for c in load_workbook(path)["partnerships"][1]]
    for column in ("funding.prime_award.donor", "funding.prime_award.award_number",
                   "funding.prime_award.award_start", "funding.prime_award.award_end"):
        assert column in header
