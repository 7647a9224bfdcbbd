"""The card state machine (sscard.domain.cardstates): every (from, to, channel) checked against a table
written by hand from the domain brief ("The card after issue")."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscard.domain.cardstates import TransitionError, allowed_targets, can_transition, check_transition

STATES = ["sealed", "active", "temporarily_lost", "formally_lost", "replaced", "expired", "cancelled"]
CHANNELS = ["online", "counter", "bank", "system"]

# Written by hand: every allowed change and the channels it may come through. Everything else is refused.
ALLOWED = {
    ("sealed", "active"): {"online", "counter"},                        # enable
    ("active", "temporarily_lost"): {"online", "counter", "bank"},      # temporary loss report
    ("temporarily_lost", "active"): {"online", "counter", "bank", "system"},  # withdrawal, lapse
    ("active", "formally_lost"): {"counter"},                           # formal loss: counter only
    ("temporarily_lost", "formally_lost"): {"counter"},
    ("formally_lost", "replaced"): {"system"},                          # replacement issued
    ("temporarily_lost", "replaced"): {"system"},                       # replacement of a card reported lost online
    ("active", "replaced"): {"system"},                                 # damaged card replaced, or renewed
    ("active", "expired"): {"system"},
    ("sealed", "cancelled"): {"counter", "system"},
    ("active", "cancelled"): {"counter", "system"},
    ("temporarily_lost", "cancelled"): {"counter", "system"},
    ("formally_lost", "cancelled"): {"counter", "system"},
    ("replaced", "cancelled"): {"counter", "system"},
    ("expired", "cancelled"): {"counter", "system"},
}


@pytest.mark.parametrize(("src", "dst", "channel"), list(itertools.product(STATES, STATES, CHANNELS)))
def test_every_pair_and_channel(src, dst, channel):
    expected = channel in ALLOWED.get((src, dst), set())
    assert can_transition(src, dst, channel) is expected
    if expected:
        check_transition(src, dst, channel)
    else:
        with pytest.raises(TransitionError):
            check_transition(src, dst, channel)


# Refusals the holder or a clerk meets, each with its own code.
REFUSALS = [
    ("temporarily_lost", "temporarily_lost", "online", "already_lost"),   # second loss report
    ("formally_lost", "temporarily_lost", "online", "not_allowed"),
    ("formally_lost", "formally_lost", "counter", "already_lost"),
    ("formally_lost", "active", "online", "formal_loss_final"),          # withdrawing a formal loss
    ("formally_lost", "active", "counter", "formal_loss_final"),
    ("active", "formally_lost", "online", "counter_only"),               # formal loss online
    ("temporarily_lost", "formally_lost", "bank", "counter_only"),
    ("sealed", "temporarily_lost", "online", "not_enabled"),
    ("sealed", "expired", "system", "not_enabled"),
    ("sealed", "replaced", "system", "not_lost"),
    ("active", "replaced", "online", "wrong_channel"),                   # only the issue of the new card voids
    ("cancelled", "active", "counter", "card_void"),
    ("replaced", "temporarily_lost", "online", "card_void"),
    ("expired", "active", "online", "card_void"),
    ("active", "active", "online", "unchanged"),
    ("cancelled", "cancelled", "counter", "unchanged"),
    ("active", "sealed", "counter", "not_allowed"),
    ("active", "cancelled", "online", "wrong_channel"),                  # a holder cannot cancel online
    ("active", "expired", "counter", "wrong_channel"),
    ("active", "temporarily_lost", "system", "wrong_channel"),
    ("bogus", "active", "online", "unknown"),
    ("sealed", "active", "carrier pigeon", "unknown"),
]


@pytest.mark.parametrize(("src", "dst", "channel", "code"), REFUSALS)
def test_refusal_codes(src, dst, channel, code):
    with pytest.raises(TransitionError) as error:
        check_transition(src, dst, channel)
    assert error.value.code == code
    assert error.value.message


def test_refusal_messages_are_distinct_for_what_the_holder_meets():
    messages = set()
    for src, dst, channel in [("temporarily_lost", "temporarily_lost", "online"), ("formally_lost", "active", "online"),
                              ("active", "formally_lost", "online"), ("sealed", "temporarily_lost", "online"),
                              ("cancelled", "active", "online")]:
        with pytest.raises(TransitionError) as error:
            check_transition(src, dst, channel)
        messages.add(error.value.message)
    assert len(messages) == 5


def test_what_the_holder_may_do_online():
    assert allowed_targets("sealed", "online") == ["active"]
    assert allowed_targets("active", "online") == ["temporarily_lost"]
    assert allowed_targets("temporarily_lost", "online") == ["active"]
    assert allowed_targets("formally_lost", "online") == []
    assert allowed_targets("cancelled", "counter") == []


@given(st.sampled_from(STATES), st.sampled_from(CHANNELS))
def test_any_state_but_cancelled_can_be_cancelled_by_staff_and_cancelled_is_final(src, channel):
    assert can_transition(src, "cancelled", "counter") is (src != "cancelled")
    assert not can_transition("cancelled", src, channel)


@given(st.text(max_size=20), st.text(max_size=20), st.text(max_size=10))
def test_garbage_is_refused_never_crashes(src, dst, channel):
    if (src, dst) in ALLOWED and channel in ALLOWED[(src, dst)]:
        return
    with pytest.raises(TransitionError):
        check_transition(src, dst, channel)
