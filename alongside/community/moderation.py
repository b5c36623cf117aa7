"""What moderators do in a program's community, and how members ask them to look.

- A member reports a post with a reason (and words, if they like). A report for someone at risk
  also reaches the crisis-safety concern queue, with the writer behind the post, so a person
  trained for it looks even when no moderator is around.
- A moderator works the queue: posts with open reports and posts waiting for approval, each in
  its thread. They hide or restore a post or thread, approve a post, dismiss reports, lock,
  unlock or move a thread, warn a writer or suspend them for some days. Acting on a post closes
  its open reports.
- Every action is written to the log (`ModerationAction`), and a warned, suspended or hidden
  writer is told, on their notices page and by a notification, without the moderator learning
  who they are: actions name the author a post was written under; `identity` finds the person.

Each function checks, through `access`, that the actor is a moderator of the program.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.community import access, identity, kinds, paths
from alongside.community.models import (
    NOTE_LENGTH,
    ActionKind,
    CommunitySettings,
    ModerationAction,
    Post,
    Report,
    ReportReason,
    Space,
    Thread,
)
from alongside.programs.models import Program, Role
from alongside.safety.actions import flag_reported_writing

SUSPENSION_DAYS = (1, 3, 7, 30)
WARNING_SHORTEST = 10


def settings_of(program: Program) -> CommunitySettings:
    """The program's community settings, created with the defaults on first use."""
    settings, _created = CommunitySettings.objects.get_or_create(program=program)
    return settings


def _note_errors(note: str, *, field: str = "note", required: bool = False) -> dict[str, str]:
    if required and len(note) < WARNING_SHORTEST:
        return {field: _("Write a sentence or two: the writer reads this.")}
    if len(note) > NOTE_LENGTH:
        return {
            field: _("Keep this to %(limit)d characters; it has %(count)d.")
            % {"limit": NOTE_LENGTH, "count": len(note)}
        }
    return {}


