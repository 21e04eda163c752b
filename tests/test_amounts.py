"""Amounts in words are the binding form of an agreement: they must be
grammatical. The reference is ICU's RBNF spellout (cardinal rule sets,
masculine or feminine as the currency's name requires), compared over a
table of boundary numbers x currencies of both genders x every contract
language; figures use the currency's decimals (CLDR through Babel)."""
from __future__ import annotations

import os
import re
from decimal import Decimal

import docx
import pytest
from babel.numbers import get_currency_name, get_currency_precision
from click.testing import CliRunner

from generator.cli import cli
from generator.errors import InputError
from generator.money import amount_in_words, format_money

from .conftest import RECORD

try:
    import icu
except ImportError:  # PyICU builds from source against libicu-dev; see README
    icu = None

BOUNDARIES = [0, 1, 21, 71, 80, 81, 91, 100, 101, 200, 201, 1_000, 1_001, 21_000, 80_000, 1_000_000, 1_000_001,
              2_500_000, 10**9]
LANGUAGES = ["en", "fr", "es", "pt", "pt-MZ", "pt-BR"]
# ICU's locale for each: plain "pt" is written as outside Brazil (generator/money.py locale_for), so
# its reference is ICU's pt_PT (pt_MZ inherits it); ICU's plain "pt" is Brazilian.
ICU_LOCALE = {"en": "en", "fr": "fr", "es": "es", "pt": "pt_PT", "pt-MZ": "pt_MZ", "pt-BR": "pt"}
BABEL_LOCALE = {"en": "en_GB", "pt": "pt_PT", "pt-MZ": "pt_MZ", "pt-BR": "pt_BR"}
# The gender of each currency's name, known independently of the code under test.
FEMININE = {"GBP", "SEK", "NOK", "DKK", "INR"}  # livre/libra, couronne/corona/coroa, roupie/rupia
CURRENCIES = ["EUR", "USD", "XOF", "JPY", "JOD", "KWD", "GBP", "SEK", "NOK", "DKK", "INR"]
MILLION_WORDS = r"(million|millions|milliard|milliards|millón|millones|milhão|milhões|bilhão|bilhões|bilião|biliões)$"
AND = {"en": "and", "fr": "et", "es": "con", "pt": "e"}


def base(language: str) -> str:
    return language.split("-")[0]


def need_icu():
    if icu is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PyICU is required under CI=true: .ci/run installs libicu-dev and pkg-config, "
                        "then `.venv/bin/pip install PyICU`")
        pytest.skip("PyICU is not installed; apt-get install libicu-dev pkg-config, then .venv/bin/pip install PyICU")


