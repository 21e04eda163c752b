"""Counted nouns ("1 tranche", "3 tranches", "1 000 000 de tranches") by the
CLDR plural rules of each language (Babel's ``Locale.plural_form``), so that no
template writes "tranche(s)"."""
from __future__ import annotations

from babel.numbers import format_decimal

from .errors import InputError
from .money import locale_for

# Forms by CLDR plural category; "other" is required, a missing category uses it.
# French, Spanish and Portuguese take "de" in the "many" category (round millions).
NOUNS: dict[str, dict[str, dict[str, str]]] = {
    "tranche": {
        "en": {"one": "{n} tranche", "other": "{n} tranches"},
        "fr": {"one": "{n} tranche", "many": "{n} de tranches", "other": "{n} tranches"},
        "es": {"one": "{n} tramo", "many": "{n} de tramos", "other": "{n} tramos"},
        "pt": {"one": "{n} tranche", "many": "{n} de tranches", "other": "{n} tranches"},
        "ar": {"zero": "لا دفعات", "one": "دفعة واحدة", "two": "دفعتان", "few": "{n} دفعات", "many": "{n} دفعة",
               "other": "{n} دفعة"},
    },
    "month": {
        "en": {"one": "{n} month", "other": "{n} months"},
        "fr": {"one": "{n} mois", "many": "{n} de mois", "other": "{n} mois"},
        "es": {"one": "{n} mes", "many": "{n} de meses", "other": "{n} meses"},
        "pt": {"one": "{n} mês", "many": "{n} de meses", "other": "{n} meses"},
        "ar": {"zero": "لا أشهر", "one": "شهر واحد", "two": "شهران", "few": "{n} أشهر", "many": "{n} شهراً",
               "other": "{n} شهر"},
    },
}


def count(n: int, noun: str, language: str) -> str:
    """``n`` and ``noun`` agreed by the language's plural rules: '1 tranche', '3 tramos'."""
    locale = locale_for(language)
    forms = NOUNS[noun].get(locale.language)
    if forms is None:
        raise InputError(f"no plural forms of '{noun}' for language '{language}'; add them in generator/plurals.py")
    form = forms.get(locale.plural_form(n), forms["other"])
    return form.format(n=format_decimal(n, locale=locale))
