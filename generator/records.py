"""Read partnership records (YAML or JSON) into models. Every problem of a
record is reported at once, each as ``file:line: field.path: message``."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, Optional, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import CheckFailed, InputError, Problem
from .images import BadImage, read_logo
from .models import Record
from .placeholders import unfilled
from .yaml_source import Source, read_source

M = TypeVar("M", bound=BaseModel)

# pydantic's wording, made plainer for people who write records by hand.
_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "date_from_datetime_parsing": "expected a date written as YYYY-MM-DD",
    "date_parsing": "expected a date written as YYYY-MM-DD",
    "date_type": "expected a date written as YYYY-MM-DD",
    "decimal_parsing": "expected a number",
    "decimal_type": "expected a number",
    "greater_than": "must be greater than zero",
    "decimal_max_places": "at most 2 decimal places",
    "string_pattern_mismatch": "has characters that are not allowed",
}


@dataclass
class Validation(Generic[M]):
    value: Optional[M]
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def validate(source: Source, model: type[M], allow_unknown: bool = False) -> Validation[M]:
    """Validate ``source.data`` against ``model``. Unknown keys are errors (a
    typo such as ``fundng:`` would silently change the agreement); with
    ``allow_unknown`` they are warnings and ignored."""
    if not isinstance(source.data, dict):
        return Validation(None, [source.problem((), "expected a mapping of fields (key: value), not a list or text")])
    unknown = _unknown_keys(source, model, allow_unknown)
    errors, warnings = ([], unknown) if allow_unknown else (unknown, [])
    try:
        value = model.model_validate(source.data)
    except ValidationError as exc:
        return Validation(None, errors + [_problem(source, e) for e in exc.errors()], warnings)
    return Validation(None if errors else value, errors, warnings)


def _problem(source: Source, error: dict[str, Any]) -> Problem:
    loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    message = _MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "string_pattern_mismatch" and loc == ("id",):
        message = "use letters, digits, '-' and '_' only (at most 64); the id names files and folders"
    elif error["type"] == "string_pattern_mismatch" and "hashtags" in loc:
        message = "a hashtag is '#' followed by letters, digits or '_'"
    elif error["type"] == "string_pattern_mismatch" and loc[-1:] == ("email",):
        message = "expected an email address such as name@example.org"
    elif error["type"] == "value_error":
        message = error["msg"].removeprefix("Value error, ")
    elif error["type"] == "item":  # models.item_error: one item of a list, at its own line
        loc, message = loc + tuple(error["ctx"]["at"]), error["ctx"]["message"]
    return source.problem(loc, message)


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the tried union member in the loc: "literal['on_signature']", "Release"
    return isinstance(part, str) and (part.startswith(("literal[", "function-")) or part[:1].isupper())


def _unknown_keys(source: Source, model: type[BaseModel], ignored: bool) -> list[Problem]:
    """Keys the model does not know: a typo like ``fundng:`` must not pass silently."""
    found: list[Problem] = []

    def walk(data: Any, model: Any, loc: tuple) -> None:
        if isinstance(data, list):
            for i, item in enumerate(data):
                walk(item, model, loc + (i,))
            return
        if not isinstance(data, dict):
            return
        fields = _fields(model)
        for key, value in data.items():
            if key not in fields:
                hint = did_you_mean(str(key), list(fields))
                note = " (ignored)" if ignored else ""
                found.append(source.problem(loc + (key,), f"unknown field{hint}{note}"))
            else:
                for child in fields[key]:
                    if isinstance(child, _Values) and isinstance(value, dict):
                        for name, item in value.items():
                            walk(item, child.model, loc + (key, name))
                    elif not isinstance(child, _Values):
                        walk(value, child, loc + (key,))

    walk(source.data, model, ())
    return found


def unknown_prefix(loc: tuple, model: type[BaseModel] = Record) -> Optional[tuple]:
    """The part of a field path (('fundng', 'amount')) up to its first key that
    ``model`` does not know (('fundng',)), or None when every key is known.
    Keys inside free mappings (``about.pt``) are not checked."""
    models: tuple = (model,)
    for depth, key in enumerate(loc):
        if not models:
            return None
        if any(isinstance(m, _Values) for m in models):  # a name, then the value's fields
            models = tuple(m.model for m in models if isinstance(m, _Values))
            continue
        fields = {}
        for candidate in models:
            fields.update(_fields(candidate))
        if key not in fields:
            return tuple(loc[: depth + 1])
        models = fields[key]
    return None


@lru_cache(maxsize=None)
def _fields(model: type[BaseModel]) -> dict[str, tuple]:
    """Each field of ``model`` with the models found in its annotation."""
    return {name: tuple(_models_in(info.annotation)) for name, info in model.model_fields.items()}


@dataclass(frozen=True)
class _Values:
    """A mapping whose values are ``model`` (dict[Name, Office]): its keys are names, not fields."""

    model: Any


def _models_in(annotation: Any) -> list[Any]:
    """The BaseModel classes inside an annotation such as Optional[list[Risk]]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if getattr(annotation, "__origin__", None) is dict:
        return [_Values(m) for m in _models_in(annotation.__args__[1])]
    out: list[Any] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out += _models_in(arg)
    return out


def did_you_mean(name: str, known: list[str]) -> str:
    from difflib import get_close_matches

    match = get_close_matches(name, known, n=1)
    return f"; did you mean '{match[0]}'?" if match else ""


@dataclass
class LoadedRecord:
    """A valid record, where it came from, and the warnings found on the way."""

    record: Record
    source: Source
    warnings: list[Problem]

    @property
    def path(self) -> Path:
        """The file the record came from (a YAML file, or a workbook for a row)."""
        return self.source.path

    @property
    def label(self) -> str:
        """Where the record came from, for messages: the file, or the workbook and row."""
        return self.source.label

    def logo_path(self, rule: str) -> Path:
        """The partner's logo; CheckFailed naming ``rule`` when the record has none."""
        if not self.record.partner.logo:
            raise CheckFailed(f"{self.label}: rule '{rule}' cannot be met: partner.logo is missing; "
                              "add the partner's PNG or JPEG logo")
        return self.path.parent / self.record.partner.logo


def check_logo(source: Source, loc: tuple, logo: str) -> list[Problem]:
    try:
        read_logo(source.path.parent / logo)
    except BadImage as exc:
        return [source.problem(loc, str(exc))]
    return []


def load_record(path: Path, strict: bool = False, allow_unknown: bool = False) -> LoadedRecord:
    """Read and validate one record file; raise InputError listing every problem."""
    return check_record(read_source(Path(path)), strict, allow_unknown)


def check_record(source: Source, strict: bool = False, allow_unknown: bool = False) -> LoadedRecord:
    """Validate one record's data (from a file or a spreadsheet row);
    raise InputError listing every problem, each with its place. Unknown
    keys are errors unless ``allow_unknown`` (then warnings, errors again
    under ``strict``)."""
    result = validate(source, Record, allow_unknown)
    problems = list(result.errors)
    partner = source.data.get("partner") if isinstance(source.data, dict) else None
    logo = partner.get("logo") if isinstance(partner, dict) else None
    if isinstance(logo, str) and logo:
        problems += check_logo(source, ("partner", "logo"), logo)
    if strict:
        problems += result.warnings
    todo = unfilled(source)  # a skeleton's placeholders: said once, not as type errors too
    problems = todo + [p for p in problems if p.path not in {t.path for t in todo}]
    if problems:
        raise InputError("", sorted(problems, key=lambda p: p.line or 0))
    return LoadedRecord(result.value, source, result.warnings)
