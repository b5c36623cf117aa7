from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "alongside.checkins"
    label = "checkins"
    verbose_name = "Check-ins"

    def ready(self) -> None:
        from alongside.checkins import kinds
        from alongside.safety.writing import register_writing_path

        kinds.register()
        register_writing_path(
            "checkins.note", label=_("A check-in note"), fields=("checkins.CheckIn.note",)
        )
