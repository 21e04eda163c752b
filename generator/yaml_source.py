"""Read YAML (or JSON) files and remember the line of every key, so that
problems can be reported as ``file:line: field.path: message``."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

Loc = tuple[Any, ...]


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's when available) with YAML 1.2 booleans: only
    true/false are booleans, so a country code ``NO`` or a language ``no``
    stays a string."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
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
            out += ("." if out else "") + str(part)
    return out


def read_source(path: Path) -> Source:
    """Parse ``path``; raise InputError for a missing, unreadable or unparsable file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read: {exc}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(f"{path}: the file is empty; expected a mapping of fields")
        lines: dict[Loc, int] = {(): node.start_mark.line + 1}
        duplicates: list[Problem] = []
        _index(node, (), lines, duplicates, path)
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


def _index(node, loc: Loc, lines, duplicates, path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                duplicates.append(
                    Problem(str(path), dotted(loc + (key,)), "key appears twice; keep one", key_node.start_mark.line + 1)
                )
            seen.add(key)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _index(value_node, loc + (key,), lines, duplicates, path)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _index(item, loc + (i,), lines, duplicates, path)
