"""People: the login identity (User) and what they choose to tell others (Profile)."""

import zoneinfo
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.accounts import pseudonyms

# Languages a person can say they speak; codes are ISO 639-1.
SPOKEN_LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("zh", _("Chinese")),
    ("vi", _("Vietnamese")),
    ("tl", _("Tagalog")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ko", _("Korean")),
    ("ru", _("Russian")),
    ("de", _("German")),
    ("ht", _("Haitian Creole")),
    ("pt", _("Portuguese")),
    ("hi", _("Hindi")),
    ("pl", _("Polish")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ase", _("American Sign Language")),
]
SPOKEN_LANGUAGE_CODES = {code for code, _label in SPOKEN_LANGUAGES}


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


# Offered first, in this order, because most people using Alongside live in the US.
COMMON_US_TIME_ZONES = [
    ("America/New_York", _("Eastern Time (New York)")),
    ("America/Chicago", _("Central Time (Chicago)")),
    ("America/Denver", _("Mountain Time (Denver)")),
    ("America/Phoenix", _("Mountain Time without daylight saving (Phoenix)")),
    ("America/Los_Angeles", _("Pacific Time (Los Angeles)")),
    ("America/Anchorage", _("Alaska Time (Anchorage)")),
    ("Pacific/Honolulu", _("Hawaii Time (Honolulu)")),
    ("America/Puerto_Rico", _("Atlantic Time (Puerto Rico)")),
]


def time_zone_choices() -> list:
    """Grouped choices for a select: common US zones first, then every other IANA zone."""
    common = {name for name, _label in COMMON_US_TIME_ZONES}
    others = [(name, name.replace("_", " ")) for name in sorted(time_zone_names() - common)]
    return [(_("Common in the US"), COMMON_US_TIME_ZONES), (_("All time zones"), others)]


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_languages(value: list[str]) -> None:
    if not isinstance(value, list) or any(code not in SPOKEN_LANGUAGE_CODES for code in value):
        raise ValidationError(_("Choose languages from the list."))


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        Profile.objects.get_or_create(user=user)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. Email is the identifier; no real name is ever required.

    `is_superuser` marks a site admin, who manages programs; every other role is held per
    program through `programs.Membership`.
    """

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True, max_length=254)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()  # type: ignore[assignment, misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        return profile.display_name if profile else str(_("Someone"))

    @property
    def is_site_admin(self) -> bool:
        return self.is_superuser


class Profile(models.Model):
    """What a person tells the programs and peers about themselves, all of it optional.

    The location is coarse on purpose: a ZIP code is resolved offline to its city and the
    centre of the ZIP area, and only the city is ever shown to anyone else.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=40,
        default=pseudonyms.generate,
        help_text=_("How others see you. It need not be your real name."),
    )
    pronouns = models.CharField(_("pronouns"), max_length=30, blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages]
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    areas_of_concern = models.ManyToManyField(
        "core.AreaOfConcern", blank=True, related_name="+", verbose_name=_("areas of concern")
    )
    zip_code = models.CharField(_("ZIP code"), max_length=5, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    preferred_language = models.CharField(
        _("language of the site"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")

    def __str__(self) -> str:
        return self.display_name

    @property
    def public_location(self) -> str:
        """The most anyone else may see of where this person lives."""
        if self.city and self.state:
            return f"{self.city}, {self.state}"
        return ""
