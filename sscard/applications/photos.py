"""Card photos: check an upload, crop it to the card's 358×441 frame, encode it within the size range.

Uploaded originals and the cropped photos are private files under MEDIA_ROOT (no URL serves them); the
applicant's own photo is only shown through a login-checked view.

Nothing of the uploaded file but its pixels is stored: the card photo and the kept original are both encoded
anew from pixels (upright, in sRGB), so EXIF (GPS position, camera, dates), XMP, ICC profiles, comments and any
other APPn segment of the upload are left behind. The kept original is a reference copy of the whole picture
(as decoded for the card photo, at most ORIGINAL_MAX_SIDE pixels a side), deleted when the application is
submitted and at the latest after ORIGINAL_RETENTION (retention.py, docs/photos.md).
"""

from __future__ import annotations

import io
import math
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop
from PIL import ExifTags, Image, ImageCms, ImageOps, ImageStat, UnidentifiedImageError

from sscard.domain import photo_rules
from sscard.domain.photo_rules import CARD_HEIGHT, CARD_WIDTH, BorderStats

ORIGINALS_DIR = "applications/originals"
PHOTOS_DIR = "applications/photos"
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG"})
ORIGINAL_QUALITY = 90  # JPEG quality of the kept original

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


@dataclass(frozen=True)
class PreparedPhoto:
    """What is stored of an upload: both encoded from pixels only, without any metadata segment."""

    card: bytes  # the 358×441 card photo, JPEG within the configured size range
    original: bytes  # the whole picture as decoded for the card, upright, sRGB, ≤ ORIGINAL_MAX_SIDE a side, JPEG


@dataclass
class CheckedUpload:
    data: bytes
    format: str  # "JPEG" or "PNG"
    width: int  # after EXIF orientation
    height: int
    # The opened picture: headers read and checked; its pixels are decoded by prepare, at the scale it needs.
    image: Image.Image | None = field(default=None, repr=False, compare=False)


# EXIF orientations (1–8) that swap width and height, and those whose upright picture runs the other way along
# its x or y axis than the stored pixels.
_SWAPPED = frozenset({5, 6, 7, 8})
_X_REVERSED = frozenset({2, 3, 6, 7})
_Y_REVERSED = frozenset({3, 4, 7, 8})


@contextmanager
def _decoding():
    """Decompression bombs and damaged files raise PhotoError while pixels (or EXIF) are read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(MSG_BOMB) from None
    except (OSError, SyntaxError, ValueError):
        raise PhotoError(MSG_BROKEN) from None


def _open(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(MSG_BOMB) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise PhotoError(MSG_TYPE) from None


def _open_checked(data: bytes) -> Image.Image:
    """Open an upload and check its type and pixel count from the headers, before any pixel is decoded."""
    image = _open(data)
    if image.format not in ACCEPTED_FORMATS:
        raise PhotoError(MSG_TYPE)
    width, height = image.size
    if photo_rules.too_many_pixels(image.format, width, height):
        raise PhotoError(photo_rules.MSG_TOO_MANY_PIXELS,
                         params={"format": image.format, "megapixels": photo_rules.megapixels(image.format)})
    return image


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 when there is none). A JPEG's EXIF is in its headers; reading a PNG's may
    decode the picture (its eXIf chunk may follow the pixels)."""
    with _decoding():
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    return orientation if isinstance(orientation, int) else 1


def check_upload(uploaded, *, max_mb: int) -> CheckedUpload:
    """Read an uploaded file (Django UploadedFile or bytes) and check it by content: size, type, pixel count
    (decompression bombs) and dimensions after EXIF orientation, all from the headers. Raises PhotoError.
    A damaged file is refused by prepare, which decodes the pixels."""
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
    image = _open_checked(data)
    width, height = image.size
    if _orientation(image) in _SWAPPED:
        width, height = height, width
    if not photo_rules.source_big_enough(width, height):
        raise PhotoError(photo_rules.MSG_TOO_SMALL)
    return CheckedUpload(data=data, format=image.format, width=width, height=height, image=image)


