"""Thin views of community moderation: reporting, the queue, actions, the log, the settings and
a member's notices. Access is checked in `access` and again in `moderation`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.community import access, identity, moderation
from alongside.community.forms import (
    CommunitySettingsForm,
    PostActionForm,
    ReportForm,
    ThreadActionForm,
    WriterActionForm,
)
from alongside.core.forms import add_validation_errors
from alongside.core.ratelimit import rate_limited
from alongside.programs.access import get_program_for

QUEUE_PER_PAGE = 20
LOG_PER_PAGE = 50


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("community.report", "20/h")
def report(request: HttpRequest, program_slug: str, post_id: int) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    post = access.get_post_by_id(viewer, post_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.report_post(
                request.user,
                post=post,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Thank you. The moderators will look at the post soon."))
            return redirect(post)
    return render(
        request,
        "community/moderation/report.html",
        {"program": viewer.program, "post": post, "form": form},
        status=400 if form.errors else 200,
    )


def _actions_for(post) -> list[str]:
    if post.is_pending:
        return ["approve", "hide"]
    shown = "restore" if post.is_hidden else "hide"
    return [shown, "dismiss"] if getattr(post, "open_reports", None) else [shown]


def _queue_rows(posts) -> list[dict]:
    before = access.posts_before(posts)
    return [
        {"post": post, "before": before.get(post.pk), "actions": _actions_for(post)}
        for post in posts
    ]


@require_safe
def queue(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Posts with open reports and posts waiting for approval, each in its thread."""
    viewer = access.moderator_in(request.user, program_slug)
    reported = Paginator(access.reported_posts(viewer), QUEUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    pending = list(access.pending_posts(viewer)[:QUEUE_PER_PAGE])
    return render(
        request,
        "community/moderation/queue.html",
        {
            "program": viewer.program,
            "page": reported,
            "reported": _queue_rows(list(reported)),
            "pending": _queue_rows(pending),
        },
    )


def _back(request: HttpRequest, *fallback) -> HttpResponse:
    """Back to the page the moderator acted from, when it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(*fallback)


DONE_MESSAGES = {
    "hide": _("The post is hidden."),
    "restore": _("The post is shown again."),
    "approve": _("The post is approved."),
    "dismiss": _("The reports are dismissed."),
}


@require_POST
def post_action(request: HttpRequest, program_slug: str, post_id: int) -> HttpResponse:
    viewer = access.moderator_in(request.user, program_slug)
    post = access.get_post_by_id(viewer, post_id)
    form = PostActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(request, "community:moderation", viewer.program.slug)
    action = form.cleaned_data["action"]
    try:
        moderation.moderate_post(
            request.user, post=post, action=action, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, DONE_MESSAGES[action])
    return _back(request, post)


@require_http_methods(["GET", "HEAD", "POST"])
def thread_action(request: HttpRequest, program_slug: str, thread_id: int) -> HttpResponse:
    """Hide, restore, lock, unlock or move a thread."""
    viewer = access.moderator_in(request.user, program_slug)
    thread = access.get_thread_by_id(viewer, thread_id)
    spaces = access.spaces_for(viewer).exclude(pk=thread.space_id)
    form = ThreadActionForm(request.POST if request.method == "POST" else None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.moderate_thread(
                request.user,
                thread=thread,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                to=form.cleaned_data["space"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Done: it is in the moderation log."))
            thread.refresh_from_db()
            return redirect(thread)
    return render(
        request,
        "community/moderation/thread_action.html",
        {"program": viewer.program, "thread": thread, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def writer_action(request: HttpRequest, program_slug: str, post_id: int) -> HttpResponse:
    """Warn the writer of a post, pause their posting, or let them post again; the moderator
    acts on the name the post was written under and never learns who it is."""
    viewer = access.moderator_in(request.user, program_slug)
    post = access.get_post_by_id(viewer, post_id)
    form = WriterActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.moderate_writer(
                request.user,
                post=post,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Done: the writer is told, and it is in the log."))
            return redirect(post)
    return render(
        request,
        "community/moderation/writer_action.html",
        {
            "program": viewer.program,
            "post": post,
            "form": form,
            "is_suspended": identity.is_suspended(post.author),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def log(request: HttpRequest, program_slug: str) -> HttpResponse:
    viewer = access.log_reader_in(request.user, program_slug)
    page = Paginator(access.action_log(viewer.program), LOG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "community/moderation/log.html", {"program": viewer.program, "page": page}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def community_settings(request: HttpRequest, program_slug: str) -> HttpResponse:
    program = get_program_for(request.user, program_slug, need="manage")
    current = moderation.settings_of(program)
    form = CommunitySettingsForm(
        request.POST if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        moderation.update_settings(
            request.user,
            program=program,
            approve_first_posts=form.cleaned_data["approve_first_posts"],
        )
        messages.success(request, _("The community settings are saved."))
        return redirect("community:settings", program.slug)
    return render(request, "community/moderation/settings.html", {"program": program, "form": form})


@require_safe
def notices(request: HttpRequest, program_slug: str) -> HttpResponse:
    """What moderators did about the member's own writing, and whether they may post now."""
    viewer = access.viewer_in(request.user, program_slug)
    page = Paginator(identity.actions_told_to(request.user, viewer.program), LOG_PER_PAGE)
    return render(
        request,
        "community/moderation/notices.html",
        {
            "program": viewer.program,
            "page": page.get_page(request.GET.get("page")),
            "suspended_until": identity.suspended_until(request.user, viewer.program),
        },
    )
