"""Thin views of crisis safety: access, action, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.core.forms import add_validation_errors
from alongside.pairing import actions as pairing_actions
from alongside.programs.access import can_manage, memberships_of
from alongside.programs.models import Program
from alongside.safety import access, actions, forms, resources, support, writing
from alongside.safety.forms import HelpNowForm, SafetyPlanForm
from alongside.safety.models import SAFETY_PLAN_SECTIONS, Escalation, SafetyPlan, State

# --- Member side: help now, safety plan, the supporters' guide --------------------------------


def _country_asked(request: HttpRequest) -> str | None:
    code = request.GET.get("country", "").strip().upper()
    return code if resources.country_for(code) is not None else None


def _help_resources(request: HttpRequest, programs: list) -> resources.CrisisResources:
    """The lines for the help pages: a country picked on the page wins, then the member's own."""
    country = _country_asked(request)
    if country is not None:
        return resources.resources_for_country(country)
    if programs:
        return resources.crisis_resources_for(request.user, programs[0])
    return support.default_crisis_resources()


def _render_help(request: HttpRequest, programs: list, form, **context) -> HttpResponse:
    return render(
        request,
        "safety/help_now.html",
        {
            "resources": _help_resources(request, programs),
            "countries": resources.COUNTRIES.values(),
            "form": form,
            "programs": programs,
            **context,
        },
    )


@login_not_required
@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """The page the service worker keeps for when there is no network: the lines of the site's
    country (it is fetched without cookies, so it is nobody's own)."""
    return render(request, "safety/offline.html", {"resources": support.default_crisis_resources()})


@login_not_required
@require_http_methods(["GET", "POST"])
def help_now(request: HttpRequest) -> HttpResponse:
    # Open to everyone: the lines are shown first, to anyone, before anything is asked.
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    programs = access.help_programs_of(request.user) if request.user.is_authenticated else []
    if not programs:
        # Nobody to alert: the lines are the help, and a form posted anyway is answered with them.
        return _render_help(request, programs, None)
    form = HelpNowForm(request.POST or None, programs=programs)
    if request.method == "POST" and form.is_valid():
        actions.ask_for_help(
            request.user, program=form.chosen_program(), message=form.cleaned_data["message"]
        )
        return redirect("safety:help_sent")
    return _render_help(request, programs, form)


@require_safe
def help_sent(request: HttpRequest) -> HttpResponse:
    requests = list(access.recent_help_requests_of(request.user))
    if not requests:
        return redirect("safety:help_now")
    programs = access.help_programs_of(request.user)
    return render(
        request,
        "safety/help_sent.html",
        {
            "requests": requests,
            "resources": _help_resources(request, programs),
            "plan": access.own_safety_plan(request.user),
        },
    )


