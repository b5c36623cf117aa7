"""Thin views of recovery stories: a member's own stories, the moderators' review, and the
public story page of a program (open to anyone, signed in or not)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.community import access, stories
from alongside.community.story_forms import DecisionForm, StoryForm
from alongside.community.story_models import Story, StoryState
from alongside.core.forms import add_validation_errors
from alongside.core.ratelimit import rate_limited
from alongside.safety.support import offer_crisis_support

STORIES_PER_PAGE = 20
REVIEW_PER_PAGE = 10
WRITE_RATE = "20/h"


@require_safe
def mine(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The member's own stories in the program, with where each one stands."""
    viewer = stories.writer_in(request.user, program_slug)
    return render(
        request,
        "community/stories/mine.html",
        {"program": viewer.program, "stories": list(stories.stories_of(viewer))},
    )


def _after_writing(request: HttpRequest, written: stories.WrittenStory) -> HttpResponse:
    story = written.story
    if written.show_crisis_panel and written.screened is not None:
        offer_crisis_support(request, program=story.program, assessment=written.screened.assessment)
    if story.state == StoryState.SUBMITTED:
        messages.success(
            request,
            _("Thank you. Your story is with the moderators; we will tell you when they decide."),
        )
    else:
        messages.success(request, _("Your draft is saved. Only you can see it."))
    return redirect("stories:edit", story.program.slug, story.pk)


def _render_form(request: HttpRequest, viewer, form: StoryForm, story: Story | None):
    return render(
        request,
        "community/stories/write.html",
        {
            "program": viewer.program,
            "form": form,
            "story": story,
            "consent": stories.consent_in_force(story) if story else None,
            "can_keep_as_draft": story is None or stories.can_keep_as_draft(story),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("community.story", WRITE_RATE)
def write(request: HttpRequest, program_slug: str) -> HttpResponse:
    viewer = stories.writer_in(request.user, program_slug)
    form = StoryForm(
        request.POST if request.method == "POST" else None,
        consent_text=stories.consent_text(viewer.program),
    )
    if request.method == "POST" and form.is_valid():
        try:
            written = stories.submit_story(
                request.user,
                program=viewer.program,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                publish_as=form.cleaned_data["publish_as"],
                submit=form.submitting,
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _after_writing(request, written)
    return _render_form(request, viewer, form, None)


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("community.story", WRITE_RATE)
def edit(request: HttpRequest, program_slug: str, story_id: int) -> HttpResponse:
    """The member's own story: where it stands, the moderator's note, and its words to change."""
    viewer = stories.writer_in(request.user, program_slug)
    story = stories.get_own_story(viewer, story_id)
    initial = {"title": story.title, "body": story.body, "publish_as": story.publish_as}
    form = StoryForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        consent_text=stories.consent_text(viewer.program),
    )
    if request.method == "POST" and form.is_valid():
        try:
            written = stories.edit_story(
                request.user,
                story=story,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                publish_as=form.cleaned_data["publish_as"],
                submit=form.submitting,
                consent=form.cleaned_data["consent"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return _after_writing(request, written)
    return _render_form(request, viewer, form, story)


@require_POST
def withdraw(request: HttpRequest, program_slug: str, story_id: int) -> HttpResponse:
    viewer = stories.writer_in(request.user, program_slug)
    story = stories.get_own_story(viewer, story_id)
    was_published = story.state == StoryState.PUBLISHED
    try:
        stories.withdraw_consent(request.user, story=story)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if was_published:
            messages.success(
                request, _("You withdrew your consent. Your story is no longer on the public page.")
            )
        else:
            messages.success(
                request, _("You withdrew your consent. The moderators will not publish this story.")
            )
    return redirect("stories:edit", viewer.program.slug, story.pk)


@require_POST
def delete(request: HttpRequest, program_slug: str, story_id: int) -> HttpResponse:
    viewer = stories.writer_in(request.user, program_slug)
    story = stories.get_own_story(viewer, story_id)
    stories.delete_story(request.user, story=story)
    messages.success(request, _("Your story is deleted."))
    return redirect("stories:mine", viewer.program.slug)


def _render_review(
    request: HttpRequest, viewer: access.Viewer, failed: tuple[int, DecisionForm] | None = None
) -> HttpResponse:
    page = Paginator(stories.stories_to_review(viewer), REVIEW_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    for story in page:
        form = failed[1] if failed and failed[0] == story.pk else DecisionForm()
        rows.append({"story": story, "form": form})
    return render(
        request,
        "community/stories/review.html",
        {"program": viewer.program, "page": page, "rows": rows},
        status=400 if failed else 200,
    )


@require_safe
def review(request: HttpRequest, program_slug: str) -> HttpResponse:
    """The submitted stories of the program in full, longest waiting first (moderators)."""
    viewer = access.moderator_in(request.user, program_slug)
    return _render_review(request, viewer)


@require_POST
def decide(request: HttpRequest, program_slug: str, story_id: int) -> HttpResponse:
    """Publish or decline a submitted story (moderators)."""
    viewer = access.moderator_in(request.user, program_slug)
    story = stories.get_story_to_review(viewer, story_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "publish":
                stories.publish_story(request.user, story=story)
                messages.success(request, _("The story is published."))
            else:
                stories.decline_story(request.user, story=story, note=form.cleaned_data["note"])
                messages.success(request, _("The story is declined; the writer has your note."))
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            return redirect("stories:review", viewer.program.slug)
    return _render_review(request, viewer, failed=(story.pk, form))


@login_not_required
@require_safe
def public_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    """A program's published stories, for anyone."""
    program = stories.public_program(program_slug)
    page = Paginator(stories.public_stories(program), STORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "community/stories/public_list.html", {"program": program, "page": page})


@login_not_required
@require_safe
def public_story(request: HttpRequest, program_slug: str, story_id: int) -> HttpResponse:
    """One published story, for anyone."""
    program = stories.public_program(program_slug)
    story = stories.get_public_story(program, story_id)
    return render(
        request, "community/stories/public_story.html", {"program": program, "story": story}
    )
