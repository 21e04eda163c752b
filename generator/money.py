"""Money: conversion to the reference currency with the configured dated
rates, and amounts in figures and in words for a language.

Amounts in words are the binding form of an agreement. The numerals come from
num2words (pure Python); a few documented corrections make them agree with
the noun that follows, as ICU's RBNF spellout does (tests/test_amounts.py
compares both): Spanish apocope before a noun (``un``, ``veintiún``,
``ciento un``, ``veintiún mil``), feminine agreement for currencies whose
name is feminine in the language (``une livre``, ``una libra``,
``doscientas libras``, ``duas coroas``), and French elision only before a
vowel (``un million d’euros``, ``un million de yens``)."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_name, get_currency_precision
from babel.numbers import format_percent as babel_format_percent
from num2words import num2words

from .errors import InputError

CENT = Decimal("0.01")


def to_reference(amount: Decimal, currency: str, rates) -> Decimal:
    """``amount`` in the rates' base currency, rounded to the cent."""
    if currency == rates.base:
        return amount
    rate = rates.rates.get(currency)
    if rate is None:
        raise InputError(
            f"no exchange rate for {currency} in the configuration's exchange_rates.yaml "
            f"(rates of {rates.date.isoformat()}); add one"
        )
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def locale_for(language: str) -> Locale:
    """Babel locale of a record language. Plain 'en' formats as international
    English ('1 January 2027'), plain 'pt' as European and African Portuguese
    (pt-PT, as CLDR's pt-MZ, pt-AO, pt-GW); 'en-US', 'pt-BR' and others are
    taken as written."""
    if language == "en":
        return Locale("en", "GB")
    if language == "pt":  # as written outside Brazil (CLDR's plain 'pt' is Brazilian: write 'pt-BR' for it)
        return Locale("pt", "PT")
    return Locale.parse(language, sep="-" if "-" in language else "_")


def format_day(value, locale: Locale, style: str = "long") -> str:
    """A date as the locale writes it; in French the first of a month is
    '1er' ('1er février 2027', 'lundi 1er février 2027')."""
    text = format_date(value, format=style, locale=locale)
    if locale.language == "fr" and value.day == 1:
        text = re.sub(r"(?<![\d/.-])1(?=[ \u00a0\u202f][^\W\d])", "1er", text, count=1)
    return text


def currency_digits(currency: str) -> int:
    """Decimals of the currency's minor unit (CLDR data through Babel):
    0 for XOF and JPY, 2 for EUR, 3 for JOD, KWD, BHD, TND and OMR."""
    return get_currency_precision(currency)


def excess_decimals(amount: Decimal, currency: str) -> str | None:
    """Why ``amount`` cannot be written in ``currency``, or None when it can."""
    digits = currency_digits(currency)
    if amount == amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP):
        return None
    if digits == 0:
        return f"{currency} has no minor unit: write a whole amount, without decimals"
    return f"{currency} has {digits} decimals at most; {amount} has more"


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """Figures with the currency's decimals and the ISO code placed as the
    locale places its symbol: 'EUR 180,000.00' in English, '180 000,00 EUR'
    in French, '118 065 000 XOF', 'JOD 1,250.500'."""
    locale = locale_for(language)
    digits = currency_digits(currency)
    number = format_decimal(amount, format="#,##0" + ("." + "0" * digits if digits else ""), locale=locale)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    return f"{currency}\u00a0{number}" if pattern.strip().startswith("¤") else f"{number}\u00a0{currency}"


def amount_in_words(amount: Decimal, currency: str, language: str) -> str:
    """'one hundred eighty thousand euros', 'cent quatre-vingt mille euros',
    'veintiún mil libras esterlinas'; the minor unit as a fraction of the
    currency's digits: 'and 50/100', 'et 500/1000', none for XOF or JPY."""
    problem = excess_decimals(amount, currency)
    if problem:
        raise InputError(f"{amount} {currency} cannot be written in words: {problem}")
    locale = locale_for(language)
    if locale.language in _FIGURES_ONLY:
        return _figures_with_name(amount, currency, locale)
    lang = _num2words_lang(locale)
    digits = currency_digits(currency)
    units = int(amount)
    minor = int((amount - units).scaleb(digits))
    name = get_currency_name(currency, count=units, locale=locale) or currency
    if locale.language == "pt":  # CLDR capitalises Portuguese currency names; in a sentence they are not
        name = name[:1].lower() + name[1:]
    words = _cardinal(units, locale.language, lang, _is_feminine(name, locale.language))
    text = f"{words}{_joiner(locale.language, words, name)}{name}"
    if minor:
        text += f" {_AND[locale.language]} {minor:0{digits}d}/{10 ** digits}"
    return text


