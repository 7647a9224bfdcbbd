"""Bank account pre-opening through the pluggable adapter (default: CSV file exchange)."""

import csv
import io

import pytest

from sscard.applications import services as app_services
from sscard.casework import services
from sscard.casework.banks import registry
from sscard.casework.banks.base import BankAdapter
from sscard.casework.lines import ImportRejected
from sscard.casework.models import BankExchange, BankExchangeItem
from sscard.casework.production import services as production_services
from sscard.domain.casestates import State
from sscard.reference.models import PartnerBank

from .conftest import new_application

pytestmark = pytest.mark.django_db
HEADER = "office_code,outcome,account_number,reason\r\n"


def response(*lines):
    return (HEADER + "".join(line + "\r\n" for line in lines)).encode()


@pytest.fixture
def sent(production):
    cases = [new_application(state=State.BANK_PREOPENING) for _ in range(2)]
    exchange = production_services.export_bank_request(staff=production, bank=PartnerBank.objects.get(code="icbc"))
    return exchange, cases


def test_the_request_file_lists_every_approved_case_of_the_bank(production, sent):
    exchange, cases = sent
    rows = list(csv.DictReader(io.StringIO(production_services.read_bank_request(exchange).decode())))
    assert {r["office_code"] for r in rows} == {c.office_code for c in cases}
    assert rows[0]["id_number"] in {c.subject_id_number for c in cases}
    assert exchange.adapter == "file_exchange"
    with pytest.raises(services.CaseworkError):  # nothing left to send
        production_services.export_bank_request(staff=production, bank=PartnerBank.objects.get(code="icbc"))


def test_success_opens_production_and_failure_returns_the_case_to_the_citizen(
        production, sent, django_capture_on_commit_callbacks):
    exchange, (ok, bad) = sent
    with django_capture_on_commit_callbacks(execute=True):
        result = production_services.import_bank_response(staff=production, exchange=exchange, data=response(
            f"{ok.office_code},OK,6222020200001234567,", f"{bad.display_code},FAIL,,Name does not match the ID"))
    assert (result.applied, result.unchanged) == (2, 0)
    ok.refresh_from_db(), bad.refresh_from_db()
    assert ok.state == State.IN_PRODUCTION
    assert bad.state == State.BANK_FAILED
    assert bad.corrections.get().message == "Name does not match the ID"
    exchange.refresh_from_db()
    assert exchange.status == BankExchange.Status.ANSWERED
    # the citizen corrects and resubmits; the case goes back to review
    app_services.resubmit(application=bad, user=bad.applicant, fields={"bank": PartnerBank.objects.get(code="boc")})
    assert bad.state == State.RESUBMITTED


def test_importing_the_same_response_again_changes_nothing(production, sent):
    exchange, (ok, bad) = sent
    data = response(f"{ok.office_code},OK,6222020200001234567,", f"{bad.office_code},FAIL,,No such person")
    production_services.import_bank_response(staff=production, exchange=exchange, data=data)
    again = production_services.import_bank_response(staff=production, exchange=exchange, data=data)
    assert (again.applied, again.unchanged) == (0, 2) and again.nothing_changed
    assert ok.changes.filter(to_state=State.IN_PRODUCTION).count() == 1


def test_a_malformed_response_is_refused_line_by_line_and_nothing_changes(production, sent):
    exchange, (ok, bad) = sent
    with pytest.raises(ImportRejected) as rejected:
        production_services.import_bank_response(staff=production, exchange=exchange, data=response(
            f"{ok.office_code},OK,6222020200001234567,", f"{bad.office_code},MAYBE,,", "XYZ,OK,123,",
            f"{ok.office_code},OK,,"))
    assert [e.line for e in rejected.value.errors] == [3, 4, 5]
    assert BankExchangeItem.objects.filter(outcome="pending").count() == 2
    ok.refresh_from_db()
    assert ok.state == State.BANK_PREOPENING
    with pytest.raises(ImportRejected) as rejected:
        production_services.import_bank_response(staff=production, exchange=exchange, data=b"code;result\n1;2\n")
    assert rejected.value.errors[0].line == 1


def test_a_different_answer_for_an_answered_case_is_refused(production, sent):
    exchange, (ok, _bad) = sent
    production_services.import_bank_response(staff=production, exchange=exchange,
                                  data=response(f"{ok.office_code},OK,6222020200001234567,"))
    with pytest.raises(ImportRejected):
        production_services.import_bank_response(staff=production, exchange=exchange,
                                      data=response(f"{ok.office_code},FAIL,,changed our mind"))


def test_banks_can_use_another_adapter_from_the_registry(production, settings):
    class Api(BankAdapter):
        def build_request(self, *, exchange, applications):
            return "req.json", b"{}"

        def parse_response(self, data):
            return []

    settings.BANK_ADAPTERS = {"icbc": "test_api"}
    new_application(state=State.BANK_PREOPENING)
    with registry.register.temporarily("test_api", Api):
        exchange = production_services.export_bank_request(staff=production, bank=PartnerBank.objects.get(code="icbc"))
    assert exchange.adapter == "test_api"
    assert "file_exchange" in registry.identifiers()
    with pytest.raises(LookupError):
        registry.get("nope")
