import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import PROTECT
from django.urls import reverse

from sscard.audit.models import AuditEvent, AuditLogImmutable
from sscard.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_saved_again_or_deleted():
    event = record_event(event_type="test.x")
    event.event_type = "test.changed"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.save(update_fields=["event_type"])
    with pytest.raises(AuditLogImmutable):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).event_type == "test.x"


def test_querysets_refuse_bulk_updates_and_deletes():
    record_event(event_type="test.x")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(event_type="test.x").update(event_type="test.changed")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.bulk_create([AuditEvent(seq=99)])
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET event_type = 'test.changed'",
    "DELETE FROM audit_auditevent",
])
def test_the_database_itself_refuses_updates_and_deletes(statement):
    record_event(event_type="test.x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert list(AuditEvent.objects.values_list("event_type", flat=True)) == ["test.x"]


def test_the_actor_of_an_event_is_protected_from_deletion():
    # Deleting a user who acted would orphan the log's references.
    assert AuditEvent._meta.get_field("actor").remote_field.on_delete is PROTECT


def test_admin_shows_events_read_only(client):
    admin = get_user_model().objects.create_superuser(username="root", password="x" * 12)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    event = record_event(event_type="test.visible", actor=admin)

    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200 and b"test.visible" in changelist.content
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_change", args=[event.pk]),
                       {"event_type": "test.changed"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).event_type == "test.visible"


def test_admin_shows_the_access_log_read_only(client):
    from sscard.audit.models import AccessEvent
    from sscard.audit.services import record_access

    admin = get_user_model().objects.create_superuser(username="root", password="x" * 12)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    record_access(event_type="test.lookup", subject_type="card_application", subject_id="K7QMX3P9C4R")
    event = AccessEvent.objects.get()

    changelist = client.get(reverse("admin:audit_accessevent_changelist"))
    assert changelist.status_code == 200 and b"K7QMX3P9C4R" in changelist.content
    detail = client.get(reverse("admin:audit_accessevent_change", args=[event.pk]))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert client.get(reverse("admin:audit_accessevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_accessevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AccessEvent.objects.count() == 1
