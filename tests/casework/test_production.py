"""Production batches: export (data file + photos + SHA-256 manifest in one ZIP), import of the
manufacturer's result file with validation, line-level errors and idempotent re-import."""

import csv
import io

import pytest

from sscard.cards.models import Card, CardState
from sscard.casework import formats
from sscard.casework.lines import ImportRejected
from sscard.casework.models import BankExchangeItem, BatchItem, ProductionBatch
from sscard.casework.production import selectors as production_selectors
from sscard.casework.production import services as production_services
from sscard.domain.casestates import State
from sscard.reference.models import Manufacturer

from .conftest import new_application

pytestmark = pytest.mark.django_db
HEADER = "office_code,card_number,card_id,issue_date,expiry_date,bank_account\n"
ACCOUNT = "6222020200001234567"


def result(*lines):
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def line(application, n=1, account=ACCOUNT, issue="2026-11-20", expiry="2036-11-20"):
    return f"{application.office_code},B{n:08d},{n:032x},{issue},{expiry},{account}"


@pytest.fixture
def batch(production):
    cases = [new_application(state=State.IN_PRODUCTION) for _ in range(3)]
    return production_services.create_batch(staff=production, manufacturer=Manufacturer.objects.get(code="default")), cases


def test_the_archive_holds_the_data_file_the_photos_and_a_checked_manifest(batch):
    batch, cases = batch
    data = production_services.read_batch_archive(batch)
    assert formats.sha256(data) == batch.archive_sha256
    contents = formats.verify_archive(data)  # every checksum matches
    rows = list(csv.DictReader(io.StringIO(contents["cards.csv"].decode())))
    assert [r["office_code"] for r in rows] == [c.office_code for c in cases]
    assert all(f"photos/{c.office_code}.jpg" in contents for c in cases)
    assert rows[0]["line"] == "1" and rows[0]["id_number"] == cases[0].subject_id_number
    assert BatchItem.objects.filter(batch=batch).count() == 3


