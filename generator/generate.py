"""One partnership record in, its documents out: the function behind
``partnerdocs generate``, ``comms`` and, record after record, ``batch``."""
from __future__ import annotations

import hashlib
from contextlib import nullcontext
from pathlib import Path
from typing import Optional

from . import __version__
from .comms import approvals_record, comms_images, comms_templates_used, render_comms
from .config import Config
from .errors import InputError
from .contracts import render_contract, template_path
from .output import (Outcome, Planned, commit, intact, is_whole_pdf, locked, manifest_bytes, partnership_folder, plan,
                     read_manifest, recorded_hash, sha256)
from .pdf import to_pdf
from .preflight import preflight
from .records import LoadedRecord, load_record
from .tiers import TierChoice


def generate(record_path: Path, config: Config, out: Path, *, force: bool = False, dry_run: bool = False,
             pdf: bool = False, strict: bool = False, only: Optional[str] = None, allow_unknown: bool = False,
             final: bool = False) -> Outcome:
    """Load a record file and generate its documents (see generate_loaded)."""
    loaded = load_record(record_path, strict=strict, allow_unknown=allow_unknown)
    return generate_loaded(loaded, config, out, force=force, dry_run=dry_run, pdf=pdf, only=only, final=final)


def generate_loaded(loaded: LoadedRecord, config: Config, out: Path, *, force: bool = False, dry_run: bool = False,
                    pdf: bool = False, only: Optional[str] = None, final: bool = False) -> Outcome:
    """Render the record's contract into ``out/<id>/contract/`` and its
    communications into ``out/<id>/comms/`` (``only`` picks one), and update
    its manifest. Nothing is written when any check fails, when an existing
    file would change without ``force``, or with ``dry_run``. A part whose
    inputs (record, configuration, templates, logos) have not changed since
    it was last made, and whose files are intact, is not rendered again.
    ``final`` makes the approved, unmarked comms copies in ``comms/final/``."""
    choice, problems = preflight(loaded, config, only)  # the same refusals as `check`, all at once
    if problems:
        raise InputError("", problems)
    folder = partnership_folder(out, loaded.record.id)
    # Locked from reading the manifest to writing it: a second run of this id refuses.
    with nullcontext() if dry_run else locked(folder):
        return _generate(loaded, config, folder, choice, force, dry_run, pdf, only, final)


def _generate(loaded: LoadedRecord, config: Config, folder: Path, choice: TierChoice, force: bool, dry_run: bool,
              pdf: bool, only: Optional[str], final: bool = False) -> Outcome:
    record = loaded.record
    previous = read_manifest(folder)
    files: list[Planned] = []
    templates: dict[str, bytes] = {}
    inputs: dict[str, str] = {}
    notes = []
    parts = []
    if only in (None, "contract"):
        parts.append("contract")
    if only is None and record.comms is None:
        notes.append("no comms section: communications not generated")
    elif only in (None, "comms"):
        parts.append("comms")
    for part in parts:
        used = _read_templates(_templates_used(part, loaded, config, choice))
        inputs[part] = _inputs_key(part, loaded, config, used, pdf, final)
        templates.update(used)
        kept = None if force else _up_to_date(folder, previous, part, inputs[part])
        if kept is not None:
            files += kept
        elif part == "contract":
            files += _contract_files(loaded, config, choice, folder, pdf, previous)
        else:
            files += [Planned(folder / "comms" / name, data)
                      for name, data in render_comms(loaded, config, final=final).items()]
    manifest = manifest_bytes(folder, loaded.label, loaded.source.raw, choice.name, choice.reason, templates, files,
                              inputs, approvals_record(record) if final and "comms" in parts else None)
    files.append(Planned(folder / "manifest.json", manifest))
    plan(files[:-1], force, folder)
    # The manifest is ours: rewritten whenever its content changes, never a reason to stop.
    manifest_file = files[-1]
    if not manifest_file.path.exists():
        manifest_file.status = "new"
    elif not force and manifest_file.path.read_bytes() == manifest_file.data:
        manifest_file.status = "unchanged"
    else:
        manifest_file.status = "changed"
    if not dry_run:
        commit(files)
    return Outcome(record.id, choice.name, files, notes)


def _templates_used(part: str, loaded: LoadedRecord, config: Config, choice: TierChoice) -> list[Path]:
    if part == "contract":
        return [template_path(config, choice.name, loaded.record.language)]
    return comms_templates_used(config, loaded.record.comms.languages if loaded.record.comms else [])


def _read_templates(paths: list[Path]) -> dict[str, bytes]:
    """Each template's bytes under its manifest name (``contract_templates/x.docx``)."""
    try:
        return {f"{p.parent.name}/{p.name}": p.read_bytes() for p in paths}
    except FileNotFoundError as exc:
        raise InputError(f"{exc.filename}: template not found") from None


def _inputs_key(part: str, loaded: LoadedRecord, config: Config, templates: dict[str, bytes], pdf: bool,
                final: bool = False) -> str:
    """A hash of everything a part is made from: if it is unchanged, so is the part."""
    digest = hashlib.sha256(f"{__version__}\0{part}\0{pdf and part == 'contract'}\0".encode())
    if final and part == "comms":
        digest.update(b"final\0")
    digest.update(config.fingerprint.encode())
    digest.update(loaded.source.raw)
    if loaded.record.partner.logo:
        logo = loaded.path.parent / loaded.record.partner.logo
        digest.update(logo.read_bytes() if logo.is_file() else b"")
    for name in sorted(templates):
        digest.update(name.encode() + b"\0" + templates[name])
    for path in comms_images(loaded, config) if part == "comms" else []:  # the photo, the donor's emblem
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


def _contract_files(loaded, config, choice, folder: Path, pdf: bool, manifest: dict) -> list[Planned]:
    contract = render_contract(loaded, config, choice)
    files = [Planned(folder / "contract" / contract.path, contract.data)]
    if pdf:
        pdf_path = files[0].path.with_suffix(".pdf")
        made_from = recorded_hash(folder, manifest, files[0].path)
        kept = intact(folder, manifest, pdf_path) if made_from == sha256(contract.data) else None
        if kept is not None:
            # LibreOffice stamps the time into every PDF: keep the one made from these very bytes
            # (even when the .docx itself was deleted since).
            files.append(Planned(pdf_path, kept))
        else:
            damaged = pdf_path.is_file() and not is_whole_pdf(pdf_path.read_bytes())
            files.append(Planned(pdf_path, to_pdf({contract.path: contract.data})[contract.path], damaged=damaged))
    return files