@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    own_plan = access.own_safety_plan(request.user)
    return render(
        request,
        "safety/plan.html",
        {
            "plan": own_plan,
            "sections": _plan_sections(own_plan),
            "can_share": bool(access.help_programs_of(request.user)),
            "shared_with": access.plan_shared_with(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest) -> HttpResponse:
    own_plan = access.own_safety_plan(request.user)
    form = SafetyPlanForm(request.POST or None, instance=own_plan)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_safety_plan(request.user, sections=form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your safety plan is saved."))
            return redirect("safety:plan")
    return render(request, "safety/plan_edit.html", {"form": form, "plan": own_plan})


@require_safe
def plan_print(request: HttpRequest) -> HttpResponse:
    own_plan = access.own_safety_plan(request.user)
    programs = access.help_programs_of(request.user)
    return render(
        request,
        "safety/plan_print.html",
        {
            "plan": own_plan,
            "sections": _plan_sections(own_plan),
            "resources": _help_resources(request, programs),
        },
    )


@require_safe
def member_plan(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    shared = access.get_shared_plan_for(request.user, slug, member_id)
    shared_plan = actions.read_shared_plan(request.user, shared=shared, request=request)
    return render(
        request,
        "safety/member_plan.html",
        {"shared": shared, "plan": shared_plan, "sections": _plan_sections(shared_plan)},
    )


@require_safe
def boundaries(request: HttpRequest) -> HttpResponse:
    if not access.may_read_supporter_guide(request.user):
        raise Http404
    programs = [membership.program for membership in memberships_of(request.user)]
    return render(
        request,
        "safety/boundaries.html",
        {"resources": _help_resources(request, programs)},
    )


def _plan_sections(safety_plan: SafetyPlan | None) -> list[tuple[str, str, str]]:
    """(name, heading, text) of each of the seven sections, in order; text empty when unfilled."""
    return [
        (
            name,
            support.section_heading(name),
            getattr(safety_plan, name) if safety_plan is not None else "",
        )
        for name in SAFETY_PLAN_SECTIONS
    ]


# --- Staff side: escalations, on-call roster, concern queue, settings -------------------------

ESCALATIONS_PER_PAGE = 25
FLAGS_PER_PAGE = 25


@require_safe
def escalations(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="respond")
    page = Paginator(
        access.with_current_alerts(access.escalations_of(program)), ESCALATIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    actions.record_escalation_list_view(
        request.user, program=program, escalations=page.object_list, request=request
    )
    now = timezone.now()
    rows = [
        {
            "escalation": escalation,
            "overdue": escalation.state == State.OPEN
            and escalation.acknowledge_by is not None
            and escalation.acknowledge_by <= now,
            "alerted": access.currently_alerted(escalation),
        }
        for escalation in page
    ]
    return render(
        request,
        "safety/staff/escalations.html",
        {"program": program, "page": page, "rows": rows},
    )


def _state_forms(escalation: Escalation) -> dict:
    """The forms the escalation's state allows, blank."""
    return {
        "contact_form": forms.ContactForm() if escalation.state == State.ACKNOWLEDGED else None,
        "outcome_form": forms.OutcomeForm()
        if escalation.state in (State.ACKNOWLEDGED, State.CONTACTED)
        else None,
        "close_form": forms.CloseForm() if escalation.state == State.OUTCOME else None,
        "note_form": forms.EscalationNoteForm(),
    }


def _render_escalation(
    request: HttpRequest, program: Program, escalation: Escalation, **failed_forms
) -> HttpResponse:
    actions.record_escalation_view(request.user, escalation=escalation, request=request)
    context = {
        "program": program,
        "escalation": escalation,
        "events": access.timeline_of(escalation),
        "writing_path": writing.WRITING_PATHS.get(escalation.flag.writing_path)
        if escalation.flag
        else None,
        "overdue": escalation.state == State.OPEN
        and escalation.acknowledge_by is not None
        and escalation.acknowledge_by <= timezone.now(),
        **_state_forms(escalation),
    }
    context.update(failed_forms)
    status = 400 if failed_forms else 200
    return render(request, "safety/staff/escalation.html", context, status=status)


@require_safe
def escalation(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="respond")
    found = access.get_escalation_for(request.user, program, escalation_id)
    return _render_escalation(request, program, found)


@require_POST
def acknowledge(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="respond")
    found = access.get_escalation_for(request.user, program, escalation_id)
    try:
        actions.acknowledge_escalation(request.user, escalation=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have this escalation. Others can see that you took it."))
    return redirect(found)


def _state_change(request, slug, escalation_id, *, form_class, form_name, act, done):
    program = access.get_staff_program_for(request.user, slug, need="respond")
    found = access.get_escalation_for(request.user, program, escalation_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(request.user, found, form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_validation_errors(form, error)
                return _render_escalation(request, program, found, **{form_name: form})
            messages.error(request, " ".join(error.messages))
            return redirect(found)
        messages.success(request, done)
        return redirect(found)
    return _render_escalation(request, program, found, **{form_name: form})


@require_POST
def record_contact(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _state_change(
        request,
        slug,
        escalation_id,
        form_class=forms.ContactForm,
        form_name="contact_form",
        act=lambda actor, found, data: actions.record_contact(
            actor, escalation=found, note=data["note"]
        ),
        done=_("Contact recorded."),
    )


@require_POST
def record_outcome(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _state_change(
        request,
        slug,
        escalation_id,
        form_class=forms.OutcomeForm,
        form_name="outcome_form",
        act=lambda actor, found, data: actions.record_outcome(
            actor, escalation=found, outcome=data["outcome"], note=data["note"]
        ),
        done=_("Outcome recorded."),
    )


@require_POST
def add_note(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _state_change(
        request,
        slug,
        escalation_id,
        form_class=forms.EscalationNoteForm,
        form_name="note_form",
        act=lambda actor, found, data: actions.add_escalation_note(
            actor, escalation=found, note=data["note"]
        ),
        done=_("Note added."),
    )


@require_POST
def close(request: HttpRequest, slug: str, escalation_id: int) -> HttpResponse:
    return _state_change(
        request,
        slug,
        escalation_id,
        form_class=forms.CloseForm,
        form_name="close_form",
        act=lambda actor, found, data: actions.close_escalation(
            actor, escalation=found, note=data["note"]
        ),
        done=_("Escalation closed."),
    )


def _viewer_zone(request: HttpRequest) -> str:
    return timezone.get_current_timezone_name()


@require_http_methods(["GET", "POST"])
def on_call(request: HttpRequest, slug: str) -> HttpResponse:
    need = "manage" if request.method == "POST" else "respond"
    program = access.get_staff_program_for(request.user, slug, need=need)
    may_edit = can_manage(request.user, program)
    form = None
    if may_edit:
        form = forms.ShiftForm(
            request.POST or None, people=access.responders_of(program), zone=_viewer_zone(request)
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            actions.add_on_call_shift(
                request.user,
                program=program,
                person=form.cleaned_data["person"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Shift added."))
            return redirect("safety:on_call", slug=program.slug)
    now = timezone.now()
    people = {person.pk: person for person in access.responders_of(program)}
    chain_ids = access.on_call_now(program, now)
    return render(
        request,
        "safety/staff/on_call.html",
        {
            "program": program,
            "form": form,
            "may_edit": may_edit,
            "on_call": [people[pk] for pk in chain_ids if pk in people],
            "coordinators_last": [
                people[pk] for pk in access.coordinators_of(program) if pk in people
            ],
            "shifts": access.upcoming_shifts_of(program, now),
            "zone": _viewer_zone(request),
            "now": now,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def remove_shift(request: HttpRequest, slug: str, shift_id: int) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="manage")
    shift = access.get_shift_for(request.user, program, shift_id)
    actions.remove_on_call_shift(request.user, shift=shift)
    messages.success(request, _("Shift removed."))
    return redirect("safety:on_call", slug=program.slug)


def _render_concerns(request, program, *, failed=None, failed_form=None) -> HttpResponse:
    page = Paginator(access.unreviewed_flags_of(program), FLAGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    actions.record_concern_list_view(
        request.user, program=program, flags=page.object_list, request=request
    )
    addresses = writing.where_to_read(request.user, program, page.object_list)
    rows = [
        {
            "flag": flag,
            "where": writing.WRITING_PATHS.get(flag.writing_path),
            "context_url": addresses.get(flag.pk),
            "form": failed_form
            if failed is not None and flag.pk == failed.pk
            else forms.FlagReviewForm(auto_id=f"id_flag_{flag.pk}_%s"),
        }
        for flag in page
    ]
    return render(
        request,
        "safety/staff/concerns.html",
        {"program": program, "page": page, "rows": rows},
        status=400 if failed_form is not None else 200,
    )


@require_safe
def concerns(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="concerns")
    return _render_concerns(request, program)


@require_POST
def review_concern(request: HttpRequest, slug: str, flag_id: int) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="concerns")
    flag = access.get_flag_for(request.user, program, flag_id)
    form = forms.FlagReviewForm(request.POST, auto_id=f"id_flag_{flag.pk}_%s")
    if not form.is_valid():
        return _render_concerns(request, program, failed=flag, failed_form=form)
    try:
        actions.review_flag(
            request.user, flag=flag, note=form.cleaned_data["note"], request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect("safety:concerns", slug=program.slug)


@require_http_methods(["GET", "POST"])
def safety_settings(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_staff_program_for(request.user, slug, need="manage")
    current = access.settings_of(program)
    form = forms.SafetySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name]
            for name in ("hold_flagged_for_review", "acknowledge_within_minutes", "webhook_url")
        }
        if form.cleaned_data["webhook_secret"]:
            values["webhook_secret"] = form.cleaned_data["webhook_secret"]
        try:
            actions.update_safety_settings(request.user, program=program, **values)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Safety settings saved."))
            return redirect("safety:settings", slug=program.slug)
    return render(
        request,
        "safety/staff/settings.html",
        {"program": program, "form": form, "has_secret": bool(current.webhook_secret)},
        status=400 if request.method == "POST" else 200,
    )


# --- Supporter side: concerns about the members they support ---------------------------------


@require_safe
def member_concerns(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_supporter_program_for(request.user, slug)
    flags = list(access.member_concerns_for(request.user, program))
    pairing_actions.record_member_concerns_view(
        request.user, program=program, flags=flags, request=request
    )
    rows = [(flag, writing.WRITING_PATHS.get(flag.writing_path)) for flag in flags]
    return render(request, "safety/member_concerns.html", {"program": program, "rows": rows})


@require_POST
def member_concern_reached_out(request: HttpRequest, slug: str, flag_id: int) -> HttpResponse:
    program = access.get_supporter_program_for(request.user, slug)
    flag = access.get_member_concern_for(request.user, program, flag_id)
    try:
        pairing_actions.mark_reached_out(request.user, flag=flag, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you for reaching out."))
    return redirect("safety:member_concerns", slug=program.slug)