def test_a_tampered_archive_fails_its_manifest(batch):
    import zipfile

    batch, _cases = batch
    data = production_services.read_batch_archive(batch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as dst:
        for name in src.namelist():
            content = src.read(name)
            dst.writestr(name, content + b"x" if name.endswith("cards.csv") else content)
    with pytest.raises(ValueError):
        formats.verify_archive(buffer.getvalue())


def test_round_trip_creates_sealed_cards_linked_to_application_and_holder(production, batch):
    batch, cases = batch
    outcome = production_services.import_batch_result(staff=production, batch=batch,
                                           data=result(*[line(c, i) for i, c in enumerate(cases, 1)]))
    assert (outcome.applied, outcome.unchanged) == (3, 0)
    card = Card.objects.get(application=cases[0])
    assert card.state == CardState.SEALED
    assert card.holder == cases[0].applicant and card.holder_id_number == cases[0].subject_id_number
    assert card.card_number == "B00000001" and card.chip_id == f"{1:032X}"
    assert card.masked_bank_account == "6222 **** **** 4567"
    batch.refresh_from_db()
    assert batch.status == ProductionBatch.Status.PRODUCED


def test_reimporting_the_same_file_changes_nothing_and_says_so(production, batch, client):
    batch, cases = batch
    data = result(*[line(c, i) for i, c in enumerate(cases, 1)])
    production_services.import_batch_result(staff=production, batch=batch, data=data)
    again = production_services.import_batch_result(staff=production, batch=batch, data=data)
    assert (again.applied, again.unchanged) == (0, 3)
    assert Card.objects.count() == 3
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(production)
    response = client.post(reverse("casework:batch", args=[batch.number]),
                           {"file": SimpleUploadedFile("result.csv", data)}, follow=True)
    assert "Nothing changed: every line of this file was already imported." in response.content.decode()


def test_a_malformed_result_file_reports_every_bad_line_and_creates_no_card(production, batch, client):
    batch, (a, b, c) = batch
    bad = result(
        line(a, 1),
        f"{b.office_code},12345,{'0' * 32},2026-11-20,2036-11-20,{ACCOUNT}",  # card number too short
        f"{c.office_code},C00000003,NOTHEX,2026-13-01,2026-01-01,12",  # id, date, account
        line(a, 1),  # duplicate
        "only,three,columns",
    )
    with pytest.raises(ImportRejected) as rejected:
        production_services.import_batch_result(staff=production, batch=batch, data=bad)
    assert {e.line for e in rejected.value.errors} == {6}  # column count is checked first
    bad = result(line(a, 1), f"{b.office_code},12345,{'0' * 32},2026-11-20,2036-11-20,{ACCOUNT}",
                 f"{c.office_code},C00000003,NOTHEX,2026-13-01,2026-01-01,12", line(a, 1))
    with pytest.raises(ImportRejected) as rejected:
        production_services.import_batch_result(staff=production, batch=batch, data=bad)
    lines = [e.line for e in rejected.value.errors]
    assert 2 not in lines and {3, 4, 5} <= set(lines)
    assert Card.objects.count() == 0
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(production)
    response = client.post(reverse("casework:batch", args=[batch.number]),
                           {"file": SimpleUploadedFile("result.csv", bad)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 3:" in page and "The card number must be 9 letters or digits" in page
    assert "Nothing was imported." in page


def test_cases_outside_the_batch_and_conflicting_results_are_refused(production, batch):
    batch, (a, b, _c) = batch
    outsider = new_application(state=State.IN_PRODUCTION)
    with pytest.raises(ImportRejected) as rejected:
        production_services.import_batch_result(staff=production, batch=batch, data=result(line(outsider, 9)))
    assert "not in this batch" in rejected.value.errors[0].message
    production_services.import_batch_result(staff=production, batch=batch, data=result(line(a, 1)))
    with pytest.raises(ImportRejected):  # another card for a case that has one
        production_services.import_batch_result(staff=production, batch=batch, data=result(line(a, 7)))
    with pytest.raises(ImportRejected):  # a card number already used by another card
        production_services.import_batch_result(staff=production, batch=batch, data=result(line(b, 1)))
    batch.refresh_from_db()
    assert batch.status == ProductionBatch.Status.PARTIAL


def test_the_bank_account_must_match_the_pre_opened_one(production):
    application = new_application(state=State.BANK_PREOPENING)
    from sscard.reference.models import PartnerBank

    exchange = production_services.export_bank_request(staff=production, bank=PartnerBank.objects.get(code="icbc"))
    production_services.import_bank_response(staff=production, exchange=exchange,
                                  data=f"office_code,outcome,account_number,reason\n{application.office_code},OK,{ACCOUNT},\n".encode())
    assert BankExchangeItem.objects.get().account_number == ACCOUNT
    batch = production_services.create_batch(staff=production, manufacturer=Manufacturer.objects.get(code="default"))
    rows = list(csv.DictReader(io.StringIO(formats.verify_archive(production_services.read_batch_archive(batch))["cards.csv"].decode())))
    assert rows[0]["bank_account"] == ACCOUNT
    with pytest.raises(ImportRejected) as rejected:
        production_services.import_batch_result(staff=production, batch=batch, data=result(line(application, 1, account="6222000011112222")))
    assert "does not match" in rejected.value.errors[0].message


def test_cases_are_grouped_per_manufacturer(production):
    from sscard.reference.models import PartnerBank

    other = Manufacturer.objects.create(code="maker2", name="Maker Two")
    other.banks.add(PartnerBank.objects.get(code="boc"))
    icbc = new_application(state=State.IN_PRODUCTION, bank="icbc")
    boc = new_application(state=State.IN_PRODUCTION, bank="boc")
    waiting = {g["manufacturer"].code: g["count"] for g in production_selectors.ready_by_manufacturer(production)}
    assert waiting == {"default": 1, "maker2": 1}  # what the production page offers to batch
    first = production_services.create_batch(staff=production, manufacturer=other)
    assert [i.application for i in first.items.all()] == [boc]
    second = production_services.create_batch(staff=production, manufacturer=Manufacturer.objects.get(code="default"))
    assert [i.application for i in second.items.all()] == [icbc]
