"""Record + configuration -> template context. The only place that maps the
record's field names to the variables templates use (listed in
contract_templates/README.md)."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo
from decimal import Decimal

from babel.dates import format_time, get_timezone_gmt, get_timezone_name
from babel.lists import format_list
from schwifty import IBAN
from babel.core import get_global
from babel.localedata import locale_identifiers

from .config import Config
from .errors import InputError
from .grammar import name_forms
from .i18n import phrases
from .models import Findings, OrganisationBase, People, Record, Texts, direct_total
from .money import amount_in_words, format_day, format_money, format_percent, locale_for
from .plurals import count
from .startup import startup_actions, weakness_texts
from .tiers import TierChoice
from .translations import language_name, localised
from .yaml_source import dotted

RATING_ORDER = ["low", "medium", "significant", "high"]


def reference_of(record: Record, config: Config) -> str:
    """'HSI/NE/2027/PSH-2026-014', with '-1', '-2' for each amendment."""
    if record.reference:
        base = record.reference
    else:
        parts = [config.policy.reference_prefix, record.partner.country, str(record.start.year), record.id]
        base = "/".join(p for p in parts if p)
    return base if record.version == 1 else f"{base}-{record.version - 1}"


def _in_language(texts: dict[str, str], language: str) -> str:
    base = language.split("-")[0]
    return texts.get(language) or texts.get(base) or texts.get("en") or next(iter(texts.values()), "")


def _long_date(value: date, locale) -> str:
    return format_day(value, locale)


def _country_names(codes: list[str], locale) -> str:
    """'Niger and Mali', 'Niger et Mali': names in the language, joined as it joins lists."""
    return format_list([locale.territories.get(c, c) for c in codes], locale=locale)


def _title(title, lang: str) -> str:
    """A title from the record (already in ``lang``) or the configuration (a text or map by language)."""
    if isinstance(title, Texts):
        return localised(title, lang)
    return title if isinstance(title, str) else _in_language(title, lang)


def _person(person, lang: str) -> dict:
    out = {"name": person.name, "title": _title(person.title, lang)}
    if hasattr(person, "email"):
        out.update(email=person.email, phone=person.phone)
    return out


def _organisation(org: OrganisationBase, people: People, lang: str, field: str) -> dict:
    """An organisation and the people who act for it (the partner's own, or the
    lead office's); ``legal`` and ``short`` are its names as sentences need them
    (generator/grammar.py: "the", "The", "de", "a", ...)."""
    territories = locale_for(lang).territories
    return {
        **name_forms(org.grammar, org.legal_name, org.short_name, lang, f"{field}.grammar"),
        "legal_name": org.legal_name,
        "short_name": org.short_name,
        "address": org.address,
        "registration_number": org.registration_number,
        "country_name": territories.get(org.country, org.country),
        "signatory": _person(people.signatory, lang),
        "contact": _person(people.contact, lang),
        "funds_officer": _person(people.funds_officer or people.signatory, lang),
        "press_contact": _person(people.press_contact or people.contact, lang),
        "about": _title(org.about, lang) if org.about is not None else "",
        "social": org.social.model_dump(exclude_none=True),
    }


def _lead_field(config: Config) -> str:
    return f"{config.folder / 'organisation.yaml'}: grammar"


def _type_labels(words: dict, partner_type: str) -> dict:
    """"women-led organisation" and, where the language has them, "an academic or research institution"."""
    label = words["type"][partner_type]
    return {"type_label": label, "a_type_label": words.get("type_a", words["type"])[partner_type]}


def _sub_partner_names(record: Record, lang: str) -> list[dict]:
    return [name_forms(s.grammar, s.name, None, lang, f"sub_partners[{n}].grammar")["legal"]
            for n, s in enumerate(record.sub_partners)]


def lead_office(record: Record, config: Config):
    """The lead's office that manages the partnership: the record's, or the default."""
    try:
        return config.organisation.office(record.lead_office)
    except KeyError as exc:
        raise InputError(f"lead_office: {exc.args[0]}") from None


def prime_award_donor(record: Record, config: Config):
    """The donor of the record's prime award, and its rules in force at signature
    (``signature_date``; without it the start date, by which the agreement is
    signed); None without a prime award. KeyError or LookupError with a message
    naming configs/donors.yaml."""
    award = record.funding.prime_award if record.funding else None
    if award is None:
        return None
    donors = config.donors.donors
    if award.donor not in donors:
        known = ", ".join(donors) or "none"
        raise KeyError(f"'{award.donor}' is not a donor in {config.folder / 'donors.yaml'}; the donors are {known}")
    donor = donors[award.donor]
    signed, when = (record.signature_date, "signature_date") if record.signature_date else (record.start, "the start")
    rules = donor.rules_in_force(signed)
    if not rules:
        raise LookupError(f"{donor.name} has no rules dated on or before {when}, {signed.isoformat()}, "
                          f"in {config.folder / 'donors.yaml'}; add the version in force")
    return donor, rules


def _donor(record: Record, config: Config, lang: str, day) -> dict | None:
    try:
        found = prime_award_donor(record, config)
    except (KeyError, LookupError) as exc:
        raise InputError(f"funding.prime_award.donor: {exc.args[0]}") from None
    if found is None:
        return None
    donor, rules = found
    award = record.funding.prime_award
    rows = [{"name": r.name, "version_date": day(r.version_date), "text": r.text} for r in rules]
    listed = [phrases(lang)["rule_version"].format(name=r["name"], date=r["version_date"]) for r in rows]
    forms = name_forms(donor.grammar, donor.name, None, lang, f"donors.{award.donor}.grammar")["legal"]
    return {**forms, "name": donor.name, "award_number": award.award_number, "award_start": day(award.award_start),
            "award_end": day(award.award_end), "rules": rows, "rules_text": format_list(listed, locale=locale_for(lang))}


def advance_schedule(record: Record, config: Config) -> list[dict]:
    """Each payment (``number``, ``amount``, ``release``) as the agreement's
    advance schedule states it, the final payment included: the start-up
    pack's key facts print the same."""
    return _funding(record, record.language, phrases(record.language), config.policy)["advances"]


def contract_context(record: Record, config: Config, choice: TierChoice) -> dict:
    """Every variable a contract template may use, formatted in the agreement's language."""
    lang = record.language
    words = phrases(lang)
    locale = locale_for(lang)

    def day(value: date) -> str:
        return _long_date(value, locale)

    office = lead_office(record, config)
    lead = _organisation(config.organisation, office, lang, _lead_field(config))
    lead["office"] = record.lead_office or config.organisation.default_office
    lead["legal_status"] = _in_language(config.organisation.legal_status, lang) or words["none"]
    partner = _organisation(record.partner, record.partner, lang, "partner")
    partner.update(_type_labels(words, record.partner.type))
    partner["legal_status"] = partner["type_label"]
    partner["bank"] = _bank(record.partner.bank)
    names = {"lead": lead["short_name"], "partner": partner["short_name"]}
    policy = config.policy
    ref_currency = config.tiers.reference_currency

    final_due = record.end + timedelta(days=policy.final_report_days)
    context = {
        "agreement": {
            "reference": reference_of(record, config),
            "version": str(record.version),
            "title": record.title,
            "tier": choice.name,
            "tier_label": _in_language(choice.tier.label, lang) or choice.name,
            "tier_reason": choice.reason,
            "language": lang,
            "languages": _versions(record, lang, words, locale),
        },
        "lead": lead,
        "partner": partner,
        "kind_label": words["kind"][record.kind],
        "dates": {
            "start": day(record.start),
            "end": day(record.end),
            "duration_months": record.duration_months,
            "duration": count(record.duration_months, "month", lang),
            "final_report_due": day(final_due),
            "refund_due": day(record.end + timedelta(days=policy.refund_days)),
        },
        "countries": _country_names(record.countries, locale),
        "sub_partners": format_list([s["the"] for s in _sub_partner_names(record, lang)], locale=locale)
        if record.sub_partners else words["none"],
        "sub_partners_detail": _sub_partners(record, lang, words),
        "sub_partner_rows": [
            {"name": s.name, "country_name": locale.territories.get(s.country, s.country), "role": s.role,
             "amount": format_money(s.amount, record.funding.currency, lang) if s.amount is not None else None}
            for s in record.sub_partners],
        "has_sub_partners": bool(record.sub_partners),
        "risk_rating": words["rating"][_overall_rating(record)],
        "policy": {
            "notice_days": policy.notice_days,
            "cure_days": policy.cure_days,
            "records_years": policy.records_years,
            "audit_threshold": format_money(policy.audit_threshold, ref_currency, lang),
            "procurement_threshold": format_money(policy.procurement_threshold, ref_currency, lang),
        },
        "findings": _findings(record, names, words),
        "risks": _risks(record, names, words),
        "actions": _actions(record, names, words, day, policy),
        "milestones": _milestones(record, words, day, final_due, _paid_milestones(record, lang, words)),
        "officers": _officers(lead, partner, names, words, record.financial),
        "reporting": {"months": policy.report_every_months,
                      "period": count(policy.report_every_months, "month", lang)},
        "funding": None,
        "donor": _donor(record, config, lang, day),
        "kind": record.kind,
        "action": _action(record.action, day),
        "has_action": record.action is not None,
        "contributions": _contributions(record, names, lang),
        "has_contributions": bool(record.contributions),
        "cofinancing": _cofinancing(record, names, lang),
        "research": _research(record.research, day),
    }
    if record.funding is not None:
        context["funding"] = _funding(record, lang, words, policy)
    return context


def _funding(record: Record, lang: str, words: dict, policy) -> dict:
    """The money, as the payment and indirect-cost articles state it: every
    figure comes from the record (see contract_templates/README.md)."""
    funding = record.funding
    cur = funding.currency

    def money(amount: Decimal) -> str:
        return format_money(amount, cur, lang)

    advances, releases, on_reports, on_milestones = [], [], [], []
    for number, advance in enumerate(funding.advances, start=1):
        condition = advance.release
        if condition == "on_signature":
            release, kind = words["on_signature"], None
        elif condition.milestone is not None:
            milestone = record.milestones[condition.milestone - 1]
            release = words["on_milestone"].format(milestone=condition.milestone, description=milestone.description,
                                                    date=format_day(milestone.date, locale_for(lang)))
            kind = on_milestones
        elif condition.report_approved is not None:
            release, kind = words["on_report"].format(report=condition.report_approved), on_reports
        else:
            release = words["after"].format(percent=condition.liquidated_percent, tranche=condition.of_tranche)
            kind = releases
        if kind is not None:
            kind.append(words["release_of"].format(tranche=number, condition=release[:1].lower() + release[1:]))
        advances.append({"number": number, "amount": money(advance.amount), "release": release})
    total = sum((line.amount for line in funding.budget), Decimal(0))
    advanced = sum((a.amount for a in funding.advances), Decimal(0))
    final = None
    if funding.final_payment is not None:
        rest = funding.amount - advanced
        final = {"amount": money(rest), "share": format_percent((rest * 100 / funding.amount).quantize(Decimal("0.01")), lang),
                 "days": policy.final_payment_days}
        advances.append({"number": len(advances) + 1, "amount": final["amount"],
                         "release": words["final_payment"].format(days=policy.final_payment_days)})
    indirect = next((line for line in funding.budget if line.indirect), None)
    return {
        "amount": money(funding.amount),
        "amount_words": amount_in_words(funding.amount, cur, lang),
        "currency": cur,
        "budget": [{"line": line.line, "amount": money(line.amount)} for line in funding.budget],
        "budget_total": money(total),
        "advances": advances,
        "advance_count": len(funding.advances),
        "tranche_count": len(funding.advances),
        "tranches_text": count(len(funding.advances), "tranche", lang),
        "first_tranche": advances[0]["amount"] if funding.advances else None,
        "releases": format_list(releases, locale=locale_for(lang)) if releases else "",
        "report_releases": format_list(on_reports, locale=locale_for(lang)) if on_reports else "",
        "milestone_releases": format_list(on_milestones, locale=locale_for(lang)) if on_milestones else "",
        "final_payment": final,
        "indirect_rate": format_percent(funding.indirect_rate, lang) if funding.indirect_rate is not None else None,
        "indirect_line": indirect.line if indirect else None,
        "indirect_amount": money(indirect.amount) if indirect else None,
        "direct_total": money(direct_total(funding.budget)),
    }


def _action(action, day) -> dict | None:
    """The description of the action as its annex prints it: numbered results and activities."""
    if action is None:
        return None
    return {
        "objective": action.objective,
        "results": [{"number": n, "result": r.result, "indicator": r.indicator, "baseline": r.baseline or "—",
                     "target": r.target} for n, r in enumerate(action.results, start=1)],
        "activities": [{"number": n, "activity": a.activity, "result": a.result or "—", "dated": a.start is not None,
                        "period": f"{day(a.start)} – {day(a.end)}" if a.start else "—"}
                       for n, a in enumerate(action.activities, start=1)],
    }


def _contributions(record: Record, names: dict, lang: str) -> list[dict]:
    """Each Party's contributions besides the Grant; ``value`` is None where not valued."""
    currency = record.funding.currency if record.funding else None
    return [{"party": names[c.party], "side": c.party, "type": c.type, "description": c.description,
             "value": format_money(c.value, currency, lang) if c.value is not None else None}
            for c in record.contributions]


def _cofinancing(record: Record, names: dict, lang: str) -> dict | None:
    """How the Grant and the valued contributions finance the action, with each
    one's share of the total; None without contributions, or when one has no
    value (the total cost could not be stated)."""
    funding = record.funding
    if funding is None or not record.contributions or any(c.value is None for c in record.contributions):
        return None
    parts = [("lead", "grant", funding.amount)]
    for side in ("partner", "lead"):
        for kind in ("cash", "in_kind"):
            value = sum((c.value for c in record.contributions if c.party == side and c.type == kind), Decimal(0))
            if value:
                parts.append((side, kind, value))
    total = sum((value for _, _, value in parts), Decimal(0))
    shares = [format_percent(tenths / 10, lang, places=1) for tenths in _tenths_of_percent([v for *_, v in parts], total)]
    return {"rows": [{"party": names[side], "type": kind, "amount": format_money(value, funding.currency, lang),
                      "share": shares[n]} for n, (side, kind, value) in enumerate(parts)],
            "total": format_money(total, funding.currency, lang), "grant_share": shares[0],
            "whole": format_percent(Decimal(100), lang, places=1)}


def _versions(record: Record, lang: str, words: dict, locale) -> dict | None:
    """A bilingual agreement's versions, named in this version's language; None for one language."""
    if not record.agreement_languages:
        return None

    def name(code: str) -> str:
        return language_name(code.split("-")[0], lang)

    return {"in_each": format_list([words["in_language"].format(language=name(c)) for c in record.agreement_languages],
                                   locale=locale),
            "this": name(lang), "prevailing": name(record.prevailing)}


def _tenths_of_percent(values: list[Decimal], total: Decimal) -> list[Decimal]:
    """Each value's share of ``total`` in tenths of a percent, rounded so that
    the column adds up to exactly 100.0% (largest remainder): three equal
    parts are 33.4, 33.3 and 33.3, never 99.9 in all."""
    exact = [value * 1000 / total for value in values]
    shares = [Decimal(int(x)) for x in exact]
    by_remainder = sorted(range(len(values)), key=lambda n: exact[n] - shares[n], reverse=True)
    for n in by_remainder[:1000 - int(sum(shares))]:
        shares[n] += 1
    return shares


def _research(research, day) -> dict | None:
    """The research terms; templates word each choice (``lead_author`` and the owners: partner, lead, joint)."""
    if research is None:
        return None
    ethics = research.ethics
    return {
        **research.model_dump(include={"lead_author", "review_days", "open_access", "data_owner", "results_owner",
                                       "personal_data", "human_participants"}),
        "data_sharing": research.data_sharing.rstrip(". ") if research.data_sharing else None,  # the clause ends it
        "ethics": None if ethics is None else {
            "committee": ethics.committee, "reference": ethics.reference,
            "approved_on": day(ethics.approved_on) if ethics.approved_on else None,
            "pending": ethics.approved_on is None},
    }


def _sub_partners(record: Record, lang: str, words: dict) -> str:
    """'A (Bangladesh), cyclone shelters, receiving USD 240,000.00 and B (…), …' as the flow-down article names them."""
    locale = locale_for(lang)
    items = []
    for sub, forms in zip(record.sub_partners, _sub_partner_names(record, lang)):
        country = locale.territories.get(sub.country, sub.country)
        if sub.amount is not None:
            amount = format_money(sub.amount, record.funding.currency, lang)
            items.append(words["sub_partner_paid"].format(name=forms["the"], country=country, role=sub.role, amount=amount))
        else:
            items.append(words["sub_partner"].format(name=forms["the"], country=country, role=sub.role))
    return format_list(items, locale=locale) if items else words["none"]


def _bank(bank) -> dict | None:
    """The partner's account as the payment article prints it (IBAN in groups of four)."""
    if bank is None:
        return None
    return {"account_holder": bank.account_holder, "bank": bank.bank,
            "iban": IBAN(bank.iban).formatted if bank.iban else None,
            "account_number": bank.account_number, "bic": bank.bic}


def _overall_rating(record: Record) -> str:
    ratings = [r.rating for r in record.assessment.partner.risks] if record.assessment else []
    return max(ratings, key=RATING_ORDER.index) if ratings else "low"


def _sides(record: Record) -> list[tuple[str, Findings]]:
    if record.assessment is None:
        return [("lead", Findings()), ("partner", Findings())]
    return [("lead", record.assessment.lead), ("partner", record.assessment.partner)]


def _findings(record, names, words) -> list[dict]:
    return [
        {
            "party": names[side],
            "strengths": "; ".join(found.strengths) or words["none"],
            "weaknesses": "; ".join(weakness_texts(found)) or words["none"],
        }
        for side, found in _sides(record)
    ]


def _risks(record, names, words) -> list[dict]:
    return [
        {"party": names[side], "risk": r.risk, "rating": words["rating"][r.rating], "mitigation": r.mitigation}
        for side, found in _sides(record)
        for r in found.risks
    ]


def _actions(record, names, words, day, policy) -> list[dict]:
    """The start-up action plan (generator/startup.py), in words."""
    return [{"number": a.number, "owner": names[a.owner], "weakness": a.weakness, "action": a.action or words["action"],
             "support": names[a.support] if a.support else "—", "due": day(a.due)}
            for a in startup_actions(record, policy)]


def _paid_milestones(record: Record, lang: str, words: dict) -> dict[int, str]:
    """Milestone number -> 'payment-linked: tranche 2, EUR 20,000.00' for each tranche paid on one."""
    funding = record.funding
    linked = {}
    for number, advance in enumerate(funding.advances if funding else [], start=1):
        milestone = getattr(advance.release, "milestone", None)
        if milestone is not None:
            linked[milestone] = words["milestone_payment"].format(
                tranche=number, amount=format_money(advance.amount, funding.currency, lang))
    return linked


def _milestones(record, words, day, final_due, paid: dict[int, str]) -> list[dict]:
    if record.milestones:
        return [{"date": day(m.date), "description": f"{m.description} ({paid[n]})" if n in paid else m.description}
                for n, m in enumerate(record.milestones, start=1)]
    middle = record.start + (record.end - record.start) / 2
    return [
        {"date": day(record.start), "description": words["start"]},
        {"date": day(middle), "description": words["midterm"]},
        {"date": day(final_due), "description": words["final"]},
    ]


def _officers(lead: dict, partner: dict, names, words, financial: bool) -> list[dict]:
    """Annex C: who signs, who manages and, where money passes, who signs
    (partner) or approves (lead) requests for funds; each with their title."""
    rows = []
    for side, org in (("lead", lead), ("partner", partner)):
        rows.append({"party": names[side], **_named(org["signatory"]), "role": words["signs"]})
        rows.append({"party": names[side], **_named(org["contact"]),
                     "role": words["manages"] if financial else words["manages_collaboration"]})
        if financial:
            rows.append({"party": names[side], **_named(org["funds_officer"]), "role": words[f"funds_{side}"]})
    return rows


def _named(person: dict) -> dict:
    return {"name": person["name"], "title": person["title"]}


def _embargo(embargo, language: str) -> dict:
    """The embargo's date, time and zone name as the language writes them: "09:00", "WAT"."""
    zone = ZoneInfo(embargo.timezone)
    hour, minute = map(int, embargo.time.split(":"))
    moment = datetime.combine(embargo.date, time(hour, minute), tzinfo=zone)
    return {"date": _long_date(embargo.date, locale_for(language)), "time": format_time(moment, "HH:mm"),
            "zone": _zone_name(moment, language.split("-")[0]), "timezone": embargo.timezone}


@lru_cache(maxsize=None)
def _short_zone_names(language: str, zone: str, moment: datetime) -> list[str]:
    names = []
    own = f"{language}_{get_global('zone_territories').get(zone, '')}"  # the variant of the zone's country first
    variants = sorted(i for i in locale_identifiers() if i.startswith(language + "_"))
    for locale in [language] + [own] * (own in variants) + variants:
        name = get_timezone_name(moment, "short", locale=locale, zone_variant=None)
        if not name.startswith(("+", "-", "GMT", "UTC")):
            names.append(name)
    return names


def _zone_name(moment: datetime, language: str) -> str:
    """CLDR's short name ("WAT", "CET") from the language or one of its
    regional variants (CLDR gives "WAT" in en-NG, not in en); else its long
    name ("heure d’Afrique de l’Ouest") with the UTC offset."""
    short = _short_zone_names(language, moment.tzinfo.key, moment)
    if short:
        return short[0]
    offset, name = get_timezone_gmt(moment, "long", locale=language), get_timezone_name(moment, "long", locale=language)
    return name if name == offset else f"{name} ({offset})"


def translated_from(source: str, language: str) -> str:
    """'translated from French', 'traduit de l’anglais', 'traducido del inglés': said of a quote
    given in a language it was not said in ('' where the language has no such phrase)."""
    phrase = phrases(language)["comms"].get("translated_from")
    if not phrase:
        return ""
    name = language_name(source, language.split("-")[0])
    of_language = ("de l’" if name[:1].lower() in "aeiouéèêh" else "du ") + name
    return phrase.format(language=name, of_language=of_language)


def fallback_note(source: str, language: str) -> str:
    """'Not translated: in French for want of a translation', for the joint-review preview."""
    phrase = phrases(language)["comms"].get("fallback") or phrases("en")["comms"]["fallback"]
    return phrase.format(language=language_name(source, language.split("-")[0]))


def _affiliation(title: str, org: dict, comma: str) -> str:
    """"Director, FSS" for a quote's attribution; the title alone when it already
    names the organisation ("Directora Executiva da AMAR"), so that the name is
    not said twice."""
    for name in (org["short_name"], org["legal_name"]):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", title, flags=re.IGNORECASE):
            return title
    return f"{title}{comma}{org['short_name']}"


def comms_context(record: Record, config: Config, language: str, final: bool = False,
                  fallbacks: list[tuple] = ()) -> dict:
    """Every variable a communications template may use, in ``language``.
    Logos and platform tags are added by the comms module, per output.
    ``final``: the approved copy, without the joint-review mark.
    ``fallbacks``: the places of the record whose text is in the record's
    language for want of a translation (generator/translations.py)."""
    words = phrases(language)
    locale = locale_for(language)
    lead = _organisation(config.organisation, lead_office(record, config), language, _lead_field(config))
    partner = _organisation(record.partner, record.partner, language, "partner")
    # In communications the contact is the media contact.
    lead["contact"], partner["contact"] = lead["press_contact"], partner["press_contact"]
    partner.update(_type_labels(words, record.partner.type))
    comms = record.comms
    speakers = {"lead": [], "partner": []}
    for number, speaker in enumerate(comms.speakers):
        # Said as quoted only in its own language; elsewhere a given translation is said to be one.
        said_in = (speaker.language or record.language).split("-")[0]
        translated = (said_in != language.split("-")[0]
                      and ("comms", "speakers", number, "quote") not in fallbacks)
        org = lead if speaker.org == "lead" else partner
        speakers[speaker.org].append({"name": speaker.name, "title": speaker.title, "quote": speaker.quote,
                                      "translated": translated_from(said_in, language) if translated else "",
                                      "affiliation": _affiliation(speaker.title, org, words["comms"].get("comma", ", "))})
    funding = None
    if record.funding is not None and comms.publish_amount:  # partners often agree the partnership, not its price
        funding = {"amount": format_money(record.funding.amount, record.funding.currency, language)}
    return {
        "embargo": _embargo(comms.embargo, language) if comms.embargo else None,
        "photo": {"caption": comms.photo.caption, "credit": comms.photo.credit} if comms.photo else None,
        "title": record.title,
        "lead": lead,
        "partner": partner,
        "speakers": speakers,
        "countries": _country_names(record.countries, locale),
        "place": record.partner.city or partner["country_name"],
        "dates": {
            "announce": _long_date(comms.announce_on, locale),
            "start": _long_date(record.start, locale),
            "end": _long_date(record.end, locale),
            "duration_months": record.duration_months,
            "duration": count(record.duration_months, "month", language),
        },
        "funding": funding,
        "hashtags": " ".join(comms.hashtags),
        "fallbacks": [dotted(loc) for loc in fallbacks],
        "link": comms.link,
        "language": language,
        "final": final,
    }
