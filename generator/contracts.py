"""Tier + language -> Word template -> ready-to-sign .docx."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path


from .config import Config
from .context import contract_context
from .errors import CheckFailed, InputError
from .images import for_print, read_logo
from .records import LoadedRecord
from .tiers import TierChoice
from .translations import AGREEMENT, in_language
from .word import Picture, check_package, read_text, render_docx

LOGO_HEIGHT_MM = 14.0
LOGO_MAX_WIDTH_MM = 45.0
TAG = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
SIGNATURE_LINE = "_____"
MISSING = re.compile(r"\b(None|nan|NaN|null|undefined)\b")


@dataclass
class Contract:
    path: str  # file name inside the partnership's contract/ folder
    data: bytes
    template: Path
    template_data: bytes


def template_path(config: Config, tier: str, language: str) -> Path:
    """``contract_templates/<tier>.<lang>.docx``; a clear error when missing."""
    folder = config.contract_templates
    path = folder / f"{tier}.{language}.docx"
    if not path.exists():
        base = language.split("-")[0]
        fallback = folder / f"{tier}.{base}.docx"
        if fallback.exists():
            return fallback
        have = sorted(p.name.split(".")[1] for p in folder.glob(f"{tier}.*.docx"))
        raise InputError(
            f"{path}: no {tier} template in language '{language}' "
            f"(available: {', '.join(have) or 'none'}); add the template or change the record's language"
        )
    return path


def place_logo(path: Path) -> Picture:
    """The logo at the header height (or narrower when very wide), aspect ratio kept."""
    logo = read_logo(path)
    height = LOGO_HEIGHT_MM
    width = height * logo.aspect
    if width > LOGO_MAX_WIDTH_MM:
        width, height = LOGO_MAX_WIDTH_MM, LOGO_MAX_WIDTH_MM / logo.aspect
    return Picture(for_print(logo, height), width, height)


def render_contract(loaded: LoadedRecord, config: Config, choice: TierChoice, template: Path | None = None,
                    language: str | None = None) -> Contract:
    """Render the tier's template (or ``template``) for one record, in
    ``language`` (one of a bilingual agreement's versions; default: the
    record's), and check it is ready to sign."""
    language = language or loaded.record.language
    record = in_language(loaded, language, (AGREEMENT,)).record.model_copy(update={"language": language})
    template = template or template_path(config, choice.name, language)
    template_data = check_package(template)
    context = contract_context(record, config, choice)
    pictures = {"lead_logo": place_logo(config.organisation_logo),
                "partner_logo": place_logo(loaded.logo_path("both logos in the agreement header"))}
    start = datetime.combine(record.start, time())
    properties = {
        "title": record.title, "subject": context["agreement"]["tier_label"], "author": config.organisation.legal_name,
        "keywords": choice.name, "comments": context["agreement"]["reference"], "language": record.language,
        "last_modified_by": config.organisation.short_name, "revision": record.version,
        "created": start, "modified": start,
    }
    data = render_docx(template, template_data, context, pictures, properties, "ready-to-sign check")
    check_ready_to_sign(data, context, template)
    return Contract(contract_name(record, choice.name, language), data, template, template_data)


def contract_name(record, tier: str, language: str) -> str:
    """``<id>_<tier>.docx``; each version of a bilingual agreement ``<id>_<tier>.<lang>.docx``."""
    return f"{record.id}_{tier}.{language}.docx" if record.agreement_languages else f"{record.id}_{tier}.docx"


def _data_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _data_strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _data_strings(v)]
    return []


def check_ready_to_sign(data: bytes, context: dict, template: Path) -> None:
    """No template tag or missing value left, both signature blocks, and the
    budget total equal to the agreement amount. Raises CheckFailed."""
    text = read_text(data)
    # Data may legitimately contain braces or the word "None": blank it out first.
    suspicious = sorted((s for s in _data_strings(context) if TAG.search(s) or MISSING.search(s)), key=len, reverse=True)

    def cleaned(line: str) -> str:
        for s in suspicious:
            line = line.replace(s, " ")
        return line

    for line in text.everything():
        rest = cleaned(line)
        for pattern, what in ((TAG, "template tag left in the document"), (MISSING, "missing value in the document")):
            found = pattern.search(rest)
            if found:
                start = max(found.start() - 40, 0)
                raise CheckFailed(f"{template}: ready-to-sign check failed: {what}: ...{rest[start:found.end() + 40]}...")

    lead, partner = context["lead"], context["partner"]
    wanted = [lead["signatory"]["name"], partner["signatory"]["name"], partner["legal_name"], SIGNATURE_LINE]
    if not any(all(any(w in cell for row in t for cell in row) for w in wanted) for t in text.tables):
        raise CheckFailed(f"{template}: ready-to-sign check failed: no signature block "
                          "(a table with both signatories' names and signature lines)")
    funding = context["funding"]
    if funding is not None:
        everything = "\n".join(text.everything())
        if funding["budget_total"] != funding["amount"]:
            raise CheckFailed(
                f"{template}: ready-to-sign check failed: budget total {funding['budget_total']} "
                f"is not the agreement amount {funding['amount']}"
            )
        if funding["amount"] not in everything:
            raise CheckFailed(f"{template}: ready-to-sign check failed: the agreement amount {funding['amount']} is not stated")
