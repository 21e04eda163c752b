"""One partnership record in, its documents out: the function behind
``partnerdocs generate`` (and, for many records, ``batch``)."""
from __future__ import annotations

from pathlib import Path

from .config import Config
from .comms import comms_templates_used, render_comms
from .contracts import render_contract
from .output import Outcome, Planned, commit, manifest_bytes, partnership_folder, plan
from .pdf import to_pdf
from .records import load_record
from .tiers import select_tier


def generate(record_path: Path, config: Config, out: Path, *, force: bool = False, dry_run: bool = False,
             pdf: bool = False, strict: bool = False, only: str | None = None) -> Outcome:
    """Render the record's contract into ``out/<id>/contract/`` and its
    communications into ``out/<id>/comms/`` (``only`` picks one), and update
    its manifest. Nothing is written when any check fails, when an existing
    file would change without ``force``, or with ``dry_run``."""
    loaded = load_record(record_path, strict=strict)
    record = loaded.record
    choice = select_tier(record, config)
    folder = partnership_folder(out, record.id)
    files: list[Planned] = []
    templates: dict[str, bytes] = {}
    notes = []
    if only in (None, "contract"):
        files += _contract_files(loaded, config, choice, folder, pdf, templates)
    if only is None and record.comms is None:
        notes.append("no comms section: communications not generated")
    elif only in (None, "comms"):
        for name, data in render_comms(loaded, config).items():
            files.append(Planned(folder / "comms" / name, data))
        for template in comms_templates_used(config, record.comms.languages):
            templates[f"comms_templates/{template.name}"] = template.read_bytes()
    manifest = manifest_bytes(folder, record_path, loaded.source.path.read_bytes(), choice.name, choice.reason,
                              templates, files)
    files.append(Planned(folder / "manifest.json", manifest))
    # The manifest is ours: it is rewritten whenever the documents it lists are.
    plan(files[:-1], force)
    plan(files[-1:], True)
    outcome = Outcome(record.id, choice.name, files, notes)
    if not dry_run:
        commit(files)
    return outcome


def _contract_files(loaded, config, choice, folder: Path, pdf: bool, templates: dict[str, bytes]) -> list[Planned]:
    contract = render_contract(loaded, config, choice)
    templates[f"contract_templates/{contract.template.name}"] = contract.template_data
    files = [Planned(folder / "contract" / contract.path, contract.data)]
    if pdf:
        pdf_path = files[0].path.with_suffix(".pdf")
        if _unchanged(files[0]) and pdf_path.exists():
            # LibreOffice stamps the time into every PDF: keep the one made from these very bytes.
            files.append(Planned(pdf_path, pdf_path.read_bytes()))
        else:
            files.append(Planned(pdf_path, to_pdf({contract.path: contract.data})[contract.path]))
    return files


def _unchanged(item: Planned) -> bool:
    return item.path.exists() and item.path.read_bytes() == item.data
