"""Retention (art. 74; 2011 Measures): personal registration and account records are kept 100 years, card
records 50 years, employer registration permanently. The classes are data (`sscard.domain.retention.MODELS`);
this test walks that table and checks that no code path deletes those rows:

(a) the admin offers no delete; (b) every foreign key to them is PROTECT; (c) the database refuses DELETE on their
tables (a trigger, migrations records.0003 and 0008, PostgreSQL and SQLite); (d) no `.delete()` in the code is
called on them (every `.delete()` call site of the code is listed here, reviewed, and none names these models).
"""

import ast
import pathlib
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import DatabaseError, connection, models, transaction
from django.test import RequestFactory

from sscard.domain import retention

from .conftest import approved_employer, new_citizen

pytestmark = pytest.mark.django_db
ROOT = pathlib.Path(__file__).resolve().parents[2] / "sscard"

# Every `.delete()` in the code (outside migrations), by file and the receiver's source: reviewed, none of them
# can reach a model of a retention class. A new call site makes this test fail until it is reviewed and listed.
REVIEWED_DELETES = {
    ("casework/services/staff.py", "user.staff_areas.all()"),  # staff areas (casework.StaffArea)
    ("cards/hotlist.py", "HotListEntry.objects.filter(card_number=card.card_number)"),  # the transit hot list
    ("accounts/services_population.py", "PopulationRecord.objects.exclude(id_number__in=list(records))"),
    ("applications/services.py", "draft"),  # an application's draft (applications.ApplicationDraft)
    ("applications/services.py", "drafts"),
    # Files and cache keys, not rows: photo files (`applications.photos.delete`, storage) and a cache entry.
    ("applications/retention.py", "photos"),
    ("applications/services.py", "photos"),
    ("cards/replacement.py", "photos"),
    ("applications/photos.py", "default_storage"),
    ("ops/views.py", "cache"),
}


def retention_models():
    return [(label, apps.get_model(label), kept) for label, kept in retention.MODELS.items()]


def test_the_table_names_the_three_classes_of_the_law():
    assert {(c.code, c.years) for c in retention.CLASSES} == {("personal_100y", 100), ("card_50y", 50),
                                                            ("permanent", None)}
    assert retention.MODELS["records.Employer"].years is None
    assert retention.MODELS["records.LedgerEntry"].years == 100
    assert retention.MODELS["cards.Card"].years == 50


@pytest.mark.parametrize("label", sorted(retention.MODELS))
def test_the_admin_offers_no_delete(label, admin_user):
    model = apps.get_model(label)
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return  # not in the admin at all: nothing to delete there
    request = RequestFactory().get("/admin/")
    request.user = admin_user  # even a superuser
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.has_delete_permission(request, model())


@pytest.mark.parametrize("label", sorted(retention.MODELS))
def test_every_foreign_key_to_them_protects(label):
    model = apps.get_model(label)
    unprotected = [f"{rel.related_model._meta.label}.{rel.field.name}" for rel in model._meta.related_objects
                   if rel.on_delete is not models.PROTECT]
    assert unprotected == []


def _delete_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE NOT t.tgisinternal AND t.tgtype & 8 = 8")  # 8: a DELETE trigger
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%BEFORE DELETE%'")
        return {row[0] for row in cursor.fetchall()}


def test_the_database_refuses_delete_on_their_tables():
    guarded = _delete_triggers()
    missing = [m._meta.db_table for _label, m, _kept in retention_models() if m._meta.db_table not in guarded]
    assert missing == []


def test_a_delete_sent_to_the_database_is_refused():
    employer = approved_employer(new_citizen())
    for table, pk in (("records_employer", employer.pk),
                      ("records_employermembership", employer.memberships.get().pk)):
        with pytest.raises(DatabaseError, match="DELETE refused"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
    assert type(employer).objects.filter(pk=employer.pk).exists()


def _delete_calls():
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("delete", "_raw_delete")):
                yield str(path.relative_to(ROOT)), ast.get_source_segment(source, node.func.value)


def test_no_code_deletes_them():
    calls = set(_delete_calls())
    assert calls == REVIEWED_DELETES
    names = {label.split(".")[1] for label in retention.MODELS}
    for _path, receiver in calls:
        assert not any(re.search(rf"\b{name}\b", receiver) for name in names)
    tables = {apps.get_model(label)._meta.db_table for label in retention.MODELS}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8").lower()
        assert not any(f"delete from {table}" in text or f"truncate {table}" in text for table in tables), path


def test_the_docs_list_the_same_models_and_classes():
    text = (ROOT.parent / "docs" / "records.md").read_text(encoding="utf-8")
    section = text.split("## Retention", 1)[1].split("\n## ", 1)[0]
    listed = {m.group(1): m.group(2) for m in re.finditer(r"^\| `([\w.]+)` \| (\w+) \|", section, re.M)}
    assert listed == {label: kept.code for label, kept in retention.MODELS.items()}
