from django.contrib import admin

from mentormesh.community.models import Event, Question, Rsvp


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "host", "starts_at", "capacity", "going_count", "cancelled_at"]
    list_filter = ["kind"]
    search_fields = ["title", "host__handle"]
    raw_id_fields = ["host", "organization"]


@admin.register(Rsvp)
class RsvpAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "joined_at", "attended"]
    raw_id_fields = ["event", "user"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Staff moderation: the one place an anonymous question's author is shown."""

    list_display = ["text", "event", "author", "anonymous", "hidden_at", "answered_at"]
    list_filter = ["anonymous"]
    raw_id_fields = ["event", "author", "answered_by", "merged_into"]
