"""What people do with programs: create and run them, invite, join, leave, hand out roles.

Each action checks that the actor may do it (a second line of defence behind access.py), refuses
with a `ValidationError` carrying a message a person can act on, and saves nothing half-way.
"""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alongside.notifications.actions import notify
from alongside.notifications.kinds import MEMBER_JOINED
from alongside.programs import access
from alongside.programs.models import (
    Invitation,
    Membership,
    MembershipRole,
    Program,
    Role,
    new_join_code,
)

# What a coordinator may change on the settings page; name, slug and activity stay with site admins.
SETTINGS_FIELDS = (
    "description",
    "contact_email",
    "contact_phone",
    "crisis_line_name",
    "crisis_line_phone",
    "crisis_line_text",
    "default_time_zone",
    "join_code_enabled",
)
PROGRAM_FIELDS = ("name", "slug", "country", *SETTINGS_FIELDS)


def _clean_roles(roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    if not chosen:
        raise ValidationError(_("Choose at least one role."), code="no_roles")
    if any(role not in Role.values for role in chosen):
        raise ValidationError(_("Choose roles from the list."), code="unknown_role")
    return chosen


def _lock(program: Program) -> None:
    """Serialise changes to one program's people, so two coordinators cannot both step down."""
    Program.objects.select_for_update().filter(pk=program.pk).first()


def _active_coordinator_count(program: Program) -> int:
    return (
        MembershipRole.objects.filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(role=Role.COORDINATOR)
        .count()
    )


def _set_roles(membership: Membership, roles: Iterable[str], *, granted_by) -> None:
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=role, granted_by=granted_by) for role in roles]
    )


def _enter_program(user, program: Program, roles: list[str], *, granted_by) -> Membership:
    """Make `user` an active member of `program` holding at least `roles`.

    Someone coming back after leaving starts afresh with `roles` only: their old roles (and what
    they could reach with them) do not return by themselves.
    """
    membership = Membership.objects.filter(user=user, program=program).first()
    if membership is None:
        membership = Membership.objects.create(user=user, program=program)
        _set_roles(membership, roles, granted_by=granted_by)
    elif not membership.is_active:
        membership.is_active = True
        membership.joined_at = timezone.now()
        membership.left_at = None
        membership.save(update_fields=["is_active", "joined_at", "left_at"])
        membership.roles.all().delete()
        _set_roles(membership, roles, granted_by=granted_by)
    else:
        held = set(membership.roles.values_list("role", flat=True))
        _set_roles(membership, [r for r in roles if r not in held], granted_by=granted_by)
    return membership


def _notify_coordinators_of_arrival(program: Program, newcomer) -> None:
    """Tell each coordinator, in their own language, that someone joined."""
    coordinators = (
        Membership.objects.filter(program=program)
        .filter(is_active=True)
        .filter(roles__role=Role.COORDINATOR)
        .exclude(user=newcomer)
        .select_related("user__profile")
    )
    url = reverse("programs:people", args=[program.slug])
    for membership in coordinators:
        recipient = membership.user
        with translation.override(recipient.profile.preferred_language):
            notify(
                recipient,
                kind=MEMBER_JOINED,
                title=_("%(name)s joined %(program)s")
                % {"name": newcomer.display_name, "program": program.name},
                url=url,
                program=program,
            )


