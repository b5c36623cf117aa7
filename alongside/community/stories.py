"""Recovery stories: what members and moderators do with them, and who may reach which story.

- A member of a program (an active membership in any role, like the community) writes stories
  there, edits them, submits them for review with their consent to publishing, withdraws that
  consent, or deletes a story. Their stories are theirs alone: anyone else gets 404.
- The program's moderators read the submitted stories in full and publish or decline them
  (with a note for the member). Publishing needs the member's consent in force at that moment.
- Anyone, signed in or not, reads a program's published stories whose consent is in force.
  Withdrawing consent takes a story down at once: the public page and API ask for consent in
  force on every read, so nothing cached can keep it up.
- Editing a published story sends it back for review, with a fresh consent to the new words.

Who wrote an anonymous story stays between the member and this module: moderators, readers and
notifications see the generated name only (`Story.shown_name`). Everything a member writes is
screened for crisis inside the transaction that saves it; screening is given the real person,
so the crisis team can reach them, and told the story is anonymous so its queues do not name them.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts import pseudonyms
from alongside.community import access
from alongside.community.story_models import (
    STORY_BODY_LENGTH,
    STORY_NAME_LENGTH,
    STORY_NOTE_LENGTH,
    STORY_TITLE_LENGTH,
    PublishAs,
    Story,
    StoryConsent,
    StoryState,
)
from alongside.community.story_registry import STORY_DECIDED, STORY_PATH, STORY_TO_REVIEW
from alongside.notifications.actions import notify
from alongside.programs.models import MembershipRole, Program, Role
from alongside.safety.actions import Screened, screen_writing
from alongside.safety.models import Flag

CONSENT_VERSION = 1


def consent_text(program: Program) -> str:
    """The words a member agrees to, in their language, as shown next to the checkbox; stored
    word for word with their consent."""
    return _(
        "I agree that the moderators of %(program)s may publish this story on the program's "
        "public story page, where anyone on the internet can read it, under the name I chose. "
        "I can withdraw my consent at any time; the story then comes down at once."
    ) % {"program": program.name}


# --- Who may reach which story -------------------------------------------------------------


def writer_in(user, program_slug: str) -> access.Viewer:
    """The user as someone who may write stories in program `program_slug` (an active member
    in any role), else Http404."""
    return access.viewer_in(user, program_slug)


def stories_of(viewer: access.Viewer) -> QuerySet[Story]:
    """The viewer's own stories in their program, latest change first, each with
    `has_consent_in_force`."""
    return (
        Story.objects.filter(program=viewer.program, member=viewer.user)
        .select_related("program")
        .annotate(
            has_consent_in_force=Exists(
                StoryConsent.objects.in_force().filter(story=OuterRef("pk"))
            )
        )
        .order_by("-updated_at", "-pk")
    )


def get_own_story(viewer: access.Viewer, story_id: int) -> Story:
    """The viewer's own story `story_id` in their program, else Http404."""
    story = stories_of(viewer).filter(pk=story_id).first()
    if story is None:
        raise Http404
    return story


def stories_to_review(viewer: access.Viewer) -> QuerySet[Story]:
    """The submitted stories of the moderator's program, longest waiting first."""
    return (
        Story.objects.filter(program=viewer.program, state=StoryState.SUBMITTED)
        .select_related("program")
        .order_by("submitted_at", "pk")
    )


def get_story_to_review(viewer: access.Viewer, story_id: int) -> Story:
    """Submitted story `story_id` of the moderator's program, else Http404."""
    story = stories_to_review(viewer).filter(pk=story_id).first()
    if story is None:
        raise Http404
    return story


def public_program(program_slug: str) -> Program:
    """The active program `program_slug`, whose story page anyone may read, else Http404."""
    program = Program.objects.filter(slug=program_slug, is_active=True).first()
    if program is None:
        raise Http404
    return program


def public_stories(program: Program) -> QuerySet[Story]:
    """The program's stories anyone may read: published, consent in force; newest first."""
    return (
        Story.objects.public()
        .filter(program=program)
        .select_related("program")
        .order_by("-published_at", "-pk")
    )


def get_public_story(program: Program, story_id: int) -> Story:
    """Story `story_id` of `program` if anyone may read it now, else Http404."""
    story = public_stories(program).filter(pk=story_id).first()
    if story is None:
        raise Http404
    return story


def consent_in_force(story: Story) -> StoryConsent | None:
    """The member's consent to publishing `story` that holds now, or None."""
    return StoryConsent.objects.in_force().filter(story=story).first()


# --- What people do ----------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenStory:
    """A story as saved, with what crisis screening made of its words."""

    story: Story
    screened: Screened | None

    @property
    def show_crisis_panel(self) -> bool:
        return self.screened is not None and self.screened.show_crisis_panel


