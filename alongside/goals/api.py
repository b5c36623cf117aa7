"""The goals API: your goals and those of your pairs and groups, with their steps, progress,
comments and cheers; goals members share with staff; your recovery counter. alongside/api/urls.py mounts it under /api/v1/.

Answers to writing that screening flagged carry `crisis_support` (the level and crisis lines);
it is null otherwise.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.core.api import refusal
from alongside.goals import access, actions, recovery
from alongside.goals.access import OpenedGoal
from alongside.goals.badges import badge_label
from alongside.goals.models import (
    COMMENT_LENGTH,
    HOW_LENGTH,
    MILESTONE_LENGTH,
    UPDATE_LENGTH,
    WHAT_LENGTH,
    WHY_LENGTH,
    OwnerKind,
    Status,
    Visibility,
)
from alongside.safety.api import PersonSerializer
from alongside.safety.support import crisis_support_payload

TAGS = ["goals"]
PERCENT_ERROR = "Give a percentage from 0 to 100, or leave it empty."


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "Null unless screening flagged what you wrote: then the level (concern "
        "or urgent) and the crisis lines to offer, your program's first.",
        "properties": {
            "level": {"type": "string", "enum": ["concern", "urgent"]},
            "resources": {"$ref": "#/components/schemas/CrisisResources"},
        },
        "required": ["level", "resources"],
    }
)
class CrisisSupportField(serializers.JSONField):
    """What `crisis_support_payload` gives, or null."""


def _crisis_support(request: Request, written: actions.Written, program) -> dict | None:
    if not written.show_crisis_panel or written.screened is None:
        return None
    return crisis_support_payload(request.user, program, assessment=written.screened.assessment)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "The member who owns the goal; null for a pair or group goal.",
        "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}},
        "required": ["id", "display_name"],
    }
)
class OwnerField(serializers.Field):
    """The owning member as PersonSerializer shows a person, or null (OpenAPI 3.0 cannot mark a
    referenced schema nullable plainly)."""

    def to_representation(self, value) -> dict:
        return PersonSerializer(value).data


class CheerSerializer(serializers.Serializer):
    person = PersonSerializer()
    created_at = serializers.DateTimeField()


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True, help_text="1 is the first step.")
    title = serializers.CharField(max_length=MILESTONE_LENGTH)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    reached_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cheers = CheerSerializer(many=True, read_only=True, source="cheers.all")


class ProgressUpdateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=UPDATE_LENGTH)
    percent = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=100,
        error_messages={"min_value": PERCENT_ERROR, "max_value": PERCENT_ERROR},
        help_text="How far along, 0 to 100; optional.",
    )
    created_at = serializers.DateTimeField(read_only=True)


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = PersonSerializer(read_only=True)
    text = serializers.CharField(max_length=COMMENT_LENGTH)
    created_at = serializers.DateTimeField(read_only=True)


class GoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    program = serializers.SlugField(
        source="program.slug",
        required=False,
        help_text="For your own goal: the short name of a program where you are a member; "
        "may be left out when you are a member of one only. A pair or group goal is in its "
        "pairing's or group's program. Cannot be changed.",
    )
    owner_kind = serializers.ChoiceField(
        choices=OwnerKind.choices,
        required=False,
        default=OwnerKind.MEMBER,
        help_text="member: your own goal; pair: a goal of one of your pairings (either of its "
        "two people may set one); group: a goal of a group you facilitate. Cannot be changed.",
    )
    owner_id = serializers.IntegerField(
        source="owner_pk",
        required=False,
        allow_null=True,
        default=None,
        help_text="The pairing's id for a pair goal, the group's id for a group goal; for "
        "your own goal leave it out (it reads as the owner's user id).",
    )
    owner = OwnerField(source="owner_member", read_only=True)
    what = serializers.CharField(max_length=WHAT_LENGTH)
    why = serializers.CharField(max_length=WHY_LENGTH, allow_blank=True, required=False, default="")
    how_measured = serializers.CharField(
        max_length=HOW_LENGTH, allow_blank=True, required=False, default=""
    )
    target_date = serializers.DateField(help_text="Today or later (in your time zone) when set.")
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices,
        required=False,
        default=Visibility.PRIVATE,
        help_text="staff: your program's coordinators and clinicians, while you consent to "
        "sharing your goals with them. Only for your own goal: a pair or group goal is seen by "
        "its pair or group.",
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)


class GoalSummarySerializer(GoalSerializer):
    milestone_count = serializers.IntegerField(read_only=True)
    reached_count = serializers.IntegerField(read_only=True)


class GoalDetailSerializer(GoalSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True, source="milestones.all")
    progress_updates = ProgressUpdateSerializer(
        many=True, read_only=True, source="progress_updates.all", help_text="Newest first."
    )
    comments = CommentSerializer(many=True, read_only=True, source="comments.all")
    crisis_support = CrisisSupportField(read_only=True, allow_null=True)


class GoalChangeSerializer(serializers.Serializer):
    what = serializers.CharField(max_length=WHAT_LENGTH, required=False)
    why = serializers.CharField(max_length=WHY_LENGTH, allow_blank=True, required=False)
    how_measured = serializers.CharField(max_length=HOW_LENGTH, allow_blank=True, required=False)
    target_date = serializers.DateField(required=False)
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)


class WrittenMilestoneSerializer(MilestoneSerializer):
    crisis_support = CrisisSupportField(read_only=True, allow_null=True)


class WrittenProgressSerializer(ProgressUpdateSerializer):
    crisis_support = CrisisSupportField(read_only=True, allow_null=True)


class WrittenCommentSerializer(CommentSerializer):
    crisis_support = CrisisSupportField(read_only=True, allow_null=True)


class ReachedSerializer(serializers.Serializer):
    milestone = MilestoneSerializer()
    newly_reached = serializers.BooleanField(
        help_text="False when the step was already reached: nobody is told twice."
    )


class CheeredSerializer(serializers.Serializer):
    milestone = MilestoneSerializer()
    newly_cheered = serializers.BooleanField(help_text="False when you had cheered it already.")


def _detail(opened: OpenedGoal, crisis_support=None) -> dict:
    goal = access.goal_page_parts(opened.goal)
    data = GoalDetailSerializer(goal).data
    data["crisis_support"] = crisis_support
    return data


def _program_for(request: Request, slug: str | None):
    programs = access.goal_programs_of(request.user)
    if slug:
        program = next((p for p in programs if p.slug == slug), None)
        if program is None:
            raise ValidationError({"program": ["You are not a member of a program called that."]})
        return program
    if not programs:
        raise Http404
    if len(programs) > 1:
        raise ValidationError({"program": ["You are a member of several programs: say which one."]})
    return programs[0]


def _create(request: Request, data: dict) -> actions.Written:
    smart = {name: data[name] for name in ("what", "why", "how_measured", "target_date")}
    kind, owner_id = data["owner_kind"], data.get("owner_pk")
    if kind == OwnerKind.PAIR:
        pairing = next((p for p in access.pairs_of(request.user) if p.pk == owner_id), None)
        if pairing is None:
            raise ValidationError({"owner_id": ["Give the id of a pairing you are in now."]})
        return actions.create_pair_goal(request.user, pairing=pairing, **smart)
    if kind == OwnerKind.GROUP:
        group = next((g for g in access.groups_led_by(request.user) if g.pk == owner_id), None)
        if group is None:
            raise ValidationError({"owner_id": ["Give the id of a group you facilitate."]})
        return actions.create_group_goal(request.user, group=group, **smart)
    program = _program_for(request, data.get("program", {}).get("slug"))
    return actions.create_goal(
        request.user, program=program, visibility=data["visibility"], **smart
    )


class GoalListView(generics.ListAPIView):
    serializer_class = GoalSummarySerializer

    def get_queryset(self):
        return access.all_goals_of(self.request.user)

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        """Your own goals and those of your pairs and groups: working on them first, then by
        target date."""
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, request=GoalSerializer, responses={201: GoalDetailSerializer})
    def post(self, request: Request) -> Response:
        """Set a goal of your own, of one of your pairings or of a group you facilitate;
        nothing is saved if a field is invalid (a past target date, say)."""
        serializer = GoalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = _create(request, serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        opened = access.get_goal_for(request.user, written.item.pk, need="view")
        body = _detail(opened, _crisis_support(request, written, written.item.program))
        return Response(body, status=status.HTTP_201_CREATED)


class GoalDetailView(APIView):
    @extend_schema(tags=TAGS, responses=GoalDetailSerializer)
    def get(self, request: Request, goal_id: int) -> Response:
        """One goal with its steps, progress and comments: yours, your pair's or group's, or one
        a member shares with you as program staff or peer supporter (the read is logged)."""
        opened = access.get_goal_for(request.user, goal_id, need="view")
        actions.read_shared_goal(request.user, opened=opened, request=request)
        return Response(_detail(opened))

    @extend_schema(tags=TAGS, request=GoalChangeSerializer, responses=GoalDetailSerializer)
    def patch(self, request: Request, goal_id: int) -> Response:
        """Change a goal you may change (yours, your pair's, or your group's as its facilitator):
        only the fields given change; nothing is saved if one is invalid."""
        opened = access.get_goal_for(request.user, goal_id, need="edit")
        goal = opened.goal
        serializer = GoalChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fields = ("what", "why", "how_measured", "target_date", "visibility")
        crisis_support = None
        try:
            if any(name in data for name in fields):
                written = actions.update_goal(
                    request.user,
                    goal=goal,
                    **{name: data.get(name, getattr(goal, name)) for name in fields},
                )
                crisis_support = _crisis_support(request, written, goal.program)
            if "status" in data:
                actions.set_goal_status(request.user, goal=goal, status=data["status"])
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(_detail(opened, crisis_support))

    @extend_schema(tags=TAGS, responses={204: None})
    def delete(self, request: Request, goal_id: int) -> Response:
        """Delete your goal with its steps, progress, comments and cheers."""
        opened = access.get_goal_for(request.user, goal_id, need="edit")
        actions.delete_goal(request.user, goal=opened.goal)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MilestoneListView(APIView):
    @extend_schema(
        tags=TAGS, request=MilestoneSerializer, responses={201: WrittenMilestoneSerializer}
    )
    def post(self, request: Request, goal_id: int) -> Response:
        """Add a step at the end of your goal."""
        opened = access.get_goal_for(request.user, goal_id, need="edit")
        serializer = MilestoneSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = actions.add_milestone(
                request.user,
                goal=opened.goal,
                title=serializer.validated_data["title"],
                due_date=serializer.validated_data["due_date"],
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        body = {
            **MilestoneSerializer(written.item).data,
            "crisis_support": _crisis_support(request, written, opened.goal.program),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ReachMilestoneView(APIView):
    @extend_schema(tags=TAGS, request=None, responses=ReachedSerializer)
    def post(self, request: Request, goal_id: int, milestone_id: int) -> Response:
        """Mark a step of your goal reached; the people you share the goal with are told once."""
        opened = access.get_goal_for(request.user, goal_id, need="edit")
        milestone = access.get_milestone_for(opened, milestone_id)
        newly = actions.reach_milestone(request.user, goal=opened.goal, milestone=milestone)
        milestone.refresh_from_db()
        return Response(ReachedSerializer({"milestone": milestone, "newly_reached": newly}).data)


class CheerMilestoneView(APIView):
    @extend_schema(tags=TAGS, request=None, responses=CheeredSerializer)
    def post(self, request: Request, goal_id: int, milestone_id: int) -> Response:
        """Cheer a reached step of a goal shared with you, once; the member is told."""
        opened = access.get_goal_for(request.user, goal_id, need="cheer")
        milestone = access.get_milestone_for(opened, milestone_id)
        try:
            newly = actions.cheer_milestone(request.user, opened=opened, milestone=milestone)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(CheeredSerializer({"milestone": milestone, "newly_cheered": newly}).data)


class ProgressListView(APIView):
    @extend_schema(
        tags=TAGS, request=ProgressUpdateSerializer, responses={201: WrittenProgressSerializer}
    )
    def post(self, request: Request, goal_id: int) -> Response:
        """Write down progress on your goal, with how far along you are (optional, 0-100)."""
        opened = access.get_goal_for(request.user, goal_id, need="progress")
        serializer = ProgressUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = actions.add_progress_update(
                request.user,
                goal=opened.goal,
                text=serializer.validated_data["text"],
                percent=serializer.validated_data["percent"],
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        body = {
            **ProgressUpdateSerializer(written.item).data,
            "crisis_support": _crisis_support(request, written, opened.goal.program),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class CommentListView(APIView):
    @extend_schema(tags=TAGS, request=CommentSerializer, responses={201: WrittenCommentSerializer})
    def post(self, request: Request, goal_id: int) -> Response:
        """Comment on your goal, or on one a member shares with you as program staff."""
        opened = access.get_goal_for(request.user, goal_id, need="comment")
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            written = actions.add_comment(
                request.user, opened=opened, text=serializer.validated_data["text"]
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        body = {
            **CommentSerializer(written.item).data,
            "crisis_support": _crisis_support(request, written, opened.goal.program),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class SharedGoalListView(generics.ListAPIView):
    """Goals members of the program share: with its staff for its coordinators and clinicians,
    with their peer supporter for a supporter; each goal listed is logged as a read."""

    serializer_class = GoalSummarySerializer

    def get_queryset(self):
        self.program, self.role = access.get_shared_goals_program_for(
            self.request.user, self.kwargs["slug"]
        )
        return access.goals_shared_with(self.request.user, self.program, self.role)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            actions.read_shared_goal_list(
                self.request.user,
                program=self.program,
                role=self.role,
                goals=page,
                request=self.request,
            )
        return page

    @extend_schema(tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class BadgeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="days-1, days-7 ... days-180, years-1, years-2 ...")
    label = serializers.CharField()  # type: ignore[assignment]
    reached_on = serializers.DateField()


class RecoveryCounterSerializer(serializers.Serializer):
    started_on = serializers.DateField(
        allow_null=True, help_text="Null before you start a counter."
    )
    days = serializers.IntegerField(
        allow_null=True, help_text="Whole days since the start, on your own calendar."
    )
    shown_on_profile = serializers.BooleanField()
    badges = BadgeSerializer(many=True, help_text="Reached, oldest first.")
    # Flat rather than a nullable nested object, which OpenAPI 3.0 cannot say plainly.
    next_badge_label = serializers.CharField(
        allow_null=True, help_text="The next badge, like '30 days'; null before you start."
    )
    next_badge_on = serializers.DateField(
        allow_null=True, help_text="The day the next badge is reached."
    )
    earlier_starts = serializers.ListField(
        child=serializers.DictField(child=serializers.DateField()),
        help_text="Your earlier counts ({started_on, ended_on}), newest first: yours alone.",
    )


class RecoveryCounterChangeSerializer(serializers.Serializer):
    started_on = serializers.DateField(
        required=False,
        help_text="Today or earlier, in your time zone. A new date starts the count again and "
        "keeps the old one in your private history.",
    )
    shown_on_profile = serializers.BooleanField(required=False)


def _badge(badge: recovery.Badge) -> dict:
    return {"key": badge.key, "label": badge_label(badge), "reached_on": badge.reached_on}


def _counter_data(user) -> dict:
    counter = access.own_recovery_counter(user)
    earlier = [
        {"started_on": restart.started_on, "ended_on": restart.ended_on}
        for restart in access.recovery_restarts_of(user)
    ]
    if counter is None:
        return {
            "started_on": None,
            "days": None,
            "shown_on_profile": False,
            "badges": [],
            "next_badge_label": None,
            "next_badge_on": None,
            "earlier_starts": earlier,
        }
    today = actions.local_today(user)
    upcoming = recovery.next_badge(counter.started_on, today)
    return {
        "started_on": counter.started_on,
        "days": recovery.days_in_recovery(counter.started_on, today),
        "shown_on_profile": counter.shown_on_profile,
        "badges": [_badge(b) for b in recovery.badges_reached(counter.started_on, today)],
        "next_badge_label": badge_label(upcoming),
        "next_badge_on": upcoming.reached_on,
        "earlier_starts": earlier,
    }


class RecoveryCounterView(APIView):
    @extend_schema(tags=TAGS, responses=RecoveryCounterSerializer)
    def get(self, request: Request) -> Response:
        """Your days-in-recovery counter and its badges; a new badge is celebrated once."""
        actions.celebrate_recovery_badges(request.user)
        return Response(RecoveryCounterSerializer(_counter_data(request.user)).data)

    @extend_schema(
        tags=TAGS, request=RecoveryCounterChangeSerializer, responses=RecoveryCounterSerializer
    )
    def patch(self, request: Request) -> Response:
        """Start your counter (or start it again) and choose whether your profile shows it."""
        serializer = RecoveryCounterChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if "started_on" in data:
                actions.set_recovery_start(request.user, started_on=data["started_on"])
            elif access.own_recovery_counter(request.user) is None:
                raise DjangoValidationError({"started_on": "Choose the day your recovery started."})
            if "shown_on_profile" in data:
                actions.show_recovery_counter(request.user, shown=data["shown_on_profile"])
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(RecoveryCounterSerializer(_counter_data(request.user)).data)


GOAL = "goals/<int:goal_id>/"
MILESTONE = GOAL + "milestones/<int:milestone_id>/"

urlpatterns = [
    path("goals/", GoalListView.as_view(), name="api-goals"),
    path(GOAL, GoalDetailView.as_view(), name="api-goal"),
    path(GOAL + "milestones/", MilestoneListView.as_view(), name="api-goal-milestones"),
    path(MILESTONE + "reach/", ReachMilestoneView.as_view(), name="api-goal-milestone-reach"),
    path(MILESTONE + "cheer/", CheerMilestoneView.as_view(), name="api-goal-milestone-cheer"),
    path(GOAL + "progress/", ProgressListView.as_view(), name="api-goal-progress"),
    path(GOAL + "comments/", CommentListView.as_view(), name="api-goal-comments"),
    path(
        "programs/<slug:slug>/shared-goals/",
        SharedGoalListView.as_view(),
        name="api-program-shared-goals",
    ),
    path("me/recovery-counter/", RecoveryCounterView.as_view(), name="api-me-recovery-counter"),
]