def _decode_for_card(checked: CheckedUpload, box: tuple[int, int, int, int]):
    """The upload decoded and upright, and the crop box (x0, y0, x1, y1) in its pixels.

    A large JPEG is decoded at 1/2, 1/4 or 1/8 of its size (libjpeg scales while decoding: much less work
    than decoding every pixel and scaling down afterwards) when the crop keeps at least the card's 358×441
    pixels at that scale.
    """
    image = checked.image if checked.image is not None else _open_checked(checked.data)
    checked.image = None  # decoded below: not to be decoded (or drafted) twice
    orientation = _orientation(image)
    x, y, w, h = box
    scale = 1
    if image.format == "JPEG":
        factor = max(CARD_WIDTH / w, CARD_HEIGHT / h)  # the crop scaled by this has exactly the card's size
        if factor <= 0.5:
            stored_w, stored_h = image.size
            drafted = image.draft(image.mode, (math.ceil(stored_w * factor), math.ceil(stored_h * factor)))
            if drafted is not None:
                scale = round(stored_w / drafted[1][2])
    with _decoding():
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
    if scale == 1:
        return image, (x, y, x + w, y + h)
    # Decoded pixel i covers the original pixels [i·scale, (i+1)·scale); the last one of a row or column may
    # cover fewer, which shifts the picture by a fraction of a pixel along an axis the orientation reverses.
    width, height = image.size
    dx = width - checked.width / scale if orientation in _X_REVERSED else 0.0
    dy = height - checked.height / scale if orientation in _Y_REVERSED else 0.0
    return image, (max(0.0, x / scale + dx), max(0.0, y / scale + dy),
                   min(float(width), (x + w) / scale + dx), min(float(height), (y + h) / scale + dy))


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
    rgb = image if image.mode == "RGB" else image.convert("RGB")
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
    """JPEG bytes of `image` between min_kb and max_kb, at the best quality that fits: its pixels only (the
    JFIF header and the image data; no EXIF, XMP, ICC profile or comment, whatever `image.info` holds)."""
    low, high = min_kb * 1024, max_kb * 1024
    image = _pixels_only(image)

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


