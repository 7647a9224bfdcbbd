"""Every back office action, allowed and refused, per role and per area (table-driven)."""

import itertools
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from sscard.accounts.models import SmsCode
from sscard.accounts.services import create_citizen
from sscard.applications.models import Payment
from sscard.applications.payments import services as payment_services
from sscard.audit.models import AuditEvent
from sscard.cards import bank_incoming, delivery
from sscard.cards.models import BankCardEvent, Card, CardCancellation
from sscard.cards.services import change_card_state
from sscard.casework import services
from sscard.casework.models import (
    BankExchangeItem,
    BatchItem,
    CaseFile,
    IdentityCorrection,
    RejectionProposal,
)
from sscard.casework.production import services as production_services
from sscard.casework.roles import ROLE_LABELS
from sscard.domain import casestates
from sscard.domain.casestates import State
from sscard.domain.idnumber import make_id_number
from sscard.reference.models import Manufacturer, PartnerBank

from .conftest import (
    PASSWORD,
    give_card,
    jiangan,
    new_application,
    new_citizen,
    new_staff,
    receive,
    staff_client,
    wuchang,
)

ROLES = list(ROLE_LABELS)  # reviewer, production, clerk, supervisor, auditor


def in_area(role):
    return [f"outlet:{wuchang().pk}"] if role == "clerk" else ["district:420106"]


def out_of_area(role):
    return [f"outlet:{jiangan().pk}"] if role == "clerk" else ["district:420102"]


def _proposal(application):
    proposer = new_staff(["reviewer"])
    RejectionProposal.objects.create(application=application, reason_code="duplicate", proposed_by=proposer,
                                     proposed_at=application.submitted_at)


# action -> (state of the case, delivery, extra set-up, call); who may do it: ANSWERS below
ACTIONS = {
    "claim": (State.SUBMITTED, "pickup", None, lambda s, a: services.claim(staff=s, application=a)),
    "start_review": (State.SUBMITTED, "pickup", None, lambda s, a: services.start_review(staff=s, application=a)),
    "approve": (State.UNDER_REVIEW, "pickup", None, lambda s, a: services.approve(staff=s, application=a)),
    "return": (State.UNDER_REVIEW, "pickup", None, lambda s, a: services.return_for_correction(
        staff=s, application=a, reasons=[("photo_quality", "Too dark")])),
    "propose_rejection": (State.UNDER_REVIEW, "pickup", None, lambda s, a: services.propose_rejection(
        staff=s, application=a, reason_code="duplicate")),
    "confirm_rejection": (State.UNDER_REVIEW, "pickup", _proposal, lambda s, a: services.decide_rejection(
        staff=s, application=a, confirm=True)),
    "suspend": (State.UNDER_REVIEW, "pickup", None, lambda s, a: services.suspend(
        staff=s, application=a, reason="Waiting for the police")),
    "extend": (State.UNDER_REVIEW, "pickup", None, lambda s, a: services.extend_deadline(
        staff=s, application=a, days=5, reason="Complex case")),
    "reveal": (State.UNDER_REVIEW, "pickup", None, lambda s, a: services.reveal(
        staff=s, application=a, field_name="subject_id_number", reason="Phone call")),
    "bank_export": (State.BANK_PREOPENING, "pickup", None, lambda s, a: production_services.export_bank_request(
        staff=s, bank=PartnerBank.objects.get(code="icbc"))),
    "create_batch": (State.IN_PRODUCTION, "pickup", None, lambda s, a: production_services.create_batch(
        staff=s, manufacturer=Manufacturer.objects.get(code="default"))),
    "send_back_to_review": (State.IN_PRODUCTION, "pickup", None, lambda s, a: services.send_back_to_review(
        staff=s, application=a, reason="Photo")),
    "post": (State.IN_PRODUCTION, "post", give_card, lambda s, a: delivery.record_tracking(
        staff=s, application=a, tracking_number="SF1234567890")),
    "mark_ready": (State.IN_PRODUCTION, "pickup", lambda a: (give_card(a), receive(a)),
                   lambda s, a: delivery.mark_ready(staff=s, application=a)),
    "hand_over": (State.READY_FOR_PICKUP, "pickup", give_card, lambda s, a: delivery.hand_over(
        staff=s, application=a, collector="holder", id_number=a.subject_id_number)),
}

