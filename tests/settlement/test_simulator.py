"""`manage.py simulate_hospital` drives the API as a hospital would; its book reconciles with ours."""

import json
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command

from sscard.settlement import services
from sscard.settlement.keys import issue_key
from sscard.settlement.models import Voucher

from .conftest import insured


def test_simulated_hospital_settles_cancels_and_reconciles(hospital, monkeypatch, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    key_id, secret = issue_key(institution=hospital, actor=None)
    cards = [insured(balance_fen=5_000)[0] for _ in range(2)]
    lost = insured(state="formally_lost")[0]
    monkeypatch.setattr(services, "today", lambda: date.today() + timedelta(days=1))
    out = StringIO()
    call_command("simulate_hospital", institution=hospital.code, key_id=key_id, secret=secret,
                 card=[f"{c.card_number}:{c.chip_id}" for c in (*cards, lost)], visits=2, cancel_every=2,
                 reconcile=date.today().isoformat(), stdout=out)
    summary = json.loads(out.getvalue())
    # 6 visits (card 1, card 2, lost card, twice): the lost card's 2 refused at card reading; 4 settled; every
    # 2nd visit's settlement cancelled: visits 2 and 4 (visit 6 is the lost card's, nothing settled).
    assert summary["visits"] == 6
    assert summary["refusals"] == {"card_not_active": 2}
    assert summary["book"]["settlements"] == 4 and summary["book"]["cancellations"] == 2
    assert Voucher.objects.filter(kind="settle").count() == 4 and Voucher.objects.filter(kind="cancel").count() == 2
    assert summary["reconciliation"]["totals"]["matches"] is True
    assert summary["reconciliation"]["detail"]["matches"] is True
    assert summary["reconciliation"]["detail"]["ours"] == 6


def test_settlement_key_command_issues_lists_and_revokes(hospital):
    import pytest
    from django.core.management.base import CommandError

    from sscard.audit.models import AuditEvent

    out = StringIO()
    call_command("settlement_key", "issue", hospital.code, stdout=out)
    key_id = out.getvalue().split("key id: ")[1].split()[0]
    secret = out.getvalue().split("secret: ")[1].strip()
    listed = StringIO()
    call_command("settlement_key", "list", hospital.code, stdout=listed)
    assert key_id in listed.getvalue() and "active" in listed.getvalue() and secret not in listed.getvalue()
    call_command("settlement_key", "issue", hospital.code, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("settlement_key", "issue", hospital.code, stdout=StringIO())  # two active already
    call_command("settlement_key", "revoke", key_id, stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("settlement_key", "revoke", key_id, stdout=StringIO())
    assert AuditEvent.objects.filter(event_type="settlement.key_issued").count() == 2
    assert AuditEvent.objects.filter(event_type="settlement.key_revoked").count() == 1
