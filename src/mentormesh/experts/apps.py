from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "mentormesh.experts"
    label = "experts"
    verbose_name = "Help requests, experts, bookings and sponsorship"

    def ready(self) -> None:
        from mentormesh.experts import hooks

        hooks.register()
