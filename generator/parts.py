"""The registry of parts: each kind of document a record produces, in one
place. ``generate`` and ``batch`` render the parts, ``--only`` offers their
names, the manifest keeps one inputs hash per part, and ``validate`` asks
each part which templates are its own. Adding a document kind is adding a
part here. The library is imported inside the functions, so that the CLI's
``--help`` (which lists the names) starts fast."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    from .config import Config
    from .output import Planned
    from .records import LoadedRecord
    from .tiers import TierChoice


@dataclass(frozen=True)
class Options:
    """How ``generate`` and ``batch`` run, set once from the command line."""

    force: bool = False  # replace outputs whose content would change
    dry_run: bool = False  # say what would be written, write nothing
    pdf: bool = False  # also convert the contract to PDF
    only: Optional[str] = None  # one part's name, or None for every part
    strict: bool = False  # warnings are errors
    allow_unknown: bool = False  # unknown record fields are warnings, not errors
    final: bool = False  # also the approved, unmarked comms copies in comms/final/

    def wants(self, part: str) -> bool:
        return self.only in (None, part)


@dataclass(frozen=True)
class Part:
    """One kind of document, written to ``out/<id>/<name>/``."""

    name: str
    help: str
    # Why the part is not made for this record (a note for the user), or None when it is.
    skipped: Callable[["LoadedRecord", "TierChoice"], Optional[str]]
    # The template files it is made from (hashed into its inputs, listed in the manifest).
    templates: Callable[["LoadedRecord", "Config", "TierChoice"], list[Path]]
    # Its files: (record, configuration, tier, partnership folder, options, previous manifest).
    render: Callable[["LoadedRecord", "Config", "TierChoice", Path, Options, dict], list["Planned"]]
    # The validate kind of a template file of this part, or None when the file is not one.
    classify: Callable[[Path], Optional[str]]
    # Whether --pdf changes what the part writes (and so its inputs).
    uses_pdf: bool = False


# --- contract -----------------------------------------------------------------------------------

def _contract_templates(loaded, config, choice) -> list[Path]:
    from .contracts import template_path

    from .translations import agreement_versions

    return [template_path(config, choice.name, language) for language in agreement_versions(loaded.record)]


def _contract_render(loaded, config, choice, folder: Path, options: Options, manifest: dict) -> list["Planned"]:
    """The agreement, one document per version of a bilingual one, each with its PDF when asked."""
    from .contracts import render_contract
    from .output import Planned, intact, is_whole_pdf, recorded_hash, sha256
    from .pdf import to_pdf
    from .translations import agreement_versions

    files = []
    for language in agreement_versions(loaded.record):
        contract = render_contract(loaded, config, choice, language=language)
        docx_file = Planned(folder / "contract" / contract.path, contract.data)
        files.append(docx_file)
        if options.pdf:
            pdf_path = docx_file.path.with_suffix(".pdf")
            made_from = recorded_hash(folder, manifest, docx_file.path)
            kept = intact(folder, manifest, pdf_path) if made_from == sha256(contract.data) else None
            if kept is not None:
                # LibreOffice stamps the time into every PDF: keep the one made from these very bytes
                # (even when the .docx itself was deleted since).
                files.append(Planned(pdf_path, kept))
            else:
                damaged = pdf_path.is_file() and not is_whole_pdf(pdf_path.read_bytes())
                files.append(Planned(pdf_path, to_pdf({contract.path: contract.data})[contract.path],
                                     damaged=damaged))
    return files


CONTRACT_KIND = "contract"


def _contract_classify(path: Path) -> Optional[str]:
    # Any other .docx is a contract template: the comms part is asked first.
    return CONTRACT_KIND if path.name.endswith(".docx") else None


# --- comms --------------------------------------------------------------------------------------

COMMS_DOCX, COMMS_MD, COMMS_YAML, COMMS_HTML = "comms-docx", "comms-markdown", "comms-yaml", "comms-html"
COMMS_KINDS = {"press-release.{}.md": COMMS_MD, "press-release.{}.docx": COMMS_DOCX,
               "social.{}.yaml": COMMS_YAML, "credit-line.{}.yaml": COMMS_YAML}
SHARED_HTML = ("press-release.html", "preview.html")


def _comms_skipped(loaded, choice) -> Optional[str]:
    return "no comms section: communications not generated" if loaded.record.comms is None else None


def _comms_templates(loaded, config, choice) -> list[Path]:
    from .comms import comms_templates_used

    return comms_templates_used(config, loaded.record.comms.languages if loaded.record.comms else [])


def _comms_render(loaded, config, choice, folder: Path, options: Options, manifest: dict) -> list["Planned"]:
    from .comms import render_comms
    from .output import Planned

    return [Planned(folder / "comms" / name, data) for name, data in render_comms(loaded, config, final=options.final).items()]


def _comms_classify(path: Path) -> Optional[str]:
    name = path.name
    if name in SHARED_HTML:
        return COMMS_HTML
    for pattern, kind in COMMS_KINDS.items():
        prefix, suffix = pattern.split("{}")
        if name.startswith(prefix) and name.endswith(suffix) and name.count(".") == pattern.count("."):
            return kind
    return None


# --- pack ---------------------------------------------------------------------------------------

def _pack_templates(loaded, config, choice) -> list[Path]:
    from .pack import DUE_DILIGENCE

    return [config.folder / DUE_DILIGENCE]


def _pack_render(loaded, config, choice, folder: Path, options: Options, manifest: dict) -> list["Planned"]:
    from .output import Planned
    from .pack import render_pack

    return [Planned(folder / "pack" / name, data) for name, data in render_pack(loaded, config, choice).items()]


def _pack_classify(path: Path) -> Optional[str]:
    return None  # written in code; its configuration (configs/due-diligence.yaml) is checked on load


# --- the registry -------------------------------------------------------------------------------

PARTS: tuple[Part, ...] = (
    Part("contract", "the agreement", lambda loaded, choice: None, _contract_templates, _contract_render,
         _contract_classify, uses_pdf=True),
    Part("comms", "the communications", _comms_skipped, _comms_templates, _comms_render, _comms_classify),
    Part("pack", "the start-up pack", lambda loaded, choice: None, _pack_templates, _pack_render, _pack_classify),
)
NAMES = tuple(part.name for part in PARTS)
# The order validate asks the parts about a template: the most specific names first.
_CLASSIFY_ORDER = ("comms", "contract", "pack")


def part(name: str) -> Part:
    return next(p for p in PARTS if p.name == name)


def classify(path: Path) -> Optional[str]:
    """The validate kind of a template file, or None when no part knows it."""
    for name in _CLASSIFY_ORDER:
        kind = part(name).classify(path)
        if kind is not None:
            return kind
    return None
