"""The roles of SPEC §3.11. A staff member holds roles per unit through organizations.Membership."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Counter officer")
    SPECIALIST = "specialist", _("Specialist")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    POSTAL_AGENT = "postal_agent", _("Postal agent")
    CONTROLLER = "controller", _("Controller")
    ADMINISTRATOR = "administrator", _("Administrator")


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANIZATION = "organization", _("Organization")
    STAFF = "staff", _("Staff")
    INTEGRATION = "integration", _("Integration client")
