"""The person's page is served whole from the cache and the employer's month view serves its lines from it, keyed
by a version of the data they show: every append, credit, correction, benefit, enrolment stop, retirement,
declaration or rename is a new key, so a cached page is never stale. The cached page carries each request's own
CSRF token and never a message meant for one visit.

Figures by hand (wage 6,500.00, Wuhan 2026): a paid month credits pension 520.00 and medical 130.00; the pension
row corrected to 8,000.00 credits 120.00 more (employee 640.00); employer's pension 1,040.00 -> 1,280.00.
"""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sscard.records import accounts, corrections, payments, services
from sscard.records.models import Employer, Enrolment, LedgerEntry
from sscard.records.retirement.services import register_retirement

from .conftest import approved_employer, citizen_client, new_citizen, new_officer, older_citizen
from .conftest_ledger import confirmed_bill

pytestmark = pytest.mark.django_db
PAID_ON = date(2026, 4, 20)


@pytest.fixture
def paid():
    """March 2026 declared for one person at 6,500.00 and paid (2,320.50) on time."""
    employer, person = approved_employer(name="江岸示范有限公司"), new_citizen("许四")
    officer = new_officer()
    bill = confirmed_bill(employer, [(person.id_number, person.real_name, 650_000)])
    payments.record_payment(staff=officer, bill=bill, amount_fen=232_050, reference="C-1", paid_on=PAID_ON,
                            today=date(2026, 6, 1))
    return employer, person, officer


def _balances(text: str) -> tuple[str, str]:
    pension = text.split('id="pension-balance">')[1].split(" ")[0]
    medical = text.split('id="medical-balance">')[1].split(" ")[0]
    return pension, medical


def _pension_row(person):
    return (LedgerEntry.objects.filter(id_number=person.id_number, insurance_type="pension")
            .order_by("-version").first())


def test_a_second_visit_reads_the_version_not_the_records(paid):
    _employer, person, _officer = paid
    client = citizen_client(person)
    first = client.get(reverse("records:mine")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(reverse("records:mine")).content.decode()
    part = 'id="accounts-title"'
    assert second.split(part)[1] == first.split(part)[1] and _balances(second) == ("520.00", "130.00")
    records_sql = [q["sql"] for q in queries.captured_queries if "records_" in q["sql"]]
    assert len(records_sql) == 1 and "COUNT(*)" in records_sql[0]  # the version query only: no enrolment read


def test_the_person_page_is_never_stale_after_a_correction_a_credit_a_benefit_or_a_rename(paid):
    employer, person, officer = paid
    client = citizen_client(person)
    assert _balances(client.get(reverse("records:mine")).content.decode()) == ("520.00", "130.00")
    corrections.correct_entry(staff=officer, entry=_pension_row(person), wage_fen=800_000, reason="Objection 5")
    text = client.get(reverse("records:mine")).content.decode()
    assert _balances(text) == ("640.00", "130.00") and "Objection 5" in text
    accounts.credit(id_number=person.id_number, account="medical", kind="settlement", day=date(2026, 5, 2),
                    amount_fen=-1_000, source_ref="settlement:S-0")  # a medical settlement paid 10.00 from it
    assert _balances(client.get(reverse("records:mine")).content.decode()) == ("640.00", "120.00")
    accounts.record_benefit(id_number=person.id_number, benefit_type="medical", period_start=date(2026, 5, 2),
                            period_end=date(2026, 5, 2), amount_fen=12_345, source_type="settlement",
                            source_ref="S-1")
    assert "123.45" in client.get(reverse("records:mine")).content.decode()
    Employer.objects.filter(pk=employer.pk).update(name="江岸新名有限公司")  # as the admin could
    text = client.get(reverse("records:mine")).content.decode()
    assert "江岸新名有限公司" in text.split('id="contributions"')[1]


def test_the_month_view_is_cached_and_never_stale_after_a_correction_or_an_amendment(paid):
    employer, person, officer = paid
    client = citizen_client(employer.registered_by)
    url = "/records/employer/declarations/2026-03/"
    first = client.get(url).content.decode()
    assert "1,040.00 / 520.00" in first  # pension: employer / employee
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).content.decode().split('id="lines-title"')[1] == first.split('id="lines-title"')[1]
    assert not any("row_number()" in q["sql"] for q in queries.captured_queries)  # the lines came from the cache
    corrections.correct_entry(staff=officer, entry=_pension_row(person), wage_fen=800_000, reason="Objection 6")
    text = client.get(url).content.decode()
    assert "1,280.00 / 640.00" in text and "1,040.00 / 520.00" not in text
    other = new_citizen("郑五")
    confirmed_bill(employer, [(person.id_number, person.real_name, 650_000),
                              (other.id_number, other.real_name, 650_000)], month=date(2026, 4, 1))
    assert "2 people" in client.get("/records/employer/declarations/2026-04/").content.decode()


