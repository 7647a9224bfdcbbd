"""The public verification page: the QR decoded from the rendered PDF (pypdfium2 renders the page, zxing-cpp
reads the code) and checked on the page, which shows the masked name, the year and the signed totals, the same
figures as printed on the PDF; a tampered statement is refused or shows figures that differ from the paper; the
page needs no login, is rate-limited and writes an access event (never the audit chain).

Totals of the person of test_statements.py (2025), by hand: employee 1,339.00, employer 3,302.00, arrears
2,320.50, pension months 3, pension balance 1,573.62, medical 390.00, benefits 123.45."""

import itertools
import json

import cbor2
import pypdfium2
import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from prometheus_client import REGISTRY

from sscard.audit.models import AccessEvent, AuditEvent
from sscard.domain import statement as rules
from sscard.domain.ecard import private_key_from_seed
from sscard.records.statements import keys
from sscard.records.statements.pdf import render_statement

from .conftest import citizen_client, new_citizen
from .test_statements import TODAY, insured_2025

pytestmark = pytest.mark.django_db

SHOWN_TOTALS = ["1339.00", "3302.00", "2320.50", "3", "1573.62", "390.00", "123.45"]
_addresses = (f"198.51.100.{n}" for n in itertools.count(1))


def public_client(language="en") -> Client:
    """A client without login from an address of its own (the rate limit counts per address)."""
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=next(_addresses))


@pytest.fixture
def issued():
    """(person, statement) of the person of test_statements.py."""
    from sscard.records import accounts
    from sscard.records.statements import services

    person = insured_2025(new_citizen("陈九"))
    accounts.credit_interest(year=2025)
    return person, services.request_statement(user=person, year=2025, today=TODAY)


@pytest.fixture
def downloaded(issued):
    """(person, statement, PDF bytes) as the person downloads it."""
    person, statement = issued
    pdf = citizen_client(person).get(reverse("records:statement_pdf", args=[statement.serial])).content
    return person, statement, pdf


