"""One partnership record in, its documents out: the function behind
``partnerdocs generate``, ``comms`` and, record after record, ``batch``."""
from __future__ import annotations

import hashlib
from contextlib import nullcontext
from pathlib import Path
from typing import Optional

from . import __version__
from .config import Config
from .errors import InputError
from .comms import approvals_record, comms_images
from .output import Outcome, Planned, commit, intact, locked, manifest_bytes, partnership_folder, plan, read_manifest
from .parts import PARTS, Options, Part
from .preflight import preflight
from .records import LoadedRecord, load_record
from .tiers import TierChoice


def generate(record_path: Path, config: Config, out: Path, options: Optional[Options] = None, **flags) -> Outcome:
    """Load a record file and generate its documents (see generate_loaded).
    ``flags`` are the fields of Options, for callers of the library."""
    options = options or Options(**flags)
    loaded = load_record(record_path, strict=options.strict, allow_unknown=options.allow_unknown)
    return generate_loaded(loaded, config, out, options)


def generate_loaded(loaded: LoadedRecord, config: Config, out: Path, options: Optional[Options] = None,
                    **flags) -> Outcome:
    """Render each part of the record (generator/parts.py; ``options.only``
    picks one) into ``out/<id>/<part>/``, and update its manifest. Nothing is
    written when any check fails, when an existing file would change without
    ``force``, or with ``dry_run``. A part whose inputs (record,
    configuration, templates, logos) have not changed since it was last made,
    and whose files are intact, is not rendered again."""
    options = options or Options(**flags)
    choice, problems = preflight(loaded, config, options.only)  # the same refusals as `check`, all at once
    if problems:
        raise InputError("", problems)
    folder = partnership_folder(out, loaded.record.id)
    # Locked from reading the manifest to writing it: a second run of this id refuses.
    with nullcontext() if options.dry_run else locked(folder):
        return _generate(loaded, config, folder, choice, options)


def _generate(loaded: LoadedRecord, config: Config, folder: Path, choice: TierChoice, options: Options) -> Outcome:
    record = loaded.record
    previous = read_manifest(folder)
    files: list[Planned] = []
    templates: dict[str, bytes] = {}
    inputs: dict[str, str] = {}
    notes = []
    for part in PARTS:
        if not options.wants(part.name):
            continue
        skipped = part.skipped(loaded, choice)
        if skipped is not None and options.only is None:  # asked for by name, it says what is missing
            notes.append(skipped)
            continue
        used = _read_templates(part.templates(loaded, config, choice))
        inputs[part.name] = _inputs_key(part, loaded, config, used, options.pdf, options.final)
        templates.update(used)
        kept = None if options.force else _up_to_date(folder, previous, part.name, inputs[part.name])
        files += kept if kept is not None else part.render(loaded, config, choice, folder, options, previous)
    manifest = manifest_bytes(folder, loaded.label, loaded.source.raw, choice.name, choice.reason, templates, files,
                              inputs, approvals_record(loaded.record) if options.final and "comms" in inputs else None)
    files.append(Planned(folder / "manifest.json", manifest))
    plan(files[:-1], options.force, folder)
    # The manifest is ours: rewritten whenever its content changes, never a reason to stop.
    manifest_file = files[-1]
    if not manifest_file.path.exists():
        manifest_file.status = "new"
    elif not options.force and manifest_file.path.read_bytes() == manifest_file.data:
        manifest_file.status = "unchanged"
    else:
        manifest_file.status = "changed"
    if not options.dry_run:
        commit(files)
    return Outcome(record.id, choice.name, files, notes)


def _read_templates(paths: list[Path]) -> dict[str, bytes]:
    """Each template's bytes under its manifest name (``contract_templates/x.docx``)."""
    try:
        return {f"{p.parent.name}/{p.name}": p.read_bytes() for p in paths}
    except FileNotFoundError as exc:
        raise InputError(f"{exc.filename}: template not found") from None


def _inputs_key(part: Part, loaded: LoadedRecord, config: Config, templates: dict[str, bytes], pdf: bool,
                final: bool = False) -> str:
    """A hash of everything a part is made from: if it is unchanged, so is the part."""
    digest = hashlib.sha256(f"{__version__}\0{part.name}\0{pdf and part.uses_pdf}\0".encode())
    if final and part.name == "comms":
        digest.update(b"final\0")
    digest.update(config.fingerprint.encode())
    digest.update(loaded.source.raw)
    if loaded.record.partner.logo:
        logo = loaded.path.parent / loaded.record.partner.logo
        digest.update(logo.read_bytes() if logo.is_file() else b"")
    for name in sorted(templates):
        digest.update(name.encode() + b"\0" + templates[name])
    for path in comms_images(loaded, config) if part.name == "comms" else []:  # the photo, the donor's emblem
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _up_to_date(folder: Path, manifest: dict, part: str, key: str) -> Optional[list[Planned]]:
    """The part's files as they are, when they were made from these very
    inputs and none has been changed or removed since; else None."""
    if manifest.get("inputs", {}).get(part) != key:
        return None
    kept = []
    for entry in manifest.get("outputs", []):
        if not isinstance(entry, dict) or not str(entry.get("path", "")).startswith(f"{part}/"):
            continue
        path = folder / entry["path"]
        data = intact(folder, manifest, path)
        if data is None:
            return None
        kept.append(Planned(path, data))
    return kept or None
