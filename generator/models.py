"""The typed partnership record and organisation. Field names here are the
public record format (see README); only ``context.py`` maps them to template
variables."""
from __future__ import annotations

import calendar
import re
from collections import Counter
from contextvars import ContextVar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_precision, list_currencies
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from .money import excess_decimals

# Characters XML 1.0 cannot hold: a document would not open with them in it.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n")  # Windows line ends, as Excel and Notepad write
    bad = _XML_ILLEGAL.search(value)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}, which a document cannot hold; remove it"
        )
    return value


# CLDR's two-letter codes that are no country: unions (EU, EZ, UN), "Unknown
# Region" (ZZ), outlying groupings (QO), pseudo-locales (XA, XB) and the
# exceptionally reserved codes of islands and bases (AC, CP, DG, EA, IC, TA).
_NOT_COUNTRIES = frozenset({"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})


@lru_cache(maxsize=None)
def _territories() -> frozenset[str]:
    return frozenset(code for code in Locale("en").territories
                     if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)


def _country(value: str) -> str:
    if value not in _territories():
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. NE, FR, CO)")
    return value


def item_error(message: str, *at) -> PydanticCustomError:
    """A list field's error about one of its items: ``at`` is the item's place
    under the field (its index, then a key), so that the error names that item
    and its line (records.py), not the list's first line."""
    return PydanticCustomError("item", "{message}", {"message": message, "at": at})


def _amount_where_funds_pass(amount: Optional[Decimal], funding, at: tuple, no_funding: str) -> None:
    """A list item's amount (a sub-partner's, a contribution's value), at ``at``
    under the list: refused without funding (``no_funding`` says why), and with
    more decimals than funding.currency has."""
    if amount is None:
        return
    if funding is None:
        raise item_error(no_funding, *at)
    problem = excess_decimals(amount, funding.currency)
    if problem:
        raise item_error(problem, *at)


def _distinct(values: list) -> list:
    repeated = sorted(v for v, n in Counter(values).items() if n > 1)
    if repeated:
        raise ValueError(f"{', '.join(map(repr, repeated))} listed more than once; list each once")
    return values


# Dates a partnership can have; beyond them date arithmetic overflows (9999-12-31).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)


def _plausible(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"{value.isoformat()} is outside {FIRST_DAY.year} to {LAST_DAY.year}")
    return value


def _title(value: str) -> str:
    # The title becomes the documents' title property, which holds at most 255 characters.
    if len(value) > 255:
        raise ValueError(f"is {len(value)} characters; a title has at most 255 (the limit of a document's title)")
    return value


MAX_LINK = 2048  # what browsers and X accept in practice


def _link(value: str) -> str:
    # A host of valid DNS labels: twitter-text's URL pattern takes quadratic
    # time on a long run of dots that is no host name (32 KB: many seconds).
    match = re.fullmatch(r"https?://([^/?#\s]+)[^\s]*", value)
    host = match.group(1).rsplit("@", 1)[-1].split(":")[0] if match else ""
    labels = host.split(".")
    if (not match or len(value) > MAX_LINK or len(host) > 253
            or not all(re.fullmatch(r"(?!-)[^\W_](?:[\w-]{0,61}[^\W_])?", label) for label in labels)):
        raise ValueError(f"expected a web address such as https://example.org/news (at most {MAX_LINK} characters, "
                         "no spaces)")
    return value


def _handle(value: str) -> str:
    if not value.lstrip("@").strip():
        raise ValueError("is empty; write the handle (e.g. @name), or leave the platform out")
    return value


def _currency(value: str) -> str:
    if value not in list_currencies():
        raise ValueError(f"{value!r} is not an ISO 4217 currency code (e.g. EUR, USD, XOF)")
    return value


def _language(value: str) -> str:
    try:
        Locale.parse(value, sep="-" if "-" in value else "_")
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"{value!r} is not a known language code (e.g. en, fr, es, ar)") from None
    return value


def _iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException as exc:
        raise ValueError(f"{value!r} is not a valid IBAN ({exc}); copy it from the bank's own statement, "
                         "e.g. DE89 3704 0044 0532 0130 00") from None


def _bic(value: str) -> str:
    try:
        return BIC(value).compact
    except SchwiftyException as exc:
        raise ValueError(f"{value!r} is not a SWIFT/BIC code ({exc}); 8 or 11 letters and digits: bank, "
                         "country, location and branch, e.g. DEUTDEFF or DEUTDEFF500") from None


Text = Annotated[str, AfterValidator(_xml_safe)]
Name = Annotated[str, StringConstraints(min_length=1), AfterValidator(_xml_safe)]


