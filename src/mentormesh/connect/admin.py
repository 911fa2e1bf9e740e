from django.contrib import admin
from django.utils import timezone

from mentormesh.connect.models import Ask, Block, Relationship, Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Where staff review reported asks; the reported text is shown read-only."""

    list_display = ["created_at", "reporter", "reported_sender", "reason", "resolved_at"]
    list_filter = ["resolved_at"]
    readonly_fields = ["ask", "reporter", "reason", "created_at", "reported_message"]
    actions = ["mark_resolved"]

    @admin.display(description="sender")
    def reported_sender(self, report: Report):
        return report.ask.sender

    @admin.display(description="message")
    def reported_message(self, report: Report) -> str:
        return f"{report.ask.message}\n\n{report.ask.question}"

    @admin.action(description="Mark resolved")
    def mark_resolved(self, request, queryset):
        queryset.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())


@admin.register(Ask)
class AskAdmin(admin.ModelAdmin):
    list_display = ["created_at", "sender", "recipient", "status", "check_score"]
    list_filter = ["status"]
    raw_id_fields = ["sender", "recipient", "skill", "introduced_by"]
    search_fields = ["sender__handle", "recipient__handle", "question"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["created_at", "blocker", "blocked"]
    raw_id_fields = ["blocker", "blocked"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["topic", "first", "second", "status", "last_contact_at"]
    list_filter = ["status"]
    raw_id_fields = ["first", "second", "started_by_ask"]
