"""The meeting directory's API: the same search as /meetings/, for apps. Open to anyone, like
the page; the signed-in also find the unpublished groups they belong to."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.groups import directory
from alongside.groups.api import GroupSerializer, MeetingSerializer
from alongside.groups.forms import DirectorySearchForm, occurrence_key

TAGS = ["directory"]


class DirectoryResultSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="The next matching meeting, where it happens.")
    occurrence = serializers.CharField(help_text="Its scheduled start in UTC, compact: RSVP key.")
    distance_miles = serializers.FloatField(allow_null=True)
    url = serializers.CharField(help_text="The meeting's page.")
    meeting = MeetingSerializer()
    group = GroupSerializer(source="meeting.group")


class PlaceSerializer(serializers.Serializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    city = serializers.CharField(allow_blank=True)


class DirectoryPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="page.total")
    page = serializers.IntegerField(source="page.page")
    page_count = serializers.IntegerField(source="page.page_count")
    time_zone = serializers.CharField(help_text="The zone 'tonight' and days were read in.")
    place = PlaceSerializer(allow_null=True)
    results = DirectoryResultSerializer(many=True)


def _parameter(name: str, kind, description: str, *, many: bool = False) -> OpenApiParameter:
    return OpenApiParameter(name, kind, description=description, many=many, explode=many)


SEARCH_PARAMETERS = [
    _parameter("zip", OpenApiTypes.STR, "A 5-digit US ZIP code to search around."),
    _parameter("lat", OpenApiTypes.FLOAT, "Latitude to search around (with lng), not stored."),
    _parameter("lng", OpenApiTypes.FLOAT, "Longitude to search around (with lat)."),
    _parameter("radius", OpenApiTypes.INT, "Miles: 1, 5, 10, 25 (default) or 50."),
    _parameter("tz", OpenApiTypes.STR, "IANA zone for 'tonight' when not signed in."),
    _parameter("when", OpenApiTypes.STR, "any, today, tonight, tomorrow, weekend or week."),
    _parameter("day", OpenApiTypes.INT, "Weekdays, 0 = Monday.", many=True),
    _parameter("time", OpenApiTypes.STR, "morning, afternoon, evening, night.", many=True),
    _parameter("area", OpenApiTypes.STR, "Area-of-concern slugs (any of them).", many=True),
    _parameter("format", OpenApiTypes.STR, "in_person, online or hybrid."),
    _parameter("language", OpenApiTypes.STR, "A language code, like es."),
    _parameter("access", OpenApiTypes.STR, "Accessibility codes (all of them).", many=True),
    _parameter("free", OpenApiTypes.BOOL, "Free meetings only."),
    _parameter("type", OpenApiTypes.STR, "Meeting Guide type codes (all of them).", many=True),
    _parameter("sort", OpenApiTypes.STR, "next (default) or distance."),
    _parameter("page", OpenApiTypes.INT, f"Pages of {directory.PAGE_SIZE}."),
]


class DirectorySearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, parameters=SEARCH_PARAMETERS, responses=DirectoryPageSerializer)
    def get(self, request: Request) -> Response:
        """Meetings matching the filters, each once at its next matching time; 400 names the
        parameter that could not be read."""
        form = DirectorySearchForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        signed_in = request.user.is_authenticated
        zone = (
            request.user.profile.time_zone
            if signed_in and hasattr(request.user, "profile")
            else None
        )
        query = form.query(viewer_zone=zone)
        page = directory.search(query, user=request.user)
        place = None
        if query.has_place:
            place = {
                "latitude": query.latitude,
                "longitude": query.longitude,
                "city": form.place.city if form.place else "",
            }
        results = [
            {
                "starts_at": result.starts_at,
                "occurrence": occurrence_key(result.scheduled_at),
                "distance_miles": result.distance_miles,
                "url": request.build_absolute_uri(result.meeting.get_absolute_url()),
                "meeting": result.meeting,
            }
            for result in page.results
        ]
        data = {"page": page, "time_zone": query.zone, "place": place, "results": results}
        return Response(DirectoryPageSerializer(data).data)


urlpatterns = [
    path("meetings/search/", DirectorySearchView.as_view(), name="api-directory-search"),
]
