"""E-mail texts for dossier events, rendered in the site language when the action happens."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import quote

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.core.clock import VIETNAM
from motcua.dossiers.models import Dossier

# (subject, first line of the body); both take %(code)s, %(procedure)s and the event's context.
TEMPLATES: Final = {
    "submitted": (
        _("Dossier %(code)s registered"),
        _("Your dossier for “%(procedure)s” was registered with code %(code)s and awaits acceptance."),
    ),
    "accepted": (
        _("Dossier %(code)s accepted"),
        _("Your dossier for “%(procedure)s” was accepted; the result is due on %(due)s."),
    ),
    "refused": (
        _("Dossier %(code)s not accepted"),
        _("Your dossier for “%(procedure)s” was not accepted. Reason: %(reason)s"),
    ),
    "supplement_requested": (
        _("Dossier %(code)s: please complete it"),
        _("Your dossier for “%(procedure)s” needs: %(missing)s. %(note)s"),
    ),
    "supplement_received": (
        _("Dossier %(code)s: supplement received"),
        _("We received the documents you added; the result is now due on %(due)s."),
    ),
    "payment_requested": (
        _("Dossier %(code)s: payment requested"),
        _("Please pay the financial obligation of your dossier. %(note)s"),
    ),
    "apologized": (
        _("Dossier %(code)s: apology and new return date"),
        _("We apologize: your dossier will be late. Reason: %(reason)s. The new return date is %(due)s."),
    ),
    "resolved": (
        _("Dossier %(code)s: result ready"),
        _("The result of your dossier for “%(procedure)s” is ready."),
    ),
    "returned": (
        _("Dossier %(code)s: result returned"),
        _("The result of your dossier %(code)s was handed over."),
    ),
    "withdrawn": (
        _("Dossier %(code)s withdrawn"),
        _("Your dossier %(code)s was withdrawn at your request."),
    ),
    "stopped": (
        _("Dossier %(code)s: processing stopped"),
        _("Processing of your dossier %(code)s was stopped. Reason: %(reason)s"),
    ),
    "reception_alert": (
        _("New dossier %(code)s to receive"),
        _("A dossier for “%(procedure)s” arrived: accept, ask for a supplement or refuse within 8 working hours."),
    ),
    "step_due_soon": (
        _("Dossier %(code)s: step due soon"),
        _("The step “%(step)s” of dossier %(code)s is due on %(due)s."),
    ),
    "step_overdue": (
        _("Dossier %(code)s: step overdue"),
        _("The step “%(step)s” of dossier %(code)s was due on %(due)s and is overdue."),
    ),
    "apology_prompt": (
        _("Dossier %(code)s will be late"),
        _("Dossier %(code)s is due on %(due)s and is still open: if it will be late, issue the apology today."),
    ),
    "consultation_requested": (
        _("Dossier %(code)s: your opinion is requested"),
        _("Your unit is consulted on dossier %(code)s; please answer by %(due)s."),
    ),
}


def local_text(instant: Any) -> str:
    return instant.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if instant else ""


def tracking_link(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/{quote(code, safe='')}"


def render(template: str, dossier: Dossier, context: dict[str, Any] | None = None) -> dict[str, str]:
    """Subject and body of `template` for `dossier`, in the site's language."""
    values = {
        "code": dossier.code or "",
        "procedure": dossier.procedure_version.name,
        "due": local_text(dossier.due_at),
        "reason": "",
        "note": "",
        "missing": "",
        "step": "",
        **(context or {}),
    }
    subject, first_line = TEMPLATES[template]
    with translation.override(settings.LANGUAGE_CODE):
        body = [str(first_line) % values]
        if dossier.code:
            body.append(str(_("Track it at %(url)s")) % {"url": tracking_link(dossier.code)})
        return {"subject": str(subject) % values, "body": "\n\n".join(body)}
