from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


def _network_changed(sender, **kwargs) -> None:
    from mentormesh.discover.network import network_changed

    # Logging in saves last_login only; nothing the engine reads.
    if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
        return
    network_changed()


class DiscoverConfig(AppConfig):
    name = "mentormesh.discover"
    label = "discover"
    verbose_name = "Discovery"

    def ready(self) -> None:
        from mentormesh.people import models
        from mentormesh.people.signals import people_bulk_changed

        # Everything the engine reads about people; later apps call network_changed()
        # themselves when they record evidence.
        for model in (
            models.User,
            models.Profile,
            models.OfferedSkill,
            models.SoughtSkill,
            models.AvailabilityWindow,
            models.Membership,
            models.Skill,
            models.SkillAlias,
        ):
            post_save.connect(_network_changed, sender=model, dispatch_uid=f"discover-{model}")
            post_delete.connect(_network_changed, sender=model, dispatch_uid=f"discover-d-{model}")
        m2m_changed.connect(
            _network_changed, sender=models.Skill.related.through, dispatch_uid="discover-related"
        )
        people_bulk_changed.connect(_network_changed, dispatch_uid="discover-bulk")
