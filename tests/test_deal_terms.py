"""The deal terms real sub-grant agreements state (issue 16): risk sharing in
every funded tier, the partner's bank and payment alternatives to advances.
Each agreement is generated and read back with python-docx."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from generator.config import load_config
from generator.generate import generate
from generator.word import read_text

from .conftest import RECORD, cli_run, line_of

# The test record as a standard grant: more money than the small-grant ceiling (USD 25,000).
STANDARD = RECORD.replace("amount: 20000", "amount: 60000").replace(
    "{line: Training, amount: 8000}", "{line: Training, amount: 48000}").replace(
    "{amount: 10000, release: {liquidated_percent: 70, of_tranche: 1}}",
    "{amount: 50000, release: {liquidated_percent: 70, of_tranche: 1}}")


def agreement(write_record, configs, tmp_path, text: str) -> tuple[str, str, dict[str, str]]:
    """(tier, the whole text, each article's text by its heading) of the agreement generated from ``text``."""
    outcome = generate(write_record(text), load_config(configs), tmp_path / "out", only="contract")
    path = outcome.files[0].path
    articles: dict[str, list[str]] = {}
    current = None
    for paragraph in docx.Document(path).paragraphs:
        if paragraph.style.name in ("Heading 1", "Annex Heading"):
            current = articles.setdefault(paragraph.text, [])
        elif current is not None:
            current.append(paragraph.text)
    tier = path.stem.split("_", 1)[1]
    return tier, "\n".join(read_text(path.read_bytes()).everything()), {h: "\n".join(t) for h, t in articles.items()}


def article(articles: dict[str, str], heading: str) -> str:
    """The text of the article whose heading is ``heading``."""
    return articles[heading]


def in_language(text: str, language: str) -> str:
    return text.replace("language: en", f"language: {language}")


# The heading, and words each risk-sharing article must say (the country from the record), per language.
RISK = {
    "en": ("Risk sharing", ["Niger", "is not automatically treated as ineligible expenditure", "never"]),
    "fr": ("Partage des risques", ["Niger", "n’est pas automatiquement traitée comme une dépense inéligible", "jamais"]),
    "es": ("Distribución de riesgos", ["Níger", "ni se trata automáticamente como gasto no elegible", "nunca"]),
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("record, tier", [(RECORD, "small-grant"), (STANDARD, "standard-grant")])
def test_small_and_standard_grants_share_risk_not_only_force_majeure(
        write_record, configs, tmp_path, record, tier, language):
    found, _, articles = agreement(write_record, configs, tmp_path, in_language(record, language))
    assert found == tier
    heading, phrases = RISK[language]
    text = article(articles, heading)
    for phrase in phrases:
        assert phrase in text


def test_risk_sharing_keeps_small_grant_cross_references_right(write_record, configs, tmp_path):
    """The new article comes after those the small grant cites by number (10, 17, 18, 19)."""
    outcome = generate(write_record(RECORD), load_config(configs), tmp_path / "out", only="contract")
    # Word numbers the articles (style Heading 1) in order: 1, 2, 3 ...
    heads = [p.text for p in docx.Document(outcome.files[0].path).paragraphs if p.style.name == "Heading 1"]
    numbered = {heading: number for number, heading in enumerate(heads, start=1)}
    assert numbered["Unspent funds and refunds"] == 10
    assert numbered["Amendments"] == 17 and numbered["Termination"] == 18
    assert numbered["Settlement of disputes"] == 19 and numbered["Risk sharing"] == 20


# --- the partner's bank and how tranches are paid ----------------------------------------

# The IBAN registry's own example for Germany; its checksum is right (ISO 13616).
BANK = """  bank:
    account_holder: Test Partner Association
    bank: Banque Atlantique Niger, Niamey
    iban: DE89370400440532013000
    bic: DEUTDEFF
"""


def with_bank(text: str, bank: str = BANK) -> str:
    return text.replace("  logo: logo.png\n", "  logo: logo.png\n" + bank)


BANK_WORDS = {
    "en": ("account holder", "account number"),
    "fr": ("titulaire du compte", "numéro de compte"),
    "es": ("titular de la cuenta", "número de cuenta"),
}
PAYMENT_ARTICLE = {
    ("small-grant", "en"): "Payment", ("small-grant", "fr"): "Versements", ("small-grant", "es"): "Pagos",
    ("standard-grant", "en"): "Bank account", ("standard-grant", "fr"): "Compte bancaire",
    ("standard-grant", "es"): "Cuenta bancaria",
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("record, tier", [(RECORD, "small-grant"), (STANDARD, "standard-grant")])
def test_bank_details_are_printed_in_the_payment_article(write_record, configs, tmp_path, record, tier, language):
    found, _, articles = agreement(write_record, configs, tmp_path, in_language(with_bank(record), language))
    assert found == tier
    heading = PAYMENT_ARTICLE[(tier, language)]
    assert heading in articles, list(articles)
    text = articles[heading]
    holder, _ = BANK_WORDS[language]
    assert f"{holder}" in text and "Test Partner Association" in text
    assert "Banque Atlantique Niger, Niamey" in text
    assert "DE89 3704 0044 0532 0130 00" in text  # printed in groups of four, as banks print it
    assert "SWIFT/BIC" in text and "DEUTDEFF" in text


def test_an_account_number_without_iban_or_bic(write_record, configs, tmp_path):
    bank = BANK.replace("    iban: DE89370400440532013000\n", "    account_number: 0123-456789-01\n").replace(
        "    bic: DEUTDEFF\n", "")
    _, _, articles = agreement(write_record, configs, tmp_path, in_language(with_bank(RECORD, bank), "fr"))
    text = articles["Versements"]
    assert "numéro de compte\u00a0: 0123-456789-01" in text
    assert "IBAN" not in text and "SWIFT" not in text


def test_without_bank_details_the_agreement_keeps_its_letter_clause(write_record, configs, tmp_path):
    _, _, articles = agreement(write_record, configs, tmp_path, STANDARD)
    assert "IBAN" not in articles["Bank account"]
    assert "whose details the Partner communicates in a letter" in articles["Bank account"]


@pytest.mark.parametrize("bank, field, expected", [
    (BANK.replace("DE89370400440532013000", "DE89370400440532013001"), "iban", "is not a valid IBAN"),
    (BANK.replace("DEUTDEFF", "DEUTDEF"), "bic", "is not a SWIFT/BIC code"),
    (BANK.replace("    bic:", "    account_number: '0123'\n    bic:"), None, "either as iban or as account_number"),
])
def test_bad_bank_details_are_refused_at_their_line(write_record, tmp_path, bank, field, expected):
    text = with_bank(RECORD, bank)
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    line = line_of(text, f"    {field}:") if field else line_of(text, "  bank:")
    where = f"partner.bank.{field}" if field else "partner.bank"
    assert f"{record}:{line}: {where}: " in result.output and expected in result.output
    assert "Traceback" not in result.output


def test_bank_details_without_funding_are_refused(write_record, tmp_path):
    text = with_bank(RECORD.split("funding:")[0] + "start:" + RECORD.split("start:")[1])
    text = text.replace("kind: implementing", "kind: advocacy")
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    assert f"{record}:{line_of(text, '  bank:')}: partner.bank: no funds pass" in result.output


# The standard grant paid on a milestone and on the approval of the first report.
MILESTONE_PAID = STANDARD.replace(
    "{amount: 50000, release: {liquidated_percent: 70, of_tranche: 1}}",
    "{amount: 30000, release: {milestone: 2}}\n    - {amount: 20000, release: {report_approved: 2}}") + """\
milestones:
  - {date: 2027-03-31, description: Baseline survey published}
  - {date: 2027-06-30, description: Forty water committees trained}
"""
RELEASE_WORDS = {
    "en": ("When milestone 2 (Forty water committees trained, 30 June 2027) is confirmed reached",
           "On the written approval of the narrative and financial report for reporting period 2",
           "Advance schedule"),
    "fr": ("Lorsque l'atteinte du jalon 2 (Forty water committees trained, 30 juin 2027) est confirmée",
           "À l'approbation écrite du rapport narratif et financier de la période de rapport 2",
           "Calendrier des avances"),
    "es": ("Cuando se confirme el logro del hito 2 (Forty water committees trained, 30 de junio de 2027)",
           "A la aprobación por escrito del informe narrativo y financiero del período de informe 2",
           "Calendario de anticipos"),
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_milestone_paid_standard_grant_says_so_in_its_schedule(write_record, configs, tmp_path, language):
    tier, text, articles = agreement(write_record, configs, tmp_path, in_language(MILESTONE_PAID, language))
    assert tier == "standard-grant"
    milestone, report, heading = RELEASE_WORDS[language]
    schedule = articles[heading]
    assert milestone in text and report in text  # the schedule's table (read with the whole text)
    tranche = {"en": "tranche 2: when milestone 2", "fr": "tranche 2\u00a0: lorsque l'atteinte du jalon 2",
               "es": "tramo 2: cuando se confirme el logro del hito 2"}[language]
    assert tranche in schedule
    # Liquidation is no condition of this schedule: its clause is left out.
    assert {"en": "liquidation shown for it", "fr": "niveau de liquidation indiqué",
            "es": "nivel de legalización indicado"}[language] not in schedule
    # ...and no other clause of the article presumes one: a query is weighed against the actual condition.
    assert {"en": "liquidation percentage", "fr": "pourcentage de liquidation",
            "es": "porcentaje de legalización"}[language] not in schedule
    assert {"en": "does not affect whether the Tranche’s release condition is met",
            "fr": "n’affecte pas la réalisation de la condition de versement de la Tranche",
            "es": "no afecte al cumplimiento de la condición de desembolso del Tramo"}[language] in schedule


def test_complex_award_marks_payment_linked_milestones(write_record, configs, tmp_path):
    text = MILESTONE_PAID.replace("end: 2027-12-31", "end: 2029-06-30")  # over 24 months: a complex award
    tier, whole, articles = agreement(write_record, configs, tmp_path, text)
    assert tier == "complex-award"
    assert "Forty water committees trained (payment-linked: tranche 2, USD\u00a030,000.00)" in whole
    assert "Baseline survey published" in whole and "Baseline survey published (" not in whole
    assert "tranche 2: when milestone 2" in articles["Advances and liquidation"]


def test_a_tranche_on_a_milestone_the_record_lacks_is_refused(write_record, tmp_path):
    text = MILESTONE_PAID.replace("  - {date: 2027-06-30, description: Forty water committees trained}\n", "")
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    assert f"{record}:{line_of(text, 'milestones:')}: milestones: tranche 2 (funding.advances) is paid on milestone 2" \
        in result.output


def test_a_tranche_on_a_report_after_the_end_is_refused(write_record, tmp_path):
    # 2027-01-15 to 2027-12-31 is 12 months: 4 quarterly reporting periods (configs/policy.yaml).
    text = MILESTONE_PAID.replace("report_approved: 2", "report_approved: 5")
    record = write_record(text)
    result = cli_run("check", record)
    assert result.exit_code == 2, result.output
    assert (f"{record}:{line_of(text, 'report_approved: 5')}: funding.advances[2].release.report_approved: "
            "reporting period 5 does not exist") in result.output


def test_a_release_mixing_conditions_is_refused(write_record, tmp_path):
    text = MILESTONE_PAID.replace("{milestone: 2}", "{milestone: 2, report_approved: 1}")
    result = cli_run("check", write_record(text))
    assert result.exit_code == 2
    assert "give one release condition" in result.output


# --- the workbook holds them too ----------------------------------------------------------

def test_template_sheet_has_the_bank_and_release_columns(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "template.xlsx"
    assert cli_run("batch", "--template-sheet", path).exit_code == 0
    book = load_workbook(path)
    header = [c.value for c in book["partnerships"][1]]
    for column in ("partner.bank.account_holder", "partner.bank.bank", "partner.bank.iban",
                   "partner.bank.account_number", "partner.bank.bic"):
        assert column in header
    advances = [c.value for c in book["advances"][1]]
    assert "report_approved" in advances and "milestone" in advances


WB_HEADER = ["id", "title", "kind", "partner.legal_name", "partner.short_name", "partner.type", "partner.country",
             "partner.address", "partner.registration_number", "partner.logo", "partner.signatory.name",
             "partner.signatory.title", "partner.contact.name", "partner.contact.title", "partner.contact.email",
             "partner.contact.phone", "partner.bank.account_holder", "partner.bank.bank", "partner.bank.iban",
             "partner.bank.bic", "funding.amount", "funding.currency", "start", "end", "countries"]
WB_ROW = ["WB-1", "Seed banks in Maradi", "implementing", "Association Sahel Vert", "ASV", "civil_society", "NE",
          "BP 7, Maradi, Niger", "ONG-2015-101", "logo.png", "Hadiza Issa", "Présidente", "Moussa Ali",
          "Chargé de programme", "asv@example.org", "+227 20 41 00 00", "Association Sahel Vert", "Ecobank Niger",
          "NE58 NE03 8010 0100 1303 0500 0268", "ECOCNENI", 20000, "USD", "2027-03-01", "2028-02-29", "NE"]


def workbook(tmp_path, row=WB_ROW) -> Path:
    from .conftest import write_workbook

    return write_workbook(tmp_path / "wb" / "partnerships.xlsx", {
        "partnerships": [WB_HEADER, row],
        "budget": [["id", "line", "amount"], ["WB-1", "Seed purchase", 12000], ["WB-1", "Training", 8000]],
        "advances": [["id", "amount", "release", "milestone"], ["WB-1", 10000, "on_signature", None],
                     ["WB-1", 10000, None, 1]],
        "milestones": [["id", "date", "description"], ["WB-1", "2027-09-30", "Seed banks stocked"]],
        "assessment": [["id", "party", "finding", "text"], ["WB-1", "lead", "weakness", "Slow payments"],
                       ["WB-1", "partner", "weakness", "No audit yet"]],
    })


def test_workbook_row_with_bank_and_milestone_payment(tmp_path):
    out = tmp_path / "out"
    result = cli_run("batch", workbook(tmp_path), "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    (path,) = (out / "WB-1" / "contract").glob("*.docx")
    text = "\n".join(read_text(path.read_bytes()).everything())
    assert "NE58 NE03 8010 0100 1303 0500 0268" in text and "ECOCNENI" in text and "Ecobank Niger" in text
    assert "When milestone 1 (Seed banks stocked, 30 September 2027) is confirmed reached" in text


def test_workbook_bad_iban_is_refused_at_its_cell(tmp_path):
    from openpyxl.utils import get_column_letter

    row = list(WB_ROW)
    row[WB_HEADER.index("partner.bank.iban")] = "NE58 NE03 8010 0100 1303 0500 0269"
    out = tmp_path / "out"
    result = cli_run("batch", workbook(tmp_path, row), "--out", out, "--only", "contract")
    assert result.exit_code == 1, result.output  # batch: a failed row exits 1, the others go on
    assert not (out / "WB-1").exists()
    cell = f"partnerships!{get_column_letter(WB_HEADER.index('partner.bank.iban') + 1)}2"
    assert f"{cell}: partner.bank.iban: " in result.output and "is not a valid IBAN" in result.output
