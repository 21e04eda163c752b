"""Tier selection: every bound of the bundled policy at and just over its
threshold, currency conversion, duration in months, and overrides."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator.config import load_config
from generator.errors import InputError
from generator.models import months_between
from generator.records import load_record
from generator.tiers import select_tier

from .conftest import RECORD


def tier_of(write_record, configs, text):
    return select_tier(load_record(write_record(text)).record, load_config(configs))


def funded(amount, currency="USD", end="2027-12-31", countries="[NE]", extra=""):
    """RECORD with one budget line and one advance on signature, for the given
    amount (since issue 9 every unit of the amount is scheduled)."""
    head = RECORD[: RECORD.index("funding:")]
    tail = RECORD[RECORD.index("start:"):]
    body = (
        f"funding:\n  amount: {amount}\n  currency: {currency}\n"
        f"  budget:\n    - {{line: All costs, amount: {amount}}}\n"
        f"  advances:\n    - {{amount: {amount}, release: on_signature}}\n"
    )
    tail = tail.replace("end: 2027-12-31", f"end: {end}").replace("countries: [NE]", f"countries: {countries}")
    return head + body + tail + extra


@pytest.mark.parametrize(
    "text, expected",
    [
        (funded("25000"), "small-grant"),
        (funded("25000.01"), "standard-grant"),
        (funded("250000"), "standard-grant"),
        (funded("250000.01"), "complex-award"),
        (funded("1000", end="2028-01-14"), "small-grant"),  # 12 months
        (funded("1000", end="2028-01-15"), "standard-grant"),  # 13 months
        (funded("1000", end="2029-01-14"), "standard-grant"),  # 24 months
        (funded("1000", end="2029-01-15"), "complex-award"),  # 25 months
        (funded("1000", countries="[NE, ML]"), "standard-grant"),
        (funded("1000", extra="sub_partners: [{name: Local Association, country: NE, role: outreach}]\n"), "complex-award"),
    ],
)
def test_bundled_policy_boundaries(write_record, configs, text, expected):
    assert tier_of(write_record, configs, text).name == expected


def test_non_financial_is_collaboration(write_record, configs):
    text = RECORD[: RECORD.index("funding:")] + RECORD[RECORD.index("start:"):]
    assert tier_of(write_record, configs, text).name == "collaboration"


@pytest.mark.parametrize("amount, expected", [("20000", "small-grant"), ("20000.01", "standard-grant")])
def test_conversion_at_the_boundary(write_record, configs, amount, expected):
    """At 1.25 USD per EUR, EUR 20,000 is exactly USD 25,000 (inclusive bound)."""
    rates = configs / "exchange_rates.yaml"
    rates.write_text(rates.read_text().replace("EUR: 1.0850", "EUR: 1.25"))
    choice = tier_of(write_record, configs, funded(amount, currency="EUR"))
    assert choice.name == expected
    assert choice.facts["amount"] == (Decimal(amount) * Decimal("1.25")).quantize(Decimal("0.01"))


def test_currency_without_rate_is_a_clear_error(write_record, configs):
    with pytest.raises(InputError, match="no exchange rate for NOK"):
        tier_of(write_record, configs, funded("1000", currency="NOK"))


@pytest.mark.parametrize(
    "start, end, months",
    [
        (date(2027, 1, 15), date(2028, 1, 14), 12),
        (date(2027, 1, 15), date(2028, 1, 15), 13),
        (date(2027, 1, 1), date(2027, 12, 31), 12),
        (date(2027, 1, 1), date(2027, 1, 1), 1),
        (date(2027, 1, 31), date(2027, 2, 27), 1),
        (date(2027, 1, 31), date(2027, 3, 1), 2),
        (date(2027, 2, 1), date(2027, 11, 30), 10),
    ],
)
def test_duration_in_months(start, end, months):
    assert months_between(start, end) == months


def test_explanation_names_the_rule_and_each_failed_condition(write_record, configs):
    choice = tier_of(write_record, configs, funded("30000"))
    assert choice.name == "standard-grant"
    assert choice.reason.startswith("rule: financial is true; amount up to USD 250,000.00")
    failed = {name: str(check) for name, check in choice.rejected}
    assert failed == {
        "collaboration": "financial is false: the partnership is financial",
        "small-grant": "amount up to USD 25,000.00: USD 30,000.00 > USD 25,000.00 (rates of 2026-11-02)",
    }


def test_override_wins_with_its_reason(write_record, configs):
    text = funded("1000") + "tier: {name: complex-award, reason: Donor requires audit}\n"
    choice = tier_of(write_record, configs, text)
    assert (choice.name, choice.reason, choice.overridden) == ("complex-award", "override: Donor requires audit", True)


def test_override_to_unknown_tier(write_record, configs):
    text = funded("1000") + "tier: {name: mega-grant, reason: Because}\n"
    with pytest.raises(InputError, match="unknown tier 'mega-grant'"):
        tier_of(write_record, configs, text)