Country = Annotated[str, StringConstraints(to_upper=True), AfterValidator(_country)]
Currency = Annotated[str, StringConstraints(to_upper=True), AfterValidator(_currency)]
Language = Annotated[str, AfterValidator(_language)]

# The language of the record being validated: a plain Prose string is written in it.
_SOURCE_LANGUAGE: ContextVar[Optional[str]] = ContextVar("source_language", default=None)


class Texts(str):
    """A translatable text: the string is the text in the record's language (or
    the first one given); ``given`` holds every language's text as written (a
    plain string is under the record's language, or under None in the
    configuration, which has no language of its own). generator/translations.py
    turns it into the plain string of one language before documents are made."""

    given: dict
    source: Optional[str]

    def __new__(cls, given: dict, source: Optional[str]):
        first = given[source] if source in given else next(iter(given.values()))
        text = super().__new__(cls, first)
        text.given, text.source = dict(given), source
        return text

    def __reduce__(self):
        return (Texts, (self.given, self.source))

    def __deepcopy__(self, memo):
        return self

    def __copy__(self):
        return self


def _texts(value: Any) -> Texts:
    source = _SOURCE_LANGUAGE.get()
    if isinstance(value, dict):
        if not value:
            raise ValueError("is an empty map; write the text, or one per language ({fr: ..., en: ...})")
        return Texts(value, source)
    return Texts({source: value}, source)


def translatable(text: Any) -> Any:
    """``text`` (a string type), or a map of it by language ({fr: ..., en: ...})."""
    return Annotated[Union[text, dict[Language, text]], AfterValidator(_texts)]


# Free text a translator would translate (titles, budget lines, findings, quotes...):
# a plain string in the record's language, or a map by language ({fr: ..., en: ...}).
# generator/translations.py says which documents use each field.
Prose = translatable(Name)
# The currency of the Funding being validated: its amounts may have no more
# decimals than that currency has (0 for XOF, 3 for JOD), each checked in its own place.
_CURRENCY: ContextVar[Optional[str]] = ContextVar("currency", default=None)


def _in_currency(amount: Decimal) -> Decimal:
    currency = _CURRENCY.get()
    problem = excess_decimals(amount, currency) if currency else None
    if problem:
        raise ValueError(problem)
    return amount


Day = Annotated[date, AfterValidator(_plausible)]
DocumentTitle = Annotated[Name, AfterValidator(_title)]
Hashtag = Annotated[str, StringConstraints(pattern=r"^#\w+$")]
Handle = Annotated[Text, AfterValidator(_handle)]
Money = Annotated[Decimal, Field(gt=0, max_digits=15), AfterValidator(_in_currency)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]

PartnerType = Literal["civil_society", "women_led", "government", "private_sector", "academic", "network"]
Kind = Literal["implementing", "advocacy", "market_based", "capacity_exchange", "research"]
Rating = Literal["low", "medium", "significant", "high"]
Platform = Literal["x", "linkedin", "facebook", "instagram"]


def _not_before(end: date, info: ValidationInfo, end_field: str, start_field: str) -> date:
    """A period's last day, refused when it comes before its first (already validated) day."""
    start = info.data.get(start_field)
    if start is not None and end < start:
        raise ValueError(f"{end_field} {end.isoformat()} is before {start_field} {start.isoformat()}")
    return end


class Model(BaseModel):
    # Unknown keys are kept so that records.py reports them, with their place: errors,
    # or warnings with --allow-unknown (configuration keys are always errors).
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, frozen=True)


# A title, or one per language ({en: Regional Director, fr: Directrice régionale}).
Title = Prose


class Person(Model):
    """Someone who signs for an organisation."""

    name: Name
    title: Title


class Contact(Model):
    """The person to call about the partnership: named in the agreement and in
    its authorised-officers annex, with their title."""

    name: Name
    title: Title
    email: Email
    phone: Name


class Social(Model):
    """Social-media handles, used to tag the organisation in joint posts."""

    x: Optional[Handle] = None
    linkedin: Optional[Handle] = None
    facebook: Optional[Handle] = None
    instagram: Optional[Handle] = None


class People(Model):
    """Who acts for an organisation under an agreement; each has a title."""

    signatory: Person
    contact: Contact
    funds_officer: Optional[Person] = Field(
        default=None, description="Signs (for the partner) or approves (for the lead) requests for funds and "
                                  "financial reports; defaults to the signatory")
    press_contact: Optional[Contact] = Field(
        default=None, description="Media contact in the communications; defaults to the contact")


