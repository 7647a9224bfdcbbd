"""The card photo: real type by content, size and bomb limits, crop to 358×441, size range, background."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

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
