from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "alongside.programs"
    label = "programs"
    verbose_name = "Programs"
