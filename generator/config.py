"""The configuration folder: the lead organisation, the tier rules, the dated
exchange rates, the contract policy figures and the donors' dated rules."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import Field, ValidationInfo, field_validator, model_validator

from .errors import ConfigNotFound, InputError
from .models import GRAMMAR_DESCRIPTION, Currency, Kind, Language, Model, Name, NameGrammar, OrganisationBase, PartnerType, People, _grammar_of
from .records import check_logo, validate
from .workspace import CONFIGS_ENV_VAR as ENV_VAR, DEFAULT_CONFIGS, Workspace, find_workspace  # noqa: F401
from .yaml_source import read_source


NonNegative = Annotated[int, Field(ge=0)]
NonNegativeDecimal = Annotated[Decimal, Field(ge=0)]


class Conditions(Model):
    """What must hold for a tier to apply; every bound is inclusive and an absent one holds."""

    financial: Optional[bool] = None
    min_amount: Optional[NonNegativeDecimal] = Field(default=None, description="In the reference currency")
    max_amount: Optional[NonNegativeDecimal] = Field(default=None, description="In the reference currency")
    min_months: Optional[NonNegative] = None
    # A partnership lasts at least a month and works in at least one country.
    max_months: Optional[Annotated[int, Field(ge=1)]] = None
    max_countries: Optional[Annotated[int, Field(ge=1)]] = None
    sub_partners: Optional[bool] = Field(default=None, description="true: must have some; false: must have none")
    partner_types: Optional[list[PartnerType]] = None
    kinds: Optional[list[Kind]] = None

    @model_validator(mode="after")
    def _bounds_can_match(self) -> "Conditions":
        # A tier no partnership can match is a typo, never an intent.
        for low, high in (("min_amount", "max_amount"), ("min_months", "max_months")):
            lo, hi = getattr(self, low), getattr(self, high)
            if lo is not None and hi is not None and lo > hi:
                raise ValueError(f"{low} {lo} is above {high} {hi}: no partnership can match this tier")
        return self


class Tier(Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    label: dict[str, Name] = Field(default_factory=dict, description="Display name per language")
    when: Conditions = Conditions()


class TierPolicy(Model):
    reference_currency: Currency = "USD"
    tiers: Annotated[list[Tier], Field(min_length=1)]

    @field_validator("tiers")
    @classmethod
    def _unique(cls, tiers: list[Tier]) -> list[Tier]:
        names = [t.name for t in tiers]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"tier names must be unique; repeated: {', '.join(repeated)}")
        return tiers


class ExchangeRates(Model):
    """Value of one unit of each currency in the reference currency, on ``date``."""

    date: date
    base: Currency
    rates: dict[Currency, Annotated[Decimal, Field(gt=0)]]


class Policy(Model):
    """Figures the contract clauses quote."""

    notice_days: NonNegative = 30
    cure_days: NonNegative = 14
    records_years: NonNegative = 5
    final_report_days: NonNegative = 30
    refund_days: NonNegative = 90
    final_payment_days: NonNegative = Field(
        default=30, description="A final payment is made this long after the final reports are approved")
    report_every_months: Annotated[int, Field(ge=1, le=12)] = Field(
        default=3, description="Periodic narrative and financial reports cover this many months each")
    audit_threshold: NonNegativeDecimal = Decimal("300000")
    procurement_threshold: NonNegativeDecimal = Decimal("5000")
    reference_prefix: Optional[Name] = None
    periodic_report_tiers: list[Name] = Field(
        default_factory=lambda: ["standard-grant", "complex-award"],
        description="Tiers whose partners report every report_every_months (the others report at the end)")
    startup_due_months: Annotated[int, Field(ge=1, le=24)] = Field(
        default=3, description="A start-up action without its own due date is due this many months after the start (or at the end, when earlier)")
    startup_support: Literal["other", "none"] = Field(
        default="other", description="Who supports a start-up action by default: the other party, or nobody")
    contract_languages: list[Language] = Field(default_factory=lambda: ["en", "fr"])
    comms_languages: list[Language] = Field(default_factory=lambda: ["en", "fr", "es"])


class DonorRule(Model):
    """One dated version of a set of donor rules that flows down to partners."""

    name: Name
    version_date: date = Field(description="The date this version took effect")
    text: Name = Field(description="The clauses or annex text these rules require, as the agreement attaches it")


class Donor(Model):
    """A donor whose awards finance grants, with its rules as a dated list."""

    name: Name
    grammar: dict[Language, NameGrammar] = Field(default_factory=dict, description=GRAMMAR_DESCRIPTION)
    rules: list[DonorRule] = Field(default_factory=list, description="Dated rules that flow down (none for a donor named only in communications)")
    visibility: Optional[dict[str, Any]] = Field(
        default=None, description="The donor's marking and visibility requirements (read by the communications)")

    _check_grammar = field_validator("grammar")(_grammar_of(("name", None)))

    def rules_in_force(self, day: date) -> list[DonorRule]:
        """Of each set of rules (by name), the latest version dated on or before ``day``."""
        latest: dict[str, DonorRule] = {}
        for rule in self.rules:
            if rule.version_date <= day and (rule.name not in latest or rule.version_date > latest[rule.name].version_date):
                latest[rule.name] = rule
        return list(latest.values())


class Donors(Model):
    """configs/donors.yaml: donors keyed by id (a record's funding.prime_award.donor)."""

    donors: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")], Donor] = Field(default_factory=dict)


class Office(People):
    """An office of the lead organisation that manages partnerships: who signs
    for the lead, and its contacts, in the agreements it manages."""


class Lead(OrganisationBase):
    """The lead organisation: the one running the tool. It signs through the
    office that manages each partnership (the record's ``lead_office``)."""

    logo: Name = Field(description="Path to a PNG or JPEG, relative to organisation.yaml")
    legal_status: dict[Language, Name] = Field(default_factory=dict, description="Legal status per language")
    offices: Annotated[dict[Name, Office], Field(min_length=1)] = Field(description="Offices keyed by name")
    default_office: Name = Field(description="The office of a record that names no lead_office")

    @field_validator("default_office")
    @classmethod
    def _known_office(cls, name: str, info: ValidationInfo) -> str:
        offices = info.data.get("offices")
        if offices is not None and name not in offices:
            raise ValueError(f"'{name}' is not one of the offices ({', '.join(offices)})")
        return name

    def office(self, name: Optional[str]) -> Office:
        """The named office, or the default one; KeyError naming the known ones."""
        name = name or self.default_office
        if name not in self.offices:
            raise KeyError(f"'{name}' is not an office of {self.short_name} in organisation.yaml; "
                           f"the offices are {', '.join(self.offices)}")
        return self.offices[name]


@dataclass(frozen=True)
class Config:
    folder: Path
    organisation: Lead
    tiers: TierPolicy
    rates: ExchangeRates
    policy: Policy
    # The folders read with this configuration, as the workspace names them.
    contract_templates: Path
    comms_templates: Path
    records: Path
    donors: Donors = field(default_factory=Donors)

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every configuration file and the lead's logo: outputs made
        under another configuration are made again."""
        digest = hashlib.sha256()
        for path in sorted(self.folder.glob("*.y*ml")) + [self.organisation_logo]:
            digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b""))
        return digest.hexdigest()

    @property
    def organisation_logo(self) -> Path:
        return self.folder / self.organisation.logo

    def tier(self, name: str) -> Tier:
        for tier in self.tiers.tiers:
            if tier.name == name:
                return tier
        known = ", ".join(t.name for t in self.tiers.tiers)
        raise KeyError(f"unknown tier '{name}'; the tiers are {known}")


def resolve_folder(folder: Union[Path, Workspace, None] = None) -> Workspace:
    """A workspace as given; a configuration folder with the template folders
    beside it; or, for None, the workspace found from the current folder
    (see workspace.find_workspace)."""
    if isinstance(folder, Workspace):
        return folder
    if folder is None:
        return find_workspace()
    if not Path(folder).is_dir():
        raise ConfigNotFound(folder)
    return Workspace.beside(Path(folder))


def load_config(folder: Union[Path, Workspace, None] = None, strict: bool = False) -> Config:
    """Load and validate every configuration file; all problems are reported
    at once. Unknown keys are always errors: a typo in tiers.yaml changes the tier.
    ``folder``: a configuration folder, a workspace, or None (see resolve_folder)."""
    workspace = resolve_folder(folder)
    folder = workspace.configs
    problems = []
    loaded = {}
    sources = {}
    for key, filename, model in (
        ("organisation", "organisation.yaml", Lead),
        ("tiers", "tiers.yaml", TierPolicy),
        ("rates", "exchange_rates.yaml", ExchangeRates),
        ("policy", "policy.yaml", Policy),
        ("donors", "donors.yaml", Donors),
    ):
        path = folder / filename
        if key in ("policy", "donors") and not path.exists():
            loaded[key] = model()
            continue
        source = sources[key] = read_source(path)
        result = validate(source, model)
        problems += result.errors
        if key == "organisation" and result.value is not None:
            problems += check_logo(source, ("logo",), result.value.logo)
        loaded[key] = result.value
    rates, tiers = loaded["rates"], loaded["tiers"]
    if rates is not None and tiers is not None and rates.base != tiers.reference_currency:
        problems.append(sources["rates"].problem(("base",), (
            f"the rates are in {rates.base} but tiers.yaml compares amounts in {tiers.reference_currency} "
            "(reference_currency); give the rates in the reference currency")))
    if problems:
        raise InputError("", problems)
    return Config(folder=folder, **loaded, contract_templates=workspace.contract_templates,
                  comms_templates=workspace.comms_templates, records=workspace.records)
