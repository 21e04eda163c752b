"""New things to fill in: a workspace (``partnerdocs init``) and a record
skeleton written from the record model itself (``partnerdocs new``), so a
field added to the model appears in every new skeleton."""
from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from . import __version__
from .bundle import bundled_files
from .errors import InputError
from .models import Language, Record
from .output import Planned, commit, plan
from .placeholders import placeholder
from .workspace import FILE, FOLDERS

# Optional in the model, but a grants officer fills them in: the documents need them.
ALSO_FILLED = ("partner.logo", "partner.about", "comms", "comms.speakers")
FINANCIAL = ("funding", "funding.advances", "assessment")  # filled in for a financial partnership only

WORKSPACE_FILE = f"""\
# A partnerdocs workspace: the folders partnerdocs reads and writes, each
# relative to this file. Commands run in this folder or below it find it.
[folders]
configs = "{FOLDERS['configs']}"                        # the lead organisation, tier rules, exchange rates, policy
contract_templates = "{FOLDERS['contract_templates']}"  # one Word template per tier and language
comms_templates = "{FOLDERS['comms_templates']}"        # press release, social posts, credit lines
records = "{FOLDERS['records']}"                        # partnership records; validate renders the templates with them
out = "{FOLDERS['out']}"                                # generated documents (not committed, see .gitignore)
"""

# Where the workspace's CI and pre-commit get partnerdocs: `<owner>` is for the organisation to fill in.
SOURCE = "https://github.com/<owner>/partnerdocs"

WORKFLOW = f"""\
# Checks every template, the configuration and the records on each pull request;
# problems show as annotations on the changed files.
name: partnerdocs
on:
  pull_request:
  push:
    branches: [main]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      # The partnerdocs this workspace is checked with: replace <owner> (or
      # install a wheel, or use the Action: uses: <owner>/partnerdocs@v{__version__}).
      - run: pip install "git+{SOURCE}@v{__version__}"
      - run: partnerdocs validate --strict --format github
"""

PRE_COMMIT = f"""\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every
# commit that touches a template, the configuration or a record is validated.
repos:
  - repo: {SOURCE}  # replace <owner>: where your organisation gets partnerdocs
    rev: v{__version__}
    hooks:
      - id: partnerdocs-validate
"""

GITIGNORE = f"/{FOLDERS['out']}/\n"


def init_workspace(folder: Path, force: bool = False) -> list[Planned]:
    """Write a workspace into ``folder``: partnerdocs.toml, copies of the bundled
    configuration, templates and example record, .gitignore, a CI workflow and
    a pre-commit configuration. Raises OutputExists, writing nothing, when a
    file there differs and ``force`` is off; returns each file with its status."""
    files = [Planned(folder / FILE, WORKSPACE_FILE.encode()),
             Planned(folder / ".gitignore", GITIGNORE.encode()),
             Planned(folder / ".github" / "workflows" / "partnerdocs.yml", WORKFLOW.encode()),
             Planned(folder / ".pre-commit-config.yaml", PRE_COMMIT.encode())]
    files += [Planned(folder / name, source.read_bytes()) for name, source in bundled_files().items()]
    commit(plan(files, force, folder))
    (folder / FOLDERS["out"]).mkdir(exist_ok=True)
    return files


