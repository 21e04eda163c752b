"""What ``generate`` would refuse, found before anything is rendered and
reported all at once, each at the record's line (or cell): ``check`` runs it,
and so does ``generate`` before it renders."""
from __future__ import annotations

from typing import Optional

from .comms import comms_templates_used
from .config import Config
from .contracts import template_path
from .errors import InputError, Problem
from .i18n import phrases
from .money import amount_in_words
from .records import LoadedRecord
from .startup import startup_actions
from .tiers import TierChoice, select_tier


def preflight(loaded: LoadedRecord, config: Config, only: Optional[str] = None) -> tuple[Optional[TierChoice], list[Problem]]:
    """The tier (when it can be chosen) and every problem that would stop
    generation: no exchange rate for the currency, an unknown lead office, a
    contract language or comms language without templates or wording."""
    record, source = loaded.record, loaded.source
    problems: list[Problem] = []
    funding = record.funding
    if funding is not None and funding.currency != config.rates.base and funding.currency not in config.rates.rates:
        problems.append(source.problem(("funding", "currency"), (
            f"no exchange rate for {funding.currency} in {config.folder / 'exchange_rates.yaml'} (rates of "
            f"{config.rates.date.isoformat()}), so no tier can be chosen; add the rate")))
    if record.lead_office is not None and record.lead_office not in config.organisation.offices:
        problems.append(source.problem(("lead_office",), (
            f"'{record.lead_office}' is not an office in {config.folder / 'organisation.yaml'}; "
            f"the offices are {', '.join(config.organisation.offices)}")))
    problems += _startup(loaded, config)
    choice = None
    if not problems:
        try:
            choice = select_tier(record, config)
        except InputError as exc:
            problems.append(source.problem(("tier",), exc.format_message()))
    if only in (None, "contract"):
        problems += _language(loaded, ("language",), record.language, "contract")
        if choice is not None:
            try:
                template_path(config, choice.name, record.language)
            except InputError as exc:
                problems.append(source.problem(("language",), exc.format_message()))
        if funding is not None:
            try:
                amount_in_words(funding.amount, funding.currency, record.language)
            except InputError as exc:
                problems.append(source.problem(("language",), exc.format_message()))
    if only in (None, "comms") and record.comms is not None:
        for index, language in enumerate(record.comms.languages):
            loc = ("comms", "languages", index)
            problems += _language(loaded, loc, language, "comms")
            missing = [p.name for p in comms_templates_used(config, [language]) if not p.exists()]
            if missing:
                problems.append(source.problem(loc, (
                    f"no communications templates in language '{language}' in {config.comms_templates} "
                    f"(missing: {', '.join(missing)}); add them or remove the language")))
    return choice, sorted(problems, key=lambda p: p.line or 0)


def _language(loaded: LoadedRecord, loc: tuple, language: str, part: str) -> list[Problem]:
    try:
        phrases(language)
    except InputError as exc:
        return [loaded.source.problem(loc, f"{exc.format_message()} (needed for the {part})")]
    return []


def _startup(loaded: LoadedRecord, config: Config) -> list[Problem]:
    """A start-up action is due within the project and supported by the other party (or nobody)."""
    record, problems = loaded.record, []
    for action in startup_actions(record, config.policy):
        loc = ("assessment", action.found_on, "weaknesses", action.index)
        if not record.start <= action.due <= record.end:
            problems.append(loaded.source.problem(loc + ("due",), (
                f"{action.due.isoformat()} is outside the project ({record.start.isoformat()} to "
                f"{record.end.isoformat()}); give a due date within it")))
        if action.support == action.owner:
            problems.append(loaded.source.problem(loc + ("support",), (
                f"'{action.support}' owns this action and cannot also support it; give the other party or none")))
    return problems
