"""Sub-partners as objects (issue 16, item 5): name, country, role and the part
of the grant passed on, named in the complex award's flow-down article, in the
workbook's sub_partners sheet, and validated at their line."""
from __future__ import annotations

import pytest

from .conftest import RECORD, cli_run, line_of, write_workbook
from .test_deal_terms import WB_HEADER, WB_ROW, agreement, in_language

SUBS = """\
sub_partners:
  - {name: Radio Kalangou, country: NE, role: weekly radio programmes on savings, amount: 4000}
  - {name: Association Tafi, country: ML, role: training of savings groups in Gao}
"""
# Sub-partners make it a complex award (configs/tiers.yaml).
COMPLEX = RECORD.replace("countries: [NE]\n", "countries: [NE, ML]\n" + SUBS)

EXPECTED = {
    "en": ["Radio Kalangou (Niger): weekly radio programmes on savings; part of the Grant passed on: USD\u00a04,000.00;",
           "Association Tafi (Mali): training of savings groups in Gao;"],
    "fr": ["Radio Kalangou (Niger)\u00a0: weekly radio programmes on savings\u00a0; part de la Subvention rétrocédée\u00a0: "
           "4\u202f000,00\u00a0USD\u00a0;", "Association Tafi (Mali)\u00a0: training of savings groups in Gao\u00a0;"],
    "es": ["Radio Kalangou (Níger): weekly radio programmes on savings; parte de la Subvención transferida: ",
           "Association Tafi (Mali): training of savings groups in Gao;"],
}
FLOW_DOWN = {"en": "Donor rules and flow-down", "fr": "Règles du bailleur et répercussion",
             "es": "Normas del Donante y traslado de obligaciones"}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_flow_down_article_names_each_sub_partner(write_record, configs, tmp_path, language):
    tier, _, articles = agreement(write_record, configs, tmp_path, in_language(COMPLEX, language))
    assert tier == "complex-award"
    article = articles[FLOW_DOWN[language]] if FLOW_DOWN[language] in articles else None
    assert article is not None, list(articles)
    for expected in EXPECTED[language]:
        assert expected in article


def refused(write_record, text: str):
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return record, result.output


def test_more_passed_on_than_the_grant_is_refused(write_record):
    text = COMPLEX.replace("amount: 4000}", "amount: 25000}")
    record, output = refused(write_record, text)
    assert (f"{record}:{line_of(text, 'sub_partners:')}: sub_partners: the amounts passed on to sub-partners add up "
            "to 25,000.00, more than funding.amount 20,000.00") in output


def test_an_amount_without_funding_is_refused(write_record):
    text = RECORD.split("funding:")[0] + "start:" + RECORD.split("start:")[1].replace("countries: [NE]\n",
                                                                                      "countries: [NE]\n" + SUBS)
    record, output = refused(write_record, text)
    assert f"{record}:{line_of(text, 'Radio Kalangou')}: sub_partners[0].amount: Radio Kalangou has an amount " \
           "but no funds pass" in output


def test_a_plain_name_is_no_longer_a_sub_partner(write_record):
    text = RECORD.replace("countries: [NE]\n", "countries: [NE]\nsub_partners: [Radio Kalangou]\n")
    record, output = refused(write_record, text)
    assert f"{record}:{line_of(text, 'sub_partners:')}: sub_partners[0]: " in output


def test_a_bad_country_is_refused_at_its_line(write_record):
    text = COMPLEX.replace("country: ML, role", "country: XX, role")
    record, output = refused(write_record, text)
    assert f"{record}:{line_of(text, 'Association Tafi')}: sub_partners[1].country: 'XX' is not an ISO 3166-1" in output


def test_workbook_sub_partners_sheet(tmp_path):
    out = tmp_path / "out"
    row = list(WB_ROW)
    path = write_workbook(tmp_path / "wb" / "partnerships.xlsx", {
        "partnerships": [WB_HEADER, row],
        "budget": [["id", "line", "amount"], ["WB-1", "Seed purchase", 12000], ["WB-1", "Training", 8000]],
        "advances": [["id", "amount", "release"], ["WB-1", 20000, "on_signature"]],
        "assessment": [["id", "party", "finding", "text"], ["WB-1", "lead", "weakness", "Slow payments"],
                       ["WB-1", "partner", "weakness", "No audit yet"]],
        "sub_partners": [["id", "name", "country", "role", "amount"],
                         ["WB-1", "Radio Kalangou", "NE", "weekly radio programmes", "3 000"]],
    })
    result = cli_run("batch", path, "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    (docx_path,) = (out / "WB-1" / "contract").glob("*.docx")
    assert "complex-award" in docx_path.name
    from generator.word import read_text
    text = "\n".join(read_text(docx_path.read_bytes()).everything())
    assert "Radio Kalangou (Niger): weekly radio programmes; part of the Grant passed on: USD\u00a03,000.00;" in text


def test_template_sheet_has_a_sub_partners_sheet(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    assert cli_run("batch", "--template-sheet", path).exit_code == 0
    book = load_workbook(path)
    assert [c.value for c in book["sub_partners"][1]] == ["id", "name", "country", "role", "amount"]
    assert "sub_partners" not in [c.value for c in book["partnerships"][1]]
