"""Fixtures for the records: citizens, staff, employers and enrolments, all built through the services."""

import importlib
import itertools
from datetime import date

import pytest
from django.test import Client

from sscard.records import services
from tests.casework.conftest import PASSWORD, new_citizen, new_staff, reseed, staff_client  # noqa: F401

_n = itertools.count(1)


def reseed_records() -> None:
    from django.apps import apps
    from django.contrib.auth.models import Group

    reseed()
    if not Group.objects.filter(name="records:officer", permissions__codename="review_employer").exists():
        importlib.import_module("sscard.records.migrations.0002_seed_records_officer").seed(apps, None)
    if not Group.objects.filter(name="records:officer", permissions__codename="record_payment").exists():
        importlib.import_module("sscard.records.migrations.0004_payment_permissions").seed(apps, None)
    if not Group.objects.filter(name="records:supervisor").exists():
        importlib.import_module("sscard.records.migrations.0006_queries").seed(apps, None)
    if not Group.objects.filter(name="records:officer", permissions__codename="run_statements").exists():
        importlib.import_module("sscard.records.migrations.0007_statements").seed(apps, None)
    if not Group.objects.filter(name="records:officer", permissions__codename="handle_objection").exists():
        importlib.import_module("sscard.records.migrations.0008_objections_consultation").seed(apps, None)
    if not Group.objects.filter(name="records:officer", permissions__codename="register_retirement").exists():
        importlib.import_module("sscard.records.migrations.0009_retirement").seed(apps, None)
    from sscard.reference.models import ConsultationCategory

    if not ConsultationCategory.objects.exists():
        importlib.import_module("sscard.reference.migrations.0012_consultation_objection_settings").seed(apps, None)
    # The contribution rates (seeded by a migration) are gone after a transactional test flushed the database.
    importlib.import_module("sscard.reference.migrations.0009_contributionrate").seed(apps, None)


@pytest.fixture(autouse=True)
def seeded_records(db):
    reseed_records()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_older = itertools.count(1)


def older_citizen(name="王五", birth=date(1962, 5, 20)):
    """A citizen old enough to be retired (45 on 2007-05-20, 60 on 2022-05-20 by default)."""
    from sscard.accounts.services import create_citizen
    from sscard.domain.idnumber import make_id_number

    n = next(_older)
    return create_citizen(real_name=name, document_type="resident_id",
                          id_number=make_id_number("420106", birth, 301 + 2 * n), phone=f"1370027{n:04d}",
                          password=PASSWORD, channel="test")


def new_officer(areas=("district:420106",)):
    """A records officer of the given areas (no casework role)."""
    staff = new_staff([], areas=list(areas))
    services.make_records_officer(user=staff)
    return staff


def credit_code(seventeen: str) -> str:
    from stdnum.cn import uscc

    return seventeen + uscc.calc_check_digit(seventeen)


def fresh_code() -> str:
    """A valid code not used before in the run (the test table's codes come from CODES)."""
    return credit_code(f"91420106MA{next(_n):07d}")


def register(citizen, *, code=None, district="420106", name="武昌示范有限公司", industry_class=3):
    return services.register_employer(
        user=citizen, credit_code=code or fresh_code(), name=name, address="武汉市武昌区中北路 100 号",
        representative_name=citizen.real_name, representative_id_number=citizen.id_number,
        industry_class=industry_class, district_code=district)


def approved_employer(citizen=None, *, district="420106", name="武昌示范有限公司"):
    """An approved employer whose legal representative is `citizen` (a new citizen by default)."""
    citizen = citizen or new_citizen()
    employer = register(citizen, district=district, name=name)
    officer = new_officer([f"district:{district}"])
    return services.decide_employer(staff=officer, employer=employer, approve=True)


def citizen_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


MARCH_2026 = date(2026, 3, 1)
