"""Query and verification, the person's side: the year record and its CSV and PDF downloads, the authorisation
codes (issue, revoke, every use seen) and the public page where a third party uses one (no oracle, rate limit,
expired and revoked codes).

Figures by hand, as in test_person_page.py (wage 6,500.00 a month; Wuhan 2025 and 2026 within the bounds):
  each month: pension base 6500.00, employer 1040.00, employee 520.00; medical 520.00 / 130.00; unemployment
  45.50 / 19.50; work injury 45.50 / 0.00. Paid: 2025-11 (on 2025-12-10), 2026-01 (2026-02-10),
  2026-02 (2026-03-10); 2026-03 in arrears; 2026-01 pension corrected to 8,000.00: employer 1280.00,
  employee 640.00, +120.00 on the pension account. A medical benefit of 123.45 on 2026-05-02.
  2025: 4 rows (2025-11, all paid); movements 2025-12-10 pension 520.00 and medical 130.00; no benefit.
"""

import itertools
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sscard.audit.models import AccessEvent, AuditEvent
from sscard.domain import record_authorisation as rules
from sscard.records import accounts, corrections, payments
from sscard.records.models import AuthorisationUse, LedgerEntry, RecordAuthorisation
from sscard.records.queries import authorisations, selectors

from .conftest import approved_employer, citizen_client, new_citizen, new_officer
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db
_addresses = itertools.count(1)


def _address() -> str:
    """A client address of its own for each test: the failure limit counts per address, and tests never clear
    the cache."""
    return f"198.51.{next(_addresses) % 250}.{(id(object()) >> 4) % 250 + 1}"


@pytest.fixture
def person():
    employer, person = approved_employer(name="汉口示范有限公司"), new_citizen("陈九")
    officer = new_officer()
    line = [(person.id_number, person.real_name, 650_000)]
    for month, paid_on, reference in ((date(2025, 11, 1), date(2025, 12, 10), "Q-1"),
                                      (date(2026, 1, 1), date(2026, 2, 10), "Q-2"),
                                      (date(2026, 2, 1), date(2026, 3, 10), "Q-3")):
        bill = confirmed_bill(employer, line, month=month)
        payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference=reference, paid_on=paid_on,
                                today=date(2026, 6, 1))
    confirmed_bill(employer, line, month=date(2026, 3, 1))
    payments.mark_arrears(today=date(2026, 4, 26))
    january = LedgerEntry.objects.filter(id_number=person.id_number, month=date(2026, 1, 1),
                                         insurance_type="pension").order_by("-version").first()
    corrections.correct_entry(staff=officer, entry=january, wage_fen=800_000, reason="Objection 17: wage 8000.00")
    accounts.record_benefit(id_number=person.id_number, benefit_type="medical", period_start=date(2026, 5, 2),
                            period_end=date(2026, 5, 2), amount_fen=12_345, source_type="settlement",
                            source_ref="Q-S-9")
    return person


# --- The year record and its downloads ---------------------------------------------------------------------

def test_the_year_record_has_the_rows_movements_and_benefits_of_that_year_only(person):
    record = selectors.year_record(person.id_number, year=2025)
    assert record.year == 2025
    assert [(r.month_label, r.insurance_type, r.base_yuan, r.employer_yuan, r.employee_yuan, r.status)
            for r in record.records.rows] == [
        ("2025-11", "pension", "6500.00", "1040.00", "520.00", "paid"),
        ("2025-11", "medical", "6500.00", "520.00", "130.00", "paid"),
        ("2025-11", "unemployment", "6500.00", "45.50", "19.50", "paid"),
        ("2025-11", "work_injury", "6500.00", "45.50", "0.00", "paid")]
    assert [(m.day, m.account, m.amount_fen) for m in record.movements] == [
        (date(2025, 12, 10), "pension", 52_000), (date(2025, 12, 10), "medical", 13_000)]
    assert record.benefits == []
    latest = selectors.year_record(person.id_number)
    assert latest.year == 2026 and len(latest.records.rows) == 12
    assert [(b.period_start, b.amount_fen) for b in latest.benefits] == [(date(2026, 5, 2), 12_345)]
    assert [(m.day, m.account, m.amount_fen) for m in latest.movements if m.kind == "contribution"] == [
        (date(2026, 2, 10), "pension", 52_000), (date(2026, 2, 10), "medical", 13_000),
        (date(2026, 3, 10), "pension", 52_000), (date(2026, 3, 10), "medical", 13_000)]