# Arabic: neither num2words nor ICU's RBNF spells amounts correctly (200 as
# "مئتا", 2000 as "ألفا" or "ألفين" in the nominative, "إثنان", "خمسة مائة",
# "إثنان مليون", no agreement of the counted noun), and a legal text must not
# carry an ungrammatical amount: the amount is written in figures with the
# currency's name in Arabic, "180,000.00 يورو" (contract_templates/README.md, "Arabic").
_FIGURES_ONLY = {"ar"}


def _figures_with_name(amount: Decimal, currency: str, locale: Locale) -> str:
    """'180,000.00 يورو', '1,250.500 دينار أردني': CLDR's name for the count, after the figures."""
    digits = currency_digits(currency)
    number = format_decimal(amount, format="#,##0" + ("." + "0" * digits if digits else ""), locale=locale)
    name = get_currency_name(currency, count=amount, locale=locale) or currency
    return f"{number}\u00a0{name}"


_AND = {"en": "and", "fr": "et", "es": "con", "pt": "e"}
# A round million takes "de" before the noun: "un million d’euros", "sesenta millones de pesos".
_MILLIONS = {"fr": ("million", "millions", "milliard", "milliards"), "es": ("millón", "millones", "billón", "billones"),
             "pt": ("milhão", "milhões", "bilhão", "bilhões", "trilhão", "trilhões", "bilião", "biliões")}
# Currency names whose head noun is feminine, singular and plural: the numeral agrees with them.
_FEMININE = {
    "fr": {"livre", "couronne", "roupie", "lire", "peseta", "drachme", "gourde", "hryvnia", "kuna", "unité", "once"},
    "es": {"libra", "corona", "rupia", "lira", "peseta", "dracma", "grivna", "kuna", "unidad", "pataca"},
    "pt": {"libra", "coroa", "rupia", "lira", "peseta", "dracma", "hryvnia", "kuna", "unidade", "pataca"},
}


def _is_feminine(name: str, language: str) -> bool:
    head = name.split(" ")[0].lower()
    nouns = _FEMININE.get(language, set())
    return head in nouns or head.removesuffix("s") in nouns or head.removesuffix("es") in nouns


def _cardinal(number: int, language: str, lang: str, feminine: bool) -> str:
    """The numeral as it stands before the currency's name."""
    if language == "pt":  # written by rule: num2words disagrees with ICU above ten million
        words = _portuguese(number, european=lang == "pt")
        return _feminine_pt(words) if feminine else words
    words = num2words(number, lang=lang)
    if language == "en":
        return words.replace(" and ", " ").replace(",", "")
    if language == "fr":
        # Only a final "un" agrees: "vingt et une livres", but "vingt et un mille livres".
        return re.sub(r"\bun$", "une", words) if feminine else words
    if language == "es":
        # Apocope before a noun (and before mil, millón): "un euro", "veintiún mil", "ciento un".
        words = re.sub(r"\buno\b", "un", words)
        words = re.sub(r"\bveintiuno\b", "veintiún", words)
        return _feminine_es(words) if feminine else words
    return words


_PT_UNITS = ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez", "onze", "doze",
             "treze", "catorze", "quinze", "dezasseis", "dezassete", "dezoito", "dezanove"]
