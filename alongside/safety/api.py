"""The safety API: escalations, on-call roster, concern flags, safety plans and crisis resources."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.core.api import refusal
from alongside.safety import access, actions, resources, support, writing
from alongside.safety.models import (
    SAFETY_PLAN_SECTIONS,
    EventKind,
    FlagLevel,
    Origin,
    Outcome,
    SafetyPlan,
    State,
)

# --- Member side: safety plans, crisis resources, help now ------------------------------------


class HelpLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField(help_text="As written, for reading out; empty without one.")
    phone_uri = serializers.CharField(help_text="Digits for a tel: link.")
    text_number = serializers.CharField(help_text="Where to send a text; empty without one.")
    text_keyword = serializers.CharField(help_text="What to write first, when the service asks.")
    text_uri = serializers.CharField(help_text="An sms: link with the keyword filled in.")
    chat_url = serializers.CharField(help_text="Online chat; empty without one.")
    always_open = serializers.BooleanField()
    hours = serializers.CharField(help_text="When it is open, if not at all hours.")
    languages = serializers.ListField(child=serializers.CharField(), help_text="ISO 639-1 codes.")
    from_program = serializers.BooleanField(help_text="True for the program's own crisis line.")


class CrisisResourcesSerializer(serializers.Serializer):
    country = serializers.CharField(
        allow_null=True, help_text="ISO 3166 code; null when no lines are known for it."
    )
    program_name = serializers.CharField(help_text="Empty when no program's line is included.")
    lines = HelpLineSerializer(
        many=True, help_text="In the order to offer them: the program's own line first."
    )
    emergency_number = serializers.CharField(
        help_text="Empty when unknown: then say 'your local emergency number'."
    )
    fallback_url = serializers.URLField(help_text="Helplines of every country.")


COUNTRY_PARAMETER = OpenApiParameter(
    "country",
    str,
    description="An ISO 3166 alpha-2 code (GB, MX ...): that country's lines instead of yours.",
)


class CrisisResourcesView(APIView):
    @extend_schema(
        tags=["safety"], parameters=[COUNTRY_PARAMETER], responses=CrisisResourcesSerializer
    )
    def get(self, request: Request) -> Response:
        """The crisis lines for you: your program's line first, then your country's, then the
        emergency number; with ?country=, that country's lines."""
        code = request.query_params.get("country")
        if code is None:
            programs = access.help_programs_of(request.user)
            found = resources.crisis_resources_for(request.user, programs[0] if programs else None)
        elif re.fullmatch(r"[A-Za-z]{2}", code):
            found = resources.resources_for_country(code)
        else:
            raise ValidationError({"country": ["Use a two-letter ISO 3166 code, like GB."]})
        return Response(CrisisResourcesSerializer(found.as_dict()).data)


def _plan_field(name: str) -> serializers.CharField:
    return serializers.CharField(
        allow_blank=True,
        max_length=support.section_limit(name),
        help_text=support.section_heading(name),
    )


class SafetyPlanSerializer(serializers.Serializer):
    """The seven sections of a safety plan (Stanley-Brown), in order; empty strings for unfilled."""

    warning_signs = _plan_field("warning_signs")
    coping_strategies = _plan_field("coping_strategies")
    distractions = _plan_field("distractions")
    people_to_ask = _plan_field("people_to_ask")
    professionals = _plan_field("professionals")
    safe_environment = _plan_field("safe_environment")
    reasons_to_live = _plan_field("reasons_to_live")
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Null before the plan is first saved."
    )


def _plan_data(plan: SafetyPlan | None) -> dict:
    return {
        **{name: getattr(plan, name) if plan else "" for name in SAFETY_PLAN_SECTIONS},
        "updated_at": plan.updated_at if plan else None,
    }


