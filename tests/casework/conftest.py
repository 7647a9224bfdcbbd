"""Fixtures for the back office: citizens, applications and staff, all built through the services."""

import functools
import importlib
import itertools
import uuid
from datetime import date, timedelta

import pytest
from django.test import Client

from sscard.accounts.services import create_citizen
from sscard.applications import photos
from sscard.applications import services as app_services
from sscard.cards import services as card_services
from sscard.casework import services
from sscard.casework.models import CaseFile
from sscard.domain.casestates import Role, State
from sscard.domain.idnumber import make_id_number, parse_id_number
from sscard.reference.models import Outlet, PartnerBank
from tests.applications import images

PASSWORD = "Strong-pass-2026"
_seq = itertools.count(1)

# A path from "submitted" to each state, walked by a supervisor (test set-up only).
PATHS = {
    State.SUBMITTED: [],
    State.UNDER_REVIEW: [State.UNDER_REVIEW],
    State.BANK_PREOPENING: [State.UNDER_REVIEW, State.BANK_PREOPENING],
    State.IN_PRODUCTION: [State.UNDER_REVIEW, State.BANK_PREOPENING, State.IN_PRODUCTION],
    State.READY_FOR_PICKUP: [State.UNDER_REVIEW, State.BANK_PREOPENING, State.IN_PRODUCTION,
                             State.READY_FOR_PICKUP],
    State.POSTED: [State.UNDER_REVIEW, State.BANK_PREOPENING, State.IN_PRODUCTION, State.POSTED],
    State.RESUBMITTED: [State.UNDER_REVIEW, State.RETURNED, State.RESUBMITTED],
    State.BANK_FAILED: [State.UNDER_REVIEW, State.BANK_PREOPENING, State.BANK_FAILED],
}


def reseed() -> None:
    """Put back the data the migrations seed (banks, outlets, stages, holidays, staff roles) when a
    transactional test (the browser tests) flushed it earlier in the run."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if (PartnerBank.objects.exists() and Group.objects.filter(name="casework:reviewer").exists()
            and Group.objects.filter(name="casework:clerk", permissions__codename="resolve_id_number").exists()
            and Group.objects.filter(name="casework:supervisor",
                                     permissions__codename="confirm_cancellation").exists()):
        return
    from django.utils import translation

    with translation.override("zh-hans"):  # the seeds' names are Chinese; other languages come with reference 0003
        for module in ("sscard.applications.migrations.0002_seed_wuhan_defaults",
                       "sscard.casework.migrations.0002_seed_roles_and_manufacturer",
                       "sscard.casework.migrations.0003_identity_correction",
                       "sscard.casework.migrations.0005_confirm_cancellation_permission",
                       "sscard.reference.migrations.0003_translated_names_addresses_hours",
                       "sscard.reference.migrations.0004_translated_manufacturer_names"):
            importlib.import_module(module).seed(apps, None)


@pytest.fixture(autouse=True)
def seeded(db):
    reseed()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    # Argon2 is deliberately slow; these tests create many accounts and never test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@functools.cache
def card_photo() -> bytes:
    return images.portrait(358, 441)


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def wuchang():
    return Outlet.objects.get(district_code="420106")


def jiangan():
    return Outlet.objects.get(district_code="420102")


def new_citizen(name="张三"):
    n = next(_seq)
    birth = date(1990, 3, 7) + timedelta(days=n // 400)  # sequences are 3 digits: move the birth date on
    return create_citizen(real_name=name, document_type="resident_id",
                          id_number=make_id_number("420106", birth, 101 + 2 * (n % 400)),
                          phone=f"1390027{n:04d}", password=PASSWORD, channel="test")


def new_application(citizen=None, *, delivery="pickup", district="420106", outlet=None, bank="icbc",
                    state=State.SUBMITTED):
    citizen = citizen or new_citizen()
    fields = {
        "for_child": False, "relationship": "", "subject_name": citizen.real_name,
        "subject_id_number": citizen.id_number, "subject_sex": "M", "subject_birth_date": parse_id_number(citizen.id_number).birth_date,
        "ethnicity": "01", "nationality": "CHN", "document_valid_until": date(2035, 1, 1),
        "document_long_term": False, "occupation": "2", "employer": "", "res_province": "420000",
        "res_city": district[:4] + "00", "res_district": district, "res_detail": "中北路 100 号 1 栋 101 室",
        "bank": PartnerBank.objects.get(code=bank), "delivery": delivery,
        "photo": photos.store_card_photo(card_photo()), "photo_original": "",
    }
    if delivery == "pickup":
        fields["outlet"] = outlet or (wuchang() if district == "420106" else jiangan())
    else:
        fields.update(outlet=None, recipient_name=citizen.real_name, recipient_phone=citizen.phone,
                      post_province="420000", post_city=district[:4] + "00", post_district=district,
                      post_detail="珞喻路 1 号")
    application = app_services.submit_application(user=citizen, token=uuid.uuid4(), fields=fields).application
    move_to(application, state)
    return application


def move_to(application, state):
    for step in PATHS[state]:
        if step == State.RESUBMITTED:
            app_services.change_state(application=application, to_state=step, role=Role.CITIZEN,
                                      actor=application.applicant)
        elif step == State.RETURNED:
            app_services.return_for_correction(application=application, actor=None,
                                               problems=[("photo", "test")], role=Role.SUPERVISOR)
        else:
            app_services.change_state(application=application, to_state=step, role=Role.SUPERVISOR)
    application.refresh_from_db()
    return application


def give_card(application, *, number=None, account="6222020000000001"):
    n = next(_seq)
    return card_services.create_sealed_card(
        application=application, card_number=number or f"A{n:08d}", chip_id=f"{n:032X}",
        issue_date=date(2026, 11, 1), expiry_date=date(2036, 11, 1), bank_account=account,
        manufacturer="default")


def receive(application):
    casefile, _c = CaseFile.objects.get_or_create(application=application)
    from django.utils import timezone

    casefile.received_at_outlet = timezone.now()
    casefile.save()


def new_staff(roles, areas=("district:420106",), name=None):
    n = next(_seq)
    username = name or f"{'-'.join(roles) or 'none'}-{n}"
    return services.create_staff_member(username=username, password=PASSWORD, real_name=f"员工{n}",
                                        roles=list(roles), areas=list(areas))


@pytest.fixture
def reviewer(db):
    return new_staff(["reviewer"], name="reviewer")


@pytest.fixture
def supervisor(db):
    return new_staff(["supervisor"], name="supervisor")


@pytest.fixture
def production(db):
    return new_staff(["production"], name="production")


@pytest.fixture
def clerk(db):
    return new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"], name="clerk")


@pytest.fixture
def auditor(db):
    return new_staff(["auditor"], areas=(), name="auditor")


@pytest.fixture
def application(db):
    return new_application()


def staff_client(user):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []
