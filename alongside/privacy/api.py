"""API endpoints of this domain; alongside/api/urls.py mounts `urlpatterns` under /api/v1/.

Both are about the caller's own records only: there is no way to name another person.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.privacy import access, actions
from alongside.privacy.descriptions import describe_access
from alongside.privacy.models import Audience, Scope


class ConsentSerializer(serializers.Serializer):
    program = serializers.SlugField(read_only=True, help_text="The program's short name.")
    program_name = serializers.CharField(read_only=True)
    audience = serializers.ChoiceField(choices=Audience.choices, read_only=True)
    scope = serializers.ChoiceField(choices=Scope.choices, read_only=True)
    granted = serializers.BooleanField(read_only=True)
    granted_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Since when the consent in force was given."
    )


class ConsentsSerializer(serializers.Serializer):
    consents = ConsentSerializer(
        many=True,
        read_only=True,
        help_text="Every audience and scope of every program where you are a member.",
    )


class ConsentChangeSerializer(serializers.Serializer):
    program = serializers.SlugField(help_text="The short name of a program where you are a member.")
    audience = serializers.ChoiceField(choices=Audience.choices)
    scope = serializers.ChoiceField(choices=Scope.choices)
    granted = serializers.BooleanField()


class ConsentsUpdateSerializer(serializers.Serializer):
    consents = ConsentChangeSerializer(
        many=True, allow_empty=False, help_text="Only the ones listed change."
    )

    def validate_consents(self, value: list[dict]) -> list[dict]:
        keys = [(item["program"], item["audience"], item["scope"]) for item in value]
        if len(keys) != len(set(keys)):
            raise ValidationError("Each program, audience and scope may appear only once.")
        return value


class AccessLogEntrySerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField(source="entry.occurred_at")
    who = serializers.CharField(help_text="The display name of who opened the record.")
    role = serializers.CharField(help_text="The role they acted in, in words.")
    what = serializers.CharField(help_text="The kind of record, in words.")
    purpose = serializers.CharField()
    program = serializers.SlugField(source="entry.program.slug", allow_null=True, default=None)
    emergency_access = serializers.BooleanField(source="entry.emergency_access")
    outcome = serializers.CharField(source="entry.outcome")


def _consents_of(user) -> dict:
    in_force = {
        (consent.program_id, consent.audience, consent.scope): consent.granted_at
        for consent in access.consents_in_force(user)
    }
    return {
        "consents": [
            {
                "program": membership.program.slug,
                "program_name": membership.program.name,
                "audience": audience.value,
                "scope": scope.value,
                "granted": (membership.program_id, audience.value, scope.value) in in_force,
                "granted_at": in_force.get((membership.program_id, audience.value, scope.value)),
            }
            for membership in access.sharing_memberships_of(user)
            for audience in Audience
            for scope in Scope
        ]
    }


class ConsentsView(APIView):
    @extend_schema(tags=["privacy"], responses=ConsentsSerializer)
    def get(self, request: Request) -> Response:
        """Whom you let see which of your health records, per program."""
        return Response(ConsentsSerializer(_consents_of(request.user)).data)

    @extend_schema(tags=["privacy"], request=ConsentsUpdateSerializer, responses=ConsentsSerializer)
    def put(self, request: Request) -> Response:
        """Grant or revoke the consents listed; nothing changes if any is invalid."""
        serializer = ConsentsUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        programs = {m.program.slug: m.program for m in access.sharing_memberships_of(request.user)}
        items = serializer.validated_data["consents"]
        unknown = sorted({item["program"] for item in items} - set(programs))
        if unknown:
            raise ValidationError(
                {
                    "consents": [
                        f"You are not a member of a program called {slug!r}." for slug in unknown
                    ]
                }
            )
        try:
            actions.change_sharing_consents(
                request.user,
                changes=[
                    (programs[item["program"]], item["audience"], item["scope"], item["granted"])
                    for item in items
                ],
            )
        except DjangoValidationError as error:
            raise ValidationError({"consents": error.messages}) from None
        return Response(ConsentsSerializer(_consents_of(request.user)).data)


@extend_schema(tags=["privacy"])
class AccessLogView(generics.ListAPIView):
    """Who opened your health records, newest first."""

    serializer_class = AccessLogEntrySerializer

    def get_queryset(self):
        return access.who_opened_records_of(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else [describe_access(entry) for entry in page]


urlpatterns = [
    path("privacy/consents/", ConsentsView.as_view(), name="api-privacy-consents"),
    path("privacy/access-log/", AccessLogView.as_view(), name="api-privacy-access-log"),
]
