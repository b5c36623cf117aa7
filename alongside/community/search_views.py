"""The community search page: a query, and the posts the member may see that match it."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from alongside.community import access, search
from alongside.core.ratelimit import rate_limited

# Generous for a person, but it slows anyone probing the index query by query.
SEARCH_RATE = "120/10m"


@require_safe
@rate_limited("community.search", SEARCH_RATE, methods=("GET", "HEAD"))
def search_page(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Results for ?q=, best first; an empty form without it, a message for a query that
    cannot be searched."""
    viewer = access.viewer_in(request.user, program_slug)
    query = request.GET.get("q", "")
    page = error = None
    if "q" in request.GET:
        try:
            page = search.search(viewer, query, page=request.GET.get("page"))
        except search.QueryError as refusal:
            error = str(refusal)
    return render(
        request,
        "community/search.html",
        {
            "program": viewer.program,
            "query": query,
            "page": page,
            "error": error,
            "query_string": urlencode({"q": query}),
            "query_length": search.QUERY_LENGTH,
            "is_moderator": viewer.is_moderator,
        },
        status=400 if error else 200,
    )
