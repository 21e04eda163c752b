"""Where partnerdocs finds its folders. A workspace is a folder with a
``partnerdocs.toml`` naming its configuration, template, record and output
folders (relative to that file); it is found in the current folder or a
parent, as git finds ``.git``. Without one, a configuration folder is read
as laid out in partnerdocs' own repository: the template folders beside it."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Optional

from .errors import ConfigNotFound, InputError, Problem, WorkspaceNotFound

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE = "partnerdocs.toml"
ENV_VAR = "PARTNERDOCS_WORKSPACE"
CONFIGS_ENV_VAR = "PARTNERDOCS_CONFIGS"
DEFAULT_CONFIGS = Path("configs")
# Each folder of a workspace and its default name, in the order the file lists them.
FOLDERS = {
    "configs": "configs",
    "contract_templates": "contract_templates",
    "comms_templates": "comms_templates",
    "records": "records",
    "out": "out",
}


@dataclass(frozen=True)
class Workspace:
    """The folders partnerdocs reads and writes."""

    configs: Path
    contract_templates: Path
    comms_templates: Path
    records: Path  # the example records validate renders every template with
    out: Path
    file: Optional[Path] = None  # the partnerdocs.toml; None for a repository-style layout

    @classmethod
    def beside(cls, configs: Path) -> "Workspace":
        """A configuration folder without a workspace file, laid out as in
        partnerdocs' repository: contract_templates/ and comms_templates/ beside
        it, example records in its partnerships/, output in ./out."""
        root = configs.parent
        return cls(configs, root / "contract_templates", root / "comms_templates", configs / "partnerships",
                   Path("out"))

    def __str__(self) -> str:
        return str(self.file or self.configs)


def _line(text: str, key: str) -> Optional[int]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith((f"{key} ", f"{key}=", f"[{key}]")):
            return number
    return None


def read_workspace(file: Path) -> Workspace:
    """The workspace a ``partnerdocs.toml`` describes; every problem at once, with its line."""
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{file}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file}: cannot be read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file}: not valid TOML: {exc}") from None
    problems = []
    for key in data:
        if key != "folders":
            problems.append(Problem(str(file), key, "unknown key; the file has one table, [folders]", _line(text, key)))
    folders = data.get("folders", {})
    if not isinstance(folders, dict):
        problems.append(Problem(str(file), "folders", "expected a table: [folders]", _line(text, "folders")))
        folders = {}
    for key, value in folders.items():
        if key not in FOLDERS:
            match = get_close_matches(key, list(FOLDERS), n=1)
            hint = f"; did you mean '{match[0]}'?" if match else f" (known: {', '.join(FOLDERS)})"
            problems.append(Problem(str(file), f"folders.{key}", f"unknown folder{hint}", _line(text, key)))
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(str(file), f"folders.{key}", "expected a folder path in quotes, relative to "
                                    f"this file (e.g. {key} = \"{FOLDERS[key]}\")", _line(text, key)))
    if problems:
        raise InputError("", problems)
    base = file.parent
    return Workspace(**{key: base / folders.get(key, default) for key, default in FOLDERS.items()}, file=file)


def _nearest_file(start: Path) -> Optional[Path]:
    """``partnerdocs.toml`` in ``start`` or its nearest parent, relative to the
    current folder when it is there or above (so messages show short paths)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / FILE).is_file():
            return Path(os.path.relpath(folder / FILE))
    return None


def find_workspace(workspace: Optional[Path] = None, configs: Optional[Path] = None,
                   start: Optional[Path] = None) -> Workspace:
    """The workspace of ``workspace`` (a folder or its partnerdocs.toml;
    default $PARTNERDOCS_WORKSPACE), else the nearest partnerdocs.toml from
    ``start`` (default: the current folder) upward, else ``configs`` (default
    $PARTNERDOCS_CONFIGS, else ./configs) laid out as in partnerdocs'
    repository. ``configs`` replaces a workspace's configuration folder."""
    workspace = workspace or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    configs = configs or (Path(os.environ[CONFIGS_ENV_VAR]) if os.environ.get(CONFIGS_ENV_VAR) else None)
    if workspace is not None:
        file = workspace if workspace.is_file() else workspace / FILE
        if not file.is_file():
            raise InputError(f"{workspace}: no {FILE} in this folder")
        found = read_workspace(file)
    else:
        nearest = _nearest_file(start or Path.cwd())
        found = read_workspace(nearest) if nearest else None
    if found is not None:
        found = replace(found, configs=configs) if configs is not None else found
    elif configs is not None:
        found = Workspace.beside(configs)
    elif ((start or Path()) / DEFAULT_CONFIGS).is_dir():
        found = Workspace.beside((start or Path()) / DEFAULT_CONFIGS)
    else:
        raise WorkspaceNotFound(Path(start or Path.cwd()).resolve(), FILE)
    if not found.configs.is_dir():
        raise ConfigNotFound(found.configs, found.file if configs is None else None)
    return found
