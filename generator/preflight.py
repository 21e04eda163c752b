"""What ``generate`` would refuse, found before anything is rendered and
reported all at once, each at the record's line (or cell): ``check`` runs it,
and so does ``generate`` before it renders."""
from __future__ import annotations

from typing import Optional

from .comms import comms_templates_used
from .config import Config
from .context import prime_award_donor
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
    if record.kind == "research" and record.research is None:
        problems.append(source.problem(("kind",), (
            "a research partnership states its research terms (research: lead_author, data_owner, results_owner, "
            "personal_data, ethics), which its agreement prints; see README, 'Research partnerships'")))
    problems += _payment(loaded, config)
    problems += _prime_award(loaded, config)
    problems += _startup(loaded, config)
    choice = None
    if not problems:
        try:
            choice = select_tier(record, config)
        except InputError as exc:
            problems.append(source.problem(("tier",), exc.format_message()))
    if only in (None, "contract"):
        for loc, language in _versions(record):
            problems += _language(loaded, loc, language, "contract")
            if choice is not None:
                try:
                    template_path(config, choice.name, language)
                except InputError as exc:
                    problems.append(source.problem(loc, exc.format_message()))
            if funding is not None:
                try:
                    amount_in_words(funding.amount, funding.currency, language)
                except InputError as exc:
                    problems.append(source.problem(loc, exc.format_message()))
    if only in (None, "comms") and record.comms is not None:
        for index, language in enumerate(record.comms.languages):
            loc = ("comms", "languages", index)
            problems += _language(loaded, loc, language, "comms")
            missing = [p.name for p in comms_templates_used(config, [language]) if not p.exists()]
            if missing:
                problems.append(source.problem(loc, (
                    f"no communications templates in language '{language}' in {config.comms_templates} "
                    f"(missing: {', '.join(missing)}); add them or remove the language")))
    problems += _translations(loaded, only)
    return choice, sorted(problems, key=lambda p: p.line or 0)


def _translations(loaded: LoadedRecord, only: Optional[str]) -> list[Problem]:
    """Text missing in a language the documents are made in (none with translations: fallback)."""
    from .translations import AGREEMENT, COMMS, missing_message, missing_texts, needed_languages

    record = loaded.record
    if record.translations == "fallback":
        return []
    found = []
    for language, documents in needed_languages(record).items():
        if only is not None:  # --only contract / comms: the texts of that part; other parts need none
            wanted = {"contract": (AGREEMENT,), "comms": COMMS}.get(only, ())
            documents = tuple(d for d in documents if d in wanted)
        for loc in missing_texts(record, language, documents):
            found.append(loaded.source.problem(loc, missing_message(record, language, documents)))
    return found


def _versions(record) -> list[tuple[tuple, str]]:
    """Each language the agreement is made in, with the place that asks for it."""
    if record.agreement_languages:
        return [(("agreement_languages", n), language) for n, language in enumerate(record.agreement_languages)]
    return [(("language",), record.language)]


def _language(loaded: LoadedRecord, loc: tuple, language: str, part: str) -> list[Problem]:
    try:
        phrases(language)
    except InputError as exc:
        return [loaded.source.problem(loc, f"{exc.format_message()} (needed for the {part})")]
    return []


def _payment(loaded: LoadedRecord, config: Config) -> list[Problem]:
    """Bank details only where funds pass; a tranche paid on a report names a
    reporting period the partnership has (every report_every_months of policy.yaml)."""
    record, source = loaded.record, loaded.source
    if record.funding is None:
        if record.partner.bank is not None:
            return [source.problem(("partner", "bank"), "no funds pass in this partnership (no funding), so there "
                                   "is no payment to a bank account; remove partner.bank or add the funding")]
        return []
    every = config.policy.report_every_months
    periods = -(-record.duration_months // every)
    problems = []
    for index, advance in enumerate(record.funding.advances):
        period = getattr(advance.release, "report_approved", None)
        if period is not None and period > periods:
            problems.append(source.problem(("funding", "advances", index, "release", "report_approved"), (
                f"reporting period {period} does not exist: {record.duration_months} months reported every {every} "
                f"(configs/policy.yaml report_every_months) make {periods} period(s)")))
    return problems


def _prime_award(loaded: LoadedRecord, config: Config) -> list[Problem]:
    """The donor is in configs/donors.yaml with rules in force, and the agreement
    lies within the prime award that finances it."""
    record, source = loaded.record, loaded.source
    award = record.funding.prime_award if record.funding else None
    if award is None:
        return []
    problems = []
    try:
        prime_award_donor(record, config)
    except (KeyError, LookupError) as exc:
        problems.append(source.problem(("funding", "prime_award", "donor"), exc.args[0]))
    if record.start < award.award_start or record.end > award.award_end:
        problems.append(source.problem(("funding", "prime_award"), (
            f"the agreement runs from {record.start.isoformat()} to {record.end.isoformat()}, outside the prime award "
            f"({award.award_start.isoformat()} to {award.award_end.isoformat()}); a sub-award lies within its prime award")))
    return problems


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
