from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "alongside.pairing"
    label = "pairing"
    verbose_name = "Pairing"

    def ready(self) -> None:
        from alongside.pairing import kinds

        kinds.register()
