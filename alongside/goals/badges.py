"""Recovery badges in words, for pages, notifications and the API alike."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.goals.recovery import Badge


def badge_label(badge: Badge) -> str:
    """ "7 days", "1 year": the badge's name, in the active language."""
    if badge.in_years:
        return ngettext("%(count)d year", "%(count)d years", badge.count) % {"count": badge.count}
    return ngettext("%(count)d day", "%(count)d days", badge.count) % {"count": badge.count}


def badge_title(badge: Badge) -> str:
    """The line celebrating one badge, in the active language."""
    if badge.count == 1 and not badge.in_years:
        return _("Your first day in recovery. Well done.")
    return _("%(badge)s in recovery. Well done.") % {"badge": badge_label(badge)}
