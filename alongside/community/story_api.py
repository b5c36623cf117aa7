"""The recovery stories API: a member's own stories (write, change, submit with consent,
withdraw consent, delete), the moderators' review (publish, decline), and a program's published
stories for anyone. alongside/api/urls.py mounts it under /api/v1/.

A story is signed with {display_name, is_anonymous} only: nothing here leads to the member
behind an anonymous story. Answers to writing that screening flagged carry `crisis_support`.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.community import access, stories
from alongside.community.story_models import (
    STORY_BODY_LENGTH,
    STORY_NOTE_LENGTH,
    STORY_TITLE_LENGTH,
    PublishAs,
    StoryState,
)
from alongside.core.api import refusal
from alongside.goals.api import CrisisSupportField
from alongside.safety.support import crisis_support_payload

TAGS = ["stories"]


class SignatureSerializer(serializers.Serializer):
    display_name = serializers.CharField(source="shown_name")
    is_anonymous = serializers.BooleanField()


class PublicStorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")
    signed = SignatureSerializer(source="*")
    published_at = serializers.DateTimeField()


class ReviewStorySerializer(PublicStorySerializer):
    published_at = None  # type: ignore[assignment]
    submitted_at = serializers.DateTimeField()


class OwnStorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")
    publish_as = serializers.ChoiceField(choices=PublishAs.choices)
    signed = SignatureSerializer(source="*")
    # A plain string: "state" as an enum name collides with other apps' states in the schema.
    state = serializers.CharField(help_text=f"One of: {', '.join(StoryState.values)}.")
    moderator_note = serializers.CharField(help_text="Why a moderator declined it.")
    consent_in_force = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)

    def get_consent_in_force(self, story) -> bool:
        if hasattr(story, "has_consent_in_force"):
            return story.has_consent_in_force
        return stories.consent_in_force(story) is not None


class WrittenStorySerializer(OwnStorySerializer):
    crisis_support = CrisisSupportField(read_only=True)


class StoryInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=STORY_TITLE_LENGTH)
    body = serializers.CharField(max_length=STORY_BODY_LENGTH)
    publish_as = serializers.ChoiceField(choices=PublishAs.choices, default=PublishAs.NAME)
    submit = serializers.BooleanField(
        default=False, help_text="Submit for review now (needs consent); false keeps a draft."
    )
    consent = serializers.BooleanField(
        default=False, help_text="You agree to the consent text (GET .../consent/) to submit."
    )


class ConsentSerializer(serializers.Serializer):
    consent = serializers.BooleanField(help_text="Must be true: you agree to the consent text.")


class ConsentTextSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = serializers.IntegerField()


class DeclineSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=STORY_NOTE_LENGTH, help_text="Shown to the writer.")


def _written(request: Request, written: stories.WrittenStory) -> dict:
    crisis = None
    if written.show_crisis_panel and written.screened is not None:
        crisis = crisis_support_payload(
            request.user, written.story.program, assessment=written.screened.assessment
        )
    return {**OwnStorySerializer(written.story).data, "crisis_support": crisis}


class OwnStoryListView(generics.ListAPIView):
    serializer_class = OwnStorySerializer

    def get_queryset(self):
        viewer = stories.writer_in(self.request.user, self.kwargs["program_slug"])
        return stories.stories_of(viewer)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """Your own stories in a program, latest change first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, request=StoryInputSerializer, responses={201: WrittenStorySerializer})
    def post(self, request: Request, program_slug: str) -> Response:
        """Write a story: a draft, or submitted for review with `consent: true`; nothing is saved
        if the title or story is empty or too long, or consent is missing to submit."""
        viewer = stories.writer_in(request.user, program_slug)
        serializer = StoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = stories.submit_story(
                request.user, program=viewer.program, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(_written(request, written), status=status.HTTP_201_CREATED)


class OwnStoryView(APIView):
    @extend_schema(tags=TAGS, responses=OwnStorySerializer)
    def get(self, request: Request, program_slug: str, story_id: int) -> Response:
        """One of your own stories."""
        viewer = stories.writer_in(request.user, program_slug)
        return Response(OwnStorySerializer(stories.get_own_story(viewer, story_id)).data)

    @extend_schema(tags=TAGS, request=StoryInputSerializer, responses=WrittenStorySerializer)
    def put(self, request: Request, program_slug: str, story_id: int) -> Response:
        """Change your story; one under review or published must be submitted again, with
        consent (a published one comes off the public page until it is published again)."""
        viewer = stories.writer_in(request.user, program_slug)
        story = stories.get_own_story(viewer, story_id)
        serializer = StoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = stories.edit_story(request.user, story=story, **serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(_written(request, written))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, program_slug: str, story_id: int) -> Response:
        """Delete your story and its consents; a published one comes down with it."""
        viewer = stories.writer_in(request.user, program_slug)
        stories.delete_story(request.user, story=stories.get_own_story(viewer, story_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentView(APIView):
    @extend_schema(tags=TAGS, responses=ConsentTextSerializer)
    def get(self, request: Request, program_slug: str, story_id: int) -> Response:
        """The words you agree to when you submit this story."""
        viewer = stories.writer_in(request.user, program_slug)
        stories.get_own_story(viewer, story_id)
        return Response(
            {"text": stories.consent_text(viewer.program), "version": stories.CONSENT_VERSION}
        )

    @extend_schema(tags=TAGS, request=ConsentSerializer, responses={201: OwnStorySerializer})
    def post(self, request: Request, program_slug: str, story_id: int) -> Response:
        """Submit your draft (or declined, or withdrawn) story as it is, with your consent."""
        viewer = stories.writer_in(request.user, program_slug)
        story = stories.get_own_story(viewer, story_id)
        serializer = ConsentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data["consent"]:
            raise ValidationError({"consent": [_("Consent is needed to submit a story.")]})
        try:
            stories.give_consent(request.user, story=story)
        except DjangoValidationError as error:
            raise refusal(error) from None
        story.refresh_from_db()
        return Response(OwnStorySerializer(story).data, status=status.HTTP_201_CREATED)


class WithdrawView(APIView):
    @extend_schema(tags=TAGS, request=None, responses=OwnStorySerializer)
    def post(self, request: Request, program_slug: str, story_id: int) -> Response:
        """Withdraw your consent: a published story comes off the public page at once."""
        viewer = stories.writer_in(request.user, program_slug)
        story = stories.get_own_story(viewer, story_id)
        try:
            story = stories.withdraw_consent(request.user, story=story)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(OwnStorySerializer(story).data)


class ReviewListView(generics.ListAPIView):
    serializer_class = ReviewStorySerializer

    def get_queryset(self):
        viewer = access.moderator_in(self.request.user, self.kwargs["program_slug"])
        return stories.stories_to_review(viewer)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """The submitted stories in full, longest waiting first (moderators); anonymous ones
        under their anonymous name."""
        return super().get(request, *args, **kwargs)


class PublishView(APIView):
    @extend_schema(tags=TAGS, request=None, responses=PublicStorySerializer)
    def post(self, request: Request, program_slug: str, story_id: int) -> Response:
        """Publish a submitted story (moderators); refused without the writer's consent in force."""
        viewer = access.moderator_in(request.user, program_slug)
        story = stories.get_story_to_review(viewer, story_id)
        try:
            story = stories.publish_story(request.user, story=story)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(PublicStorySerializer(story).data)


class DeclineView(APIView):
    @extend_schema(tags=TAGS, request=DeclineSerializer, responses={204: None})
    def post(self, request: Request, program_slug: str, story_id: int) -> Response:
        """Decline a submitted story with a note the writer reads (moderators)."""
        viewer = access.moderator_in(request.user, program_slug)
        story = stories.get_story_to_review(viewer, story_id)
        serializer = DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            stories.decline_story(request.user, story=story, note=serializer.validated_data["note"])
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class PublicListView(generics.ListAPIView):
    serializer_class = PublicStorySerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return stories.public_stories(stories.public_program(self.kwargs["program_slug"]))

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """A program's published stories, newest first; open to anyone."""
        return super().get(request, *args, **kwargs)


class PublicStoryView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=TAGS, responses=PublicStorySerializer)
    def get(self, request: Request, program_slug: str, story_id: int) -> Response:
        """One published story; open to anyone."""
        program = stories.public_program(program_slug)
        return Response(PublicStorySerializer(stories.get_public_story(program, story_id)).data)


PROGRAM = "stories/<slug:program_slug>/"
MINE = PROGRAM + "mine/"
REVIEW = PROGRAM + "review/"

urlpatterns = [
    path(PROGRAM, PublicListView.as_view(), name="api-stories"),
    path(PROGRAM + "<int:story_id>/", PublicStoryView.as_view(), name="api-story"),
    path(MINE, OwnStoryListView.as_view(), name="api-own-stories"),
    path(MINE + "<int:story_id>/", OwnStoryView.as_view(), name="api-own-story"),
    path(MINE + "<int:story_id>/consent/", ConsentView.as_view(), name="api-own-story-consent"),
    path(MINE + "<int:story_id>/withdraw/", WithdrawView.as_view(), name="api-own-story-withdraw"),
    path(REVIEW, ReviewListView.as_view(), name="api-stories-review"),
    path(REVIEW + "<int:story_id>/publish/", PublishView.as_view(), name="api-story-publish"),
    path(REVIEW + "<int:story_id>/decline/", DeclineView.as_view(), name="api-story-decline"),
]
