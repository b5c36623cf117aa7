"""What people (and the site on their behalf) do with goals and recovery counters.

Every word written here is screened by crisis safety inside the transaction that saves it,
whoever owns the goal (a member, a pair or a group); the caller gets the screening back
(`Written.screened`) to offer crisis support on the next page or in the API answer. Comments of
program staff on a member's shared goal are not screened: screening looks after the person who
writes, and staff write there in their role, about someone else; a peer supporter, a group member
or a facilitator is a person in recovery too.

Each action checks again, through `access.opening_of`, that the actor may do what it does.
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
from alongside.goals.access import GoalNeed, OpenedGoal
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
from alongside.groups.access import may_manage
from alongside.groups.models import Group
from alongside.notifications.actions import notify
from alongside.pairing.models import Pairing
from alongside.programs.models import Program
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


def _require(actor, goal: Goal, need: GoalNeed) -> OpenedGoal:
    """The actor's opening of `goal` if it lets them `need` it; else Http404."""
    opened = access.opening_of(actor, goal)
    if opened is None or need not in opened.needs:
        raise Http404
    return opened


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


def _new_shared_goal(actor, *, what: str, why: str, how_measured: str, target_date, **owner):
    what, why, how_measured = what.strip(), why.strip(), how_measured.strip()
    errors = _goal_errors(
        actor, what=what, why=why, how_measured=how_measured, target_date=target_date
    )
    if errors or target_date is None:
        raise ValidationError(errors)
    now = timezone.now()
    goal = Goal.objects.create(
        what=what,
        why=why,
        how_measured=how_measured,
        target_date=target_date,
        created_at=now,
        updated_at=now,
        **owner,
    )
    return Written(goal, _screen_goal(actor, goal))


@transaction.atomic
def create_pair_goal(
    actor,
    *,
    pairing: Pairing,
    what: str,
    why: str = "",
    how_measured: str = "",
    target_date: date | None,
) -> Written:
    """Set a goal for the actor's live pairing (either of its two people may) and screen its words.

    Raises ValidationError keyed by field, saving nothing, as `create_goal` does; Http404 unless
    the actor is one of the two people of a live pairing (the supporter still in role).
    """
    if pairing.pk not in {p.pk for p in access.pairs_of(actor)}:
        raise Http404
    return _new_shared_goal(
        actor,
        what=what,
        why=why,
        how_measured=how_measured,
        target_date=target_date,
        program=pairing.program,
        owner_kind=OwnerKind.PAIR,
        owner_pairing=pairing,
    )


@transaction.atomic
def create_group_goal(
    actor,
    *,
    group: Group,
    what: str,
    why: str = "",
    how_measured: str = "",
    target_date: date | None,
) -> Written:
    """Set a goal for a group the actor runs (groups.access.may_manage) and screen its words.

    Raises ValidationError keyed by field, saving nothing, as `create_goal` does; Http404 for a
    group the actor may not manage.
    """
    if not may_manage(actor, group):
        raise Http404
    return _new_shared_goal(
        actor,
        what=what,
        why=why,
        how_measured=how_measured,
        target_date=target_date,
        program=group.program,
        owner_kind=OwnerKind.GROUP,
        owner_group=group,
    )


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
    """Change a goal the actor may edit and screen its words again; the visibility of a pair or
    group goal stays as it is (their pair or group alone see it).

    A target date kept as it was may lie in the past; a new one may not. Raises ValidationError
    keyed by field, saving nothing, as `create_goal` does; Http404 for a goal the actor may not
    edit.
    """
    _require(actor, goal, "edit")
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
    if goal.owner_kind == OwnerKind.MEMBER:
        goal.visibility = visibility
    goal.updated_at = timezone.now()
    goal.save()
    return Written(goal, _screen_goal(actor, goal))


@transaction.atomic
def set_goal_status(actor, *, goal: Goal, status: str) -> Goal:
    """Mark a goal the actor may edit active, achieved or set aside.

    Raises ValidationError for an unknown status; Http404 for a goal the actor may not edit.
    """
    _require(actor, goal, "edit")
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
    """Delete a goal the actor may edit with its steps, progress, comments and cheers."""
    _require(actor, goal, "edit")
    goal.delete()


@transaction.atomic
def add_milestone(actor, *, goal: Goal, title: str, due_date: date | None = None) -> Written:
    """Add a step at the end of a goal the actor may edit and screen its words.

    Raises ValidationError keyed by field, saving nothing, for an empty or over-long title.
    """
    _require(actor, goal, "edit")
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
    """Mark a step of a goal the actor may edit reached and tell everyone who shares the goal
    but the actor, returning True; a step already reached changes nothing and tells nobody
    (False)."""
    _require(actor, goal, "edit")
    if milestone.goal_id != goal.pk:
        raise Http404
    now = timezone.now()
    reached = Milestone.objects.filter(pk=milestone.pk, reached_at__isnull=True).update(
        reached_at=now, reached_by=actor
    )
    if not reached:
        return False
    milestone.reached_at = now
    milestone.reached_by = actor
    goal.updated_at = now
    goal.save(update_fields=["updated_at"])
    told = [person for person in access.people_sharing(goal) if person != actor.pk]
    people = get_user_model().objects.filter(pk__in=told)
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
    """Cheer a reached step of a goal the actor may cheer, once; returns True the first time,
    when whoever reached the step is told, and False after that.

    Raises ValidationError for a step not reached yet or reached by the actor; Http404 for
    someone who may not cheer (a member goal's owner) or a step of another goal.
    """
    if not opened.may_cheer or milestone.goal_id != opened.goal.pk:
        raise Http404
    if not milestone.is_reached:
        raise ValidationError(_("You can cheer a step once it is reached."))
    if milestone.reached_by_id == actor.pk:
        raise ValidationError(_("You reached this step yourself: the others can cheer it."))
    _cheer, created = Cheer.objects.get_or_create(milestone=milestone, person=actor)
    # Steps reached before anyone was recorded as reaching them were reached by the owner.
    reached_by = milestone.reached_by or opened.goal.owner_member
    if created and reached_by is not None:
        notify(
            reached_by,
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
    """Record progress on a goal the actor may write progress on and screen its words.

    Raises ValidationError keyed by field, saving nothing, for empty or over-long text or a
    percentage outside 0-100.
    """
    _require(actor, goal, "progress")
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
    """Comment on a goal the actor may comment on; everyone's words are screened but program
    staff's on a member's shared goal.

    Raises ValidationError keyed by field, saving nothing, for empty or over-long text.
    """
    if not opened.may_comment:
        raise Http404
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write something first.")})
    too_long = _length_error(text, COMMENT_LENGTH)
    if too_long:
        raise ValidationError({"text": too_long})
    comment = Comment.objects.create(goal=opened.goal, author=actor, text=text)
    screened = None
    if opened.role not in access.STAFF_READER_ROLES:
        screened = screen_writing(
            actor, program=opened.goal.program, path=paths.COMMENT, text=text, item=comment
        )
    return Written(comment, screened)


@transaction.atomic
def read_shared_goal(actor, *, opened: OpenedGoal, request=None) -> None:
    """Log that staff or the peer supporter open a member's goal, or the supporter a pair goal;
    the owner reading their own, and anyone reading a group goal, log nothing."""
    if not opened.is_logged_read:
        return
    record_access(
        actor,
        actor_role=opened.role,
        subject=opened.subject,
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
