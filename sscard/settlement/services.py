"""The settlement API's services (docs/settlement.md, "The settlement API"): who is asking (signature, nonce,
agreement, rate limit), who the patient is (card or e-card), whether they may settle (records and cards), and
the operations: person info (1101), registration (2201), pre-settlement (2206), settlement (2207),
cancellation (2208) and reconciliation (3201, 3202). The split itself is `sscard.domain.settlement`.

Concurrency: a settlement or cancellation locks the person's `PersonYear` row and the medical account's balance
row in one statement, the year's first (`years.lock`); the split is computed from what it read under the lock, so
concurrent settlements of one person run one after the other and never exceed a cap nor overdraw the account.
Who the patient is and whether they may settle: `patients.py`.

The signature's keys live in `keys.py`, the person's locked year in `years.py`, the rules in
`domain/settlement.py`."""

from __future__ import annotations

import secrets
import time
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sscard.audit.services import record_access
from sscard.core import ratelimit
from sscard.core.rows import insert_row, together
from sscard.domain import institutions as institution_rules
from sscard.domain import settlement as rules
from sscard.domain import settlement_signing as signing
from sscard.domain.masking import mask_id_number, mask_name
from sscard.records import accounts
from sscard.records.ledger_models import AccountMovement
from sscard.reference.models import DesignatedInstitution
from sscard.reference.selectors import NoSettlementPolicyError, settlement_policy

from . import patients, years
from .errors import Refused
from .keys import key_for
from .models import Message, PersonYear, Visit, Voucher

NONCE_SECONDS = 2 * signing.TIMESTAMP_WINDOW_S + 60  # a nonce is remembered longer than a timestamp is fresh
MEDICAL = AccountMovement.Account.MEDICAL


# --- Who is asking ------------------------------------------------------------------------------------------------

def authenticate(*, method: str, path: str, body: bytes, headers, today: date | None = None,
                 now: float | None = None) -> DesignatedInstitution:
    """The institution that signed this request, or `Refused` (unsigned, unknown_key, bad_signature,
    stale_timestamp, replayed, an agreement refusal, rate_limited). Nothing is written but the nonce."""
    key_id = headers.get(signing.HEADER_KEY_ID, "")
    code = headers.get(signing.HEADER_INSTITUTION, "")
    if not key_id or not code or not headers.get(signing.HEADER_SIGNATURE):
        raise Refused("unsigned")
    found = key_for(key_id)  # the key and its institution, kept 30 s in the process (keys.py)
    institution = found[0] if found else None
    if institution is None or institution.code != code:
        raise Refused("unknown_key")
    try:
        signing.verify(secrets=[found[1]], method=method, path=path, body=body,
                       timestamp=headers.get(signing.HEADER_TIMESTAMP), nonce=headers.get(signing.HEADER_NONCE),
                       signature=headers.get(signing.HEADER_SIGNATURE), now=time.time() if now is None else now)
    except signing.SignatureError as error:
        raise Refused(error.code) from None
    # The nonce remembered and the request counted against the institution's limit in one round trip to Redis.
    first_use, within_limit = ratelimit.first_use_and_hit(
        f"settle-nonce:{institution.pk}:{headers[signing.HEADER_NONCE]}", NONCE_SECONDS, "settlement",
        institution.code, settings.SETTLEMENT_REQUESTS_PER_MINUTE)
    if not first_use:
        raise Refused("replayed")
    refusals = institution_rules.may_settle(institution.state, institution.agreement_from,
                                            institution.agreement_to, today or timezone.localdate())
    if refusals:
        raise Refused(str(refusals[0]))
    if not within_limit:
        raise Refused("rate_limited")
    return institution


# --- Answer a msgid once ----------------------------------------------------------------------------------------

