"""What people do about the privacy of health records: consent to sharing, break-glass access."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alongside.core.audit import record_access
from alongside.notifications.actions import notify
from alongside.privacy import access
from alongside.privacy.kinds import EMERGENCY_ACCESS
from alongside.privacy.models import (
    EMERGENCY_ACCESS_DURATION,
    EMERGENCY_PURPOSE,
    EMERGENCY_REASON_MIN_LENGTH,
    Audience,
    EmergencyAccess,
    Scope,
    SharingConsent,
)
from alongside.programs.access import can_manage, has_role
from alongside.programs.models import MembershipRole, Program, Role


def _check_consent_arguments(
    actor, program: Program, audience: str, scopes: Iterable[str]
) -> list[str]:
    if not access.is_member_of(actor, program):
        raise Http404
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who may see your records.")})
    scopes = list(dict.fromkeys(scopes))
    if any(scope not in Scope.values for scope in scopes):
        raise ValidationError(
            {"scopes": _("Choose from check-ins, questionnaires, goals and safety plan.")}
        )
    return scopes


@transaction.atomic
def grant_sharing_consent(actor, *, program: Program, audience: str, scopes: Iterable[str]) -> None:
    """Let `audience` of `program` see the actor's own `scopes` from now on (granted ones stay).

    Raises Http404 unless the actor is an active member of `program`, ValidationError for an
    unknown audience or scope (nothing saved).
    """
    scopes = _check_consent_arguments(actor, program, audience, scopes)
    in_force = set(
        SharingConsent.objects.in_force()
        .filter(member=actor, program=program, audience=audience)
        .values_list("scope", flat=True)
    )
    bulk_create_with_history(
        [
            SharingConsent(member=actor, program=program, audience=audience, scope=scope)
            for scope in scopes
            if scope not in in_force
        ],
        SharingConsent,
        default_user=actor,
    )


@transaction.atomic
def revoke_sharing_consent(actor, *, program: Program, audience: str, scopes: Iterable[str]) -> int:
    """Stop `audience` of `program` seeing the actor's own `scopes` from the next request on,
    keeping the history; returns how many were revoked.

    Raises Http404 unless the actor is an active member of `program`, ValidationError for an
    unknown audience or scope (nothing saved).
    """
    scopes = _check_consent_arguments(actor, program, audience, scopes)
    revoked = list(
        SharingConsent.objects.in_force().filter(
            member=actor, program=program, audience=audience, scope__in=scopes
        )
    )
    now = timezone.now()
    for consent in revoked:
        consent.revoked_at = now
    # Through simple-history, so the revocation is in the consent's history too.
    bulk_update_with_history(revoked, SharingConsent, ["revoked_at"], default_user=actor)
    return len(revoked)


@transaction.atomic
def change_sharing_consents(actor, *, changes: Iterable[tuple[Program, str, str, bool]]) -> None:
    """Grant (True) or revoke (False) each (program, audience, scope) of the actor's own consent,
    all or nothing."""
    for program, audience, scope, granted in changes:
        change = grant_sharing_consent if granted else revoke_sharing_consent
        change(actor, program=program, audience=audience, scopes=[scope])


@transaction.atomic
def set_sharing_consents(actor, *, program: Program, shared: set[tuple[str, str]]) -> None:
    """Make the actor's consents in `program` exactly the (audience, scope) pairs in `shared`."""
    for audience in Audience.values:
        chosen = {scope for who, scope in shared if who == audience}
        grant_sharing_consent(actor, program=program, audience=audience, scopes=chosen)
        revoke_sharing_consent(
            actor, program=program, audience=audience, scopes=set(Scope.values) - chosen
        )


