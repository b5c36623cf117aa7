"""Thin views of goals and recovery counters: access, action, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.core.forms import add_validation_errors
from alongside.goals import access, actions, recovery
from alongside.goals.access import OpenedGoal
from alongside.goals.badges import badge_label
from alongside.goals.forms import (
    CommentForm,
    GoalForm,
    MilestoneForm,
    ProgressForm,
    RecoveryShownForm,
    RecoveryStartForm,
    StatusForm,
)
from alongside.goals.models import Status
from alongside.groups.models import Group
from alongside.pairing.models import Pairing
from alongside.privacy.access import has_sharing_consent
from alongside.privacy.models import Audience, Scope
from alongside.programs.access import memberships_of
from alongside.programs.models import Role
from alongside.safety.support import offer_crisis_support

# The goal page shows the celebration of a step once, right after it is reached.
CELEBRATION_KEY = "goals.celebration"


def _offer_support_if_flagged(request: HttpRequest, written: actions.Written, program) -> None:
    if written.show_crisis_panel and written.screened is not None:
        offer_crisis_support(request, program=program, assessment=written.screened.assessment)


def _staff_programs(user) -> list:
    return [
        membership.program
        for membership in memberships_of(user)
        if membership.has_role(*access.STAFF_READER_ROLES)
    ]


def _goal_form(request: HttpRequest, **more) -> GoalForm:
    return GoalForm(
        request.POST or None,
        programs=access.goal_programs_of(request.user),
        pairs=list(access.pairs_of(request.user)),
        groups=access.groups_led_by(request.user),
        **more,
    )


@require_safe
def goal_list(request: HttpRequest) -> HttpResponse:
    can_set_goals = (
        bool(access.goal_programs_of(request.user))
        or access.pairs_of(request.user).exists()
        or bool(access.groups_led_by(request.user))
    )
    return render(
        request,
        "goals/goal_list.html",
        {
            "goals": list(access.goals_of(request.user)),
            "pair_goals": list(access.pair_goals_of(request.user)),
            "group_goals": list(access.group_goals_of(request.user)),
            "can_set_goals": can_set_goals,
            "counter": _counter_summary(request.user),
            "staff_programs": _staff_programs(request.user),
        },
    )


def _create(request: HttpRequest, form: GoalForm) -> actions.Written:
    data = form.cleaned_data
    smart = {
        "what": data["what"],
        "why": data["why"],
        "how_measured": data["how_measured"],
        "target_date": data["target_date"],
    }
    owner = form.chosen_owner()
    if isinstance(owner, Pairing):
        return actions.create_pair_goal(request.user, pairing=owner, **smart)
    if isinstance(owner, Group):
        return actions.create_group_goal(request.user, group=owner, **smart)
    return actions.create_goal(
        request.user,
        program=form.chosen_program(),
        visibility=form.chosen_visibility(),
        **smart,
    )


@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("owner")
    form = _goal_form(request, initial={"owner": chosen} if chosen else None)
    if not form.programs and not form.owners:
        raise Http404
    if request.method == "POST" and form.is_valid():
        try:
            written = _create(request, form)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support_if_flagged(request, written, written.item.program)
            messages.success(request, _("Your goal is set. Add the first step when you are ready."))
            return redirect(written.item)
    return render(request, "goals/goal_form.html", {"form": form, "goal": None})


@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = access.get_goal_for(request.user, goal_id, need="edit").goal
    initial = {
        "what": goal.what,
        "why": goal.why,
        "how_measured": goal.how_measured,
        "target_date": goal.target_date,
        "visibility": goal.visibility,
    }
    form = GoalForm(request.POST or None, initial=initial, editing=goal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            written = actions.update_goal(
                request.user,
                goal=goal,
                what=data["what"],
                why=data["why"],
                how_measured=data["how_measured"],
                target_date=data["target_date"],
                visibility=data.get("visibility", goal.visibility),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support_if_flagged(request, written, goal.program)
            messages.success(request, _("Your goal is saved."))
            return redirect(goal)
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal})


def _render_goal(request: HttpRequest, opened: OpenedGoal, **forms) -> HttpResponse:
    actions.read_shared_goal(request.user, opened=opened, request=request)
    goal = access.goal_page_parts(opened.goal)
    celebrated = request.session.pop(CELEBRATION_KEY, None)
    milestones = list(goal.milestones.all())
    context = {
        "goal": goal,
        "opened": opened,
        "milestones": milestones,
        "celebrated": next((m for m in milestones if m.pk == celebrated), None),
        "next_position": len(milestones) + 1,
        "cheered": {
            milestone.pk
            for milestone in milestones
            for cheer in milestone.cheers.all()
            if cheer.person_id == request.user.pk
        },
        "comment_form": forms.get("comment_form") or CommentForm(),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "statuses": Status.choices,
    }
    if opened.is_owner:
        context |= {
            "staff_consent": has_sharing_consent(
                request.user, program=goal.program, audience=Audience.STAFF, scope=Scope.GOALS
            ),
            "supporter_consent": has_sharing_consent(
                request.user, program=goal.program, audience=Audience.SUPPORTER, scope=Scope.GOALS
            ),
        }
    return render(request, "goals/goal_detail.html", context)


@require_safe
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    return _render_goal(request, access.get_goal_for(request.user, goal_id, need="view"))


@require_POST
def goal_status(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = access.get_goal_for(request.user, goal_id, need="edit").goal
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose working on it, achieved or set aside."))
        return redirect(goal)
    actions.set_goal_status(request.user, goal=goal, status=form.cleaned_data["status"])
    if goal.status == Status.ACHIEVED:
        messages.success(request, _("You achieved your goal. That took work: well done."))
    else:
        messages.success(request, _("Your goal is updated."))
    return redirect(goal)


@require_POST
def goal_delete(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = access.get_goal_for(request.user, goal_id, need="edit").goal
    actions.delete_goal(request.user, goal=goal)
    messages.success(request, _("Your goal is deleted."))
    return redirect("goals:list")


def _write_on_goal(request, opened, form, *, form_name: str, write, done: str) -> HttpResponse:
    """The one flow of the goal page's small forms: validate, write through an action (which
    screens the text), offer crisis support when flagged, or show the form again with its errors."""
    if form.is_valid():
        try:
            written = write(form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support_if_flagged(request, written, opened.goal.program)
            messages.success(request, done)
            return redirect(opened.goal)
    return _render_goal(request, opened, **{form_name: form})


@require_POST
def milestone_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    opened = access.get_goal_for(request.user, goal_id, need="edit")
    return _write_on_goal(
        request,
        opened,
        MilestoneForm(request.POST),
        form_name="milestone_form",
        write=lambda data: actions.add_milestone(
            request.user, goal=opened.goal, title=data["title"], due_date=data["due_date"]
        ),
        done=_("Step added."),
    )


@require_POST
def milestone_reach(request: HttpRequest, goal_id: int, milestone_id: int) -> HttpResponse:
    opened = access.get_goal_for(request.user, goal_id, need="edit")
    milestone = access.get_milestone_for(opened, milestone_id)
    if actions.reach_milestone(request.user, goal=opened.goal, milestone=milestone):
        request.session[CELEBRATION_KEY] = milestone.pk
    return redirect(opened.goal)


@require_POST
def milestone_cheer(request: HttpRequest, goal_id: int, milestone_id: int) -> HttpResponse:
    opened = access.get_goal_for(request.user, goal_id, need="cheer")
    milestone = access.get_milestone_for(opened, milestone_id)
    try:
        if actions.cheer_milestone(request.user, opened=opened, milestone=milestone):
            messages.success(request, _("Your cheer is sent."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(opened.goal)


@require_POST
def progress_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    opened = access.get_goal_for(request.user, goal_id, need="progress")
    return _write_on_goal(
        request,
        opened,
        ProgressForm(request.POST),
        form_name="progress_form",
        write=lambda data: actions.add_progress_update(
            request.user, goal=opened.goal, text=data["text"], percent=data["percent"]
        ),
        done=_("Progress saved."),
    )


@require_POST
def comment_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    opened = access.get_goal_for(request.user, goal_id, need="comment")
    return _write_on_goal(
        request,
        opened,
        CommentForm(request.POST),
        form_name="comment_form",
        write=lambda data: actions.add_comment(request.user, opened=opened, text=data["text"]),
        done=_("Comment added."),
    )


@require_safe
def shared_goals(request: HttpRequest, slug: str) -> HttpResponse:
    program, role = access.get_shared_goals_program_for(request.user, slug)
    goals = list(access.goals_shared_with(request.user, program, role))
    actions.read_shared_goal_list(
        request.user, program=program, role=role, goals=goals, request=request
    )
    return render(
        request,
        "goals/shared_goals.html",
        {"program": program, "goals": goals, "as_supporter": role == Role.SUPPORTER},
    )


@require_safe
def group_goals(request: HttpRequest, program_slug: str, group_slug: str) -> HttpResponse:
    group, may_set = access.get_group_goals_for(request.user, program_slug, group_slug)
    return render(
        request,
        "goals/group_goals.html",
        {"group": group, "goals": list(access.goals_of_group(group)), "may_set": may_set},
    )


# --- Recovery counter --------------------------------------------------------------------------


def _counter_summary(user) -> dict | None:
    counter = access.own_recovery_counter(user)
    if counter is None:
        return None
    today = actions.local_today(user)
    reached = recovery.badges_reached(counter.started_on, today)
    upcoming = recovery.next_badge(counter.started_on, today)
    return {
        "counter": counter,
        "days": recovery.days_in_recovery(counter.started_on, today),
        "badges": [(badge, badge_label(badge)) for badge in reached],
        "next_badge": upcoming,
        "next_label": badge_label(upcoming),
        "days_to_next": (upcoming.reached_on - today).days,
    }


def _render_recovery(request: HttpRequest, form: RecoveryStartForm) -> HttpResponse:
    actions.celebrate_recovery_badges(request.user)
    summary = _counter_summary(request.user)
    return render(
        request,
        "goals/recovery.html",
        {
            "summary": summary,
            "form": form,
            "shown_form": RecoveryShownForm(
                initial={"shown": summary is not None and summary["counter"].shown_on_profile}
            ),
            "restarts": list(access.recovery_restarts_of(request.user)),
            "today": actions.local_today(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_counter(request: HttpRequest) -> HttpResponse:
    form = RecoveryStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        had_counter = access.own_recovery_counter(request.user) is not None
        try:
            actions.set_recovery_start(request.user, started_on=form.cleaned_data["started_on"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                _("Your counter starts again. Every day counts.")
                if had_counter
                else _("Your counter is started."),
            )
            return redirect("goals:recovery")
    return _render_recovery(request, form)


@require_POST
def recovery_shown(request: HttpRequest) -> HttpResponse:
    form = RecoveryShownForm(request.POST)
    form.is_valid()
    shown = form.cleaned_data.get("shown", False)
    actions.show_recovery_counter(request.user, shown=shown)
    messages.success(
        request,
        _("Your days are shown on your profile.") if shown else _("Your days are hidden."),
    )
    return redirect("goals:recovery")