def answer_once(institution, msgid: str, operation: str, work) -> tuple[int, dict]:
    """Run `work()` (returning the answer's body) and keep its answer under (institution, msgid), in the same
    transaction as what it wrote; the same msgid again returns the first answer, written or refused, unchanged.
    A refusal (`Refused`) writes nothing but its answer."""
    if not msgid:
        raise Refused("msgid_required")
    # No look-up first: a msgid seen before is rare (a retry), so the work runs and the answer's INSERT meets the
    # unique constraint, which rolls the work back and the first answer is returned (below).
    try:
        # The work's writes through `core.rows` and the answer go to the database as one statement at the end of
        # `together()` (one round trip instead of seven for a settlement); its reads and locks run at once.
        with transaction.atomic(), together():
            body = work()
            insert_row(Message, institution_id=institution.pk, msgid=msgid, operation=operation, status=200,
                       body=body, created_at=timezone.now())
        return 200, body
    except Refused as refused:
        body = {"code": refused.code, "detail": refused.translated(), "probable_typo": False}
        try:
            with transaction.atomic():
                Message.objects.create(institution=institution, msgid=msgid, operation=operation,
                                       status=refused.status, body=body, created_at=timezone.now())
        except IntegrityError:
            return Message.objects.filter(institution=institution, msgid=msgid).values_list("status", "body").get()
        return refused.status, body
    except IntegrityError:  # the same msgid answered a moment ago by another request: its answer stands
        stored = Message.objects.filter(institution=institution, msgid=msgid).values_list("status", "body").first()
        if stored is None:
            raise
        return stored


# --- Who the patient is: patients.py ------------------------------------------------------------------------------

def person_info(*, institution, identity: dict, request=None) -> dict:
    """1101: the patient, masked, whether they may settle now and why not, their year's figures."""
    day = timezone.localdate()
    patient = patients.identify(day=day, with_name=True, **identity)
    id_number = patient.id_number
    reasons = patient.refusals()
    year = PersonYear.objects.filter(id_number=id_number, year=day.year).first()
    try:
        policy = settlement_policy(day.year, institution.district_code)
        cap_left = max(0, policy.annual_fund_cap_fen - (year.fund_paid_fen if year else 0))
    except NoSettlementPolicyError:
        cap_left = None
    record_access(event_type="settlement.person_read", subject_type="person", subject_id=id_number,
                  data={"institution": institution.code, "operation": "1101"}, request=request)
    return {
        "psn_no": mask_id_number(id_number), "psn_name": mask_name(patient.name),
        "card_no": patient.card_number, "card_state": patient.card_state, "insutype": "310",
        "psn_type": patient.status, "may_settle": not reasons,
        "refusals": [str(reason) for reason in reasons],
        "balc": accounts.current_balance(id_number, MEDICAL),
        "admissions": year.admissions if year else 0, "fund_paid_fen": year.fund_paid_fen if year else 0,
        "cap_left_fen": cap_left,
    }


# --- Registration (2201) ------------------------------------------------------------------------------------------

def register_visit(*, institution, identity: dict, kind: str, begin_at=None) -> dict:
    day = timezone.localdate()
    patient = patients.eligible(identity, day)
    if kind not in Visit.Kind.values:
        raise Refused("unknown_code")
    if kind == Visit.Kind.INPATIENT and institution.tier == rules.Tier.PHARMACY:
        raise Refused("inpatient_at_pharmacy")
    visit = Visit.objects.create(mdtrt_id="M" + secrets.token_hex(10), institution=institution,
                                 id_number=patient.id_number, kind=kind, begin_at=begin_at or timezone.now(),
                                 created_at=timezone.now())
    return {"mdtrt_id": visit.mdtrt_id, "med_type": kind, "begntime": visit.begin_at.isoformat()}


# --- Pre-settlement (2206), settlement (2207), cancellation (2208) -----------------------------------------------

