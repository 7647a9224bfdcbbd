"""Moving the reference data to the `reference` app keeps every table, row and foreign key (issue 10).

A database is brought back to the schema of commit 8434163 (before the move), filled through the models of
that schema with a row in every moved table and in every table pointing at one, then migrated to the latest
schema. Every row must still be there, with its values and its foreign keys. Runs on SQLite and PostgreSQL.
"""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The latest migration of each app at commit 8434163, and no `reference` app yet.
BEFORE = [
    ("applications", "0002_seed_wuhan_defaults"),
    ("casework", "0003_identity_correction"),
    ("cards", "0001_initial"),
    ("reference", None),
]
# Apps created after that commit, whose later migrations depend on the moved apps' later ones (records.0008 on
# reference.0012 and cards.0010, settlement.0001 on reference.0011): taken back to before their first migration,
# as they were at that commit.
BEFORE += [("records", None), ("settlement", None)]
MOVED_APPS = {label for label, _name in BEFORE}
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _executor():
    return MigrationExecutor(connection)


def _latest(executor):
    return executor.loader.graph.leaf_nodes()


def _before(executor):
    others = [node for node in _latest(executor) if node[0] not in MOVED_APPS]
    return others + BEFORE


def _fill_old_schema(apps) -> dict:
    """One row in every moved table and in every table pointing at them, through the old models."""
    User = apps.get_model("accounts", "User")
    ServiceSettings = apps.get_model("applications", "ServiceSettings")
    PartnerBank = apps.get_model("applications", "PartnerBank")
    Outlet = apps.get_model("applications", "Outlet")
    Holiday = apps.get_model("applications", "Holiday")
    Stage = apps.get_model("applications", "Stage")
    Application = apps.get_model("applications", "Application")
    Manufacturer = apps.get_model("casework", "Manufacturer")
    StaffArea = apps.get_model("casework", "StaffArea")
    BankExchange = apps.get_model("casework", "BankExchange")
    ProductionBatch = apps.get_model("casework", "ProductionBatch")
    IdentityCorrection = apps.get_model("casework", "IdentityCorrection")
    Card = apps.get_model("cards", "Card")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")

    citizen = User.objects.create(username="mig-citizen", id_number="360426199101010071", phone="13800001234")
    staff = User.objects.create(username="mig-staff", is_staff=True)
    ServiceSettings.objects.update_or_create(pk=1, defaults={"processing_days": 21, "transit_cities": "宜昌市"})
    bank = PartnerBank.objects.create(code="migbank", name="迁移测试银行", name_en="Migration Test Bank", order=7)
    outlet = Outlet.objects.create(name="迁移测试网点", name_en="Migration test outlet", city="武汉市",
                                   district_code="420106", address="武昌区测试路 1 号", hours="周一至周五 9:00–17:00",
                                   phone="12345", order=3)
    Holiday.objects.create(date=date(2030, 1, 1), name="测试假日", is_workday=False)
    Stage.objects.filter(code="posted").update(order=57, lead_days=4, notify_citizen=False, label="Mailed")
    maker = Manufacturer.objects.create(code="migmaker", name="Migration maker")
    maker.banks.add(bank)
    application = Application.objects.create(
        office_code="MIGR0000001", applicant=citizen, idempotency_key="6f1c3a52-0b7e-4c4e-9d55-7d9e2b1f3a10",
        subject_name="张三", subject_id_number="360426199101010071", subject_sex="M",
        subject_birth_date=date(1991, 1, 1), ethnicity="01", nationality="CHN", occupation="01",
        res_province="420000", res_city="420100", res_district="420106", res_detail="测试路 1 号",
        bank=bank, delivery="pickup", outlet=outlet, declared_at=AT, state="collected", submitted_at=AT,
        expected_completion=date(2026, 12, 30))
    area = StaffArea.objects.create(user=staff, kind="outlet", outlet=outlet)
    exchange = BankExchange.objects.create(number="BX-MIG-1", bank=bank, adapter="file", created_by=staff,
                                           created_at=AT, request_sha256="a" * 64)
    batch = ProductionBatch.objects.create(number="PB-MIG-1", manufacturer=maker, created_by=staff, created_at=AT,
                                           archive_sha256="b" * 64)
    correction = IdentityCorrection.objects.create(
        id_number="360426199101010071", wrong_account=citizen, real_name="张三", document_type="id_card",
        document_seen="居民身份证", phone="13800001234", outlet=outlet, proposed_by=staff, proposed_at=AT)
    card = Card.objects.create(application=application, holder=citizen, holder_id_number="360426199101010071",
                               card_number="MIG000001", chip_id="c" * 32, issue_date=date(2026, 12, 1),
                               expiry_date=date(2036, 12, 1), bank=bank, bank_account="6217000000000000001",
                               manufacturer="migmaker")
    # A group holding a permission on a moved model: it must still hold it after the move.
    bank_type, _created = ContentType.objects.get_or_create(app_label="applications", model="partnerbank")
    permission, _created = Permission.objects.get_or_create(content_type=bank_type, codename="change_partnerbank",
                                                            defaults={"name": "Can change partner bank"})
    group = Group.objects.create(name="mig:bank-editors")
    group.permissions.add(permission)
    return {"bank": bank.pk, "outlet": outlet.pk, "maker": maker.pk, "application": application.pk,
            "area": area.pk, "exchange": exchange.pk, "batch": batch.pk, "correction": correction.pk,
            "card": card.pk, "group": group.pk,
            "counts": {name: apps.get_model(app, name).objects.count() for app, name in (
                ("applications", "PartnerBank"), ("applications", "Outlet"), ("applications", "Holiday"),
                ("applications", "Stage"), ("applications", "ServiceSettings"), ("casework", "Manufacturer"))}}


