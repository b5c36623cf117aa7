"""API endpoints of pairing; alongside/api/urls.py mounts `urlpatterns` under /api/v1/.

The same access and action functions as the pages: a member and a supporter reach their own
profile, request and pairings; coordinators reach their program's pairings and matches.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from alongside.accounts.models import SPOKEN_LANGUAGES
from alongside.core.api import refusal
from alongside.core.models import AreaOfConcern
from alongside.pairing import access, actions, profiles
from alongside.pairing.forms import CLOSE_REASONS
from alongside.pairing.models import (
    FEEDBACK_MAX_LENGTH,
    HOURS_PER_WEEK,
    MAX_CAPACITY,
    MAX_SESSION_MINUTES,
    MIN_CAPACITY,
    NOTES_MAX_LENGTH,
    WEIGHT_NAMES,
    CloseReason,
    Experience,
    Identity,
    Modality,
    Pairing,
    PairingSettings,
    Preference,
    State,
    SupporterStatus,
    Topic,
)
from alongside.safety.api import CrisisResourcesSerializer
from alongside.safety.support import crisis_support_payload

TAGS = ["pairing"]
HOURS_HELP = (
    "Hours of the week in your own time zone: 0 is Monday 00:00-01:00, 167 is Sunday 23:00-24:00."
)


def _areas_field(help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="slug",
        queryset=AreaOfConcern.objects.active(),
        many=True,
        required=False,
        help_text=help_text,
    )


def _hours_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=HOURS_PER_WEEK - 1),
        required=False,
        default=list,
        help_text=HOURS_HELP,
    )


def _choices_field(choices, help_text: str = "") -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices),
        required=False,
        default=list,
        help_text=help_text,
    )


class SupporterProfileSerializer(serializers.Serializer):
    areas = _areas_field("Slugs of the areas of concern you have lived experience of.")
    experiences = _choices_field(Experience.choices)
    years_in_recovery = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=0, max_value=80
    )
    availability = _hours_field()
    modalities = _choices_field(Modality.choices)
    identities = _choices_field(
        Identity.choices, "Identities you are willing to be matched on; always optional."
    )
    capacity = serializers.IntegerField(min_value=MIN_CAPACITY, max_value=MAX_CAPACITY)
    status = serializers.ChoiceField(
        choices=SupporterStatus.choices,
        read_only=True,
        help_text="Matched only once a coordinator approved it.",
    )


class MatchRequestSerializer(serializers.Serializer):
    areas = _areas_field("Slugs of the areas of concern you want help with.")
    experiences = _choices_field(Experience.choices)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=SPOKEN_LANGUAGES), allow_empty=False
    )
    availability = _hours_field()
    modalities = _choices_field(Modality.choices)
    modality_required = serializers.BooleanField(default=False)
    identity_preferences = serializers.DictField(
        child=serializers.ChoiceField(choices=Preference.choices),
        required=False,
        default=dict,
        help_text="Identity (" + ", ".join(Identity.values) + ") to 'required' or 'nice'.",
    )
    wants_supporter = serializers.BooleanField(
        read_only=True, help_text="True while you are waiting for, or have, a supporter."
    )


class PairingPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField()


class PairingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    program = serializers.SlugField(source="program.slug")
    member = PairingPersonSerializer()
    supporter = PairingPersonSerializer()
    state = serializers.ChoiceField(choices=State.choices)
    proposed_at = serializers.DateTimeField()
    member_accepted_at = serializers.DateTimeField(allow_null=True)
    supporter_accepted_at = serializers.DateTimeField(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    paused_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.SerializerMethodField(
        help_text="Why it closed. A supporter sees 'member_request' whenever the member closed it."
    )

    def get_close_reason(self, pairing: Pairing) -> str:
        viewer = self.context.get("viewer")
        closed_by_member = pairing.closed_by_id == pairing.member_id
        if viewer is not None and viewer.pk == pairing.supporter_id and closed_by_member:
            return CloseReason.MEMBER_REQUEST
        return pairing.close_reason


class ProgramPairingSerializer(PairingSerializer):
    """A pairing as its program's coordinators see it in the list: with its contact figures."""

    sessions = serializers.IntegerField(help_text="Sessions the supporter has logged.")
    days = serializers.SerializerMethodField(
        help_text="Whole days since both accepted, to its close or to now; null if it never started."
    )
    sessions_per_week = serializers.SerializerMethodField(
        help_text="Sessions logged per week over those days (a first week counts whole)."
    )

    def _figures(self, pairing: Pairing) -> tuple[int | None, float | None]:
        # `sessions` is annotated by access.pairings_of_program.
        sessions: int = getattr(pairing, "sessions")  # noqa: B009
        return pairing.contact_figures(sessions, self.context.get("now"))

    def get_days(self, pairing: Pairing) -> int | None:
        return self._figures(pairing)[0]

    def get_sessions_per_week(self, pairing: Pairing) -> float | None:
        return self._figures(pairing)[1]


class ProposeSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="The user id of a waiting member.")
    supporter = serializers.IntegerField(help_text="The user id of an approved supporter.")


class AcceptSerializer(serializers.Serializer):
    boundaries_accepted = serializers.BooleanField(
        help_text="Must be true: you accept the boundaries agreement of the pairing."
    )


class CloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CLOSE_REASONS)
    feedback = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=FEEDBACK_MAX_LENGTH,
        help_text="For the program's coordinators only; the other side never sees it.",
    )
    ended_badly = serializers.BooleanField(default=False, help_text="Never match us again.")


class RematchSerializer(serializers.Serializer):
    feedback = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=FEEDBACK_MAX_LENGTH
    )


class PairingCrisisSupportSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="concern or urgent")
    resources = CrisisResourcesSerializer()


class TransitionResultSerializer(serializers.Serializer):
    pairing = PairingSerializer()
    crisis_support = PairingCrisisSupportSerializer(
        required=False,
        help_text="Only when the feedback you wrote sounds like you may be in crisis.",
    )


class SessionLogSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField()
    duration_minutes = serializers.IntegerField(min_value=1, max_value=MAX_SESSION_MINUTES)
    modality = serializers.ChoiceField(choices=Modality.choices)
    topics = _choices_field(Topic.choices)
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTES_MAX_LENGTH,
        help_text="Your private notes, stored encrypted.",
    )


class ReasonSerializer(serializers.Serializer):
    factor = serializers.CharField()
    contribution = serializers.FloatField()
    sentence = serializers.CharField()


class MatchSerializer(serializers.Serializer):
    supporter = PairingPersonSerializer()
    score = serializers.FloatField(source="total")
    reasons = ReasonSerializer(many=True)


# --- Own profile and request -------------------------------------------------------------------


