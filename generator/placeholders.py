"""The placeholder values ``partnerdocs new`` writes into a record skeleton,
and finding them again: a record is refused until each one is replaced."""
from __future__ import annotations

from typing import Any

from .errors import Problem
from .yaml_source import Source

MARK = "FILL IN"


def placeholder(hint: str = "") -> str:
    """A placeholder value, with what to write (``FILL IN: YYYY-MM-DD``)."""
    return f"{MARK}: {hint}" if hint else MARK


def unfilled(source: Source) -> list[Problem]:
    """One problem per placeholder still in the record, at its place."""
    found: list[Problem] = []

    def walk(data: Any, loc: tuple) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                walk(value, loc + (key,))
        elif isinstance(data, list):
            for index, item in enumerate(data):
                walk(item, loc + (index,))
        elif isinstance(data, str) and data.startswith(MARK):
            found.append(source.problem(loc, f"placeholder '{data}' not replaced"))

    walk(source.data, ())
    return found
