from django.contrib import admin

from motcua.workflow.models import ProcessDefinition, StepDefinition


class StepDefinitionInline(admin.TabularInline):
    model = StepDefinition
    extra = 0


@admin.register(ProcessDefinition)
class ProcessDefinitionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "unit", "unit_kind", "version", "active", "generated")
    list_filter = ("active", "generated")
    inlines = [StepDefinitionInline]