@transaction.atomic
def start_emergency_access(
    actor,
    *,
    program: Program,
    member,
    reason: str,
    password: str,
    request: HttpRequest | None = None,
) -> EmergencyAccess:
    """Open `member`'s records to the actor, a clinician of `program`, for at most an hour,
    logging it as emergency access and alerting every coordinator of the program at once.

    Raises Http404 unless the actor is a clinician and `member` a member of `program`, and
    ValidationError (keyed by field, nothing saved) for a short reason, a wrong password or a grant
    already in force.
    """
    if not has_role(actor, program, Role.CLINICIAN):
        raise Http404
    if not access.is_member_of(member, program):
        raise Http404
    reason = reason.strip()
    errors: dict[str, str] = {}
    if len(reason) < EMERGENCY_REASON_MIN_LENGTH:
        errors["reason"] = _(
            "Describe the emergency in at least %(count)d characters, so it can be reviewed."
        ) % {"count": EMERGENCY_REASON_MIN_LENGTH}
    if not actor.check_password(password):
        errors["password"] = _("That is not your password. Enter the password you sign in with.")
    if member.pk == actor.pk:
        errors["member"] = _("You cannot use emergency access for your own records.")
    elif access.active_emergency_access(actor, member, program=program) is not None:
        errors["member"] = _(
            "You already have emergency access to this person's records. "
            "It ends at the time shown below."
        )
    if errors:
        raise ValidationError(errors)

    started_at = timezone.now()
    grant = EmergencyAccess.objects.create(
        clinician=actor,
        member=member,
        program=program,
        reason=reason,
        started_at=started_at,
        expires_at=started_at + EMERGENCY_ACCESS_DURATION,
    )
    record_access(
        actor,
        actor_role=Role.CLINICIAN,
        subject=member,
        obj=grant,
        purpose=EMERGENCY_PURPOSE,
        program=program,
        request=request,
        emergency=True,
    )
    _alert_coordinators(grant)
    return grant


def _alert_coordinators(grant: EmergencyAccess) -> None:
    # The alert is also emailed: it names the clinician, but neither the member nor the reason,
    # which stay on the review page behind sign-in and two-factor authentication.
    coordinators = (
        MembershipRole.objects.filter(membership__program=grant.program)
        .filter(membership__is_active=True)
        .filter(membership__user__is_active=True)
        .filter(role=Role.COORDINATOR)
        .select_related("membership__user")
    )
    url = reverse("privacy:emergency_review", args=[grant.program.slug])
    for role in coordinators:
        notify(
            role.membership.user,
            kind=EMERGENCY_ACCESS,
            title=_("Emergency access used in %(program)s") % {"program": grant.program.name},
            body=_(
                "%(clinician)s opened a member's records under emergency access. "
                "Please review it: who, when and why are on the review page."
            )
            % {"clinician": grant.clinician.display_name},
            url=url,
            program=grant.program,
        )


@transaction.atomic
def end_emergency_access(actor, *, grant: EmergencyAccess) -> EmergencyAccess:
    """End the actor's own grant now; a grant that already ended or expired is left as it is."""
    if grant.clinician_id != actor.pk:
        raise Http404
    if grant.is_active:
        grant.ended_at = timezone.now()
        grant.save(update_fields=["ended_at"])
    return grant


@transaction.atomic
def review_emergency_access(actor, *, grant: EmergencyAccess, note: str) -> EmergencyAccess:
    """Record that the actor, a coordinator of the grant's program, reviewed it, with their note.

    Raises Http404 for anyone else, ValidationError for an empty note, a grant already reviewed or
    the actor's own grant.
    """
    if not can_manage(actor, grant.program):
        raise Http404
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write what you found, even if all was in order.")})
    if grant.clinician_id == actor.pk:
        raise ValidationError({"note": _("Someone else must review your own emergency access.")})
    locked = EmergencyAccess.objects.select_for_update().get(pk=grant.pk)
    if locked.reviewed_at is not None:
        raise ValidationError({"note": _("This emergency access has already been reviewed.")})
    grant.reviewed_by = actor
    grant.reviewed_at = timezone.now()
    grant.review_note = note
    grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return grant
