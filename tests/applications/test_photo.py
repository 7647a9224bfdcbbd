"""The card photo: real type by content, size and bomb limits, crop to 358×441, size range, background."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image, ImageDraw

from sscard.applications import photos
from sscard.applications.models import Application, ApplicationDraft, ServiceSettings
from sscard.domain import photo_rules
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


def test_png_is_accepted(at_photo_step):
    assert post_photo(at_photo_step, photo_file(images.portrait(fmt="PNG"), "me.png", "image/png")).status_code == 302


def test_the_type_is_checked_by_content_not_by_name(at_photo_step):
    fake = photo_file(b"%PDF-1.4 not a picture" * 100, "photo.jpg", "image/jpeg")
    error_page(post_photo(at_photo_step, fake), "The file is not a JPEG or PNG picture")


def test_a_gif_is_refused_even_named_jpg(at_photo_step):
    out = io.BytesIO()
    Image.new("RGB", (400, 500), "white").save(out, format="GIF")
    error_page(post_photo(at_photo_step, photo_file(out.getvalue(), "me.jpg")), "not a JPEG or PNG")


def test_a_real_jpeg_named_png_is_accepted(at_photo_step):
    assert post_photo(at_photo_step, photo_file(images.portrait(), "me.png", "image/png")).status_code == 302


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


def test_decompression_bombs_are_refused_before_decoding(at_photo_step):
    bomb = images.huge_png_header()
    assert len(bomb) < 200_000
    error_page(post_photo(at_photo_step, photo_file(bomb, "bomb.png", "image/png")),
               "too many pixels to be processed safely")


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


def test_the_crop_from_the_page_is_used(at_photo_step):
    # The portrait is 600×800; crop the top-left 358×441 (background only at the top: still light).
    response = post_photo(at_photo_step, photo_file(images.portrait()), crop_x="121", crop_y="40",
                          crop_w="358", crop_h="441")
    assert response.status_code == 302


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
    assert len(data) <= 25 * 1024


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
    assert logged_in.get(url).status_code == 200
    stranger = Client()
    stranger.force_login(make_citizen())
    assert stranger.get(url).status_code == 404


def test_replacing_the_photo_keeps_one(at_photo_step):
    post_photo(at_photo_step, photo_file())
    first = ApplicationDraft.objects.get().photo
    at_photo_step.post(step_url("photo"), {"action": "preview", "photo": photo_file(images.portrait(seed=9))})
    second = ApplicationDraft.objects.get().photo
    assert first != second
    # Continuing without a new file keeps the photo.
    assert at_photo_step.post(step_url("photo"), {"action": "continue"}).status_code == 302
    assert ApplicationDraft.objects.get().photo == second


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
