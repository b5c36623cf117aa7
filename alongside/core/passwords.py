"""Password rules after NIST SP 800-63B: length over composition, no known-bad passwords.

At least 15 characters for an account without a second factor and 8 once two-factor
authentication is on; no composition rules; long passphrases welcome (up to 256 characters).
Known-bad passwords are refused by Django's list of 20,000 passwords common in breaches, plus
patterns such breaches are full of (one repeated character, simple sequences, the site's name).
"""

import re

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LENGTH_WITH_MFA = 8
LENGTH_WITHOUT_MFA = 15
MAXIMUM_LENGTH = 256

_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm")
_SITE_WORDS = ("alongside",)


class LengthByMfaValidator:
    """15 characters without two-factor authentication, 8 with it, at most 256."""

    def minimum_for(self, user) -> int:
        if user is not None and getattr(user, "pk", None) and is_mfa_enabled(user):
            return LENGTH_WITH_MFA
        return LENGTH_WITHOUT_MFA

    def validate(self, password: str, user=None) -> None:
        minimum = self.minimum_for(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "Use at least %(minimum)d character. A few words make a strong, memorable passphrase.",
                    "Use at least %(minimum)d characters. A few words make a strong, memorable passphrase.",
                    minimum,
                )
                % {"minimum": minimum},
                code="password_too_short",
            )
        if len(password) > MAXIMUM_LENGTH:
            raise ValidationError(
                _("Use at most %(maximum)d characters.") % {"maximum": MAXIMUM_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return _(
            "At least %(without)d characters, or %(with)d once two-factor authentication is on. "
            "No special characters needed: a few unrelated words work well."
        ) % {"without": LENGTH_WITHOUT_MFA, "with": LENGTH_WITH_MFA}


class GuessablePatternValidator:
    """Refuse repeated characters or chunks, keyboard or alphabet runs, and the site's name plus digits."""

    def validate(self, password: str, user=None) -> None:
        folded = re.sub(r"[\s\W_]+", "", password.lower())
        if not folded:
            return
        without_site_words = folded
        for word in _SITE_WORDS:
            without_site_words = without_site_words.replace(word, "")
        guessable = (
            len(set(folded)) <= 2
            or re.fullmatch(r"(.+?)\1+", folded) is not None
            or any(folded in sequence or folded in sequence[::-1] for sequence in _SEQUENCES)
            or without_site_words == ""
            or without_site_words.isdigit()
        )
        if guessable:
            raise ValidationError(
                _("This password is too easy to guess. Try a few unrelated words."),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("Not a repeated character, a keyboard pattern or the name of this site.")
