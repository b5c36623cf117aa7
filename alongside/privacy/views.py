"""Pages of privacy: a member's sharing choices and who opened their records; break-glass access."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.core.forms import add_validation_errors
from alongside.core.ratelimit import rate_limited
from alongside.privacy import access, actions
from alongside.privacy.descriptions import describe_access
from alongside.privacy.forms import EmergencyAccessForm, ReviewForm, SharingForm
from alongside.privacy.models import EmergencyAccess
from alongside.programs.models import Program

LOG_PER_PAGE = 25
GRANTS_PER_PAGE = 25


@require_safe
def privacy_home(request: HttpRequest) -> HttpResponse:
    shared_by_program: dict[int, set[tuple[str, str]]] = {}
    for consent in access.consents_in_force(request.user):
        shared_by_program.setdefault(consent.program_id, set()).add(
            (consent.audience, consent.scope)
        )
    sharing = [
        (
            membership.program,
            SharingForm(
                shared=shared_by_program.get(membership.program_id, set()),
                prefix=membership.program.slug,
            ),
        )
        for membership in access.sharing_memberships_of(request.user)
    ]
    page = Paginator(access.who_opened_records_of(request.user), LOG_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/home.html",
        {
            "sharing": sharing,
            "page": page,
            "accesses": [describe_access(entry) for entry in page],
        },
    )


@require_POST
def save_sharing(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_sharing_program_for(request.user, slug)
    # Only booleans: every submission is valid, and the actor's own consent is all it can change.
    form = SharingForm(request.POST, shared=set(), prefix=program.slug)
    form.full_clean()
    actions.set_sharing_consents(request.user, program=program, shared=form.shared())
    messages.success(
        request, _("Your sharing choices for %(program)s are saved.") % {"program": program.name}
    )
    return redirect(reverse("privacy:home") + f"#sharing-{program.slug}")


@rate_limited("emergency_access", "5/15m")
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_emergency_program_for(request.user, slug, need="start")
    members = access.members_of(program).exclude(pk=request.user.pk)
    form = EmergencyAccessForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            grant = actions.start_emergency_access(
                request.user,
                program=program,
                member=form.cleaned_data["member"],
                reason=form.cleaned_data["reason"],
                password=form.cleaned_data["password"],
                request=request,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.warning(
                request,
                _(
                    "Emergency access to %(member)s's records is open until %(time)s. "
                    "The program's coordinators have been told."
                )
                % {
                    "member": grant.member.display_name,
                    "time": formats.time_format(timezone.localtime(grant.expires_at)),
                },
            )
            return redirect("privacy:emergency_access", slug=program.slug)
    page = Paginator(access.grants_of_clinician(request.user, program), GRANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/emergency_access.html",
        {"program": program, "form": form, "page": page},
    )


@require_POST
def end_emergency_access(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    program = access.get_emergency_program_for(request.user, slug, need="start")
    grant = access.get_emergency_access_for(request.user, program, grant_id, need="end")
    actions.end_emergency_access(request.user, grant=grant)
    messages.success(request, _("Emergency access ended."))
    return redirect("privacy:emergency_access", slug=program.slug)


def _render_review(
    request: HttpRequest,
    program: Program,
    *,
    failed: EmergencyAccess | None = None,
    failed_form: ReviewForm | None = None,
) -> HttpResponse:
    page = Paginator(access.grants_for_review(program), GRANTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = []
    failed_form_shown = False
    for grant in page:
        form = None
        if not grant.is_reviewed:
            if failed is not None and grant.pk == failed.pk:
                form, failed_form_shown = failed_form, True
            else:
                form = ReviewForm(auto_id=f"id_review_{grant.pk}_%s")
        rows.append((grant, form))
    if failed_form is not None and not failed_form_shown:
        # Reviewed by someone else meanwhile, or on another page: the errors still need saying.
        for errors in failed_form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return render(
        request,
        "privacy/emergency_review.html",
        {"program": program, "page": page, "rows": rows},
    )


@require_safe
def emergency_review(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_emergency_program_for(request.user, slug, need="review")
    return _render_review(request, program)


@require_POST
def review_emergency_access(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    program = access.get_emergency_program_for(request.user, slug, need="review")
    grant = access.get_emergency_access_for(request.user, program, grant_id, need="review")
    form = ReviewForm(request.POST, auto_id=f"id_review_{grant.pk}_%s")
    if form.is_valid():
        try:
            actions.review_emergency_access(
                request.user, grant=grant, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("privacy:emergency_review", slug=program.slug)
    return _render_review(request, program, failed=grant, failed_form=form)