def _claim(institution, status: str, claim: dict) -> rules.Claim:
    return rules.Claim(kind=claim["med_type"], tier=institution.tier, status=status,
                       medfee_sumamt=claim["medfee_sumamt"], eligible_fen=claim["inscp_scp_amt"],
                       acct_used_flag=claim.get("acct_used_flag", True))


def _policy(year: int, institution):
    try:
        return settlement_policy(year, institution.district_code)
    except NoSettlementPolicyError:
        raise Refused("no_policy") from None


def _year_state(row: PersonYear | None, year: int, balance: int) -> rules.YearState:
    if row is None:
        return rules.YearState(year=year, account_balance_fen=balance)
    return rules.YearState(year=year, account_balance_fen=balance, admissions=row.admissions,
                           deductible_used_fen=row.deductible_used_fen, fund_paid_fen=row.fund_paid_fen,
                           outpatient_fund_paid_fen=row.outpatient_fund_paid_fen)


def _check_visit(institution, mdtrt_id: str, id_number: str, kind: str) -> None:
    if not mdtrt_id:
        return
    visit = Visit.objects.filter(mdtrt_id=mdtrt_id[:32], institution=institution).first()
    if visit is None:
        raise Refused("visit_not_found")
    if visit.id_number != id_number:
        raise Refused("visit_other_person")
    if visit.kind != kind:
        raise Refused("visit_kind")


def _answer(setl_id: str, result: rules.Settlement, *, day: date) -> dict:
    return {"setl_id": setl_id, "setl_time": day.isoformat(), "medfee_sumamt": result.medfee_sumamt,
            "fund_pay_sumamt": result.fund_pay_sumamt, "acct_pay": result.acct_pay,
            "psn_cash_pay": result.psn_cash_pay, "deductible_fen": result.deductible_fen,
            "cap_left_fen": result.cap_left_fen, "outpatient_cap_left_fen": result.outpatient_cap_left_fen,
            "trace": _trace(result)}


def _trace(result: rules.Settlement) -> list[dict]:
    return [{"rule": step.rule, "values": step.values} for step in result.trace]


def pre_settle(*, institution, identity: dict, claim: dict) -> dict:
    """2206: the split, written nowhere."""
    day = timezone.localdate()
    patient = patients.eligible(identity, day)
    id_number = patient.id_number
    _check_visit(institution, claim.get("mdtrt_id", ""), id_number, claim["med_type"])
    state = _year_state(PersonYear.objects.filter(id_number=id_number, year=day.year).first(), day.year,
                        accounts.current_balance(id_number, MEDICAL))
    try:
        result = rules.pre_settle(_policy(day.year, institution), state, _claim(institution, patient.status, claim))
    except rules.SettlementError as error:
        raise Refused(error.code) from None
    return _answer("", result, day=day)


def _audit(operation: str, institution, *, setl_id: str, cancel_id: str = "", request=None) -> None:
    """The access log's event of a settlement or cancellation, in its transaction (written with the msgid answer, in
    `answer_once`'s one statement of writes: the transaction commits at once, far inside the sealer's 5 seconds),
    so one commit writes both and a rolled-back settlement leaves no event. No chain lock (the access log's
    sealing)."""
    record_access(event_type=f"settlement.{operation}", subject_type="settlement", subject_id=setl_id,
                  data={"institution": institution.code, "cancel_id": cancel_id}, request=request)


