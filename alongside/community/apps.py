from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "alongside.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from alongside.community import kinds, paths, story_registry

        paths.register()
        kinds.register()
        story_registry.register()