# What each role gets for each action, (in its area, out of its area), written by hand from the roles
# (sscard/casework/roles.py): "ok", or the code of the refusal. The permission is checked before the area;
# an export out of the area finds nothing to send ("empty"). The auditor reads every area and changes nothing.
PERM, AREA, EMPTY = "permission", "area", "empty"
OK_IN = ("ok", AREA)
DENY = (PERM, PERM)
ANSWERS = {
    #                       reviewer  production       clerk    supervisor      auditor
    "claim":               (OK_IN,   OK_IN,           DENY,    OK_IN,          DENY),
    "start_review":        (OK_IN,   DENY,            DENY,    OK_IN,          DENY),
    "approve":             (OK_IN,   DENY,            DENY,    OK_IN,          DENY),
    "return":              (OK_IN,   DENY,            DENY,    OK_IN,          DENY),
    "propose_rejection":   (OK_IN,   DENY,            DENY,    OK_IN,          DENY),
    "confirm_rejection":   (DENY,    DENY,            DENY,    OK_IN,          DENY),
    "suspend":             (OK_IN,   DENY,            DENY,    OK_IN,          DENY),
    "extend":              (OK_IN,   DENY,            DENY,    OK_IN,          DENY),
    "reveal":              (OK_IN,   DENY,            OK_IN,   OK_IN,          DENY),
    "bank_export":         (DENY,    ("ok", EMPTY),   DENY,    ("ok", EMPTY),  DENY),
    "create_batch":        (DENY,    ("ok", EMPTY),   DENY,    ("ok", EMPTY),  DENY),
    "send_back_to_review": (DENY,    DENY,            DENY,    OK_IN,          DENY),
    "post":                (DENY,    OK_IN,           DENY,    OK_IN,          DENY),
    "mark_ready":          (DENY,    DENY,            OK_IN,   OK_IN,          DENY),
    "hand_over":           (DENY,    DENY,            OK_IN,   OK_IN,          DENY),
}
CASES = [(action, role, area, answer)
         for action, per_role in ANSWERS.items()
         for role, answers in zip(ROLES, per_role, strict=True)
         for area, answer in zip(("in", "out"), answers, strict=True)]


def _trace(application):
    """Everything an action could leave behind: the case's state, history, back office notes, case file,
    rejection proposals, bank and batch items, card, and the audit log."""
    application.refresh_from_db()
    return {
        "state": application.state,
        "history": list(application.changes.values_list("pk", flat=True)),
        "actions": list(application.case_actions.values_list("pk", flat=True)),
        "casefile": list(CaseFile.objects.filter(application=application).values()),
        "proposals": list(RejectionProposal.objects.filter(application=application).values_list("pk", "outcome")),
        "bank_items": list(BankExchangeItem.objects.values_list("pk", flat=True)),
        "batch_items": list(BatchItem.objects.values_list("pk", flat=True)),
        "cards": list(Card.objects.filter(application=application).values_list("pk", "state", "delivered_at")),
        "audit": list(AuditEvent.objects.values_list("seq", flat=True)),
    }


def test_the_answer_table_covers_every_action_and_role():
    assert set(ANSWERS) == set(ACTIONS) and all(len(row) == len(ROLES) for row in ANSWERS.values())


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "area", "answer"), CASES,
                         ids=[f"{a}-{r}-{z}" for a, r, z, _w in CASES])
def test_each_action_per_role_and_area_and_a_refusal_leaves_no_trace(action, role, area, answer,
                                                                     django_capture_on_commit_callbacks):
    state, delivery, setup, call = ACTIONS[action]
    application = new_application(delivery=delivery, state=state)
    if setup:
        setup(application)
    areas = in_area(role) if area == "in" else out_of_area(role)
    staff = new_staff([role], areas=[] if role == "auditor" else areas)
    before = _trace(application)
    with django_capture_on_commit_callbacks(execute=True):
        if answer == "ok":
            call(staff, application)
        else:
            with pytest.raises(services.CaseworkError) as refused:
                call(staff, application)
            assert refused.value.code == answer
    after = _trace(application)
    if answer == "ok":
        assert after["audit"] != before["audit"]  # every action is audited
    else:
        assert after == before  # nothing moved: state, history, notes, case file, items, card, audit


# Who may move a case from where to where, written by hand from the domain brief's case stages (not read
# from the state machine under test). The supervisor may do what the reviewer, the production operator
# and the clerk may, and send a case in production back to review.
S = State
REVIEWER_MOVES = {(S.SUBMITTED, S.UNDER_REVIEW), (S.UNDER_REVIEW, S.BANK_PREOPENING), (S.UNDER_REVIEW, S.RETURNED),
                  (S.UNDER_REVIEW, S.REJECTED), (S.RESUBMITTED, S.UNDER_REVIEW), (S.RESUBMITTED, S.REJECTED),
                  (S.BANK_FAILED, S.REJECTED)}
PRODUCTION_MOVES = {(S.BANK_PREOPENING, S.IN_PRODUCTION), (S.BANK_PREOPENING, S.BANK_FAILED),
                    (S.IN_PRODUCTION, S.READY_FOR_PICKUP), (S.IN_PRODUCTION, S.POSTED)}
CLERK_MOVES = {(S.IN_PRODUCTION, S.READY_FOR_PICKUP), (S.READY_FOR_PICKUP, S.COLLECTED), (S.POSTED, S.COLLECTED)}
SUPERVISOR_MOVES = REVIEWER_MOVES | PRODUCTION_MOVES | CLERK_MOVES | {(S.IN_PRODUCTION, S.UNDER_REVIEW)}
CITIZEN_MOVES = {(S.SUBMITTED, S.WITHDRAWN), (S.UNDER_REVIEW, S.WITHDRAWN), (S.RETURNED, S.WITHDRAWN),
                 (S.RESUBMITTED, S.WITHDRAWN), (S.BANK_PREOPENING, S.WITHDRAWN), (S.BANK_FAILED, S.WITHDRAWN),
                 (S.RETURNED, S.RESUBMITTED), (S.BANK_FAILED, S.RESUBMITTED)}
