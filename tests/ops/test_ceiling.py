"""The benchmark ceiling view exists only when SSCARD_BENCH=1."""

from django.test import override_settings


def test_ceiling_is_a_404_without_bench_mode(client):
    assert client.get("/bench/ceiling").status_code == 404


@override_settings(BENCH_ENDPOINTS=True)
def test_ceiling_answers_tiny_json_in_bench_mode(client):
    response = client.get("/bench/ceiling")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    # it went through the whole middleware stack
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response
    assert "X-Request-ID" in response
