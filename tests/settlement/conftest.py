"""Fixtures of the settlement API: an approved institution with a key, an insured person with an active card and
a medical account balance, and a signed client (the simulator's `HospitalClient` over Django's test client)."""

import importlib
from datetime import date, timedelta

import pytest
from django.test import Client

from sscard.domain.casestates import State
from sscard.records import accounts
from sscard.records.ledger_models import AccountMovement
from sscard.records.models import Enrolment
from sscard.reference.models import DesignatedInstitution
from sscard.settlement.client import HospitalClient, django_transport
from sscard.settlement.keys import issue_key
from tests.cards.ecard_helpers import card_in
from tests.casework.conftest import new_application
from tests.records.conftest import (  # noqa: F401
    approved_employer,
    fast_passwords,
    new_staff,
    reseed_records,
    seeded_records,
)


def reseed_settlement() -> None:
    from django.apps import apps

    reseed_records()
    importlib.import_module("sscard.reference.migrations.0010_settlement_policy").seed(apps, None)


def institution(code="H42010600001", tier="3", *, state="approved", days_left=365):
    today = date.today()
    return DesignatedInstitution.objects.create(
        code=code, name="武汉示范医院", name_zh_hans="武汉示范医院", name_en="Demo Hospital", tier=tier,
        district_code=code[1:7], agreement_from=today - timedelta(days=30),
        agreement_to=today + timedelta(days=days_left), state=state)


def client_for(inst) -> HospitalClient:
    key_id, secret = issue_key(institution=inst, actor=None)
    return HospitalClient(inst.code, key_id, secret, django_transport(Client(HTTP_ACCEPT_LANGUAGE="en")))


_employer = {}


def insured(*, balance_fen=0, state="active", medical=True, citizen=None):
    """An active card of a person (`citizen`, else a new one) insured (employee medical insurance) with
    `balance_fen` on the account; returns (card, identity for the API)."""
    card = card_in(state, new_application(citizen, state=State.IN_PRODUCTION) if citizen else None)
    employer = approved_employer()
    Enrolment.objects.create(employer=employer, id_number=card.holder_id_number, name="张三",
                             start_month=date(2020, 1, 1), medical=medical, pension=True,
                             created_by=card.holder,
                             created_at=card.created_at)
    if balance_fen:
        accounts.credit(id_number=card.holder_id_number, account=AccountMovement.Account.MEDICAL,
                        kind=AccountMovement.Kind.CORRECTION, day=date.today(), amount_fen=balance_fen,
                        source_ref="test:seed")
    return card, {"card_no": card.card_number, "card_sn": card.chip_id}


@pytest.fixture
def hospital(db):
    reseed_settlement()
    return institution()


@pytest.fixture
def his(hospital):
    return client_for(hospital)
