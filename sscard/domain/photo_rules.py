"""Rules for the card photo, on plain numbers (the image work is done by the Django layer with Pillow).

National card photo standard: 358×441 px, 24-bit colour, white (light, plain) background, no border.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


def gettext_noop(s: str) -> str:
    return s


CARD_WIDTH = 358
CARD_HEIGHT = 441
CARD_RATIO = CARD_WIDTH / CARD_HEIGHT
RATIO_TOLERANCE = 0.03  # a crop box may differ this much (relative) from the card's proportions
MIN_SOURCE_WIDTH = 179  # a source narrower than half the card width cannot give a sharp photo
MIN_SOURCE_HEIGHT = 220
# Pixel limits, checked from the file's header before any pixel is decoded (decompression bombs: a small file can
# claim a huge picture, and decoding costs about 4 bytes of memory per pixel). A JPEG is usually decoded at 1/2 to
# 1/8 of its size (libjpeg scales while decoding), a PNG always in full (and an RGBA one is copied once more to be
# reduced): PNG gets the lower limit. At these limits the worst case (a 24 MP JPEG cropped small, a 12 MP RGBA
# PNG) peaks at about 110 MB. Ordinary photos (12 MP phones, 24 MP cameras) pass; the card needs only 358×441.
MAX_PIXELS = {"JPEG": 24_000_000, "PNG": 12_000_000}

# Uploaded originals (re-encoded from their pixels, without metadata) are kept at most this long, and deleted as
# soon as the application is submitted: only the 358×441 card photo is part of the application.
ORIGINAL_RETENTION = timedelta(hours=24)
ORIGINAL_MAX_SIDE = 2048  # the kept original is scaled down (by a whole factor) to at most this many pixels a side

# Background check thresholds, on 0–255 values of the photo's border strip.
MIN_BORDER_LUMA = 175  # mean brightness of the border
MAX_BORDER_STDDEV = 28  # spread of brightness along the border: a plain background is even
MAX_BORDER_SATURATION = 60  # mean saturation (HSV S): a white/light-blue backdrop is nearly grey
MAX_DARK_SHARE = 0.12  # share of border pixels darker than DARK_LEVEL
DARK_LEVEL = 110

MSG_TOO_DARK = gettext_noop("The background at the edges of the photo is too dark. "
                            "Take the photo in front of a white or light, plain wall.")
MSG_NOT_PLAIN = gettext_noop("The background at the edges of the photo is not plain (patterns, objects or "
                             "shadows are visible). Use a white or light, plain background.")
MSG_COLOURED = gettext_noop("The background of the photo is strongly coloured. Use a white or light, plain "
                            "background.")
MSG_CROP = gettext_noop("The chosen crop is outside the photo or does not have the card's proportions "
                        "(358×441). Please crop again.")
MSG_TOO_SMALL = gettext_noop("The photo is too small: it must be at least 179×220 pixels.")
MSG_TOO_MANY_PIXELS = gettext_noop("The picture is too large: a %(format)s photo may have at most %(megapixels)s "
                                   "million pixels. Please upload a smaller copy of the photo.")


@dataclass(frozen=True)
class BorderStats:
    mean_luma: float
    stddev_luma: float
    mean_saturation: float
    dark_share: float


def background_problems(stats: BorderStats) -> list[str]:
    """Plain-English reasons why the border is not a light, plain background (empty when it is).

    The single most telling reason is given: a patterned border, a coloured one, a dark one, an uneven one.
    """
    if stats.stddev_luma > 1.5 * MAX_BORDER_STDDEV:
        return [MSG_NOT_PLAIN]
    if stats.mean_saturation > MAX_BORDER_SATURATION:
        return [MSG_COLOURED]
    if stats.mean_luma < MIN_BORDER_LUMA or stats.dark_share > MAX_DARK_SHARE:
        return [MSG_TOO_DARK]
    if stats.stddev_luma > MAX_BORDER_STDDEV:
        return [MSG_NOT_PLAIN]
    return []


def centre_crop_box(width: int, height: int) -> tuple[int, int, int, int]:
    """The largest box with the card's proportions centred in a width×height image: (x, y, w, h)."""
    if width / height > CARD_RATIO:
        h = height
        w = round(h * CARD_RATIO)
    else:
        w = width
        h = round(w / CARD_RATIO)
    return (width - w) // 2, (height - h) // 2, w, h


def crop_box_ok(box: tuple[int, int, int, int], width: int, height: int) -> bool:
    """A crop box (x, y, w, h) lies inside the image, is large enough and has the card's proportions."""
    x, y, w, h = box
    if x < 0 or y < 0 or w <= 0 or h <= 0 or x + w > width or y + h > height:
        return False
    if w < MIN_SOURCE_WIDTH // 2 or h < MIN_SOURCE_HEIGHT // 2:
        return False
    return abs((w / h) / CARD_RATIO - 1) <= RATIO_TOLERANCE


def too_many_pixels(image_format: str, width: int, height: int) -> bool:
    """Whether a picture of this format and size (from its header) is refused before decoding."""
    return width * height > MAX_PIXELS[image_format]


def megapixels(image_format: str) -> int:
    return MAX_PIXELS[image_format] // 1_000_000


def source_big_enough(width: int, height: int) -> bool:
    return width >= MIN_SOURCE_WIDTH and height >= MIN_SOURCE_HEIGHT
