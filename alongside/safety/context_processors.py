"""The crisis panel on the page after flagged writing (see alongside.safety.support)."""

from django.http import HttpRequest

from alongside.safety.support import take_crisis_panel


def crisis_panel(request: HttpRequest) -> dict:
    """`crisis_panel`, a callable the layout resolves once per full page: the panel is taken from
    the session only when a page that shows it renders, never by a fragment such as the badge."""
    return {"crisis_panel": lambda: take_crisis_panel(request)}
