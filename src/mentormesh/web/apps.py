from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "mentormesh.web"
    label = "web"
    verbose_name = "Web"