class OwnSafetyPlanView(APIView):
    @extend_schema(tags=["safety"], responses=SafetyPlanSerializer)
    def get(self, request: Request) -> Response:
        """Your own safety plan; every section empty before you start one."""
        plan = access.own_safety_plan(request.user)
        return Response(SafetyPlanSerializer(_plan_data(plan)).data)

    @extend_schema(tags=["safety"], request=SafetyPlanSerializer, responses=SafetyPlanSerializer)
    def put(self, request: Request) -> Response:
        """Replace your safety plan with the seven sections given; nothing is saved if one is
        invalid."""
        serializer = SafetyPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            plan = actions.save_safety_plan(request.user, sections=serializer.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response(SafetyPlanSerializer(_plan_data(plan)).data)


class SharedPlanSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    member_name = serializers.CharField()
    program = serializers.SlugField()
    emergency_access = serializers.BooleanField(
        help_text="True when read under emergency access rather than the member's consent."
    )
    plan = SafetyPlanSerializer(
        help_text="Every section empty and updated_at null while the member has none."
    )


class MemberSafetyPlanView(APIView):
    @extend_schema(tags=["safety"], responses=SharedPlanSerializer)
    def get(self, request: Request, slug: str, member_id: int) -> Response:
        """A member's safety plan, for the program's coordinators and clinicians while the member
        shares it with staff (or a clinician's emergency access lasts); the read is logged."""
        shared = access.get_shared_plan_for(request.user, slug, member_id)
        plan = actions.read_shared_plan(request.user, shared=shared, request=request)
        data = {
            "member_id": shared.member.pk,
            "member_name": shared.member.display_name,
            "program": shared.program.slug,
            "emergency_access": shared.emergency,
            "plan": _plan_data(plan),
        }
        return Response(SharedPlanSerializer(data).data)


class HelpNowRequestSerializer(serializers.Serializer):
    program = serializers.SlugField(
        required=False,
        help_text="The short name of a program where you are a member; "
        "may be left out when you are a member of one only.",
    )
    consent = serializers.BooleanField(
        help_text="Must be true: you agree that the on-call team is alerted and contacts you."
    )
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional, for the people on call only; stored encrypted.",
    )

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise ValidationError("Agree to alert the on-call team, or use the crisis lines.")
        return value


class HelpRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.SlugField(source="program.slug")
    state = serializers.CharField()
    created_at = serializers.DateTimeField()


class HelpNowResponseSerializer(serializers.Serializer):
    opened = serializers.BooleanField(
        help_text="False when your request joined one of yours still waiting to be picked up."
    )
    escalation = HelpRequestSerializer()
    resources = CrisisResourcesSerializer()


class HelpNowView(APIView):
    @extend_schema(
        tags=["safety"],
        request=HelpNowRequestSerializer,
        responses={201: HelpNowResponseSerializer, 200: HelpNowResponseSerializer},
    )
    def post(self, request: Request) -> Response:
        """Ask your program's on-call team to contact you now (201); asking again within 30
        minutes, while your first request waits, adds to it (200)."""
        serializer = HelpNowRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        slug = serializer.validated_data.get("program")
        if slug:
            program = access.get_help_program_for(request.user, slug)
        else:
            programs = access.help_programs_of(request.user)
            if not programs:
                raise Http404
            if len(programs) > 1:
                raise ValidationError(
                    {"program": ["You are a member of several programs: say which one."]}
                )
            program = programs[0]
        requested = actions.ask_for_help(
            request.user, program=program, message=serializer.validated_data["message"]
        )
        body = {
            "opened": requested.opened,
            "escalation": requested.escalation,
            "resources": resources.crisis_resources_for(request.user, program).as_dict(),
        }
        return Response(
            HelpNowResponseSerializer(body).data,
            status=status.HTTP_201_CREATED if requested.opened else status.HTTP_200_OK,
        )


member_urlpatterns = [
    path("me/safety-plan/", OwnSafetyPlanView.as_view(), name="api-me-safety-plan"),
    path("crisis-resources/", CrisisResourcesView.as_view(), name="api-crisis-resources"),
    path("help-now/", HelpNowView.as_view(), name="api-help-now"),
    path(
        "programs/<slug:slug>/members/<int:member_id>/safety-plan/",
        MemberSafetyPlanView.as_view(),
        name="api-member-safety-plan",
    ),
]


