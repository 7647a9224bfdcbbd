"""The transit operators' API: bearer tokens (401 with a code for each refusal), the signed full and delta
lists, the published keys, `since` out of range, gzip, the per-operator rate limit, the token command."""

import gzip
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from sscard.audit.models import AuditEvent
from sscard.cards.models import HotListChange, TransitOperator
from sscard.cards.transit_operators import create_operator, issue_token, revoke_token
from sscard.domain import ecard
from sscard.domain import hotlist as fmt
from tests.cards.test_hotlist import card_in, move

pytestmark = pytest.mark.django_db

FULL, DELTA = "/api/transit/v1/hotlist/full", "/api/transit/v1/hotlist/delta"


@pytest.fixture
def operator(db):
    return create_operator(code="whbus", name="武汉公交", cities=["420100"])


@pytest.fixture
def api(operator):
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(operator=operator)}", HTTP_ACCEPT_LANGUAGE="en")


def published_keys(client):
    response = client.get("/.well-known/sscard-hotlist-keys.json")
    assert response.status_code == 200 and "max-age=300" in response["Cache-Control"]
    return ecard.keys_from_jwks(response.json())


def test_the_full_list_is_signed_with_a_published_key(api):
    lost = card_in()
    move(lost, "temporarily_lost", "online")
    response = api.get(FULL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == f"SSCARD-HOTLIST/1 FULL whbus 1 420100\n+{lost.card_number},{lost.chip_id}\n".encode()
    assert response["Sscard-Hotlist-Version"] == "1"
    keys = published_keys(Client())
    assert fmt.verify(response.content, response["Sscard-Signature"], keys) is None
    # One byte changed anywhere: the signature no longer verifies.
    for position in (0, len(response.content) // 2, len(response.content) - 2):
        forged = bytearray(response.content)
        forged[position] ^= 0x01
        assert fmt.verify(bytes(forged), response["Sscard-Signature"], keys) == "bad_signature"
    assert fmt.verify(response.content, response["Sscard-Signature"], {}) == "unknown_key"
    assert fmt.verify(response.content, "sig=nothing", keys) == "unreadable"


def test_the_delta_since_a_version_is_signed_too(api):
    first, second = card_in(), card_in()
    move(first, "temporarily_lost", "online")
    version = int(api.get(FULL)["Sscard-Hotlist-Version"])
    move(second, "temporarily_lost", "online")
    move(first, "active", "online")
    response = api.get(DELTA, {"since": version})
    assert response.status_code == 200
    assert response.content == (f"SSCARD-HOTLIST/1 DELTA whbus 1 3 420100\n+{second.card_number},{second.chip_id}\n"
                                 f"-{first.card_number},{first.chip_id}\n").encode()
    assert fmt.verify(response.content, response["Sscard-Signature"], published_keys(api)) is None


def test_a_since_in_the_future_or_too_old_asks_for_the_full_list(api):
    card = card_in()
    move(card, "temporarily_lost", "online")
    move(card, "active", "online")
    response = api.get(DELTA, {"since": 3})
    assert response.status_code == 409
    assert response.json() == {"code": "since_in_future", "probable_typo": False, "detail":
                               "This version of the hot list does not exist yet (the current version is 2). "
                               "Fetch the full list."}
    HotListChange.objects.filter(version=1).update(at=timezone.now() - timedelta(days=31))
    response = api.get(DELTA, {"since": 0})
    assert response.status_code == 410
    assert response.json()["code"] == "since_too_old"
    assert response.json()["detail"] == ("Changes since this version are no longer kept (the oldest version a "
                                         "delta starts from is 1). Fetch the full list.")
    assert api.get(DELTA, {"since": 1}).status_code == 200
    assert api.get(DELTA, {"since": -1}).status_code == 422
    assert api.get(DELTA).status_code == 422


def test_the_detail_is_in_the_request_language(api):
    response = api.get(DELTA, {"since": 5}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 409
    assert response.json()["detail"] == ("Esta versión de la lista de bloqueo aún no existe (la versión actual es 0). "
                                         "Descargue la lista completa.")
    response = api.get(FULL, HTTP_AUTHORIZATION="Bearer nonsense", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert response.json()["detail"] == "请在 Authorization 请求头中发送运营单位令牌：Bearer sht_...."


@pytest.mark.parametrize(("authorization", "code"), [
    (None, "token_missing"),
    ("Basic d2hidXM6c2VjcmV0", "token_missing"),
    ("Bearer not-a-token", "token_missing"),
    ("Bearer sht_000000000000." + "A" * 43, "token_invalid"),
])
def test_a_request_without_a_valid_token_is_refused(operator, authorization, code):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    for path in (FULL, DELTA + "?since=0"):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path, **headers)
        assert response.status_code == 401
        assert response.json()["code"] == code
        assert response["WWW-Authenticate"] == 'Bearer realm="sscard-transit"'
        assert "Sscard-Signature" not in response


def test_a_wrong_secret_a_revoked_token_and_an_inactive_operator_are_refused(operator):
    token = issue_token(operator=operator, label="depot 1")
    token_id = token[4:16]
    wrong = token[:-1] + ("B" if token[-1] != "B" else "C")

    def code(value):
        response = Client().get(FULL, HTTP_AUTHORIZATION=f"Bearer {value}")
        return response.status_code, response.json().get("code") if response.status_code != 200 else None

    assert code(token) == (200, None)
    assert code(wrong) == (401, "token_invalid")
    rotated = issue_token(operator=operator, label="depot 2")  # several tokens: rotation
    revoke_token(token_id=token_id)
    assert code(token) == (401, "token_revoked")
    assert code(rotated) == (200, None)
    TransitOperator.objects.filter(pk=operator.pk).update(active=False)
    assert code(rotated) == (401, "operator_inactive")
    assert set(AuditEvent.objects.filter(subject_type="transit_operator").values_list("event_type", flat=True)) == {
        "transit.operator_created", "transit.token_issued", "transit.token_revoked"}


def test_only_the_hash_of_the_secret_is_stored(operator):
    token = issue_token(operator=operator)
    stored = operator.tokens.get()
    assert token.startswith(f"sht_{stored.token_id}.") and len(token) == 4 + 12 + 1 + 43
    assert token.split(".")[1] not in stored.secret_sha256 and len(stored.secret_sha256) == 64


def test_a_large_list_is_gzipped_when_the_client_accepts_it(api):
    cards = [card_in() for _ in range(3)]
    for card in cards:
        move(card, "cancelled", "counter")
    with override_settings():
        from sscard.cards import hotlist_api
        small = hotlist_api.GZIP_FROM_BYTES
        hotlist_api.GZIP_FROM_BYTES = 10
        try:
            response = api.get(FULL, HTTP_ACCEPT_ENCODING="gzip, deflate")
        finally:
            hotlist_api.GZIP_FROM_BYTES = small
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    body = gzip.decompress(response.content)
    assert fmt.verify(body, response["Sscard-Signature"], published_keys(api)) is None
    assert len(fmt.parse(body).changes) == 3
    assert "Content-Encoding" not in api.get(FULL)  # not asked for


@override_settings(HOTLIST_REQUESTS_PER_MINUTE=2)
def test_each_operator_is_rate_limited(api, operator):
    assert [api.get(FULL).status_code for _ in range(2)] == [200, 200]
    response = api.get(DELTA, {"since": 0})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    other = create_operator(code="ycbus", name="宜昌公交", cities=["420500"])
    assert Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(operator=other)}").get(FULL).status_code == 200


def test_the_token_command_issues_lists_and_revokes(operator):
    out, err = io.StringIO(), io.StringIO()
    call_command("transit_token", "issue", "--operator", "whbus", "--label", "depot", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert "shown this once" in err.getvalue()
    assert Client().get(FULL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    out = io.StringIO()
    call_command("transit_token", "list", stdout=out)
    assert f"whbus\t{token.split('.')[0]}" in out.getvalue() and "active\tdepot" in out.getvalue()
    call_command("transit_token", "revoke", "--token-id", token[4:16], stdout=io.StringIO())
    assert Client().get(FULL, HTTP_AUTHORIZATION=f"Bearer {token}").json()["code"] == "token_revoked"


@pytest.mark.parametrize("debug, configured, warned", [(False, False, True), (False, True, False),
                                                        (True, False, False)])
def test_production_without_a_configured_hot_list_key_is_warned_about(settings, debug, configured, warned):
    from sscard.cards.checks import check_hotlist_key_configured

    settings.DEBUG = debug
    settings.HOTLIST_KEY_FILE_CONFIGURED = configured
    assert [w.id for w in check_hotlist_key_configured()] == (["cards.W002"] if warned else [])
