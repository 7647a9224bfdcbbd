"""Evidence of an objection: a PDF or a picture (JPEG or PNG), checked by its content like the card photos
(`applications/photos.py`): size first, then the type from the bytes (never the name), then the picture's pixel
count from its header before any pixel is decoded (decompression bombs, `domain/photo_rules.MAX_PIXELS`).

A picture is decoded and kept re-encoded from its pixels (JPEG, upright, no EXIF/XMP/GPS or other metadata). A
PDF is never rendered by the service: its structure is checked (header, end-of-file marker) and a PDF with active
content (JavaScript, launch actions, embedded files) is refused; it is kept as sent and offered to the officer as
a download (attachment, `nosniff`).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from sscard.domain import photo_rules

MSG_EMPTY = gettext_noop("Choose a file with your evidence (a PDF or a picture).")
MSG_TOO_BIG = gettext_noop("The file is larger than %(mb)s MB.")
MSG_TYPE = gettext_noop("The file is not a PDF, JPEG or PNG (its content was checked, not its name).")
MSG_BROKEN = gettext_noop("The file could not be read: it is damaged or incomplete.")
MSG_ACTIVE = gettext_noop("The PDF contains active content (scripts, actions or embedded files). Print it to a "
                          "plain PDF, or send a picture of the document.")
MSG_BOMB = gettext_noop("The picture has too many pixels to be processed safely.")

MAX_FILES = 5
ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


class EvidenceError(Exception):
    def __init__(self, message: str, params: dict | None = None):
        super().__init__(message)
        self.message = message
        self.params = params or {}


@dataclass(frozen=True)
class Evidence:
    filename: str
    media_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _read(uploaded, limit: int, max_mb: int) -> bytes:
    if isinstance(uploaded, bytes | bytearray):
        data = bytes(uploaded)
    else:
        if uploaded.size is not None and uploaded.size > limit:
            raise EvidenceError(MSG_TOO_BIG, {"mb": max_mb})
        data = uploaded.read(limit + 1)
    if not data:
        raise EvidenceError(MSG_EMPTY)
    if len(data) > limit:
        raise EvidenceError(MSG_TOO_BIG, {"mb": max_mb})
    return data


def _pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-1024:]:
        raise EvidenceError(MSG_BROKEN)
    if ACTIVE_PDF.search(data):
        raise EvidenceError(MSG_ACTIVE)
    return data


def _picture(data: bytes) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ("JPEG", "PNG"):
                raise EvidenceError(MSG_TYPE)
            if photo_rules.too_many_pixels(image.format, *image.size):
                raise EvidenceError(MSG_BOMB)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceError(MSG_BOMB) from None
    except UnidentifiedImageError:
        raise EvidenceError(MSG_TYPE) from None
    except (OSError, SyntaxError, ValueError):
        raise EvidenceError(MSG_BROKEN) from None
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=88)
    return out.getvalue()


def check(uploaded, *, max_mb: int) -> Evidence:
    """The checked evidence of an upload (Django UploadedFile or bytes), or EvidenceError."""
    if uploaded is None:
        raise EvidenceError(MSG_EMPTY)
    data = _read(uploaded, max_mb * 1024 * 1024, max_mb)
    name = (getattr(uploaded, "name", "") or "evidence").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    stem = name.rsplit(".", 1)[0] or "evidence"
    if data.startswith(b"%PDF-"):
        return Evidence(filename=f"{stem}.pdf", media_type="application/pdf", content=_pdf(data))
    return Evidence(filename=f"{stem}.jpg", media_type="image/jpeg", content=_picture(data))