class NameGrammar(Model):
    """How an organisation's names behave in the sentences of one language
    (generator/grammar.py): the article each takes, if any."""

    article: Optional[Name] = Field(
        default=None, description="Article before the legal name: en the; fr le, la, l', les; es el, la, los, las; "
                                  "pt o, a, os, as; leave out for a name used bare (ESSA, Oxfam)")
    short_article: Optional[Name] = Field(
        default=None, description="Article before the short name (fr l' for l'UCAD, en the for the NRF); "
                                  "leave out for a short name used bare")
    elision: Optional[bool] = Field(
        default=None, description="French: whether de elides before a bare name beginning with h or y "
                                  "(true: d'Habitat…, false: de Handicap…); needed for such names in French documents")


def _grammar_of(names: tuple[str, str | None]):
    """A validator of a `grammar` map: each article exists in its language and fits the name it precedes."""
    def check(value: dict, info: ValidationInfo) -> dict:
        from .grammar import article_problem
        legal, short = (info.data.get(n) if n else None for n in names)
        problems = []
        for language, entry in value.items():
            for key, name in (("article", legal), ("short_article", short)):
                article = getattr(entry, key)
                if article is not None and name is not None:
                    problem = article_problem(language, article, name)
                    if problem:
                        problems.append(f"{language}.{key}: {problem}")
        if problems:
            raise ValueError("; ".join(problems))
        return value
    return check


GRAMMAR_DESCRIPTION = ("How the name behaves in sentences, per language: {fr: {article: l'}, es: {article: la}, "
                       "en: {article: the}}; without it the name is used bare")


class OrganisationBase(Model):
    """What identifies an organisation, whoever acts for it."""

    legal_name: Name
    short_name: Name
    country: Country
    address: Name
    city: Optional[Name] = Field(default=None, description="Town for press-release datelines")
    registration_number: Name
    logo: Optional[Name] = Field(
        default=None, description="Path to a PNG or JPEG, relative to the file that names it; needed for documents"
    )
    social: Social = Social()
    about: dict[Language, Name] = Field(default_factory=dict, description="'About' paragraph per language")
    grammar: dict[Language, NameGrammar] = Field(default_factory=dict, description=GRAMMAR_DESCRIPTION)

    _check_grammar = field_validator("grammar")(_grammar_of(("legal_name", "short_name")))


class Organisation(OrganisationBase, People):
    """A party to the agreement with the people who act for it (the partner)."""


class BankAccount(Model):
    """The partner's account the grant is paid into, printed in the payment article."""

    account_holder: Name = Field(description="Name of the account holder, as the bank has it")
    bank: Name = Field(description="Name (and branch) of the bank")
    iban: Optional[Annotated[Name, AfterValidator(_iban)]] = Field(
        default=None, description="IBAN, checksum verified; or account_number where the country has no IBAN")
    account_number: Optional[Name] = Field(
        default=None, description="Account number where the country has no IBAN; not with iban")
    bic: Optional[Annotated[Name, AfterValidator(_bic)]] = Field(
        default=None, description="SWIFT/BIC code of the bank (8 or 11 characters)")

    @model_validator(mode="after")
    def _one_account(self):
        if (self.iban is None) == (self.account_number is None):
            raise ValueError("give the account either as iban or as account_number (where the country has no "
                             "IBAN), not both and not neither")
        return self


class Partner(Organisation):
    """The other party of one partnership."""

    type: PartnerType
    about: Optional[Prose] = Field(default=None, description="'About' paragraph, or one per language")
    bank: Optional[BankAccount] = Field(
        default=None, description="The account the grant is paid into; only where funds pass")


class BudgetLine(Model):
    line: Prose
    amount: Money
    indirect: bool = Field(default=False, description="This line is the indirect-cost recovery at funding.indirect_rate")


class Release(Model):
    """When a tranche is released, one of three alternatives: once ``liquidated_percent``
    of tranche ``of_tranche`` (1-based) is reported (a liquidation-gated advance); on the
    lead's written approval of the report for reporting period ``report_approved``
    (1-based); or once milestone ``milestone`` (1-based, of the record's milestones)
    is confirmed reached, which makes that milestone payment-linked."""

    liquidated_percent: Optional[Annotated[int, Field(ge=1, le=100)]] = None
    of_tranche: Optional[Annotated[int, Field(ge=1)]] = None
    report_approved: Optional[Annotated[int, Field(ge=1)]] = Field(
        default=None, description="Released on the written approval of the report for this reporting period")
    milestone: Optional[Annotated[int, Field(ge=1)]] = Field(
        default=None, description="Released once this milestone (1-based) is confirmed reached")

    @model_validator(mode="after")
    def _one_condition(self):
        liquidation = (self.liquidated_percent, self.of_tranche)
        forms = [None not in liquidation, self.report_approved is not None, self.milestone is not None]
        if liquidation.count(None) == 1:
            raise ValueError("liquidated_percent and of_tranche go together: give both")
        if sum(forms) != 1:
            raise ValueError("give one release condition: liquidated_percent with of_tranche, or "
                             "report_approved (a reporting period), or milestone (a milestone's number)")
        return self