def _rows_per_table() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_moving_the_reference_data_keeps_every_row_and_foreign_key():
    from tests.casework.conftest import reseed

    reseed()  # an earlier transactional test may have flushed the seeded configuration
    executor = _executor()
    executor.migrate(_before(executor))
    executor = _executor()  # reload what is applied
    old_apps = executor.loader.project_state([node for node in _before(executor) if node[1]]).apps
    ids = _fill_old_schema(old_apps)
    rows_before = _rows_per_table()

    executor.migrate(_latest(executor))
    executor = _executor()
    assert not executor.migration_plan(_latest(executor)), "the database is left fully migrated"
    # Every table of the old schema is still there with as many rows (the move changes no table; only the
    # record of applied migrations grows). Later migrations of the moved apps may seed new permissions and groups
    # (e.g. casework's confirm_cancellation, given to the supervisors; the records officer group of records.0002,
    # applied again): those tables may grow, never shrink.
    rows_after = _rows_per_table()
    rows_before.pop("django_migrations")
    seeded = ("auth_permission", "auth_group_permissions", "auth_group")
    for table in seeded:
        assert rows_after[table] >= rows_before.pop(table), f"{table} lost rows"
    assert {table: rows_after.get(table) for table in rows_before} == rows_before

    from django.contrib.auth.models import Group

    from sscard.applications.models import Application
    from sscard.cards.models import Card
    from sscard.casework.models import BankExchange, IdentityCorrection, ProductionBatch, StaffArea
    from sscard.reference.models import Holiday, Manufacturer, Outlet, PartnerBank, ServiceSettings, Stage

    counts = {"PartnerBank": PartnerBank.objects.count(), "Outlet": Outlet.objects.count(),
              "Holiday": Holiday.objects.count(), "Stage": Stage.objects.count(),
              "ServiceSettings": ServiceSettings.objects.count(), "Manufacturer": Manufacturer.objects.count()}
    assert counts == ids["counts"]
    # Seeded: 12 stages, 10 banks, 46 holidays + 6 make-up days (2026-2027); plus the rows added above.
    assert (counts["Stage"], counts["PartnerBank"], counts["Outlet"], counts["Holiday"]) == (12, 11, 6, 53)

    bank = PartnerBank.objects.get(pk=ids["bank"])
    assert (bank.code, bank.name_zh_hans, bank.order) == ("migbank", "迁移测试银行", 7)
    outlet = Outlet.objects.get(pk=ids["outlet"])
    assert (outlet.name_zh_hans, outlet.city, outlet.district_code, outlet.address_zh_hans, outlet.phone,
            outlet.order) == (
        "迁移测试网点", "武汉市", "420106", "武昌区测试路 1 号", "12345", 3)
    # The names, addresses and hours became translatable: the Chinese text and the old English name are kept.
    assert (bank.name_zh_hans, bank.name_en) == ("迁移测试银行", "Migration Test Bank")
    assert (outlet.name_zh_hans, outlet.name_en, outlet.address_zh_hans, outlet.hours_zh_hans) == (
        "迁移测试网点", "Migration test outlet", "武昌区测试路 1 号", "周一至周五 9:00–17:00")
    assert outlet.hours_en == "Monday to Friday 9:00–17:00"  # the seeded opening hours are translated
    assert Holiday.objects.get(date=date(2030, 1, 1)).name == "测试假日"
    posted = Stage.objects.get(code="posted")
    assert (posted.order, posted.plain_stage, posted.lead_days, posted.notify_citizen) == (57, "ready", 4, False)
    settings_row = ServiceSettings.load()
    assert (settings_row.processing_days, settings_row.transit_cities) == (21, "宜昌市")
    maker = Manufacturer.objects.get(pk=ids["maker"])
    assert maker.code == "migmaker" and list(maker.banks.values_list("code", flat=True)) == ["migbank"]

    application = Application.objects.select_related("bank", "outlet").get(pk=ids["application"])
    assert (application.bank.code, application.outlet.name_zh_hans) == ("migbank", "迁移测试网点")
    assert StaffArea.objects.get(pk=ids["area"]).outlet.pk == ids["outlet"]
    assert BankExchange.objects.get(pk=ids["exchange"]).bank.code == "migbank"
    assert ProductionBatch.objects.get(pk=ids["batch"]).manufacturer.code == "migmaker"
    assert IdentityCorrection.objects.get(pk=ids["correction"]).outlet.pk == ids["outlet"]
    assert Card.objects.get(pk=ids["card"]).bank.code == "migbank"

    held = Group.objects.get(pk=ids["group"]).permissions.get()
    assert (held.content_type.app_label, held.content_type.model, held.codename) == (
        "reference", "partnerbank", "change_partnerbank")
    # The protected foreign keys still hold in the database: a bank in use cannot be deleted.
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        bank.delete()
