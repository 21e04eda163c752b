"""Pick one contract tier per partnership from the ordered rules in
configs/tiers.yaml, and say why: the rule that matched and, for each tier
before it, the condition that failed."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .config import Config, Tier
from .errors import InputError
from .models import Record
from .money import to_reference

DURATION_RULE = (
    "duration runs from start to the day after end, a partial month counting as a whole one"
)


@dataclass(frozen=True)
class Check:
    """One condition of a tier, evaluated on a record."""

    condition: str
    holds: bool
    detail: str

    def __str__(self) -> str:
        return f"{self.condition}: {self.detail}"


@dataclass(frozen=True)
class TierChoice:
    """The chosen tier and its explanation."""

    tier: Tier
    reason: str
    overridden: bool
    facts: dict
    rejected: list[tuple[str, Check]] = field(default_factory=list)
    matched: list[Check] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.tier.name

    def as_dict(self) -> dict:
        return {
            "tier": self.name,
            "reason": self.reason,
            "overridden": self.overridden,
            "facts": self.facts,
            "matched": [str(c) for c in self.matched],
            "rejected": [{"tier": name, "failed": str(check)} for name, check in self.rejected],
        }


def facts_of(record: Record, config: Config) -> dict:
    """The figures the rules look at."""
    amount: Optional[Decimal] = None
    if record.funding is not None:
        amount = to_reference(record.funding.amount, record.funding.currency, config.rates)
    return {
        "financial": record.financial,
        "amount": amount,
        "reference_currency": config.tiers.reference_currency,
        "rates_date": config.rates.date.isoformat(),
        "months": record.duration_months,
        "countries": len(set(record.countries)),
        "sub_partners": len(record.sub_partners),
        "partner_type": record.partner.type,
        "kind": record.kind,
    }


def evaluate(tier: Tier, facts: dict) -> list[Check]:
    """Every condition of ``tier`` checked against ``facts``, in a fixed order."""
    when, checks = tier.when, []
    cur = facts["reference_currency"]

    def money(value) -> str:
        return f"{cur} {value:,.2f}"

    if when.financial is not None:
        kind = "financial" if facts["financial"] else "non-financial (no funding)"
        checks.append(Check(f"financial is {str(when.financial).lower()}", facts["financial"] == when.financial, f"the partnership is {kind}"))
    amount = facts["amount"]
    for bound, value in (("min_amount", when.min_amount), ("max_amount", when.max_amount)):
        if value is None:
            continue
        if amount is None:
            checks.append(Check(f"{bound} {money(value)}", False, "no funding to compare"))
            continue
        holds = amount >= value if bound == "min_amount" else amount <= value
        sign = (">=" if holds else "<") if bound == "min_amount" else ("<=" if holds else ">")
        checks.append(Check(f"amount {'at least' if bound == 'min_amount' else 'up to'} {money(value)}", holds,
                            f"{money(amount)} {sign} {money(value)} (rates of {facts['rates_date']})"))
    for bound, value in (("min_months", when.min_months), ("max_months", when.max_months)):
        if value is None:
            continue
        months = facts["months"]
        holds = months >= value if bound == "min_months" else months <= value
        word = "at least" if bound == "min_months" else "up to"
        checks.append(Check(f"duration {word} {value} months", holds, f"{months} months"))
    if when.max_countries is not None:
        n = facts["countries"]
        checks.append(Check(f"at most {when.max_countries} {'country' if when.max_countries == 1 else 'countries'}", n <= when.max_countries, f"{n} countries"))
    if when.sub_partners is not None:
        n = facts["sub_partners"]
        want = "some sub-partners" if when.sub_partners else "no sub-partners"
        checks.append(Check(want, (n > 0) == when.sub_partners, f"{n} sub-partners"))
    if when.partner_types is not None:
        t = facts["partner_type"]
        checks.append(Check(f"partner type in {', '.join(when.partner_types)}", t in when.partner_types, f"partner type is {t}"))
    if when.kinds is not None:
        k = facts["kind"]
        checks.append(Check(f"kind in {', '.join(when.kinds)}", k in when.kinds, f"kind is {k}"))
    return checks


def select_tier(record: Record, config: Config) -> TierChoice:
    """The first tier whose conditions all hold, or the record's override."""
    facts = facts_of(record, config)
    if record.tier is not None:
        try:
            tier = config.tier(record.tier.name)
        except KeyError as exc:
            raise InputError(f"tier.name: {exc.args[0]}") from None
        return TierChoice(tier, f"override: {record.tier.reason}", True, facts)
    rejected: list[tuple[str, Check]] = []
    for tier in config.tiers.tiers:
        checks = evaluate(tier, facts)
        failed = next((c for c in checks if not c.holds), None)
        if failed is None:
            rule = "; ".join(c.condition for c in checks) or "no conditions (the catch-all tier)"
            return TierChoice(tier, f"rule: {rule}", False, facts, rejected, checks)
        rejected.append((tier.name, failed))
    raise InputError(
        f"no tier in {config.folder / 'tiers.yaml'} applies to {record.id}; "
        "end the list with a tier without conditions"
    )