def page_text_and_codes(pdf: bytes) -> tuple[str, list[str]]:
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage().get_text_range()
    image = page.render(scale=3).to_pil()
    # QR codes only: the statement carries one; lines of its text and tables can read as a 1-D barcode
    return text, [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def verify_page(code: str, language="en"):
    return public_client(language).get(reverse("records:statement_verify"), {"code": code})


def checks(outcome: str) -> float:
    """The page's counter of checked codes (`/metrics`: sscard_statement_verifications_total)."""
    return REGISTRY.get_sample_value("sscard_statement_verifications_total", {"outcome": outcome}) or 0.0


def test_the_qr_of_the_pdf_is_checked_on_the_page_with_the_printed_totals(downloaded):
    person, statement, pdf = downloaded
    text, codes = page_text_and_codes(pdf)
    assert codes == [statement.code]
    events, valid_before = AuditEvent.objects.count(), checks("valid")
    page = verify_page(codes[0])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Genuine statement" in html and "陈*" in html and "陈九" not in html
    assert person.id_number not in html and person.id_number[-4:] not in html
    for total in SHOWN_TOTALS:
        assert f"<dd>{total}</dd>" in html
    # The printed statement carries the same figures the page shows.
    for total in ("1339.00", "3302.00", "2320.50", "1573.62", "390.00", "123.45"):
        assert total in text
    # a genuine code is counted, not recorded: which statement was shown to whom is kept nowhere
    assert checks("valid") == valid_before + 1
    assert not AccessEvent.objects.filter(event_type="records.statement_refused").exists()
    assert not AccessEvent.objects.filter(subject_id=statement.serial).exclude(
        event_type="records.statement_downloaded").exists()
    assert AuditEvent.objects.count() == events  # the hot path never takes the chain's lock


def test_a_pdf_whose_totals_were_altered_shows_other_figures_than_the_page(downloaded):
    """A forger prints other totals beside the genuine QR: the page shows the signed ones, which differ; the
    forger who also changes the totals inside the code breaks its signature."""
    _person, statement, _pdf = downloaded
    contents = json.loads(bytes(statement.contents))
    contents["totals"]["employee_fen"] = 9_999_900
    forged_pdf = render_statement(contents_bytes=rules.canonical_bytes(contents), code=statement.code,
                                  language="zh-hans", site_url="http://testserver/")
    text, codes = page_text_and_codes(forged_pdf)
    assert "99999.00" in text and "1339.00" not in text  # the forged total is printed ...
    html = verify_page(codes[0]).content.decode()
    assert "<dd>99999.00</dd>" not in html and "<dd>1339.00</dd>" in html  # ... the page shows the signed total

    kid, summary, signature = cbor2.loads(rules._unb32(statement.code[len(rules.PREFIX):]))
    value = cbor2.loads(summary)
    value[5][0] = 9_999_900
    altered = rules.PREFIX + rules._b32(cbor2.dumps([kid, cbor2.dumps(value, canonical=True), signature]))
    refused = verify_page(altered)
    assert refused.status_code == 200
    assert "altered or forged" in refused.content.decode() and "<dd>" not in refused.content.decode()


@pytest.mark.parametrize("alter", [
    lambda code: code[:60] + ("A" if code[60] != "A" else "B") + code[61:],  # one character changed
    lambda code: code[:-20],
    lambda code: "SSS1" + "A" * 40,
])
def test_a_changed_byte_or_a_truncated_code_is_refused(issued, alter):
    _person, statement = issued
    page = verify_page(alter(statement.code))
    assert page.status_code == 200 and 'aria-invalid="true"' in page.content.decode()
    assert "Genuine statement" not in page.content.decode()
    refusal = AccessEvent.objects.get(event_type="records.statement_refused")
    assert refusal.data["outcome"] in ("unreadable", "bad_signature") and refusal.subject_id == ""


def test_a_code_signed_with_another_key_is_refused(issued):
    _person, statement = issued
    contents = json.loads(bytes(statement.contents))
    stranger = private_key_from_seed(bytes(range(32)))
    same_kid, _ = rules.sign(contents, stranger, keys.key_store().kid)
    assert "altered or forged" in verify_page(same_kid).content.decode()
    other_kid, _ = rules.sign(contents, stranger, "sscard-st-forged00")
    assert "not signed by the agency" in verify_page(other_kid).content.decode()


@pytest.mark.parametrize(("language", "genuine", "year"), [("zh-hans", "真实", "年份"), ("es", "auténtico", "Año")])
def test_the_page_speaks_chinese_and_spanish(issued, language, genuine, year):
    _person, statement = issued
    html = verify_page(statement.code, language).content.decode()
    assert genuine in html and year in html


def test_the_page_is_rate_limited(issued, settings):
    _person, statement = issued
    settings.STATEMENT_VERIFY_PER_MINUTE = 2
    client = public_client()
    answers = [client.get(reverse("records:statement_verify"), {"code": statement.code}).status_code for _ in range(3)]
    assert answers[:2] == [200, 200] and answers[2] == 429


def test_the_empty_form_needs_no_login_and_counts_nothing():
    page = public_client().get(reverse("records:statement_verify"))
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert not AccessEvent.objects.filter(event_type="records.statement_refused").exists()


def test_the_lean_page_keeps_the_portal_chrome_without_touching_the_session(issued):
    """The page is standalone (no web/base.html, no context processors) but keeps the language, the skip link,
    the languages and the footer; it starts no session and sets no cookie (it posts nothing: no CSRF token)."""
    _person, statement = issued
    page = verify_page(statement.code, "zh-hans")
    html = page.content.decode()
    assert '<html lang="zh-hans">' in html and 'href="#main"' in html and '<main id="main"' in html
    assert f'href="?code={statement.code}&amp;lang=es"' in html and f'href="?code={statement.code}&amp;lang=en"' in html
    assert 'name="lang" value="zh-hans"' in html  # a check sent from the page stays in its language
    assert "csrfmiddlewaretoken" not in html and 'method="post"' not in html
    assert f'href="{reverse("web:privacy")}"' in html
    assert cookie_names(page) == set() and page["Content-Language"] == "zh-hans"


def test_a_language_link_shows_the_same_check_in_that_language_without_changing_the_portals(issued):
    _person, statement = issued
    client = public_client("zh-hans")
    url = reverse("records:statement_verify")
    spanish = client.get(url, {"code": statement.code, "lang": "es"}).content.decode()
    assert '<html lang="es">' in spanish and "auténtico" in spanish and 'aria-current="true">español' in spanish
    assert '<html lang="zh-hans">' in client.get(url, {"code": statement.code}).content.decode()  # not remembered
    unknown = client.get(url, {"code": statement.code, "lang": "xx"}).content.decode()
    assert '<html lang="zh-hans">' in unknown  # an unknown language: the portal's choice


def cookie_names(response) -> set[str]:
    return set(response.cookies)


def test_elder_friendly_mode_follows_the_portal_cookie(issued):
    from sscard.records.statements.views import ELDER_COOKIE
    from sscard.web.views import ELDER_COOKIE as PORTAL_COOKIE

    assert ELDER_COOKIE == PORTAL_COOKIE
    _person, statement = issued
    client = public_client()
    assert 'class="elder"' not in client.get(reverse("records:statement_verify"), {"code": statement.code}).content.decode()
    client.cookies[PORTAL_COOKIE] = "1"
    assert '<html lang="en" class="elder">' in client.get(reverse("records:statement_verify")).content.decode()


def test_a_remembered_check_is_not_reused_once_the_keys_change(issued, settings, tmp_path):
    """The signature check is memoised per code; the key files are part of the memo's key."""
    _person, statement = issued
    assert "Genuine statement" in verify_page(statement.code).content.decode()
    assert "Genuine statement" in verify_page(statement.code.lower()).content.decode()  # normalised first
    settings.STATEMENT_KEY_FILE = tmp_path / "another_key.pem"  # a new key is made there
    assert "not signed by the agency" in verify_page(statement.code).content.decode()


def test_banks_systems_get_json(issued):
    """`?format=json` or `Accept: application/json`: the signed figures in fen, or the refusal's stable reason."""
    _person, statement = issued
    answer = public_client().get(reverse("records:statement_verify"), {"code": statement.code, "format": "json"})
    assert answer["Content-Type"] == "application/json" and "Accept" in answer["Vary"]
    assert answer.json() == {"valid": True, "serial": statement.serial, "year": 2025, "issued_on": TODAY.isoformat(),
                             "masked_name": "陈*", "totals": {
        "employee_fen": 133_900, "employer_fen": 330_200, "arrears_fen": 232_050, "pension_months": 3,
        "pension_balance_fen": 157_362, "medical_balance_fen": 39_000, "benefits_fen": 12_345}}
    refused = public_client("zh-hans").get(reverse("records:statement_verify"), {"code": "SSS1" + "A" * 40},
                                           HTTP_ACCEPT="application/json")
    assert refused.status_code == 200 and refused.json()["valid"] is False
    assert refused.json()["reason"] == "unreadable" and refused.json()["message"] == "这不是记录单验证码，请检查是否输入完整。"
    assert AccessEvent.objects.filter(event_type="records.statement_refused", data__outcome="unreadable").count() == 1


def test_the_json_answer_is_rate_limited_too(issued, settings):
    _person, statement = issued
    settings.STATEMENT_VERIFY_PER_MINUTE = 1
    client = public_client()
    url = reverse("records:statement_verify")
    assert client.get(url, {"code": statement.code, "format": "json"}).status_code == 200
    limited = client.get(url, {"code": statement.code, "format": "json"})
    assert limited.status_code == 429 and limited.json()["reason"] == "rate_limited" and limited["Retry-After"]


def fresh_render(code: str, language: str) -> str:
    """The page rendered directly from the template, as the first pass did on every request (no cache)."""
    from django.conf import settings as django_settings
    from django.template import Context
    from django.template.loader import get_template
    from django.utils import translation

    from sscard.records.statements import selectors, views

    result = views._checked(rules.normalise_code(code), str(django_settings.STATEMENT_KEY_FILE),
                            str(django_settings.STATEMENT_EXTRA_KEYS_FILE or ""))
    context = {"code": code, "portal_name": django_settings.PORTAL_NAME, "elder_mode": False,
               "urls": views._page_urls(), "languages": views._language_links(code)}
    if isinstance(result, rules.Reason):
        context["error"] = views.REASONS[result]
    else:
        context.update(summary=result, totals=selectors.shown_totals(result))
    with translation.override(language):
        return get_template("records/statements/verify.html").template.render(Context(context, autoescape=True))


@pytest.mark.parametrize(("language", "code_of"), [
    ("zh-hans", lambda statement: statement.code),
    ("es", lambda statement: statement.code),
    ("en", lambda statement: "SSS1" + "A" * 40),  # a refusal is cached too
])
def test_the_cached_page_is_the_fresh_render(issued, language, code_of):
    _person, statement = issued
    code = code_of(statement)
    url = reverse("records:statement_verify")
    first, second = public_client(language), public_client(language)
    pages = [first.get(url, {"code": code}).content.decode(), second.get(url, {"code": code}).content.decode()]
    assert pages[0] == pages[1] == fresh_render(code, language)
    refusals = AccessEvent.objects.filter(event_type="records.statement_refused").count()
    assert refusals == (0 if code == statement.code else 2)  # a refused code is recorded on each request


def test_a_cached_page_is_not_served_once_a_new_key_file_is_set(issued, settings, tmp_path):
    _person, statement = issued
    assert "Genuine statement" in verify_page(statement.code).content.decode()  # now cached, in English ...
    assert "auténtico" in verify_page(statement.code, "es").content.decode()  # ... and in Spanish
    settings.STATEMENT_KEY_FILE = tmp_path / "rotated_key.pem"  # a new key is made there: the old code is unknown
    html = verify_page(statement.code).content.decode()
    assert "not signed by the agency" in html and "<dd>" not in html
    assert 'aria-invalid="true"' in verify_page(statement.code, "es").content.decode()


def test_what_a_visitor_types_is_escaped_in_the_page_and_its_links():
    typed = '"><script>alert(1)</script>'
    html = public_client().get(reverse("records:statement_verify"), {"code": typed}).content.decode()
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html
    assert 'href="?code=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;lang=es"' in html
