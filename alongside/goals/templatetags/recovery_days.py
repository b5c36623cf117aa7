"""Days in recovery next to a person's name, where they chose to show them.

{% load recovery_days %}
{% shown_recovery_days memberships via="user" as shown %}   {# one query for the list #}
{% for membership in memberships %}
  {{ membership.user.display_name }}{% recovery_days shown membership.user_id %}
{% endfor %}
"""

from collections.abc import Iterable

from django import template

from alongside.goals.badges import badge_label
from alongside.goals.profile import ShownDays, public_days_for

register = template.Library()


@register.simple_tag
def shown_recovery_days(people: Iterable, via: str = "") -> dict[int, ShownDays]:
    """The shown counters of `people` (users, or objects whose `via` attribute is a user: the
    `<via>_id` column is read, so nothing more is loaded), keyed by user id, in one query."""
    if via:
        return public_days_for(getattr(thing, f"{via}_id") for thing in people)
    return public_days_for(people)


@register.inclusion_tag("goals/_recovery_days.html")
def recovery_days(shown: dict[int, ShownDays] | None, user_id: int) -> dict:
    """ "42 days in recovery, 30 days badge" for the person `user_id`, or nothing when hidden."""
    found = (shown or {}).get(user_id)
    return {
        "shown": found,
        "badge": badge_label(found.badge) if found and found.badge else "",
    }
