"""Record text in one language: the one place that turns every translatable
(``models.Prose``) value of a record into the plain string of language L,
before the agreement's or the communications' context is built. It also
says which documents use each field, and so which languages it needs."""
from __future__ import annotations

from dataclasses import dataclass, field
import re
from typing import Any, Iterator, Optional

from babel import Locale
from pydantic import BaseModel

from .errors import InputError
from .models import Record, Texts
from .records import LoadedRecord
from .yaml_source import dotted

AGREEMENT, RELEASE, SOCIAL = "agreement", "press release", "social"
COMMS = (RELEASE, SOCIAL)

# Where each translatable field is used, by its field path (any list index as
# [], * for any rest); the first pattern that matches wins. Any other Prose field (a new
# one included) is agreement text.
USES: list[tuple[str, tuple[str, ...]]] = [
    ("title", (AGREEMENT, RELEASE, SOCIAL)),
    ("partner.about", (RELEASE,)),
    ("partner.press_contact.*", (RELEASE,)),
    ("comms.speakers[].*", (RELEASE, SOCIAL)),
    ("comms.hashtags[]", (SOCIAL,)),
    ("comms.photo.*", (RELEASE, SOCIAL)),
    ("milestones[].*", (AGREEMENT, SOCIAL)),
    ("*", (AGREEMENT,)),
]


def uses_of(loc: tuple) -> tuple[str, ...]:
    """The documents that use the field at ``loc``: ('agreement',), ..."""
    path = "".join("[]" if isinstance(p, int) else ("." if i else "") + str(p) for i, p in enumerate(loc))
    return next(uses for pattern, uses in USES if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), path))


def needed_languages(record: Record) -> dict[str, tuple[str, ...]]:
    """Each language the record's documents are made in -> the documents made in it."""
    wanted: dict[str, list[str]] = {language: [AGREEMENT] for language in agreement_versions(record)}
    for language in record.comms.languages if record.comms else []:
        wanted.setdefault(language, []).extend(COMMS)
    return {language: tuple(documents) for language, documents in wanted.items()}


def agreement_versions(record: Record) -> list[str]:
    """The languages the agreement is made in: its versions, or the record's language."""
    return list(record.agreement_languages or [record.language])


def prose(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Texts]]:
    """Every translatable value of a record (or part of one), with its place."""
    if isinstance(value, Texts):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from prose(getattr(value, name), loc + (name,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from prose(item, loc + (i,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from prose(item, loc + (key,))


def text_in(texts: Texts, language: str) -> Optional[str]:
    """The text for ``language``, else for its base language (fr for fr-CA),
    else the one regional text of that language (pt-MZ for pt: the same
    language, written where it is used); None when not given, or when several
    regional texts could stand in (pt-MZ and pt-BR for pt: one would be a guess)."""
    base = language.split("-")[0]
    for code in (language, base):
        if code in texts.given:
            return texts.given[code]
    regional = [code for code in texts.given if code is not None and code.split("-")[0] == base]
    if len(regional) == 1:
        return texts.given[regional[0]]
    if None in texts.given:  # the configuration's text, of no stated language
        return texts.given[None]
    return None


def localised(value: Any, language: str) -> Any:
    """A configuration value in ``language``: its text there, else English, else
    the first given (the configuration's texts are the lead's, kept as before)."""
    if isinstance(value, Texts):
        return text_in(value, language) or text_in(value, "en") or str(value)
    return value


@dataclass
class Translation:
    """``record`` with every Prose value in ``language``; the places where the
    source text stood in for a missing one (``translations: fallback``), and
    where a given translation was used."""

    record: Record
    language: str
    fallbacks: list[tuple] = field(default_factory=list)
    translated: list[tuple] = field(default_factory=list)


def _walk(value: Any, language: str, documents: tuple, loc: tuple, found: Translation, missing: list) -> Any:
    if isinstance(value, Texts):
        if not set(uses_of(loc)) & set(documents):
            return str(value)
        text = text_in(value, language)
        if text is None:
            missing.append(loc)
            return str(value)
        if language.split("-")[0] != (value.source or "").split("-")[0]:
            found.translated.append(loc)
        return text
    if isinstance(value, BaseModel):
        changes = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _walk(old, language, documents, loc + (name,), found, missing)
            if new is not old:
                changes[name] = new
        return value.model_copy(update=changes) if changes else value
    if isinstance(value, (list, tuple)):
        items = [_walk(v, language, documents, loc + (i,), found, missing) for i, v in enumerate(value)]
        return type(value)(items) if any(a is not b for a, b in zip(items, value)) else value
    if isinstance(value, dict):
        items = {k: _walk(v, language, documents, loc + (k,), found, missing) for k, v in value.items()}
        return items if any(items[k] is not value[k] for k in value) else value
    return value


def missing_texts(record: Record, language: str, documents: tuple[str, ...]) -> list[tuple]:
    """The places of every Prose value that ``documents`` use and that has no text in ``language``."""
    missing: list[tuple] = []
    _walk(record, language, documents, (), Translation(record, language), missing)
    return missing


@dataclass(frozen=True)
class Coverage:
    """How much of the text the documents in one language need the record gives."""

    language: str
    documents: tuple[str, ...]
    given: int
    needed: int
    missing: list[tuple]

    def __str__(self) -> str:
        share = f"{100 * self.given // self.needed}%" if self.needed else "100%"
        return (f"{self.language} ({', '.join(self.documents)}): {self.given} of {self.needed} translatable "
                f"text(s) given ({share})")


def coverage(record: Record) -> list[Coverage]:
    """For each language the record's documents are made in, the texts they need and those given."""
    out = []
    for language, documents in needed_languages(record).items():
        needed = [loc for loc, _ in prose(record) if set(uses_of(loc)) & set(documents)]
        missing = missing_texts(record, language, documents)
        out.append(Coverage(language, documents, len(needed) - len(missing), len(needed), missing))
    return out


def language_name(code: str, in_language: str = "en") -> str:
    """'French' for fr (in English), 'anglais' for en in French."""
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_")) or code
    except (ValueError, TypeError):
        return code


def missing_message(record: Record, language: str, documents: tuple[str, ...]) -> str:
    names = " and ".join(dict.fromkeys("the agreement" if d == AGREEMENT else "the communications" for d in documents))
    if language == record.language:  # a map that lacks the record's own language
        return (f"no {language_name(language)} ({language}) text for {names}, the record's language; "
                f"add {language}: ... to the map")
    return (f"no {language_name(language)} ({language}) text for {names}; write it as a map by language "
            f"({{{record.language}: ..., {language}: ...}}), or allow the {language_name(record.language)} "
            f"text with translations: fallback")


def in_language(loaded: LoadedRecord, language: str, documents: tuple[str, ...]) -> Translation:
    """``loaded.record`` with the text ``documents`` use in ``language``.
    Missing text is one InputError listing every field with its place, unless
    the record says ``translations: fallback`` (then the record's own text is
    used, and its places listed in ``fallbacks``)."""
    record = loaded.record
    found = Translation(record, language)
    missing: list[tuple] = []
    found.record = _walk(record, language, documents, (), found, missing)
    if missing and record.translations != "fallback":
        raise InputError("", [loaded.source.problem(loc, missing_message(record, language, documents))
                              for loc in missing])
    found.fallbacks = missing
    return found


def where(loc: tuple) -> str:
    """'budget line funding.budget[0].line' style path for messages and exports."""
    return dotted(loc)
