from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "mentormesh.connect"
    label = "connect"
    verbose_name = "Asks and relationships"

    def ready(self) -> None:
        from mentormesh.connect import discovery
        from mentormesh.connect.demo import demo_activity
        from mentormesh.connect.selectors import calendar_items
        from mentormesh.notifications.calendar import calendar_sources
        from mentormesh.people.demo import demo_extras

        discovery.register()
        for registry, hook in ((calendar_sources, calendar_items), (demo_extras, demo_activity)):
            if hook not in registry:
                registry.append(hook)