def settle(*, institution, msgid: str, identity: dict, claim: dict, request=None) -> dict:
    """2207, inside the caller's transaction (`answer_once`): the e-card token consumed (when identified by one),
    the person's year and balance locked, the split computed from them, the year saved, the account debited,
    the benefit recorded, the voucher appended, the access event written."""
    now = timezone.now()
    day = timezone.localdate(now)
    patient = patients.eligible(identity, day, lock_year=day.year)  # by card: the year locked in the same read
    id_number = patient.id_number
    _check_visit(institution, claim.get("mdtrt_id", ""), id_number, claim["med_type"])
    policy = _policy(day.year, institution)
    status = patient.status
    patients.use_ecard(patient)
    year_id, state = years.lock(id_number, day.year, row=patient.year_row)
    try:
        result, after = rules.settle(policy, state, _claim(institution, status, claim))
    except rules.SettlementError as error:
        raise Refused(error.code) from None
    setl_id = "S" + secrets.token_hex(10)
    years.save(year_id, after)
    if result.acct_pay:
        accounts.move_locked(id_number=id_number, account=MEDICAL, kind=AccountMovement.Kind.SETTLEMENT, day=day,
                             amount_fen=-result.acct_pay, source_ref=f"setl:{setl_id}")
    accounts.append_benefit(id_number=id_number, benefit_type="medical_settlement", day=day,
                            amount_fen=result.fund_pay_sumamt, source_type="settlement", source_ref=setl_id)
    insert_row(
        Voucher, setl_id=setl_id, kind=Voucher.Kind.SETTLE, cancels="", institution_id=institution.pk, msgid=msgid,
        mdtrt_id=claim.get("mdtrt_id", "")[:32], id_number=id_number, visit_kind=claim["med_type"],
        tier=institution.tier, status=status, year=day.year, day=day,
        medfee_sumamt=result.medfee_sumamt, eligible_fen=claim["inscp_scp_amt"],
        fund_pay_sumamt=result.fund_pay_sumamt, acct_pay=result.acct_pay, psn_cash_pay=result.psn_cash_pay,
        deductible_fen=result.deductible_fen, effect_admissions=result.effect.admissions,
        effect_outpatient_fund_fen=result.effect.outpatient_fund_fen, cap_left_fen=result.cap_left_fen,
        trace=_trace(result), created_at=now)
    _audit("settled", institution, setl_id=setl_id, request=request)
    return _answer(setl_id, result, day=day)


def _as_settlement(voucher: Voucher) -> rules.Settlement:
    effect = rules.Effect(admissions=voucher.effect_admissions, deductible_fen=voucher.deductible_fen,
                          fund_fen=voucher.fund_pay_sumamt, outpatient_fund_fen=voucher.effect_outpatient_fund_fen,
                          acct_fen=voucher.acct_pay)
    return rules.Settlement(year=voucher.year, medfee_sumamt=voucher.medfee_sumamt,
                            fund_pay_sumamt=voucher.fund_pay_sumamt, acct_pay=voucher.acct_pay,
                            psn_cash_pay=voucher.psn_cash_pay, deductible_fen=voucher.deductible_fen,
                            cap_left_fen=voucher.cap_left_fen, outpatient_cap_left_fen=None, effect=effect, trace=())