class Advance(Model):
    """One tranche of the advance schedule."""

    amount: Money
    release: Union[Literal["on_signature"], Release]


class FinalPayment(Model):
    """How the part of the grant the advances leave is paid (a retention)."""

    upon: Literal["final_report_approval"] = Field(
        description="final_report_approval: on the lead's written approval of the final reports")


class PrimeAward(Model):
    """The donor's award that finances the grant: the rules of that donor
    (configs/donors.yaml) flow down to the partner."""

    donor: Name = Field(description="The donor's id in configs/donors.yaml")
    award_number: Name = Field(description="The prime award's number, as the donor writes it")
    award_start: Day = Field(description="First day of the prime award")
    award_end: Day = Field(description="Last day of the prime award")

    @field_validator("award_end")
    @classmethod
    def _award_end_after_start(cls, end: date, info: ValidationInfo) -> date:
        return _not_before(end, info, "award_end", "award_start")


class Funding(Model):
    """Money the lead organisation transfers; absent for a non-financial partnership.
    Every unit of ``amount`` is scheduled: the advances add up to it, or
    ``final_payment`` says how the rest is paid. A stated ``indirect_rate`` is
    the budget's own: its one ``indirect: true`` line is the rate of the others."""

    amount: Money
    currency: Currency
    indirect_rate: Optional[Annotated[Decimal, Field(gt=0, le=25)]] = Field(
        default=None, description="Indirect-cost recovery, percent of the direct budget lines; none if absent"
    )
    budget: Annotated[list[BudgetLine], Field(min_length=1)]
    final_payment: Optional[FinalPayment] = None
    advances: list[Advance] = Field(default_factory=list, validate_default=True)
    prime_award: Optional[PrimeAward] = Field(
        default=None, description="The donor's award that finances the grant, if any; its rules flow down")

    @model_validator(mode="wrap")
    @classmethod
    def _amounts_in_currency(cls, data, handler):
        code = str(data.get("currency", "")).strip().upper() if isinstance(data, dict) else ""
        token = _CURRENCY.set(code if code in list_currencies() else None)
        try:
            return handler(data)
        finally:
            _CURRENCY.reset(token)

    @field_validator("budget")
    @classmethod
    def _budget_adds_up(cls, budget: list[BudgetLine], info: ValidationInfo) -> list[BudgetLine]:
        amount = info.data.get("amount")
        total = sum((line.amount for line in budget), Decimal(0))
        if amount is not None and total != amount:
            raise ValueError(f"budget lines add up to {total:,.2f} but funding.amount is {amount:,.2f}; they must be equal")
        indirect = [n for n, line in enumerate(budget) if line.indirect]
        rate = info.data.get("indirect_rate")
        if len(indirect) > 1:
            raise ValueError(f"lines {', '.join(str(n) for n in indirect)} are all marked indirect: true; "
                             "keep one indirect-cost line")
        if indirect and rate is None:
            raise ValueError(f"budget[{indirect[0]}] is the indirect-cost line but funding.indirect_rate is not "
                             "stated; state the rate, or unmark the line")
        if rate is not None:
            if not indirect:
                raise ValueError(f"funding.indirect_rate is {rate}% but no budget line holds it; mark the "
                                 "indirect-cost line with indirect: true, or remove the rate")
            line = budget[indirect[0]]
            expected = indirect_amount(rate, direct_total(budget), info.data.get("currency"))
            if line.amount != expected:
                raise ValueError(
                    f"budget[{indirect[0]}] ({line.line}) is {line.amount:,.2f} but {rate}% of the direct lines "
                    f"({direct_total(budget):,.2f}) is {expected:,.2f}; the stated rate and the budget must agree")
        return budget

    @field_validator("advances")
    @classmethod
    def _advances_fit(cls, advances: list[Advance], info: ValidationInfo) -> list[Advance]:
        amount = info.data.get("amount")
        total = sum((a.amount for a in advances), Decimal(0))
        if amount is not None and total > amount:
            raise ValueError(f"advances add up to {total:,.2f}, more than funding.amount {amount:,.2f}")
        final = info.data.get("final_payment")
        if amount is not None and total < amount and final is None:
            raise ValueError(
                f"advances add up to {total:,.2f}, less than funding.amount {amount:,.2f}, and nothing says how "
                f"the remaining {amount - total:,.2f} is paid; add advances, or a final payment "
                "(final_payment: {upon: final_report_approval})")
        if amount is not None and total == amount and final is not None:
            raise ValueError("the advances pay the whole amount: nothing is left for funding.final_payment; remove it")
        for number, advance in enumerate(advances, start=1):
            if isinstance(advance.release, Release) and (advance.release.of_tranche or 0) >= number:
                raise ValueError(
                    f"tranche {number} is released on tranche {advance.release.of_tranche}, "
                    f"which does not come before it (tranches 1 to {number - 1} can be named)"
                )
        return advances


