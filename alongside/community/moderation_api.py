"""The moderation API: report a post; for moderators the queue, actions on posts, threads and
writers, and the log (also for coordinators); the community settings (coordinators); a member's
notices. alongside/community/api.py includes these under /api/v1/community/<program>/.

Writers are named by the author they posted under ({display_name, is_anonymous}), never by who
they are: a moderator warns or pauses an author and identity finds the person.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.community import access, identity, moderation
from alongside.community.api import AuthorSerializer, PostSerializer
from alongside.community.models import NOTE_LENGTH, ActionKind, ReportReason
from alongside.core.api import refusal
from alongside.programs.access import get_program_for

TAGS = ["community moderation"]


class NewReportSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    details = serializers.CharField(max_length=NOTE_LENGTH, required=False, default="")


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=ReportReason.choices)
    details = serializers.CharField()
    created_at = serializers.DateTimeField()


class QueuedThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    space = serializers.SlugField(source="space.slug")
    is_locked = serializers.BooleanField()
    is_hidden = serializers.BooleanField()


class QueuedPostSerializer(PostSerializer):
    thread = QueuedThreadSerializer(read_only=True)
    reports = ReportSerializer(many=True, read_only=True, source="open_reports", default=list)


class QueueSerializer(serializers.Serializer):
    reported = QueuedPostSerializer(many=True)
    pending = QueuedPostSerializer(many=True)


QUEUE_LIMIT = 50


class ReportView(APIView):
    @extend_schema(tags=TAGS, request=NewReportSerializer, responses={201: ReportSerializer})
    def post(self, request: Request, program_slug: str, post_id: int) -> Response:
        """Ask the moderators to look at a post; the writer is not told who reported it."""
        viewer = access.viewer_in(request.user, program_slug)
        post = access.get_post_by_id(viewer, post_id)
        serializer = NewReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = moderation.report_post(request.user, post=post, **serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class QueueView(APIView):
    @extend_schema(tags=TAGS, responses=QueueSerializer)
    def get(self, request: Request, program_slug: str) -> Response:
        """Posts with open reports (longest waiting first) and posts waiting for approval, the
        first 50 of each (moderators)."""
        viewer = access.moderator_in(request.user, program_slug)
        return Response(
            QueueSerializer(
                {
                    "reported": access.reported_posts(viewer)[:QUEUE_LIMIT],
                    "pending": access.pending_posts(viewer)[:QUEUE_LIMIT],
                }
            ).data
        )


class PostActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=moderation.POST_ACTIONS)
    note = serializers.CharField(max_length=NOTE_LENGTH, required=False, default="")


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    moderator = serializers.CharField(source="moderator.display_name", default=None)
    thread = serializers.IntegerField(source="thread_id", allow_null=True)
    post = serializers.IntegerField(source="post_id", allow_null=True)
    author = AuthorSerializer(allow_null=True)
    note = serializers.CharField()
    details = serializers.DictField()
    created_at = serializers.DateTimeField()


class PostActionView(APIView):
    @extend_schema(tags=TAGS, request=PostActionSerializer, responses=ActionSerializer)
    def post(self, request: Request, program_slug: str, post_id: int) -> Response:
        """Hide, restore or approve a post, or dismiss its reports (moderators)."""
        viewer = access.moderator_in(request.user, program_slug)
        post = access.get_post_by_id(viewer, post_id)
        serializer = PostActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            done = moderation.moderate_post(request.user, post=post, **serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(ActionSerializer(done).data)


class ThreadActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=moderation.THREAD_ACTIONS)
    space = serializers.SlugField(
        required=False, default="", help_text="For move: the slug of the space to move to."
    )
    note = serializers.CharField(max_length=NOTE_LENGTH, required=False, default="")


class ThreadActionView(APIView):
    @extend_schema(tags=TAGS, request=ThreadActionSerializer, responses=ActionSerializer)
    def post(self, request: Request, program_slug: str, thread_id: int) -> Response:
        """Hide, restore, lock, unlock or move a thread (moderators)."""
        viewer = access.moderator_in(request.user, program_slug)
        thread = access.get_thread_by_id(viewer, thread_id)
        serializer = ThreadActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = None
        if data["action"] == "move":
            target = access.spaces_for(viewer).filter(slug=data["space"]).first()
            if target is None:
                raise ValidationError({"space": ["Choose a space of this program."]})
        try:
            done = moderation.moderate_thread(
                request.user, thread=thread, action=data["action"], note=data["note"], to=target
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(ActionSerializer(done).data)


class WriterActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=moderation.WRITER_ACTIONS)
    days = serializers.ChoiceField(
        choices=list(moderation.SUSPENSION_DAYS), required=False, allow_null=True, default=None
    )
    note = serializers.CharField(max_length=NOTE_LENGTH, required=False, default="")


class WriterActionView(APIView):
    @extend_schema(tags=TAGS, request=WriterActionSerializer, responses=ActionSerializer)
    def post(self, request: Request, program_slug: str, post_id: int) -> Response:
        """Warn the writer of a post, pause their posting for some days, or end the pause
        (moderators). The writer is told; the moderator never learns who they are."""
        viewer = access.moderator_in(request.user, program_slug)
        post = access.get_post_by_id(viewer, post_id)
        serializer = WriterActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            done = moderation.moderate_writer(request.user, post=post, **serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(ActionSerializer(done).data)


class LogView(generics.ListAPIView):
    serializer_class = ActionSerializer

    def get_queryset(self):
        viewer = access.log_reader_in(self.request.user, self.kwargs["program_slug"])
        return access.action_log(viewer.program)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """Every moderation action of the program, newest first (moderators and coordinators)."""
        return super().get(request, *args, **kwargs)


class SettingsSerializer(serializers.Serializer):
    approve_first_posts = serializers.BooleanField()


class SettingsView(APIView):
    @extend_schema(tags=TAGS, responses=SettingsSerializer)
    def get(self, request: Request, program_slug: str) -> Response:
        """The program's community settings (coordinators)."""
        program = get_program_for(request.user, program_slug, need="manage")
        return Response(SettingsSerializer(moderation.settings_of(program)).data)

    @extend_schema(tags=TAGS, request=SettingsSerializer, responses=SettingsSerializer)
    def put(self, request: Request, program_slug: str) -> Response:
        """Change the program's community settings (coordinators)."""
        program = get_program_for(request.user, program_slug, need="manage")
        serializer = SettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        settings = moderation.update_settings(
            request.user, program=program, **serializer.validated_data
        )
        return Response(SettingsSerializer(settings).data)


class NoticeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    thread = serializers.IntegerField(source="thread_id", allow_null=True)
    post = serializers.IntegerField(source="post_id", allow_null=True)
    note = serializers.CharField()
    details = serializers.DictField()
    created_at = serializers.DateTimeField()


class NoticesSerializer(serializers.Serializer):
    suspended_until = serializers.DateTimeField(allow_null=True)
    results = NoticeSerializer(many=True)


class NoticesView(APIView):
    @extend_schema(tags=TAGS, responses=NoticesSerializer)
    def get(self, request: Request, program_slug: str) -> Response:
        """What moderators did about your own posts (the last 100), and until when your posting
        is paused, if it is."""
        viewer = access.viewer_in(request.user, program_slug)
        return Response(
            NoticesSerializer(
                {
                    "suspended_until": identity.suspended_until(request.user, viewer.program),
                    "results": identity.actions_told_to(request.user, viewer.program)[:100],
                }
            ).data
        )


PROGRAM = "community/<slug:program_slug>/"

urlpatterns = [
    path(
        PROGRAM + "posts/<int:post_id>/reports/",
        ReportView.as_view(),
        name="api-community-report",
    ),
    path(PROGRAM + "moderation/", QueueView.as_view(), name="api-community-queue"),
    path(PROGRAM + "moderation/log/", LogView.as_view(), name="api-community-log"),
    path(
        PROGRAM + "moderation/posts/<int:post_id>/",
        PostActionView.as_view(),
        name="api-community-moderate-post",
    ),
    path(
        PROGRAM + "moderation/posts/<int:post_id>/writer/",
        WriterActionView.as_view(),
        name="api-community-moderate-writer",
    ),
    path(
        PROGRAM + "moderation/threads/<int:thread_id>/",
        ThreadActionView.as_view(),
        name="api-community-moderate-thread",
    ),
    path(PROGRAM + "settings/", SettingsView.as_view(), name="api-community-settings"),
    path(PROGRAM + "notices/", NoticesView.as_view(), name="api-community-notices"),
]