def cancel(*, institution, msgid: str, setl_id: str, request=None) -> dict:
    """2208: the settlement's effect given back under the person's year lock; a cancellation voucher (at most
    one per settlement: unique constraint, checked under the lock)."""
    now = timezone.now()
    day = timezone.localdate(now)
    original = Voucher.objects.filter(setl_id=setl_id[:32], kind=Voucher.Kind.SETTLE).first()
    if original is None:
        raise Refused("settlement_not_found")
    if original.institution_id != institution.pk:
        raise Refused("other_institution")
    year_id, state = years.lock(original.id_number, original.year)
    if Voucher.objects.filter(cancels=original.setl_id).exists():
        raise Refused("already_cancelled")
    try:
        after = rules.cancel(state, _as_settlement(original))
    except rules.SettlementError as error:
        raise Refused(error.code) from None
    years.save(year_id, after)
    cancel_id = "C" + secrets.token_hex(10)
    if original.acct_pay:
        accounts.move_locked(id_number=original.id_number, account=MEDICAL, kind=AccountMovement.Kind.SETTLEMENT,
                             day=day, amount_fen=original.acct_pay, source_ref=f"setl:{cancel_id}")
    accounts.append_benefit(id_number=original.id_number, benefit_type="medical_settlement", day=day,
                            amount_fen=-original.fund_pay_sumamt, source_type="settlement", source_ref=cancel_id)
    Voucher.objects.create(
        setl_id=cancel_id, kind=Voucher.Kind.CANCEL, cancels=original.setl_id, institution=institution, msgid=msgid,
        mdtrt_id=original.mdtrt_id, id_number=original.id_number, visit_kind=original.visit_kind,
        tier=original.tier, status=original.status, year=original.year, day=day,
        medfee_sumamt=-original.medfee_sumamt, eligible_fen=-original.eligible_fen,
        fund_pay_sumamt=-original.fund_pay_sumamt, acct_pay=-original.acct_pay,
        psn_cash_pay=-original.psn_cash_pay, deductible_fen=-original.deductible_fen,
        effect_admissions=-original.effect_admissions,
        effect_outpatient_fund_fen=-original.effect_outpatient_fund_fen, cap_left_fen=0, trace=[],
        created_at=now)
    _audit("cancelled", institution, setl_id=original.setl_id, cancel_id=cancel_id, request=request)
    return {"setl_id": original.setl_id, "cancel_id": cancel_id, "fund_pay_sumamt": -original.fund_pay_sumamt,
            "acct_pay": -original.acct_pay, "psn_cash_pay": -original.psn_cash_pay}


# --- Reconciliation (3201, 3202) ----------------------------------------------------------------------------------

FIELDS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay")


def today() -> date:
    """The local day (reconciliation's "has this day ended"); a function, so tests can move time."""
    return timezone.localdate()


def _check_day(day: date) -> None:
    if day >= today():
        raise Refused("future_day")


def totals(*, institution, day: date) -> dict:
    """Our totals of the institution's vouchers of a day: settlements, cancellations, amounts (net)."""
    from django.db.models import Count, Q, Sum

    _check_day(day)
    rows = Voucher.objects.filter(institution=institution, day=day)
    figures = rows.aggregate(settlements=Count("id", filter=Q(kind=Voucher.Kind.SETTLE)),
                             cancellations=Count("id", filter=Q(kind=Voucher.Kind.CANCEL)),
                             **{name: Sum(name) for name in FIELDS})
    return {name: figures[name] or 0 for name in ("settlements", "cancellations", *FIELDS)}


def reconcile_totals(*, institution, day: date, theirs: dict) -> dict:
    ours = totals(institution=institution, day=day)
    differing = [name for name in ("settlements", "cancellations", *FIELDS) if theirs.get(name) != ours[name]]
    return {"stmt_date": day.isoformat(), "ours": ours, "matches": not differing, "differing": differing}


def reconcile_detail(*, institution, day: date, theirs: list[dict]) -> dict:
    """3202: every voucher of the day on either side, compared by id and amounts: each mismatch listed
    (`missing_here`: they have it, we do not; `missing_there`; `amounts`: both, different amounts)."""
    _check_day(day)
    ours = {row["setl_id"]: row for row in Voucher.objects.filter(institution=institution, day=day)
            .values("setl_id", *FIELDS).iterator(chunk_size=5000)}
    mismatches = []
    seen = set()
    for line in theirs:
        setl_id = line["setl_id"]
        seen.add(setl_id)
        mine = ours.get(setl_id)
        if mine is None:
            mismatches.append({"setl_id": setl_id, "kind": "missing_here", "fields": []})
            continue
        fields = [name for name in FIELDS if line.get(name) != mine[name]]
        if fields:
            mismatches.append({"setl_id": setl_id, "kind": "amounts", "fields": fields})
    mismatches.extend({"setl_id": setl_id, "kind": "missing_there", "fields": []}
                      for setl_id in sorted(set(ours) - seen))
    return {"stmt_date": day.isoformat(), "ours": len(ours), "theirs": len(theirs), "matches": not mismatches,
            "mismatches": mismatches}
