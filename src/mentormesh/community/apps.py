from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "mentormesh.community"
    label = "community"
    verbose_name = "Community: events, panels and mixers"

    def ready(self) -> None:
        from mentormesh.community import hooks

        hooks.register()
