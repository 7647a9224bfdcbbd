"""Seed the service configuration with the Wuhan defaults (domain brief): settings, stages, partner banks,
outlets and the 2026–2027 holiday calendar. Administrators edit all of it in the admin afterwards."""

from datetime import date, timedelta

from django.db import migrations

BANKS = [
    ("boc", "中国银行", "Bank of China"),
    ("psbc", "中国邮政储蓄银行", "Postal Savings Bank of China"),
    ("icbc", "中国工商银行", "Industrial and Commercial Bank of China"),
    ("bocom", "交通银行", "Bank of Communications"),
    ("abc", "中国农业银行", "Agricultural Bank of China"),
    ("hankou", "汉口银行", "Hankou Bank"),
    ("ccb", "中国建设银行", "China Construction Bank"),
    ("whrcb", "武汉农村商业银行", "Wuhan Rural Commercial Bank"),
    ("cmb", "招商银行", "China Merchants Bank"),
    ("hubei", "湖北银行", "Hubei Bank"),
]

# Outlets: the district government service centres' card counters. Addresses are indicative; the
# administrators keep them current.
OUTLETS = [
    ("武汉市民之家社保卡服务窗口", "Wuhan Citizens' Home social security card counter", "420112",
     "武汉市东西湖区金银湖路 武汉市民之家", "周一至周五 9:00–17:00", "12345"),
    ("江岸区政务服务中心社保卡窗口", "Jiang'an District service centre card counter", "420102",
     "武汉市江岸区政务服务中心", "周一至周五 9:00–17:00", "12345"),
    ("武昌区政务服务中心社保卡窗口", "Wuchang District service centre card counter", "420106",
     "武汉市武昌区政务服务中心", "周一至周五 9:00–17:00，周六 9:00–12:00", "12345"),
    ("洪山区政务服务中心社保卡窗口", "Hongshan District service centre card counter", "420111",
     "武汉市洪山区政务服务中心", "周一至周五 9:00–17:00", "12345"),
    ("东湖高新区政务服务中心社保卡窗口", "East Lake High-tech Zone service centre card counter", "420111",
     "武汉市东湖新技术开发区政务服务中心", "周一至周五 9:00–17:00", "12345"),
]


def _span(first, days):
    return [first + timedelta(days=i) for i in range(days)]


# 2026: State Council arrangement (国办发明电〔2025〕7号). Make-up working days are weekends.
HOLIDAYS_2026 = (
    [(d, "元旦 New Year's Day") for d in _span(date(2026, 1, 1), 3)]
    + [(d, "春节 Spring Festival") for d in _span(date(2026, 2, 15), 9)]
    + [(d, "清明节 Qingming Festival") for d in _span(date(2026, 4, 4), 3)]
    + [(d, "劳动节 Labour Day") for d in _span(date(2026, 5, 1), 5)]
    + [(d, "端午节 Dragon Boat Festival") for d in _span(date(2026, 6, 19), 3)]
    + [(d, "中秋节 Mid-Autumn Festival") for d in _span(date(2026, 9, 25), 3)]
    + [(d, "国庆节 National Day") for d in _span(date(2026, 10, 1), 7)]
)
WORKDAYS_2026 = [
    (date(2026, 1, 4), "元旦调休上班 make-up working day"),
    (date(2026, 2, 14), "春节调休上班 make-up working day"),
    (date(2026, 2, 28), "春节调休上班 make-up working day"),
    (date(2026, 5, 9), "劳动节调休上班 make-up working day"),
    (date(2026, 9, 20), "国庆节调休上班 make-up working day"),
    (date(2026, 10, 10), "国庆节调休上班 make-up working day"),
]
# 2027: the statutory holiday days only (provisional). Replace with the State Council's arrangement,
# including its make-up working days, once it is published.
PROVISIONAL = "（法定假日，待国务院安排公布后更新 provisional）"
HOLIDAYS_2027 = (
    [(date(2027, 1, 1), "元旦 New Year's Day" + PROVISIONAL)]
    + [(d, "春节 Spring Festival" + PROVISIONAL) for d in _span(date(2027, 2, 5), 4)]
    + [(date(2027, 4, 5), "清明节 Qingming Festival" + PROVISIONAL)]
    + [(d, "劳动节 Labour Day" + PROVISIONAL) for d in _span(date(2027, 5, 1), 2)]
    + [(date(2027, 6, 9), "端午节 Dragon Boat Festival" + PROVISIONAL)]
    + [(date(2027, 9, 15), "中秋节 Mid-Autumn Festival" + PROVISIONAL)]
    + [(d, "国庆节 National Day" + PROVISIONAL) for d in _span(date(2027, 10, 1), 3)]
)

STAGES = [
    # code, order, label, plain stage, lead days, notify citizen (see sscard/domain/casestates.py)
    ("submitted", 10, "Submitted", "submitted", 1, True),
    ("under_review", 20, "Under review", "in_review", 3, False),
    ("returned", 25, "Returned for correction", "action_needed", 0, True),
    ("resubmitted", 27, "Resubmitted", "in_review", 3, False),
    ("bank_preopening", 30, "Bank account pre-opening", "in_review", 5, True),  # on since issue 11 (reference 0004)
    ("bank_failed", 35, "Bank check failed", "action_needed", 0, True),
    ("in_production", 40, "In production", "in_production", 15, True),
    ("ready_for_pickup", 50, "Ready for pick-up", "ready", 0, True),
    ("posted", 55, "Posted", "ready", 5, True),
    ("collected", 60, "Collected", "completed", 0, False),
    ("rejected", 90, "Rejected", "closed", 0, True),
    ("withdrawn", 95, "Withdrawn", "closed", 0, True),
]


def _model(apps, name):
    """The model in this migration's state (`applications`), or where it lives now (`reference`, since
    issue 10) when the tests re-seed a flushed database with the current models."""
    try:
        return apps.get_model("applications", name)
    except LookupError:
        return apps.get_model("reference", name)


def seed(apps, schema_editor):
    ServiceSettings = _model(apps, "ServiceSettings")
    PartnerBank = _model(apps, "PartnerBank")
    Outlet = _model(apps, "Outlet")
    Holiday = _model(apps, "Holiday")
    Stage = _model(apps, "Stage")
    has_label = any(field.name == "label" for field in Stage._meta.get_fields())

    ServiceSettings.objects.get_or_create(pk=1, defaults={"transit_cities": "武汉市 Wuhan"})
    for order, (code, name, name_en) in enumerate(BANKS, start=1):
        PartnerBank.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order * 10})
    for order, (name, name_en, district, address, hours, phone) in enumerate(OUTLETS, start=1):
        Outlet.objects.get_or_create(name=name, defaults={
            "name_en": name_en, "city": "武汉市", "district_code": district, "address": address, "hours": hours,
            "phone": phone, "order": order * 10})
    for day, name in HOLIDAYS_2026 + HOLIDAYS_2027:
        Holiday.objects.get_or_create(date=day, defaults={"name": name, "is_workday": False})
    for day, name in WORKDAYS_2026:
        Holiday.objects.get_or_create(date=day, defaults={"name": name, "is_workday": True})
    for code, order, label, plain, lead, notify in STAGES:
        defaults = {"order": order, "plain_stage": plain, "lead_days": lead, "notify_citizen": notify}
        if has_label:  # dropped in reference 0002
            defaults["label"] = label
        Stage.objects.get_or_create(code=code, defaults=defaults)


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
