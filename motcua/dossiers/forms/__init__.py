"""The one-stop legal forms (Mẫu 01–06 of TT 01/2018, the seven of TT 03/2025) printed as PDF.

    from motcua.dossiers.forms import FormKind, render_form
    pdf_bytes = render_form(FormKind.RECEIPT, ReceiptData(...))

No models here: the dossier services build the frozen dataclasses of `data.py`.
"""

from .data import (
    ApologyData,
    ComponentLine,
    ControlSlipData,
    ControlStep,
    FormData,
    Issuer,
    Party,
    Profile,
    ReceiptData,
    RefusalData,
    Signer,
    StepPhase,
    StopNoticeData,
    StopReason,
    SupplementRequestData,
    Timeliness,
    TrackingBookData,
    TrackingRow,
    profile_for,
)
from .render import FormKind, FormRenderError, render_form, render_form_html

__all__ = [
    "ApologyData",
    "ComponentLine",
    "ControlSlipData",
    "ControlStep",
    "FormData",
    "FormKind",
    "FormRenderError",
    "Issuer",
    "Party",
    "Profile",
    "ReceiptData",
    "RefusalData",
    "Signer",
    "StepPhase",
    "StopNoticeData",
    "StopReason",
    "SupplementRequestData",
    "Timeliness",
    "TrackingBookData",
    "TrackingRow",
    "profile_for",
    "render_form",
    "render_form_html",
]
