"""The yearly statement's contents, canonical bytes and verification code (sscard.domain.statement).

Figures by hand: a month of pension is 520.00 (employee) + 1,040.00 (employer); 2025-01 paid, 2025-02 in arrears;
2024-12 paid (counts in the months to date, not in the year); a 2026 row is after the year and counts nowhere."""

from datetime import date

import cbor2
import pytest

from sscard.domain import statement as s
from sscard.domain.ecard import private_key_from_seed

KEY = private_key_from_seed(bytes(range(32)))
OTHER_KEY = private_key_from_seed(bytes(range(1, 33)))
KID = "sscard-st-test0001"
KEYS = {KID: KEY.public_key()}

# The documented test vector (docs/formats.md, "Yearly statement verification code").
VECTOR_CANONICAL = (
    '{"accounts":[{"account":"pension","closing_fen":52000,"credits_fen":52000,"interest_fen":0,"opening_fen":0,'
    '"other_fen":0},{"account":"medical","closing_fen":0,"credits_fen":0,"interest_fen":0,"opening_fen":0,'
    '"other_fen":0}],"benefits":[],"contributions":[{"arrears_fen":156000,"arrears_months":1,"employee_fen":52000,'
    '"employer_fen":104000,"paid_months":1,"type":"pension"}],"issued_on":"2026-01-15","kind":"yearly",'
    '"months_total":{"pension":1},"person":{"id_number":"360426199101010071","name":"张三丰"},'
    '"serial":"2025Y0123456789","totals":{"arrears_fen":156000,"benefits_fen":0,"employee_fen":52000,'
    '"employer_fen":104000,"medical_balance_fen":0,"pension_balance_fen":52000,"pension_months":1},"v":1,'
    '"year":2025}')
VECTOR_SHA256 = "2d70417bc58cf96a3257394f909b49ad26077e2d2c5ad61c7a8d99736c6af3ba"
VECTOR_CODE = (
    "SSS1QNZHG43DMFZGILLTOQWXIZLTOQYDAMBRLBOIOALPGIYDENKZGAYTEMZUGU3DOOBZDED6S2RSGAZDMLJQGEWTCNLF4W6KAKRKQ4M4WIA2"
    "AAAZMQA2AABGCYABDHFSAAAALAQC24CBPPCYZ6LKGJLTST4QTNE22JQHPYWSYWWWDR5I3GLTNRVPHOSYIDVXP72F5UDU3JSVRKP54MALAKEB"
    "MOXI4UJJWJRLZNS26BWJBBSUZOFCSEOD5LZDBDQNFYY4AVON3VGNFXCAYYSKA7NIYZEKRFLRVNIB")


def vector_contents():
    return s.build_contents(
        serial="2025Y0123456789", kind="yearly", year=2025, issued_on=date(2026, 1, 15),
        id_number="360426199101010071", name="张三丰",
        entries=[s.Entry(date(2025, 1, 1), "pension", "paid", 104000, 52000),
                 s.Entry(date(2025, 2, 1), "pension", "arrears", 104000, 52000)],
        movements=[s.Movement("pension", "contribution", date(2025, 2, 10), 52000)], benefits=[])


def test_the_documented_vector_canonical_bytes_digest_and_code():
    contents = vector_contents()
    assert s.canonical_bytes(contents).decode() == VECTOR_CANONICAL
    assert s.summary_of(contents).contents_sha256.hex() == VECTOR_SHA256
    code, signature = s.sign(contents, KEY, KID)
    assert code == VECTOR_CODE  # Ed25519 signatures are deterministic
    assert len(signature) == 64


