"""What people (and the site on their behalf) do with goals and recovery counters.

Every word a member or their peer supporter writes here is screened by crisis safety inside the
transaction that saves it; the caller gets the screening back (`Written.screened`) to offer
crisis support on the next page or in the API answer. Staff comments are not screened: screening
looks after the person who writes, and staff write here in their role, about someone else; a peer
supporter is a person in recovery too.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import record_access, record_list_access
from alongside.goals import access, kinds, paths, recovery
from alongside.goals.access import OpenedGoal
from alongside.goals.badges import badge_title
from alongside.goals.models import (
    COMMENT_LENGTH,
    HOW_LENGTH,
    MILESTONE_LENGTH,
    UPDATE_LENGTH,
    WHAT_LENGTH,
    WHY_LENGTH,
    Cheer,
    Comment,
    Goal,
    Milestone,
    OwnerKind,
    ProgressUpdate,
    RecoveryCounter,
    RecoveryRestart,
    Status,
    Visibility,
)
from alongside.notifications.actions import notify
from alongside.programs.models import Program, Role
from alongside.safety.actions import Screened, screen_writing

logger = logging.getLogger(__name__)

# Why staff opened a member's goals, as the access log records it.
SHARED_GOALS_PURPOSE = "shared_goals"


@dataclass(frozen=True)
class Written:
    """Something a person wrote and saved, with what screening made of it (None: not screened)."""

    item: Any
    screened: Screened | None

    @property
    def show_crisis_panel(self) -> bool:
        return self.screened is not None and self.screened.show_crisis_panel


def local_today(person, now: datetime | None = None) -> date:
    """Today's date where `person` lives (their profile's time zone)."""
    profile = getattr(person, "profile", None)
    zone = getattr(profile, "time_zone", "") or "UTC"
    return recovery.local_today(now or timezone.now(), zone)


def _length_error(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return _("Keep this to %(limit)d characters; it has %(count)d.") % {
            "limit": limit,
            "count": len(text),
        }
    return None


def _goal_errors(actor, *, what: str, why: str, how_measured: str, target_date, old_target=None):
    errors: dict[str, str] = {}
    if not what:
        errors["what"] = _("Say what you want to do, in a few words.")
    for name, text, limit in (
        ("what", what, WHAT_LENGTH),
        ("why", why, WHY_LENGTH),
        ("how_measured", how_measured, HOW_LENGTH),
    ):
        too_long = _length_error(text, limit)
        if too_long and name not in errors:
            errors[name] = too_long
    if target_date is None:
        errors["target_date"] = _("Choose a date to aim for; you can change it later.")
    elif target_date != old_target and target_date < local_today(actor):
        errors["target_date"] = _("This date has passed. Choose today or a later date.")
    return errors


def _screen_goal(actor, goal: Goal) -> Screened:
    text = "\n\n".join(part for part in (goal.what, goal.why, goal.how_measured) if part)
    return screen_writing(actor, program=goal.program, path=paths.GOAL, text=text, item=goal)


@transaction.atomic
def create_goal(
    actor,
    *,
    program: Program,
    what: str,
    why: str = "",
    how_measured: str = "",
    target_date: date | None,
    visibility: str = Visibility.PRIVATE,
) -> Written:
    """Set a goal of the actor's own in `program`, where they are a member, and screen its words.

    Raises ValidationError keyed by field, saving nothing, for an empty or over-long what, over-long
    why or how, a missing or past target date, or an unknown visibility; Http404 for a program
    where the actor is not a member.
    """
    if program not in access.goal_programs_of(actor):
        raise Http404
    what, why, how_measured = what.strip(), why.strip(), how_measured.strip()
    errors = _goal_errors(
        actor, what=what, why=why, how_measured=how_measured, target_date=target_date
    )
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who can see this goal.")
    if errors or target_date is None:
        raise ValidationError(errors)
    now = timezone.now()
    goal = Goal.objects.create(
        program=program,
        owner_kind=OwnerKind.MEMBER,
        owner_member=actor,
        what=what,
        why=why,
        how_measured=how_measured,
        target_date=target_date,
        visibility=visibility,
        created_at=now,
        updated_at=now,
    )
    return Written(goal, _screen_goal(actor, goal))


@transaction.atomic
def update_goal(
    actor,
    *,
    goal: Goal,
    what: str,
    why: str,
    how_measured: str,
    target_date: date | None,
    visibility: str,
) -> Written:
    """Change the actor's own goal and screen its words again.

    A target date kept as it was may lie in the past; a new one may not. Raises ValidationError
    keyed by field, saving nothing, as `create_goal` does; Http404 for a goal not the actor's.
    """
    if goal.owner_member_id != actor.pk:
        raise Http404
    what, why, how_measured = what.strip(), why.strip(), how_measured.strip()
    errors = _goal_errors(
        actor,
        what=what,
        why=why,
        how_measured=how_measured,
        target_date=target_date,
        old_target=goal.target_date,
    )
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who can see this goal.")
    if errors or target_date is None:
        raise ValidationError(errors)
    goal.what, goal.why, goal.how_measured = what, why, how_measured
    goal.target_date = target_date
    goal.visibility = visibility
    goal.updated_at = timezone.now()
    goal.save()
    return Written(goal, _screen_goal(actor, goal))


@transaction.atomic
def set_goal_status(actor, *, goal: Goal, status: str) -> Goal:
    """Mark the actor's own goal active, achieved or set aside.

    Raises ValidationError for an unknown status; Http404 for a goal not the actor's.
    """
    if goal.owner_member_id != actor.pk:
        raise Http404
    if status not in Status.values:
        raise ValidationError({"status": _("Choose working on it, achieved or set aside.")})
    now = timezone.now()
    goal.status = status
    goal.closed_at = None if status == Status.ACTIVE else now
    goal.updated_at = now
    goal.save(update_fields=["status", "closed_at", "updated_at"])
    return goal


@transaction.atomic
def delete_goal(actor, *, goal: Goal) -> None:
    """Delete the actor's own goal with its steps, progress, comments and cheers."""
    if goal.owner_member_id != actor.pk:
        raise Http404
    goal.delete()


