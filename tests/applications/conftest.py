import itertools
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sscard.accounts.models import User
from sscard.domain.idnumber import make_id_number
from sscard.reference.models import PartnerBank

from . import images

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    return settings.MEDIA_ROOT


@pytest.fixture
def client():
    """A browser that asks for English pages, so assertions can quote the English messages."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def make_citizen(db):
    def make(*, birth=date(1990, 3, 7), region="420106", name="张三", phone=None):
        n = next(_seq)
        return User.objects.create_user(
            username=f"citizen-{n}", password="Strong-pass-2026", real_name=name,
            id_number=make_id_number(region, birth, 101 + (2 * n) % 898), phone=phone or f"1380013{n:04d}",
        )
    return make


@pytest.fixture
def citizen(make_citizen):
    return make_citizen()


@pytest.fixture
def logged_in(client, citizen):
    client.force_login(citizen)
    return client


def child_id(birth=date(2022, 5, 1), seq=201):
    return make_id_number("420106", birth, seq)


def step_url(step):
    return reverse("applications:apply_step", args=[step])


PERSONAL = {
    "ethnicity": "01", "nationality": "CHN", "document_valid_until": "2035-01-01", "occupation": "2",
    "employer": "", "res_province": "420000", "res_city": "420100", "res_district": "420106",
    "res_detail": "中北路 100 号 1 栋 101 室",
}


def delivery_data(**overrides):
    bank = PartnerBank.objects.get(code="icbc")
    from sscard.reference.models import Outlet

    data = {"bank": str(bank.pk), "delivery": "pickup", "outlet": str(Outlet.objects.first().pk)}
    data.update(overrides)
    return data


def photo_file(data=None, name="me.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else images.portrait(), content_type=content_type)


@pytest.fixture
def fill(client):
    """Fill the steps up to (not including) the submission. Returns the last response."""
    def run(c=None, *, applicant=None, personal=None, delivery=None, photo=True, until="confirm"):
        c = c or client
        steps = [
            ("applicant", applicant or {"applying_for": "self"}),
            ("personal", {**PERSONAL, **(personal or {})}),
            ("delivery", delivery or delivery_data()),
        ]
        response = None
        for step, data in steps:
            if step == until:
                return response
            response = c.post(step_url(step), data)
            assert response.status_code == 302, (step, response.content.decode()[:3000])
        if until == "photo":
            return response
        post = {"action": "continue"}
        if photo:
            post["photo"] = photo_file() if photo is True else photo
        response = c.post(step_url("photo"), post)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response
    return run


@pytest.fixture
def submit(client):
    def run(c=None, *, declaration=True, consent=True):
        from sscard.applications.models import ApplicationDraft

        c = c or client
        user_id = int(c.session["_auth_user_id"])
        draft = ApplicationDraft.objects.get(applicant_id=user_id)
        data = {"token": str(draft.token)}
        if declaration:
            data["declaration"] = "on"
        if consent:
            data["consent"] = "on"
        return c.post(step_url("confirm"), data)
    return run


@pytest.fixture
def seeded():
    """The migration's seed data again (transactional tests flush the database after each test)."""
    import importlib

    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        for name in ("sscard.applications.migrations.0002_seed_wuhan_defaults",
                     "sscard.reference.migrations.0003_translated_names_addresses_hours"):
            importlib.import_module(name).seed(apps, None)
