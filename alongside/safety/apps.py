from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "alongside.safety"
    label = "safety"
    verbose_name = "Safety"

    def ready(self) -> None:
        from alongside.safety import kinds

        kinds.register()
