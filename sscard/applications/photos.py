"""Card photos: check an upload, crop it to the card's 358×441 frame, encode it within the size range.

Uploaded originals and the cropped photos are private files under MEDIA_ROOT (no URL serves them); the
applicant's own photo is only shown through a login-checked view.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

from sscard.domain import photo_rules
from sscard.domain.photo_rules import CARD_HEIGHT, CARD_WIDTH, BorderStats

ORIGINALS_DIR = "applications/originals"
PHOTOS_DIR = "applications/photos"
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png"}

MSG_EMPTY = gettext_noop("Please choose a photo file.")
MSG_TOO_BIG = gettext_noop("The file is larger than %(mb)s MB.")
MSG_TYPE = gettext_noop("The file is not a JPEG or PNG picture (its content was checked, not its name).")
MSG_BOMB = gettext_noop("The picture has too many pixels to be processed safely.")
MSG_BROKEN = gettext_noop("The picture could not be read: the file is damaged or incomplete.")
MSG_SIZE_LOW = gettext_noop("The photo has too little detail to be a portrait photo. Please upload a real photo.")
MSG_SIZE_HIGH = gettext_noop("The photo cannot be compressed to at most %(kb)s KB without losing too much quality. "
                   "Please use a photo with a plain background and less noise.")


class PhotoError(Exception):
    """A photo that cannot be used. `messages` are English source texts (translate each with gettext,
    then fill in `params`)."""

    def __init__(self, *messages: str, params: dict | None = None):
        super().__init__(" ".join(messages))
        self.messages = messages
        self.params = params or {}


@dataclass
class CheckedUpload:
    data: bytes
    format: str  # "JPEG" or "PNG"
    width: int  # after EXIF orientation
    height: int


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(MSG_BOMB) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise PhotoError(MSG_TYPE) from None


def _load(data: bytes) -> Image.Image:
    """Decode a checked upload, refusing bombs before any pixel is decoded, and apply EXIF orientation."""
    image = _open(data)
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError(MSG_TYPE)
    width, height = image.size
    if width * height > photo_rules.MAX_PIXELS:
        raise PhotoError(MSG_BOMB)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(MSG_BOMB) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError(MSG_BROKEN) from None
    return image


def check_upload(uploaded, *, max_mb: int) -> CheckedUpload:
    """Read an uploaded file (Django UploadedFile or bytes) and check it by content. Raises PhotoError."""
    if uploaded is None:
        raise PhotoError(MSG_EMPTY)
    limit = max_mb * 1024 * 1024
    if isinstance(uploaded, bytes | bytearray):
        data = bytes(uploaded)
    else:
        if uploaded.size is not None and uploaded.size > limit:
            raise PhotoError(MSG_TOO_BIG, params={"mb": max_mb})
        data = uploaded.read(limit + 1)
    if not data:
        raise PhotoError(MSG_EMPTY)
    if len(data) > limit:
        raise PhotoError(MSG_TOO_BIG, params={"mb": max_mb})
    image = _load(data)
    if not photo_rules.source_big_enough(*image.size):
        raise PhotoError(photo_rules.MSG_TOO_SMALL)
    return CheckedUpload(data=data, format=_open(data).format, width=image.size[0], height=image.size[1])


def parse_crop(values: dict, width: int, height: int) -> tuple[int, int, int, int]:
    """Crop box (x, y, w, h) from the hidden fields; the centred box when JavaScript did not set them."""
    try:
        box = tuple(int(round(float(values.get(k) or ""))) for k in ("crop_x", "crop_y", "crop_w", "crop_h"))
    except (TypeError, ValueError):
        return photo_rules.centre_crop_box(width, height)
    if not photo_rules.crop_box_ok(box, width, height):
        raise PhotoError(photo_rules.MSG_CROP)
    return box


def border_stats(image: Image.Image, strip: int = 10) -> BorderStats:
    """Statistics of the top, left and right border strips (the bottom is the person's shoulders)."""
    rgb = image.convert("RGB")
    w, h = rgb.size
    boxes = [(0, 0, w, strip), (0, strip, strip, h * 2 // 3), (w - strip, strip, w, h * 2 // 3)]
    regions = [rgb.crop(b) for b in boxes]
    luma = [r.convert("L") for r in regions]
    sat = [r.convert("HSV").getchannel("S") for r in regions]
    n = sum(r.size[0] * r.size[1] for r in regions)
    stats = [ImageStat.Stat(x) for x in luma]
    mean = sum(s.mean[0] * r.size[0] * r.size[1] for s, r in zip(stats, regions, strict=True)) / n
    sq = sum(s.sum2[0] for s in stats) / n
    stddev = max(0.0, sq - mean * mean) ** 0.5
    mean_sat = sum(ImageStat.Stat(s).sum[0] for s in sat) / n
    dark = sum(sum(x.histogram()[: photo_rules.DARK_LEVEL]) for x in luma) / n
    return BorderStats(mean_luma=mean, stddev_luma=stddev, mean_saturation=mean_sat, dark_share=dark)


def encode_in_range(image: Image.Image, *, min_kb: int, max_kb: int) -> bytes:
    """JPEG bytes of `image` between min_kb and max_kb, at the best quality that fits."""
    low, high = min_kb * 1024, max_kb * 1024

    def encode(quality: int) -> bytes:
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality, optimize=True, subsampling=0 if quality >= 90 else 2,
                   dpi=(300, 300))
        return out.getvalue()

    best = encode(95)
    if len(best) < low:
        raise PhotoError(MSG_SIZE_LOW)
    if len(best) <= high:
        return best
    lo_q, hi_q, found = 30, 94, None
    while lo_q <= hi_q:  # highest quality whose size is at most the maximum
        mid = (lo_q + hi_q) // 2
        data = encode(mid)
        if len(data) <= high:
            found, lo_q = data, mid + 1
        else:
            hi_q = mid - 1
    if found is None:
        raise PhotoError(MSG_SIZE_HIGH, params={"kb": max_kb})
    if len(found) < low:  # the size jumped over the whole range between two quality steps
        raise PhotoError(MSG_SIZE_HIGH, params={"kb": max_kb})
    return found


def make_card_photo(checked: CheckedUpload, crop: dict, *, min_kb: int, max_kb: int) -> bytes:
    """Crop and scale to 358×441, check the background, encode as JPEG in range. Raises PhotoError with
    every background problem found."""
    image = _load(checked.data)
    x, y, w, h = parse_crop(crop, image.size[0], image.size[1])
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        backdrop = Image.new("RGB", image.size, (255, 255, 255))
        backdrop.paste(image.convert("RGBA"), mask=image.convert("RGBA").getchannel("A"))
        image = backdrop
    card = image.convert("RGB").crop((x, y, x + w, y + h)).resize((CARD_WIDTH, CARD_HEIGHT), Image.LANCZOS)
    problems = photo_rules.background_problems(border_stats(card))
    if problems:
        raise PhotoError(*problems)
    return encode_in_range(card, min_kb=min_kb, max_kb=max_kb)


def store_original(checked: CheckedUpload) -> str:
    name = f"{ORIGINALS_DIR}/{uuid.uuid4().hex}.{ACCEPTED_FORMATS[checked.format]}"
    return default_storage.save(name, ContentFile(checked.data))


def store_card_photo(data: bytes) -> str:
    return default_storage.save(f"{PHOTOS_DIR}/{uuid.uuid4().hex}.jpg", ContentFile(data))


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def delete(*names: str) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