@transaction.atomic
def add_milestone(actor, *, goal: Goal, title: str, due_date: date | None = None) -> Written:
    """Add a step at the end of the actor's own goal and screen its words.

    Raises ValidationError keyed by field, saving nothing, for an empty or over-long title.
    """
    if goal.owner_member_id != actor.pk:
        raise Http404
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Say what this step is.")})
    too_long = _length_error(title, MILESTONE_LENGTH)
    if too_long:
        raise ValidationError({"title": too_long})
    # Locking the goal row serialises two steps added at once, so positions never collide.
    Goal.objects.select_for_update().filter(pk=goal.pk).first()
    last = goal.milestones.aggregate(last=Max("position"))["last"] or 0
    milestone = Milestone.objects.create(
        goal=goal, position=last + 1, title=title, due_date=due_date
    )
    screened = screen_writing(
        actor, program=goal.program, path=paths.MILESTONE, text=title, item=milestone
    )
    return Written(milestone, screened)


@transaction.atomic
def reach_milestone(actor, *, goal: Goal, milestone: Milestone) -> bool:
    """Mark a step of the actor's own goal reached and tell everyone the goal is shared with,
    returning True; a step already reached changes nothing and tells nobody (False)."""
    if goal.owner_member_id != actor.pk or milestone.goal_id != goal.pk:
        raise Http404
    now = timezone.now()
    reached = Milestone.objects.filter(pk=milestone.pk, reached_at__isnull=True).update(
        reached_at=now
    )
    if not reached:
        return False
    milestone.reached_at = now
    goal.updated_at = now
    goal.save(update_fields=["updated_at"])
    people = get_user_model().objects.filter(pk__in=access.sharers_of(goal))
    for person in people:
        # No words of the goal in the title: it is also an email subject and a lock-screen line.
        notify(
            person,
            kind=kinds.MILESTONE_REACHED,
            title=_("%(name)s reached a step of a goal") % {"name": actor.display_name},
            url=goal.get_absolute_url(),
            program=goal.program,
        )
    return True


@transaction.atomic
def cheer_milestone(actor, *, opened: OpenedGoal, milestone: Milestone) -> bool:
    """Cheer a reached step of a goal shared with the actor, once; returns True the first time,
    when the owner is told, and False after that.

    Raises ValidationError for a step not reached yet; Http404 for the owner or a step of
    another goal.
    """
    if opened.is_owner or milestone.goal_id != opened.goal.pk:
        raise Http404
    if not milestone.is_reached:
        raise ValidationError(_("You can cheer a step once it is reached."))
    _cheer, created = Cheer.objects.get_or_create(milestone=milestone, person=actor)
    if created and opened.goal.owner_member is not None:
        notify(
            opened.goal.owner_member,
            kind=kinds.CHEER,
            title=_("%(name)s cheered a step you reached") % {"name": actor.display_name},
            url=opened.goal.get_absolute_url(),
            program=opened.goal.program,
        )
    return created


def _percent_error(percent: int | None) -> str | None:
    if percent is not None and not 0 <= percent <= 100:
        return _("Give a percentage from 0 to 100, or leave it empty.")
    return None


@transaction.atomic
def add_progress_update(actor, *, goal: Goal, text: str, percent: int | None = None) -> Written:
    """Record progress on the actor's own goal and screen its words.

    Raises ValidationError keyed by field, saving nothing, for empty or over-long text or a
    percentage outside 0-100.
    """
    if goal.owner_member_id != actor.pk:
        raise Http404
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = _("Say what happened, even in a few words.")
    elif too_long := _length_error(text, UPDATE_LENGTH):
        errors["text"] = too_long
    if percent_error := _percent_error(percent):
        errors["percent"] = percent_error
    if errors:
        raise ValidationError(errors)
    update = ProgressUpdate.objects.create(goal=goal, author=actor, text=text, percent=percent)
    Goal.objects.filter(pk=goal.pk).update(updated_at=update.created_at)
    screened = screen_writing(
        actor, program=goal.program, path=paths.PROGRESS_UPDATE, text=text, item=update
    )
    return Written(update, screened)


