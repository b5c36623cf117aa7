"""Template helpers for the signed-in devices page."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

# Order matters: many browsers also claim to be the ones they are built on (Edge says "Chrome"
# and "Safari", Chrome says "Safari"), so the more specific names come first.
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome", "Chrome"),
    ("Safari", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


def _first_match(user_agent: str, names: list[tuple[str, str]]) -> str | None:
    return next((name for marker, name in names if marker in user_agent), None)


@register.filter
def device_name(user_agent: str | None) -> str:
    """`{{ session.user_agent|device_name }}`: "Firefox on Windows", readable by anyone."""
    user_agent = user_agent or ""
    browser = _first_match(user_agent, _BROWSERS)
    system = _first_match(user_agent, _SYSTEMS)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")
