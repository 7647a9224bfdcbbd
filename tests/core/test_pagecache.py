"""A page served whole from the cache (sscard/core/pagecache.py): rendered once per key, a message shown once and
never stored, the key following the language and the path."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.utils import translation

from sscard.core.pagecache import render_cached
from tests.records.conftest import new_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(rf):
    cache.clear()
    user = new_citizen("何六")
    session = SessionStore()
    built = []

    def context():
        built.append(1)
        return {}

    def visit(path="/somewhere/", *, message="", version="v1"):
        request = rf.get(path)
        request.user, request.session = user, session
        request._messages = FallbackStorage(request)
        if message:
            messages.info(request, message)
        return render_cached(request, "web/base.html", version=version, context=context).content.decode()

    visit.built = built
    return visit


def test_a_page_is_rendered_once_per_key(visit):
    first, second = visit(), visit()
    assert len(visit.built) == 1 and first.count('name="csrfmiddlewaretoken"') == 3
    assert first != second  # each answer has its own masked token
    assert visit(version="v2") and len(visit.built) == 2  # a new version: rendered again
    assert visit("/somewhere/?year=2025") and len(visit.built) == 3  # the path with its query is in the key
    with translation.override("es"):
        assert 'lang="es"' in visit()
    assert len(visit.built) == 4  # the language is in the key
    assert 'lang="en"' in visit() and len(visit.built) == 4


def test_a_message_is_shown_once_and_never_stored(visit):
    visit()
    assert "Your objection was sent" in visit(message="Your objection was sent")
    assert "Your objection was sent" not in visit()
    assert len(visit.built) == 2  # the page with the message was rendered for that answer only
