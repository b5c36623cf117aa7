"""The community API: spaces, threads and posts of a program, anonymous posting, editing your
own posts. alongside/api/urls.py mounts it under /api/v1/.

An author is only ever shown as {display_name, is_anonymous}: nothing here can lead to the
person behind an anonymous post. Answers to writing that screening flagged carry
`crisis_support` (the level and crisis lines); it is null otherwise.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.community import access, actions, reactions, reading
from alongside.community.models import BODY_LENGTH, TITLE_LENGTH, ReactionKind
from alongside.core.api import refusal
from alongside.goals.api import CrisisSupportField
from alongside.safety.support import crisis_support_payload

TAGS = ["community"]


def _crisis_support(request: Request, written: actions.Written, program) -> dict | None:
    if not written.show_crisis_panel or written.screened is None:
        return None
    return crisis_support_payload(request.user, program, assessment=written.screened.assessment)


class AuthorSerializer(serializers.Serializer):
    display_name = serializers.CharField(source="shown_name")
    is_anonymous = serializers.BooleanField()


class SpaceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField()
    group_only = serializers.SerializerMethodField()
    thread_count = serializers.IntegerField()

    def get_group_only(self, space) -> bool:
        return space.group_id is not None


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=TITLE_LENGTH)
    author = AuthorSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    last_post_at = serializers.DateTimeField(read_only=True)
    post_count = serializers.IntegerField(read_only=True)
    is_locked = serializers.BooleanField(read_only=True)
    unread_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Posts since you last read it; null when you never opened it.",
    )
    is_following = serializers.BooleanField(read_only=True, allow_null=True, default=None)


class NewThreadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_LENGTH)
    body = serializers.CharField(max_length=BODY_LENGTH)
    anonymous = serializers.BooleanField(default=False)


class WrittenThreadSerializer(ThreadSerializer):
    crisis_support = CrisisSupportField(read_only=True)


class ReactionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReactionKind.choices)
    count = serializers.IntegerField()
    mine = serializers.BooleanField(help_text="You gave this reaction.")


class PostSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True, help_text="1 opens the thread.")
    author = AuthorSerializer(read_only=True)
    body = serializers.CharField(max_length=BODY_LENGTH, help_text="Markdown.")
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_pending = serializers.BooleanField(
        read_only=True, help_text="Waits for a moderator: only its writer and moderators see it."
    )
    is_hidden = serializers.BooleanField(read_only=True, help_text="Seen by moderators only.")
    reactions = ReactionSerializer(many=True, read_only=True, source="reaction_bar", default=list)


class NewPostSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_LENGTH)
    anonymous = serializers.BooleanField(default=False)
    quote = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The id of a post to quote."
    )


class PostChangeSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_LENGTH)


class WrittenPostSerializer(PostSerializer):
    crisis_support = CrisisSupportField(read_only=True)


class PostPageSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    page_count = serializers.IntegerField()
    results = PostSerializer(many=True)


class SpaceListView(generics.ListAPIView):
    serializer_class = SpaceSerializer
    pagination_class = None

    def get_queryset(self):
        viewer = access.viewer_in(self.request.user, self.kwargs["program_slug"])
        return access.spaces_with_counts(viewer)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """The community spaces of a program you belong to, with how many threads each has."""
        return super().get(request, *args, **kwargs)


class ThreadListView(generics.ListAPIView):
    serializer_class = ThreadSerializer

    def get_queryset(self):
        viewer = access.viewer_in(self.request.user, self.kwargs["program_slug"])
        space = access.get_space_for(viewer, self.kwargs["space_slug"])
        return reading.with_reading(access.threads_of(viewer, space), self.request.user)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """The threads of a space, newest activity first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, request=NewThreadSerializer, responses={201: WrittenThreadSerializer})
    def post(self, request: Request, program_slug: str, space_slug: str) -> Response:
        """Start a thread with its opening post, as yourself or anonymously; nothing is saved if
        the title or post is empty or too long."""
        viewer = access.viewer_in(request.user, program_slug)
        space = access.get_space_for(viewer, space_slug)
        serializer = NewThreadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = actions.start_thread(request.user, space=space, **serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        body = {
            **ThreadSerializer(written.item).data,
            "crisis_support": _crisis_support(request, written, viewer.program),
        }
        return Response(body, status=status.HTTP_201_CREATED)


def _with_reactions(user, posts) -> None:
    for post, bar in zip(posts, reactions.reaction_bars(user, posts).values(), strict=True):
        setattr(post, "reaction_bar", bar)  # noqa: B010 (serialized, not a field)


class PostListView(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("page", int, description="50 posts a page, by number.")],
        responses=PostPageSerializer,
    )
    def get(self, request: Request, program_slug: str, thread_id: int) -> Response:
        """The posts of a thread by number, 50 a page (a page may hold fewer: hidden posts keep
        their numbers)."""
        viewer = access.viewer_in(request.user, program_slug)
        thread = access.get_thread_by_id(viewer, thread_id)
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        if page > thread.page_count:
            raise Http404
        posts = list(access.posts_of(viewer, thread).on_page(page))
        _with_reactions(request.user, posts)
        if posts:
            reader = reading.reader_of(request.user, thread)
            reading.mark_read(request.user, thread, up_to=posts[-1].number, reader=reader)
        return Response(
            {
                "page": page,
                "page_count": thread.page_count,
                "results": PostSerializer(posts, many=True).data,
            }
        )

    @extend_schema(tags=TAGS, request=NewPostSerializer, responses={201: WrittenPostSerializer})
    def post(self, request: Request, program_slug: str, thread_id: int) -> Response:
        """Reply at the end of a thread, as yourself or anonymously, optionally quoting one of its
        posts; refused with a message for a locked thread or an empty or too long post."""
        viewer = access.viewer_in(request.user, program_slug)
        thread = access.get_thread_by_id(viewer, thread_id)
        serializer = NewPostSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quote = None
        if data["quote"]:
            quote = access.get_post_for(viewer, thread, data["quote"])
        try:
            written = actions.reply(
                request.user,
                thread=thread,
                body=data["body"],
                anonymous=data["anonymous"],
                quote=quote,
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        body = {
            **PostSerializer(written.item).data,
            "crisis_support": _crisis_support(request, written, viewer.program),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class PostDetailView(APIView):
    @extend_schema(tags=TAGS, request=PostChangeSerializer, responses=WrittenPostSerializer)
    def patch(self, request: Request, program_slug: str, post_id: int) -> Response:
        """Change the words of your own post; moderators keep the earlier words."""
        viewer = access.viewer_in(request.user, program_slug)
        post = access.get_post_by_id(viewer, post_id, need="edit")
        serializer = PostChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = actions.edit_post(
                request.user, post=post, body=serializer.validated_data["body"]
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        body = {
            **PostSerializer(written.item).data,
            "crisis_support": _crisis_support(request, written, viewer.program),
        }
        return Response(body)


class ReactionView(APIView):
    def _answer(self, request: Request, post) -> Response:
        _with_reactions(request.user, [post])
        return Response(ReactionSerializer(post.reaction_bar, many=True).data)

    def _post(self, request: Request, program_slug: str, post_id: int):
        viewer = access.viewer_in(request.user, program_slug)
        return access.get_post_by_id(viewer, post_id)

    @extend_schema(tags=TAGS, request=None, responses=ReactionSerializer(many=True))
    def put(self, request: Request, program_slug: str, post_id: int, kind: str) -> Response:
        """Give a reaction (me_too, support, thanks) to someone else's post; again is harmless.
        The writer is told; nobody sees who reacted, only how many."""
        post = self._post(request, program_slug, post_id)
        try:
            reactions.react(request.user, post=post, kind=kind)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return self._answer(request, post)

    @extend_schema(tags=TAGS, request=None, responses=ReactionSerializer(many=True))
    def delete(self, request: Request, program_slug: str, post_id: int, kind: str) -> Response:
        """Take back your reaction."""
        post = self._post(request, program_slug, post_id)
        reactions.unreact(request.user, post=post, kind=kind)
        return self._answer(request, post)


class RevisionSerializer(serializers.Serializer):
    body = serializers.CharField(help_text="The words before this edit (Markdown).")
    edited_at = serializers.DateTimeField()


class PostHistoryView(APIView):
    @extend_schema(tags=TAGS, responses=RevisionSerializer(many=True))
    def get(self, request: Request, program_slug: str, post_id: int) -> Response:
        """A post's earlier words, newest edit first (moderators)."""
        viewer = access.moderator_in(request.user, program_slug)
        post = access.get_post_by_id(viewer, post_id)
        revisions = post.revisions.order_by("-edited_at", "-pk")
        return Response(RevisionSerializer(revisions, many=True).data)


class FollowSerializer(serializers.Serializer):
    is_following = serializers.BooleanField()


class FollowView(APIView):
    def _set(self, request: Request, program_slug: str, thread_id: int, following: bool):
        viewer = access.viewer_in(request.user, program_slug)
        thread = access.get_thread_by_id(viewer, thread_id)
        reading.set_following(request.user, thread, following=following)
        return Response({"is_following": following})

    @extend_schema(tags=TAGS, request=None, responses=FollowSerializer)
    def put(self, request: Request, program_slug: str, thread_id: int) -> Response:
        """Follow a thread: you are told of each new reply."""
        return self._set(request, program_slug, thread_id, True)

    @extend_schema(tags=TAGS, request=None, responses=FollowSerializer)
    def delete(self, request: Request, program_slug: str, thread_id: int) -> Response:
        """Stop following a thread."""
        return self._set(request, program_slug, thread_id, False)


PROGRAM = "community/<slug:program_slug>/"

urlpatterns = [
    path(PROGRAM + "spaces/", SpaceListView.as_view(), name="api-community-spaces"),
    path(
        PROGRAM + "spaces/<slug:space_slug>/threads/",
        ThreadListView.as_view(),
        name="api-community-threads",
    ),
    path(
        PROGRAM + "threads/<int:thread_id>/posts/",
        PostListView.as_view(),
        name="api-community-posts",
    ),
    path(PROGRAM + "posts/<int:post_id>/", PostDetailView.as_view(), name="api-community-post"),
    path(
        PROGRAM + "posts/<int:post_id>/reactions/<slug:kind>/",
        ReactionView.as_view(),
        name="api-community-reaction",
    ),
    path(
        PROGRAM + "posts/<int:post_id>/history/",
        PostHistoryView.as_view(),
        name="api-community-post-history",
    ),
    path(
        PROGRAM + "threads/<int:thread_id>/follow/",
        FollowView.as_view(),
        name="api-community-follow",
    ),
]
