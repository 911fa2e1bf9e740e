from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_vocabulary(sender, **kwargs) -> None:
    from mentormesh.people.services import vocabulary_sync

    vocabulary_sync()


class PeopleConfig(AppConfig):
    name = "mentormesh.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        # The curated vocabulary is data the product needs, not a fixture: keep it present
        # after every migrate (and after test flushes, which replay post_migrate).
        post_migrate.connect(_sync_vocabulary, sender=self)
