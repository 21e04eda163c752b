"""A translator's round trip (``partnerdocs translate``): the record's
translatable text that the documents in one language need, out as an XLIFF
2.0 file (OASIS; opened by OmegaT, memoQ, Trados, Weblate and Poedit's
successors alike) and the translations back in (generator/record_edit.py
writes them into the YAML record)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from lxml import etree

from .errors import InputError
from .records import LoadedRecord
from .translations import needed_languages, prose, text_in, uses_of
from .yaml_source import dotted

NS = "urn:oasis:names:tc:xliff:document:2.0"
_X = "{%s}" % NS


def unit_id(loc: tuple) -> str:
    """An XLIFF id (an NMTOKEN: no brackets) for a field path: funding.budget.0.line."""
    return ".".join(str(p) for p in loc)


def parse_path(path: str) -> Optional[tuple]:
    """'funding.budget[0].line' -> ('funding', 'budget', 0, 'line'); None when not a field path."""
    if not re.fullmatch(r"[A-Za-z_][\w]*(\[\d+\]|\.[A-Za-z_]\w*)*", path):
        return None
    loc: list = []
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", path):
        loc.append(int(index) if index else name)
    return tuple(loc)


@dataclass(frozen=True)
class Unit:
    """One string to translate: where it is, its source text, the target if any."""

    loc: tuple
    source: str
    target: Optional[str]
    line: Optional[int]
    uses: tuple[str, ...]


def units(loaded: LoadedRecord, language: str) -> list[Unit]:
    """Every translatable text the documents in ``language`` use, in record order."""
    record = loaded.record
    wanted = needed_languages(record)
    if language not in wanted:
        made = ", ".join(wanted)
        raise InputError(f"{loaded.label}: no document of this record is made in '{language}' (it makes them in "
                         f"{made}: language and comms.languages); add the language to the record first")
    documents = set(wanted[language])
    found = []
    for loc, texts in prose(record):
        uses = tuple(u for u in uses_of(loc) if u in documents)
        if not uses:
            continue
        source = text_in(texts, record.language)
        if source is None:
            continue  # no text in the record's own language to translate from (a map without it)
        target = text_in(texts, language) if language != record.language else None
        found.append(Unit(loc, source, target, loaded.source.line_of(loc), uses))
    return found


def export_xliff(loaded: LoadedRecord, language: str) -> bytes:
    """The XLIFF 2.0 file of ``units``: one <unit> per field, its path as name, its
    place in the record and the documents that show it as notes."""
    record = loaded.record
    if language == record.language:
        raise InputError(f"{loaded.label}: '{language}' is the record's own language (language: {language}); "
                         "export to one of its other languages")
    root = etree.Element(_X + "xliff", nsmap={None: NS}, version="2.0", srcLang=record.language, trgLang=language)
    file = etree.SubElement(root, _X + "file", id=record.id, original=loaded.path.name)
    notes = etree.SubElement(file, _X + "notes")
    etree.SubElement(notes, _X + "note", category="record").text = (
        f"partnerdocs record {record.id} ({loaded.path.name}); import with: "
        f"partnerdocs translate import FILE {loaded.path.name}")
    for unit in units(loaded, language):
        element = etree.SubElement(file, _X + "unit", id=unit_id(unit.loc), name=dotted(unit.loc))
        notes = etree.SubElement(element, _X + "notes")
        place = f"{loaded.path.name}:{unit.line}" if unit.line else loaded.path.name
        etree.SubElement(notes, _X + "note", category="location").text = f"{dotted(unit.loc)} ({place})"
        etree.SubElement(notes, _X + "note", category="used-in").text = ", ".join(unit.uses)
        segment = etree.SubElement(element, _X + "segment", state="translated" if unit.target else "initial")
        source = etree.SubElement(segment, _X + "source")
        source.text = unit.source
        if unit.target:
            etree.SubElement(segment, _X + "target").text = unit.target
        for node in segment:
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass(frozen=True)
class Translated:
    """A file's translations for one record: language, and field path -> (source, target)."""

    record_id: str
    source_language: str
    language: str
    texts: dict[tuple, tuple[str, str]]


def _text(node) -> str:
    """The text of a <source>/<target>, inline codes (<ph/>, <pc>) refused."""
    if len(node):
        raise ValueError(f"holds inline markup (<{etree.QName(node[0]).localname}>); partnerdocs texts are plain text")
    return node.text or ""


def read_xliff(path: Path) -> Translated:
    """The translations of an XLIFF 2.0 file; InputError naming the file (and line) for anything else."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc}") from None
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid XML: {exc.msg}") from None
    root = tree.getroot()
    if root.tag != _X + "xliff" or root.get("version") != "2.0":
        raise InputError(f"{path}: not an XLIFF 2.0 file (expected <xliff version=\"2.0\" xmlns=\"{NS}\">)")
    files = root.findall(_X + "file")
    if len(files) != 1:
        raise InputError(f"{path}: expected one <file> (one record), found {len(files)}")
    texts: dict[tuple, tuple[str, str]] = {}
    problems = []
    for unit in files[0].findall(_X + "unit"):
        name = unit.get("name") or ""
        loc = parse_path(name)
        where = f"{path}:{unit.sourceline}: unit {unit.get('id')!r}"
        if loc is None:
            problems.append(f"{where}: name {name!r} is not a record field path such as funding.budget[0].line")
            continue
        segments = unit.findall(_X + "segment")
        if len(segments) != 1:
            problems.append(f"{where}: expected one <segment>, found {len(segments)}; keep the units as exported")
            continue
        source, target = segments[0].find(_X + "source"), segments[0].find(_X + "target")
        try:
            if source is not None and target is not None and _text(target).strip():
                texts[loc] = (_text(source), _text(target))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise InputError("\n".join(problems))
    return Translated(files[0].get("id", ""), root.get("srcLang", ""), root.get("trgLang", ""), texts)
