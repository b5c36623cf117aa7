"""Thin views of groups and meetings: access, action, render.

Meeting times are shown in the viewer's own time zone (the request's active zone) and the
group's zone is named next to them when the two differ.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.core.forms import add_validation_errors
from alongside.core.ratelimit import rate_limited
from alongside.groups import access, actions, fetch, meetingguide, recurrence
from alongside.groups.forms import (
    AnnouncementForm,
    CheckInForm,
    ExceptionForm,
    GroupForm,
    MeetingForm,
    MeetingImportForm,
    meeting_type_names,
    occurrence_key,
    parse_occurrence_key,
)
from alongside.groups.models import Group, Meeting, MembershipStatus
from alongside.programs.access import can_manage, get_program_for

UPCOMING_SPAN = timedelta(days=28)
UPCOMING_LIMIT = 8


def _sign_in_first(request: HttpRequest) -> HttpResponse:
    """A public page that is not public: visitors sign in first (whether or not it exists), so
    a member following a link gets there; the signed-in get the usual 404."""
    if request.user.is_authenticated:
        raise Http404
    return redirect_to_login(request.get_full_path())


def _upcoming(meeting: Meeting, *, limit: int = UPCOMING_LIMIT) -> list:
    now = timezone.now()
    return meeting.occurrences(now - meeting.duration, now + UPCOMING_SPAN)[:limit]


@require_safe
def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(access.groups_for(request.user))
    managed = list(access.programs_run_by(request.user))
    return render(
        request, "groups/group_list.html", {"groups": groups, "managed_programs": managed}
    )


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = access.get_program_for_new_group(request.user, program_slug)
    form = GroupForm(
        request.POST or None,
        instance=Group(program=program),
        facilitator_choices=access.facilitator_choices(program),
        may_choose_facilitators=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = actions.create_group(
                request.user,
                program=program,
                fields=form.group_fields(),
                areas_of_concern=form.cleaned_data["areas_of_concern"],
                facilitators=form.cleaned_data["facilitators"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Group created."))
            return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "program": program})


@login_not_required
@require_safe
def group_detail(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    try:
        group = access.get_group_for(request.user, program_slug, group_slug)
    except Http404:
        return _sign_in_first(request)
    may_manage = access.may_manage(request.user, group)
    membership = access.membership_of(request.user, group)
    is_member = membership is not None and membership.status == MembershipStatus.APPROVED
    meetings = list(group.meetings.prefetch_related("exceptions").select_related("program"))
    upcoming = sorted(
        (
            (occurrence, meeting)
            for meeting in meetings
            for occurrence in _upcoming(meeting, limit=UPCOMING_LIMIT)
        ),
        key=lambda pair: pair[0].start,
    )[:UPCOMING_LIMIT]
    show_space = is_member or may_manage
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "areas": list(group.areas_of_concern.all()),
            "facilitators": list(group.facilitators.select_related("profile")),
            "membership": membership,
            "is_member": is_member,
            "may_join": access.allows(request.user, group, "join"),
            "may_manage": may_manage,
            "meetings": meetings,
            "upcoming": [
                {"occurrence": o, "meeting": m, "key": occurrence_key(o.scheduled)}
                for o, m in upcoming
            ],
            "announcements": list(group.announcements.select_related("author__profile")[:10])
            if show_space
            else [],
            "show_space": show_space,
            "announcement_form": AnnouncementForm() if may_manage else None,
            "viewer_zone": timezone.get_current_timezone_name(),
        },
    )


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="manage")
    may_choose_facilitators = can_manage(request.user, group.program)
    form = GroupForm(
        request.POST or None,
        instance=group,
        facilitator_choices=access.facilitator_choices(group.program),
        may_choose_facilitators=may_choose_facilitators,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_group(
                request.user,
                group=group,
                fields=form.group_fields(),
                areas_of_concern=form.cleaned_data["areas_of_concern"],
                facilitators=form.cleaned_data.get("facilitators"),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Group saved."))
            return redirect(group)
    return render(
        request, "groups/group_form.html", {"form": form, "program": group.program, "group": group}
    )


@require_POST
@rate_limited("groups.join", "20/h")
def group_join(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="join")
    try:
        membership = actions.join_group(request.user, group=group)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if membership.status == MembershipStatus.APPROVED:
            messages.success(request, _("You joined the group."))
        else:
            messages.success(request, _("You asked to join. A facilitator will answer soon."))
    # Back to the meeting page the person joined from, when they did (only this group's pages).
    back = request.POST.get("next", "")
    if back.startswith(group.get_absolute_url()) and url_has_allowed_host_and_scheme(
        back, allowed_hosts=None
    ):
        return redirect(back)
    return redirect(group)


@require_POST
def group_leave(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="join")
    actions.leave_group(request.user, group=group)
    messages.success(request, _("You left the group."))
    return redirect(group)


@require_safe
def group_members(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="manage")
    return render(
        request,
        "groups/group_members.html",
        {
            "group": group,
            "requests": list(
                group.memberships.requested()
                .select_related("user__profile")
                .order_by("requested_at")
            ),
            "members": list(access.approved_members_of(group)),
        },
    )


@require_POST
def membership_decide(
    request: HttpRequest, program_slug: str, group_slug: str, membership_id: int
) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="manage")
    membership = access.get_membership_request_for(request.user, group, membership_id)
    approve = request.POST.get("decision") == "approve"
    try:
        actions.decide_membership(request.user, membership=membership, approve=approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request approved.") if approve else _("Request declined."))
    return redirect("groups:members", group.program.slug, group.slug)


@require_POST
def announcement_add(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="manage")
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        actions.post_announcement(request.user, group=group, body=form.cleaned_data["body"])
        messages.success(request, _("Announcement posted."))
    else:
        messages.error(request, _("Write the announcement first."))
    return redirect(group)


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group = access.get_group_for(request.user, program_slug, group_slug, need="manage")
    return _meeting_form(request, group, Meeting(group=group, program=group.program))


@require_http_methods(["GET", "POST"])
def meeting_edit(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str
) -> HttpResponse:
    meeting = access.get_meeting_for(
        request.user, program_slug, group_slug, meeting_slug, need="manage"
    )
    return _meeting_form(request, meeting.group, meeting)


def _meeting_form(request: HttpRequest, group: Group, meeting: Meeting) -> HttpResponse:
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_meeting(
                request.user,
                group=group,
                fields=form.meeting_fields(),
                meeting=meeting if meeting.pk else None,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(saved)
    return render(
        request, "groups/meeting_form.html", {"form": form, "group": group, "meeting": meeting}
    )


@login_not_required
@require_safe
def meeting_detail(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str
) -> HttpResponse:
    try:
        meeting = access.get_meeting_for(request.user, program_slug, group_slug, meeting_slug)
    except Http404:
        return _sign_in_first(request)
    group = meeting.group
    may_take_part = access.allows(request.user, group, "take_part")
    may_manage = access.may_manage(request.user, group)
    membership = None if may_take_part else access.membership_of(request.user, group)
    upcoming = _upcoming(meeting)
    going = set()
    if may_take_part:
        going = set(
            meeting.rsvps.filter(
                member_id=request.user.pk, occurrence_start__in=[o.scheduled for o in upcoming]
            ).values_list("occurrence_start", flat=True)
        )
    return render(
        request,
        "groups/meeting_detail.html",
        {
            "meeting": meeting,
            "group": group,
            "upcoming": [
                {"occurrence": o, "key": occurrence_key(o.scheduled), "going": o.scheduled in going}
                for o in upcoming
            ],
            "may_take_part": may_take_part,
            "may_join": not may_take_part and access.allows(request.user, group, "join"),
            "membership": membership,
            "type_names": meeting_type_names(meeting.types),
            "may_manage": may_manage,
            "exceptions": list(meeting.exceptions.all()) if may_manage else [],
            "exception_form": ExceptionForm(zone=group.time_zone) if may_manage else None,
            "viewer_zone": timezone.get_current_timezone_name(),
        },
    )


@require_POST
def exception_add(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str
) -> HttpResponse:
    meeting = access.get_meeting_for(
        request.user, program_slug, group_slug, meeting_slug, need="manage"
    )
    form = ExceptionForm(request.POST, zone=meeting.group.time_zone)
    if form.is_valid():
        try:
            actions.add_exception(
                request.user,
                meeting=meeting,
                day=form.cleaned_data["day"],
                moved_to=form.moved_to(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Schedule changed."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(meeting)


@require_POST
def exception_delete(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str, exception_id: int
) -> HttpResponse:
    meeting = access.get_meeting_for(
        request.user, program_slug, group_slug, meeting_slug, need="manage"
    )
    exception = access.get_exception_for(request.user, meeting, exception_id)
    actions.remove_exception(request.user, exception=exception)
    messages.success(request, _("The meeting is back on its usual schedule."))
    return redirect(meeting)


@require_POST
def rsvp(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str, occurrence: str
) -> HttpResponse:
    meeting = access.get_meeting_for(
        request.user, program_slug, group_slug, meeting_slug, need="take_part"
    )
    scheduled = parse_occurrence_key(occurrence)
    if scheduled is None:
        raise Http404
    attending = request.POST.get("attending") != "no"
    try:
        actions.set_rsvp(
            request.user, meeting=meeting, scheduled_utc=scheduled, attending=attending
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("See you there.") if attending else _("We noted you cannot come.")
        )
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def attendance(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str, occurrence: str
) -> HttpResponse:
    meeting = access.get_meeting_for(
        request.user, program_slug, group_slug, meeting_slug, need="manage"
    )
    scheduled = parse_occurrence_key(occurrence)
    found = None if scheduled is None else recurrence.occurrence_at(meeting.schedule(), scheduled)
    if found is None:
        raise Http404
    members = list(access.approved_members_of(meeting.group))
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("present") if pk.isdigit()}
        try:
            actions.take_attendance(
                request.user,
                meeting=meeting,
                scheduled_utc=found.scheduled,
                present=[m.user for m in members if m.user_id in chosen],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved."))
            return redirect(request.path)
    present = dict(
        meeting.attendance.filter(occurrence_start=found.scheduled).values_list(
            "member_id", "method"
        )
    )
    code = None
    if request.GET.get("code") == "show":
        code = actions.open_check_in(request.user, meeting=meeting, scheduled_utc=found.scheduled)
    return render(
        request,
        "groups/attendance.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "occurrence": found,
            "members": [
                {"membership": m, "present": m.user_id in present, "method": present.get(m.user_id)}
                for m in members
            ],
            "code": code,
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("groups.check_in", "10/15m")
def check_in(
    request: HttpRequest, program_slug: str, group_slug: str, meeting_slug: str
) -> HttpResponse:
    meeting = access.get_meeting_for(
        request.user, program_slug, group_slug, meeting_slug, need="take_part"
    )
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_in(request.user, meeting=meeting, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("You are checked in. Welcome."))
            return redirect(meeting)
    return render(
        request,
        "groups/check_in.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "form": form,
            "occurrence": actions.current_occurrence(meeting, timezone.now()),
        },
    )


@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """The member's personal calendar address: make it, reset it or remove it. A new address is
    shown on the answer to the POST only, never again (only its hash is kept)."""
    address = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("create", "reset"):
            token = actions.create_calendar_feed(request.user)
            address = request.build_absolute_uri(reverse("feeds:personal_calendar", args=[token]))
        elif action == "delete":
            actions.delete_calendar_feed(request.user)
            messages.success(request, _("Your calendar address was removed."))
            return redirect("groups:calendar")
        else:
            return HttpResponseBadRequest()
    return render(
        request,
        "groups/calendar_settings.html",
        {
            "feed": access.calendar_feed_of(request.user),
            "address": address,
            "webcal_address": address and "webcal://" + address.split("://", 1)[1],
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("groups.import", "10/h")
def meeting_import(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Import a program's meetings from a Meeting Guide feed file or https address (coordinators),
    and show what the import did on the same page."""
    program = get_program_for(request.user, program_slug, need="manage")
    form = (
        MeetingImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else MeetingImportForm()
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["feed_file"]:
                data = form.feed_bytes()
            else:
                data = fetch.fetch_feed(form.cleaned_data["url"], public_only=True)
            report = actions.import_meetings(
                request.user, program=program, data=data, publish=form.cleaned_data["publish"]
            )
        except fetch.FetchError as error:
            form.add_error("url", str(error))
        except meetingguide.FeedError as error:
            form.add_error(form.source_field, error.text(_))
    return render(
        request,
        "groups/meeting_import.html",
        {
            "program": program,
            "form": form,
            "report": report,
            "rejected_count": len({problem.index for problem in report.rejected}) if report else 0,
        },
    )
