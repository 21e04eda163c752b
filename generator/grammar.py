"""How an organisation's name behaves in a sentence, per language: the article
it takes (given in the data, never guessed from the name) and what each
preposition becomes in front of it ("de" + "le Réseau" -> "du Réseau", "de" +
"ESSA" -> "d’ESSA", "em" + "a AMAR" -> "na AMAR").

The rules are the tables below. A name without an article is used bare
("ESSA", "Oxfam"); French still elides "de" before a bare name that begins
with a vowel ("d’ESSA"). Whether it elides before a bare name that begins with
"h" or "y" depends on the word (mute or aspirate h: "d’Habitat…", "de
Handicap…"), so the data must say (``elision``), or the French documents stop
with an error naming the field."""
from __future__ import annotations

import unicodedata

from .errors import InputError

# Per language: the articles a name may take, and per article the contracted
# form of each preposition (a preposition not listed is written before the
# article: "de la", "à l’"). The keys of PREPOSITIONS are the variable names
# the templates use ("a" is French "à").
ARTICLES: dict[str, dict[str, dict[str, str]]] = {
    "en": {"the": {}},
    "fr": {"le": {"de": "du", "a": "au"}, "la": {}, "l’": {}, "les": {"de": "des", "a": "aux"}},
    "es": {"el": {"de": "del", "a": "al"}, "la": {}, "los": {}, "las": {}},
    "pt": {"o": {"de": "do", "em": "no", "por": "pelo", "a": "ao"},
           "a": {"de": "da", "em": "na", "por": "pela", "a": "à"},
           "os": {"de": "dos", "em": "nos", "por": "pelos", "a": "aos"},
           "as": {"de": "das", "em": "nas", "por": "pelas", "a": "às"}},
    "ar": {},  # Arabic writes the article as part of the name (al-)
}
PREPOSITIONS: dict[str, dict[str, str]] = {
    "en": {},  # English contracts nothing: templates write "by {{ donor.the }}"
    "fr": {"de": "de", "a": "à"},
    "es": {"de": "de", "a": "a"},
    "pt": {"de": "de", "em": "em", "por": "por", "a": "a"},
    "ar": {},
}
_FR_VOWELS = set("aeiouàâäæéèêëîïôöœùûü")
_APOSTROPHES = "'’"


def base_language(language: str) -> str:
    return language.replace("_", "-").split("-")[0]


def _first_letter(name: str) -> str:
    for char in name:
        if char.isalpha():
            return unicodedata.normalize("NFC", char.lower())
    return ""


def normal_article(article: str) -> str:
    """The article as the tables spell it: "l'" and "L’" are "l’"."""
    value = article.strip().lower()
    return value[:-1] + "’" if value[-1:] in _APOSTROPHES else value


def article_problem(language: str, article: str, name: str) -> str | None:
    """Why ``article`` cannot stand before ``name`` in ``language`` (None when it can)."""
    base = base_language(language)
    allowed = ARTICLES.get(base)
    if allowed is None:
        return f"no article rules for language '{language}'; languages with rules: {', '.join(sorted(ARTICLES))}"
    value = normal_article(article)
    if value not in allowed:
        listed = ", ".join(allowed) or "none (leave it out)"
        return f"'{article}' is not an article in '{base}'; expected one of: {listed}"
    if base == "fr":
        first = _first_letter(name)
        if value in ("le", "la") and first in _FR_VOWELS:
            return f"'{value}' is elided before '{name}', which begins with a vowel: write l’"
        if value == "l’" and first and first not in _FR_VOWELS and first not in "hy":
            return f"'l’' stands only before a vowel or a mute h, not before '{name}': write le or la"
    return None


def elides(name: str, elision: bool | None) -> bool | None:
    """Whether French elides before the bare ``name``: True for a vowel, the
    data's ``elision`` for h and y (None when unknown), False otherwise."""
    first = _first_letter(name)
    if first in _FR_VOWELS:
        return True if elision is None else elision
    if first in ("h", "y"):
        return elision
    return False


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def phrases(name: str, article: str | None, language: str, elision: bool | None = None,
            field: str = "grammar") -> dict[str, str]:
    """The forms of ``name`` a template of ``language`` uses: ``name`` (bare),
    ``the`` (with its article), ``The`` (the same, to begin a sentence) and one
    per preposition of the language (``de``, ``a``, ``em``, ``por``).
    InputError naming ``field`` where French cannot tell whether to elide."""
    base = base_language(language)
    if article:
        art = normal_article(article)
        joined = f"{art}{name}" if art.endswith("’") else f"{art} {name}"
        forms = {"name": name, "the": joined, "The": _upper_first(joined)}
        contracted = ARTICLES.get(base, {}).get(art, {})
        for key, word in PREPOSITIONS.get(base, {}).items():
            forms[key] = f"{contracted[key]} {name}" if key in contracted else f"{word} {joined}"
        return forms
    forms = {"name": name, "the": name, "The": name}
    for key, word in PREPOSITIONS.get(base, {}).items():
        forms[key] = f"{word} {name}"
    if base == "fr":
        elided = elides(name, elision)
        if elided is None:
            raise InputError(
                f"{field}.fr.elision: '{name}' begins with '{name.lstrip()[:1]}', before which French may or may "
                f"not elide; say true if it does (mute h: d’Habitat…) or false if not (aspirate h: de Handicap…), "
                f"or give grammar.fr.article")
        if elided:
            forms["de"] = f"d’{name}"
    return forms


def name_forms(grammar: dict, legal_name: str, short_name: str | None, language: str, field: str) -> dict:
    """``{"legal": forms, "short": forms}`` for an organisation with the record's
    ``grammar`` map ({language: NameGrammar}) in ``language``."""
    base = base_language(language)
    entry = grammar.get(language) or grammar.get(base)
    article = entry.article if entry else None
    short_article = entry.short_article if entry else None
    elision = entry.elision if entry else None
    out = {"legal": phrases(legal_name, article, language, elision, field)}
    if short_name is not None:
        out["short"] = phrases(short_name, short_article, language, elision, field)
    return out