def direct_total(budget: list[BudgetLine]) -> Decimal:
    return sum((line.amount for line in budget if not line.indirect), Decimal(0))


def indirect_amount(rate: Decimal, direct: Decimal, currency: Optional[str]) -> Decimal:
    """``rate`` percent of ``direct``, rounded half up to the currency's minor unit."""
    digits = get_currency_precision(currency) if currency else 2
    return (direct * rate / 100).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


class Risk(Model):
    risk: Prose
    rating: Rating
    mitigation: Prose


Side = Literal["lead", "partner"]


class Weakness(Model):
    """A weakness and its start-up action. Written as plain text, it takes
    every default: the generic action, owned by the side it was found on,
    supported and due as configs/policy.yaml says (startup_*)."""

    weakness: Prose
    action: Optional[Prose] = None
    owner: Optional[Side] = None
    support: Optional[Literal["lead", "partner", "none"]] = None
    due: Optional[Day] = None


def _weakness(value: Any) -> Any:
    return {"weakness": value} if isinstance(value, str) else value


class Findings(Model):
    """What the due diligence found about one organisation."""

    strengths: list[Prose] = Field(default_factory=list)
    weaknesses: list[Annotated[Weakness, BeforeValidator(_weakness)]] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)


class Assessment(Model):
    """Two-way due diligence: findings for BOTH organisations."""

    lead: Findings
    partner: Findings


class Speaker(Model):
    org: Literal["lead", "partner"]
    name: Name
    title: Prose
    quote: Prose
    language: Optional[Language] = Field(
        default=None, description="The language the quote was said in (default: the record's); in any other "
                                  "language the release says the quote is translated")


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. Africa/Lagos, Europe/Paris)") from None
    return value


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
        raise ValueError(f'{value!r} is not a 24-hour time; write it in quotes as "09:00"')
    return value


class Embargo(Model):
    """When the release may be published, in the time zone it is announced in."""

    date: Day
    time: Annotated[str, AfterValidator(_clock)] = Field(description='24-hour time in quotes, "09:00"')
    timezone: Annotated[str, AfterValidator(_time_zone)] = Field(description="IANA time zone, e.g. Africa/Lagos")


class Photo(Model):
    """A photo for the release and the social images, with its caption and credit."""

    file: Name  # PNG or JPEG, relative to the record
    caption: Prose
    credit: Name


class TimeZones(Model):
    lead: Optional[Annotated[str, AfterValidator(_time_zone)]] = None
    partner: Optional[Annotated[str, AfterValidator(_time_zone)]] = None


class PostLanguages(Model):
    lead: Optional[list[Language]] = None
    partner: Optional[list[Language]] = None


class Approval(Model):
    """Who approved the final text for one organisation, and when."""

    by: Name
    date: Day  # not `on`, which YAML 1.1 readers take for true


class Approvals(Model):
    lead: Optional[Approval] = None
    partner: Optional[Approval] = None


class Comms(Model):
    """What the joint communications need."""

    languages: Annotated[list[Language], Field(min_length=1)]
    announce_on: Day
    speakers: list[Speaker] = Field(default_factory=list)
    hashtags: list[translatable(Hashtag)] = Field(default_factory=list)
    platforms: list[Platform] = Field(default_factory=list)
    link: Optional[Annotated[Text, AfterValidator(_link)]] = None
    titles: dict[Language, DocumentTitle] = Field(
        default_factory=dict, description="The partnership's title per language (older form of a `title` map; "
                                          "read as one)")
    approvals: Approvals = Field(
        default_factory=Approvals, description="Each organisation's approval of the final text (`comms --final`)"
    )
    embargo: Optional[Embargo] = None
    publish_amount: bool = Field(default=False, description="Show the amount in the release and posts")
    photo: Optional[Photo] = None
    time_zones: Optional[TimeZones] = Field(
        default=None, description="Each organisation's account time zone (default: the embargo's, else UTC)")
    post_languages: Optional[PostLanguages] = Field(
        default=None, description="The languages each organisation posts in (default: every comms language)")


