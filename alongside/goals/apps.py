from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "alongside.goals"
    label = "goals"
    verbose_name = "Goals"

    def ready(self) -> None:
        from alongside.goals import kinds, paths

        kinds.register()
        paths.register()