@transaction.atomic
def add_comment(actor, *, opened: OpenedGoal, text: str) -> Written:
    """Comment on a goal the actor owns or that is shared with them; the owner's and a peer
    supporter's words are screened.

    Raises ValidationError keyed by field, saving nothing, for empty or over-long text.
    """
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    too_long = _length_error(text, COMMENT_LENGTH)
    if too_long:
        raise ValidationError({"text": too_long})
    comment = Comment.objects.create(goal=opened.goal, author=actor, text=text)
    screened = None
    if opened.is_owner or opened.role == Role.SUPPORTER:
        screened = screen_writing(
            actor, program=opened.goal.program, path=paths.COMMENT, text=text, item=comment
        )
    return Written(comment, screened)


@transaction.atomic
def read_shared_goal(actor, *, opened: OpenedGoal, request=None) -> None:
    """Log that staff or the peer supporter open a member's goal; the owner reading their own
    logs nothing."""
    if opened.is_owner:
        return
    record_access(
        actor,
        actor_role=opened.role,
        subject=opened.goal.owner_member,
        obj=opened.goal,
        purpose=SHARED_GOALS_PURPOSE,
        program=opened.goal.program,
        request=request,
    )


@transaction.atomic
def read_shared_goal_list(
    actor, *, program: Program, role: str, goals: list[Goal], request=None
) -> None:
    """Log one read per goal staff or a peer supporter see on a list of shared goals."""
    record_list_access(
        actor,
        actor_role=role,
        records=[(goal.owner_member, goal) for goal in goals],
        purpose=SHARED_GOALS_PURPOSE,
        program=program,
        request=request,
    )


# --- Recovery counter --------------------------------------------------------------------------


@transaction.atomic
def set_recovery_start(actor, *, started_on: date | None) -> RecoveryCounter:
    """Start the actor's days-in-recovery counter on `started_on`, or start it again there; a
    start left behind is kept in the actor's private history. Badges already reached on the new
    start are not celebrated again.

    Raises ValidationError keyed by field, saving nothing, for a missing or future date.
    """
    today = local_today(actor)
    if started_on is None:
        raise ValidationError({"started_on": _("Choose the day your recovery started.")})
    if started_on > today:
        raise ValidationError(
            {"started_on": _("This date is still to come. Choose today or an earlier date.")}
        )
    already = len(recovery.badges_reached(started_on, today))
    counter = RecoveryCounter.objects.select_for_update().filter(member=actor).first()
    if counter is None:
        return RecoveryCounter.objects.create(
            member=actor, started_on=started_on, badges_celebrated=already
        )
    if counter.started_on != started_on:
        RecoveryRestart.objects.create(member=actor, started_on=counter.started_on, ended_on=today)
    counter.started_on = started_on
    counter.badges_celebrated = already
    counter.updated_at = timezone.now()
    counter.save(update_fields=["started_on", "badges_celebrated", "updated_at"])
    return counter


@transaction.atomic
def show_recovery_counter(actor, *, shown: bool) -> RecoveryCounter:
    """Show the actor's counter on their profile, or hide it; Http404 before they start one."""
    counter = access.own_recovery_counter(actor)
    if counter is None:
        raise Http404
    counter.shown_on_profile = shown
    counter.updated_at = timezone.now()
    counter.save(update_fields=["shown_on_profile", "updated_at"])
    return counter


@transaction.atomic
def celebrate_recovery_badges(member, *, now: datetime | None = None) -> list[recovery.Badge]:
    """Tell the member about badges their counter reached since the last celebration, once:
    one notification naming the newest. Returns the badges newly celebrated."""
    counter = RecoveryCounter.objects.select_for_update().filter(member=member).first()
    if counter is None:
        return []
    new = recovery.badges_to_celebrate(
        counter.started_on, local_today(member, now), counter.badges_celebrated
    )
    if not new:
        return []
    RecoveryCounter.objects.filter(pk=counter.pk).update(
        badges_celebrated=F("badges_celebrated") + len(new)
    )
    notify(
        member,
        kind=kinds.RECOVERY_BADGE,
        title=badge_title(new[-1]),
        url=reverse("goals:recovery"),
    )
    return new


def celebrate_due_recovery_badges(now: datetime | None = None) -> int:
    """Celebrate every counter's newly reached badges, each member in their own transaction;
    returns how many members were told. A failure for one member does not stop the others."""
    told = 0
    members = get_user_model().objects.filter(recovery_counter__isnull=False, is_active=True)
    for member in members.select_related("profile").iterator():
        try:
            told += bool(celebrate_recovery_badges(member, now=now))
        except Exception:
            logger.exception("Could not celebrate recovery badges of %s", member.pk)
    return told