def icu_numeral(number: int, language: str, feminine: bool) -> str:
    """ICU's cardinal before a noun of that gender, with the project's two
    documented spelling choices applied to ICU's text:
    - French: ICU writes the 1990 spelling "vingt-et-un"; agreements keep the
      traditional "vingt et un" (both are correct; the words are the same).
      "cent" and "quatre-vingt" multiplied take their s before "millions" and
      "milliards", which are nouns ("deux cents millions"); ICU leaves them bare.
    - Spanish feminine: hundreds that multiply "mil" agree with the noun
      ("quinientas mil libras", "doscientas nueve mil libras": RAE,
      Diccionario panhispánico de dudas, "doscientos"); ICU's feminine rule
      set leaves them masculine. Those before "millones" do not change.
    - European Portuguese (pt, pt-MZ): ICU's pt_PT writes a thousand millions
      "um mil milhões"; the numeral "mil" takes no "um" ("mil euros", "mil
      milhões"). Above it ICU names "mil milhões" as a unit of its own ("dois
      mil milhões novecentos e quarenta e sete milhões"), where the long scale
      counts the millions ("dois mil novecentos e quarenta e sete milhões"):
      amounts of a thousand million or more are compared with the written
      forms in test_words_the_issue_names instead.
    ICU's Spanish masculine rule set is already the form before a noun
    ("un", "veintiún", "setenta y un", "ciento un", "veintiún mil"), so no
    mapping from the standalone "uno" is needed. Soft hyphens ICU puts in
    "dos\u00adcientas" are dropped."""
    formatter = icu.RuleBasedNumberFormat(icu.URBNFRuleSetTag.SPELLOUT, icu.Locale(ICU_LOCALE[language]))
    rule_set = "%spellout-cardinal" if language == "en" else \
        f"%spellout-cardinal-{'feminine' if feminine else 'masculine'}"
    formatter.setDefaultRuleSet(rule_set)
    text = formatter.format(number).replace("\u00ad", "")
    if language == "fr":
        text = text.replace("-et-", " et ")
        text = re.sub(r"\b(deux|trois|quatre|cinq|six|sept|huit|neuf) cent (?=millions|milliards)", r"\1 cents ", text)
        text = re.sub(r"\bquatre-vingt (?=millions|milliards)", "quatre-vingts ", text)
    if ICU_LOCALE[language] in ("pt_PT", "pt_MZ"):
        text = re.sub(r"^um mil milhões", "mil milhões", text)
    if language == "es" and feminine:
        millions, tail = re.match(r"(.*\bmill(?:ón|ones)\b)?(.*)", text).groups()
        text = (millions or "") + re.sub(r"(cient|quinient)os\b", r"\1as", tail)
    return text


def expected(number: int, cents: int, currency: str, language: str) -> str:
    """ICU's numeral, Babel's currency name for that count, 'de' after a
    round million (elided before a vowel in French), the minor unit as a
    fraction of the currency's decimals."""
    numeral = icu_numeral(number, language, currency in FEMININE and language != "en")
    name = get_currency_name(currency, count=number, locale=BABEL_LOCALE.get(language, language))
    if base(language) == "pt":
        name = name[0].lower() + name[1:]
    joiner = " "
    if language != "en" and re.search(MILLION_WORDS, numeral):
        joiner = " d’" if language == "fr" and name[0] in "aeioué" else " de "
    text = f"{numeral}{joiner}{name}"
    digits = get_currency_precision(currency)
    if cents:
        text += f" {AND[base(language)]} {cents:0{digits}d}/{10 ** digits}"
    return text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("currency", CURRENCIES)
def test_words_agree_with_icu_on_the_boundary_table(language, currency):
    need_icu()
    digits = get_currency_precision(currency)
    wrong = []
    for number in BOUNDARIES:
        for cents in ([0, 5 * 10 ** (digits - 1) + 1] if digits else [0]):  # 51/100, 501/1000
            amount = Decimal(number) + Decimal(cents).scaleb(-digits)
            want = expected(number, cents, currency, language)
            got = amount_in_words(amount, currency, language)
            if got != want:
                wrong.append(f"{amount}: {got!r} != ICU {want!r}")
    assert not wrong, "\n".join(wrong)