STAFF_MOVES = {"reviewer": (REVIEWER_MOVES, "reviewer"), "production": (PRODUCTION_MOVES, "production"),
               "clerk": (CLERK_MOVES, "clerk"), "supervisor": (SUPERVISOR_MOVES, "supervisor")}
ANY_MOVE = SUPERVISOR_MOVES | CITIZEN_MOVES


def test_the_hand_written_moves_count_every_transition_once():
    assert len(ANY_MOVE) == 22


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(STAFF_MOVES))
def test_the_state_machine_decides_each_transition_for_each_role(role):
    staff = new_staff([role])
    allowed, acts_as = STAFF_MOVES[role]
    for src in State:
        for dst in State:
            if (src, dst) in allowed:
                assert services.machine_role(staff, src, dst) == acts_as, (src, dst)
            else:
                with pytest.raises(services.CaseworkError) as refused:
                    services.machine_role(staff, src, dst)
                assert refused.value.code == ("role" if (src, dst) in ANY_MOVE else "not_allowed"), (src, dst)


@pytest.mark.django_db
def test_a_member_with_two_roles_acts_as_the_one_the_transition_allows():
    staff = new_staff(["clerk", "production"])
    assert services.machine_role(staff, State.IN_PRODUCTION, State.POSTED) == casestates.Role.PRODUCTION
    assert services.machine_role(staff, State.READY_FOR_PICKUP, State.COLLECTED) == casestates.Role.CLERK


@pytest.mark.django_db
def test_an_illegal_transition_is_refused_with_a_clear_message(supervisor, client):
    application = new_application(state=State.SUBMITTED)
    with pytest.raises(services.CaseworkError) as refused:
        services.approve(staff=supervisor, application=application)
    assert refused.value.code == "not_allowed"
    from django.utils import translation

    with translation.override("en"):
        assert refused.value.translated() == 'This is not possible while the case is at the stage "Submitted".'


@pytest.mark.django_db
def test_the_auditor_reads_every_area_and_changes_nothing(auditor):
    here = new_application(district="420106")
    there = new_application(district="420102")
    from sscard.casework.selectors import cases_visible_to

    assert set(cases_visible_to(auditor)) >= {here, there}
    for action, (_state, _delivery, _setup, call) in ACTIONS.items():
        with pytest.raises(services.CaseworkError) as refused:
            call(auditor, here)
        assert refused.value.code == "permission", action


@pytest.mark.django_db
def test_staff_see_only_the_cases_of_their_areas():
    from sscard.casework.selectors import cases_visible_to

    wuchang_case = new_application(district="420106")
    jiangan_case = new_application(district="420102")
    city_case = new_application(district="420111", outlet=wuchang())  # lives elsewhere, collects in Wuchang
    district = new_staff(["reviewer"], areas=["district:420106"])
    city = new_staff(["supervisor"], areas=["city:420100"])
    counter = new_staff(["clerk"], areas=[f"outlet:{jiangan().pk}"])
    nowhere = new_staff(["reviewer"], areas=[])
    assert set(cases_visible_to(district)) == {wuchang_case, city_case}
    assert set(cases_visible_to(city)) == {wuchang_case, jiangan_case, city_case}
    assert set(cases_visible_to(counter)) == {jiangan_case}
    assert list(cases_visible_to(nowhere)) == []


# --- Every staff URL, per role, in and out of the area (findings: files ignored the area) -----------------

BANK_OK = "office_code,outcome,account_number,reason\r\n{code},OK,6222020200001234567,\r\n"
RESULT = ("office_code,card_number,card_id,issue_date,expiry_date,bank_account\n"
          "{code},{number},{chip},2026-11-20,2036-11-20,6222020200001234567\n")


