"""The pure rules of replacement and renewal (sscard.domain.replacement), from a table written by hand."""

from datetime import date

import pytest

from sscard.domain.replacement import check, offers, renewal_opens

TODAY = date(2026, 12, 1)
FAR = date(2036, 11, 1)

# (state, kind, reason, expiry, refusal code or None)
TABLE = [
    ("temporarily_lost", "replacement", "lost", FAR, None),
    ("formally_lost", "replacement", "lost", FAR, None),
    ("active", "replacement", "damaged", FAR, None),
    ("active", "replacement", "lost", FAR, "report_loss_first"),
    ("temporarily_lost", "replacement", "damaged", FAR, "damaged_not_active"),
    ("formally_lost", "replacement", "damaged", FAR, "damaged_not_active"),
    ("sealed", "replacement", "damaged", FAR, "not_enabled"),
    ("sealed", "renewal", "", date(2026, 12, 20), "not_enabled"),
    ("replaced", "replacement", "lost", FAR, "card_void"),
    ("expired", "renewal", "", date(2026, 11, 30), "card_void"),
    ("cancelled", "replacement", "damaged", FAR, "card_void"),
    ("bogus", "replacement", "lost", FAR, "card_void"),
    ("active", "replacement", "", FAR, "reason"),
    ("active", "bogus", "lost", FAR, "reason"),
    ("active", "renewal", "", date(2027, 1, 30), None),       # 60 days ahead: the window opens today
    ("active", "renewal", "", date(2027, 1, 31), "renewal_too_early"),
    ("active", "renewal", "", date(2026, 12, 2), None),
    ("temporarily_lost", "renewal", "", date(2026, 12, 20), "renewal_state"),
    ("formally_lost", "renewal", "", date(2026, 12, 20), "renewal_state"),
]


@pytest.mark.parametrize(("state", "kind", "reason", "expiry", "code"), TABLE)
def test_the_table(state, kind, reason, expiry, code):
    refusal = check(kind=kind, reason=reason, state=state, expiry_date=expiry, today=TODAY, window_days=60)
    assert (refusal.code if refusal else None) == code


def test_too_early_names_the_first_day():
    refusal = check(kind="renewal", reason="", state="active", expiry_date=date(2027, 3, 1), today=TODAY,
                    window_days=60)
    assert refusal.params == {"days": 60, "date": "2026-12-31"}
    assert renewal_opens(date(2027, 3, 1), 60) == date(2026, 12, 31)


@pytest.mark.parametrize(("state", "expiry", "expected"), [
    ("active", FAR, {"replace": True, "renew": False}),
    ("active", date(2027, 1, 1), {"replace": True, "renew": True}),
    ("temporarily_lost", date(2027, 1, 1), {"replace": True, "renew": False}),
    ("sealed", date(2027, 1, 1), {"replace": False, "renew": False}),
    ("replaced", FAR, {"replace": False, "renew": False}),
])
def test_what_my_card_offers(state, expiry, expected):
    assert offers(state=state, expiry_date=expiry, today=TODAY, window_days=60) == expected
