"""Rows of the access log in words a member understands, for the page and the API alike."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.core.models import AccessLogEntry
from alongside.privacy.models import EMERGENCY_PURPOSE
from alongside.programs.models import Role

PURPOSES = {
    EMERGENCY_PURPOSE: gettext_lazy("Emergency access"),
    "crisis_escalation": gettext_lazy("Crisis escalation"),
    "concern_review": gettext_lazy("Review of a concern"),
    "shared_safety_plan": gettext_lazy("Safety plan you shared"),
    "shared_goals": gettext_lazy("Goals you shared"),
    "shared_checkins": gettext_lazy("Check-ins you shared"),
    "shared_questionnaires": gettext_lazy("Questionnaire answers you shared"),
}
ROLES = {**dict(Role.choices), "admin": gettext_lazy("Site admin")}


@dataclass
class AccessRow:
    """One line of "who has opened your records", in words a member understands."""

    entry: AccessLogEntry
    who: str
    role: str
    what: str
    purpose: str


def describe_record(object_type: str) -> str:
    """ "checkins.CheckIn" -> "check-in"; a type no longer installed -> "a record"."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return _("a record")


def describe_access(entry: AccessLogEntry) -> AccessRow:
    return AccessRow(
        entry=entry,
        who=entry.actor.display_name if entry.actor else _("Someone no longer on Alongside"),
        role=str(ROLES.get(entry.actor_role, entry.actor_role)),
        what=describe_record(entry.object_type),
        purpose=str(PURPOSES.get(entry.purpose, entry.purpose.replace("_", " "))),
    )
