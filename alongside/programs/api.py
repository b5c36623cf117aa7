"""API of programs: my memberships, joining and leaving, a program and its people.

Mounted under /api/v1/ by alongside/api/urls.py. Every endpoint goes through the same access and
actions functions as the pages.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.core.models import AreaOfConcern
from alongside.programs import access, actions
from alongside.programs.models import Membership, Program


class ProgramSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["slug", "name"]


class MembershipSerializer(serializers.ModelSerializer):
    program = ProgramSummarySerializer(read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "program", "roles", "is_active", "joined_at", "left_at"]

    def get_roles(self, membership: Membership) -> list[str]:
        return sorted(membership.role_names)


class CrisisLineSerializer(serializers.Serializer):
    name = serializers.CharField(source="crisis_line_name")
    phone = serializers.CharField(source="crisis_line_phone")
    text = serializers.CharField(source="crisis_line_text")


class ProgramSerializer(serializers.ModelSerializer):
    areas_of_concern: "serializers.SlugRelatedField[AreaOfConcern]" = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    crisis_line = CrisisLineSerializer(source="*", read_only=True)
    my_roles = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = [
            "slug",
            "name",
            "description",
            "areas_of_concern",
            "contact_email",
            "contact_phone",
            "country",
            "crisis_line",
            "default_time_zone",
            "my_roles",
        ]

    def get_my_roles(self, program: Program) -> list[str]:
        membership = self.context.get("membership")
        return sorted(membership.role_names) if membership else []


class MemberSerializer(serializers.ModelSerializer):
    """A person as their coordinator sees them in the API: pseudonym and roles, never an email."""

    display_name = serializers.CharField(source="user.profile.display_name")
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "display_name", "roles", "joined_at"]

    def get_roles(self, membership: Membership) -> list[str]:
        return sorted(membership.role_names)


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


def _refused(error: DjangoValidationError, field: str = "detail") -> ValidationError:
    return ValidationError({field: error.messages})


class MyMemberships(generics.ListAPIView):
    serializer_class = MembershipSerializer

    @extend_schema(summary="My active memberships, with each program and my roles there")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return access.memberships_of(self.request.user)


class LeaveMembership(APIView):
    @extend_schema(
        summary="Leave a program",
        request=None,
        responses={
            200: MembershipSerializer,
            400: OpenApiResponse(description="Refused, e.g. the last coordinator"),
            404: OpenApiResponse(description="Not your active membership"),
        },
    )
    def post(self, request: Request, membership_id: int) -> Response:
        membership = access.get_membership_for(request.user, membership_id, need="own")
        try:
            membership = actions.leave_program(request.user, membership=membership)
        except DjangoValidationError as error:
            raise _refused(error) from error
        return Response(MembershipSerializer(membership).data)


class JoinProgram(APIView):
    @extend_schema(
        summary="Join a program with its join code",
        request=JoinSerializer,
        responses={201: MembershipSerializer, 400: OpenApiResponse(description="Bad code")},
    )
    def post(self, request: Request) -> Response:
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            joined = actions.join_with_code(request.user, code=serializer.validated_data["code"])
        except DjangoValidationError as error:
            raise _refused(error, "code") from error
        # Read back through the gate, with the roles loaded the way the list shows them.
        membership = access.get_membership_for(request.user, joined.pk, need="own")
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class ProgramDetail(APIView):
    @extend_schema(summary="A program I am in", responses={200: ProgramSerializer})
    def get(self, request: Request, slug: str) -> Response:
        program = access.get_program_for(request.user, slug, need="view")
        context = {"membership": access.membership_in(request.user, program)}
        return Response(ProgramSerializer(program, context=context).data)


class ProgramMembers(generics.ListAPIView):
    serializer_class = MemberSerializer

    @extend_schema(summary="People of a program I coordinate")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        program = access.get_program_for(self.request.user, self.kwargs["slug"], need="manage")
        return access.people_of(program)


urlpatterns = [
    path("memberships/", MyMemberships.as_view(), name="api-memberships"),
    path(
        "memberships/<int:membership_id>/leave/",
        LeaveMembership.as_view(),
        name="api-membership-leave",
    ),
    path("programs/join/", JoinProgram.as_view(), name="api-program-join"),
    path("programs/<slug:slug>/", ProgramDetail.as_view(), name="api-program"),
    path("programs/<slug:slug>/members/", ProgramMembers.as_view(), name="api-program-members"),
]
