"""What every domain shares: the taxonomy of areas of concern."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaOfConcernQuerySet(models.QuerySet["AreaOfConcern"]):
    def active(self) -> "AreaOfConcernQuerySet":
        return self.filter(is_active=True)


class AreaOfConcern(models.Model):
    """A managed taxonomy entry ("Alcohol use" under "Substance use", "Cardiac", ...).

    Admins curate the list; the default entries come from a data migration. Names are stored
    in English and Spanish because they are data, not code strings that gettext could reach.
    """

    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = AreaOfConcernQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("area of concern")
        verbose_name_plural = _("areas of concern")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("es") and self.name_es:
            return self.name_es
        return self.name
