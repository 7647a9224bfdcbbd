import pytest
from django.urls import reverse

from sscard.notify.models import OutboxSms
from sscard.notify.services import post_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(en_client, django_user_model):
    root = django_user_model.objects.create_superuser(username="root", password="x" * 12)
    en_client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    return en_client


def test_admin_lists_messages(admin_client, citizen):
    post_message(user=citizen, subject="Welcome aboard", body="b")
    response = admin_client.get(reverse("admin:notify_message_changelist"))
    assert response.status_code == 200 and b"Welcome aboard" in response.content


def test_admin_shows_the_outbox_read_only_with_masked_phones_in_the_list(admin_client):
    sms = OutboxSms.objects.create(phone="13812341234", text="code 482913", purpose="code:login",
                                   gateway_message_id="outbox-x")
    changelist = admin_client.get(reverse("admin:notify_outboxsms_changelist"))
    assert changelist.status_code == 200
    assert b"138****1234" in changelist.content and b"13812341234" not in changelist.content
    assert admin_client.get(reverse("admin:notify_outboxsms_add")).status_code == 403
    assert admin_client.post(reverse("admin:notify_outboxsms_delete", args=[sms.pk]),
                             {"post": "yes"}).status_code == 403
    detail = admin_client.get(reverse("admin:notify_outboxsms_change", args=[sms.pk]))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
