"""API endpoints of this domain; alongside/api/urls.py mounts `urlpatterns` under /api/v1/."""

from typing import cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from alongside.accounts import access, actions
from alongside.accounts.forms import clean_zip_code
from alongside.accounts.models import SPOKEN_LANGUAGES, Profile, User, validate_time_zone
from alongside.core.models import AreaOfConcern


class OwnProfileSerializer(serializers.ModelSerializer):
    """A person's own profile. The ZIP code is theirs to see; others only ever get the city."""

    email = serializers.EmailField(source="user.email", read_only=True)
    display_name = serializers.CharField(max_length=40, trim_whitespace=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SPOKEN_LANGUAGES),
        max_length=len(SPOKEN_LANGUAGES),
        help_text="ISO 639-1 codes (and `ase` for American Sign Language).",
    )
    time_zone = serializers.CharField(
        max_length=64, help_text="An IANA time zone, e.g. America/Chicago."
    )
    areas_of_concern = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=AreaOfConcern.objects.active()
    )
    zip_code = serializers.CharField(
        max_length=5, allow_blank=True, help_text="A 5-digit US ZIP code, or empty for no location."
    )
    public_location = serializers.CharField(
        read_only=True, help_text="What others see: city and state."
    )

    class Meta:
        model = Profile
        fields = [
            "email",
            "display_name",
            "pronouns",
            "languages",
            "time_zone",
            "areas_of_concern",
            "zip_code",
            "city",
            "state",
            "public_location",
            "preferred_language",
        ]
        read_only_fields = ["city", "state"]

    def validate_display_name(self, value: str) -> str:
        return " ".join(value.split())

    def validate_languages(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def validate_time_zone(self, value: str) -> str:
        try:
            validate_time_zone(value)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from error
        return value

    def validate_zip_code(self, value: str) -> str:
        try:
            return clean_zip_code(value)
        except DjangoValidationError as error:
            raise ValidationError(error.messages) from error


def _me(request: Request) -> User:
    # IsAuthenticated (the default permission) has already refused anonymous callers.
    return cast(User, request.user)


class OwnProfileView(GenericAPIView):
    serializer_class = OwnProfileSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(operation_id="me_profile_retrieve", summary="Your profile")
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(access.get_own_profile(_me(request))).data)

    @extend_schema(operation_id="me_profile_partial_update", summary="Change your profile")
    def patch(self, request: Request) -> Response:
        profile = access.get_own_profile(_me(request))
        serializer = self.get_serializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            profile = actions.update_profile(_me(request), **serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(serializers.as_serializer_error(error)) from error
        return Response(self.get_serializer(profile).data)


urlpatterns = [
    path("me/profile/", OwnProfileView.as_view(), name="api-me-profile"),
]
