from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "mentormesh.connect"
    label = "connect"
    verbose_name = "Asks and relationships"

    def ready(self) -> None:
        from mentormesh.connect import discovery

        discovery.register()