def new_record(path: Path, language: str = "en", financial: bool = True, force: bool = False) -> Planned:
    """Write a record skeleton to ``path`` (see ``skeleton``); OutputExists when
    a different file is there and ``force`` is off, InputError for an unknown language."""
    try:
        TypeAdapter(Language).validate_python(language)
    except ValidationError as exc:
        raise InputError(f"language: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    item = Planned(path, skeleton(language, financial).encode())
    commit(plan([item], force, path.parent))
    return item


def skeleton(language: str = "en", financial: bool = True) -> str:
    """A commented record: every field of the model, with what it holds; the
    ones to fill in carry placeholders (refused until replaced), the optional
    ones are commented out."""
    kind = "a financial" if financial else "a non-financial"
    writer = _Skeleton(set(ALSO_FILLED) | (set(FINANCIAL) if financial else set()),
                       {"language": language, "comms.languages": [language]}, language)
    writer.lines += [f"# A partnership record ({kind} partnership), written by `partnerdocs new`.",
                     f"# Replace every {placeholder()!r} value; `partnerdocs check` names those left.",
                     "# Lines commented out are optional: uncomment them to use them.", ""]
    writer.fields(Record, "", 0, commented=False)
    return "\n".join(writer.lines) + "\n"


class _Skeleton:
    """Writes a model's fields as commented YAML lines."""

    def __init__(self, filled: set[str], presets: dict[str, Any], language: str):
        self.filled, self.presets, self.language = filled, presets, language
        self.lines: list[str] = []

    def fields(self, model: type[BaseModel], prefix: str, indent: int, commented: bool, first: str = "") -> None:
        """``model``'s fields at ``indent``; ``first`` ("- " for a list item)
        goes before the first field written as YAML, spaces before the others."""
        fields = model.model_fields
        # A section to fill in whose fields are all optional (assessment.lead) has them all filled in.
        everything = not any(i.is_required() or f"{prefix}{n}" in self.filled for n, i in fields.items())
        for name, info in fields.items():
            path = f"{prefix}{name}"
            active = not commented and (everything or info.is_required() or path in self.filled
                                        or path in self.presets)
            self.field(name, info, path, indent, first if active or commented else " " * len(first), active,
                       commented)
            if active or commented:
                first = " " * len(first)

    def field(self, name: str, info: FieldInfo, path: str, indent: int, lead: str, active: bool,
              inside_comment: bool) -> None:
        annotation = _unwrap(info.annotation)
        model = _model(annotation)
        item = _model(_item(annotation)) if _is_list(annotation) else None
        pad = " " * indent + ("" if active else "# ") + lead
        comment = _comment(info, model or item, active or inside_comment)
        if model is not None or item is not None:
            self.lines.append(f"{pad}{name}:{comment}")
            self.fields(model or item, f"{path}.", indent + len(lead) + 2, not active, first="" if model else "- ")
        else:
            value = self.presets[path] if path in self.presets else _example(annotation, info, active, self.language)
            self.lines.append(f"{pad}{name}: {_yaml(value)}{comment}")


def _example(annotation: Any, info: FieldInfo, active: bool, language: str) -> Any:
    """A placeholder for a field to fill in; the default for an optional one."""
    if not active and not info.is_required() and _simple(info.get_default(call_default_factory=True)):
        return info.get_default(call_default_factory=True)
    if _is_list(annotation):
        return [placeholder(_hint(_item(annotation)))]
    if typing.get_origin(annotation) is dict:
        return {language: placeholder(_hint(typing.get_args(annotation)[1]))}
    return placeholder(_hint(annotation))


def _simple(value: Any) -> bool:
    return isinstance(value, (str, int, Decimal)) and not isinstance(value, bool) or value == []


def _hint(annotation: Any) -> str:
    """What to write, from the type: ``YYYY-MM-DD``, ``a | b | c``, ``a number``."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is Literal:
        return " | ".join(str(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) in (Union, types.UnionType):
        return " or ".join(_hint(a) or "text" for a in typing.get_args(annotation))
    model = _model(annotation)
    if model is not None:
        return "{" + ", ".join(model.model_fields) + "}"
    if annotation is date:
        return "YYYY-MM-DD"
    if annotation in (int, float, Decimal):
        return "a number"
    if annotation is bool:
        return "true or false"
    return ""


def _comment(info: FieldInfo, model: Any, written: bool) -> str:
    """The field's description, else its model's; "(optional)" at the top of what is commented out."""
    text = info.description or ((model.__doc__ or "").strip().split("\n")[0] if model else "")
    if not written:
        text = f"{text} (optional)" if text else "optional"
    return f"  # {text}" if text else ""


def _unwrap(annotation: Any) -> Any:
    """``Optional[X]`` -> ``X``; ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType) and type(None) in typing.get_args(annotation):
            rest = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = rest[0] if len(rest) == 1 else Union[tuple(rest)]
        else:
            return annotation


def _model(annotation: Any) -> Any:
    annotation = _unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(_unwrap(annotation)) is list


def _item(annotation: Any) -> Any:
    return _unwrap(typing.get_args(_unwrap(annotation))[0])


def _yaml(value: Any) -> str:
    """A value as YAML flow text: strings quoted, so ``FILL IN: ...`` stays one string."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)
