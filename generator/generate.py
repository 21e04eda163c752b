"""One partnership record in, its documents out: the function behind
``partnerdocs generate`` (and, for many records, ``batch``)."""
from __future__ import annotations

from pathlib import Path

from .config import Config
from .contracts import render_contract
from .output import Outcome, Planned, commit, manifest_bytes, partnership_folder, plan
from .pdf import to_pdf
from .records import load_record
from .tiers import select_tier


def generate(record_path: Path, config: Config, out: Path, *, force: bool = False, dry_run: bool = False,
             pdf: bool = False, strict: bool = False) -> Outcome:
    """Render the record's contract into ``out/<id>/contract/`` and update its
    manifest. Nothing is written when any check fails, when an existing file
    would change without ``force``, or with ``dry_run``."""
    loaded = load_record(record_path, strict=strict)
    record = loaded.record
    choice = select_tier(record, config)
    folder = partnership_folder(out, record.id)

    contract = render_contract(loaded, config, choice)
    files = [Planned(folder / "contract" / contract.path, contract.data)]
    if pdf:
        pdf_path = files[0].path.with_suffix(".pdf")
        if _unchanged(files[0]) and pdf_path.exists():
            # LibreOffice stamps the time into every PDF: keep the one made from these very bytes.
            files.append(Planned(pdf_path, pdf_path.read_bytes()))
        else:
            files.append(Planned(pdf_path, to_pdf({contract.path: contract.data})[contract.path]))
    template_name = contract.template.name
    manifest = manifest_bytes(
        folder, record_path, loaded.source.path.read_bytes(), choice.name, choice.reason,
        {f"contract_templates/{template_name}": contract.template_data}, files,
    )
    files.append(Planned(folder / "manifest.json", manifest))
    # The manifest is ours: it is rewritten whenever the documents it lists are.
    plan(files[:-1], force)
    plan(files[-1:], True)
    outcome = Outcome(record.id, choice.name, files)
    if not dry_run:
        commit(files)
    return outcome


def _unchanged(item: Planned) -> bool:
    return item.path.exists() and item.path.read_bytes() == item.data
