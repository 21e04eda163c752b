"""Writing outputs safely: inside the output folder only, atomically, never
overwriting a changed file without --force, with a manifest of what was made."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .errors import InputError, OutputExists


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def partnership_folder(out: Path, record_id: str) -> Path:
    """``out/<id>``, refusing any id that would lead outside ``out``."""
    if (out.resolve() / record_id).resolve().parent != out.resolve():
        raise InputError(f"id {record_id!r} would write outside {out}; use letters, digits, '-' and '_' only")
    return out / record_id


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: a reader never
    sees half a file, and an interrupted run leaves none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass
class Planned:
    """One file to write and what will happen to it."""

    path: Path
    data: bytes
    status: str = ""  # new | unchanged | changed (written with --force) | kept


@dataclass
class Outcome:
    record_id: str
    tier: str
    files: list[Planned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[Planned]:
        return [f for f in self.files if f.status in ("new", "changed")]


def plan(files: list[Planned], force: bool) -> list[Planned]:
    """Decide each file's status; refuse (before writing anything) when an
    existing file would change and ``force`` is off."""
    blocked = []
    for item in files:
        if not item.path.exists():
            item.status = "new"
        elif force:
            item.status = "changed"  # asked to rebuild: written even when equal
        elif item.path.read_bytes() == item.data:
            item.status = "unchanged"
        else:
            blocked.append(item.path)
    if blocked:
        raise OutputExists(blocked)
    return files


def commit(files: list[Planned]) -> None:
    for item in files:
        if item.status in ("new", "changed"):
            write_atomic(item.path, item.data)


def read_manifest(folder: Path) -> dict:
    """The partnership's manifest, or {} when there is none (or it is unreadable)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _merged(entries: object, new: dict[str, bytes]) -> list[dict]:
    """Manifest entries ({path, sha256}) with ``new`` added or replaced, sorted by path."""
    known = {e["path"]: e for e in entries if isinstance(e, dict) and "path" in e} if isinstance(entries, list) else {}
    known.update({name: {"path": name, "sha256": sha256(data)} for name, data in new.items()})
    return [known[k] for k in sorted(known)]


def _dump(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def manifest_bytes(folder: Path, record_label: str, record_bytes: bytes, tier: str, reason: str,
                   templates: dict[str, bytes], outputs: list[Planned], inputs: dict[str, str]) -> bytes:
    """The partnership's manifest, merged with the entries other commands made.
    ``inputs`` holds, per part (contract, comms), the hash of what it was made from."""
    existing = read_manifest(folder)
    known_inputs = dict(existing.get("inputs", {}) if isinstance(existing.get("inputs"), dict) else {})
    known_inputs.update(inputs)
    return _dump({
        "tool": {"name": "partnerdocs", "version": __version__},
        "record": {"path": record_label, "sha256": sha256(record_bytes)},
        "tier": {"name": tier, "reason": reason},
        "templates": _merged(existing.get("templates"), templates),
        "outputs": _merged(existing.get("outputs"), {i.path.relative_to(folder).as_posix(): i.data for i in outputs}),
        "inputs": {k: known_inputs[k] for k in sorted(known_inputs)},
    })


def add_to_manifest(folder: Path, outputs: list[Planned]) -> None:
    """Record files made after the manifest was written (batch PDFs)."""
    manifest = read_manifest(folder)
    manifest["outputs"] = _merged(manifest.get("outputs"), {i.path.relative_to(folder).as_posix(): i.data
                                                            for i in outputs})
    write_atomic(folder / "manifest.json", _dump(manifest))
