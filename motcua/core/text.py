"""Text helpers that know Vietnamese. Pure: no Django models, no I/O."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and map đ→d, collapse spaces: the search key of SPEC §5.1.

    NFD splits "ế" into "e" + marks, which we drop; "đ"/"Đ" is a separate letter (not a mark),
    so it needs its own mapping. "Đăng ký khai sinh" → "dang ky khai sinh".
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()
