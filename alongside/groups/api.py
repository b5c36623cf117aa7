"""The groups API: groups you may see, joining, their meetings and occurrences, RSVPs and
attendance. alongside/api/urls.py mounts it under /api/v1/.

Occurrences are named by their scheduled start in UTC, compact (20260107T000000Z): a moved
meeting keeps its name, so RSVPs and attendance follow it.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.core.api import refusal
from alongside.groups import access, actions, recurrence
from alongside.groups.forms import occurrence_key, parse_occurrence_key
from alongside.groups.models import Accessibility, Format, Meeting, MembershipStatus
from alongside.safety.api import PersonSerializer

TAGS = ["groups"]
DEFAULT_SPAN = timedelta(days=28)
LONGEST_SPAN = timedelta(days=366)


class GroupSerializer(serializers.Serializer):
    program = serializers.SlugField(source="program.slug")
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    format = serializers.ChoiceField(choices=Format.choices)
    languages = serializers.ListField(child=serializers.CharField())
    is_open = serializers.BooleanField(help_text="False: each request to join is approved.")
    accessibility = serializers.ListField(
        child=serializers.ChoiceField(choices=Accessibility.choices)
    )
    accessibility_notes = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    is_free = serializers.BooleanField()
    fee = serializers.CharField()
    time_zone = serializers.CharField(help_text="The IANA zone the group's meetings keep.")
    is_published = serializers.BooleanField()


class MeetingSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    rule = serializers.CharField(help_text="RFC 5545 RRULE value; empty for a one-off meeting.")
    starts_on = serializers.DateField(help_text="First (or only) date, in the group's zone.")
    start_time = serializers.TimeField(help_text="Wall-clock time in the group's zone.")
    duration_minutes = serializers.SerializerMethodField()
    location_name = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    room_notes = serializers.CharField()
    conference_url = serializers.CharField()
    conference_phone = serializers.CharField()
    types = serializers.ListField(child=serializers.CharField())
    notes = serializers.CharField()

    def get_duration_minutes(self, meeting: Meeting) -> int:
        return int(meeting.duration.total_seconds() // 60)


class GroupDetailSerializer(GroupSerializer):
    membership = serializers.ChoiceField(
        choices=MembershipStatus.choices,
        allow_null=True,
        help_text="Your place in the group, or null when you have none.",
    )
    meetings = MeetingSerializer(many=True)


class GroupMembershipSerializer(serializers.Serializer):
    membership = serializers.ChoiceField(choices=MembershipStatus.choices)


class OccurrenceSerializer(serializers.Serializer):
    occurrence = serializers.CharField(help_text="The scheduled start in UTC, compact.")
    scheduled = serializers.DateTimeField(source="item.scheduled_utc")
    start = serializers.DateTimeField(source="item.start_utc", help_text="Where it happens now.")
    end = serializers.DateTimeField(source="item.end")
    is_moved = serializers.BooleanField(source="item.is_moved")
    attending = serializers.BooleanField(help_text="True when you RSVP'd.")


class MeetingRSVPSerializer(serializers.Serializer):
    occurrence = serializers.CharField()
    attending = serializers.BooleanField()


class MeetingAttendanceSerializer(serializers.Serializer):
    occurrence = serializers.CharField()
    present = PersonSerializer(many=True)


class AttendanceChangeSerializer(serializers.Serializer):
    present = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the members who came; exactly these."
    )


def _group(request: Request, program: str, group: str, need: access.GroupNeed = "view"):
    return access.get_group_for(request.user, program, group, need=need)


def _meeting(request: Request, program: str, group: str, meeting: str, need="view") -> Meeting:
    return access.get_meeting_for(request.user, program, group, meeting, need=need)


def _occurrence(meeting: Meeting, key: str) -> recurrence.Occurrence:
    scheduled = parse_occurrence_key(key)
    found = None if scheduled is None else recurrence.occurrence_at(meeting.schedule(), scheduled)
    if found is None:
        raise Http404
    return found


class GroupListView(generics.ListAPIView):
    serializer_class = GroupSerializer

    def get_queryset(self):
        return access.groups_for(self.request.user)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """Groups of your programs you may see: published ones, yours, the ones you run."""
        return super().get(request, *args, **kwargs)


class GroupDetailView(APIView):
    @extend_schema(tags=TAGS, responses=GroupDetailSerializer)
    def get(self, request: Request, program: str, group: str) -> Response:
        """One group with its meetings and your place in it."""
        found = _group(request, program, group)
        membership = access.membership_of(request.user, found)
        return Response(
            {
                **GroupSerializer(found).data,
                "membership": membership.status if membership else None,
                "meetings": MeetingSerializer(found.meetings.all(), many=True).data,
            }
        )


class JoinView(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: GroupMembershipSerializer})
    def post(self, request: Request, program: str, group: str) -> Response:
        """Join an open group, or ask to join a closed one; 400 when it is full."""
        found = _group(request, program, group, need="join")
        try:
            membership = actions.join_group(request.user, group=found)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response({"membership": membership.status})


class OccurrenceListView(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Default: now."),
            OpenApiParameter(
                "to", OpenApiTypes.DATETIME, description="Default: four weeks on; a year at most."
            ),
        ],
        responses=OccurrenceSerializer(many=True),
    )
    def get(self, request: Request, program: str, group: str, meeting: str) -> Response:
        """The meetings of a schedule between two instants, moved ones where they now happen,
        cancelled ones left out."""
        found = _meeting(request, program, group, meeting)
        start = _instant(request, "from") or timezone.now()
        end = _instant(request, "to") or start + DEFAULT_SPAN
        if not start < end <= start + LONGEST_SPAN:
            raise ValidationError({"to": ["Give an end after the start, within a year of it."]})
        items = found.occurrences(start, end)
        going: set = set()
        if access.allows(request.user, found.group, "take_part"):
            going = set(
                found.rsvps.filter(
                    member_id=request.user.pk,
                    occurrence_start__in=[o.scheduled for o in items],
                ).values_list("occurrence_start", flat=True)
            )
        rows = [
            {
                "occurrence": occurrence_key(o.scheduled),
                "item": o,
                "attending": o.scheduled in going,
            }
            for o in items
        ]
        return Response(OccurrenceSerializer(rows, many=True).data)


def _instant(request: Request, name: str):
    text = request.query_params.get(name)
    if not text:
        return None
    field = serializers.DateTimeField()
    try:
        return field.to_internal_value(text)
    except ValidationError:
        raise ValidationError(
            {name: ["Give a date and time, like 2026-01-07T00:00:00Z."]}
        ) from None


class RSVPView(APIView):
    @extend_schema(tags=TAGS, request=None, responses={200: MeetingRSVPSerializer})
    def put(self, request: Request, program: str, group: str, meeting: str, occurrence: str):
        """Say you will come to one upcoming meeting (members of the group)."""
        return self._answer(request, program, group, meeting, occurrence, attending=True)

    @extend_schema(tags=TAGS, request=None, responses={200: MeetingRSVPSerializer})
    def delete(self, request: Request, program: str, group: str, meeting: str, occurrence: str):
        """Say you will not come after all."""
        return self._answer(request, program, group, meeting, occurrence, attending=False)

    def _answer(self, request, program, group, meeting, occurrence, *, attending: bool):
        found = _meeting(request, program, group, meeting, need="take_part")
        scheduled = _occurrence(found, occurrence).scheduled_utc
        try:
            actions.set_rsvp(
                request.user, meeting=found, scheduled_utc=scheduled, attending=attending
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response({"occurrence": occurrence, "attending": attending})


class AttendanceView(APIView):
    @extend_schema(tags=TAGS, responses=MeetingAttendanceSerializer)
    def get(self, request: Request, program: str, group: str, meeting: str, occurrence: str):
        """Who came to one meeting (for the people who run the group)."""
        found = _meeting(request, program, group, meeting, need="manage")
        return Response(_sheet(found, _occurrence(found, occurrence), occurrence))

    @extend_schema(
        tags=TAGS, request=AttendanceChangeSerializer, responses=MeetingAttendanceSerializer
    )
    def put(self, request: Request, program: str, group: str, meeting: str, occurrence: str):
        """Mark exactly these members present; members' own check-ins stay."""
        found = _meeting(request, program, group, meeting, need="manage")
        item = _occurrence(found, occurrence)
        serializer = AttendanceChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        chosen = set(serializer.validated_data["present"])
        members = [m.user for m in access.approved_members_of(found.group)]
        if not chosen <= {person.pk for person in members}:
            raise ValidationError({"present": ["Only members of the group can be marked present."]})
        try:
            actions.take_attendance(
                request.user,
                meeting=found,
                scheduled_utc=item.scheduled_utc,
                present=[person for person in members if person.pk in chosen],
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(_sheet(found, item, occurrence), status=status.HTTP_200_OK)


def _sheet(meeting: Meeting, item: recurrence.Occurrence, key: str) -> dict:
    rows = meeting.attendance.filter(occurrence_start=item.scheduled_utc).select_related(
        "member__profile"
    )
    return MeetingAttendanceSerializer(
        {"occurrence": key, "present": [row.member for row in rows.order_by("recorded_at")]}
    ).data


class CalendarAddressSerializer(serializers.Serializer):
    url = serializers.URLField(
        help_text="Your personal calendar address; shown this once, keep it private."
    )


class CalendarFeedView(APIView):
    @extend_schema(tags=TAGS, request=None, responses={201: CalendarAddressSerializer})
    def post(self, request: Request) -> Response:
        """Make your personal calendar address (the meetings you RSVP'd to), or reset it: the old
        address stops working. The address is returned this once only."""
        token = actions.create_calendar_feed(request.user)
        url = request.build_absolute_uri(reverse("feeds:personal_calendar", args=[token]))
        return Response({"url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(tags=TAGS, request=None, responses={204: None})
    def delete(self, request: Request) -> Response:
        """Remove your personal calendar address; calendar apps get 404 from then on."""
        actions.delete_calendar_feed(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


GROUP = "groups/<slug:program>/<slug:group>/"
MEETING = GROUP + "meetings/<slug:meeting>/"

urlpatterns = [
    path("groups/", GroupListView.as_view(), name="api-groups"),
    path("groups/calendar/", CalendarFeedView.as_view(), name="api-groups-calendar"),
    path(GROUP, GroupDetailView.as_view(), name="api-group"),
    path(GROUP + "join/", JoinView.as_view(), name="api-group-join"),
    path(MEETING + "occurrences/", OccurrenceListView.as_view(), name="api-meeting-occurrences"),
    path(MEETING + "rsvps/<str:occurrence>/", RSVPView.as_view(), name="api-meeting-rsvp"),
    path(
        MEETING + "attendance/<str:occurrence>/",
        AttendanceView.as_view(),
        name="api-meeting-attendance",
    ),
]