class TierOverride(Model):
    """Force a tier; only with a reason, which is kept in the outputs' records."""

    name: Name
    reason: Name


class Milestone(Model):
    date: Day
    description: Prose


class SubPartner(Model):
    """An organisation the partner works with and, in a funded partnership, passes
    part of the grant to (a sub-award); named in the flow-down article."""

    name: Name
    country: Country = Field(description="Where the sub-partner works (ISO 3166-1 alpha-2)")
    role: Prose = Field(description="What the sub-partner does in the programme")
    amount: Optional[Annotated[Decimal, Field(gt=0, max_digits=15)]] = Field(
        default=None, description="The part of the grant passed on to it, in funding.currency; only where funds pass")
    grammar: dict[Language, NameGrammar] = Field(default_factory=dict, description=GRAMMAR_DESCRIPTION)

    _check_grammar = field_validator("grammar")(_grammar_of(("name", None)))


class ExpectedResult(Model):
    """A result the action is expected to achieve and how it is measured (the
    results framework of the description of the action)."""

    result: Prose = Field(description="The change the action is expected to bring about")
    indicator: Prose = Field(description="How progress towards the result is measured")
    baseline: Optional[Prose] = Field(default=None, description="The indicator's value at the start, where known")
    target: Prose = Field(description="The value the indicator is to reach by the end")


class Activity(Model):
    """One activity of the action, with the result it serves and when it takes place."""

    activity: Prose
    result: Optional[Annotated[int, Field(ge=1)]] = Field(
        default=None, description="The expected result (1-based, of action.results) the activity serves")
    start: Optional[Day] = Field(default=None, description="When it begins (within the partnership); with end")
    end: Optional[Day] = Field(default=None, description="When it ends; with start")

    @model_validator(mode="after")
    def _period(self):
        if (self.start is None) != (self.end is None):
            raise ValueError("give an activity's period as both start and end, or neither")
        if self.start is not None and self.end < self.start:
            raise ValueError(f"end {self.end.isoformat()} is before start {self.start.isoformat()}")
        return self


class ActionDescription(Model):
    """The description of the action (the EU grant contract's Annex I): its
    objective, expected results with indicators and targets, and activities;
    an annex of the agreement (a short form in the small grant)."""

    objective: Prose = Field(description="The overall objective the action contributes to")
    results: Annotated[list[ExpectedResult], Field(min_length=1)]
    activities: Annotated[list[Activity], Field(min_length=1)]

    @field_validator("activities")
    @classmethod
    def _results_exist(cls, activities: list[Activity], info: ValidationInfo) -> list[Activity]:
        results = info.data.get("results") or []
        for number, activity in enumerate(activities):
            if activity.result is not None and activity.result > len(results):
                raise item_error(f"serves result {activity.result}, but action.results lists {len(results)}; "
                                 "number the results from 1", number, "result")
        return activities


class Contribution(Model):
    """What one Party brings to the action besides the Grant: cash (co-financing
    it spends on the action itself) or in kind (staff time, premises, equipment,
    volunteers), with its value where the Parties agreed one."""

    party: Side
    type: Literal["cash", "in_kind"] = Field(description="cash (co-financing) or in_kind")
    description: Prose
    value: Optional[Annotated[Decimal, Field(gt=0, max_digits=15)]] = Field(
        default=None, description="Its value in funding.currency: required for cash, agreed value for in-kind; "
                                  "only where funds pass")


class Ethics(Model):
    """The ethics approval research with human participants needs."""

    committee: Name = Field(description="The research ethics committee or institutional review board")
    reference: Optional[Name] = Field(default=None, description="The approval's reference, once granted")
    approved_on: Optional[Day] = Field(
        default=None, description="When it was granted; leave out while pending (no data is collected before it)")

    @model_validator(mode="after")
    def _reference_with_date(self):
        if self.reference is not None and self.approved_on is None:
            raise ValueError("an approval reference needs its date (approved_on); leave both out while pending")
        return self


Owner = Literal["partner", "lead", "joint"]