def _too_long(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return _("Keep this to %(limit)d characters; it has %(count)d.") % {
            "limit": limit,
            "count": len(text),
        }
    return None


def _story_errors(title: str, body: str, publish_as: str, *, submit: bool, consent: bool):
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give your story a title.")
    elif message := _too_long(title, STORY_TITLE_LENGTH):
        errors["title"] = message
    if not body:
        errors["body"] = _("Write your story before saving it.")
    elif message := _too_long(body, STORY_BODY_LENGTH):
        errors["body"] = message
    if publish_as not in PublishAs.values:
        errors["publish_as"] = _("Choose how your story is signed.")
    if submit and not consent:
        errors["consent"] = _(
            "A moderator can only publish your story with your consent: tick the box to submit "
            "it, or save it as a draft."
        )
    return errors


def _sign(story: Story, member, publish_as: str) -> None:
    """Set the name readers will see: a fresh anonymous name the first time a story becomes
    anonymous (kept after that), the member's display name otherwise."""
    if publish_as == PublishAs.ANONYMOUS:
        if not story.is_anonymous or not story.display_name:
            story.display_name = pseudonyms.generate()
    else:
        story.display_name = member.display_name[:STORY_NAME_LENGTH]
    story.publish_as = publish_as


def _record_consent(member, story: Story, now) -> StoryConsent:
    StoryConsent.objects.in_force().filter(story=story).update(replaced_at=now)
    return StoryConsent.objects.create(
        story=story,
        member=member,
        text=consent_text(story.program),
        version=CONSENT_VERSION,
        publish_as=story.publish_as,
        given_at=now,
    )


def _moderators_of(program: Program) -> QuerySet:
    return get_user_model().objects.filter(
        is_active=True,
        pk__in=MembershipRole.objects.filter(
            membership__program=program, membership__is_active=True, role=Role.MODERATOR
        ).values("membership__user"),
    )


def _tell_moderators(story: Story) -> None:
    # Names neither the member nor the story's title: an email subject is read on lock screens.
    for moderator in _moderators_of(story.program):
        notify(
            moderator,
            kind=STORY_TO_REVIEW,
            title=_("A recovery story is waiting for review"),
            url=reverse("stories:review", args=[story.program.slug]),
            program=story.program,
        )


def _tell_member(story: Story, title: str) -> None:
    notify(
        story.member,
        kind=STORY_DECIDED,
        title=title,
        url=reverse("stories:edit", args=[story.program.slug, story.pk]),
        program=story.program,
    )


def _screen(member, story: Story) -> Screened:
    return screen_writing(
        member,
        program=story.program,
        path=STORY_PATH,
        text=f"{story.title}\n\n{story.body}",
        item=story,
        anonymous=story.is_anonymous,
    )


def _save_words(
    member, story: Story, *, title: str, body: str, publish_as: str, submit: bool, consent: bool
) -> WrittenStory:
    title, body = title.strip(), body.strip()
    errors = _story_errors(title, body, publish_as, submit=submit, consent=consent)
    if errors:
        raise ValidationError(errors)
    changed = story.pk is None or (title, body) != (story.title, story.body)
    now = timezone.now()
    story.title, story.body = title, body
    _sign(story, member, publish_as)
    story.updated_at = now
    if submit:
        story.state, story.submitted_at = StoryState.SUBMITTED, now
        story.published_at = None
    else:
        story.state = StoryState.DRAFT
    story.save()
    if submit:
        _record_consent(member, story, now)
        _tell_moderators(story)
    screened = _screen(member, story) if changed else None
    return WrittenStory(story, screened)


@transaction.atomic
def submit_story(
    actor, *, program: Program, title: str, body: str, publish_as: str, submit: bool, consent: bool
) -> WrittenStory:
    """Write a new story in `program`: kept as a draft, or submitted for review with the actor's
    consent (`consent` must be True to submit). ValidationError, nothing saved, for a missing
    or too long title or story, or a submission without consent."""
    viewer = writer_in(actor, program.slug)
    story = Story(program=viewer.program, member=actor)
    return _save_words(
        actor, story, title=title, body=body, publish_as=publish_as, submit=submit, consent=consent
    )


def can_keep_as_draft(story: Story) -> bool:
    """A story under review or published can only be changed by submitting it again."""
    return story.state not in (StoryState.SUBMITTED, StoryState.PUBLISHED)


@transaction.atomic
def edit_story(
    actor, *, story: Story, title: str, body: str, publish_as: str, submit: bool, consent: bool
) -> WrittenStory:
    """Change the actor's own story. A story under review or published goes back for review
    with the new words, which needs the actor's consent again (it comes off the public page
    until a moderator publishes it again); others may stay drafts. ValidationError, nothing
    saved, as for submit_story."""
    viewer = writer_in(actor, story.program.slug)
    story = Story.objects.select_for_update().get(pk=get_own_story(viewer, story.pk).pk)
    if not submit and not can_keep_as_draft(story):
        raise ValidationError(
            {"consent": _("Submit your changes for review: this story is not a draft.")}
        )
    return _save_words(
        actor, story, title=title, body=body, publish_as=publish_as, submit=submit, consent=consent
    )


@transaction.atomic
def give_consent(actor, *, story: Story) -> StoryConsent:
    """Submit the actor's own draft (or declined, or withdrawn) story for review as it is, with
    their consent to publishing it; ValidationError for a story already under review or
    published."""
    viewer = writer_in(actor, story.program.slug)
    story = Story.objects.select_for_update().get(pk=get_own_story(viewer, story.pk).pk)
    if not can_keep_as_draft(story):
        raise ValidationError(_("This story is already with the moderators or published."))
    now = timezone.now()
    story.state, story.submitted_at, story.updated_at = StoryState.SUBMITTED, now, now
    story.save(update_fields=["state", "submitted_at", "updated_at"])
    consent = _record_consent(actor, story, now)
    _tell_moderators(story)
    return consent


@transaction.atomic
def withdraw_consent(actor, *, story: Story) -> Story:
    """End the actor's consent to publishing their own story: a published story comes off the
    public page at once, a submitted one leaves the review queue. ValidationError when no
    consent is in force."""
    viewer = writer_in(actor, story.program.slug)
    story = Story.objects.select_for_update().get(pk=get_own_story(viewer, story.pk).pk)
    now = timezone.now()
    if not StoryConsent.objects.in_force().filter(story=story).update(withdrawn_at=now):
        raise ValidationError(_("This story has no consent to withdraw."))
    was_published = story.state == StoryState.PUBLISHED
    story.state, story.updated_at, story.published_at = StoryState.WITHDRAWN, now, None
    story.save(update_fields=["state", "updated_at", "published_at"])
    if was_published:
        _tell_member(
            story, _("Your story is no longer public: it came down when you withdrew consent.")
        )
    return story


@transaction.atomic
def delete_story(actor, *, story: Story) -> None:
    """Delete the actor's own story and its consents; a published one comes down with it."""
    viewer = writer_in(actor, story.program.slug)
    get_own_story(viewer, story.pk).delete()


def _held_by_screening(story: Story) -> bool:
    return Flag.objects.filter(
        content_type=ContentType.objects.get_for_model(Story),
        object_id=str(story.pk),
        held=True,
        reviewed_at__isnull=True,
    ).exists()


@transaction.atomic
def publish_story(actor, *, story: Story) -> Story:
    """Publish a submitted story of the moderator's program on its public story page; the member
    is told. ValidationError when the member's consent is not in force at this moment."""
    viewer = access.moderator_in(actor, story.program.slug)
    story = Story.objects.select_for_update().get(pk=get_story_to_review(viewer, story.pk).pk)
    # The consent row is locked too: a withdrawal racing this publish waits, then takes it down.
    consent = StoryConsent.objects.select_for_update().in_force().filter(story=story).first()
    if consent is None:
        raise ValidationError(_("The writer has not consented to publishing this story."))
    if _held_by_screening(story):
        raise ValidationError(
            _("Screening raised a concern about this story: it waits for the crisis team's review.")
        )
    now = timezone.now()
    story.state, story.published_at = StoryState.PUBLISHED, now
    story.reviewed_by, story.reviewed_at, story.moderator_note = actor, now, ""
    story.save(
        update_fields=["state", "published_at", "reviewed_by", "reviewed_at", "moderator_note"]
    )
    _tell_member(story, _("Your story is published on the program's story page."))
    return story


@transaction.atomic
def decline_story(actor, *, story: Story, note: str) -> Story:
    """Decline a submitted story of the moderator's program, with a note telling the member why
    (required); the member is told and may change it and submit it again."""
    viewer = access.moderator_in(actor, story.program.slug)
    story = Story.objects.select_for_update().get(pk=get_story_to_review(viewer, story.pk).pk)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Tell the writer why, so they can change their story.")})
    if message := _too_long(note, STORY_NOTE_LENGTH):
        raise ValidationError({"note": message})
    now = timezone.now()
    story.state, story.published_at = StoryState.DECLINED, None
    story.reviewed_by, story.reviewed_at, story.moderator_note = actor, now, note
    story.save(
        update_fields=["state", "published_at", "reviewed_by", "reviewed_at", "moderator_note"]
    )
    _tell_member(story, _("A moderator did not publish your story and left you a note."))
    return story
