"""API endpoints of this domain; alongside/api/urls.py mounts `urlpatterns` under /api/v1/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.notifications import access, actions, registry
from alongside.notifications.models import Notification, NotificationPreference


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "program",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    description = serializers.CharField(read_only=True)
    email = serializers.ChoiceField(choices=NotificationPreference.Email.choices, read_only=True)
    mandatory_email = serializers.BooleanField(
        read_only=True, help_text="Always emailed; the choice cannot be changed."
    )
    digest_allowed = serializers.BooleanField(
        read_only=True, help_text='May be batched into the daily summary (email "daily").'
    )


class PreferencesSerializer(serializers.Serializer):
    preferences = PreferenceSerializer(many=True, read_only=True)


class PreferenceChoiceSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=registry.MAX_KIND_LENGTH)
    email = serializers.ChoiceField(
        choices=NotificationPreference.Email.choices,
        help_text='"daily" only for kinds with digest_allowed.',
    )


class PreferencesUpdateSerializer(serializers.Serializer):
    preferences = PreferenceChoiceSerializer(
        many=True, allow_empty=False, help_text="Only the kinds listed change."
    )

    def validate_preferences(self, value: list[dict]) -> list[dict]:
        kinds = [item["kind"] for item in value]
        if len(kinds) != len(set(kinds)):
            raise ValidationError("Each kind may appear only once.")
        return value


def _preferences_of(user) -> dict:
    choices = access.email_choices_of(user)
    return {
        "preferences": [
            {
                "kind": kind.kind,
                "label": str(kind.label),
                "description": str(kind.description),
                "email": choices[kind.kind],
                "mandatory_email": kind.mandatory_email,
                "digest_allowed": kind.digest_allowed,
            }
            for kind in registry.all_kinds()
        ]
    }


@extend_schema(
    tags=["notifications"],
    parameters=[
        OpenApiParameter(
            "unread", bool, description="true: only unread ones; false: only read ones."
        )
    ],
)
class NotificationListView(generics.ListAPIView):
    """Your own notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        notifications = access.notifications_of(self.request.user)
        unread = self.request.query_params.get("unread")
        if unread is None:
            return notifications
        try:
            only_unread = serializers.BooleanField().to_internal_value(unread)
        except ValidationError:
            raise ValidationError({"unread": ["Use true or false."]}) from None
        return notifications.filter(read_at__isnull=only_unread)


class NotificationReadView(APIView):
    @extend_schema(tags=["notifications"], request=None, responses=NotificationSerializer)
    def post(self, request: Request, notification_id: int) -> Response:
        """Mark one of your notifications read."""
        notification = access.get_notification_for(request.user, notification_id)
        actions.mark_read(request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(
        tags=["notifications"],
        request=None,
        responses=inline_serializer("MarkedRead", {"marked_read": serializers.IntegerField()}),
    )
    def post(self, request: Request) -> Response:
        """Mark all your notifications read."""
        return Response({"marked_read": actions.mark_all_read(request.user)})


class NotificationPreferencesView(APIView):
    @extend_schema(tags=["notifications"], responses=PreferencesSerializer)
    def get(self, request: Request) -> Response:
        """Which kinds of notification are also emailed to you."""
        return Response(_preferences_of(request.user))

    @extend_schema(
        tags=["notifications"],
        request=PreferencesUpdateSerializer,
        responses=PreferencesSerializer,
    )
    def put(self, request: Request) -> Response:
        """Change the email choice of the kinds listed; nothing is saved if any is invalid."""
        serializer = PreferencesUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        choices = {item["kind"]: item["email"] for item in serializer.validated_data["preferences"]}
        try:
            actions.update_preferences(request.user, choices=choices)
        except DjangoValidationError as error:
            raise ValidationError({"preferences": error.message_dict}) from None
        return Response(_preferences_of(request.user))


urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="api-notifications"),
    path(
        "notifications/read-all/",
        NotificationReadAllView.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/preferences/",
        NotificationPreferencesView.as_view(),
        name="api-notification-preferences",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        NotificationReadView.as_view(),
        name="api-notification-read",
    ),
]