# Beyond the table: every 7th number to 3 000, then numbers spread up to 10^10.
SWEEP = list(range(0, 3000, 7)) + [(i * 982_451_653) % 10**10 for i in range(1, 400)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("currency", ["EUR", "GBP"])
def test_words_agree_with_icu_beyond_the_table(language, currency):
    """European Portuguese is compared below a thousand million (see icu_numeral)."""
    need_icu()
    numbers = [n for n in SWEEP if language in ("pt-BR", "en", "fr", "es") or n < 10**9]
    wrong = [f"{n}: {amount_in_words(Decimal(n), currency, language)!r} != ICU {expected(n, 0, currency, language)!r}"
             for n in numbers if amount_in_words(Decimal(n), currency, language) != expected(n, 0, currency, language)]
    assert not wrong, "\n".join(wrong[:20])


@pytest.mark.parametrize("amount, currency, language, words", [
    ("1", "EUR", "es", "un euro"),
    ("21", "EUR", "es", "veintiún euros"),
    ("71", "USD", "es", "setenta y un dólares estadounidenses"),
    ("101", "EUR", "es", "ciento un euros"),
    ("21000", "EUR", "es", "veintiún mil euros"),
    ("1", "GBP", "fr", "une livre sterling"),
    ("21", "GBP", "fr", "vingt et une livres sterling"),
    ("1", "GBP", "es", "una libra esterlina"),
    ("200", "GBP", "es", "doscientas libras esterlinas"),
    ("2", "SEK", "pt", "duas coroas suecas"),
    ("16", "EUR", "pt", "dezasseis euros"),
    ("16", "EUR", "pt-MZ", "dezasseis euros"),
    ("16", "EUR", "pt-BR", "dezesseis euros"),
    ("19", "BRL", "pt-BR", "dezenove reais brasileiros"),
    ("1016000", "MZN", "pt-MZ", "um milhão e dezasseis mil meticais moçambicanos"),
    ("2500000", "USD", "pt-MZ", "dois milhões e quinhentos mil dólares dos Estados Unidos"),
    ("3000000", "AOA", "pt-AO", "três milhões de kwanzas angolanos"),
    ("201000", "GBP", "pt-MZ", "duzentas e uma mil libras esterlinas britânicas"),
    ("1000000000", "MZN", "pt-MZ", "mil milhões de meticais moçambicanos"),
    ("1500000000", "MZN", "pt-MZ", "mil e quinhentos milhões de meticais moçambicanos"),
    ("2947354959", "MZN", "pt-MZ", "dois mil novecentos e quarenta e sete milhões trezentos e cinquenta e quatro mil "
                                   "novecentos e cinquenta e nove meticais moçambicanos"),
    ("1000000000", "BRL", "pt-BR", "um bilhão de reais brasileiros"),
    ("1500000000", "BRL", "pt-BR", "um bilhão e quinhentos milhões de reais brasileiros"),
    ("45678.25", "MZN", "pt-MZ", "quarenta e cinco mil seiscentos e setenta e oito meticais moçambicanos e 25/100"),
    ("1000000", "JPY", "fr", "un million de yens japonais"),
    ("1000000", "EUR", "fr", "un million d’euros"),
    ("1000000", "EUR", "es", "un millón de euros"),
    ("118065000", "XOF", "fr", "cent dix-huit millions soixante-cinq mille francs CFA (BCEAO)"),
    ("1250.5", "JOD", "en", "one thousand two hundred fifty Jordanian dinars and 500/1000"),
    ("180000.5", "EUR", "fr", "cent quatre-vingt mille euros et 50/100"),
])
def test_words_the_issue_names(amount, currency, language, words):
    assert amount_in_words(Decimal(amount), currency, language) == words


@pytest.mark.parametrize("amount, currency, language, figures", [
    ("118065000", "XOF", "fr", "118\u202f065\u202f000\u00a0XOF"),
    ("1500000", "JPY", "en", "JPY\u00a01,500,000"),
    ("1250.5", "JOD", "en", "JOD\u00a01,250.500"),
    ("1250.5", "KWD", "fr", "1\u202f250,500\u00a0KWD"),
    ("180000", "EUR", "fr", "180\u202f000,00\u00a0EUR"),
    ("180000", "EUR", "en", "EUR\u00a0180,000.00"),
    ("1016000.5", "MZN", "pt-MZ", "1\u00a0016\u00a0000,50\u00a0MZN"),
    ("250000", "USD", "pt", "250\u00a0000,00\u00a0USD"),
    ("250000", "BRL", "pt-BR", "BRL\u00a0250.000,00"),
])
def test_figures_use_the_currency_decimals(amount, currency, language, figures):
    assert format_money(Decimal(amount), currency, language) == figures


@pytest.mark.parametrize("language", ["pt", "pt-PT", "pt-MZ", "pt-AO", "pt-GW", "pt-BR"])
def test_portuguese_dates_are_written_out(language):
    from datetime import date

    from generator.money import format_day, locale_for
    assert format_day(date(2027, 1, 15), locale_for(language)) == "15 de janeiro de 2027"


@pytest.mark.parametrize("currency, digits", [("XOF", 0), ("JPY", 0), ("EUR", 2), ("JOD", 3), ("KWD", 3),
                                              ("BHD", 3), ("TND", 3), ("OMR", 3)])
def test_currency_decimals_are_babel_s(currency, digits):
    assert get_currency_precision(currency) == digits


def test_words_refuse_more_decimals_than_the_currency_has():
    with pytest.raises(InputError, match="XOF has no minor unit"):
        amount_in_words(Decimal("118065000.50"), "XOF", "fr")
    with pytest.raises(InputError, match="JOD has 3 decimals at most"):
        amount_in_words(Decimal("1.2505"), "JOD", "en")


def test_words_in_a_language_without_checked_words_are_refused():
    with pytest.raises(InputError, match="cannot be written in words in language 'de'"):
        amount_in_words(Decimal("100"), "JOD", "de")


def test_arabic_amounts_stay_in_figures_with_the_currency_named():
    """No library spells Arabic amounts correctly (FORMAT.md, 'Right-to-left sources'): the figures, with
    ISO 4217's three decimals for JOD and the currency's Arabic name from CLDR."""
    from babel.numbers import get_currency_name

    written = amount_in_words(Decimal("100"), "JOD", "ar")
    assert written.startswith("100.000") and written.endswith(get_currency_name("JOD", locale="ar"))


def _funded(currency: str, amount: str, lines: tuple[str, str], advances: tuple[str, str]) -> str:
    text = RECORD.replace("amount: 20000\n  currency: USD", f"amount: {amount}\n  currency: {currency}")
    text = text.replace("{line: Staff, amount: 12000}", f"{{line: Staff, amount: {lines[0]}}}")
    text = text.replace("{line: Training, amount: 8000}", f"{{line: Training, amount: {lines[1]}}}")
    text = text.replace("- {amount: 10000, release: on_signature}", f"- {{amount: {advances[0]}, release: on_signature}}")
    return text.replace("- {amount: 10000, release: {liq", f"- {{amount: {advances[1]}, release: {{liq")


@pytest.mark.parametrize("currency, amount, lines, advances, field, message", [
    ("XOF", "118065000.50", ("70000000.50", "48065000"), ("60000000", "58065000"), "funding.amount",
     "XOF has no minor unit"),
    ("XOF", "118065000", ("70000000.50", "48064999.50"), ("60000000", "58065000"), "funding.budget[0].amount",
     "XOF has no minor unit"),
    ("JOD", "1250.5", ("1000", "250.5"), ("1000", "250.4995"), "funding.advances[1].amount",
     "JOD has 3 decimals at most"),
    ("EUR", "20000", ("12000.001", "7999.999"), ("10000", "10000"), "funding.budget[0].amount",
     "EUR has 2 decimals at most"),
])
def test_a_record_with_more_decimals_than_its_currency_is_refused(write_record, currency, amount, lines, advances,
                                                                 field, message):
    path = write_record(_funded(currency, amount, lines, advances))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert f"{path}:" in result.output and f": {field}: {message}" in result.output


def test_three_decimal_currency_agreement_in_figures_and_words(configs, write_record, tmp_path):
    """A JOD grant: the agreement shows the fils (3 decimals) in figures and words."""
    path = write_record(_funded("JOD", "20000.250", ("12000.125", "8000.125"), ("10000", "10000.250")))
    result = CliRunner().invoke(cli, ["--configs", str(configs), "generate", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (agreement,) = (tmp_path / "out" / "T-001" / "contract").glob("*.docx")
    document = docx.Document(agreement)
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "JOD\u00a020,000.250 (twenty thousand Jordanian dinars and 250/1000)" in text
    assert "JOD\u00a012,000.125" in text and "JOD\u00a010,000.250" in text
    assert "20,000.25 " not in text
