"""The reconciliation detail (3202) of a busy day is larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE: that path
alone reads up to SETTLEMENT_DETAIL_MAX_BYTES (sscard/settlement/middleware.py); every other path keeps Django's
limit."""

import json
from datetime import date, timedelta

from django.conf import settings

from sscard.settlement import services

from .conftest import insured


def _lines(count: int) -> list[dict]:
    return [{"setl_id": f"X{n:012d}", "medfee_sumamt": 12_000, "fund_pay_sumamt": 5_500, "acct_pay": 2_000,
             "psn_cash_pay": 4_500} for n in range(count)]


def test_a_detail_above_the_upload_limit_is_reconciled(his, monkeypatch):
    card, identity = insured(balance_fen=10_000)
    settled = his.settle(identity, med_type="outpatient", total=12_000, eligible=10_000)[1]
    today = date.today()
    monkeypatch.setattr(services, "today", lambda: today + timedelta(days=1))
    lines = _lines(40_000)
    body = json.dumps({"stmt_date": today.isoformat(), "lines": lines}).encode()
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # 2.5 MB: Django alone would refuse it
    status, answer = his.detail(today.isoformat(), lines)
    assert status == 200, answer
    kinds = {}
    for mismatch in answer["mismatches"]:
        kinds[mismatch["kind"]] = kinds.get(mismatch["kind"], 0) + 1
    # the 40,000 lines are not ours; our one settlement is not in theirs
    assert kinds == {"missing_here": 40_000, "missing_there": 1}
    assert {m["setl_id"] for m in answer["mismatches"] if m["kind"] == "missing_there"} == {settled["setl_id"]}


def test_a_detail_above_the_path_limit_is_refused_unread(his, settings):
    settings.SETTLEMENT_DETAIL_MAX_BYTES = 10_000
    status, answer = his.detail((date.today() - timedelta(days=1)).isoformat(), _lines(200))
    assert (status, answer["code"]) == (413, "too_large")


def test_other_paths_keep_djangos_limit(his, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    status, answer = his.totals((date.today() - timedelta(days=1)).isoformat(),
                                {"settlements": 0, "cancellations": 0, "medfee_sumamt": 0, "fund_pay_sumamt": 0,
                                 "acct_pay": 0, "psn_cash_pay": 0, "padding": "x" * 2_000})
    # Django's RequestDataTooBig, in the API's error shape
    assert (status, answer["code"]) == (400, "bad_request"), answer
