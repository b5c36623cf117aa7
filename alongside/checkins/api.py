"""The check-in API: a member's own check-ins, questionnaires and trends, and staff's view of a
member's trends with the member's consent. alongside/api/urls.py mounts `urlpatterns` under
/api/v1/."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.checkins import access, actions, reports, schedule, scoring, trends
from alongside.checkins.models import ItemKind, QuestionnaireCode, TrackedItem
from alongside.safety.api import CrisisResourcesSerializer
from alongside.safety.support import crisis_support_payload

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _program_of(request: Request, slug: str):
    return access.get_checkin_program_for(request.user, slug)


def _today(user):
    return schedule.local_day(timezone.now(), access.zone_of(user))


def _raise_api_errors(error: DjangoValidationError):
    raise ValidationError(error.message_dict) from None


# --- Check-ins ----------------------------------------------------------------------------------


class CheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.SlugField(source="program.slug")
    day = serializers.DateField(help_text="The member's own calendar day of the check-in.")
    mood = serializers.IntegerField(min_value=1, max_value=10)
    values = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Item key -> answer: a number, or yes / partly / no; unanswered items are left out.",
    )
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CheckInRequestSerializer(serializers.Serializer):
    program = serializers.SlugField(help_text="The short name of a program where you are a member.")
    mood = serializers.IntegerField(allow_null=True, help_text="1 (awful) to 10 (excellent).")
    values = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        default=dict,
        help_text="Item key -> answer (see the program's check-in items); null for unanswered.",
    )
    note = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False
    )
    idempotency_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Or the Idempotency-Key header: the same key again returns the same check-in.",
    )


class CrisisSupportSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="concern or urgent")
    resources = CrisisResourcesSerializer()


class RecordedCheckInSerializer(serializers.Serializer):
    check_in = CheckInSerializer()
    created = serializers.BooleanField(help_text="True when this made today's check-in.")
    replayed = serializers.BooleanField(
        help_text="True when the idempotency key was used before: nothing changed."
    )
    crisis_support = CrisisSupportSerializer(
        required=False, help_text="Only when the note sounds like the member may be in crisis."
    )


def _idempotency_key(request: Request, in_body: uuid.UUID | None) -> uuid.UUID | None:
    header = request.headers.get(IDEMPOTENCY_HEADER)
    if not header:
        return in_body
    try:
        key = uuid.UUID(header)
    except ValueError:
        raise ValidationError(
            {"idempotency_key": ["The Idempotency-Key must be a UUID."]}
        ) from None
    if in_body is not None and in_body != key:
        raise ValidationError(
            {"idempotency_key": ["The Idempotency-Key header and field disagree."]}
        )
    return key


PROGRAM_FILTER = OpenApiParameter("program", str, description="Only this program's check-ins.")


@extend_schema(tags=["checkins"])
class CheckInListView(generics.ListAPIView):
    """Your own check-ins, newest first; record today's with POST."""

    serializer_class = CheckInSerializer

    def get_queryset(self):
        check_ins = access.check_ins_of(self.request.user)
        slug = self.request.query_params.get("program")
        return check_ins.filter(program__slug=slug) if slug else check_ins

    @extend_schema(parameters=[PROGRAM_FILTER])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CheckInRequestSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER, str, location=OpenApiParameter.HEADER, required=False
            )
        ],
        responses={201: RecordedCheckInSerializer, 200: RecordedCheckInSerializer},
    )
    def post(self, request: Request) -> Response:
        """Record today's check-in (201), or replace today's (200); the same idempotency key
        again answers 200 with the check-in it saved and changes nothing."""
        serializer = CheckInRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        key = _idempotency_key(request, data["idempotency_key"])
        program = _program_of(request, data["program"])
        try:
            recorded = actions.record_check_in(
                request.user,
                program=program,
                mood=data["mood"],
                values=data["values"],
                note=data["note"],
                idempotency_key=key,
            )
        except DjangoValidationError as error:
            _raise_api_errors(error)
        body = {
            "check_in": recorded.check_in,
            "created": recorded.created,
            "replayed": recorded.replayed,
        }
        if recorded.show_crisis_panel and recorded.screened is not None:
            body["crisis_support"] = crisis_support_payload(
                request.user, program, assessment=recorded.screened.assessment
            )
        return Response(
            RecordedCheckInSerializer(body).data,
            status=status.HTTP_201_CREATED if recorded.created else status.HTTP_200_OK,
        )


