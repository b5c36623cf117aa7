from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "alongside.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from alongside.core import signals  # noqa: F401 - connects the session clock
