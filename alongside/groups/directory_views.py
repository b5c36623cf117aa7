"""The public meeting directory: find a meeting near you, or online, at a time that suits you.

Anyone may search the published meetings; a signed-in person also finds the unpublished groups
they belong to, starts from their own ZIP code, and reads times in their own time zone.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from alongside.groups import directory
from alongside.groups.forms import DirectorySearchForm, occurrence_key


def _starting_search(user) -> dict[str, str]:
    """What a signed-in person searching without any filter starts from: their own ZIP code."""
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return {"zip": profile.zip_code} if profile is not None and profile.zip_code else {}


@login_not_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or _starting_search(request.user))
    page = None
    zone = timezone.get_current_timezone_name() if request.user.is_authenticated else None
    if form.is_valid():
        query = form.query(viewer_zone=zone)
        zone = query.zone
        page = directory.search(query, user=request.user)
    with timezone.override(zone or timezone.get_current_timezone()):
        return render(
            request,
            "groups/directory.html",
            {
                "form": form,
                "page": page,
                # The site's one pagination bar reads a Django Page: one over the count.
                "pager": Paginator(range(page.total), directory.PAGE_SIZE).page(page.page)
                if page
                else None,
                "results": [
                    {"result": result, "key": occurrence_key(result.scheduled_at)}
                    for result in (page.results if page else [])
                ],
                "place": form.place,
                "viewer_zone": zone,
                "page_query": _without_page(request),
            },
        )


def _without_page(request: HttpRequest) -> str:
    """The query string minus its page, for the links to the next and previous pages."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