class TrackedItemSerializer(serializers.Serializer):
    key = serializers.SlugField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    tracked = serializers.BooleanField(help_text="True when you track it.")


class CheckInItemsSerializer(serializers.Serializer):
    items = TrackedItemSerializer(many=True)
    remind_at = serializers.TimeField(allow_null=True, help_text="In your own time zone.")
    time_zone = serializers.CharField()


class CheckInItemsView(APIView):
    @extend_schema(tags=["checkins"], responses=CheckInItemsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """What the program lets you track in check-ins, which of them you track, and your
        reminder time."""
        program = _program_of(request, slug)
        preference = access.preference_of(request.user, program)
        tracked = {item.key for item in access.items_tracked_by(request.user, program, preference)}
        body = {
            "items": [
                {
                    "key": item.key,
                    "label": _(item.label),
                    "kind": item.kind,
                    "tracked": item.key in tracked,
                }
                for item in access.program_items_of(program)
            ],
            "remind_at": preference.remind_at if preference else None,
            "time_zone": access.zone_of(request.user),
        }
        return Response(CheckInItemsSerializer(body).data)


# --- Questionnaires -----------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # DRF pops declared fields


class ScheduledQuestionnaireSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=QuestionnaireCode.choices)
    name = serializers.CharField()
    instructions = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    choices = ChoiceSerializer(many=True)
    every_days = serializers.IntegerField()
    last_day = serializers.DateField(allow_null=True)
    next_day = serializers.DateField()
    due = serializers.BooleanField()


class QuestionnaireRequestSerializer(serializers.Serializer):
    questionnaire = serializers.ChoiceField(choices=QuestionnaireCode.choices)
    answers = serializers.ListField(
        child=serializers.IntegerField(allow_null=True),
        help_text="One answer per item, in order; every item must be answered.",
    )


class QuestionnaireResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    questionnaire = serializers.ChoiceField(choices=QuestionnaireCode.choices)
    day = serializers.DateField()
    score = serializers.IntegerField()
    band = serializers.CharField(help_text="The severity band's code, e.g. moderate.")
    band_label = serializers.CharField()
    crisis_support = CrisisSupportSerializer(
        required=False,
        help_text="Only when an answer means someone should reach out: the on-call team was "
        "alerted.",
    )


def _scheduled(item: access.DueQuestionnaire) -> dict:
    definition = item.definition
    return {
        "code": definition.code,
        "name": definition.name,
        "instructions": _(definition.instructions),
        "items": [_(item) for item in definition.items],
        "choices": [{"value": value, "label": _(label)} for value, label in definition.choices],
        "every_days": item.every_days,
        "last_day": item.last_day,
        "next_day": item.next_day,
        "due": item.is_due,
    }


