"""/metrics exposes Prometheus text: the request latency histogram, task counters, queue depths."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

TOKEN = "s3cret-token"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture(autouse=True)
def _metrics_token(settings):
    """Production serves /metrics only with its token (without one it fails closed: see the tests below)."""
    settings.METRICS_TOKEN = TOKEN


def _bucket_count(text: str, view: str, status: str) -> float:
    pattern = (r'^sscard_http_request_duration_seconds_count\{[^}]*method="GET"[^}]*status="' + re.escape(status)
               + r'"[^}]*view="' + re.escape(view) + r'"[^}]*\} ([0-9.e+]+)$')
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def test_a_request_shows_up_in_the_latency_histogram(client):
    before = _bucket_count(client.get("/metrics", **AUTH).content.decode(), "web:healthz", "2xx")
    client.get("/healthz")
    text = client.get("/metrics", **AUTH).content.decode()
    assert _bucket_count(text, "web:healthz", "2xx") == before + 1
    assert "# TYPE sscard_http_request_duration_seconds histogram" in text
    assert re.search(r'sscard_http_request_duration_seconds_bucket\{le="0.05",[^}]*view="web:healthz"', text)


def test_unknown_paths_share_one_label(client):
    client.get("/no/such/page/13800138000")
    text = client.get("/metrics", **AUTH).content.decode()
    assert 'view="unmatched"' in text
    assert "13800138000" not in text


def test_metrics_content_type_is_prometheus_text(client):
    response = client.get("/metrics", **AUTH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")


def test_task_failure_counter_and_queue_gauge_are_exposed(client):
    text = client.get("/metrics", **AUTH).content.decode()
    assert "# TYPE sscard_celery_task_failures_total counter" in text
    assert "# TYPE sscard_celery_queue_depth gauge" in text


def test_the_token_is_required_when_configured(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    assert b"sscard_http_request_duration_seconds" in response.content


def test_the_request_id_is_returned_and_a_well_formed_incoming_one_is_kept(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-req-12345678")["X-Request-ID"] == "proxy-req-12345678"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"] != "bad id\nwith newline"


@pytest.mark.parametrize(("debug", "token", "headers", "expected_status", "metrics_shown"), [
    # production (debug off) without a token: fails closed, as if the URL did not exist
    (False, "", {}, 404, False),
    (False, "", {"HTTP_AUTHORIZATION": "Bearer "}, 404, False),
    (False, "", {"HTTP_AUTHORIZATION": "Bearer anything"}, 404, False),
    # production with a token: only with the token
    (False, "s3cret-token", {}, 401, False),
    (False, "s3cret-token", {"HTTP_AUTHORIZATION": "Bearer s3cret-token"}, 200, True),
    # development (`make run`, debug on) without a token: open
    (True, "", {}, 200, True),
    # development with a token: the token is still required
    (True, "s3cret-token", {}, 401, False),
])
def test_metrics_fail_closed_without_a_token_in_production(client, debug, token, headers, expected_status,
                                                           metrics_shown):
    with override_settings(DEBUG=debug, METRICS_TOKEN=token):
        response = client.get("/metrics", **headers)
    assert response.status_code == expected_status
    assert (b"sscard_http_request_duration_seconds" in response.content) is metrics_shown


def test_the_counters_of_the_lower_apps_are_served_here(client):
    """accounts and notify count into `sscard.core.metrics` (they may not import ops); /metrics serves those
    counters under their names and labels."""
    from sscard.core import metrics as core_metrics

    def sample(text: str, line_start: str) -> float:
        match = re.search("^" + re.escape(line_start) + r" ([0-9.e+]+)$", text, re.MULTILINE)
        return float(match.group(1)) if match else 0.0

    limit_line = 'sscard_limit_trips_total{scope="test_scope"}'
    task_line = 'sscard_celery_task_failures_total{task="test.task"}'
    text = client.get("/metrics", **AUTH).content.decode()
    before = sample(text, limit_line), sample(text, task_line)
    core_metrics.LIMIT_TRIPS.labels(scope="test_scope").inc()
    core_metrics.TASK_FAILURES.labels(task="test.task").inc(2)
    text = client.get("/metrics", **AUTH).content.decode()
    assert (sample(text, limit_line), sample(text, task_line)) == (before[0] + 1, before[1] + 2)
    assert "# TYPE sscard_limit_trips_total counter" in text
