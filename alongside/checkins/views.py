"""Thin views of check-ins: access, action, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alongside.checkins import access, actions, forms, reports, schedule, scoring, trends
from alongside.checkins.models import DEFAULT_QUESTIONNAIRE_EVERY_DAYS
from alongside.core.forms import add_validation_errors
from alongside.safety.support import offer_crisis_support

DEFAULT_DAYS = 30


def _today(user):
    return schedule.local_day(timezone.now(), access.zone_of(user))


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    programs = access.checkin_programs_of(request.user)
    if len(programs) == 1:
        return redirect("checkins:today", programs[0].slug)
    return render(request, "checkins/index.html", {"programs": programs})


@require_http_methods(["GET", "POST"])
def today(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_checkin_program_for(request.user, slug)
    day = _today(request.user)
    preference = access.preference_of(request.user, program)
    items = access.items_tracked_by(request.user, program, preference)
    # Read after a POST is handled: a successful one redirects without needing it.
    saved = None if request.method == "POST" else access.check_in_on(request.user, program, day)
    form = forms.CheckInForm(request.POST or None, items=items, initial=forms.initial_for(saved))
    if request.method == "POST" and form.is_valid():
        try:
            recorded = actions.record_check_in(
                request.user,
                program=program,
                mood=form.cleaned_data["mood"],
                values=form.values(),
                note=form.cleaned_data["note"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            if recorded.show_crisis_panel and recorded.screened is not None:
                offer_crisis_support(
                    request, program=program, assessment=recorded.screened.assessment
                )
            messages.success(
                request,
                _("Your check-in for today is saved.")
                if recorded.created or recorded.replayed
                else _("Your check-in for today is updated."),
            )
            return redirect("checkins:today", program.slug)
    if request.method == "POST":
        saved = access.check_in_on(request.user, program, day)
    questionnaires = access.questionnaires_for(request.user, program, day)
    return render(
        request,
        "checkins/today.html",
        {
            "program": program,
            "form": form,
            "saved": saved,
            "saved_key": access.last_submission_key(saved),
            "day": day,
            "questionnaires": questionnaires,
            "due_count": sum(1 for item in questionnaires if item.is_due),
            "preference": preference,
        },
    )


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_checkin_program_for(request.user, slug)
    preference = access.preference_of(request.user, program)
    offered = access.program_items_of(program)
    tracked = access.items_tracked_by(request.user, program, preference)
    form = forms.PreferencesForm(
        request.POST or None,
        offered=offered,
        initial={
            "remind_at": preference.remind_at if preference else None,
            "items": [item.key for item in tracked],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_check_in_preferences(
                request.user,
                program=program,
                remind_at=form.cleaned_data["remind_at"],
                item_keys=form.cleaned_data["items"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your check-in settings are saved."))
            return redirect("checkins:today", program.slug)
    return render(
        request,
        "checkins/preferences.html",
        {"program": program, "form": form, "time_zone": access.zone_of(request.user)},
    )


@require_http_methods(["GET", "POST"])
def questionnaire(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    program = access.get_checkin_program_for(request.user, slug)
    definition = access.get_questionnaire_for(request.user, program, code)
    form = forms.QuestionnaireForm(request.POST or None, questionnaire=definition)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = actions.submit_questionnaire(
                request.user, program=program, questionnaire=code, answers=form.answers()
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            if submitted.show_crisis_panel:
                offer_crisis_support(request, program=program, assessment="urgent")
            messages.success(
                request,
                _("Thank you. Your %(name)s score is %(score)d (%(band)s).")
                % {
                    "name": definition.name,
                    "score": submitted.score.score,
                    "band": _(submitted.score.band.label),
                },
            )
            return redirect("checkins:today", program.slug)
    return render(
        request,
        "checkins/questionnaire.html",
        {"program": program, "form": form, "questionnaire": definition},
    )


def _days_asked(request: HttpRequest) -> int:
    try:
        days = int(request.GET.get("days", DEFAULT_DAYS))
    except ValueError:
        return DEFAULT_DAYS
    return days if days in trends.WINDOWS else DEFAULT_DAYS


@require_safe
def my_trends(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_checkin_program_for(request.user, slug)
    days = _days_asked(request)
    found = reports.trends_of(request.user, program, days=days, today=_today(request.user))
    return render(
        request,
        "checkins/trends.html",
        {"program": program, "trends": found, "windows": trends.WINDOWS, "own": True},
    )


@require_safe
def member_trends(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    shared = access.get_shared_trends_for(request.user, slug, member_id)
    days = _days_asked(request)
    found = reports.trends_of(
        shared.member,
        shared.program,
        days=days,
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
    return render(
        request,
        "checkins/trends.html",
        {
            "program": shared.program,
            "trends": found,
            "windows": trends.WINDOWS,
            "own": False,
            "shared": shared,
        },
    )


# --- How a program runs check-ins (its coordinators and site admins) ---------------------------


@require_http_methods(["GET", "POST"])
def program_settings(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_managed_program_for(request.user, slug)
    schedules = {row.questionnaire: row for row in access.every_schedule_of(program)}
    questionnaires = [scoring.get_questionnaire(code) for code in scoring.QUESTIONNAIRES]
    initial: dict = {"missed_streak_days": access.settings_of(program).missed_streak_days}
    for code in scoring.QUESTIONNAIRES:
        row = schedules.get(code)
        initial[f"{code}_active"] = row.is_active if row else False
        initial[f"{code}_every_days"] = row.every_days if row else DEFAULT_QUESTIONNAIRE_EVERY_DAYS
    form = forms.ProgramRulesForm(
        request.POST or None, questionnaires=questionnaires, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_program_check_in_rules(
                request.user,
                program=program,
                missed_streak_days=form.cleaned_data["missed_streak_days"],
                schedules=[
                    actions.ScheduleChoice(code, is_active, every_days)
                    for code, is_active, every_days in form.schedule_choices()
                ],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The program's check-in settings are saved."))
            return redirect("checkins:program_settings", program.slug)
    return render(
        request,
        "checkins/program_settings.html",
        {"program": program, "form": form, "items": access.every_item_of(program)},
    )


@require_http_methods(["GET", "POST"])
def tracked_item_add(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_managed_program_for(request.user, slug)
    form = forms.TrackedItemForm(request.POST or None, is_new=True)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_tracked_item(
                request.user,
                program=program,
                label=form.cleaned_data["label"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("“%(item)s” is offered to members.") % {"item": item.label})
            return redirect("checkins:program_settings", program.slug)
    return render(
        request, "checkins/tracked_item.html", {"program": program, "form": form, "item": None}
    )


@require_http_methods(["GET", "POST"])
def tracked_item_edit(request: HttpRequest, slug: str, item_id: int) -> HttpResponse:
    program = access.get_managed_program_for(request.user, slug)
    item = access.get_tracked_item_for(program, item_id)
    form = forms.TrackedItemForm(
        request.POST or None,
        is_new=False,
        initial={"label": item.label, "position": item.position, "is_active": item.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_tracked_item(
                request.user,
                item=item,
                label=form.cleaned_data["label"],
                position=form.cleaned_data["position"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("“%(item)s” is saved.") % {"item": item.label})
            return redirect("checkins:program_settings", program.slug)
    return render(
        request, "checkins/tracked_item.html", {"program": program, "form": form, "item": item}
    )
