"""What a donor requires on communications (configs/donors.yaml): its funding
statement in each language and its emblem, shown together."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Optional

from pydantic import StringConstraints

from ..errors import InputError
from ..images import Logo, read_logo
from ..grammar import name_forms
from ..models import Language, Model, Name, NameGrammar
from ..records import check_logo, validate
from ..yaml_source import read_source

FILE = "donors.yaml"


class Visibility(Model):
    statement: dict[Language, Name]
    emblem: Name  # relative to the configuration folder


class Donor(Model):
    name: Name
    grammar: dict[Language, NameGrammar] = {}  # checked by config.py
    visibility: Optional[Visibility] = None
    rules: list[dict] = []  # the contract rules, read by config.py


class Donors(Model):
    donors: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")], Donor]


@dataclass(frozen=True)
class Credit:
    """A donor whose visibility rules the communications must follow."""

    name: str
    statement: dict[str, str]
    emblem: Logo
    grammar: dict = field(default_factory=dict)
    field: str = "grammar"

    def context(self, language: str) -> dict:
        return {**name_forms(self.grammar, self.name, None, language, self.field)["legal"], "name": self.name,
                "statement": self.statement.get(language) or self.statement[language.split("-")[0]]}


def emblem_paths(config_folder: Path, donor_id: str) -> list[str]:
    """The donor's emblem file, as donors.yaml names it (none when it sets no visibility rules)."""
    source = read_source(config_folder / FILE)
    result = validate(source, Donors)
    donor = result.value.donors.get(donor_id) if result.value else None
    return [donor.visibility.emblem] if donor and donor.visibility else []


def donor_credit(donor_id: Optional[str], record_label: str, config_folder: Path,
                 languages: list[str]) -> Optional[Credit]:
    """The credit the record's donor requires, None when it requires none.
    A donor missing from donors.yaml, a statement missing in a language or an
    unreadable emblem is bad input, named with its place."""
    if donor_id is None:
        return None
    path = config_folder / FILE
    if not path.is_file():
        raise InputError(f"{record_label}: donor: '{donor_id}' needs {path}, which does not exist")
    source = read_source(path)
    result = validate(source, Donors)
    if result.errors:
        raise InputError("", result.errors)
    donors = result.value.donors
    if donor_id not in donors:
        raise InputError(f"{record_label}: donor: '{donor_id}' is not in {path}; "
                         f"the donors are {', '.join(sorted(donors)) or 'none'}")
    visibility = donors[donor_id].visibility
    if visibility is None:
        return None
    for language in languages:
        if language not in visibility.statement and language.split("-")[0] not in visibility.statement:
            raise InputError("", [source.problem(("donors", donor_id, "visibility", "statement"),
                                                 f"no funding statement in '{language}', a comms language of "
                                                 f"{record_label}; add {language}: ...")])
    bad = check_logo(source, ("donors", donor_id, "visibility", "emblem"), visibility.emblem)
    if bad:
        raise InputError("", bad)
    return Credit(donors[donor_id].name, dict(visibility.statement), read_logo(path.parent / visibility.emblem),
                  dict(donors[donor_id].grammar), f"{path}: donors.{donor_id}.grammar")
