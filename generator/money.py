"""Money: conversion to the reference currency with the configured dated
rates, and amounts in figures and in words for a language."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal, get_currency_name
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
    English ('1 January 2027'); 'en-US' and others are taken as written."""
    if language == "en":
        return Locale("en", "GB")
    return Locale.parse(language, sep="-" if "-" in language else "_")


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """Figures with the ISO code placed as the locale places its symbol:
    'EUR 180,000.00' in English, '180 000,00 EUR' in French."""
    locale = locale_for(language)
    number = format_decimal(amount, format="#,##0.00", locale=locale)
    pattern = locale.currency_formats["standard"].pattern.split(";")[0]
    return f"{currency}\u00a0{number}" if pattern.strip().startswith("¤") else f"{number}\u00a0{currency}"


def amount_in_words(amount: Decimal, currency: str, language: str) -> str:
    """'one hundred eighty thousand euros', 'cent quatre-vingt mille euros'."""
    locale = locale_for(language)
    units = int(amount)
    cents = int((amount - units) * 100)
    lang = _num2words_lang(locale)
    words = num2words(units, lang=lang)
    if lang == "en":
        words = words.replace(" and ", " ").replace(",", "")
    name = get_currency_name(currency, count=units, locale=locale) or currency
    text = f"{words}{_joiner(lang, words, name)}{name}"
    if cents:
        text += f" {_AND.get(lang, '+')} {cents:02d}/100"
    return text


_AND = {"en": "and", "fr": "et", "es": "con", "pt": "e", "ar": "و"}
# A round million takes "de" before the noun: "un million d'euros", "sesenta millones de pesos".
_MILLIONS = {"fr": ("million", "millions", "milliard", "milliards"), "es": ("millón", "millones", "billón", "billones"),
             "pt": ("milhão", "milhões", "bilhão", "bilhões")}


def _joiner(lang: str, words: str, name: str) -> str:
    if not words.endswith(_MILLIONS.get(lang, ())):
        return " "
    if lang == "fr" and name[:1].lower() in "aeiouyéèêh":
        return " d’"
    return " de "


def format_percent(rate: Decimal, language: str) -> str:
    """'7%' in English, '7 %' in French and Spanish, decimals kept ('7.5%')."""
    locale = locale_for(language)
    pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0.##")
    return babel_format_percent(rate / 100, format=pattern, locale=locale)


def _num2words_lang(locale: Locale) -> str:
    code = locale.language
    try:
        num2words(1, lang=code)
    except NotImplementedError:
        raise InputError(f"amounts cannot be written in words in language '{code}'") from None
    return code
