"""One person, one card reads the card's state: a cancelled, expired or replaced card no longer blocks a new
application; a lost card leads to a replacement, not to a new application."""

import pytest
from django.utils import translation

from sscard.applications import eligibility
from sscard.applications.models import Application
from sscard.applications.selectors import blocking_reason
from sscard.cards.models import Card
from sscard.domain.casestates import State
from sscard.reference.selectors import service_settings
from tests.casework.conftest import give_card, new_application

pytestmark = pytest.mark.django_db

LOST_EN = ("This person's social security card has been reported lost. A lost card is not applied for again: "
           "apply for a replacement card instead.")
HELD_EN = ("This person already has a social security card. A lost or damaged card is not applied for again: "
           "report the loss and apply for a replacement instead.")

# Written by hand: the card's state -> the blocker's kind (None: a new application is possible).
TABLE = [
    ("sealed", "card"),
    ("active", "card"),
    ("temporarily_lost", "lost"),
    ("formally_lost", "lost"),
    ("replaced", None),
    ("expired", None),
    ("cancelled", None),
]


def _collected(application):
    # The hand-over path is tested in test_staff_pages; here only the end state matters.
    Application.objects.filter(pk=application.pk).update(state=State.COLLECTED)


def _holder_with_card(state):
    application = new_application(state=State.IN_PRODUCTION)
    card = give_card(application)
    _collected(application)
    Card.objects.filter(pk=card.pk).update(state=state)
    return application.applicant


@pytest.mark.parametrize(("state", "kind"), TABLE)
def test_the_card_state_decides_whether_a_new_application_is_possible(state, kind):
    holder = _holder_with_card(state)
    blocker = blocking_reason(holder.id_number, user=holder)
    assert (blocker.kind if blocker else None) == kind


@pytest.mark.parametrize(("state", "message"), [("temporarily_lost", LOST_EN), ("active", HELD_EN)])
def test_the_applicant_step_says_lost_cards_are_replaced(state, message):
    holder = _holder_with_card(state)
    with translation.override("en"):
        result = eligibility.check_subject(user=holder, applying_for="self", settings_row=service_settings(),
                                           today=holder.date_joined.date())
    assert result.problem == (message, {})


def test_a_collected_application_without_a_card_row_still_blocks():
    application = new_application(state=State.IN_PRODUCTION)
    _collected(application)  # data from before cards were recorded: no card row
    holder = application.applicant
    assert blocking_reason(holder.id_number, user=holder).kind == "card"


def test_a_new_card_after_a_cancelled_one_blocks_again():
    holder = _holder_with_card("cancelled")
    assert blocking_reason(holder.id_number, user=holder) is None
    second = new_application(holder, state=State.IN_PRODUCTION)
    give_card(second)
    _collected(second)
    assert blocking_reason(holder.id_number, user=holder).kind == "card"