def _flatten(image: Image.Image) -> Image.Image:
    """The picture in RGB, transparency on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        backdrop = Image.new("RGB", image.size, (255, 255, 255))
        backdrop.paste(rgba, mask=rgba.getchannel("A"))
        return backdrop
    return image if image.mode == "RGB" else image.convert("RGB")


def _card_from(image: Image.Image, source: tuple) -> Image.Image:
    """The crop box `source` of the decoded picture, scaled to 358×441, in RGB. A picture that needs converting
    is cut down first to the pixels the scaling reads (the box and the resampling filter's reach around it), so
    that a large picture is not copied whole."""
    if image.mode != "RGB":
        x0, y0, x1, y1 = source
        reach = math.ceil(3 * max((x1 - x0) / CARD_WIDTH, (y1 - y0) / CARD_HEIGHT, 1.0)) + 2  # Lanczos: 3 taps
        left, top = max(0, math.floor(x0) - reach), max(0, math.floor(y0) - reach)
        right, bottom = min(image.width, math.ceil(x1) + reach), min(image.height, math.ceil(y1) + reach)
        image = _flatten(image.crop((left, top, right, bottom)))
        source = (x0 - left, y0 - top, x1 - left, y1 - top)
    return image.resize((CARD_WIDTH, CARD_HEIGHT), Image.LANCZOS, box=source)


def _reference_copy(image: Image.Image) -> Image.Image:
    """The whole decoded picture, reduced by a whole factor to at most ORIGINAL_MAX_SIDE a side, in RGB."""
    factor = math.ceil(max(image.size) / photo_rules.ORIGINAL_MAX_SIDE)
    if factor > 1:
        try:
            image = image.reduce(factor)
        except ValueError:  # modes reduce() does not handle (1-bit, palette, 16-bit grey)
            image = _flatten(image).reduce(factor)
    return _flatten(image)


_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """RGB pixels described by the upload's embedded colour profile, converted to sRGB, so that the profile
    can be dropped (a reader assumes sRGB for a JPEG without one). A profile that cannot be used (damaged, or
    not an RGB one) is ignored: the pixels are taken as sRGB."""
    if not icc_profile:
        return image
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(image, profile, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new picture holding only `image`'s pixels: no EXIF, XMP, ICC profile, comment or any other `info`
    that an encoder might write out."""
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    return clean


def _cut(checked: CheckedUpload, crop: dict, *, reference: bool) -> tuple[Image.Image, Image.Image | None]:
    box = parse_crop(crop, checked.width, checked.height)
    image, source = _decode_for_card(checked, box)
    icc_profile = image.info.get("icc_profile")
    card = _pixels_only(_to_srgb(_card_from(image, source), icc_profile))
    original = _pixels_only(_to_srgb(_reference_copy(image), icc_profile)) if reference else None
    return card, original


def card_image(checked: CheckedUpload, crop: dict) -> Image.Image:
    """The upload, upright, cropped to the card's frame (the crop fields, or the centred box) and scaled to
    358×441, in RGB (transparency on white), pixels only. Raises PhotoError for a bad crop or a damaged file."""
    return _cut(checked, crop, reference=False)[0]


def prepare(checked: CheckedUpload, crop: dict, *, min_kb: int, max_kb: int) -> PreparedPhoto:
    """The card photo (crop, scale to 358×441, check the background, encode as JPEG in range) and the kept
    original, from one decoding of the upload. Raises PhotoError with every background problem found."""
    card, original = _cut(checked, crop, reference=True)
    problems = photo_rules.background_problems(border_stats(card))
    if problems:
        raise PhotoError(*problems)
    out = io.BytesIO()
    original.save(out, format="JPEG", quality=ORIGINAL_QUALITY, optimize=True)
    return PreparedPhoto(card=encode_in_range(card, min_kb=min_kb, max_kb=max_kb), original=out.getvalue())


def carries_metadata(data: bytes) -> bool:
    """Whether stored JPEG bytes hold anything but pixels: an APPn segment other than the JFIF header, or a
    comment (what card photos stored before only pixels were stored may carry)."""
    with Image.open(io.BytesIO(data)) as image:
        segments = getattr(image, "applist", [])
        return any(not (marker == "APP0" and content.startswith(b"JFIF\0")) for marker, content in segments)


def reencode_card_photo(data: bytes, *, min_kb: int, max_kb: int) -> bytes:
    """A stored card photo encoded anew from its pixels (within the size range when it can be, else at quality
    95): the same picture without its metadata."""
    with Image.open(io.BytesIO(data)) as image, _decoding():
        image.load()
        card = _to_srgb(_flatten(image), image.info.get("icc_profile"))
    try:
        return encode_in_range(card, min_kb=min_kb, max_kb=max_kb)
    except PhotoError:  # the configured range changed since: the metadata must go all the same
        out = io.BytesIO()
        _pixels_only(card).save(out, format="JPEG", quality=95, subsampling=0, dpi=(300, 300))
        return out.getvalue()


def store_original(data: bytes) -> str:
    """Store a kept original (PreparedPhoto.original: already without metadata)."""
    return default_storage.save(f"{ORIGINALS_DIR}/{uuid.uuid4().hex}.jpg", ContentFile(data))


def store_card_photo(data: bytes) -> str:
    return default_storage.save(f"{PHOTOS_DIR}/{uuid.uuid4().hex}.jpg", ContentFile(data))


def read(name: str) -> bytes:
    with default_storage.open(name, "rb") as fh:
        return fh.read()


def delete(*names: str) -> None:
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
