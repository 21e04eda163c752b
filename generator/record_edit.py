"""Write translations into a YAML record, keeping everything else as it is
(comments, key order, quoting, flow or block style): ruamel.yaml's round
trip. A plain string becomes a map by language ({fr: ..., en: ...}); a map
gains (or changes) the language. The record is written whole or not at all
(a temporary file beside it, checked, then renamed)."""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .errors import InputError
from .records import LoadedRecord, check_record
from .translations import prose, text_in
from .xliff import Translated
from .yaml_source import dotted, read_source

# Layouts tried to reproduce the file as it is (mapping indent, sequence indent, dash offset).
_LAYOUTS = [(2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 4, 0)]


def _yaml(layout: tuple[int, int, int]) -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # long lines stay on one line
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: YAML, data) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _load(path: Path, text: str):
    """The round-trip document and the YAML that writes it back unchanged."""
    for layout in _LAYOUTS:
        yaml = _yaml(layout)
        try:
            data = yaml.load(text)
        except YAMLError as exc:
            raise InputError(f"{path}: not valid YAML: {exc}") from None
        if _dump(yaml, data) == text:
            return yaml, data
    raise InputError(f"{path}: its layout cannot be kept when written back (indentation that differs from one "
                     "part to another); indent it consistently (2 spaces, lists as '  - ') and import again")


def _set(data, loc: tuple, source_language: str, language: str, text: str) -> None:
    node = data
    for depth, key in enumerate(loc[:-1]):
        child = node[key]
        if isinstance(child, str) and loc[depth + 1] == "weakness":  # a weakness written as plain text
            child = CommentedMap([("weakness", child)])
            child.fa.set_flow_style()
            node[key] = child
        node = child
    key = loc[-1]
    value = node[key]
    if isinstance(value, dict):
        value[language] = text
        return
    by_language = CommentedMap([(source_language, value), (language, text)])
    if isinstance(node, (CommentedMap, CommentedSeq)) and node.fa.flow_style():
        by_language.fa.set_flow_style()  # inside {line: ..., amount: ...} it stays on its line
    node[key] = by_language


def import_translations(loaded: LoadedRecord, translated: Translated, label: str) -> list[tuple]:
    """Write ``translated`` into the record file ``loaded`` came from; the
    places written. InputError (nothing written) for a file of another record
    or language pair, a field the record has no translatable text at, or a
    source text changed since the export."""
    record, path = loaded.record, loaded.path
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"{path}: translations are written into YAML records (.yaml); this record is not one")
    if translated.record_id != record.id:
        raise InputError(f"{label}: the file is for record '{translated.record_id}', not '{record.id}' ({path}); "
                         "import it into its own record")
    if translated.source_language != record.language:
        raise InputError(f"{label}: the file translates from '{translated.source_language}' but the record's language "
                         f"is '{record.language}'; export it again")
    if translated.language == record.language or not translated.language:
        raise InputError(f"{label}: trgLang is '{translated.language}'; expected a language other than the record's")
    fields = dict(prose(record))
    problems = []
    for loc, (source, _target) in translated.texts.items():
        if loc not in fields:
            problems.append(f"{label}: {dotted(loc)}: the record has no translatable text there; "
                            "keep the units as exported (or export again)")
            continue
        now = text_in(fields[loc], record.language)
        if now != source:
            problems.append(str(loaded.source.problem(loc, (
                f"the source text changed since the export (exported {source!r}, now {now!r}); "
                "export again and translate the new text"))))
    if problems:
        raise InputError("\n".join(problems))
    # Only what changes is written: a translation the record already has keeps its layout.
    changed = {loc: texts for loc, texts in translated.texts.items()
               if text_in(fields[loc], translated.language) != texts[1]}
    if not changed:
        return []
    text = path.read_text(encoding="utf-8")
    yaml, data = _load(path, text)
    for loc, (_source, target) in changed.items():
        _set(data, loc, record.language, translated.language, target)
    _write_checked(path, _dump(yaml, data))
    return list(changed)


def _write_checked(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` only once it reads back as a valid record."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        check_record(read_source(Path(temporary)), allow_unknown=True)
        os.replace(temporary, path)
    except InputError as exc:
        raise InputError(f"{path}: the translated record would not be valid, so it was not written:\n"
                         f"{exc.format_message()}".replace(temporary, str(path))) from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
