"""Public feeds: a program's Meeting Guide JSON, a group's iCalendar and a member's personal
iCalendar (behind the secret in its address), for apps and calendars."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from alongside.core.errors import too_many_requests
from alongside.core.ratelimit import consume
from alongside.groups import access, actions, feeds

# Feed readers poll; an hour keeps them off the database without hiding changes for long.
FEED_MAX_AGE = 3600
# Per address, not per client: Google and Outlook fetch everyone's calendars from a few hosts.
PERSONAL_CALENDAR_RATE = "60/h"


@login_not_required
@require_safe
def meeting_guide_feed(request: HttpRequest, program_slug: str) -> JsonResponse:
    """The program's published weekly meetings in the Meeting Guide format."""
    program = access.get_program_for_feed(program_slug)
    feed = feeds.program_feed(
        program, url_of=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url())
    )
    response = JsonResponse(feed, safe=False, json_dumps_params={"ensure_ascii": False})
    _cache_for_readers(request, response)
    return response


@login_not_required
@require_safe
def group_calendar(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    """The group's meetings as an iCalendar feed; public when the group is published."""
    group = access.get_group_for(request.user, program_slug, group_slug)
    calendar = feeds.group_calendar(
        group, url_of=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url())
    )
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{group.slug}.ics"'
    if group.is_published:
        _cache_for_readers(request, response)
    else:
        response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_safe
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A member's RSVP'd meetings as an iCalendar feed: the secret in the address is the key."""
    feed = access.get_calendar_feed_by_token(token)
    retry_after = consume("feeds.personal_calendar", feed.token_hash, PERSONAL_CALENDAR_RATE)
    if retry_after is not None:
        return too_many_requests(request, retry_after=retry_after)
    calendar = feeds.personal_calendar(
        feed.member,
        url_of=lambda meeting: request.build_absolute_uri(meeting.get_absolute_url()),
    )
    actions.note_calendar_read(feed)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _cache_for_readers(request: HttpRequest, response: HttpResponse) -> None:
    """Let feed readers and proxies cache a public feed; a signed-in answer is never stored
    (the site's rule for every signed-in page, which NoStoreMiddleware then applies)."""
    if not request.user.is_authenticated:
        response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