_PT_TENS = ["", "", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"]
_PT_HUNDREDS = ["", "cento", "duzentos", "trezentos", "quatrocentos", "quinhentos", "seiscentos", "setecentos",
                "oitocentos", "novecentos"]
_PT_BRAZIL = {"dezasseis": "dezesseis", "dezassete": "dezessete", "dezanove": "dezenove"}


def _pt_below_1000(number: int, european: bool) -> str:
    """1-999, "e" between hundreds, tens and units: "cento e vinte e um"."""
    if number == 100:
        return "cem"
    hundreds, rest = divmod(number, 100)
    parts = [_PT_HUNDREDS[hundreds]] if hundreds else []
    if rest:
        if rest < 20:
            word = _PT_UNITS[rest] if european else _PT_BRAZIL.get(_PT_UNITS[rest], _PT_UNITS[rest])
            parts.append(word)
        else:
            tens, units = divmod(rest, 10)
            parts.append(_PT_TENS[tens] + (f" e {_PT_UNITS[units]}" if units else ""))
    return " e ".join(parts)


# Brazil counts in the short scale (milhão 10^6, bilhão 10^9, trilhão 10^12),
# the rest of the Portuguese-speaking world in the long scale (milhão 10^6,
# mil milhões 10^9, bilião 10^12): a count of millions is then itself a number
# below a million ("mil e quinhentos milhões").
_PT_SHORT = [(10**12, "um trilhão", "trilhões"), (10**9, "um bilhão", "bilhões"), (10**6, "um milhão", "milhões"),
             (1000, "mil", "mil")]
_PT_LONG = [(10**12, "um bilião", "biliões"), (10**6, "um milhão", "milhões"), (1000, "mil", "mil")]


def _portuguese(number: int, european: bool) -> str:
    """The cardinal as ICU's Portuguese spellout writes it: "e" between
    hundreds, tens and units ("cento e vinte e um"), and after a thousand or
    a million only before a rest below one hundred or of round hundreds ("mil
    e cem", "dois milhões e quinhentos mil", "mil duzentos e trinta"); "mil",
    never "um mil" ("mil milhões": ICU's pt-PT writes "um mil milhões")."""
    if number < 1000:
        return "zero" if number == 0 else _pt_below_1000(number, european)
    scale = _PT_LONG if european else _PT_SHORT
    if number >= scale[0][0] * (10**6 if european else 1000):
        raise InputError("amounts this large cannot be written in words in Portuguese")
    unit, one, many = next(entry for entry in scale if number >= entry[0])
    count, rest = divmod(number, unit)
    head = one if count == 1 else f"{_portuguese(count, european)} {many}"
    if not rest:
        return head
    return f"{head}{' e ' if rest < 100 or rest % 100 == 0 else ' '}{_portuguese(rest, european)}"


def _head_and_tail(words: str, language: str) -> tuple[str, str]:
    """The words up to the last million (which agree with 'million', a
    masculine noun), and the rest, which agrees with the currency."""
    parts = re.split(rf"(\b(?:{'|'.join(_MILLIONS[language])})\b)", words)
    head = "".join(parts[:-1])
    return head, parts[-1]


def _feminine_es(words: str) -> str:
    # Hundreds agree across "mil" ("doscientas mil libras", RAE); un/veintiún only below mil.
    head, tail = _head_and_tail(words, "es")
    tail = re.sub(r"(cient|quinient)os\b", r"\1as", tail)
    thousands, sep, units = tail.rpartition(" mil")
    units = re.sub(r"\bun\b", "una", units)
    units = re.sub(r"\bveintiún\b", "veintiuna", units)
    return head + thousands + sep + units


def _feminine_pt(words: str) -> str:
    # Every numeral below the last million agrees: "duzentas e uma mil libras".
    head, tail = _head_and_tail(words, "pt")
    tail = re.sub(r"\bum\b", "uma", tail)
    tail = re.sub(r"\bdois\b", "duas", tail)
    tail = re.sub(r"entos\b", "entas", tail)
    return head + tail


def _joiner(language: str, words: str, name: str) -> str:
    if not words.endswith(_MILLIONS.get(language, ())):
        return " "
    if language == "fr" and name[:1].lower() in "aeiouàâéèêëîïôöûüœ":  # not before y or h: "de yens"
        return " d’"
    return " de "


def format_percent(rate: Decimal, language: str, places: int | None = None) -> str:
    """'7%' in English, '7 %' in French and Spanish, decimals kept ('7.5%');
    with ``places``, always that many decimals ('7.0%'), as a column of shares needs."""
    locale = locale_for(language)
    decimals = "##" if places is None else "0" * places
    pattern = locale.percent_formats[None].pattern.replace("#,##0", f"#,##0.{decimals}")
    return babel_format_percent(rate / 100, format=pattern, locale=locale)


# num2words' language for each language whose words are checked against ICU
# (tests/test_amounts.py). Portuguese is written by _portuguese, in Brazilian
# spelling and short scale for 'pt-BR' ("dezesseis", "um bilhão"), European
# for every other ('pt', 'pt-PT', 'pt-MZ', 'pt-AO', 'pt-GW': "dezasseis", "mil milhões").
_NUM2WORDS = {"en": "en", "fr": "fr", "es": "es", "pt": "pt"}


def _num2words_lang(locale: Locale) -> str:
    if locale.language == "pt" and locale.territory == "BR":
        return "pt_BR"
    lang = _NUM2WORDS.get(locale.language)
    if lang is None:
        raise InputError(f"amounts cannot be written in words in language '{locale.language}'; "
                         f"supported: {', '.join(sorted(_NUM2WORDS))}")
    return lang