def _world():
    """One case at each step, all in Wuchang (district 420106, pick-up at the Wuchang outlet), and one bank
    request file and one production batch holding only Wuchang cases; built by a Wuchang supervisor."""
    builder = new_staff(["supervisor"], areas=["district:420106"])
    w = SimpleNamespace()
    w.here = new_application(state=State.UNDER_REVIEW)
    w.sent = new_application(state=State.BANK_PREOPENING)
    w.exchange = production_services.export_bank_request(staff=builder, bank=PartnerBank.objects.get(code="icbc"))
    w.waiting = new_application(state=State.BANK_PREOPENING)
    w.made = new_application(state=State.IN_PRODUCTION)
    w.carded = new_application(state=State.IN_PRODUCTION)
    w.batch = production_services.create_batch(staff=builder, manufacturer=Manufacturer.objects.get(code="default"))
    production_services.import_batch_result(staff=builder, batch=w.batch, data=RESULT.format(
        code=w.carded.office_code, number="B00000001", chip=f"{1:032X}").encode())
    w.ready = new_application(state=State.IN_PRODUCTION)
    w.posted = new_application(state=State.IN_PRODUCTION, delivery="post")
    give_card(w.posted)
    # A case whose fee is to be paid at the counter (replacement and renewal fees).
    w.fee = new_application(state=State.SUBMITTED)
    payment_services.open_payment(application=w.fee, amount_fen=2000)
    # A squatted ID number whose holder came to the Wuchang outlet; a Wuchang clerk proposed giving it back.
    squatter = create_citizen(real_name="李四", document_type="resident_id", id_number=SQUATTED_ID,
                              phone="13900009999", password=PASSWORD, channel="test")
    w.correction = IdentityCorrection.objects.create(
        id_number=SQUATTED_ID, wrong_account=squatter, real_name="王五", document_type="resident_id",
        document_seen="居民身份证", phone="13712345678", outlet=wuchang(),
        proposed_by=new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"]), proposed_at=timezone.now())
    # Two cards collected at the Wuchang outlet: one for the counter card page, one whose cancellation a Wuchang
    # clerk requested (waiting for a supervisor).
    w.held_card = give_card(new_application(state=State.READY_FOR_PICKUP))
    w.cancellation = CardCancellation.objects.create(
        card=give_card(new_application(state=State.READY_FOR_PICKUP)), reason="death",
        requested_by=new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"]), requested_at=timezone.now())
    # A Wuchang card reported lost (an event for its bank), and a reconciliation where icbc froze nothing.
    w.lost = give_card(new_application(state=State.IN_PRODUCTION))
    Card.objects.filter(pk=w.lost.pk).update(state="active")
    w.lost.refresh_from_db()
    change_card_state(card=w.lost, to_state="temporarily_lost", channel="online")
    w.bank_event = BankCardEvent.objects.get(card=w.lost)
    bank_incoming.reconcile(bank=PartnerBank.objects.get(code="icbc"), frozen=set(), source="file")
    return w


SQUATTED_ID = make_id_number("420106", date(1985, 6, 1), 217)


_holder_phones = (f"1371234{n:04d}" for n in itertools.count())


def _code_for_the_holder(world):
    # A new number each time: the per-phone resend throttle lives in the cache, which the rollback keeps.
    return {"send_code": "1", "outlet": wuchang().pk, "phone": next(_holder_phones)}


def _upload(text):
    return {"file": SimpleUploadedFile("upload.csv", text.encode())}


@dataclass
class Url:
    name: str
    args: object = lambda w: []
    method: str = "get"
    data: object = None  # POST data from the world
    marker: object = None  # GET: text whose presence makes the answer "listed", else "unlisted"
    effect: object = None  # POST: did the action happen? (world, staff) -> bool
    query: object = None  # GET: query parameters from the world


URLS = {
    "queue": Url("casework:queue", marker=lambda w: w.here.display_code),
    "case": Url("casework:case", lambda w: [w.here.office_code]),
    "case_photo": Url("casework:case_photo", lambda w: [w.here.office_code]),
    "case_action": Url("casework:case_action", lambda w: [w.here.office_code, "claim"], "post",
                       lambda w: {"claim-expected_state": State.UNDER_REVIEW},
                       effect=lambda w, s: CaseFile.objects.filter(application=w.here, assigned_to=s).exists()),
    "bank": Url("casework:bank", marker=lambda w: w.exchange.number),
    "bank_export": Url("casework:bank_export", method="post",
                       data=lambda w: {"bank": PartnerBank.objects.get(code="icbc").pk},
                       effect=lambda w, s: BankExchangeItem.objects.filter(application=w.waiting).exists()),
    "exchange": Url("casework:exchange", lambda w: [w.exchange.number]),
    "exchange_import": Url("casework:exchange", lambda w: [w.exchange.number], "post",
                           lambda w: _upload(BANK_OK.format(code=w.sent.office_code)),
                           effect=lambda w, s: _state(w.sent) == State.IN_PRODUCTION),
    "exchange_file": Url("casework:exchange_file", lambda w: [w.exchange.number]),
    "production": Url("casework:production", marker=lambda w: w.batch.number),
    "batch_create": Url("casework:batch_create", method="post",
                        data=lambda w: {"manufacturer": Manufacturer.objects.get(code="default").pk},
                        effect=lambda w, s: BatchItem.objects.filter(application=w.ready).exists()),
    "batch": Url("casework:batch", lambda w: [w.batch.number]),
    "batch_import": Url("casework:batch", lambda w: [w.batch.number], "post",
                        lambda w: _upload(RESULT.format(code=w.made.office_code, number="B00000002",
                                                        chip=f"{2:032X}")),
                        effect=lambda w, s: Card.objects.filter(application=w.made).exists()),
    "batch_archive": Url("casework:batch_archive", lambda w: [w.batch.number]),
    "post": Url("casework:post"),
    "post_import": Url("casework:post", method="post",
                       data=lambda w: _upload(f"office_code,tracking_number\n{w.posted.office_code},SF1234567890\n"),
                       effect=lambda w, s: _state(w.posted) == State.POSTED),
    # the label sheet and the carrier's list: which cases they hold per area is tested in tests/cards/test_post_sheets.py
    "post_labels": Url("casework:post_labels"),
    "post_list": Url("casework:post_list"),
    "outlet": Url("casework:outlet", marker=lambda w: w.batch.number),
    "outlet_batch": Url("casework:outlet_batch", lambda w: [w.batch.number, "receive"], "post", lambda w: {},
                        effect=lambda w, s: CaseFile.objects.filter(
                            application=w.carded, received_at_outlet__isnull=False).exists()),
    # the counter's PIN page: finding a card by number per area is tested in tests/cards/test_pin_counter.py
    "pin_counter": Url("casework:pin_counter"),
    "pin_counter_action": Url("casework:pin_counter_action", lambda w: ["B00000001", "enable"], "post",
                              lambda w: {"id_number": w.carded.subject_id_number, "document_checked": "on"},
                              effect=lambda w, s: Card.objects.filter(application=w.carded, state="active").exists()),
    "counter_payments": Url("casework:counter_payments"),
    "record_counter_payment": Url("casework:record_counter_payment", lambda w: [w.fee.office_code], "post",
                                  lambda w: {}, effect=lambda w, s: Payment.objects.filter(
                                      application=w.fee, state="paid").exists()),
    # the verification of an e-card token (what a valid one shows per area: tests/cards/test_ecard_counter.py)
    "ecard_verify": Url("casework:ecard_verify"),
    "dashboard": Url("casework:dashboard"),
    "dashboard_csv": Url("casework:dashboard_csv", lambda w: ["overdue"]),
    "id_number_corrections": Url("casework:id_number_corrections", marker=lambda w: reverse(
        "casework:id_number_correction", args=[w.correction.pk])),
    "id_number_propose": Url("casework:id_number_propose", method="post", data=_code_for_the_holder,
                             effect=lambda w, s: SmsCode.objects.filter(purpose="register").exists()),
    "id_number_correction": Url("casework:id_number_correction", lambda w: [w.correction.pk]),
    "id_number_decide": Url("casework:id_number_decide", lambda w: [w.correction.pk], "post",
                            lambda w: {"decision": "confirm", "note": ""},
                            effect=lambda w, s: IdentityCorrection.objects.filter(
                                pk=w.correction.pk, outcome=IdentityCorrection.Outcome.CONFIRMED).exists()),
    # the counter card page: which cards a search finds per area is tested in tests/cards/test_counter_page.py
    "counter": Url("casework:counter"),
    "counter_card": Url("casework:counter_card", lambda w: [w.held_card.card_number]),
    "counter_card_action": Url("casework:counter_card_action", lambda w: [w.held_card.card_number, "cancel"], "post",
                               lambda w: {"cancel-expected_state": "sealed", "cancel-reason": "duplicate"},
                               effect=lambda w, s: CardCancellation.objects.filter(
                                   card=w.held_card, requested_by=s).exists()),
    "cancellations": Url("casework:cancellations", marker=lambda w: w.cancellation.card.card_number),
    "cancellation_decide": Url("casework:cancellation_decide", lambda w: [w.cancellation.pk], "post",
                               lambda w: {"decision": "confirm", "note": ""},
                               effect=lambda w, s: Card.objects.filter(pk=w.cancellation.card_id,
                                                                       state="cancelled").exists()),
    # Bank card events: only the events and differences of the member's cards (tests/cards/test_bank_events*.py).
    "bank_events": Url("casework:bank_events", marker=lambda w: w.lost.card_number),
    "bank_events_file": Url("casework:bank_events_file", query=lambda w: {"bank": "icbc"},
                            marker=lambda w: w.lost.card_number),
    "bank_differences_csv": Url("casework:bank_differences_csv", lambda w: ["icbc"],
                                marker=lambda w: w.lost.card_number),
    "bank_events_import": Url("casework:bank_events_import", method="post", data=lambda w: {
        "bank": "icbc", "kind": "ack", **_upload(f"event_id\n{w.bank_event.event_id}\n")},
        effect=lambda w, s: BankCardEvent.objects.filter(pk=w.bank_event.pk, status="acknowledged").exists()),
    # The employer registry (sscard.records): only the records officer role reads it; that role, in and out
    # of its area, is tested with the same table shape in tests/records/test_staff_pages.py.
    "records_employers": Url("casework:records_employers", marker=lambda w: _employer(w).name),
    "records_employer": Url("casework:records_employer", lambda w: [_employer(w).pk]),
    "records_employer_decide": Url("casework:records_employer_decide", lambda w: [_employer(w).pk], "post",
                                   lambda w: {"decision": "approve", "reason": ""},
                                   effect=lambda w, s: _employer(w).__class__.objects.filter(
                                       pk=_employer(w).pk, state="approved").exists()),
    # Declarations, arrears, payments and corrections: the records officer's too (tested in tests/records/).
    "records_declarations": Url("casework:records_declarations"),
    "records_employer_month": Url("casework:records_employer_month", lambda w: [_employer(w).pk, "2026-03"]),
    "records_employer_month_correct": Url("casework:records_employer_month_correct",
                                          lambda w: [_employer(w).pk, "2026-03"], "post",
                                          lambda w: {"entry": "0", "wage": "6500.00", "reason": "check"},
                                          effect=lambda w, s: False),
    "records_arrears": Url("casework:records_arrears"),
    "records_payment_file": Url("casework:records_payment_file"),
    "records_payment_entry": Url("casework:records_payment_entry"),
    # Objections and consultation: the records officer's (tested in tests/records/test_objections.py and
    # test_consultation.py); the records dashboard: the supervisor dashboard's readers too.
    "records_objections": Url("casework:records_objections"),
    "records_objection": Url("casework:records_objection", lambda w: [0]),
    "records_objection_claim": Url("casework:records_objection_claim", lambda w: [0], "post", lambda w: {},
                                   effect=lambda w, s: False),
    "records_objection_decide": Url("casework:records_objection_decide", lambda w: [0], "post",
                                    lambda w: {"decision": "reject", "note": "x"}, effect=lambda w, s: False),
    "records_objection_evidence": Url("casework:records_objection_evidence", lambda w: [0, 0]),
    "records_questions": Url("casework:records_questions"),
    "records_question": Url("casework:records_question", lambda w: [0]),
    "records_dashboard": Url("casework:records_dashboard"),
    # Query and verification: persons' records and bulk exports, the records officer's and supervisor's only
    # (tested in tests/records/test_queries_staff.py).
    "records_person": Url("casework:records_person"),
    # Registering a retirement: the records officer's and supervisor's (tests/records/test_retirement.py).
    "records_person_retirement": Url("casework:records_person_retirement", method="post", data=lambda w: {
        "retire-id_number": w.here.subject_id_number, "retire-retired_from": "2022-06-01",
        "retire-reference": "Approval 123"}, effect=lambda w, s: False),
    "records_exports": Url("casework:records_exports"),
    "records_export_decide": Url("casework:records_export_decide", lambda w: [1], "post",
                                 lambda w: {"decision": "approve"}, effect=lambda w, s: False),
    "records_export_download": Url("casework:records_export_download", lambda w: [1], "post", lambda w: {},
                                   effect=lambda w, s: False),
    # The yearly statement batch (counts only, no personal data): records officers and supervisors.
    "records_statements": Url("casework:records_statements", lambda w: _records_seeded()),
    # A designated institution's agreement and keys: staff with reference.view_designatedinstitution only
    # (tested in tests/settlement/); no casework role has it.
    "settlement_institution": Url("casework:settlement_institution", lambda w: [_institution(w).pk]),
    # Issuing and revoking its keys: reference.manage_institution_agreement beside the page's permission
    # (tests/settlement/test_staff_keys.py); no casework role has them.
    "settlement_key_issue": Url("casework:settlement_key_issue", lambda w: [_institution(w).pk], "post",
                                lambda w: {}, effect=lambda w, s: _institution(w).settlement_keys.exists()),
    "settlement_key_revoke": Url("casework:settlement_key_revoke", lambda w: [_institution(w).pk, "k0123456789abcdef"],
                                 "post", lambda w: {}, effect=lambda w, s: False),
}


def _records_seeded():
    """No arguments; the records' permissions put back when a transactional test flushed them."""
    from tests.records.conftest import reseed_records

    reseed_records()
    return []


def _institution(world):
    if not hasattr(world, "institution"):
        from tests.settlement.conftest import institution

        world.institution = institution()
    return world.institution


def _employer(world):
    """A Wuchang employer waiting for review, registered by its representative (made once per world)."""
    if not hasattr(world, "employer"):
        from tests.records.conftest import register, reseed_records

        reseed_records()
        world.employer = register(new_citizen("王五"), district="420106", name="武昌示范有限公司")
    return world.employer

# Written by hand from the roles (sscard/casework/roles.py) and the area rule: what each role gets,
# (in its area, out of its area). The auditor reads every area (no area of its own), so both are the same.
#   listed / unlisted: 200, and the case or file of the other area is / is not on the page
#   done / refused: the POST was answered (redirect or the page again) and the action did / did not happen
NO = (403, 403)
EXPECTED = {
    #                   reviewer                 production               clerk                    supervisor               auditor
    "queue":           (("listed", "unlisted"), ("listed", "unlisted"), ("listed", "unlisted"), ("listed", "unlisted"), ("listed", "listed")),
    "case":            ((200, 404),             (200, 404),             (200, 404),             (200, 404),             (200, 200)),
    "case_photo":      ((200, 404),             (200, 404),             (200, 404),             (200, 404),             (200, 200)),
    "case_action":     (("done", 404),          ("done", 404),          ("refused", 404),       ("done", 404),          ("refused", "refused")),
    "bank":            (NO,                     ("listed", "unlisted"), NO,                     ("listed", "unlisted"), NO),
    "bank_export":     (NO,                     ("done", "refused"),    NO,                     ("done", "refused"),    NO),
    "exchange":        (NO,                     (200, 404),             NO,                     (200, 404),             NO),
    "exchange_import": (NO,                     ("done", 404),          NO,                     ("done", 404),          NO),
    "exchange_file":   (NO,                     (200, 404),             NO,                     (200, 404),             NO),
    "production":      (NO,                     ("listed", "unlisted"), NO,                     ("listed", "unlisted"), NO),
    "batch_create":    (NO,                     ("done", "refused"),    NO,                     ("done", "refused"),    NO),
    "batch":           (NO,                     (200, 404),             (200, 404),             (200, 404),             NO),
    "batch_import":    (NO,                     ("done", 404),          NO,                     ("done", 404),          NO),
    "batch_archive":   (NO,                     (200, 404),             NO,                     (200, 404),             NO),
    "post":            (NO,                     (200, 200),             NO,                     (200, 200),             NO),
    "post_import":     (NO,                     ("done", "refused"),    NO,                     ("done", "refused"),    NO),
    "post_labels":     (NO,                     (200, 200),             NO,                     (200, 200),             NO),
    "post_list":       (NO,                     (200, 200),             NO,                     (200, 200),             NO),
    "outlet":          (NO,                     NO,                     ("listed", "unlisted"), ("listed", "unlisted"), NO),
    "outlet_batch":    (NO,                     NO,                     ("done", 404),          ("done", 404),          NO),
    "pin_counter":     (NO,                     NO,                     (200, 200),             (200, 200),             NO),
    "pin_counter_action": (NO,                  NO,                     ("done", 404),          ("done", 404),          NO),
    "counter_payments": (NO,                    NO,                     (200, 200),             (200, 200),             NO),
    "record_counter_payment": (NO,              NO,                     ("done", 404),          ("done", 404),          NO),
    "ecard_verify":    (NO,                     NO,                     (200, 200),             (200, 200),             NO),
    "dashboard":       (NO,                     NO,                     NO,                     (200, 200),             (200, 200)),
    "dashboard_csv":   (NO,                     NO,                     NO,                     (200, 200),             (200, 200)),
    # A squatted ID number (a proposal at the Wuchang outlet): clerks propose, supervisors confirm.
    "id_number_corrections": (NO,                NO,                     ("listed", "unlisted"), ("listed", "unlisted"), NO),
    "id_number_propose":     (NO,                NO,                     ("done", "refused"),    ("done", "refused"),    NO),
    "id_number_correction":  (NO,                NO,                     (200, 404),             (200, 404),             NO),
    "id_number_decide":      (NO,                NO,                     NO,                     ("done", 404),          NO),
    # The counter card page (outlet_counter): clerks and supervisors of the card's area; a supervisor other
    # than the requesting clerk confirms a cancellation.
    "counter":               (NO,                NO,                     (200, 200),             (200, 200),             NO),
    "counter_card":          (NO,                NO,                     (200, 404),             (200, 404),             NO),
    "counter_card_action":   (NO,                NO,                     ("done", 404),          ("done", 404),          NO),
    "cancellations":         (NO,                NO,                     ("listed", "unlisted"), ("listed", "unlisted"), NO),
    "cancellation_decide":   (NO,                NO,                     NO,                     ("done", 404),          NO),
    "bank_events":           (NO,                ("listed", "unlisted"), NO,                     ("listed", "unlisted"), NO),
    "bank_events_file":      (NO,                ("listed", "unlisted"), NO,                     ("listed", "unlisted"), NO),
    "bank_differences_csv":  (NO,                ("listed", "unlisted"), NO,                     ("listed", "unlisted"), NO),
    "bank_events_import":    (NO,                ("done", "refused"),    NO,                     ("done", "refused"),    NO),
    # The employer registry: no casework role has the records officer's permissions.
    "records_employers":       (NO,              NO,                     NO,                     NO,                     NO),
    "records_employer":        (NO,              NO,                     NO,                     NO,                     NO),
    "records_employer_decide": (NO,              NO,                     NO,                     NO,                     NO),
    "records_declarations":    (NO,              NO,                     NO,                     NO,                     NO),
    "records_employer_month":  (NO,              NO,                     NO,                     NO,                     NO),
    "records_employer_month_correct": (NO,       NO,                     NO,                     NO,                     NO),
    "records_arrears":         (NO,              NO,                     NO,                     NO,                     NO),
    "records_payment_file":    (NO,              NO,                     NO,                     NO,                     NO),
    "records_payment_entry":   (NO,              NO,                     NO,                     NO,                     NO),
    "records_objections":      (NO,              NO,                     NO,                     NO,                     NO),
    "records_objection":       (NO,              NO,                     NO,                     NO,                     NO),
    "records_objection_claim": (NO,              NO,                     NO,                     NO,                     NO),
    "records_objection_decide": (NO,             NO,                     NO,                     NO,                     NO),
    "records_objection_evidence": (NO,           NO,                     NO,                     NO,                     NO),
    "records_questions":       (NO,              NO,                     NO,                     NO,                     NO),
    "records_question":        (NO,              NO,                     NO,                     NO,                     NO),
    "records_dashboard":       (NO,              NO,                     NO,                     (200, 200),             (200, 200)),
    "records_person":          (NO,              NO,                     NO,                     NO,                     NO),
    "records_person_retirement": (NO,            NO,                     NO,                     NO,                     NO),
    "records_exports":         (NO,              NO,                     NO,                     NO,                     NO),
    "records_export_decide":   (NO,              NO,                     NO,                     NO,                     NO),
    "records_export_download": (NO,              NO,                     NO,                     NO,                     NO),
    "records_statements":      (NO,              NO,                     NO,                     (200, 200),             NO),
    "settlement_institution":  (NO,              NO,                     NO,                     NO,                     NO),
    "settlement_key_issue":    (NO,              NO,                     NO,                     NO,                     NO),
    "settlement_key_revoke":   (NO,              NO,                     NO,                     NO,                     NO),
}
ROLE_ORDER = ("reviewer", "production", "clerk", "supervisor", "auditor")


def _state(application):
    application.refresh_from_db()
    return application.state


def _answer(url: Url, world, staff):
    client = staff_client(staff)
    path = reverse(url.name, args=url.args(world))
    response = (client.get(path, url.query(world) if url.query else None) if url.method == "get"
                else client.post(path, url.data(world)))
    if response.status_code in (403, 404):
        return response.status_code
    if url.method == "post":
        assert response.status_code in (200, 302, 400), response.status_code  # 400: the form again, refused
        return "done" if url.effect(world, staff) else "refused"
    assert response.status_code == 200, response.status_code
    if url.marker is None:
        return 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return "listed" if url.marker(world).encode() in body else "unlisted"


def test_the_table_covers_every_staff_url():
    from sscard import staff_urls as urls

    assert {p.name for p in urls.urlpatterns} == {u.name.split(":")[1] for u in URLS.values()}
    assert set(EXPECTED) == set(URLS)


@pytest.mark.django_db
@pytest.mark.parametrize("key", list(URLS))
def test_every_staff_url_answers_each_role_in_and_out_of_its_area(key):
    world = _world()
    got, wanted = {}, {}
    for role, (in_answer, out_answer) in zip(ROLE_ORDER, EXPECTED[key], strict=True):
        for area, expected in (("in", in_answer), ("out", out_answer)):
            with transaction.atomic():  # each member starts from the same world
                areas = [] if role == "auditor" else (in_area(role) if area == "in" else out_of_area(role))
                staff = new_staff([role], areas=areas)
                got[(role, area)] = _answer(URLS[key], world, staff)
                wanted[(role, area)] = expected
                transaction.set_rollback(True)
    assert got == wanted


@pytest.mark.django_db
def test_a_file_mixing_areas_is_visible_only_to_staff_covering_all_its_cases():
    """A city-level operator builds files holding two districts' cases: a member of one district sees
    neither file, its list entry, its download nor its import; the city member sees them. The outlet
    counter still receives its own cards of the mixed batch."""
    city = new_staff(["supervisor"], areas=["city:420100"])
    wuchang_case = new_application(district="420106", state=State.BANK_PREOPENING)
    jiangan_case = new_application(district="420102", state=State.BANK_PREOPENING)
    exchange = production_services.export_bank_request(staff=city, bank=PartnerBank.objects.get(code="icbc"))
    made_here = new_application(district="420106", state=State.IN_PRODUCTION)
    made_there = new_application(district="420102", state=State.IN_PRODUCTION)
    batch = production_services.create_batch(staff=city, manufacturer=Manufacturer.objects.get(code="default"))
    assert set(BankExchangeItem.objects.filter(exchange=exchange).values_list("application", flat=True)) == {
        wuchang_case.pk, jiangan_case.pk}
    assert set(batch.items.values_list("application", flat=True)) == {made_here.pk, made_there.pk}
    production_services.import_batch_result(staff=city, batch=batch, data=RESULT.format(
        code=made_here.office_code, number="B00000009", chip=f"{9:032X}").encode())

    district = new_staff(["supervisor"], areas=["district:420106"])
    answers = {
        # url: (district member, city member)
        reverse("casework:bank"): ("unlisted", "listed"),
        reverse("casework:exchange", args=[exchange.number]): (404, 200),
        reverse("casework:exchange_file", args=[exchange.number]): (404, 200),
        reverse("casework:production"): ("unlisted", "listed"),
        reverse("casework:batch", args=[batch.number]): (404, 200),
        reverse("casework:batch_archive", args=[batch.number]): (404, 200),
    }
    for url, expected in answers.items():
        for member, want in zip((district, city), expected, strict=True):
            response = staff_client(member).get(url)
            if response.status_code == 200 and url in (reverse("casework:bank"), reverse("casework:production")):
                marker = exchange.number if "bank" in url else batch.number
                got = "listed" if marker in response.content.decode() else "unlisted"
            else:
                got = response.status_code
            assert got == want, (url, member.username)
    for call in (lambda: production_services.import_bank_response(staff=district, exchange=exchange, data=BANK_OK.format(
                     code=wuchang_case.office_code).encode()),
                 lambda: production_services.import_batch_result(staff=district, batch=batch, data=RESULT.format(
                     code=made_here.office_code, number="B00000009", chip=f"{9:032X}").encode())):
        with pytest.raises(services.CaseworkError) as refused:
            call()
        assert refused.value.code == "area"
        with translation.override("zh-hans"):
            assert refused.value.translated() == "此文件包含不属于您负责辖区的办件。"
    assert _state(wuchang_case) == State.BANK_PREOPENING
    clerk = new_staff(["clerk"], areas=[f"outlet:{wuchang().pk}"])
    assert delivery.receive_batch_at_outlet(staff=clerk, batch=batch) == 1
    assert CaseFile.objects.get(application=made_here).received_at_outlet is not None
