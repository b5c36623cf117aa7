"""Thin views of the community: access, action, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.community import (
    access,
    actions,
    identity,
    post_list,
    reactions,
    reading,
    thread_list,
)
from alongside.community.forms import (
    EditPostForm,
    PreferenceForm,
    ReplyForm,
    RevealForm,
    ThreadForm,
)
from alongside.community.models import Space, Thread
from alongside.core.forms import add_validation_errors
from alongside.core.htmx import HtmxHttpRequest
from alongside.core.ratelimit import rate_limited
from alongside.programs.access import get_program_for
from alongside.programs.models import Role
from alongside.safety.support import offer_crisis_support

THREADS_PER_PAGE = 25
POST_RATE = "30/10m"


def _offer_support_if_flagged(request: HttpRequest, written: actions.Written, program) -> None:
    if written.show_crisis_panel and written.screened is not None:
        offer_crisis_support(request, program=program, assessment=written.screened.assessment)


def _thanks(written: actions.Written, done: str) -> str:
    if written.item.is_pending:
        return _(
            "Thank you. A moderator looks at new members' first posts before others see them; "
            "you can see yours already."
        )
    return done


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_safe
def space_list(request: HttpRequest, program_slug: str) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    return render(
        request,
        "community/space_list.html",
        {
            "program": viewer.program,
            "spaces": list(access.spaces_with_counts(viewer)),
            "is_moderator": viewer.is_moderator,
            "is_coordinator": viewer.membership.has_role(Role.COORDINATOR),
        },
    )


def _render_space(request: HttpRequest, viewer, space: Space, form: ThreadForm) -> HttpResponse:
    threads = reading.with_reading(access.threads_of(viewer, space), request.user)
    paginator = Paginator(threads, THREADS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    threads_html = thread_list.render(
        page.object_list, space=space, signed_in=request.user.is_authenticated
    )
    return render(
        request,
        "community/space.html",
        {
            "program": viewer.program,
            "space": space,
            "page": page,
            "threads_html": threads_html,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_safe
def space(request: HttpRequest, program_slug: str, space_slug: str) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    return _render_space(request, viewer, space, ThreadForm())


@require_POST
@rate_limited("community.post", POST_RATE)
def thread_create(request: HttpRequest, program_slug: str, space_slug: str) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    form = ThreadForm(request.POST)
    if form.is_valid():
        try:
            written = actions.start_thread(
                request.user,
                space=space,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support_if_flagged(request, written, viewer.program)
            messages.success(request, _thanks(written, _("Thread started.")))
            return redirect(written.item)
    return _render_space(request, viewer, space, form)


def _render_thread(
    request: HttpRequest, viewer, space: Space, thread: Thread, form: ReplyForm, page: int
) -> HttpResponse:
    if page > thread.page_count:
        raise Http404
    posts = list(post_list.for_page(access.posts_of(viewer, thread).on_page(page)))
    own = identity.owned_among(request.user, {post.author_id for post in posts})
    reader = reading.reader_of(request.user, thread)
    last_read = reader.last_read_number if reader else 0
    # The first post the member has not seen, marked on the page; none on a first visit.
    first_unread = next((p.number for p in posts if p.number > last_read), None) if reader else None
    posts_html = post_list.render(
        posts,
        thread=thread,
        page_number=page,
        own=own,
        first_unread=first_unread,
        is_moderator=viewer.is_moderator,
        bars=reactions.reaction_bars(request.user, posts),
        csrf=get_token(request),  # masked anew at each call: once a page
        next_url=request.get_full_path(),
    )
    if request.method in ("GET", "HEAD") and posts:
        reading.mark_read(request.user, thread, up_to=posts[-1].number, reader=reader)
    quoting = None
    quote_id = form.data.get("quote") if form.is_bound else form.initial.get("quote")
    if quote_id:
        quoting = next((post for post in posts if str(post.pk) == str(quote_id)), None)
    return render(
        request,
        "community/thread.html",
        {
            "program": viewer.program,
            "space": space,
            "thread": thread,
            "posts": posts,
            "posts_html": posts_html,
            "form": form,
            "quoting": quoting,
            "page_number": page,
            "pages": _page_links(page, thread.page_count),
            "ellipsis": Paginator.ELLIPSIS,
            "is_moderator": viewer.is_moderator,
            "first_unread": first_unread,
            "is_following": bool(reader and reader.is_following),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def thread(
    request: HttpRequest, program_slug: str, space_slug: str, thread_id: int
) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    thread = access.get_thread_for(viewer, space, thread_id)
    initial = {}
    if request.GET.get("quote", "").isdigit():
        initial["quote"] = int(request.GET["quote"])
    return _render_thread(
        request, viewer, space, thread, ReplyForm(initial=initial), _page_number(request)
    )


@require_POST
@rate_limited("community.post", POST_RATE)
def reply(request: HttpRequest, program_slug: str, space_slug: str, thread_id: int) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    thread = access.get_thread_for(viewer, space, thread_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        quote = None
        if form.cleaned_data["quote"]:
            quote = access.get_post_for(viewer, thread, form.cleaned_data["quote"])
        try:
            written = actions.reply(
                request.user,
                thread=thread,
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
                quote=quote,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support_if_flagged(request, written, viewer.program)
            messages.success(request, _thanks(written, _("Reply posted.")))
            return redirect(written.item)
    return _render_thread(request, viewer, space, thread, form, thread.page_count)


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("community.post", POST_RATE)
def post_edit(
    request: HttpRequest, program_slug: str, space_slug: str, thread_id: int, post_id: int
) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    thread = access.get_thread_for(viewer, space, thread_id)
    post = access.get_post_for(viewer, thread, post_id, need="edit")
    form = EditPostForm(
        request.POST if request.method == "POST" else None, initial={"body": post.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            written = actions.edit_post(request.user, post=post, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            _offer_support_if_flagged(request, written, viewer.program)
            messages.success(request, _("Post updated."))
            return redirect(post)
    return render(
        request,
        "community/post_edit.html",
        {"program": viewer.program, "space": space, "thread": thread, "post": post, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, program_slug: str) -> HttpResponse:
    viewer = access.viewer_in(request.user, program_slug)
    initial = {
        "persistent_pseudonym": identity.keeps_one_anonymous_name(request.user, viewer.program)
    }
    form = PreferenceForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.set_preferences(
            request.user,
            program=viewer.program,
            persistent_pseudonym=form.cleaned_data["persistent_pseudonym"],
        )
        messages.success(request, _("Your community settings are saved."))
        return redirect("community:preferences", viewer.program.slug)
    return render(request, "community/preferences.html", {"program": viewer.program, "form": form})


def _page_links(current: int, count: int) -> list:
    """Page numbers around the current one and at both ends, with Paginator.ELLIPSIS for the
    gaps, so a 5,000-reply thread offers a dozen links rather than a hundred."""
    if count <= 1:
        return [1]
    return list(
        Paginator(range(count), 1).get_elided_page_range(current, on_each_side=2, on_ends=1)
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("community.reveal", "10/h")
def reveal(request: HttpRequest, program_slug: str, post_id: int) -> HttpResponse:
    """A moderator finds out who wrote an anonymous post, after saying why; the name is shown
    on this answer only."""
    viewer = access.viewer_in(request.user, program_slug)
    if not viewer.is_moderator:
        raise Http404
    post = access.get_post_by_id(viewer, post_id)
    if not post.author.is_anonymous:
        raise Http404
    form = RevealForm(request.POST if request.method == "POST" else None)
    writer = None
    if request.method == "POST" and form.is_valid():
        try:
            writer = actions.reveal_author(
                request.user, post=post, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
    return render(
        request,
        "community/reveal.html",
        {"program": viewer.program, "post": post, "form": form, "writer": writer},
        status=400 if form.errors else 200,
    )


@require_safe
def reveals(request: HttpRequest, program_slug: str) -> HttpResponse:
    """Every reveal of an anonymous writer in the program, for its coordinators: who, when, why."""
    program = get_program_for(request.user, program_slug, need="manage")
    return render(
        request,
        "community/reveals.html",
        {"program": program, "reveals": access.reveals_of(program)},
    )


@require_POST
@rate_limited("community.react", "120/h")
def react(
    request: HtmxHttpRequest, program_slug: str, space_slug: str, thread_id: int, post_id: int
) -> HttpResponse:
    """Give a reaction, or take it back when already given; answers htmx with the post's new
    reaction bar, everyone else with the thread."""
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    thread = access.get_thread_for(viewer, space, thread_id)
    post = access.get_post_for(viewer, thread, post_id)
    kind = request.POST.get("kind", "")
    try:
        # A button press toggles: a reaction already given is taken back.
        if (post.pk, kind) in reactions.given_by(request.user, [post.pk]):
            reactions.unreact(request.user, post=post, kind=kind)
        else:
            reactions.react(request.user, post=post, kind=kind)
    except ValidationError as error:
        if request.htmx:
            return HttpResponse(" ".join(error.messages), status=400)
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return HttpResponse(
            reactions.bar_html(
                post,
                reactions.reaction_bars(request.user, [post])[post.pk],
                react_url=request.path,
                own=identity.is_owner(request.user, post.author),
                csrf=get_token(request),
            )
        )
    return redirect(post)


@require_POST
def follow(
    request: HttpRequest, program_slug: str, space_slug: str, thread_id: int
) -> HttpResponse:
    """Follow a thread (be told of new replies) or stop following it."""
    viewer = access.viewer_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    thread = access.get_thread_for(viewer, space, thread_id)
    following = request.POST.get("following") == "on"
    reading.set_following(request.user, thread, following=following)
    messages.success(
        request,
        _("You follow this thread: you'll be told of new replies.")
        if following
        else _("You no longer follow this thread."),
    )
    return redirect(thread)


@require_safe
def post_history(
    request: HttpRequest, program_slug: str, space_slug: str, thread_id: int, post_id: int
) -> HttpResponse:
    """A post's earlier words, for moderators: what it said before each edit."""
    viewer = access.moderator_in(request.user, program_slug)
    space = access.get_space_for(viewer, space_slug)
    thread = access.get_thread_for(viewer, space, thread_id)
    post = access.get_post_for(viewer, thread, post_id)
    return render(
        request,
        "community/post_history.html",
        {
            "program": viewer.program,
            "space": space,
            "thread": thread,
            "post": post,
            "revisions": list(post.revisions.order_by("-edited_at", "-pk")),
        },
    )
