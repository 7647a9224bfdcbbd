from django.test import RequestFactory

from sscard.core.client import client_address


def request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_address(request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.5"


def test_behind_one_load_balancer_the_address_it_saw_is_used(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    # the client forged the first entry; the load balancer appended the address it really saw
    assert client_address(request(HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")) == "203.0.113.9"


def test_a_missing_or_short_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_address(request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.5"
    assert client_address(request()) == "10.0.0.5"
