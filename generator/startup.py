"""The start-up action plan: one action per weakness of either side, with
the record's own action, owner, support and due date or the defaults of
configs/policy.yaml. The agreement's annex, the due-diligence checklist and
the calendar all read this one list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .config import Policy
from .models import Findings, Record, add_months

OTHER = {"lead": "partner", "partner": "lead"}


@dataclass(frozen=True)
class Action:
    number: int
    found_on: str  # the side the weakness was found on: lead | partner
    index: int  # its place in that side's weaknesses (for messages)
    weakness: str
    action: Optional[str]  # None: the phrase table's generic action
    owner: str  # lead | partner
    support: Optional[str]  # lead | partner, or None for nobody
    due: date


def startup_actions(record: Record, policy: Policy) -> list[Action]:
    assessment = record.assessment
    sides = [("lead", assessment.lead), ("partner", assessment.partner)] if assessment else []
    # Within the project even when it is shorter than the configured delay.
    default_due = min(add_months(record.start, policy.startup_due_months), record.end)
    actions = []
    for side, found in sides:
        for index, item in enumerate(found.weaknesses):
            owner = item.owner or side
            support = item.support or (OTHER[owner] if policy.startup_support == "other" else "none")
            actions.append(Action(len(actions) + 1, side, index, item.weakness, item.action, owner,
                                  None if support == "none" else support, item.due or default_due))
    return actions


def weakness_texts(found: Findings) -> list[str]:
    return [item.weakness for item in found.weaknesses]
