"""The only gate to account objects: a person reaches their own profile and nobody else's."""

from rest_framework.authtoken.models import Token

from alongside.accounts.models import Profile, User


def get_own_profile(user: User) -> Profile:
    """The profile of `user` (created if an older account lacks one); never anyone else's."""
    profile, _created = Profile.objects.select_related("user").get_or_create(user=user)
    return profile


def get_own_api_token(user: User) -> Token | None:
    """The API token of `user`, if they have one; callers must never show its key again."""
    return Token.objects.filter(user=user).first()
