"""The transit hot list: which card state changes add or remove a card, what each operator's list holds, and
that the full list is the fold of the deltas for any sequence of state changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscard.cards import hotlist
from sscard.cards.models import Card, HotListChange, HotListEntry
from sscard.cards.services import CardError, change_card_state
from sscard.cards.transit_operators import create_operator
from sscard.domain import hotlist as fmt
from sscard.domain.casestates import State
from sscard.reference.models import ServiceSettings
from tests.casework.conftest import give_card, new_application

pytestmark = pytest.mark.django_db

WUHAN, YICHANG, XIANGYANG = "420100", "420500", "420600"


def transit_cities(*lines):
    service = ServiceSettings.load()
    service.transit_cities = "\n".join(lines)
    service.save()


def card_in(district="420106"):
    if district in ("420106", "420102"):
        application = new_application(district=district, state=State.IN_PRODUCTION)
    else:
        application = new_application(district=district, delivery="post", state=State.IN_PRODUCTION)
    card = give_card(application)
    change_card_state(card=card, to_state="active", actor=card.holder, channel="online")
    return Card.objects.get(pk=card.pk)


def move(card, to_state, channel):
    return change_card_state(card=Card.objects.get(pk=card.pk), to_state=to_state, actor=None, channel=channel)


def log():
    return list(HotListChange.objects.values_list("version", "action", "card_number", "city"))


def listed(operator):
    return set(fmt.parse(hotlist.full_list(operator)).changes)


# Hand-written: (from, to) -> what the hot list does.
ACTIONS = [
    ("sealed", "active", None),
    ("active", "temporarily_lost", "add"),
    ("temporarily_lost", "active", "remove"),
    ("active", "formally_lost", "add"),
    ("temporarily_lost", "formally_lost", None),
    ("formally_lost", "replaced", None),
    ("active", "expired", None),
    ("active", "cancelled", "add"),
    ("sealed", "cancelled", "add"),
    ("temporarily_lost", "cancelled", None),
    ("formally_lost", "cancelled", None),
    ("replaced", "cancelled", None),
    ("expired", "cancelled", "add"),
]


@pytest.mark.parametrize(("src", "dst", "action"), ACTIONS)
def test_which_changes_add_or_remove_a_card(src, dst, action):
    assert fmt.action_for(src, dst) == action


def test_a_loss_adds_the_card_and_its_withdrawal_removes_it():
    card = card_in()
    assert log() == [] and hotlist.current_version() == 0  # enabling the card changes nothing
    move(card, "temporarily_lost", "online")
    assert log() == [(1, "add", card.card_number, WUHAN)]
    assert list(HotListEntry.objects.values_list("card_number", "chip_id", "version")) == [
        (card.card_number, card.chip_id, 1)]
    move(card, "active", "online")
    assert log() == [(1, "add", card.card_number, WUHAN), (2, "remove", card.card_number, WUHAN)]
    assert not HotListEntry.objects.exists()
    assert hotlist.current_version() == 2


def test_formal_loss_replacement_and_cancellation_keep_the_card_listed():
    lost, cancelled = card_in(), card_in("420102")
    move(lost, "temporarily_lost", "online")
    move(lost, "formally_lost", "counter")
    move(lost, "replaced", "system")
    move(lost, "cancelled", "system")
    move(cancelled, "cancelled", "counter")
    assert [(action, number) for _v, action, number, _c in log()] == [
        ("add", lost.card_number), ("add", cancelled.card_number)]
    assert set(HotListEntry.objects.values_list("card_number", flat=True)) == {lost.card_number,
                                                                               cancelled.card_number}


def test_a_refused_change_leaves_the_hot_list_alone():
    card = card_in()
    move(card, "formally_lost", "counter")
    with pytest.raises(CardError):
        move(card, "active", "online")
    assert [action for _v, action, _n, _c in log()] == ["add"]


def test_an_operator_sees_only_the_transit_cities_it_serves():
    transit_cities("武汉市 Wuhan", YICHANG)
    wuchang, jiangan, yichang, xiangyang = card_in("420106"), card_in("420102"), card_in("420502"), card_in("420602")
    for card in (wuchang, jiangan, yichang, xiangyang):
        move(card, "temporarily_lost", "online")
    wuhan_bus = create_operator(code="whbus", name="武汉公交", cities=[WUHAN])
    yichang_bus = create_operator(code="ycbus", name="宜昌公交", cities=[YICHANG, XIANGYANG])
    assert listed(wuhan_bus) == {("add", wuchang.card_number, wuchang.chip_id),
                                 ("add", jiangan.card_number, jiangan.chip_id)}
    # Xiangyang is served by the operator but is no transit city of the service.
    assert listed(yichang_bus) == {("add", yichang.card_number, yichang.chip_id)}
    assert fmt.parse(hotlist.full_list(yichang_bus)).cities == (YICHANG,)
    delta = fmt.parse(hotlist.delta_list(wuhan_bus, 0))
    assert (delta.since, delta.version) == (0, 4)
    assert [card for _a, card, _c in delta.changes] == [wuchang.card_number, jiangan.card_number]
    transit_cities("")
    assert listed(wuhan_bus) == set()


def test_the_full_list_carries_the_current_version():
    wuhan_bus = create_operator(code="whbus", name="武汉公交", cities=[WUHAN])
    assert hotlist.full_list(wuhan_bus) == b"SSCARD-HOTLIST/1 FULL whbus 0 420100\n"
    card = card_in()
    move(card, "temporarily_lost", "online")
    assert hotlist.full_list(wuhan_bus) == (
        f"SSCARD-HOTLIST/1 FULL whbus 1 420100\n+{card.card_number},{card.chip_id}\n".encode())
    assert hotlist.delta_list(wuhan_bus, 1) == b"SSCARD-HOTLIST/1 DELTA whbus 1 1 420100\n"


@pytest.fixture
def fleet(db):
    transit_cities("武汉市 Wuhan")
    cards = [card_in("420106"), card_in("420106"), card_in("420102"), card_in("420502")]
    operator = create_operator(code="whbus", name="武汉公交", cities=[WUHAN, YICHANG])
    return cards, operator


STEPS = st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["active", "temporarily_lost", "formally_lost",
                                                                "replaced", "expired", "cancelled"]),
                           st.sampled_from(["online", "counter", "system"])), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_for_any_changes_the_full_list_is_the_blocked_cards_and_the_fold_of_the_deltas(fleet, steps):
    cards, operator = fleet
    before = fmt.parse(hotlist.full_list(operator))
    terminal = fmt.apply(set(), before)
    for index, to_state, channel in steps:
        try:
            move(cards[index], to_state, channel)
        except CardError:
            pass
    full = fmt.parse(hotlist.full_list(operator))
    blocked = {(c.card_number, c.chip_id) for c in Card.objects.filter(pk__in=[c.pk for c in cards[:3]])
               if c.state in fmt.BLOCKED}  # cards[3] lives in Yichang, no transit city
    assert {(card, chip) for _a, card, chip in full.changes} == blocked
    # A terminal that held the list before applies the delta since then; one that started from nothing folds
    # every delta since version 0: both end with the full list.
    delta = fmt.parse(hotlist.delta_list(operator, before.version))
    assert delta.version == full.version
    assert fmt.apply(terminal, delta) == blocked
    assert fmt.apply(set(), fmt.parse(hotlist.delta_list(operator, 0))) == blocked


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_versions_in_commit_order():
    import threading

    from django.db import close_old_connections, connection

    from tests.cards.test_card_state_service import _retrying

    cards = [card_in() for _ in range(4)]
    barrier = threading.Barrier(len(cards))
    errors = []

    def worker(card):
        try:
            barrier.wait(timeout=10)
            _retrying(lambda: move(card, "temporarily_lost", "online"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(card,)) for card in cards]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert [version for version, *_rest in log()] == [1, 2, 3, 4]  # no gap, no duplicate
    assert {number for _v, _a, number, _c in log()} == {c.card_number for c in cards}
    assert hotlist.current_version() == 4