def test_a_year_without_records_gives_the_latest_year(person):
    assert selectors.year_record(person.id_number, year=2019).year == 2026


def test_the_csv_of_a_year_has_every_row_as_numbers_and_the_identity_masked(person):
    response = citizen_client(person).get(reverse("records:mine_csv"), {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="records-2025.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body[1:].split("\r\n")[:-1]
    assert lines[0] == f"Name,陈*,ID number,{person.id_number[:6]}********{person.id_number[-4:]},Year,2025"
    assert lines[1] == ("Part,Month or day,Insurance type or account,Employer,Base,Employer amount,"
                        "Employee amount or amount,Status,Version")
    assert lines[2] == "Contribution,2025-11,Pension,汉口示范有限公司,6500.00,1040.00,520.00,Paid,2"
    assert lines[5] == "Contribution,2025-11,Work injury,汉口示范有限公司,6500.00,45.50,0.00,Paid,2"
    assert lines[6:] == ["Account movement,2025-12-10,Pension account,,,,520.00,Contribution,",
                         "Account movement,2025-12-10,Medical account,,,,130.00,Contribution,"]
    assert person.id_number not in body


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    path = tmp_path / "record.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize(("language", "title", "pension"), [
    ("zh-hans", "2026年社会保险权益记录", "养老保险"),
    ("es", "Registro de seguro social de 2026", "Pensiones"),
])
def test_the_pdf_is_in_the_persons_language(person, tmp_path, language, title, pension):
    person.preferred_language = language
    person.save(update_fields=["preferred_language"])
    response = citizen_client(person).get(reverse("records:mine_pdf"), {"year": "2026"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(pdf_text(response.content, tmp_path).split())
    assert "".join(title.split()) in text
    assert pension in text and "1280.00" in text and "640.00" in text and "123.45" in text
    assert person.id_number not in text


def test_the_page_links_the_downloads_of_the_year_shown(person):
    body = citizen_client(person).get(reverse("records:mine"), {"year": "2025"}).content.decode()
    assert f'{reverse("records:mine_pdf")}?year=2025' in body and f'{reverse("records:mine_csv")}?year=2025' in body


# --- Authorisations ----------------------------------------------------------------------------------------

def _issue(person, *, parts=("contributions",), year_from=2026, year_to=2026, days=7):
    return authorisations.issue(user=person, parts=list(parts), year_from=year_from, year_to=year_to, days=days,
                                recipient="Bank of Wuhan")


def _verify(code, id_number, *, address=None, client=None):
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    return client.post(reverse("records:verify"), {"code": code, "id_number": id_number},
                       REMOTE_ADDR=address or _address())


def test_a_code_is_80_bits_of_crockford_base32_and_only_its_keyed_hash_is_stored(person):
    issued = _issue(person)
    raw = issued.code.replace("-", "")
    assert len(raw) == 16 and set(raw) <= set(rules.ALPHABET) and issued.code.count("-") == 3
    row = RecordAuthorisation.objects.get(pk=issued.authorisation.pk)
    assert row.code_hint == raw[-4:] and raw not in row.code_hash and len(row.code_hash) == 64
    assert (row.expires_at - row.created_at) == timedelta(days=7)
    assert AuditEvent.objects.filter(event_type="records.authorisation_issued",
                                     subject_id=str(row.pk)).count() == 1


def test_issuing_on_the_page_shows_the_code_once(person):
    client = citizen_client(person)
    response = client.post(reverse("records:authorisations"), {"parts": ["contributions", "benefits"],
                                                               "year_from": "2025", "year_to": "2026", "days": "30"})
    assert response.status_code == 200
    row = RecordAuthorisation.objects.get(person=person)
    assert row.parts == ["contributions", "benefits"] and (row.year_from, row.year_to) == (2025, 2026)
    body = response.content.decode()
    shown = body.split('id="issued-code"><strong>')[1].split("<")[0]
    assert rules.code_hash(b"x", rules.normalise_code(shown)) != row.code_hash  # keyed: the key matters
    assert authorisations.rules.code_hash(authorisations._key(), rules.normalise_code(shown)) == row.code_hash
    assert shown not in client.get(reverse("records:authorisations")).content.decode()


def test_the_same_form_sent_twice_issues_one_code_and_says_so(person):
    """A reload of the answer page (the browser sends the form again) or a double click issues no second code."""
    client = citizen_client(person)
    form = client.get(reverse("records:authorisations")).content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    data = {"parts": ["contributions"], "year_from": "2025", "year_to": "2026", "days": "7", "token": token}
    first = client.post(reverse("records:authorisations"), data).content.decode()
    shown = first.split('id="issued-code"><strong>')[1].split("<")[0]
    again = client.post(reverse("records:authorisations"), data)
    assert again.status_code == 200
    body = again.content.decode()
    assert RecordAuthorisation.objects.filter(person=person).count() == 1
    assert AuditEvent.objects.filter(event_type="records.authorisation_issued").count() == 1
    assert "This form was already sent" in body and f"…{shown[-4:]}" in body
    assert shown not in body and 'id="issued-code"' not in body
    # the answer carries a fresh form: its token issues a new code
    fresh = body.split('name="token" value="')[1].split('"')[0]
    assert fresh != token
    client.post(reverse("records:authorisations"), {**data, "token": fresh})
    assert RecordAuthorisation.objects.filter(person=person).count() == 2


def test_the_same_token_of_another_person_is_theirs_alone(person):
    other = new_citizen("周十")
    token = "6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6"
    mine = authorisations.issue(user=person, parts=["accounts"], year_from=2026, year_to=2026, days=7, token=token)
    theirs = authorisations.issue(user=other, parts=["accounts"], year_from=2026, year_to=2026, days=7, token=token)
    assert mine.code and theirs.code and mine.authorisation.pk != theirs.authorisation.pk
    again = authorisations.issue(user=person, parts=["benefits"], year_from=2025, year_to=2025, days=3, token=token)
    assert again.code == "" and again.authorisation.pk == mine.authorisation.pk
    assert again.authorisation.parts == ["accounts"]  # the first authorisation stands, unchanged


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"year_from": "2025", "year_to": "2026", "days": "7"}, "parts", "Choose at least one part of your record."),
    ({"parts": ["accounts"], "year_from": "2026", "year_to": "2025", "days": "7"}, "year_to",
     "The last year cannot be before the first year."),
    ({"parts": ["accounts"], "year_from": "2025", "year_to": "2026", "days": "31"}, "days", ""),
    ({"parts": ["accounts"], "year_from": "2025", "year_to": "2999", "days": "7"}, "year_from",
     "Choose years from 1990 to this year."),
])
def test_a_bad_authorisation_is_refused_next_to_its_field_and_nothing_is_saved(person, data, field, message):
    response = citizen_client(person).post(reverse("records:authorisations"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and (not message or message in errors[field])
    assert not RecordAuthorisation.objects.filter(person=person).exists()


def test_the_third_party_sees_the_scoped_record_masked_and_the_person_sees_the_use(person):
    issued = _issue(person)
    response = _verify(issued.code.lower().replace("-", " "), person.id_number)
    assert response.status_code == 200
    record = response.context["result"].record
    assert record.masked_name == "陈*" and record.masked_id_number.count("*") == 8
    assert len(record.rows) == 12 and {r.month_label for r in record.rows} == {"2026-01", "2026-02", "2026-03"}
    assert record.movements == [] and record.benefits == [] and record.balances == {}  # not in the scope
    assert [count for _label, count in record.months] == [2, 2, 2, 2]  # 2026-01 and 02 paid, 03 in arrears
    body = response.content.decode()
    assert person.id_number not in body and "陈九" not in body
    assert 'id="scoped-movements"' not in body and 'id="scoped-contributions"' in body
    use = AuthorisationUse.objects.get(authorisation=issued.authorisation)
    assert use.outcome == "shown" and use.viewer is None
    assert AccessEvent.objects.filter(event_type="records.authorisation_used",
                                      subject_id=str(issued.authorisation.pk)).count() == 1
    page = citizen_client(person).get(reverse("records:authorisations")).content.decode()
    assert "Record shown" in page and f"…{issued.authorisation.code_hint}" in page


def test_a_scope_of_accounts_and_benefits_shows_them_for_its_years_only(person):
    issued = _issue(person, parts=("accounts", "benefits"), year_from=2025, year_to=2025)
    record = _verify(issued.code, person.id_number).context["result"].record
    assert record.rows == [] and record.benefits == []  # the benefit is of 2026
    assert [(m.day, m.amount_fen) for m in record.movements] == [(date(2025, 12, 10), 13_000),
                                                                 (date(2025, 12, 10), 52_000)]
    assert record.balances == {"pension": "1680.00", "medical": "390.00"}


def test_a_wrong_code_and_a_wrong_id_number_get_the_same_answer_and_no_use(person):
    issued = _issue(person)
    other = new_citizen("李四")
    wrong_code = _verify("ABCD-EFGH-JKMN-PQRS", person.id_number)
    wrong_id = _verify(issued.code, other.id_number)
    malformed = _verify("123", "not an id")
    for response in (wrong_code, wrong_id, malformed):
        assert response.status_code == 400
        assert response.context["form"].non_field_errors() == [
            "No valid authorisation matches this code and ID number. Check both and try again."]
    assert not AuthorisationUse.objects.exists()


def test_failed_attempts_are_limited_per_client_even_for_the_right_code(person):
    issued = _issue(person)
    address = _address()
    for _n in range(authorisations.FAILED_LIMIT):
        assert _verify("ABCD-EFGH-JKMN-PQRS", person.id_number, address=address).status_code == 400
    blocked = _verify(issued.code, person.id_number, address=address)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert not AuthorisationUse.objects.exists()
    assert _verify(issued.code, person.id_number).status_code == 200  # another client


def test_an_expired_code_gets_a_clear_message_and_the_person_sees_the_attempt(person):
    issued = _issue(person, days=1)
    RecordAuthorisation.objects.filter(pk=issued.authorisation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    response = _verify(issued.code, person.id_number)
    assert response.status_code == 400
    assert "This authorisation has expired." in response.content.decode()
    assert list(AuthorisationUse.objects.values_list("outcome", flat=True)) == ["expired"]


def test_a_revoked_code_gets_a_clear_message_and_only_its_person_revokes_it(person):
    issued = _issue(person)
    stranger = citizen_client(new_citizen("赵六"))
    stranger.post(reverse("records:authorisation_revoke", args=[issued.authorisation.pk]))
    assert _verify(issued.code, person.id_number).status_code == 200
    response = citizen_client(person).post(reverse("records:authorisation_revoke", args=[issued.authorisation.pk]))
    assert response.status_code == 302
    refused = _verify(issued.code, person.id_number)
    assert refused.status_code == 400 and "The person has revoked this authorisation." in refused.content.decode()
    assert list(AuthorisationUse.objects.order_by("pk").values_list("outcome", flat=True)) == ["shown", "revoked"]
    assert AuditEvent.objects.filter(event_type="records.authorisation_revoked").count() == 1


def test_a_use_can_be_neither_changed_nor_deleted(person):
    from django.db import DatabaseError, transaction

    issued = _issue(person)
    _verify(issued.code, person.id_number)
    for change in (lambda: AuthorisationUse.objects.update(outcome="expired"),
                   lambda: AuthorisationUse.objects.all().delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert list(AuthorisationUse.objects.values_list("outcome", flat=True)) == ["shown"]


def test_a_signed_in_third_party_is_recorded_as_the_viewer(person):
    issued = _issue(person)
    bank_user = new_citizen("钱七")
    _verify(issued.code, person.id_number, client=citizen_client(bank_user))
    assert AuthorisationUse.objects.get().viewer == bank_user
