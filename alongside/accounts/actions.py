"""What a person does with their account: tell others about themselves, manage API tokens and
signed-in devices."""

from collections.abc import Iterable
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from alongside.accounts.models import Profile, User
from alongside.accounts.places import resolve_zip_code
from alongside.core.models import AreaOfConcern

_UNCHANGED: Any = object()


@transaction.atomic
def update_profile(
    actor: User,
    *,
    display_name: str = _UNCHANGED,
    pronouns: str = _UNCHANGED,
    languages: list[str] = _UNCHANGED,
    time_zone: str = _UNCHANGED,
    areas_of_concern: Iterable[AreaOfConcern] = _UNCHANGED,
    zip_code: str = _UNCHANGED,
    preferred_language: str = _UNCHANGED,
) -> Profile:
    """Save the given fields of `actor`'s own profile, resolving a ZIP code to its city and
    coordinates; invalid input raises ValidationError and saves nothing."""
    profile = Profile.objects.select_for_update().get(user=actor)
    simple_fields = {
        "display_name": display_name,
        "pronouns": pronouns,
        "languages": languages,
        "time_zone": time_zone,
        "preferred_language": preferred_language,
    }
    for name, value in simple_fields.items():
        if value is not _UNCHANGED:
            setattr(profile, name, value)
    if zip_code is not _UNCHANGED:
        _set_location(profile, zip_code)
    profile.full_clean()
    profile.save()
    if areas_of_concern is not _UNCHANGED:
        profile.areas_of_concern.set(areas_of_concern)
    return profile


def _set_location(profile: Profile, zip_code: str) -> None:
    if not zip_code:
        profile.zip_code, profile.city, profile.state = "", "", ""
        profile.latitude = profile.longitude = None
        return
    place = resolve_zip_code(zip_code)
    if place is None:
        raise ValidationError(
            {"zip_code": _("We could not find ZIP code %(zip)s.") % {"zip": zip_code}}
        )
    profile.zip_code, profile.city, profile.state = place.zip_code, place.city, place.state
    profile.latitude, profile.longitude = place.latitude, place.longitude


@transaction.atomic
def create_api_token(actor: User) -> Token:
    """Give `actor` a fresh API token, replacing any earlier one, so that only the new key works."""
    Token.objects.filter(user=actor).delete()
    return Token.objects.create(user=actor)


@transaction.atomic
def revoke_api_token(actor: User) -> bool:
    """Delete `actor`'s API token, if any; returns whether there was one."""
    deleted, _by_model = Token.objects.filter(user=actor).delete()
    return deleted > 0


@transaction.atomic
def sign_out_everywhere(actor: User, *, request: HttpRequest) -> int:
    """End every signed-in session of `actor`, on all devices, and sign `request` out too;
    returns how many sessions were ended."""
    sessions = UserSession.objects.purge_and_list(actor)
    for session in sessions:
        session.end()
    # The current session may predate session tracking; signing out here must not depend on it.
    get_account_adapter(request).logout(request)
    return len(sessions)