def test_the_person_page_is_never_stale_after_a_retirement_or_an_enrolment_stopped():
    person = older_citizen()
    employer = approved_employer(name="汉阳示范有限公司")
    services.enrol(user=employer.registered_by, employer=employer, id_number=person.id_number,
                   name=person.real_name, start_month=date(2020, 1, 1), types=["pension", "medical"])
    client = citizen_client(person)
    text = client.get(reverse("records:mine")).content.decode()
    assert "enrolled now" in text and 'id="my-retirement"' not in text
    register_retirement(staff=new_officer(), id_number=person.id_number, retired_from=date(2022, 6, 1),
                        reference="鄂人社退〔2022〕9号")
    text = client.get(reverse("records:mine")).content.decode()
    assert "Retired since 2022-06-01" in text and "enrolled now" in text
    services.stop_enrolment(user=employer.registered_by, employer=employer,
                            enrolment=Enrolment.objects.get(id_number=person.id_number), end_month=date(2022, 5, 1))
    text = client.get(reverse("records:mine")).content.decode()
    assert "enrolled now" not in text and "2022-05" in text


def _token(text: str) -> str:
    return text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_a_cached_page_carries_the_visitors_own_csrf_token_which_a_form_accepts(paid):
    _employer, person, _officer = paid
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(person)
    second.force_login(person)  # the same person in another browser: the same key, another session
    one = first.get(reverse("records:mine")).content.decode()
    again = first.get(reverse("records:mine")).content.decode()  # from the cache
    other = second.get(reverse("records:mine")).content.decode()  # from the cache, for another session
    assert "placeholder" not in again + other
    assert len({_token(one), _token(again), _token(other)}) == 3  # each answer masks its session's secret anew
    answer = second.post(reverse("web:set_language"), {"csrfmiddlewaretoken": _token(other), "language": "es",
                                                     "next": reverse("records:mine")})
    assert answer.status_code == 302
    assert second.post(reverse("web:set_language"), {"csrfmiddlewaretoken": "x" * 64, "language": "es",
                                                     "next": "/"}).status_code == 403


def test_an_agent_whose_rights_are_revoked_is_refused_the_cached_month_at_once(paid):
    employer, _person, _officer = paid
    agent = new_citizen("钱七")
    membership = services.grant_agent(user=employer.registered_by, employer=employer, id_number=agent.id_number,
                                      name=agent.real_name)
    client = citizen_client(agent)
    url = "/records/employer/declarations/2026-03/"
    assert "1,040.00 / 520.00" in client.get(url).content.decode()
    assert client.get(url).status_code == 200  # from the cache
    services.revoke_agent(user=employer.registered_by, employer=employer, membership=membership)
    answer = client.get(url)
    assert answer.status_code == 302 and answer["Location"] == reverse("records:workspace")


def _choose(client, employer) -> None:
    """The employer chosen in the workspace, as the session keeps it."""
    session = client.session
    session["records_employer"] = employer.pk
    session.save()


def test_a_cached_month_of_the_chosen_employer_costs_one_statement_of_records(paid):
    """The membership and the month's version are read together: a revisit of a cached month asks the records
    tables once (the same statement names the memberships and the ledger)."""
    employer, _person, _officer = paid
    client = citizen_client(employer.registered_by)
    _choose(client, employer)
    url = "/records/employer/declarations/2026-03/"
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert again.split('id="lines-title"')[1] == first.split('id="lines-title"')[1]
    records_sql = [q["sql"] for q in queries.captured_queries if "records_" in q["sql"]]
    assert len(records_sql) == 1, records_sql
    assert "records_employermembership" in records_sql[0] and "records_ledgerentry" in records_sql[0]


def test_an_agent_of_two_employers_revoked_from_the_chosen_one_never_sees_its_cached_month(paid):
    """The version of the session's employer is read beside the membership: once the membership is revoked, its
    cached month is not served, though the version still matches."""
    employer, person, _officer = paid
    agent, worker = new_citizen("孙八"), new_citizen("周九")
    other = approved_employer(name="汉阳示范有限公司")
    confirmed_bill(other, [(worker.id_number, worker.real_name, 500_000)], month=date(2026, 2, 1))
    membership = services.grant_agent(user=employer.registered_by, employer=employer, id_number=agent.id_number,
                                      name=agent.real_name)
    services.grant_agent(user=other.registered_by, employer=other, id_number=agent.id_number, name=agent.real_name)
    client = citizen_client(agent)
    _choose(client, employer)
    url = "/records/employer/declarations/2026-03/"
    assert "1,040.00 / 520.00" in client.get(url).content.decode()
    assert "1,040.00 / 520.00" in client.get(url).content.decode()  # from the cache
    services.revoke_agent(user=employer.registered_by, employer=employer, membership=membership)
    answer = client.get(url)  # now the only employer the agent acts for is the other one, which has no March
    assert answer.status_code == 404 and "1,040.00" not in answer.content.decode()
    assert "800.00 / 400.00" in client.get("/records/employer/declarations/2026-02/").content.decode()
