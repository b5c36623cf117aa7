"""Pages of programs: joining and leaving, the program page, and the coordinator's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alongside.core.htmx import HtmxHttpRequest
from alongside.core.ratelimit import rate_limited
from alongside.programs import access, actions
from alongside.programs.forms import (
    InvitationForm,
    JoinCodeForm,
    NewProgramForm,
    PeopleFilterForm,
    ProgramSettingsForm,
    RoleForm,
)
from alongside.programs.models import Membership, Program, Role

PEOPLE_PER_PAGE = 25


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    all_programs = None
    if access.is_site_admin(request.user):
        all_programs = Program.objects.all()
    return render(
        request,
        "programs/list.html",
        {
            "memberships": access.memberships_of(request.user),
            "join_form": JoinCodeForm(),
            "all_programs": all_programs,
        },
    )


@rate_limited("join_program", "10/m")
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = actions.join_with_code(request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(
                request, _("Welcome to %(program)s.") % {"program": membership.program.name}
            )
            return redirect(membership.program)
    return render(request, "programs/join.html", {"form": form})


@rate_limited("join_program", "10/m")
@require_http_methods(["GET", "POST"])
def join_link(request: HttpRequest, code: str) -> HttpResponse:
    program = access.get_joinable_program(code)
    membership = access.membership_in(request.user, program)
    if request.method == "POST":
        try:
            actions.join_with_code(request.user, code=code)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("Welcome to %(program)s.") % {"program": program.name})
        return redirect(program)
    return render(
        request, "programs/join_link.html", {"program": program, "membership": membership}
    )


@require_http_methods(["GET", "POST"])
def new_program(request: HttpRequest) -> HttpResponse:
    access.require_site_admin(request.user)
    form = NewProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            program = actions.create_program(request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(program)s is ready. Invite its first coordinator.")
                % {"program": program.name},
            )
            return redirect("programs:invitations", program.slug)
    return render(request, "programs/new.html", {"form": form})


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug)
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "membership": access.membership_in(request.user, program),
            "areas": program.areas_of_concern.all(),
            "can_manage": access.can_manage(request.user, program),
        },
    )


@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug)
    membership = access.membership_in(request.user, program)
    if membership is None:
        # A site admin sees every program but has nothing to leave.
        return redirect(program)
    membership = access.get_membership_for(request.user, membership.pk, need="own")
    if request.method == "POST":
        try:
            actions.leave_program(request.user, membership=membership)
        except ValidationError as error:
            messages.error(request, _refusal(error))
            return redirect(program)
        messages.success(request, _("You have left %(program)s.") % {"program": program.name})
        return redirect("core:home")
    return render(request, "programs/leave.html", {"program": program, "membership": membership})


def _row_context(program: Program, membership: Membership, error: str = "") -> dict:
    held = membership.role_names
    return {
        "program": program,
        "person": membership,
        "grantable": [choice for choice in Role.choices if choice[0] not in held],
        "row_error": error,
    }


@require_safe
def people(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    filter_form = PeopleFilterForm(request.GET or None)
    memberships = access.people_of(program)
    if filter_form.is_valid() and filter_form.cleaned_data["role"]:
        memberships = memberships.filter(roles__role=filter_form.cleaned_data["role"])
    page = Paginator(memberships, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [_row_context(program, membership) for membership in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/people.html",
        {
            "program": program,
            "filter_form": filter_form,
            "page": page,
            "rows": rows,
            "filter_query": query.urlencode(),
        },
    )


def _after_role_change(request: HtmxHttpRequest, program: Program, membership_id: int, error: str):
    """Answer htmx with the updated table row, everyone else with the People page they were on."""
    people_url = reverse("programs:people", args=[program.slug])
    next_url = request.POST.get("next", "")
    if not next_url.startswith(people_url) or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = people_url
    if request.htmx:
        membership = access.get_membership_for(request.user, membership_id, need="manage")
        context = _row_context(program, membership, error) | {"next_url": next_url}
        return render(request, "programs/_person_row.html", context)
    if error:
        messages.error(request, error)
    return redirect(next_url)


@require_POST
def grant_role(request: HtmxHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _change_role(request, slug, membership_id, actions.grant_role, _("Role given."))


@require_POST
def revoke_role(request: HtmxHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    return _change_role(request, slug, membership_id, actions.revoke_role, _("Role removed."))


def _change_role(request, slug, membership_id, change, success_message) -> HttpResponse:
    """Grant or revoke one role: the same gate, form and answer for both."""
    program = access.get_program_for(request.user, slug, need="manage")
    membership = access.get_membership_for(request.user, membership_id, need="manage")
    if membership.program_id != program.pk:
        raise Http404
    form = RoleForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a role from the list.")
    else:
        try:
            change(request.user, membership=membership, role=form.cleaned_data["role"])
        except ValidationError as refusal:
            error = _refusal(refusal)
        else:
            if not request.htmx:
                messages.success(request, success_message)
    return _after_role_change(request, program, membership.pk, error)


@rate_limited("invite", "30/h")
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.invite_to_program(
                request.user,
                program=program,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("programs:invitations", program.slug)
    pending = program.invitations.pending().select_related("invited_by__profile")
    return render(
        request,
        "programs/invitations.html",
        {"program": program, "form": form, "pending": pending},
    )


@require_POST
def revoke_invitation(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    invitation = access.get_invitation_for(request.user, invitation_id, need="manage")
    if invitation.program_id != program.pk:
        raise Http404
    try:
        actions.revoke_invitation(request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
        )
    return redirect("programs:invitations", program.slug)


@require_http_methods(["GET", "POST"])
def program_settings(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    form = ProgramSettingsForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        try:
            actions.update_program(request.user, program=program, **changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("programs:settings", program.slug)
    saved = program
    if form.is_bound:
        # A failed ModelForm has copied the bad input onto `program`: show what is really saved.
        saved = access.get_program_for(request.user, slug, need="manage")
    join_url = request.build_absolute_uri(reverse("programs:join_link", args=[saved.join_code]))
    return render(
        request,
        "programs/settings.html",
        {"program": saved, "form": form, "join_url": join_url},
    )


@require_POST
def regenerate_code(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for(request.user, slug, need="manage")
    code = actions.regenerate_join_code(request.user, program=program)
    messages.success(
        request, _("The new join code is %(code)s. The old code no longer works.") % {"code": code}
    )
    return redirect("programs:settings", program.slug)


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = access.get_invitation_by_token(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={invitation.get_absolute_url()}")
        try:
            membership = actions.accept_invitation(request.user, invitation=invitation)
        except ValidationError as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(
                request, _("Welcome to %(program)s.") % {"program": membership.program.name}
            )
            return redirect(membership.program)
    return render(
        request,
        "programs/invitation.html",
        {
            "invitation": invitation,
            "program": invitation.program,
            "next": invitation.get_absolute_url(),
        },
    )
