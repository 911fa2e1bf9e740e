from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mentormesh.people import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["handle"]
    list_display = ["handle", "email", "is_active", "is_staff", "date_joined"]
    search_fields = ["handle", "email"]
    fieldsets = [
        (None, {"fields": ["handle", "email", "password"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["handle", "email", "password1", "password2"]})
    ]


@admin.register(models.Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "display_name", "level", "timezone", "visibility"]
    list_filter = ["level", "visibility", "open_to_mentor", "open_to_paid"]
    search_fields = ["user__handle", "display_name", "headline"]
    raw_id_fields = ["user"]


class AliasInline(admin.TabularInline):
    model = models.SkillAlias
    extra = 1


@admin.register(models.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "reviewed", "created_by"]
    list_filter = ["reviewed", "category"]
    search_fields = ["name", "aliases__alias"]
    filter_horizontal = ["related"]
    inlines = [AliasInline]
    actions = ["mark_reviewed"]
    raw_id_fields = ["created_by"]

    @admin.action(description="Mark selected skills as reviewed")
    def mark_reviewed(self, request, queryset):
        queryset.update(reviewed=True)


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["user", "manager"]


@admin.register(models.Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    raw_id_fields = ["user"]
