"""What a member who may be in crisis is offered: the panel on their next page, the same in API
answers.

Both are built from the tables in `resources` and the member's own safety plan, and neither
waits on, nor can be stopped by, the alerts to the people on call: those travel through the
outbox after the writing is saved.
"""

from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from alongside.programs.models import Program
from alongside.safety import access
from alongside.safety.models import SAFETY_PLAN_SECTIONS, FlagLevel, SafetyPlan
from alongside.safety.resources import (
    DEFAULT_COUNTRY,
    CrisisResources,
    crisis_resources_for,
    resources_for_country,
)

SESSION_KEY = "safety.crisis_panel"
# The panel shows the start of the plan: in a crisis it is followed from the top, step by step.
PANEL_PLAN_SECTIONS = SAFETY_PLAN_SECTIONS[:3]


def default_country() -> str:
    """The site's own country (CRISIS_DEFAULT_COUNTRY), whose lines pages show that know nothing
    of their reader: Help now before signing in, the offline page, the 500 page."""
    return getattr(settings, "CRISIS_DEFAULT_COUNTRY", DEFAULT_COUNTRY)


def default_crisis_resources() -> CrisisResources:
    """The lines of the site's own country (`default_country`)."""
    return resources_for_country(default_country())


@dataclass(frozen=True)
class CrisisPanel:
    """Everything the crisis panel shows."""

    level: str
    program: Program | None
    resources: CrisisResources
    plan_sections: list[tuple[str, str]]
    has_plan: bool

    @property
    def is_urgent(self) -> bool:
        return self.level == FlagLevel.URGENT


def _level_of(assessment) -> str:
    level = getattr(assessment, "level", assessment)
    return str(getattr(level, "value", level))


def offer_crisis_support(request: HttpRequest, *, program: Program, assessment) -> None:
    """Show the crisis panel on the next page this person opens, once; nothing for an assessment
    that is neither concern nor urgent."""
    level = _level_of(assessment)
    if level not in FlagLevel.values:
        return
    request.session[SESSION_KEY] = {"program": program.pk, "level": level}


def take_crisis_panel(request: HttpRequest) -> CrisisPanel | None:
    """The panel offered to this person, taken out of the session so it shows only once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or SESSION_KEY not in request.session:
        return None
    offered = request.session.pop(SESSION_KEY)
    program = next(
        (p for p in access.help_programs_of(user) if p.pk == offered.get("program")), None
    )
    return crisis_panel_for(user, program, level=offered.get("level", FlagLevel.CONCERN))


def crisis_panel_for(member, program: Program | None, *, level: str) -> CrisisPanel:
    """The panel for `member` of `program` at screening `level`."""
    plan = access.own_safety_plan(member)
    return CrisisPanel(
        level=level,
        program=program,
        resources=crisis_resources_for(member, program),
        plan_sections=_first_sections(plan),
        has_plan=plan is not None and not plan.is_empty,
    )


def _first_sections(plan: SafetyPlan | None) -> list[tuple[str, str]]:
    if plan is None:
        return []
    sections = []
    for name in PANEL_PLAN_SECTIONS:
        text = getattr(plan, name).strip()
        if text:
            sections.append((section_heading(name), text))
    return sections


def _section_field(name: str) -> models.Field:
    return cast(models.Field, SafetyPlan._meta.get_field(name))


def section_heading(name: str) -> str:
    """The heading of one section of the safety plan, in the active language."""
    return str(_section_field(name).verbose_name)


def section_limit(name: str) -> int:
    """How many characters one section of the safety plan may hold."""
    return cast(int, _section_field(name).max_length)


def crisis_support_payload(member, program: Program | None, *, assessment) -> dict[str, Any]:
    """What an API answer to flagged writing carries: the level and the crisis resources
    (program line first), as JSON-able data; it reads no alert state, so it cannot fail with
    one."""
    return {
        "level": _level_of(assessment),
        "resources": crisis_resources_for(member, program).as_dict(),
    }
