from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "mentormesh.connect"
    label = "connect"
    verbose_name = "Asks and relationships"

    def ready(self) -> None:
        from mentormesh.connect import discovery
        from mentormesh.connect.selectors import calendar_items
        from mentormesh.notifications.calendar import calendar_sources

        discovery.register()
        if calendar_items not in calendar_sources:
            calendar_sources.append(calendar_items)
