from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mentormesh.notifications"
    label = "notifications"
    verbose_name = "Notifications"
