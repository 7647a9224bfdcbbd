"""The transit operators' hot list of blocked cards: which state changes add or remove a card, the body format,
and its detached Ed25519 signature. Pure Python (no Django): a terminal's verifier needs only this module.

Body (UTF-8 text, `\\n` after every line; see docs/formats.md, "Transit hot list"):

    SSCARD-HOTLIST/1 FULL <operator> <version> <cities>
    +<card number>,<chip id>
    ...

    SSCARD-HOTLIST/1 DELTA <operator> <since> <version> <cities>
    +<card number>,<chip id>          (blocked since `since`)
    -<card number>,<chip id>          (no longer blocked: a loss report withdrawn)
    ...

`cities` is the comma-separated GB/T 2260 city codes the list covers ("-" when none). A delta's lines come in
version order: applying them in order to the list of version `since` gives the list of version `version`.

Signature: Ed25519 over the exact body bytes, detached, in the header
`Sscard-Signature: kid="<key id>", alg="EdDSA", sig="<base64url signature, no padding>"`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MAGIC = "SSCARD-HOTLIST/1"
FULL, DELTA = "FULL", "DELTA"
ADD, REMOVE = "add", "remove"
SIGNATURE_HEADER = "Sscard-Signature"

# A card in one of these states is refused by transit terminals (cardstates.CardState values).
BLOCKED = frozenset({"temporarily_lost", "formally_lost", "replaced", "cancelled"})


def action_for(from_state: str, to_state: str) -> str | None:
    """`add` when a card becomes blocked, `remove` when it stops being blocked (a loss report withdrawn or
    lapsed), None when the change does not concern the hot list (e.g. formally lost → replaced: still blocked)."""
    was, is_now = from_state in BLOCKED, to_state in BLOCKED
    if is_now and not was:
        return ADD
    if was and not is_now:
        return REMOVE
    return None


def _cities(cities: Iterable[str]) -> str:
    return ",".join(sorted(cities)) or "-"


def full_header(*, operator: str, version: int, cities: Iterable[str]) -> bytes:
    return f"{MAGIC} {FULL} {operator} {version} {_cities(cities)}\n".encode()


def delta_header(*, operator: str, since: int, version: int, cities: Iterable[str]) -> bytes:
    return f"{MAGIC} {DELTA} {operator} {since} {version} {_cities(cities)}\n".encode()


def entry_line(action: str, card_number: str, chip_id: str) -> bytes:
    return f"{'+' if action == ADD else '-'}{card_number},{chip_id}\n".encode()


def build_full(*, operator: str, version: int, cities: Iterable[str], entries: Iterable[tuple[str, str]]) -> bytes:
    """The full list: every (card number, chip id) of `entries` as an add line."""
    return full_header(operator=operator, version=version, cities=cities) + b"".join(
        f"+{card},{chip}\n".encode() for card, chip in entries)


def build_delta(*, operator: str, since: int, version: int, cities: Iterable[str],
                changes: Iterable[tuple[str, str, str]]) -> bytes:
    """The changes (action, card number, chip id) after `since` up to `version`, in version order."""
    return delta_header(operator=operator, since=since, version=version, cities=cities) + b"".join(
        entry_line(action, card, chip) for action, card, chip in changes)


# --- signature ---------------------------------------------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signature_header(body: bytes, private_key: Ed25519PrivateKey, kid: str) -> str:
    """The `Sscard-Signature` header value for `body`."""
    return f'kid="{kid}", alg="EdDSA", sig="{_b64url(private_key.sign(body))}"'


_PARAM = re.compile(r'\s*([a-z]+)="([^"]*)"\s*(?:,|$)')


def parse_signature_header(value: str) -> dict[str, str] | None:
    params, pos = {}, 0
    value = value.strip()
    while pos < len(value):
        match = _PARAM.match(value, pos)
        if not match:
            return None
        params[match.group(1)] = match.group(2)
        pos = match.end()
    return params if {"kid", "alg", "sig"} <= params.keys() else None


def verify(body: bytes, header: str, public_keys: Mapping[str, Ed25519PublicKey]) -> str | None:
    """None when `header` is a valid signature of `body` by one of `public_keys`, else the reason:
    `unreadable` (malformed header), `unknown_key`, `bad_signature`."""
    params = parse_signature_header(header or "")
    if params is None or params["alg"] != "EdDSA":
        return "unreadable"
    key = public_keys.get(params["kid"])
    if key is None:
        return "unknown_key"
    try:
        key.verify(_b64url_decode(params["sig"]), body)
    except (InvalidSignature, ValueError):
        return "bad_signature"
    return None


# --- reading a body (terminals, tests) -----------------------------------------------------------------------

@dataclass(frozen=True)
class HotList:
    kind: str  # FULL or DELTA
    operator: str
    since: int | None
    version: int
    cities: tuple[str, ...]
    changes: tuple[tuple[str, str, str], ...]  # (action, card number, chip id), in order


def _lines(body: bytes) -> Iterator[str]:
    text = body.decode("utf-8")
    if not text.endswith("\n"):
        raise ValueError("a hot list ends with a newline")
    yield from text[:-1].split("\n")


def parse(body: bytes) -> HotList:
    lines = _lines(body)
    head = next(lines).split(" ")
    if head[0] != MAGIC or head[1] not in (FULL, DELTA):
        raise ValueError("not a hot list")
    if head[1] == FULL:
        _magic, kind, operator, version, cities = head
        since = None
    else:
        _magic, kind, operator, since, version, cities = head
        since = int(since)
    changes = []
    for line in lines:
        sign, (card, chip) = line[0], line[1:].split(",")
        if sign not in "+-" or (kind == FULL and sign != "+"):
            raise ValueError("bad entry line")
        changes.append((ADD if sign == "+" else REMOVE, card, chip))
    return HotList(kind=kind, operator=operator, since=since, version=int(version),
                   cities=() if cities == "-" else tuple(cities.split(",")), changes=tuple(changes))


def apply(blocked: set[tuple[str, str]], hot_list: HotList) -> set[tuple[str, str]]:
    """A terminal's list after `hot_list` (a full list replaces it, a delta is applied in order)."""
    result = set() if hot_list.kind == FULL else set(blocked)
    for action, card, chip in hot_list.changes:
        if action == ADD:
            result.add((card, chip))
        else:
            result.discard((card, chip))
    return result