class ResearchTerms(Model):
    """The terms of a research partnership (kind research): authorship and
    publication, ownership of data and results, data sharing and protection, ethics."""

    lead_author: Owner = Field(description="Whose researchers lead the publications: partner, lead or joint")
    review_days: Annotated[int, Field(ge=5, le=90)] = Field(
        default=30, description="Days each Party has to comment on a draft before it is submitted or published")
    open_access: bool = Field(default=True, description="Publications are open access (CC BY) where the venue allows")
    data_owner: Owner = Field(description="Who owns the research data collected: partner, lead or joint")
    results_owner: Owner = Field(description="Who owns the intellectual property in the results: partner, lead or joint")
    data_sharing: Optional[Prose] = Field(
        default=None, description="What data the Parties share with each other and how")
    personal_data: bool = Field(description="Whether the research collects personal data of participants")
    ethics: Optional[Ethics] = Field(
        default=None, description="The ethics approval; required when the research has human participants")
    human_participants: bool = Field(
        default=True, description="Whether the research involves people (interviews, surveys, observation)")

    @model_validator(mode="after")
    def _ethics_for_participants(self):
        if self.human_participants and self.ethics is None:
            raise ValueError("research with human participants needs its ethics approval (ethics: {committee: ...}); "
                             "set human_participants: false if it has none")
        if self.personal_data and not self.human_participants:
            raise ValueError("personal data comes from people: human_participants cannot be false with "
                             "personal_data: true")
        return self


