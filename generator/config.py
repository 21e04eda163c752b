"""The configuration folder: the lead organisation, the tier rules, the dated
exchange rates and the contract policy figures."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional, Union

from pydantic import Field, field_validator

from .errors import ConfigNotFound, InputError
from .models import Currency, Kind, Language, Model, Name, Organisation, PartnerType
from .records import check_logo, validate
from .workspace import CONFIGS_ENV_VAR as ENV_VAR, DEFAULT_CONFIGS, Workspace, find_workspace  # noqa: F401
from .yaml_source import read_source


class Conditions(Model):
    """What must hold for a tier to apply; every bound is inclusive and an absent one holds."""

    financial: Optional[bool] = None
    min_amount: Optional[Decimal] = Field(default=None, description="In the reference currency")
    max_amount: Optional[Decimal] = Field(default=None, description="In the reference currency")
    min_months: Optional[int] = None
    max_months: Optional[int] = None
    max_countries: Optional[int] = None
    sub_partners: Optional[bool] = Field(default=None, description="true: must have some; false: must have none")
    partner_types: Optional[list[PartnerType]] = None
    kinds: Optional[list[Kind]] = None


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

    notice_days: int = 30
    cure_days: int = 14
    records_years: int = 5
    final_report_days: int = 30
    refund_days: int = 90
    audit_threshold: Decimal = Decimal("300000")
    procurement_threshold: Decimal = Decimal("5000")
    reference_prefix: Optional[Name] = None
    contract_languages: list[str] = Field(default_factory=lambda: ["en", "fr"])
    comms_languages: list[str] = Field(default_factory=lambda: ["en", "fr", "es"])


class Lead(Organisation):
    """The lead organisation: the one running the tool."""

    logo: Name = Field(description="Path to a PNG or JPEG, relative to organisation.yaml")
    legal_status: dict[Language, Name] = Field(default_factory=dict, description="Legal status per language")


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
    """Load and validate every configuration file; all problems are reported at once.
    ``folder``: a configuration folder, a workspace, or None (see resolve_folder)."""
    workspace = resolve_folder(folder)
    folder = workspace.configs
    problems = []
    loaded = {}
    for key, filename, model in (
        ("organisation", "organisation.yaml", Lead),
        ("tiers", "tiers.yaml", TierPolicy),
        ("rates", "exchange_rates.yaml", ExchangeRates),
        ("policy", "policy.yaml", Policy),
    ):
        path = folder / filename
        if key == "policy" and not path.exists():
            loaded[key] = Policy()
            continue
        source = read_source(path)
        result = validate(source, model)
        problems += result.errors + (result.warnings if strict else [])
        if key == "organisation" and result.value is not None:
            problems += check_logo(source, ("logo",), result.value.logo)
        loaded[key] = result.value
    if problems:
        raise InputError("", problems)
    return Config(folder=folder, **loaded, contract_templates=workspace.contract_templates,
                  comms_templates=workspace.comms_templates, records=workspace.records)
