from django.apps import AppConfig


class ExpertsConfig(AppConfig):
    name = "mentormesh.experts"
    label = "experts"
    verbose_name = "Experts, bookings and sponsorship"