class Record(Model):
    """The metadata of one partnership."""

    id: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")] = Field(
        description="Letters, digits, '-' and '_' only; used in file names"
    )
    title: translatable(DocumentTitle)
    language: Language = "en"
    kind: Kind
    partner: Partner
    funding: Optional[Funding] = None
    start: Day
    end: Day
    countries: Annotated[list[Country], Field(min_length=1), AfterValidator(_distinct)]
    sub_partners: list[SubPartner] = Field(
        default_factory=list, description="Organisations the partner works with or passes funds to (sub-awards)")
    assessment: Optional[Assessment] = Field(default=None, validate_default=True)
    comms: Optional[Comms] = None
    donor: Optional[Name] = Field(default=None, description="The donor funding the partnership (configs/donors.yaml)")
    tier: Optional[TierOverride] = None
    reference: Optional[Text] = Field(default=None, description="Agreement reference; defaults to id")
    version: Annotated[int, Field(ge=1)] = 1
    milestones: list[Milestone] = Field(default_factory=list)
    lead_office: Optional[Name] = Field(
        default=None, description="The lead's office that manages the partnership (configs/organisation.yaml offices)")
    action: Optional[ActionDescription] = Field(
        default=None, description="The description of the action: objective, expected results, activities (an annex)")
    contributions: list[Contribution] = Field(
        default_factory=list, description="What each Party contributes besides the Grant: cash or in kind")
    research: Optional[ResearchTerms] = Field(
        default=None, description="Research terms: needed for, and only for, kind research")
    signature_date: Optional[Day] = Field(
        default=None, description="When the Parties plan to sign: the donor's rules flow down in the versions in "
                                  "force on it (default: the start date)")
    agreement_languages: Optional[Annotated[list[Language], Field(min_length=2), AfterValidator(_distinct)]] = Field(
        default=None, description="A bilingual agreement: the languages it is made and signed in, one version each, "
                                  "the record's language among them; with prevailing")
    prevailing: Optional[Language] = Field(
        default=None, validate_default=True,
        description="The version that prevails in case of discrepancy: one of agreement_languages")
    translations: Optional[Literal["fallback"]] = Field(
        default=None, description="fallback: a text missing in a document's language is used in the record's own")

    @model_validator(mode="wrap")
    @classmethod
    def _in_source_language(cls, data, handler):
        language = data.get("language", "en") if isinstance(data, dict) else "en"
        token = _SOURCE_LANGUAGE.set(str(language).strip() if isinstance(language, str) else "en")
        try:
            return handler(_titles_in_title(data))
        finally:
            _SOURCE_LANGUAGE.reset(token)

    @field_validator("agreement_languages")
    @classmethod
    def _versions_include_the_record_language(cls, languages: Optional[list[str]], info: ValidationInfo):
        language = info.data.get("language")
        if languages is not None and language is not None and language not in languages:
            raise ValueError(f"the record's language ({language}) is one of the agreement's versions: add it to "
                             f"the list, or change language")
        return languages

    @field_validator("prevailing")
    @classmethod
    def _prevailing_version(cls, prevailing: Optional[str], info: ValidationInfo):
        if "agreement_languages" not in info.data:  # the list itself is wrong, and reported
            return prevailing
        languages = info.data["agreement_languages"]
        if languages is None and prevailing is not None:
            raise ValueError("a prevailing version needs the agreement's versions: agreement_languages: "
                             f"[{info.data.get('language', 'en')}, ...]")
        if languages is not None and prevailing is None:
            raise ValueError(f"a bilingual agreement says which version prevails in case of discrepancy: "
                             f"prevailing: one of {', '.join(languages)}")
        if languages is not None and prevailing not in languages:
            raise ValueError(f"{prevailing} is not one of the agreement's versions ({', '.join(languages)})")
        return prevailing

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        return _not_before(end, info, "end", "start")

    @field_validator("sub_partners")
    @classmethod
    def _amounts_passed_on(cls, subs: list[SubPartner], info: ValidationInfo) -> list[SubPartner]:
        _distinct([s.name for s in subs])
        funding = info.data.get("funding")
        for number, sub in enumerate(subs):
            _amount_where_funds_pass(sub.amount, funding, (number, "amount"), f"{sub.name} has an amount but no funds "
                                     "pass in this partnership (no funding); remove the amount or add the funding")
        total = sum((s.amount for s in subs if s.amount is not None), Decimal(0))
        if funding is not None and total > funding.amount:
            raise ValueError(f"the amounts passed on to sub-partners add up to {total:,.2f}, more than "
                             f"funding.amount {funding.amount:,.2f}")
        return subs

    @field_validator("milestones")
    @classmethod
    def _paid_milestones_listed(cls, milestones: list[Milestone], info: ValidationInfo) -> list[Milestone]:
        funding = info.data.get("funding")
        for number, advance in enumerate(funding.advances if funding else [], start=1):
            linked = getattr(advance.release, "milestone", None)
            if linked is not None and linked > len(milestones):
                raise ValueError(f"tranche {number} (funding.advances) is paid on milestone {linked}, but the record "
                                 f"lists {len(milestones)} milestone(s); add it, or change the release condition")
        return milestones

    @field_validator("action")
    @classmethod
    def _activities_within(cls, action: Optional[ActionDescription], info: ValidationInfo):
        start, end = info.data.get("start"), info.data.get("end")
        for number, activity in enumerate(action.activities if action and start and end else []):
            if activity.start is not None and not (start <= activity.start and activity.end <= end):
                raise item_error(f"runs from {activity.start.isoformat()} to {activity.end.isoformat()}, outside "
                                 f"the partnership ({start.isoformat()} to {end.isoformat()})",
                                 "activities", number, "start")
        return action

    @field_validator("contributions")
    @classmethod
    def _contributions_valued(cls, contributions: list[Contribution], info: ValidationInfo) -> list[Contribution]:
        funding = info.data.get("funding")
        for number, item in enumerate(contributions):
            _amount_where_funds_pass(item.value, funding, (number, "value"), "a value, but no funds pass in this "
                                     "partnership (no funding, hence no currency); describe the contribution without a value")
            if funding is not None and item.type == "cash" and item.value is None:
                raise item_error(f"a cash contribution needs its value in {funding.currency}", number)
        return contributions

    @field_validator("research")
    @classmethod
    def _research_for_research(cls, research: Optional[ResearchTerms], info: ValidationInfo):
        kind = info.data.get("kind")
        if research is not None and kind is not None and kind != "research":
            raise ValueError(f"research terms are for a research partnership, and this one is {kind}; "
                             "remove them or set kind: research")
        return research

    @field_validator("assessment")
    @classmethod
    def _assessment_for_funding(cls, assessment: Optional[Assessment], info: ValidationInfo):
        if assessment is None and info.data.get("funding") is not None:
            raise ValueError("a funded partnership needs the two-way assessment (assessment.lead and assessment.partner)")
        return assessment

    @property
    def financial(self) -> bool:
        return self.funding is not None

    @property
    def duration_months(self) -> int:
        return months_between(self.start, self.end)


def _titles_in_title(data: Any) -> Any:
    """``comms.titles`` (the older form) read as languages of the ``title`` map."""
    comms = data.get("comms") if isinstance(data, dict) else None
    titles = comms.get("titles") if isinstance(comms, dict) else None
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(titles, dict) or not titles or not isinstance(title, (str, dict)):
        return data
    language = data.get("language", "en")
    merged = dict(title) if isinstance(title, dict) else {language if isinstance(language, str) else "en": title}
    for code, text in titles.items():
        merged.setdefault(code, text)
    return {**data, "title": merged}


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Months from ``start`` to the day after ``end``, a partial month counting
    as a whole one: 2027-01-15 to 2028-01-14 is 12, to 2028-01-15 is 13."""
    stop = end + timedelta(days=1)
    months = (stop.year - start.year) * 12 + stop.month - start.month
    if add_months(start, months) > stop:
        months -= 1
    if add_months(start, months) < stop:
        months += 1
    return max(months, 1)
