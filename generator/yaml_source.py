"""Read YAML (or JSON) files and remember the line of every key, so that
problems can be reported as ``file:line: field.path: message``."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

Loc = tuple[Any, ...]


# Limits that keep a small file from costing much: a record is a few KB.
MAX_BYTES = 1_000_000  # size of one record file
MAX_VALUES = 100_000  # keys, items and values once aliases (*name) are expanded
MAX_DEPTH = 64  # nesting of mappings and lists


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's when available) with YAML 1.2 booleans: only
    true/false are booleans, so a country code ``NO`` or a language ``no``
    stays a string. Dates stay text too: the model reads them and says which
    one is wrong (2029-02-30) instead of the loader crashing."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class Source:
    """A parsed YAML document with the line of each key, and its raw bytes
    (hashed in manifests and for incremental builds)."""

    def __init__(self, path: Path, data: Any, lines: dict[Loc, int], raw: bytes = b""):
        self.path = path
        self.data = data
        self.lines = lines
        self.raw = raw

    @property
    def label(self) -> str:
        return str(self.path)

    def line_of(self, loc: Loc) -> int | None:
        """The line of ``loc``, or of its closest parent that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())

    def problem(self, loc: Loc, message: str) -> Problem:
        return Problem(str(self.path), dotted(loc), message, self.line_of(loc))


def dotted(loc: Loc) -> str:
    """('funding', 'budget', 1, 'amount') -> 'funding.budget[1].amount'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)  # a key with a line break in it is quoted: it cannot forge a line of output
            out += ("." if out else "") + (text if text.isprintable() else repr(text))
    return out


def read_source(path: Path) -> Source:
    """Parse ``path`` (JSON when it ends in .json, else YAML); raise
    InputError for a missing, unreadable, unparsable or oversized file."""
    try:
        if Path(path).stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: the file is over {MAX_BYTES:,} bytes; a record is a few KB")
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read: {exc}") from None
    if Path(path).suffix.lower() == ".json":
        return _read_json(Path(path), text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(f"{path}: the file is empty; expected a mapping of fields")
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        duplicates: list[Problem] = []
        _index(node, (), lines, duplicates, path, _Budget(path))
        if duplicates:
            raise InputError("", duplicates)
        data = loader.construct_document(node)  # one parse gives both the lines and the data
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    finally:
        loader.dispose()
    return Source(Path(path), data, lines, text.encode("utf-8"))


class _Budget:
    """Counts the values met while walking the document, aliases expanded:
    a few lines of ``&a [*b, *b, ...]`` can otherwise stand for billions."""

    def __init__(self, path: Path):
        self.path, self.left, self.chars = path, MAX_VALUES, MAX_VALUES * 100

    def spend(self, node, depth: int, within: tuple) -> None:
        line = node.start_mark.line + 1
        if any(node is outer for outer in within):
            raise InputError(f"{self.path}:{line}: an alias (*name) refers to a value that contains it")
        if depth > MAX_DEPTH:
            raise InputError(f"{self.path}:{line}: values nested more than {MAX_DEPTH} levels deep")
        self.left -= 1
        if isinstance(node, yaml.ScalarNode):
            self.chars -= len(node.value)
        if self.left < 0 or self.chars < 0:
            raise InputError(f"{self.path}:{line}: more than {MAX_VALUES:,} values (or {MAX_VALUES * 100:,} "
                             "characters) once aliases (*name) are expanded; a record is far smaller")


def _index(node, loc: Loc, lines, duplicates, path, budget: _Budget, within: tuple = ()) -> None:
    budget.spend(node, len(loc), within)
    within = within + (node,)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(f"{path}:{key_node.start_mark.line + 1}: {dotted(loc) or 'the record'}: "
                                 "a key must be a plain name, not a list or mapping")
            key = key_node.value
            if key in seen:
                duplicates.append(
                    Problem(str(path), dotted(loc + (key,)), "key appears twice; keep one", key_node.start_mark.line + 1)
                )
            seen.add(key)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _index(value_node, loc + (key,), lines, duplicates, path, budget, within)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _index(item, loc + (i,), lines, duplicates, path, budget, within)


# JSON has no line numbers of its own; its lines come from the YAML composer
# (JSON is YAML), which refuses a surrogate pair written as two \\u escapes.
_SURROGATE_PAIR = re.compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _astral(match: re.Match) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + (high - 0xD800) * 0x400 + (low - 0xDC00):08x}"


def _read_json(path: Path, text: str) -> Source:
    """JSON read by ``json`` (its numbers, its escapes); the lines of keys and
    duplicate keys found by the YAML composer where it can read the text."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError(f"{path}: values nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        line = f":{exc.lineno}" if hasattr(exc, "lineno") else ""
        raise InputError(f"{path}{line}: not valid JSON: {getattr(exc, 'msg', exc)}") from None
    lines: dict[Loc, int] = {(): 1}
    loader = _Loader(_SURROGATE_PAIR.sub(_astral, text))
    try:
        node = loader.get_single_node()
        if node is not None:
            duplicates: list[Problem] = []
            _index(node, (), lines, duplicates, path, _Budget(path))
            if duplicates:
                raise InputError("", duplicates)
    except yaml.YAMLError:
        lines = {(): 1}  # still valid JSON: problems are reported without their line
    finally:
        loader.dispose()
    return Source(path, data, lines, text.encode("utf-8"))
