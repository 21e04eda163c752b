"""The defaults partnerdocs ships, laid out as a workspace's folders: the
configuration, the contract and comms templates and the example records (one
of each tier, in English, French and Spanish) with their logos: validate
renders every template with a record of its tier. The repository keeps them in its top-level folders; a wheel carries
copies in ``generator/bundled/``, made at build time by setup.py from
``sources()``. Standard library only: setup.py loads this file on its own."""
from __future__ import annotations

from pathlib import Path

EXAMPLE_RECORD = "psh-2026-052.yaml"  # the one the README's examples use

PACKAGED = Path(__file__).resolve().parent / "bundled"
CHECKOUT = Path(__file__).resolve().parent.parent


def sources(repo: Path) -> dict[str, Path]:
    """Each bundled file's path in a workspace -> the repository file it is a copy of.
    The templates' sources (``source/``) stay out."""
    files: dict[str, Path] = {}
    for folder in ("contract_templates", "comms_templates"):
        files.update({f"{folder}/{p.name}": p for p in sorted((repo / folder).iterdir()) if p.is_file()})
    configs = repo / "configs"
    files.update({f"configs/{p.name}": p for p in sorted(configs.glob("*.yaml"))})
    files.update({f"configs/logos/{p.name}": p for p in sorted((configs / "logos").iterdir()) if p.is_file()})
    examples = configs / "partnerships"
    files.update({f"records/{p.name}": p for p in sorted(examples.glob("*.yaml"))})
    files.update({f"records/logos/{p.name}": p for p in sorted((examples / "logos").iterdir()) if p.is_file()})
    return files


def bundled_files() -> dict[str, Path]:
    """The bundled files: the installed package's copies, or the checkout's own
    files when partnerdocs runs from its repository (an editable install)."""
    if PACKAGED.is_dir():
        return {p.relative_to(PACKAGED).as_posix(): p for p in sorted(PACKAGED.rglob("*")) if p.is_file()}
    return sources(CHECKOUT)