@transaction.atomic
def report_post(actor, *, post: Post, reason: str, details: str = "") -> Report:
    """Ask the moderators to look at `post`. Reporting a post again while the first report is
    open changes nothing; your own post cannot be reported. ValidationError (nothing saved) for
    an unknown reason or over-long details."""
    program = post.thread.space.program
    viewer = access.viewer_in(actor, program.slug)
    access.get_post_by_id(viewer, post.pk)
    details = details.strip()
    errors = _note_errors(details, field="details")
    if reason not in ReportReason.values:
        errors["reason"] = _("Choose what is wrong with the post.")
    if errors:
        raise ValidationError(errors)
    if identity.is_owner(actor, post.author):
        raise ValidationError({"reason": _("This is your own post: you can edit it instead.")})
    existing = Report.objects.open().filter(post=post, reporter=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            report = Report.objects.create(
                post=post, reporter=actor, reason=reason, details=details
            )
    except IntegrityError:
        # The same person reporting twice at once: the first report stands.
        return Report.objects.open().get(post=post, reporter=actor)
    if reason == ReportReason.AT_RISK:
        writer = identity.writer_for_safety(post.author)
        if writer is not None:
            flag_reported_writing(
                writer,
                program=program,
                path=paths.POST,
                item=post,
                anonymous=post.author.is_anonymous,
            )
    _tell_moderators_of_report(program, actor)
    return report


def _tell_moderators_of_report(program: Program, reporter) -> None:
    from django.contrib.auth import get_user_model

    from alongside.notifications.actions import notify_each
    from alongside.safety.access import moderators_of

    moderators = get_user_model().objects.filter(pk__in=moderators_of(program))
    notify_each(
        moderators.exclude(pk=reporter.pk),
        kind=kinds.REPORTED,
        title=_("A member reported a post in the community"),
        url=reverse("community:moderation", args=[program.slug]),
        program=program,
    )


def _clean_note(note: str, *, required: bool = False) -> str:
    """The note stripped, or ValidationError on "note" when missing (if required) or too long."""
    note = note.strip()
    errors = _note_errors(note, required=required)
    if errors:
        raise ValidationError(errors)
    return note


def _log_on_post(viewer: access.Viewer, kind: str, post: Post, **fields) -> ModerationAction:
    return _log(viewer, kind, post=post, thread=post.thread, author=post.author, **fields)


def _log(viewer: access.Viewer, kind: str, **fields) -> ModerationAction:
    return ModerationAction.objects.create(
        program=viewer.program, moderator=viewer.user, kind=kind, **fields
    )


def _close_reports(post: Post, actor) -> int:
    return (
        Report.objects.open()
        .filter(post=post)
        .update(resolved_at=timezone.now(), resolved_by=actor)
    )


def _tell_writer(action: ModerationAction, title: str) -> None:
    if action.author is None:
        return
    identity.tell_writer(
        action.author,
        kind=kinds.MODERATED,
        title=title,
        url=reverse("community:notices", args=[action.program.slug]),
        program=action.program,
    )


def _post_of(actor, post_id: int) -> tuple[access.Viewer, Post]:
    post = Post.objects.select_related("thread__space__program", "author").get(pk=post_id)
    viewer = access.moderator_in(actor, post.thread.space.program.slug)
    return viewer, access.get_post_by_id(viewer, post.pk)


@transaction.atomic
def hide_post(actor, *, post: Post, note: str = "") -> ModerationAction:
    """Hide a post from everyone but the moderators; its writer is told why."""
    viewer, post = _post_of(actor, post.pk)
    note = _clean_note(note)
    if post.is_hidden:
        raise ValidationError(_("This post is already hidden."))
    Post.objects.filter(pk=post.pk).update(is_hidden=True)
    _close_reports(post, actor)
    action = _log_on_post(viewer, ActionKind.HIDE_POST, post, note=note)
    _tell_writer(action, _("A moderator hid one of your posts"))
    return action


@transaction.atomic
def restore_post(actor, *, post: Post, note: str = "") -> ModerationAction:
    """Show a hidden post again."""
    viewer, post = _post_of(actor, post.pk)
    note = _clean_note(note)
    if not post.is_hidden:
        raise ValidationError(_("This post is not hidden."))
    Post.objects.filter(pk=post.pk).update(is_hidden=False)
    return _log_on_post(viewer, ActionKind.RESTORE_POST, post, note=note)


@transaction.atomic
def approve_post(actor, *, post: Post) -> ModerationAction:
    """Let a post waiting for approval through (and its thread, when it opens one); the writer
    is told, and their later posts are not held."""
    viewer, post = _post_of(actor, post.pk)
    if not Post.objects.filter(pk=post.pk, is_pending=True).update(is_pending=False):
        raise ValidationError(_("This post is not waiting for approval."))
    if post.number == 1:
        Thread.objects.filter(pk=post.thread_id).update(is_pending=False)
    action = _log_on_post(viewer, ActionKind.APPROVE_POST, post)
    from alongside.community import tasks

    # Now others may see it: its thread's followers and the people it mentions are told.
    transaction.on_commit(partial(tasks.tell_about_post, post.pk), robust=True)
    _tell_writer(action, _("Your post was approved: everyone can read it now"))
    return action


@transaction.atomic
def dismiss_reports(actor, *, post: Post, note: str = "") -> ModerationAction:
    """Close a post's open reports and leave the post as it is."""
    viewer, post = _post_of(actor, post.pk)
    note = _clean_note(note)
    if not _close_reports(post, actor):
        raise ValidationError(_("This post has no open reports."))
    return _log_on_post(viewer, ActionKind.DISMISS_REPORTS, post, note=note)


def _thread_of(actor, thread_id: int) -> tuple[access.Viewer, Thread]:
    thread = Thread.objects.select_related("space__program").get(pk=thread_id)
    viewer = access.moderator_in(actor, thread.space.program.slug)
    return viewer, access.get_thread_by_id(viewer, thread.pk)


THREAD_CHANGES: dict[str, tuple[str, bool]] = {
    # action: (field, value)
    ActionKind.HIDE_THREAD: ("is_hidden", True),
    ActionKind.RESTORE_THREAD: ("is_hidden", False),
    ActionKind.LOCK_THREAD: ("is_locked", True),
    ActionKind.UNLOCK_THREAD: ("is_locked", False),
}


def _already(kind: str) -> str:
    refusals: dict[str, str] = {
        ActionKind.HIDE_THREAD: _("This thread is already hidden."),
        ActionKind.RESTORE_THREAD: _("This thread is not hidden."),
        ActionKind.LOCK_THREAD: _("This thread is already locked."),
        ActionKind.UNLOCK_THREAD: _("This thread is not locked."),
    }
    return refusals[kind]


@transaction.atomic
def change_thread(actor, *, thread: Thread, kind: str, note: str = "") -> ModerationAction:
    """Hide, restore, lock or unlock a thread (`kind`, an ActionKind); a hidden thread's writer
    is told."""
    if kind not in THREAD_CHANGES:
        raise ValueError(f"Not a thread change: {kind!r}")
    viewer, thread = _thread_of(actor, thread.pk)
    note = _clean_note(note)
    field, value = THREAD_CHANGES[kind]
    if not Thread.objects.filter(pk=thread.pk).exclude(**{field: value}).update(**{field: value}):
        raise ValidationError(_already(kind))
    action = _log(viewer, kind, thread=thread, author=thread.author, note=note)
    if kind == ActionKind.HIDE_THREAD:
        _tell_writer(action, _("A moderator hid one of your threads"))
    return action


@transaction.atomic
def move_thread(actor, *, thread: Thread, to: Space, note: str = "") -> ModerationAction:
    """Move a thread to another space of the same program."""
    viewer, thread = _thread_of(actor, thread.pk)
    note = note.strip()
    errors = _note_errors(note)
    if to.program_id != viewer.program.pk:
        errors["space"] = _("Choose a space of this program.")
    elif to.pk == thread.space_id:
        errors["space"] = _("The thread is already in this space.")
    if errors:
        raise ValidationError(errors)
    from_space = thread.space
    Thread.objects.filter(pk=thread.pk).update(space=to)
    thread.space = to
    return _log(
        viewer,
        ActionKind.MOVE_THREAD,
        thread=thread,
        author=thread.author,
        note=note,
        details={"from": from_space.name, "to": to.name},
    )


@transaction.atomic
def warn_writer(actor, *, post: Post, note: str) -> ModerationAction:
    """Send the writer of `post` a warning in the moderator's words (required)."""
    viewer, post = _post_of(actor, post.pk)
    note = _clean_note(note, required=True)
    _refuse_own(actor, post)
    action = _log_on_post(viewer, ActionKind.WARN, post, note=note)
    _tell_writer(action, _("A moderator sent you a note about one of your posts"))
    return action


def _refuse_own(actor, post: Post) -> None:
    if identity.is_owner(actor, post.author):
        raise ValidationError(_("This is your own post."))


@dataclass(frozen=True)
class Suspended:
    action: ModerationAction
    until: object


@transaction.atomic
def suspend_writer(actor, *, post: Post, days: int, note: str) -> Suspended:
    """Keep the writer of `post` from writing in the community for `days` days (reading stays
    open), telling them why; the moderator never learns who they are."""
    viewer, post = _post_of(actor, post.pk)
    note = note.strip()
    errors = _note_errors(note, required=True)
    if days not in SUSPENSION_DAYS:
        errors["days"] = _("Choose how many days.")
    if errors:
        raise ValidationError(errors)
    _refuse_own(actor, post)
    until = timezone.now() + timedelta(days=days)
    action = _log_on_post(
        viewer,
        ActionKind.SUSPEND,
        post,
        note=note,
        details={"days": days, "until": until.isoformat()},
    )
    identity.suspend(action, until=until)
    _tell_writer(action, _("A moderator has paused your posting in the community"))
    return Suspended(action, until)


@transaction.atomic
def end_suspension(actor, *, post: Post, note: str = "") -> ModerationAction:
    """Let the writer of `post` write again before their suspension runs out."""
    viewer, post = _post_of(actor, post.pk)
    note = _clean_note(note)
    if not identity.end_suspensions(post.author):
        raise ValidationError(_("This writer is not suspended."))
    action = _log_on_post(viewer, ActionKind.END_SUSPENSION, post, note=note)
    _tell_writer(action, _("You can post in the community again"))
    return action


# The words the pages and the API use for what a moderator does; each maps to an action above.
POST_ACTIONS = ("hide", "restore", "approve", "dismiss")
THREAD_ACTIONS = ("hide", "restore", "lock", "unlock", "move")
WRITER_ACTIONS = ("warn", "suspend", "end")
_THREAD_KINDS = {
    "hide": ActionKind.HIDE_THREAD,
    "restore": ActionKind.RESTORE_THREAD,
    "lock": ActionKind.LOCK_THREAD,
    "unlock": ActionKind.UNLOCK_THREAD,
}


def moderate_post(actor, *, post: Post, action: str, note: str = "") -> ModerationAction:
    """Do `action` (one of POST_ACTIONS) to `post`; approving takes no note."""
    if action == "approve":
        return approve_post(actor, post=post)
    function = {"hide": hide_post, "restore": restore_post, "dismiss": dismiss_reports}[action]
    return function(actor, post=post, note=note)


def moderate_thread(
    actor, *, thread: Thread, action: str, note: str = "", to: Space | None = None
) -> ModerationAction:
    """Do `action` (one of THREAD_ACTIONS) to `thread`; moving needs the space `to`."""
    if action == "move":
        if to is None:
            raise ValidationError({"space": _("Choose the space to move the thread to.")})
        return move_thread(actor, thread=thread, to=to, note=note)
    return change_thread(actor, thread=thread, kind=_THREAD_KINDS[action], note=note)


def moderate_writer(
    actor, *, post: Post, action: str, note: str = "", days: int | None = None
) -> ModerationAction:
    """Do `action` (one of WRITER_ACTIONS) to the writer of `post`: warn, pause for `days`, or
    end the pause."""
    if action == "warn":
        return warn_writer(actor, post=post, note=note)
    if action == "suspend":
        return suspend_writer(actor, post=post, days=days or 0, note=note).action
    return end_suspension(actor, post=post, note=note)


@transaction.atomic
def update_settings(actor, *, program: Program, approve_first_posts: bool) -> CommunitySettings:
    """Change the program's community settings (its coordinators)."""
    from alongside.programs.access import get_program_for

    get_program_for(actor, program.slug, need="manage")
    settings = settings_of(program)
    settings.approve_first_posts = approve_first_posts
    settings.save(update_fields=["approve_first_posts"])
    return settings


def must_wait_for_approval(actor, viewer: access.Viewer) -> bool:
    """True when what `actor` writes now waits for a moderator: the program approves new
    members' first posts, the actor holds no other role than member, and none of their posts
    has been let through yet."""
    if viewer.membership.role_names - {Role.MEMBER}:
        return False
    if not settings_of(viewer.program).approve_first_posts:
        return False
    return not identity.has_approved_post(actor, viewer.program)


def refuse_if_suspended(actor, program: Program, *, field: str = "body") -> None:
    """ValidationError (on `field`) when the actor's posting in `program`'s community is paused."""
    until = identity.suspended_until(actor, program)
    if until is not None:
        raise ValidationError(
            {
                field: _(
                    "A moderator has paused your posting until %(until)s. You can still read; "
                    "your notices page says why."
                )
                % {"until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")}
            }
        )
