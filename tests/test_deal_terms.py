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
