"""Writing outputs safely: inside the output folder only, atomically, never
overwriting a changed file without --force, with a manifest of what was made."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from . import __version__
from .errors import InputError, OutputExists, PartnerdocsError

try:
    import fcntl
except ImportError:  # Windows: runs are not locked
    fcntl = None

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: os.umask can only be read by setting it


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def partnership_folder(out: Path, record_id: str) -> Path:
    """``out/<id>``, refusing any id that would lead outside ``out``, and an
    ``out/<id>`` that is a file or a link."""
    folder = out / record_id
    if folder.is_symlink():
        raise InputError(f"{folder}: is a symbolic link; partnerdocs writes only inside {out}, never through a link")
    if (out.resolve() / record_id).resolve().parent != out.resolve():
        raise InputError(f"id {record_id!r} would write outside {out}; use letters, digits, '-' and '_' only")
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: exists and is not a folder; move it away so the partnership's folder can be made")
    return folder


def refuse_links(root: Path, path: Path) -> None:
    """Refuse a ``path`` under ``root`` that goes through a symbolic link (a
    write would land outside the output folder) or that is a folder."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            raise InputError(f"{current}: is a symbolic link; partnerdocs writes only inside {root}, "
                             "never through a link")
    if path.is_dir():
        raise InputError(f"{path}: is a folder where partnerdocs writes a file; move it away")


def _failed(path: Path, exc: OSError) -> PartnerdocsError:
    return PartnerdocsError(f"{path}: cannot be written: {exc.strerror or exc}; nothing of this run was kept")


def _stage(path: Path, data: bytes) -> str:
    """``data`` in a temporary file beside ``path``, with the mode the umask gives
    (mkstemp makes 0600, which colleagues on a shared drive could not read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), 0o666 & ~_UMASK)
            stream.write(data)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def write_all(items: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: all go to temporary names first (a full
    disk fails here, before any file is replaced), then each is renamed."""
    staged: list[tuple[str, Path]] = []
    path = items[0][0] if items else Path()
    try:
        for path, data in items:
            staged.append((_stage(path, data), path))
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename: a reader never
    sees half a file, and an interrupted run leaves none."""
    write_all([(path, data)])


def write_new(path: Path, data: bytes) -> bool:
    """Write ``path`` whole, only if it does not exist yet (a hard link of
    the staged file fails on an existing name); False when it exists."""
    try:
        temporary = _stage(path, data)
    except OSError as exc:
        raise _failed(path, exc) from None
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _failed(path, exc) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return True


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold a lock on the partnership folder itself (flock on the folder, so
    no lock file is left among the outputs): a second run of the same id
    refuses instead of mixing its files with this one's. Temporary files
    left by a run that was killed are removed once the lock is held; the
    folders made for the lock are removed again when nothing was written."""
    made = [p for p in [folder, *folder.parents] if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise _failed(folder, exc) from None
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise PartnerdocsError(f"{folder}: another partnerdocs run is writing this partnership; "
                                       "run again when it has finished") from None
        _remove_leftovers(folder)
        yield
    finally:
        for path in made:
            try:
                path.rmdir()  # only when empty: a run that failed leaves no folder behind
            except OSError:
                break
        os.close(handle)


def _remove_leftovers(folder: Path) -> None:
    for parent, folders, names in os.walk(folder):  # never follows links
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(parent, name).unlink(missing_ok=True)


def is_whole_pdf(data: bytes) -> bool:
    """A PDF starts with %PDF- and its last lines hold %%EOF: a truncated copy does not."""
    return data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


def intact(folder: Path, manifest: dict, path: Path) -> Optional[bytes]:
    """The bytes of ``path`` when they are what the manifest says was made
    (and, for a PDF, a whole PDF); None for a missing, changed or damaged file."""
    recorded = recorded_hash(folder, manifest, path)
    if recorded is None or not path.is_file() or path.is_symlink():
        return None
    data = path.read_bytes()
    if sha256(data) != recorded or (path.suffix == ".pdf" and not is_whole_pdf(data)):
        return None
    return data


def recorded_hash(folder: Path, manifest: dict, path: Path) -> Optional[str]:
    """The sha256 the manifest holds for ``path``, if any."""
    name = path.relative_to(folder).as_posix()
    outputs = manifest.get("outputs")
    return next((e.get("sha256") for e in outputs if isinstance(e, dict) and e.get("path") == name),
                None) if isinstance(outputs, list) else None


@dataclass
class Planned:
    """One file to write and what will happen to it."""

    path: Path
    data: bytes
    status: str = ""  # new | unchanged | changed (written with --force) | kept
    damaged: bool = False  # the file there is ours but broken (a truncated PDF): replaced without --force


@dataclass
class Outcome:
    record_id: str
    tier: str
    files: list[Planned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[Planned]:
        return [f for f in self.files if f.status in ("new", "changed")]


def plan(files: list[Planned], force: bool, root: Path) -> list[Planned]:
    """Decide each file's status; refuse (before writing anything) when an
    existing file would change and ``force`` is off, or when a file would be
    written through a link or onto a folder under ``root``."""
    blocked = []
    for item in files:
        refuse_links(root, item.path)
        if not item.path.exists():
            item.status = "new"
        elif force or item.damaged:
            item.status = "changed"  # asked to rebuild: written even when equal
        elif item.path.read_bytes() == item.data:
            item.status = "unchanged"
        else:
            blocked.append(item.path)
    if blocked:
        raise OutputExists(blocked)
    return files


def commit(files: list[Planned]) -> None:
    """Write the new and changed files, all or none (the manifest last)."""
    write_all([(item.path, item.data) for item in files if item.status in ("new", "changed")])


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
                   templates: dict[str, bytes], outputs: list[Planned], inputs: dict[str, str],
                   approvals: dict | None = None) -> bytes:
    """The partnership's manifest, merged with the entries other commands made.
    ``inputs`` holds, per part (contract, comms), the hash of what it was made from;
    ``approvals`` who approved the final comms copies, and when."""
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
    } | ({"approvals": approvals or existing["approvals"]} if approvals or "approvals" in existing else {}))


def add_to_manifest(folder: Path, outputs: list[Planned]) -> None:
    """Record files made after the manifest was written (batch PDFs)."""
    manifest = read_manifest(folder)
    manifest["outputs"] = _merged(manifest.get("outputs"), {i.path.relative_to(folder).as_posix(): i.data
                                                            for i in outputs})
    write_atomic(folder / "manifest.json", _dump(manifest))
