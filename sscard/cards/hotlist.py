"""The transit hot list: written inside each card state change (`record_state_change`, called by effects.py),
read by transit operators as a full list or a delta since a version, signed (docs/formats.md, "Transit hot list").

A card's city is the residence city (`res_city`, GB/T 2260) of the application it was made for: that is where
the holder lives and rides. Every blocking change is logged whatever the city; an operator's list holds the cards
of the cities it serves that are transit cities in the service settings (`ServiceSettings.transit_cities`), so a
change of either setting applies at once (terminals should then fetch the full list again).

Versions: one counter row, locked (SELECT ... FOR UPDATE) and incremented in the state change's transaction.
Writers are serialized, so versions are committed in order and without gaps: a reader that sees version N has
every change up to N. Card state changes already serialize on the audit chain's head in the same transaction,
so the counter adds no contention of its own. (The alternative, a sequence as version and readers trusting
only versions below the oldest transaction in flight, needs PostgreSQL internals and is subtler to get right.)
"""

from __future__ import annotations

import functools
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from sscard.core.errors import DomainError
from sscard.core.signing_keys import KeyStore, build
from sscard.domain import hotlist, regions
from sscard.reference import selectors as reference_selectors

from .transit_models import HotListChange, HotListEntry, HotListVersion, TransitOperator

MSG_SINCE_IN_FUTURE = gettext_noop(
    "This version of the hot list does not exist yet (the current version is %(version)d). "
    "Fetch the full list.")
MSG_SINCE_TOO_OLD = gettext_noop(
    "Changes since this version are no longer kept (the oldest version a delta starts from is %(floor)d). "
    "Fetch the full list.")


class HotListError(DomainError):
    """A delta that cannot be answered: `since_in_future` or `since_too_old`; the terminal fetches the full list."""


# --- writing -----------------------------------------------------------------------------------------------

def _next_version() -> int:
    """Lock the counter row and take the next version (inside the caller's transaction)."""
    updated = HotListVersion.objects.select_for_update().filter(pk=1).update(value=F("value") + 1)
    if not updated:
        HotListVersion.objects.get_or_create(pk=1, defaults={"value": 0})
        HotListVersion.objects.select_for_update().filter(pk=1).update(value=F("value") + 1)
    return HotListVersion.objects.get(pk=1).value


def record_state_change(*, card, from_state: str, to_state: str, at) -> HotListChange | None:
    """Log `card`'s addition to or removal from the hot list, if this change concerns it (called by
    `effects.after_state_change` inside the state change's transaction)."""
    action = hotlist.action_for(from_state, to_state)
    if action is None:
        return None
    city = card.application.res_city
    with transaction.atomic():
        version = _next_version()
        change = HotListChange.objects.create(version=version, card_number=card.card_number, chip_id=card.chip_id,
                                              city=city, action=action, at=at)
        if action == hotlist.ADD:
            HotListEntry.objects.update_or_create(card_number=card.card_number, defaults={
                "chip_id": card.chip_id, "city": city, "version": version})
        else:
            HotListEntry.objects.filter(card_number=card.card_number).delete()
    return change


# --- reading -----------------------------------------------------------------------------------------------

def transit_city_codes() -> frozenset[str]:
    """The city codes of `ServiceSettings.transit_cities` (a line names a city by code or by its Chinese name),
    from the configuration cache."""
    return _city_codes(reference_selectors.service_settings().transit_cities)


@functools.lru_cache(maxsize=8)
def _city_codes(text: str) -> frozenset[str]:
    codes = set()
    for line in text.splitlines():
        if line.strip():
            first = line.split()[0]
            code = first if regions.get_region(first) else regions.city_code(first)
            if code:
                codes.add(code)
    return frozenset(codes)


def operator_cities(operator: TransitOperator) -> list[str]:
    return sorted(set(operator.city_codes) & transit_city_codes())


def current_version() -> int:
    return HotListVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def _in(cities: list[str]) -> str:
    return ", ".join(["%s"] * len(cities))


FETCH = 20_000


def full_list(operator: TransitOperator) -> bytes:
    """The full list of the operator's cities. One SQL statement reads the version and the entries, so both come
    from one snapshot; the database formats the lines, which are streamed (a server-side cursor on PostgreSQL)
    and read in chunks: one short string per card, no ORM object. (A COPY ... TO STDOUT was measured slower:
    psycopg hands it over one row at a time.)"""
    cities = operator_cities(operator)
    version, lines = _full_lines(cities)
    return hotlist.full_header(operator=operator.code, version=version, cities=cities) + lines


def _full_sql(cities: list[str], placeholders: str) -> str:
    sql = f"SELECT '#' || value FROM {HotListVersion._meta.db_table} WHERE id = 1"
    if cities:
        sql += (f" UNION ALL SELECT '+' || card_number || ',' || chip_id FROM {HotListEntry._meta.db_table}"
                f" WHERE city IN ({placeholders})")
    return sql


def _full_lines(cities: list[str]) -> tuple[int, bytes]:
    version, lines = 0, []
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(_full_sql(cities, _in(cities)), cities)
        while rows := cursor.fetchmany(FETCH):
            for (line,) in rows:
                if line.startswith("#"):
                    version = int(line[1:])
                else:
                    lines.append(line)
    return version, ("\n".join(lines) + "\n").encode() if lines else b""


def delta_floor() -> int:
    """The oldest `since` a delta is answered for: the last version older than the retention (0 if none)."""
    return _version_and_floor()[1]


def _version_and_floor() -> tuple[int, int]:
    """The current version and the delta floor, in one round trip (a delta is a hot path)."""
    cutoff = timezone.now() - timedelta(days=settings.HOTLIST_DELTA_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT value FROM {HotListVersion._meta.db_table} WHERE id = 1), "
                       f"(SELECT MAX(version) FROM {HotListChange._meta.db_table} WHERE at < %s)", [cutoff])
        version, floor = cursor.fetchone()
    return version or 0, floor or 0


def delta_list(operator: TransitOperator, since: int) -> bytes:
    """The changes of the operator's cities after `since`. The version is read first and the changes up to it:
    versions commit in order, so every change up to it is visible."""
    version, floor = _version_and_floor()
    if since > version:
        raise HotListError("since_in_future", MSG_SINCE_IN_FUTURE, {"version": version})
    if since < floor:
        raise HotListError("since_too_old", MSG_SINCE_TOO_OLD, {"floor": floor})
    cities = operator_cities(operator)
    changes = []
    if cities:  # raw SQL: a delta is a hot path, and the ORM's compilation cost as much as the query
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT action, card_number, chip_id FROM {HotListChange._meta.db_table} "
                           f"WHERE version > %s AND version <= %s AND city IN ({_in(cities)}) ORDER BY version",
                           [since, version, *cities])
            changes = cursor.fetchall()
    return hotlist.build_delta(operator=operator.code, since=since, version=version, cities=cities,
                               changes=changes)


# --- signing -----------------------------------------------------------------------------------------------

def key_store() -> KeyStore:
    return build(str(settings.HOTLIST_KEY_FILE), settings.HOTLIST_KID, settings.HOTLIST_EXTRA_KEYS_FILE)


def signature(body: bytes) -> str:
    keys = key_store()
    return hotlist.signature_header(body, keys.private_key, keys.kid)