# --- Staff side: escalations, on-call roster, concern flags -----------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class EscalationEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices)
    at = serializers.DateTimeField()
    # Display names only, or null: who acted, and for "notified" who was alerted.
    actor = serializers.CharField(source="actor.display_name", allow_null=True, default=None)
    recipient = serializers.CharField(
        source="recipient.display_name", allow_null=True, default=None
    )
    tier = serializers.IntegerField(help_text="The step of the alert chain, 0 first.")
    note = serializers.CharField(allow_blank=True)


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.SlugField(source="program.slug")
    member = PersonSerializer()
    origin = serializers.ChoiceField(choices=Origin.choices)
    categories = serializers.ListField(child=serializers.CharField())
    state = serializers.ChoiceField(choices=State.choices)
    tier = serializers.IntegerField(help_text="How many times it was passed on.")
    acknowledge_by = serializers.DateTimeField(
        allow_null=True, help_text="While open: when it goes to the next person."
    )
    acknowledged_by = serializers.CharField(
        source="acknowledged_by.display_name",
        allow_null=True,
        default=None,
        help_text="The display name of who took it on.",
    )
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(
        allow_blank=True, help_text="One of the outcomes, once recorded."
    )
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class EscalationDetailSerializer(EscalationSerializer):
    member_message = serializers.CharField(allow_blank=True)
    flagged_words = serializers.ListField(
        child=serializers.CharField(),
        help_text="For one opened by screening: the member's words that were flagged, each once,"
        " at most five; none for what was written under an anonymous name.",
    )
    flagged_as_a_whole = serializers.BooleanField(
        help_text="For one opened by screening: the wording as a whole raised it."
    )
    events = EscalationEventSerializer(
        many=True, source="timeline", help_text="The timeline, oldest first."
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=4000)


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=4000)


class OutcomeSerializer(NoteSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)


@extend_schema(tags=["safety"])
class EscalationListView(generics.ListAPIView):
    """The program's escalations, open ones first (overdue first), then newest; for its
    clinicians, coordinators and site admins. Each listing is logged as a read."""

    serializer_class = EscalationSerializer

    def get_queryset(self):
        program = access.get_staff_program_for(self.request.user, self.kwargs["slug"], "respond")
        return access.escalations_of(program)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            actions.record_escalation_list_view(
                self.request.user, program=page[0].program, escalations=page, request=self.request
            )
        return page


def _escalation_for(request: Request, slug: str, escalation_id: int):
    program = access.get_staff_program_for(request.user, slug, "respond")
    return access.get_escalation_for(request.user, program, escalation_id)


def _detail(escalation) -> Response:
    escalation.timeline = list(access.timeline_of(escalation))
    return Response(EscalationDetailSerializer(escalation).data)


class EscalationDetailView(APIView):
    @extend_schema(tags=["safety"], responses=EscalationDetailSerializer)
    def get(self, request: Request, slug: str, escalation_id: int) -> Response:
        """One escalation with the member's message and its timeline; logged as a read."""
        escalation = _escalation_for(request, slug, escalation_id)
        actions.record_escalation_view(request.user, escalation=escalation, request=request)
        return _detail(escalation)


