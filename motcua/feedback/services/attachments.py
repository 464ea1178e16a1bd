"""Files sent with a feedback: at most three PDF, JPEG or PNG files of up to 10 MB each.

What a file is comes from its bytes (`documents.validation`), never from its name. The checks run
on every file before anything is written, so a refused file leaves neither a row nor a stray blob
in the store; the files are then stored through `documents.services.stored_file_create`, inside
the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Final

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import DomainError, InvalidInput
from motcua.documents.services import stored_file_create
from motcua.documents.validation import JPEG, PDF, PNG, file_validate, sniff_mime
from motcua.feedback.models import Feedback, FeedbackAttachment

MAX_FILES: Final = 3
MAX_BYTES: Final = 10 * 2**20
ACCEPTED: Final = frozenset({PDF, JPEG, PNG})
FIELD: Final = "attachments"


@dataclass(frozen=True)
class Upload:
    """One file as received: the name the sender gave it and its bytes."""

    name: str
    content: bytes

    @property
    def clean_name(self) -> str:
        # Browsers on Windows may send a full path; keep the last part only.
        name = PurePath((self.name or "").replace("\\", "/")).name.strip()
        return name[:255] or "tep-dinh-kem"


def too_many_message() -> str:
    return _("At most %(count)d files can be attached.") % {"count": MAX_FILES}


def too_large_message(name: str) -> str:
    return _("“%(name)s” is larger than %(limit)d MB.") % {"name": name, "limit": MAX_BYTES // 2**20}


def attachments_validate(uploads: Sequence[Upload]) -> None:
    """Refuse the whole set, naming the file, unless every file is an acceptable PDF, JPEG or PNG."""
    if len(uploads) > MAX_FILES:
        raise InvalidInput(too_many_message(), code="too_many_files", field=FIELD)
    for upload in uploads:
        name = upload.clean_name
        if len(upload.content) > MAX_BYTES:
            raise InvalidInput(too_large_message(name), code="file_too_large", field=FIELD)
        if sniff_mime(upload.content) not in ACCEPTED:
            raise InvalidInput(
                _("“%(name)s” is not a PDF, JPEG or PNG file.") % {"name": name},
                code="file_type_not_allowed",
                field=FIELD,
            )
        try:
            file_validate(upload.content, filename=name)
        except DomainError as error:
            raise InvalidInput(f"“{name}”: {error.message}", code=error.code, field=FIELD) from None


def attachments_store(
    *, feedback: Feedback, uploads: Sequence[Upload], uploaded_by: User | None
) -> list[FeedbackAttachment]:
    """Store the (validated) files and attach them to `feedback`; call inside the feedback's transaction."""
    return [
        FeedbackAttachment.objects.create(
            feedback=feedback,
            stored_file=stored_file_create(content=upload.content, filename=upload.clean_name, uploaded_by=uploaded_by),
            original_name=upload.clean_name,
        )
        for upload in uploads
    ]