@transaction.atomic
def create_program(actor, *, name: str, slug: str, areas_of_concern=(), **details) -> Program:
    """A site admin creates a program; its coordinators are then invited by email."""
    access.require_site_admin(actor)
    unknown = set(details) - set(PROGRAM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown program fields: {sorted(unknown)}")
    program = Program(name=name, slug=slug, **details)
    program.full_clean()
    program.save()
    program.areas_of_concern.set(areas_of_concern)
    return program


@transaction.atomic
def update_program(actor, *, program: Program, areas_of_concern=None, **changes) -> Program:
    """A coordinator (or site admin) changes what members see about the program."""
    access.require_manager(actor, program)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(program, field, value)
    program.full_clean()
    program.save()
    if areas_of_concern is not None:
        program.areas_of_concern.set(areas_of_concern)
    return program


@transaction.atomic
def regenerate_join_code(actor, *, program: Program) -> str:
    """A coordinator replaces the join code, so the old code and link stop working."""
    access.require_manager(actor, program)
    code = new_join_code()
    while Program.objects.filter(join_code=code).exists():
        code = new_join_code()
    program.join_code = code
    program.save(update_fields=["join_code"])
    return code


@transaction.atomic
def invite_to_program(actor, *, program: Program, email: str, roles: Iterable[str]) -> Invitation:
    """A coordinator invites an email address with roles; the link goes out by email."""
    access.require_manager(actor, program)
    email = email.strip().lower()
    chosen = _clean_roles(roles)
    if program.invitations.pending().filter(email__iexact=email).exists():
        raise ValidationError(
            _("An invitation to %(email)s is already waiting. Revoke it first to send a new one.")
            % {"email": email},
            code="duplicate",
        )
    already_in = (
        Membership.objects.filter(program=program)
        .filter(is_active=True)
        .filter(user__emailaddress__email__iexact=email, user__emailaddress__verified=True)
        .exists()
    )
    if already_in:
        raise ValidationError(
            _("%(email)s is already in this program. Change their roles on the People page.")
            % {"email": email},
            code="already_member",
        )
    invitation = Invitation.objects.create(
        program=program, email=email, roles=chosen, invited_by=actor
    )
    from alongside.programs.tasks import send_invitation_email

    # robust: the invitation is saved; a queue outage is logged, not turned into an error page.
    transaction.on_commit(lambda: send_invitation_email(invitation.pk), robust=True)
    return invitation


def email_invitation(*, invitation: Invitation) -> None:
    """Send the invitation link to the invited address, if the invitation is still pending."""
    if not invitation.is_pending:
        return
    base_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {
        "invitation": invitation,
        "program": invitation.program,
        "link": base_url + invitation.get_absolute_url(),
    }
    subject = render_to_string("programs/email/invitation_subject.txt", context).strip()
    body = render_to_string("programs/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def revoke_invitation(actor, *, invitation: Invitation) -> Invitation:
    """A coordinator withdraws a pending invitation, so its link stops working."""
    access.require_manager(actor, invitation.program)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer pending."), code="not_pending")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def accept_invitation(actor, *, invitation: Invitation) -> Membership:
    """The invited person, signed in with the invited address verified, joins with the roles."""
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation was withdrawn. Ask the program for a new one."), code="revoked"
        )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask the program for a new one."), code="expired"
        )
    verified = EmailAddress.objects.filter(
        user=actor, email__iexact=invitation.email, verified=True
    ).exists()
    if not verified:
        raise ValidationError(
            _(
                "This invitation was sent to a different email address. Sign in with that "
                "address, or add and verify it in your account settings, then open the link again."
            ),
            code="email_mismatch",
        )
    _lock(invitation.program)
    membership = _enter_program(
        actor, invitation.program, list(invitation.roles), granted_by=invitation.invited_by
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _notify_coordinators_of_arrival(invitation.program, actor)
    return membership


@transaction.atomic
def join_with_code(actor, *, code: str) -> Membership:
    """A person joins a program open to its join code, as a member."""
    program = (
        Program.objects.filter(join_code=access.normalize_join_code(code))
        .filter(is_active=True)
        .filter(join_code_enabled=True)
        .first()
    )
    if program is None:
        raise ValidationError(
            _("That code does not open any program. Check it with the person who gave it to you."),
            code="bad_code",
        )
    if access.membership_in(actor, program) is not None:
        raise ValidationError(
            _("You are already in %(program)s.") % {"program": program.name}, code="already_member"
        )
    membership = _enter_program(actor, program, [Role.MEMBER], granted_by=None)
    _notify_coordinators_of_arrival(program, actor)
    return membership


@transaction.atomic
def leave_program(actor, *, membership: Membership) -> Membership:
    """A person leaves a program; the membership stays on record, inactive, with its end date."""
    if membership.user_id != actor.pk:
        raise ValidationError(_("You can only leave a program yourself."), code="not_yours")
    if not membership.is_active:
        raise ValidationError(_("You have already left this program."), code="already_left")
    _lock(membership.program)
    is_coordinator = membership.roles.filter(role=Role.COORDINATOR).exists()
    if is_coordinator and _active_coordinator_count(membership.program) == 1:
        raise ValidationError(
            _("You are the only coordinator. Make someone else coordinator before you leave."),
            code="last_coordinator",
        )
    membership.is_active = False
    membership.left_at = timezone.now()
    membership.save(update_fields=["is_active", "left_at"])
    return membership


@transaction.atomic
def grant_role(actor, *, membership: Membership, role: str) -> MembershipRole:
    """A coordinator gives a person in the program another role."""
    access.require_manager(actor, membership.program)
    (role,) = _clean_roles([role])
    if not membership.is_active:
        raise ValidationError(_("This person has left the program."), code="inactive")
    if membership.roles.filter(role=role).exists():
        raise ValidationError(_("They already have this role."), code="held")
    return MembershipRole.objects.create(membership=membership, role=role, granted_by=actor)


@transaction.atomic
def revoke_role(actor, *, membership: Membership, role: str) -> None:
    """A coordinator takes a role away; a program keeps a coordinator and a person keeps a role."""
    access.require_manager(actor, membership.program)
    _lock(membership.program)
    held = membership.roles.filter(role=role).first()
    if held is None:
        raise ValidationError(_("They do not have this role."), code="not_held")
    if role == Role.COORDINATOR and _active_coordinator_count(membership.program) == 1:
        raise ValidationError(
            _("A program needs at least one coordinator. Make someone else coordinator first."),
            code="last_coordinator",
        )
    if membership.roles.count() == 1:
        raise ValidationError(
            _("Everyone in a program holds at least one role. Give them another role first."),
            code="last_role",
        )
    held.delete()