class QuestionnairesView(APIView):
    @extend_schema(tags=["checkins"], responses=ScheduledQuestionnaireSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        """The questionnaires the program asks you for, with their items and whether each is due."""
        program = _program_of(request, slug)
        rows = access.questionnaires_for(request.user, program, _today(request.user))
        return Response(
            ScheduledQuestionnaireSerializer([_scheduled(r) for r in rows], many=True).data
        )

    @extend_schema(
        tags=["checkins"],
        request=QuestionnaireRequestSerializer,
        responses={201: QuestionnaireResultSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Send complete answers; the score and band are computed here. Partial answers are
        refused and nothing is saved."""
        program = _program_of(request, slug)
        serializer = QuestionnaireRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submitted = actions.submit_questionnaire(
                request.user,
                program=program,
                questionnaire=serializer.validated_data["questionnaire"],
                answers=serializer.validated_data["answers"],
            )
        except DjangoValidationError as error:
            _raise_api_errors(error)
        response = submitted.response
        body = {
            "id": response.pk,
            "questionnaire": response.questionnaire,
            "day": response.day,
            "score": response.score,
            "band": response.band,
            "band_label": _(submitted.score.band.label),
        }
        if submitted.show_crisis_panel:
            body["crisis_support"] = crisis_support_payload(
                request.user, program, assessment="urgent"
            )
        return Response(QuestionnaireResultSerializer(body).data, status=status.HTTP_201_CREATED)


# --- Trends -------------------------------------------------------------------------------------


class TrendPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    value = serializers.FloatField(help_text="yes = 1, partly = 0.5, no = 0 for choice items.")


class TrendSeriesSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="mood, an item key, or a questionnaire code.")
    title = serializers.CharField()
    description = serializers.CharField()
    points = TrendPointSerializer(many=True)


class TrendsSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    program = serializers.SlugField()
    days = serializers.IntegerField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    series = TrendSeriesSerializer(many=True)


DAYS_PARAMETER = OpenApiParameter(
    "days", int, enum=list(trends.WINDOWS), description="The window, in days (default 30)."
)


def _days(request: Request) -> int:
    raw = request.query_params.get("days", "30")
    if raw not in {str(days) for days in trends.WINDOWS}:
        raise ValidationError({"days": ["Choose 7, 30 or 90 days."]})
    return int(raw)


def _trends_body(found: reports.Trends) -> dict:
    return {
        "member_id": found.member.pk,
        "program": found.program.slug,
        "days": found.days,
        "first_day": found.first_day,
        "last_day": found.last_day,
        "series": [
            {
                "key": chart.key,
                "title": chart.title,
                "description": chart.description,
                "points": [{"day": p.day, "value": p.value} for p in chart.chart.points],
            }
            for chart in found.charts
        ],
    }


class MyTrendsView(APIView):
    @extend_schema(tags=["checkins"], parameters=[DAYS_PARAMETER], responses=TrendsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """Your mood, tracked items and questionnaire scores over the last 7, 30 or 90 days."""
        program = _program_of(request, slug)
        found = reports.trends_of(
            request.user, program, days=_days(request), today=_today(request.user)
        )
        return Response(TrendsSerializer(_trends_body(found)).data)


class MemberTrendsView(APIView):
    @extend_schema(tags=["checkins"], parameters=[DAYS_PARAMETER], responses=TrendsSerializer)
    def get(self, request: Request, slug: str, member_id: int) -> Response:
        """A member's trends, for the program's coordinators and clinicians: the parts the
        member shares with program staff (all of them under a clinician's emergency access).
        Every view is logged for the member to see."""
        shared = access.get_shared_trends_for(request.user, slug, member_id)
        found = reports.trends_of(
            shared.member,
            shared.program,
            days=_days(request),
            today=_today(shared.member),
            check_ins=shared.shows_check_ins,
            questionnaires=shared.shows_questionnaires,
        )
        actions.record_trends_view(
            request.user,
            shared=shared,
            check_ins=found.check_ins,
            responses=found.responses,
            request=request,
        )
        return Response(TrendsSerializer(_trends_body(found)).data)


# --- How a program runs check-ins (its coordinators and site admins) ---------------------------


class ProgramItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.SlugField(
        read_only=True, help_text="Made from the first name; stays, so answers keep their meaning."
    )
    label = serializers.CharField(  # type: ignore[assignment]  # DRF pops declared fields
        allow_blank=True, trim_whitespace=False, help_text="The name members see."
    )
    kind = serializers.ChoiceField(
        choices=ItemKind.choices, help_text="Set when the item is added; it cannot change later."
    )
    position = serializers.IntegerField(help_text="Smaller numbers come first (0 to 999).")
    is_active = serializers.BooleanField(
        help_text="Offered to members; turned off, it leaves check-ins and charts (answers kept)."
    )


class NewProgramItemSerializer(serializers.Serializer):
    label = serializers.CharField(  # type: ignore[assignment]  # DRF pops declared fields
        allow_blank=True, trim_whitespace=False, help_text="The name members see."
    )
    kind = serializers.ChoiceField(choices=ItemKind.choices)


class ProgramItemChangeSerializer(serializers.Serializer):
    label = serializers.CharField(  # type: ignore[assignment]  # DRF pops declared fields
        allow_blank=True, trim_whitespace=False, required=False
    )
    position = serializers.IntegerField(required=False, allow_null=True)
    is_active = serializers.BooleanField(required=False)


class ScheduleRuleSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=QuestionnaireCode.choices)
    name = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(
        required=False, help_text="The program asks its members for it."
    )
    every_days = serializers.IntegerField(
        required=False, allow_null=True, help_text="Every how many days (1 to 365)."
    )


class CheckInRulesSerializer(serializers.Serializer):
    missed_streak_days = serializers.IntegerField(
        help_text="After this many missed days in a row (1 to 60) a member's sharers hear of it."
    )
    questionnaires = ScheduleRuleSerializer(many=True)
    items = ProgramItemSerializer(
        many=True, read_only=True, help_text="Changed through the items endpoints."
    )


class CheckInRulesChangeSerializer(serializers.Serializer):
    missed_streak_days = serializers.IntegerField(required=False, allow_null=True)
    questionnaires = ScheduleRuleSerializer(
        many=True,
        required=False,
        help_text="Only the questionnaires listed change; fields left out keep their values.",
    )


def _item_body(item: TrackedItem) -> dict:
    return {
        "id": item.pk,
        "key": item.key,
        "label": item.label,
        "kind": item.kind,
        "position": item.position,
        "is_active": item.is_active,
    }


def _rules_body(program) -> dict:
    schedules = {row.questionnaire: row for row in access.every_schedule_of(program)}
    return {
        "missed_streak_days": access.settings_of(program).missed_streak_days,
        "questionnaires": [
            {
                "code": code,
                "name": scoring.get_questionnaire(code).name,
                "is_active": schedules[code].is_active,
                "every_days": schedules[code].every_days,
            }
            for code in scoring.QUESTIONNAIRES
            if code in schedules
        ],
        "items": [_item_body(item) for item in access.every_item_of(program)],
    }


def _rule_error_key(key: str) -> str:
    """The action's error key as the API names the field: "phq9_every_days" becomes
    "questionnaires.phq9.every_days", "schedules" becomes "questionnaires"."""
    if key == "schedules":
        return "questionnaires"
    code, _sep, field = key.partition("_")
    if code in scoring.QUESTIONNAIRES and field:
        return f"questionnaires.{code}.{field}"
    return key


class CheckInRulesView(APIView):
    """How a program runs check-ins, for its coordinators and site admins (404 for anyone else)."""

    @extend_schema(tags=["checkins"], responses=CheckInRulesSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """The missed-streak threshold, the questionnaire schedule and every tracked item."""
        program = access.get_managed_program_for(request.user, slug)
        return Response(CheckInRulesSerializer(_rules_body(program)).data)

    @extend_schema(
        tags=["checkins"], request=CheckInRulesChangeSerializer, responses=CheckInRulesSerializer
    )
    def put(self, request: Request, slug: str) -> Response:
        """Change the threshold and the questionnaires listed; whatever is left out keeps its
        value. Bad input answers 400 naming each field, and nothing is saved."""
        program = access.get_managed_program_for(request.user, slug)
        serializer = CheckInRulesChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = {row.questionnaire: row for row in access.every_schedule_of(program)}
        listed = [rule["code"] for rule in data.get("questionnaires", [])]
        if len(set(listed)) != len(listed):
            raise ValidationError({"questionnaires": [_("List each questionnaire once.")]})
        choices = []
        for rule in data.get("questionnaires", []):
            row = current.get(rule["code"])
            choices.append(
                actions.ScheduleChoice(
                    rule["code"],
                    rule.get("is_active", row.is_active if row else False),
                    rule.get("every_days", row.every_days if row else None),
                )
            )
        try:
            actions.set_program_check_in_rules(
                request.user,
                program=program,
                missed_streak_days=data.get(
                    "missed_streak_days", access.settings_of(program).missed_streak_days
                ),
                schedules=choices,
            )
        except DjangoValidationError as error:
            raise ValidationError(
                {_rule_error_key(key): messages for key, messages in error.message_dict.items()}
            ) from None
        return Response(CheckInRulesSerializer(_rules_body(program)).data)

    @extend_schema(
        tags=["checkins"], request=CheckInRulesChangeSerializer, responses=CheckInRulesSerializer
    )
    def patch(self, request: Request, slug: str) -> Response:
        """The same as PUT: fields left out keep their values."""
        return self.put(request, slug)


class ProgramItemsView(APIView):
    """The items a program's members may track, for its coordinators and site admins."""

    @extend_schema(tags=["checkins"], responses=ProgramItemSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        """Every item of the program, offered or turned off, in order."""
        program = access.get_managed_program_for(request.user, slug)
        return Response(
            ProgramItemSerializer(
                [_item_body(item) for item in access.every_item_of(program)], many=True
            ).data
        )

    @extend_schema(
        tags=["checkins"],
        request=NewProgramItemSerializer,
        responses={201: ProgramItemSerializer},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Offer a new item after the others. A name the program has already is refused: turn
        that item back on instead."""
        program = access.get_managed_program_for(request.user, slug)
        serializer = NewProgramItemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            item = actions.add_tracked_item(
                request.user, program=program, **serializer.validated_data
            )
        except DjangoValidationError as error:
            _raise_api_errors(error)
        return Response(
            ProgramItemSerializer(_item_body(item)).data, status=status.HTTP_201_CREATED
        )


class ProgramItemView(APIView):
    """One tracked item of a program, for its coordinators and site admins."""

    @extend_schema(tags=["checkins"], responses=ProgramItemSerializer)
    def get(self, request: Request, slug: str, item_id: int) -> Response:
        program = access.get_managed_program_for(request.user, slug)
        item = access.get_tracked_item_for(program, item_id)
        return Response(ProgramItemSerializer(_item_body(item)).data)

    @extend_schema(
        tags=["checkins"], request=ProgramItemChangeSerializer, responses=ProgramItemSerializer
    )
    def put(self, request: Request, slug: str, item_id: int) -> Response:
        """Rename, move or turn the item on or off; fields left out keep their values. Its kind
        and key never change."""
        program = access.get_managed_program_for(request.user, slug)
        item = access.get_tracked_item_for(program, item_id)
        serializer = ProgramItemChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            actions.update_tracked_item(
                request.user,
                item=item,
                label=data.get("label", item.label),
                position=data.get("position", item.position),
                is_active=data.get("is_active", item.is_active),
            )
        except DjangoValidationError as error:
            _raise_api_errors(error)
        return Response(ProgramItemSerializer(_item_body(item)).data)

    @extend_schema(
        tags=["checkins"], request=ProgramItemChangeSerializer, responses=ProgramItemSerializer
    )
    def patch(self, request: Request, slug: str, item_id: int) -> Response:
        """The same as PUT: fields left out keep their values."""
        return self.put(request, slug, item_id)


urlpatterns = [
    path("me/checkins/", CheckInListView.as_view(), name="api-checkins"),
    path(
        "programs/<slug:slug>/checkin-items/", CheckInItemsView.as_view(), name="api-checkin-items"
    ),
    path(
        "programs/<slug:slug>/questionnaires/",
        QuestionnairesView.as_view(),
        name="api-questionnaires",
    ),
    path("programs/<slug:slug>/trends/", MyTrendsView.as_view(), name="api-my-trends"),
    path(
        "programs/<slug:slug>/members/<int:member_id>/trends/",
        MemberTrendsView.as_view(),
        name="api-member-trends",
    ),
    path(
        "programs/<slug:slug>/checkin-settings/",
        CheckInRulesView.as_view(),
        name="api-checkin-settings",
    ),
    path(
        "programs/<slug:slug>/checkin-settings/items/",
        ProgramItemsView.as_view(),
        name="api-checkin-settings-items",
    ),
    path(
        "programs/<slug:slug>/checkin-settings/items/<int:item_id>/",
        ProgramItemView.as_view(),
        name="api-checkin-settings-item",
    ),
]
