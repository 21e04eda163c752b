"""A partnership that has every optional part a template may print (a final
payment, an indirect-cost line, sub-partners, milestones, tranches on a
liquidation, a milestone and a report, bank details, a prime award (with
``sample_config``), risks on both sides, a description of the action with a
dated and an undated activity, cash and in-kind contributions of both
Parties, research terms with a pending ethics approval (so kind research),
versions in two languages,
both speakers, an office's funds officer and press contact ...). Its context,
beside the records', is the schema templates are checked against, so a
workspace whose own records never use a branch still validates the templates
that print it. tests/test_validate_sample.py keeps it complete: no bundled
record's context has a key this one lacks."""
from __future__ import annotations

from dataclasses import replace

from ..config import Config, Donor, Donors
from ..models import Record

PERSON = {"name": "Sample Person", "title": "Sample title"}
CONTACT = {**PERSON, "email": "sample@example.org", "phone": "+1 000 000 0000"}
# The sample's donor, added to the configuration only for the sample's context
# (a workspace may have no configs/donors.yaml).
SAMPLE_DONOR = "sample-donor"


def sample_config(config: Config) -> Config:
    """``config`` with the sample's donor beside its own."""
    donor = Donor.model_validate({"name": "Sample Donor", "rules": [
        {"name": "Sample rules", "version_date": "2026-01-01", "text": "Sample rules text."}]})
    return replace(config, donors=Donors(donors={**config.donors.donors, SAMPLE_DONOR: donor}))


def sample_languages() -> list[str]:
    """English, and each language whose names take prepositions that contract
    (generator/grammar.py: "de", "a", "em" ...), so that the schema has those keys."""
    from ..grammar import PREPOSITIONS
    from ..i18n import PHRASES
    return ["en"] + sorted(lang for lang, words in PREPOSITIONS.items() if words and lang in PHRASES)


def sample_record(config: Config, language: str = "en") -> Record:
    """The sample, in the tiers' reference currency (so it always converts)."""
    findings = {"strengths": ["A strength"], "weaknesses": ["A weakness"],
                "risks": [{"risk": "A risk", "rating": "medium", "mitigation": "A mitigation"}]}
    return Record.model_validate({
        "id": "SAMPLE", "title": "Sample partnership", "language": language, "kind": "research",
        "agreement_languages": [language, "fr" if language == "en" else "en"], "prevailing": language,
        "partner": {
            "legal_name": "Sample Partner", "short_name": "SP", "type": "civil_society", "country": "NE",
            "city": "Niamey", "address": "BP 1, Niamey", "registration_number": "R-1", "logo": "logo.png",
            "signatory": PERSON, "contact": CONTACT, "funds_officer": PERSON, "press_contact": CONTACT,
            "social": {"x": "@sample", "linkedin": "sample", "facebook": "sample", "instagram": "sample"},
            "about": {language: "About the sample partner."},
            "bank": {"account_holder": "Sample Partner", "bank": "Sample Bank", "iban": "DE89370400440532013000",
                     "bic": "DEUTDEFF"},
        },
        "funding": {
            "amount": 110000, "currency": config.tiers.reference_currency, "indirect_rate": 10,
            "budget": [{"line": "Direct", "amount": 100000}, {"line": "Indirect", "amount": 10000, "indirect": True}],
            "advances": [{"amount": 50000, "release": "on_signature"},
                         {"amount": 20000, "release": {"liquidated_percent": 70, "of_tranche": 1}},
                         {"amount": 10000, "release": {"milestone": 1}},
                         {"amount": 10000, "release": {"report_approved": 1}}],
            "final_payment": {"upon": "final_report_approval"},
            "prime_award": {"donor": SAMPLE_DONOR, "award_number": "SD-1", "award_start": "2026-06-01",
                            "award_end": "2030-06-30"},
        },
        "start": "2027-01-01", "end": "2029-12-31", "countries": ["NE", "ML"], "sub_partners": [
            {"name": "Sample Sub-partner", "country": "ML", "role": "a sample role", "amount": 10000}],
        "assessment": {"lead": findings, "partner": findings},
        "milestones": [{"date": "2027-06-30", "description": "A milestone"}],
        "action": {"objective": "An objective", "results": [
            {"result": "A result", "indicator": "An indicator", "baseline": "A baseline", "target": "A target"}],
            "activities": [{"activity": "A dated activity", "result": 1, "start": "2027-01-01", "end": "2027-06-30"},
                           {"activity": "An undated activity"}]},
        "contributions": [{"party": side, "type": kind, "description": "A contribution", "value": 1000}
                          for side in ("lead", "partner") for kind in ("cash", "in_kind")],
        "research": {"lead_author": "joint", "data_owner": "partner", "results_owner": "joint",
                     "data_sharing": "A data-sharing arrangement.", "personal_data": True,
                     "ethics": {"committee": "A sample ethics committee"}},
        "comms": {
            "languages": [language], "announce_on": "2027-01-10", "hashtags": ["#Sample"], "publish_amount": True,
            "embargo": {"date": "2027-01-10", "time": "09:00", "timezone": "Africa/Niamey"},
            "photo": {"file": "photo.jpg", "caption": "A caption.", "credit": "A photographer"},
            "platforms": ["x", "linkedin", "facebook", "instagram"], "link": "https://example.org/sample",
            "speakers": [{"org": "lead", "name": "Lead Speaker", "title": "Director", "quote": "A quote."},
                         {"org": "partner", "name": "Partner Speaker", "title": "Director", "quote": "A quote."}],
        },
    })
