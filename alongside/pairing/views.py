"""Pages of pairing: the member's supporter, the supporter's members, the coordinator's matching."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.core.audit import record_list_access
from alongside.core.forms import add_validation_errors
from alongside.pairing import access, actions, profiles
from alongside.pairing.forms import (
    AcceptForm,
    AvailabilityField,
    BatchForm,
    ChooseSupporterForm,
    CloseForm,
    MatchRequestForm,
    PairingSettingsForm,
    ProposeForm,
    RematchForm,
    SessionLogForm,
    SupporterProfileForm,
    SupporterStatusForm,
    batch_field,
    pair_value,
)
from alongside.pairing.models import OPEN_STATES, Pairing, State
from alongside.programs.models import Role
from alongside.safety.support import offer_crisis_support

# Closed pairings shown on the coordinator's page, newest first.
CLOSED_SHOWN = 50
# Why a coordinator reads the feedback on closed pairings, as the access log records it.
FEEDBACK_PURPOSE = "pairing_review"


def _message_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _page_for(user, pairing: Pairing) -> str:
    side = pairing.side_of(user)
    if side == "member":
        return reverse("pairing:member", args=[pairing.program.slug])
    if side == "supporter":
        return reverse("pairing:supporter", args=[pairing.program.slug])
    return reverse("pairing:coordinator", args=[pairing.program.slug])


def _offer_support(request: HttpRequest, pairing: Pairing, closed: actions.Closed) -> None:
    if closed.screened is not None and closed.screened.show_crisis_panel:
        offer_crisis_support(
            request, program=pairing.program, assessment=closed.screened.assessment
        )


def _profile_languages(user) -> list[str]:
    """The languages the person listed on their profile, to start their match request with."""
    profile = getattr(user, "profile", None)
    return list(profile.languages) if profile is not None else []


# --- Member ------------------------------------------------------------------------------------


@require_safe
def member_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="member")
    pairings = list(access.pairings_as_member(request.user, program))
    current = next((p for p in pairings if p.state in OPEN_STATES), None)
    choices = []
    if current is None and access.settings_of(program).allow_self_selection:
        waiting = access.own_waiting_request(request.user, program)
        if waiting is not None:
            choices = [
                (match, ChooseSupporterForm(auto_id=f"id_choose_{match.supporter.pk}_%s"))
                for match in profiles.instant_matches(program, waiting)
            ]
    return render(
        request,
        "pairing/member.html",
        {
            "program": program,
            "match_request": access.own_match_request(request.user, program),
            "current": current,
            "accept_form": AcceptForm(auto_id="id_accept_%s"),
            "choices": choices,
            "past": [p for p in pairings if p is not current],
        },
    )


@require_POST
def choose(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="member")
    if not access.settings_of(program).allow_self_selection:
        raise Http404
    form = ChooseSupporterForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect("pairing:member", slug=program.slug)
    supporter = access.people_of_program(program, [form.cleaned_data["supporter"]]).first()
    try:
        if supporter is None:
            raise ValidationError(_("That supporter is no longer in the program."))
        actions.choose_supporter(
            request.user,
            program=program,
            supporter=supporter,
            boundaries_accepted=form.cleaned_data["boundaries"],
        )
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(
            request,
            _("You chose %(name)s. We will tell you when they accept.")
            % {"name": supporter.display_name},
        )
    return redirect("pairing:member", slug=program.slug)


@require_http_methods(["GET", "POST"])
def match_request(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="member")
    existing = access.own_match_request(request.user, program)
    if existing is not None:
        initial = {
            "areas": list(existing.areas.all()),
            "experiences": existing.experiences,
            "languages": existing.languages,
            "availability": AvailabilityField.initial_from(existing.availability),
            "modalities": existing.modalities,
            "modality_required": existing.modality_required,
            **MatchRequestForm.initial_identities(existing.identity_preferences),
        }
    else:
        initial = {"languages": _profile_languages(request.user)}
    form = MatchRequestForm(request.POST or None, initial=initial, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_match_request(
                request.user,
                program=program,
                areas=data["areas"],
                experiences=data["experiences"],
                languages=data["languages"],
                availability=data["availability"],
                modalities=data["modalities"],
                modality_required=data["modality_required"],
                identity_preferences=form.identity_preferences(),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request, _("Saved. The coordinators will match you with a peer supporter.")
            )
            return redirect("pairing:member", slug=program.slug)
    return render(request, "pairing/request.html", {"program": program, "form": form})


# --- Both sides --------------------------------------------------------------------------------


@require_POST
def accept(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = access.get_pairing_for(request.user, pairing_id, need="respond")
    form = AcceptForm(request.POST)
    try:
        actions.accept_pairing(
            request.user,
            pairing=pairing,
            boundaries_accepted=form.is_valid() and form.cleaned_data["boundaries"],
        )
    except ValidationError as error:
        _message_errors(request, error)
    else:
        if pairing.state == State.ACTIVE:
            messages.success(request, _("You have both accepted: the pairing has started."))
        else:
            messages.success(request, _("Accepted. We will tell you when the other side accepts."))
    return redirect(_page_for(request.user, pairing))


def _transition(request: HttpRequest, pairing_id: int, need: str, action, done: str):
    pairing = access.get_pairing_for(request.user, pairing_id, need=need)  # type: ignore[arg-type]
    try:
        action(request.user, pairing=pairing)
    except ValidationError as error:
        _message_errors(request, error)
    else:
        messages.success(request, done)
    return redirect(_page_for(request.user, pairing))


@require_POST
def decline(request: HttpRequest, pairing_id: int) -> HttpResponse:
    return _transition(
        request, pairing_id, "respond", actions.decline_pairing, _("The proposal was declined.")
    )


@require_POST
def pause(request: HttpRequest, pairing_id: int) -> HttpResponse:
    return _transition(
        request, pairing_id, "view", actions.pause_pairing, _("The pairing is paused.")
    )


@require_POST
def resume(request: HttpRequest, pairing_id: int) -> HttpResponse:
    return _transition(
        request, pairing_id, "view", actions.resume_pairing, _("The pairing is active again.")
    )


@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = access.get_pairing_for(request.user, pairing_id, need="view")
    side = pairing.side_of(request.user)
    form = CloseForm(request.POST or None, with_feedback=side is not None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = actions.close_pairing(
                request.user,
                pairing=pairing,
                reason=form.cleaned_data["reason"],
                feedback=form.cleaned_data.get("feedback", ""),
                ended_badly=form.cleaned_data["ended_badly"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support(request, pairing, closed)
            messages.success(request, _("The pairing is closed."))
            return redirect(_page_for(request.user, pairing))
    return render(request, "pairing/close.html", {"pairing": pairing, "form": form, "side": side})


# --- Member only -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rematch(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = access.get_pairing_for(request.user, pairing_id, need="member")
    form = RematchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = actions.request_rematch(
                request.user, pairing=pairing, feedback=form.cleaned_data["feedback"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support(request, pairing, closed)
            messages.success(
                request,
                _("Your pairing is closed. The coordinators will find you a new supporter."),
            )
            return redirect("pairing:member", slug=pairing.program.slug)
    return render(request, "pairing/rematch.html", {"pairing": pairing, "form": form})


@require_POST
def block(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = access.get_pairing_for(request.user, pairing_id, need="member")
    actions.block_supporter(request.user, pairing=pairing)
    messages.success(
        request,
        _("You will not be matched with %(supporter)s again.")
        % {"supporter": pairing.supporter.display_name},
    )
    return redirect("pairing:member", slug=pairing.program.slug)


# --- Supporter ---------------------------------------------------------------------------------


@require_safe
def supporter_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="supporter")
    pairings = list(access.pairings_as_supporter(request.user, program))
    return render(
        request,
        "pairing/supporter.html",
        {
            "program": program,
            "profile": access.own_supporter_profile(request.user, program),
            "open_pairings": [p for p in pairings if p.state in OPEN_STATES],
            "closed_pairings": [
                (p, profiles.close_reason_for_supporter(p))
                for p in pairings
                if p.state == State.CLOSED
            ],
            "accept_form": AcceptForm(auto_id="id_accept_%s"),
        },
    )


@require_http_methods(["GET", "POST"])
def supporter_profile(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="supporter")
    existing = access.own_supporter_profile(request.user, program)
    initial = {}
    if existing is not None:
        initial = {
            "areas": list(existing.areas.all()),
            "experiences": existing.experiences,
            "years_in_recovery": existing.years_in_recovery,
            "availability": AvailabilityField.initial_from(existing.availability),
            "modalities": existing.modalities,
            "identities": existing.identities,
            "capacity": existing.capacity,
        }
    form = SupporterProfileForm(request.POST or None, initial=initial, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_supporter_profile(request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your supporter profile is saved."))
            return redirect("pairing:supporter", slug=program.slug)
    return render(
        request,
        "pairing/supporter_profile.html",
        {"program": program, "form": form, "profile": existing},
    )


@require_http_methods(["GET", "POST"])
def log_session(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = access.get_pairing_for(request.user, pairing_id, need="supporter")
    form = SessionLogForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_session(request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Session logged."))
            return redirect("pairing:supporter", slug=pairing.program.slug)
    return render(request, "pairing/log_session.html", {"pairing": pairing, "form": form})


# --- Coordinator -------------------------------------------------------------------------------


def _with_figures(pairings, now) -> list[tuple[Pairing, int | None, float | None]]:
    """Each pairing with how many days it has run and its sessions logged per week."""
    return [(pairing, *pairing.contact_figures(pairing.sessions, now)) for pairing in pairings]


@require_safe
def coordinator_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    now = timezone.now()
    pairings = access.pairings_of_program(program)
    closed = list(pairings.filter(state=State.CLOSED)[:CLOSED_SHOWN])
    with transaction.atomic():
        # The feedback on endings can hold health details: each one shown is logged.
        with_feedback = [p for p in closed if p.member_feedback or p.supporter_feedback]
        if with_feedback:
            record_list_access(
                request.user,
                actor_role=Role.COORDINATOR,
                records=[(p.member, p) for p in with_feedback],
                purpose=FEEDBACK_PURPOSE,
                program=program,
                request=request,
            )
        groups = [
            (state.label, _with_figures(pairings.filter(state=state), now))
            for state in (State.PROPOSED, State.ACTIVE, State.PAUSED)
        ]
    groups.append((State.CLOSED.label, _with_figures(closed, now)))
    return render(
        request,
        "pairing/coordinator.html",
        {
            "program": program,
            "waiting": list(access.waiting_requests_of(program)),
            "groups": groups,
            "supporters": list(access.supporter_profiles_of(program)),
            "status_form": SupporterStatusForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def batch(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    if request.method == "POST":
        form = BatchForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a supporter, or nobody, for each member."))
        else:
            try:
                proposed = actions.propose_pairings(
                    request.user, program=program, pairs=form.pairs()
                )
            except ValidationError as error:
                _message_errors(request, error)
            else:
                messages.success(
                    request,
                    _("%(count)d pairings proposed; both sides of each have been told.")
                    % {"count": len(proposed)},
                )
                return redirect("pairing:coordinator", slug=program.slug)
    rows = profiles.batch_review(program)
    return render(
        request,
        "pairing/batch.html",
        {
            "program": program,
            "rows": [
                (
                    row,
                    batch_field(row.proposal.member.pk),
                    [(p, pair_value(p)) for p in (row.proposal, *row.alternatives)],
                )
                for row in rows
            ],
            "waiting": access.waiting_requests_of(program).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    form = PairingSettingsForm(request.POST or None, instance=access.settings_of(program))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_pairing_settings(
                request.user, program=program, **{f: form.cleaned_data[f] for f in form.fields}
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Matching settings saved."))
            return redirect("pairing:coordinator", slug=program.slug)
    return render(request, "pairing/settings.html", {"program": program, "form": form})


@require_http_methods(["GET", "POST"])
def instant(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    match_request = access.get_waiting_request_for(request.user, program, member_id)
    if request.method == "POST":
        form = ProposeForm(request.POST)
        if form.is_valid():
            supporter = access.people_of_program(program, [form.cleaned_data["supporter"]]).first()
            try:
                if supporter is None:
                    raise ValidationError(_("That supporter is no longer in the program."))
                actions.propose_pairing(
                    request.user,
                    program=program,
                    member=match_request.membership.user,
                    supporter=supporter,
                )
            except ValidationError as error:
                _message_errors(request, error)
            else:
                messages.success(request, _("Proposed; both have been told."))
                return redirect("pairing:coordinator", slug=program.slug)
    return render(
        request,
        "pairing/instant.html",
        {
            "program": program,
            "match_request": match_request,
            "proposals": profiles.instant_matches(program, match_request),
        },
    )


@require_POST
def supporter_status(request: HttpRequest, slug: str, profile_id: int) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    profile = access.get_supporter_profile_for(request.user, program, profile_id)
    form = SupporterStatusForm(request.POST)
    if form.is_valid():
        actions.set_supporter_status(
            request.user, profile=profile, status=form.cleaned_data["status"]
        )
        messages.success(
            request,
            _("%(name)s is now: %(status)s.")
            % {
                "name": profile.membership.user.display_name,
                "status": profile.get_status_display().lower(),
            },
        )
    else:
        messages.error(request, _("Choose approved, paused or waiting for approval."))
    return redirect("pairing:coordinator", slug=program.slug)
