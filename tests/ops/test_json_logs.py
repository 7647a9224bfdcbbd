"""JSON log lines parse, carry the request context, and never contain an ID number or a phone number."""

import io
import json
import logging
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscard.domain.idnumber import make_id_number
from sscard.ops.logs import (
    JsonFormatter,
    MaskPersonalDataFilter,
    RequestContextFilter,
    configure,
    mask_personal_data,
)

ID_NUMBER = make_id_number("420106", date(1990, 3, 7), 123)
ID_NUMBER_X = next(n for n in (make_id_number("420111", date(1985, 1, 1), s) for s in range(200))
                   if n.endswith("X"))
PHONE = "13800138000"


@pytest.fixture
def json_lines():
    """A logger writing through the production handler set-up into a buffer; returns the parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.addFilter(MaskPersonalDataFilter())
    loggers = [logging.getLogger("tests.ops"), logging.getLogger("sscard.request")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_a_line_is_one_json_object_with_the_expected_keys(json_lines):
    logging.getLogger("tests.ops").warning("card %s produced", "B-1")
    [line] = json_lines()
    assert line["level"] == "WARNING" and line["logger"] == "tests.ops"
    assert line["message"] == "card B-1 produced"
    assert line["time"].endswith("Z")


def test_id_numbers_and_phones_are_masked_in_message_and_arguments(json_lines):
    log = logging.getLogger("tests.ops")
    log.info(f"applicant {ID_NUMBER} phone {PHONE}")
    log.info("applicant %s phone %s", ID_NUMBER_X, PHONE)
    log.info("身份证号%s手机%s已提交", ID_NUMBER, PHONE)  # next to CJK text, where \b finds no boundary
    raw = json.dumps(json_lines(), ensure_ascii=False)
    for secret in (ID_NUMBER, ID_NUMBER_X, PHONE):
        assert secret not in raw
    assert "420106********" + ID_NUMBER[-4:] in raw
    assert "138****8000" in raw


def test_tracebacks_are_masked_too(json_lines):
    try:
        raise ValueError(f"duplicate key id_number={ID_NUMBER}")
    except ValueError:
        logging.getLogger("tests.ops").exception("save failed")
    [line] = json_lines()
    assert "ValueError" in line["exception"]
    assert ID_NUMBER not in json.dumps(line)


def test_extra_fields_other_than_the_known_ones_are_not_written(json_lines):
    logging.getLogger("tests.ops").info("lookup", extra={"id_number": ID_NUMBER, "status": 200})
    [line] = json_lines()
    assert "id_number" not in line
    assert line["status"] == 200


@pytest.mark.django_db
def test_the_access_line_has_request_context_but_no_query_string(client, json_lines):
    response = client.get(f"/healthz?phone={PHONE}&id={ID_NUMBER}")
    [line] = [x for x in json_lines() if x["logger"] == "sscard.request"]
    assert line["path"] == "/healthz"
    assert line["status"] == 200 and line["method"] == "GET" and line["view"] == "web:healthz"
    assert line["request_id"] == response["X-Request-ID"]
    assert isinstance(line["duration_ms"], float)
    assert PHONE not in json.dumps(line) and ID_NUMBER not in json.dumps(line)


@pytest.mark.django_db
def test_a_phone_in_the_path_is_masked(client, json_lines):
    client.get(f"/nowhere/{PHONE}")
    raw = json.dumps(json_lines())
    assert PHONE not in raw
    assert "138****8000" in raw


def test_configure_selects_the_format_and_rejects_unknown_ones():
    config = {"handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}}}
    configure(config, log_format="json")
    assert config["handlers"]["console"]["formatter"] == "json"
    assert config["handlers"]["console"]["filters"] == ["request_context", "mask_personal_data"]
    with pytest.raises(ValueError):
        configure(config, log_format="xml")


@settings(max_examples=200, deadline=None)
@given(region=st.sampled_from(["420102", "420106", "421002", "429004"]),
       birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)),
       sequence=st.integers(0, 999),
       phone_tail=st.integers(0, 10**9 - 1),
       prefix=st.sampled_from(["", "号码", "id=", "用户 ", "x:"]),
       suffix=st.sampled_from(["", "。", " ok", "的申请", ","]))
def test_no_id_or_phone_survives_masking(region, birth, sequence, phone_tail, prefix, suffix):
    id_number = make_id_number(region, birth, sequence)
    phone = f"13{phone_tail:09d}"
    masked = mask_personal_data(f"{prefix}{id_number}{suffix} {prefix}{phone}{suffix}")
    assert id_number not in masked
    assert phone not in masked
