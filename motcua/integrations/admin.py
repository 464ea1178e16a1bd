from django.contrib import admin

from motcua.integrations.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("kind", "reference", "idempotency_key", "attempts", "next_attempt_at", "delivered_at", "failed_at")
    list_filter = ("kind",)
    search_fields = ("reference", "idempotency_key")
    readonly_fields = ("kind", "payload", "idempotency_key", "reference", "created_at")