def test_contents_of_a_year_by_type_months_accounts_and_benefits():
    entries = [
        s.Entry(date(2024, 12, 1), "pension", "paid", 104_000, 52_000),
        s.Entry(date(2025, 1, 1), "pension", "paid", 104_000, 52_000),
        s.Entry(date(2025, 2, 1), "pension", "arrears", 104_000, 52_000),
        s.Entry(date(2025, 1, 1), "work_injury", "paid", 4_550, 0),
        s.Entry(date(2025, 3, 1), "medical", "assessed", 52_000, 13_000),  # not due: not in the statement
        s.Entry(date(2025, 4, 1), "medical", "void", 52_000, 13_000),
        s.Entry(date(2026, 1, 1), "pension", "paid", 104_000, 52_000),  # after the year
    ]
    movements = [
        s.Movement("pension", "contribution", date(2024, 12, 20), 52_000),
        s.Movement("pension", "contribution", date(2025, 2, 10), 52_000),
        s.Movement("pension", "correction", date(2025, 6, 1), 12_000),
        s.Movement("pension", "interest", date(2025, 12, 31), 1_362),
        s.Movement("medical", "settlement", date(2025, 5, 2), -3_000),
        s.Movement("medical", "contribution", date(2024, 12, 20), 13_000),
        s.Movement("pension", "contribution", date(2026, 1, 10), 52_000),  # after the year
    ]
    benefits = [s.Benefit("medical", date(2025, 5, 2), 12_345), s.Benefit("medical", date(2025, 7, 1), 100),
                s.Benefit("medical", date(2024, 7, 1), 999)]
    c = s.build_contents(serial="X", kind="yearly", year=2025, issued_on=date(2026, 1, 15), id_number="1",
                         name="李四", entries=entries, movements=movements, benefits=benefits)
    assert c["contributions"] == [
        {"type": "pension", "paid_months": 1, "employee_fen": 52_000, "employer_fen": 104_000,
         "arrears_months": 1, "arrears_fen": 156_000},
        {"type": "work_injury", "paid_months": 1, "employee_fen": 0, "employer_fen": 4_550, "arrears_months": 0,
         "arrears_fen": 0},
    ]
    assert c["months_total"] == {"pension": 2, "work_injury": 1}
    assert c["accounts"] == [
        {"account": "pension", "opening_fen": 52_000, "credits_fen": 64_000, "interest_fen": 1_362,
         "other_fen": 0, "closing_fen": 117_362},
        {"account": "medical", "opening_fen": 13_000, "credits_fen": 0, "interest_fen": 0, "other_fen": -3_000,
         "closing_fen": 10_000},
    ]
    assert c["benefits"] == [{"type": "medical", "count": 2, "amount_fen": 12_445}]
    assert c["totals"] == {"employee_fen": 52_000, "employer_fen": 108_550, "arrears_fen": 156_000,
                           "pension_months": 2, "pension_balance_fen": 117_362, "medical_balance_fen": 10_000,
                           "benefits_fen": 12_445}


def test_a_verified_code_gives_the_masked_name_year_and_signed_totals():
    code, _signature = s.sign(vector_contents(), KEY, KID)
    summary = s.verify(code, KEYS)
    assert summary.masked_name == "张**"
    assert (summary.year, summary.serial, summary.issued_on) == (2025, "2025Y0123456789", "2026-01-15")
    assert summary.totals["employee_fen"] == 52_000
    assert s.matches(vector_contents(), summary)
    # Typed with spaces, line breaks and in lower case: the same code.
    assert s.verify(s.group_code(code).lower().replace(" ", "\n", 3), KEYS) == summary


def _altered_totals_code(code: str) -> str:
    """The code with the employee total changed inside its summary, the original signature kept."""
    kid, summary, signature = cbor2.loads(s._unb32(code[len(s.PREFIX):]))
    value = cbor2.loads(summary)
    value[5][0] = 99_999_00
    return s.PREFIX + s._b32(cbor2.dumps([kid, cbor2.dumps(value, canonical=True), signature]))


@pytest.mark.parametrize(("alter", "reason"), [
    (lambda c: c[:40] + ("A" if c[40] != "A" else "B") + c[41:], None),  # one character changed
    (_altered_totals_code, s.Reason.BAD_SIGNATURE),
    (lambda c: "SSS2" + c[4:], s.Reason.UNREADABLE),
    (lambda c: c[:-30], s.Reason.UNREADABLE),
    (lambda c: "hello", s.Reason.UNREADABLE),
    (lambda c: "", s.Reason.UNREADABLE),
])
def test_an_altered_or_forged_code_is_refused(alter, reason):
    code, _signature = s.sign(vector_contents(), KEY, KID)
    result = s.verify(alter(code), KEYS)
    assert isinstance(result, s.Reason)
    if reason is not None:
        assert result == reason


def test_a_code_signed_by_another_key_is_refused():
    forged, _ = s.sign(vector_contents(), OTHER_KEY, KID)
    assert s.verify(forged, KEYS) == s.Reason.BAD_SIGNATURE
    unknown, _ = s.sign(vector_contents(), OTHER_KEY, "sscard-st-other")
    assert s.verify(unknown, KEYS) == s.Reason.UNKNOWN_KEY


def test_other_contents_do_not_match_a_summary():
    code, _ = s.sign(vector_contents(), KEY, KID)
    changed = vector_contents()
    changed["totals"]["employee_fen"] += 1
    assert not s.matches(changed, s.verify(code, KEYS))