class SupporterProfileView(APIView):
    @extend_schema(tags=TAGS, responses=SupporterProfileSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """Your supporter match profile in the program; 404 until you create one."""
        program = access.get_program_for(request.user, slug, need="supporter")
        profile = access.own_supporter_profile(request.user, program)
        if profile is None:
            raise Http404
        return Response(SupporterProfileSerializer(profile).data)

    @extend_schema(
        tags=TAGS, request=SupporterProfileSerializer, responses=SupporterProfileSerializer
    )
    def put(self, request: Request, slug: str) -> Response:
        """Create or replace your supporter match profile; a new one waits for approval."""
        program = access.get_program_for(request.user, slug, need="supporter")
        serializer = SupporterProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"areas": [], **serializer.validated_data}
        try:
            profile = actions.save_supporter_profile(request.user, program=program, **data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(SupporterProfileSerializer(profile).data)


class MatchRequestView(APIView):
    @extend_schema(tags=TAGS, responses=MatchRequestSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """What you asked for in a peer supporter in the program; 404 until you ask."""
        program = access.get_program_for(request.user, slug, need="member")
        match_request = access.own_match_request(request.user, program)
        if match_request is None:
            raise Http404
        return Response(MatchRequestSerializer(match_request).data)

    @extend_schema(tags=TAGS, request=MatchRequestSerializer, responses=MatchRequestSerializer)
    def put(self, request: Request, slug: str) -> Response:
        """Ask for a peer supporter, or change what you asked for."""
        program = access.get_program_for(request.user, slug, need="member")
        serializer = MatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"areas": [], **serializer.validated_data}
        try:
            match_request = actions.save_match_request(request.user, program=program, **data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(MatchRequestSerializer(match_request).data)


# --- Pairings ----------------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class OwnPairingsView(generics.ListAPIView):
    """Your pairings as a member or as a supporter, in every program, newest first."""

    serializer_class = PairingSerializer

    def get_queryset(self):
        user = self.request.user
        return (
            Pairing.objects.filter(Q(member=user) | Q(supporter=user))
            .filter(program__is_active=True)
            .select_related("program", "member__profile", "supporter__profile")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.request.user}


class ProgramPairingsView(generics.ListAPIView):
    """The program's pairings, newest first, for its coordinators; POST proposes one."""

    serializer_class = ProgramPairingSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @extend_schema(
        tags=TAGS,
        parameters=[OpenApiParameter("state", enum=State.values, required=False)],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        """The program's pairings, newest first, optionally in one state."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        program = access.get_program_for(self.request.user, self.kwargs["slug"], need="manage")
        state = self.request.query_params.get("state")
        return access.pairings_of_program(program, state=state if state in State.values else None)

    @extend_schema(tags=TAGS, request=ProposeSerializer, responses={201: PairingSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Propose a supporter to a waiting member; both are told. 400 says why a pair may not be."""
        program = access.get_program_for(request.user, slug, need="manage")
        serializer = ProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = [serializer.validated_data["member"], serializer.validated_data["supporter"]]
        people = {user.pk: user for user in access.people_of_program(program, ids)}
        if any(user_id not in people for user_id in ids):
            raise ValidationError({"detail": ["Both must be people of this program."]})
        try:
            pairing = actions.propose_pairing(
                request.user, program=program, member=people[ids[0]], supporter=people[ids[1]]
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(PairingSerializer(pairing).data, status=status.HTTP_201_CREATED)


class PairingView(APIView):
    @extend_schema(tags=TAGS, responses=PairingSerializer)
    def get(self, request: Request, pairing_id: int) -> Response:
        """One pairing, for either side or the program's coordinators."""
        pairing = access.get_pairing_for(request.user, pairing_id, need="view")
        return Response(PairingSerializer(pairing, context={"viewer": request.user}).data)


class TransitionView(APIView):
    """One step of a pairing's lifecycle; subclasses name who may take it and what it does."""

    need = "respond"
    request_serializer: type[serializers.Serializer] = serializers.Serializer

    def act(self, user, pairing: Pairing, data: dict):
        raise NotImplementedError

    def post(self, request: Request, pairing_id: int) -> Response:
        pairing = access.get_pairing_for(request.user, pairing_id, need=self.need)  # type: ignore[arg-type]
        serializer = self.request_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = self.act(request.user, pairing, serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        body: dict = {"pairing": access.get_pairing_for(request.user, pairing_id, need="view")}
        screened = getattr(result, "screened", None)
        if screened is not None and screened.show_crisis_panel:
            body["crisis_support"] = crisis_support_payload(
                request.user, pairing.program, assessment=screened.assessment
            )
        return Response(TransitionResultSerializer(body, context={"viewer": request.user}).data)


def _transition_schema(summary: str, request_serializer):
    return extend_schema(
        tags=TAGS, summary=summary, request=request_serializer, responses=TransitionResultSerializer
    )


class AcceptView(TransitionView):
    request_serializer = AcceptSerializer

    @_transition_schema(
        "Accept a proposal for your side, with the boundaries agreement; the second "
        "acceptance starts the pairing if the supporter still has a place.",
        AcceptSerializer,
    )
    def post(self, request: Request, pairing_id: int) -> Response:
        return super().post(request, pairing_id)

    def act(self, user, pairing, data):
        return actions.accept_pairing(
            user, pairing=pairing, boundaries_accepted=data["boundaries_accepted"]
        )


class DeclineView(TransitionView):
    @_transition_schema("Decline a proposal for your side.", None)
    def post(self, request: Request, pairing_id: int) -> Response:
        return super().post(request, pairing_id)

    def act(self, user, pairing, data):
        return actions.decline_pairing(user, pairing=pairing)


class PauseView(TransitionView):
    need = "view"

    @_transition_schema("Pause an active pairing (either side or a coordinator).", None)
    def post(self, request: Request, pairing_id: int) -> Response:
        return super().post(request, pairing_id)

    def act(self, user, pairing, data):
        return actions.pause_pairing(user, pairing=pairing)


class ResumeView(TransitionView):
    need = "view"

    @_transition_schema("Resume a paused pairing (either side or a coordinator).", None)
    def post(self, request: Request, pairing_id: int) -> Response:
        return super().post(request, pairing_id)

    def act(self, user, pairing, data):
        return actions.resume_pairing(user, pairing=pairing)


class CloseView(TransitionView):
    need = "view"
    request_serializer = CloseSerializer

    @_transition_schema(
        "End an active or paused pairing (either side or a coordinator).", CloseSerializer
    )
    def post(self, request: Request, pairing_id: int) -> Response:
        return super().post(request, pairing_id)

    def act(self, user, pairing, data):
        return actions.close_pairing(
            user,
            pairing=pairing,
            reason=data["reason"],
            feedback=data["feedback"],
            ended_badly=data["ended_badly"],
        )


class RematchView(TransitionView):
    need = "member"
    request_serializer = RematchSerializer

    @_transition_schema(
        "As the member, close your pairing and wait for a new supporter; the supporter is "
        "told only that it closed at your request.",
        RematchSerializer,
    )
    def post(self, request: Request, pairing_id: int) -> Response:
        return super().post(request, pairing_id)

    def act(self, user, pairing, data):
        return actions.request_rematch(user, pairing=pairing, feedback=data["feedback"])


@extend_schema(tags=TAGS)
class SessionLogsView(generics.ListCreateAPIView):
    """The supporter's session logs of one pairing, newest first; POST logs one."""

    serializer_class = SessionLogSerializer

    def _pairing(self) -> Pairing:
        return access.get_pairing_for(self.request.user, self.kwargs["pairing_id"], "supporter")

    def get_queryset(self):
        return self._pairing().session_logs.all()

    def create(self, request: Request, *args, **kwargs) -> Response:
        pairing = self._pairing()
        serializer = SessionLogSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            log = actions.log_session(request.user, pairing=pairing, **serializer.validated_data)
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(SessionLogSerializer(log).data, status=status.HTTP_201_CREATED)


class MatchesView(APIView):
    @extend_schema(tags=TAGS, responses=MatchSerializer(many=True))
    def get(self, request: Request, slug: str, member_id: int) -> Response:
        """The best three supporters with places left for a waiting member, with the reasons."""
        program = access.get_program_for(request.user, slug, need="manage")
        match_request = access.get_waiting_request_for(request.user, program, member_id)
        return Response(
            MatchSerializer(profiles.instant_matches(program, match_request), many=True).data
        )


class PairingSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = PairingSettings
        fields = [*WEIGHT_NAMES, "top_k", "allow_self_selection"]


class ChooseSerializer(serializers.Serializer):
    supporter = serializers.IntegerField(help_text="The user id of one of your offered matches.")
    boundaries_accepted = serializers.BooleanField(
        help_text="You have read and accept the boundaries agreement."
    )


class PairingSettingsView(APIView):
    @extend_schema(tags=TAGS, responses=PairingSettingsSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """How the program matches: the weight of each factor, top K, and self-selection."""
        program = access.get_program_for(request.user, slug, need="manage")
        return Response(PairingSettingsSerializer(access.settings_of(program)).data)

    @extend_schema(
        tags=TAGS, request=PairingSettingsSerializer, responses=PairingSettingsSerializer
    )
    def put(self, request: Request, slug: str) -> Response:
        """Change how the program matches; fields left out keep their values."""
        program = access.get_program_for(request.user, slug, need="manage")
        serializer = PairingSettingsSerializer(
            access.settings_of(program), data=request.data, partial=True
        )
        serializer.is_valid(raise_exception=True)
        try:
            saved = actions.update_pairing_settings(
                request.user, program=program, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(PairingSettingsSerializer(saved).data)


class OwnMatchesView(APIView):
    def _waiting(self, request: Request, slug: str):
        program = access.get_program_for(request.user, slug, need="member")
        if not access.settings_of(program).allow_self_selection:
            raise Http404
        return program, access.own_waiting_request(request.user, program)

    @extend_schema(tags=TAGS, responses=MatchSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        """Your best three supporters with the reasons, in your language, while you wait and the
        program lets members choose (404 when it does not); empty when you are not waiting."""
        program, waiting = self._waiting(request, slug)
        matches = profiles.instant_matches(program, waiting) if waiting is not None else []
        return Response(MatchSerializer(matches, many=True).data)

    @extend_schema(tags=TAGS, request=ChooseSerializer, responses={201: PairingSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Choose one of your matches: a proposal you have accepted, for the supporter to accept."""
        program, _waiting = self._waiting(request, slug)
        serializer = ChooseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supporter = access.people_of_program(
            program, [serializer.validated_data["supporter"]]
        ).first()
        if supporter is None:
            raise ValidationError({"supporter": ["Choose one of your matches."]})
        try:
            pairing = actions.choose_supporter(
                request.user,
                program=program,
                supporter=supporter,
                boundaries_accepted=serializer.validated_data["boundaries_accepted"],
            )
        except DjangoValidationError as error:
            raise refusal(error) from None
        return Response(
            PairingSerializer(pairing, context={"viewer": request.user}).data,
            status=status.HTTP_201_CREATED,
        )


PAIRING = "pairing/pairings/<int:pairing_id>/"

urlpatterns = [
    path(
        "pairing/programs/<slug:slug>/supporter-profile/",
        SupporterProfileView.as_view(),
        name="api-pairing-supporter-profile",
    ),
    path(
        "pairing/programs/<slug:slug>/match-request/",
        MatchRequestView.as_view(),
        name="api-pairing-match-request",
    ),
    path(
        "pairing/programs/<slug:slug>/pairings/",
        ProgramPairingsView.as_view(),
        name="api-program-pairings",
    ),
    path(
        "pairing/programs/<slug:slug>/members/<int:member_id>/matches/",
        MatchesView.as_view(),
        name="api-pairing-matches",
    ),
    path(
        "pairing/programs/<slug:slug>/settings/",
        PairingSettingsView.as_view(),
        name="api-pairing-settings",
    ),
    path(
        "pairing/programs/<slug:slug>/my-matches/",
        OwnMatchesView.as_view(),
        name="api-pairing-own-matches",
    ),
    path("pairing/pairings/", OwnPairingsView.as_view(), name="api-pairings"),
    path(PAIRING, PairingView.as_view(), name="api-pairing"),
    path(PAIRING + "accept/", AcceptView.as_view(), name="api-pairing-accept"),
    path(PAIRING + "decline/", DeclineView.as_view(), name="api-pairing-decline"),
    path(PAIRING + "pause/", PauseView.as_view(), name="api-pairing-pause"),
    path(PAIRING + "resume/", ResumeView.as_view(), name="api-pairing-resume"),
    path(PAIRING + "close/", CloseView.as_view(), name="api-pairing-close"),
    path(PAIRING + "rematch/", RematchView.as_view(), name="api-pairing-rematch"),
    path(PAIRING + "sessions/", SessionLogsView.as_view(), name="api-pairing-sessions"),
]
