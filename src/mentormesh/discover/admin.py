from django.contrib import admin

from mentormesh.discover.models import Cohort, CohortMember, ShortlistRun


class CohortMemberInline(admin.TabularInline):
    model = CohortMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    inlines = [CohortMemberInline]


@admin.register(ShortlistRun)
class ShortlistRunAdmin(admin.ModelAdmin):
    list_display = ["organization", "cohort_name", "created_at", "full", "partial", "empty"]
    list_filter = ["organization"]
    readonly_fields = [f.name for f in ShortlistRun._meta.fields]