class EscalationStepView(APIView):
    """A step of the escalation's state machine; subclasses name the action and its input."""

    request_serializer: type[serializers.Serializer] = NoteSerializer

    def act(self, user, escalation, data) -> None:
        raise NotImplementedError

    def post(self, request: Request, slug: str, escalation_id: int) -> Response:
        escalation = _escalation_for(request, slug, escalation_id)
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            self.act(request.user, escalation, serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        escalation = _escalation_for(request, slug, escalation_id)
        return _detail(escalation)


def _step_schema(summary: str, request_serializer):
    return extend_schema(
        tags=["safety"],
        summary=summary,
        request=request_serializer,
        responses=EscalationDetailSerializer,
    )


class AcknowledgeView(EscalationStepView):
    request_serializer = serializers.Serializer

    @_step_schema("Take the escalation on; 400 names who did if someone was first.", None)
    def post(self, request: Request, slug: str, escalation_id: int) -> Response:
        return super().post(request, slug, escalation_id)

    def act(self, user, escalation, data) -> None:
        actions.acknowledge_escalation(user, escalation=escalation)


class ContactView(EscalationStepView):
    @_step_schema("Record that someone reached the member.", NoteSerializer)
    def post(self, request: Request, slug: str, escalation_id: int) -> Response:
        return super().post(request, slug, escalation_id)

    def act(self, user, escalation, data) -> None:
        actions.record_contact(user, escalation=escalation, note=data["note"])


class OutcomeView(EscalationStepView):
    request_serializer = OutcomeSerializer

    @_step_schema("Record how it ended.", OutcomeSerializer)
    def post(self, request: Request, slug: str, escalation_id: int) -> Response:
        return super().post(request, slug, escalation_id)

    def act(self, user, escalation, data) -> None:
        actions.record_outcome(
            user, escalation=escalation, outcome=data["outcome"], note=data["note"]
        )


class NoteView(EscalationStepView):
    request_serializer = RequiredNoteSerializer

    @_step_schema("Add a note to the timeline, in any state.", RequiredNoteSerializer)
    def post(self, request: Request, slug: str, escalation_id: int) -> Response:
        return super().post(request, slug, escalation_id)

    def act(self, user, escalation, data) -> None:
        actions.add_escalation_note(user, escalation=escalation, note=data["note"])


class CloseView(EscalationStepView):
    @_step_schema("Close the escalation once its outcome is recorded.", NoteSerializer)
    def post(self, request: Request, slug: str, escalation_id: int) -> Response:
        return super().post(request, slug, escalation_id)

    def act(self, user, escalation, data) -> None:
        actions.close_escalation(user, escalation=escalation, note=data["note"])


class ShiftSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    person = serializers.IntegerField(
        source="person.pk", help_text="The id of a clinician or coordinator of the program."
    )
    person_name = serializers.CharField(source="person.display_name", read_only=True)
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with an offset; stored in UTC.")
    ends_at = serializers.DateTimeField(help_text="After starts_at, at most 31 days later.")
    position = serializers.IntegerField(
        min_value=1, max_value=20, default=1, help_text="1 is alerted first."
    )


class ShiftListView(generics.ListCreateAPIView):
    serializer_class = ShiftSerializer

    def get_queryset(self):
        program = access.get_staff_program_for(self.request.user, self.kwargs["slug"], "respond")
        return access.upcoming_shifts_of(program)

    @extend_schema(tags=["safety"])
    def get(self, request: Request, *args, **kwargs) -> Response:
        """The program's current and upcoming on-call shifts, earliest first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=["safety"])
    def post(self, request: Request, *args, **kwargs) -> Response:
        """Put someone on call (coordinators and site admins)."""
        program = access.get_staff_program_for(request.user, kwargs["slug"], "manage")
        serializer = ShiftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = access.responders_of(program).filter(pk=data["person"]["pk"]).first()
        if person is None:
            raise ValidationError(
                {"person": ["Only clinicians and coordinators of this program can be on call."]}
            )
        try:
            shift = actions.add_on_call_shift(
                request.user,
                program=program,
                person=person,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                position=data["position"],
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(ShiftSerializer(shift).data, status=status.HTTP_201_CREATED)


class ShiftDetailView(APIView):
    @extend_schema(tags=["safety"], responses={204: None})
    def delete(self, request: Request, slug: str, shift_id: int) -> Response:
        """Take a shift off the roster (coordinators and site admins)."""
        program = access.get_staff_program_for(request.user, slug, "manage")
        shift = access.get_shift_for(request.user, program, shift_id)
        actions.remove_on_call_shift(request.user, shift=shift)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = PersonSerializer(
        source="shown_author",
        allow_null=True,
        help_text="Null for writing posted under an anonymous name.",
    )
    writing_path = serializers.CharField(help_text="Where it was written, like safety.help_now.")
    level = serializers.ChoiceField(choices=FlagLevel.choices)
    categories = serializers.ListField(child=serializers.CharField())
    held = serializers.BooleanField(help_text="Kept from others until reviewed.")
    created_at = serializers.DateTimeField()
    escalation = serializers.IntegerField(
        source="escalation.pk", allow_null=True, default=None, help_text="When it was urgent."
    )
    reviewed_at = serializers.DateTimeField(allow_null=True)
    context_url = serializers.SerializerMethodField(
        help_text="The page where you can read it in its context (a post in its thread), when "
        "there is one for staff and you may open it; else null."
    )

    def get_context_url(self, flag) -> str | None:
        return self.context.get("addresses", {}).get(flag.pk)


@extend_schema(tags=["safety"])
class ConcernListView(generics.ListAPIView):
    """Flags nobody has reviewed yet, urgent first; for moderators, clinicians, coordinators and
    site admins. Each listing is logged as a read."""

    serializer_class = FlagSerializer

    def get_queryset(self):
        program = access.get_staff_program_for(self.request.user, self.kwargs["slug"], "concerns")
        self.program = program
        return access.unreviewed_flags_of(program)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            actions.record_concern_list_view(
                self.request.user, program=self.program, flags=page, request=self.request
            )
        self.addresses = writing.where_to_read(self.request.user, self.program, page or [])
        return page

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "addresses": getattr(self, "addresses", {})}


class ConcernReviewView(APIView):
    @extend_schema(tags=["safety"], request=NoteSerializer, responses=FlagSerializer)
    def post(self, request: Request, slug: str, flag_id: int) -> Response:
        """Mark a flag reviewed, with an optional note; 400 if someone already has."""
        program = access.get_staff_program_for(request.user, slug, "concerns")
        flag = access.get_flag_for(request.user, program, flag_id)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            flag = actions.review_flag(
                request.user, flag=flag, note=serializer.validated_data["note"], request=request
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        addresses = writing.where_to_read(request.user, program, [flag])
        return Response(FlagSerializer(flag, context={"addresses": addresses}).data)


ESCALATION = "programs/<slug:slug>/escalations/<int:escalation_id>/"
staff_urlpatterns = [
    path(
        "programs/<slug:slug>/escalations/",
        EscalationListView.as_view(),
        name="api-safety-escalations",
    ),
    path(ESCALATION, EscalationDetailView.as_view(), name="api-safety-escalation"),
    path(
        ESCALATION + "acknowledge/",
        AcknowledgeView.as_view(),
        name="api-safety-escalation-acknowledge",
    ),
    path(ESCALATION + "contact/", ContactView.as_view(), name="api-safety-escalation-contact"),
    path(ESCALATION + "outcome/", OutcomeView.as_view(), name="api-safety-escalation-outcome"),
    path(ESCALATION + "note/", NoteView.as_view(), name="api-safety-escalation-note"),
    path(ESCALATION + "close/", CloseView.as_view(), name="api-safety-escalation-close"),
    path(
        "programs/<slug:slug>/on-call-shifts/",
        ShiftListView.as_view(),
        name="api-safety-shifts",
    ),
    path(
        "programs/<slug:slug>/on-call-shifts/<int:shift_id>/",
        ShiftDetailView.as_view(),
        name="api-safety-shift",
    ),
    path("programs/<slug:slug>/concerns/", ConcernListView.as_view(), name="api-safety-concerns"),
    path(
        "programs/<slug:slug>/concerns/<int:flag_id>/review/",
        ConcernReviewView.as_view(),
        name="api-safety-concern-review",
    ),
]


urlpatterns: list = [*member_urlpatterns, *staff_urlpatterns]
