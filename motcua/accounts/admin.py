from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from motcua.accounts.models import ApiToken, CitizenProfile, OrganizationProfile, User


@admin.register(User)
class MotCuaUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "kind", "email", "is_active")
    list_filter = ("kind", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("MotCua", {"fields": ("kind", "full_name", "phone")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest")


@admin.register(CitizenProfile)
class CitizenProfileAdmin(admin.ModelAdmin):
    list_display = ("id_number", "full_name", "date_of_birth", "user", "verified_at")
    search_fields = ("id_number", "full_name", "phone", "email")
    readonly_fields = ("verified_at", "created_at", "updated_at")
    raw_id_fields = ("user",)


@admin.register(OrganizationProfile)
class OrganizationProfileAdmin(admin.ModelAdmin):
    list_display = ("tax_code", "name", "representative", "user")
    search_fields = ("tax_code", "name")
    readonly_fields = ("created_at", "updated_at")
    raw_id_fields = ("user",)
