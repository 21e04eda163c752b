"""Record text in one language: the one place that turns every translatable
(``models.Prose``) value of a record into the plain string of language L,
before the agreement's or the communications' context is built."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from pydantic import BaseModel

from .errors import InputError
from .models import Record, Texts
from .records import LoadedRecord


@dataclass
class Translation:
    """``record`` with every Prose value in ``language``; where the source
    text stood in for a missing one (``translations: fallback``), and where
    a given translation was used."""

    record: Record
    language: str
    fallbacks: list[tuple] = field(default_factory=list)
    translated: list[tuple] = field(default_factory=list)


def _pick(texts: Texts, language: str):
    """(text, how): how is 'own', 'translated' or None when L has no text."""
    base = language.split("-")[0]
    for code in (language, base):
        if code in texts.given:
            return texts.given[code], "own" if code in (texts.source, None) else "translated"
    if None in texts.given:  # a text of no stated language (configuration)
        return texts.given[None], "own"
    return None, None


def _walk(value: Any, language: str, loc: tuple, found: Translation, missing: list[tuple], fallback: bool) -> Any:
    if isinstance(value, Texts):
        text, how = _pick(value, language)
        if text is None:
            missing.append(loc)
            if fallback:
                found.fallbacks.append(loc)
            return str(value)
        if how == "translated":
            found.translated.append(loc)
        return text
    if isinstance(value, BaseModel):
        changes = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _walk(old, language, loc + (name,), found, missing, fallback)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, (list, tuple)):
        items = [_walk(v, language, loc + (i,), found, missing, fallback) for i, v in enumerate(value)]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    if isinstance(value, dict):
        items = {k: _walk(v, language, loc + (k,), found, missing, fallback) for k, v in value.items()}
        return items if any(items[k] is not value[k] for k in value) else value
    return value


def missing_texts(record: Record, language: str) -> list[tuple]:
    """The places of every Prose value with no text in ``language``."""
    missing: list[tuple] = []
    _walk(record, language, (), Translation(record, language), missing, True)
    return missing


def language_name(code: str, in_language: str) -> str:
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_")) or code
    except (ValueError, TypeError):
        return code


def in_language(loaded: LoadedRecord, language: str, use: str) -> Translation:
    """``loaded.record`` with its text in ``language`` for ``use`` (the
    agreement, the press release and social drafts). Missing text is one
    InputError listing every field with its place, unless the record says
    ``translations: fallback`` (then the source text is used and listed)."""
    record = loaded.record
    found = Translation(record, language)
    missing: list[tuple] = []
    fallback = record.translations == "fallback"
    found.record = _walk(record, language, (), found, missing, fallback)
    if missing and not fallback:
        name = language_name(language, "en")
        raise InputError("", [loaded.source.problem(loc, (
            f"no {name} ({language}) text for the {use}; write it as a map by language "
            f"({{{record.language}: ..., {language}: ...}}), or allow the {language_name(record.language, 'en')} "
            f"text with translations: fallback")) for loc in missing])
    return found
