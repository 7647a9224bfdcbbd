import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sscard.notify.models import Message, OutboxSms
from sscard.notify.selectors import unread_count
from sscard.notify.services import mark_all_read, post_message

pytestmark = pytest.mark.django_db


def post_many(user, n: int) -> list[Message]:
    """`n` messages, the first one oldest."""
    now = timezone.now()
    made = []
    for i in range(n):
        message = post_message(user=user, subject=f"Notice {i:02d}", body=f"Body {i}")
        Message.objects.filter(pk=message.pk).update(created_at=now - timedelta(minutes=n - i))
        made.append(message)
    return made


def assert_csp_clean(html: str) -> None:
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


# --- services and selectors ------------------------------------------------------------------------------


def test_post_message_puts_an_unread_message_in_the_users_inbox(citizen):
    message = post_message(user=citizen, subject="Welcome", body="Hello", link="/card/")
    assert (message.user, message.subject, message.body, message.link, message.read_at) == (
        citizen, "Welcome", "Hello", "/card/", None)
    assert unread_count(citizen) == 1


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "card/"])
def test_a_message_link_must_be_a_path_on_this_site(citizen, link):
    with pytest.raises(ValueError):
        post_message(user=citizen, subject="s", body="b", link=link)


def test_unread_count_counts_only_the_users_own_unread_messages(citizen, other_citizen):
    post_many(citizen, 3)
    post_many(other_citizen, 2)
    assert unread_count(citizen) == 3
    assert mark_all_read(user=citizen) == 3
    assert unread_count(citizen) == 0
    assert unread_count(other_citizen) == 2


def test_unread_count_of_an_anonymous_visitor_is_zero():
    from django.contrib.auth.models import AnonymousUser

    assert unread_count(AnonymousUser()) == 0


# --- pages -------------------------------------------------------------------------------------------------


def test_my_messages_needs_a_login(en_client):
    for url in (reverse("notify:inbox"), reverse("notify:detail", args=[1])):
        response = en_client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    response = en_client.post(reverse("notify:mark_all_read"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_inbox_lists_only_my_messages_newest_first_with_unread_marked(citizen_client, citizen, other_citizen):
    old, new = post_many(citizen, 2)
    Message.objects.filter(pk=old.pk).update(read_at=timezone.now())
    post_message(user=other_citizen, subject="Someone else's notice", body="private")

    response = citizen_client.get(reverse("notify:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>My messages</h1>" in html
    assert "Someone else" not in html
    assert html.index("Notice 01") < html.index("Notice 00")
    assert f'<strong><a href="{reverse("notify:detail", args=[new.pk])}">Notice 01</a></strong>' in html
    assert f'<a href="{reverse("notify:detail", args=[old.pk])}">Notice 00</a></td>' in html
    assert html.count('<span class="badge">Unread</span>') == 1
    assert "You have 1 unread message." in html
    assert '<th scope="col">Subject</th>' in html
    assert_csp_clean(html)


def test_inbox_is_paginated_by_20(citizen_client, citizen):
    post_many(citizen, 25)
    first = citizen_client.get(reverse("notify:inbox")).content.decode()
    second = citizen_client.get(reverse("notify:inbox"), {"page": 2}).content.decode()

    assert first.count("<tr class=") == 20 and "Notice 24" in first and "Notice 05" in first
    assert "Notice 04" not in first and 'href="?page=2"' in first
    assert second.count("<tr class=") == 5 and "Notice 04" in second and "Notice 00" in second
    assert 'href="?page=1"' in second


def test_an_empty_inbox_says_so(citizen_client):
    html = citizen_client.get(reverse("notify:inbox")).content.decode()
    assert "You have no messages yet." in html and "Mark all as read" not in html


def test_opening_a_message_shows_it_and_marks_it_read(citizen_client, citizen):
    message = post_message(user=citizen, subject="Your card is ready", body="Line one\nLine two",
                           link="/card/")
    response = citizen_client.get(reverse("notify:detail", args=[message.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 id="message-title">Your card is ready</h1>' in html
    assert "Line one<br>Line two" in html
    assert 'href="/card/"' in html
    assert_csp_clean(html)
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None and unread_count(citizen) == 0

    citizen_client.get(reverse("notify:detail", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at == first_read  # the first reading time is kept


def test_another_users_message_is_not_found(citizen_client, other_citizen):
    theirs = post_message(user=other_citizen, subject="Private", body="not for you")
    response = citizen_client.get(reverse("notify:detail", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_my_messages(citizen_client, citizen, other_citizen):
    post_many(citizen, 3)
    post_many(other_citizen, 1)
    response = citizen_client.post(reverse("notify:mark_all_read"), follow=True)

    assert response.redirect_chain == [(reverse("notify:inbox"), 302)]
    assert "3 messages marked as read." in response.content.decode()
    assert unread_count(citizen) == 0 and unread_count(other_citizen) == 1


def test_mark_all_read_is_post_only(citizen_client, citizen):
    post_many(citizen, 1)
    assert citizen_client.get(reverse("notify:mark_all_read")).status_code == 405
    assert unread_count(citizen) == 1


def test_message_text_is_escaped(citizen_client, citizen):
    message = post_message(user=citizen, subject="<b>bold</b>", body="<script>alert(1)</script>")
    html = citizen_client.get(reverse("notify:detail", args=[message.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


# --- the development outbox ---------------------------------------------------------------------------------


def test_dev_outbox_is_not_found_without_debug(en_client, settings):
    settings.DEBUG = False
    OutboxSms.objects.create(phone="13812341234", text="Your code is 482913", purpose="code:login",
                             gateway_message_id="outbox-1")
    response = en_client.get("/dev/outbox")
    assert response.status_code == 404
    assert b"482913" not in response.content


def test_dev_outbox_lists_the_latest_50_sms_with_debug(en_client, settings):
    settings.DEBUG = True
    now = timezone.now()
    for i in range(55):
        sms = OutboxSms.objects.create(phone="13812341234", text=f"Your code is {i:06d}", purpose="code:login",
                                       gateway_message_id=f"outbox-{i}")
        OutboxSms.objects.filter(pk=sms.pk).update(created_at=now - timedelta(minutes=55 - i))

    response = en_client.get("/dev/outbox")
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("notify_dev:outbox") == "/dev/outbox"
    assert "<h1>Development SMS outbox</h1>" in html
    assert html.count("<tr>") == 51  # header row + 50
    assert "Your code is 000054" in html and "Your code is 000005" in html
    assert "Your code is 000004" not in html
    assert html.index("000054") < html.index("000053")
    assert "13812341234" in html and "code:login" in html
    assert_csp_clean(html)
