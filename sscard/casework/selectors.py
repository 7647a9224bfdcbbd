"""Everything the back office reads. Every queue, detail page and export starts from `cases_visible_to`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sscard.applications.models import STATE_LABELS, Application, StatusChange
from sscard.domain import casestates, workdays
from sscard.domain.casestates import State
from sscard.reference import selectors as reference_selectors
from sscard.reference.selectors import stage_order

from .models import (
    CaseAction,
    CaseFile,
    RejectionProposal,
    StaffArea,
)
from .roles import MACHINE_ROLE, perm, roles_of

# The states in the domain's default order; the workbench lists them in the stage table's order
# (reference.selectors.stage_order, edited in the admin).
STAGE_ORDER = [s.state for s in sorted(casestates.DEFAULT_STAGES, key=lambda s: s.order)]
OPEN_STATES = [s for s in STAGE_ORDER if s not in casestates.TERMINAL]


def area_filter(staff) -> Q | None:
    """The Q selecting the applications in the staff member's areas; None when they may read every area."""
    if staff.has_perm(perm("view_all_areas")):
        return None
    query = Q(pk__in=[])
    for area in staff.staff_areas.all():
        if area.kind == StaffArea.Kind.OUTLET:
            query |= Q(outlet_id=area.outlet_id)
        elif area.kind == StaffArea.Kind.DISTRICT:
            query |= Q(res_district=area.region_code) | Q(outlet__district_code=area.region_code)
        else:
            query |= Q(res_city=area.region_code) | Q(outlet__district_code__startswith=area.region_code[:4])
    return query


def cases_visible_to(staff) -> QuerySet[Application]:
    """The one gate to cases: the applications this member of staff may see (their areas only; an auditor
    sees all). Annotated with the effective time limit (`due`)."""
    qs = Application.objects.all()
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("use_workbench"))):
        return qs.none()
    query = area_filter(staff)
    if query is not None:
        qs = qs.filter(query)
    return (qs.select_related("bank", "outlet", "casefile", "casefile__assigned_to")
            .annotate(due=Coalesce(F("casefile__deadline"), F("expected_completion"))))


def areas_of(staff) -> list[StaffArea]:
    return list(staff.staff_areas.select_related("outlet"))


def today() -> date:
    return timezone.localdate()


@dataclass
class QueueFilters:
    stage: str = ""
    area: str = ""  # StaffArea.key
    overdue: bool = False
    mine: bool = False
    q: str = ""


def queue(staff, filters: QueueFilters) -> QuerySet[Application]:
    qs = cases_visible_to(staff)
    if filters.stage:
        qs = qs.filter(state=filters.stage)
    else:
        qs = qs.filter(state__in=OPEN_STATES)
    if filters.area:
        area = next((a for a in staff.staff_areas.all() if a.key == filters.area), None)
        if area is not None:
            if area.kind == StaffArea.Kind.OUTLET:
                qs = qs.filter(outlet_id=area.outlet_id)
            elif area.kind == StaffArea.Kind.DISTRICT:
                qs = qs.filter(Q(res_district=area.region_code) | Q(outlet__district_code=area.region_code))
            else:
                qs = qs.filter(Q(res_city=area.region_code)
                               | Q(outlet__district_code__startswith=area.region_code[:4]))
    if filters.overdue:
        qs = qs.filter(due__lt=today(), state__in=OPEN_STATES)
    if filters.mine:
        qs = qs.filter(casefile__assigned_to=staff)
    if filters.q:
        from sscard.domain import officecode

        qs = qs.filter(office_code=officecode.normalize(filters.q))
    return qs.order_by("due", "submitted_at")


def _count_by_state(cases: QuerySet[Application]) -> dict[str, int]:
    """Cases per state, counted by the database (one GROUP BY, not a row per case)."""
    return dict(cases.order_by().values_list("state").annotate(n=Count("pk")).values_list("state", "n"))


def stage_counts(staff) -> list[dict]:
    counts = _count_by_state(cases_visible_to(staff))
    return [{"state": s, "label": str(STATE_LABELS[s]), "count": counts.get(s, 0)} for s in stage_order()]


def case_for(staff, code: str) -> Application | None:
    from sscard.domain import officecode

    return cases_visible_to(staff).filter(office_code=officecode.normalize(code)).first()


def is_overdue(application: Application) -> bool:
    due = getattr(application, "due", None) or application.expected_completion
    return application.state in OPEN_STATES and due < today()


def pending_rejection(application: Application) -> RejectionProposal | None:
    return application.rejection_proposals.filter(outcome=RejectionProposal.Outcome.PENDING).first()


def casefile_of(application: Application) -> CaseFile | None:
    try:
        return application.casefile
    except CaseFile.DoesNotExist:
        return None


@dataclass
class HistoryEntry:
    at: object
    label: str
    actor: str
    note: str
    kind: str  # "state" or "action"


ACTION_LABELS = {}  # filled by services (labels live beside the actions)


def history(application: Application) -> list[HistoryEntry]:
    """The case history for staff: every state change and every other action, in time order."""
    entries = []
    for change in application.changes.select_related("actor").order_by("at", "id"):
        entries.append(HistoryEntry(change.at, change.state_label, _actor_label(change.actor, change.role),
                                    change.shown_note, "state"))
    for action in application.case_actions.select_related("actor"):
        label = ACTION_LABELS.get(action.kind, action.kind)
        entries.append(HistoryEntry(action.at, str(label), _actor_label(action.actor, ""), action.reason,
                                    "action"))
    entries.sort(key=lambda e: e.at)
    return entries


def _actor_label(actor, role: str) -> str:
    if actor is None:
        return str(_("System")) if not role or role == "system" else role
    if actor.is_staff:
        return actor.real_name or actor.get_username()
    return str(_("Citizen"))


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (nearest-rank method) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class StageStats:
    state: str
    label: str
    count: int
    overdue: int
    average_days: float | None
    p90_days: float | None
    samples: int


@dataclass
class Dashboard:
    stages: list[StageStats] = field(default_factory=list)
    total_average: float | None = None
    total_p90: float | None = None
    total_samples: int = 0
    overdue: list = field(default_factory=list)


def dashboard(staff) -> Dashboard:
    """Counts per stage, time spent in each stage and from submission to collection (working days, from
    the holiday calendar), and the overdue list — over the cases this member may see."""
    visible = cases_visible_to(staff)
    holidays, makeup = reference_selectors.holiday_sets()
    now_date = today()

    def days(start, end) -> int:
        return workdays.working_days_between(timezone.localdate(start), timezone.localdate(end), holidays, makeup)

    counts = _count_by_state(visible)
    late = visible.filter(state__in=OPEN_STATES, due__lt=now_date)
    overdue_counts = _count_by_state(late)
    overdue = list(late.order_by("due"))

    durations: dict[str, list[int]] = {}
    totals: list[int] = []
    changes = (StatusChange.objects.filter(application__in=visible.values("pk"))
               .order_by("application_id", "at", "id").values_list("application_id", "to_state", "at"))
    previous = None
    for app_id, to_state, at in changes:
        if previous is not None and previous[0] == app_id:
            durations.setdefault(previous[1], []).append(days(previous[2], at))
        previous = (app_id, to_state, at)
    submitted = dict(visible.values_list("pk", "submitted_at"))
    for app_id, at in (StatusChange.objects.filter(application__in=visible.values("pk"),
                                                   to_state=State.COLLECTED).values_list("application_id", "at")):
        if app_id in submitted:
            totals.append(days(submitted[app_id], at))

    result = Dashboard(overdue=overdue, total_samples=len(totals))
    if totals:
        result.total_average = round(sum(totals) / len(totals), 1)
        result.total_p90 = percentile(totals, 90)
    for state in stage_order():
        values = durations.get(state, [])
        result.stages.append(StageStats(
            state=state, label=str(STATE_LABELS[state]), count=counts.get(state, 0),
            overdue=overdue_counts.get(state, 0),
            average_days=round(sum(values) / len(values), 1) if values else None,
            p90_days=percentile(values, 90), samples=len(values)))
    return result


def actions_of(application: Application) -> QuerySet[CaseAction]:
    return application.case_actions.select_related("actor")


# --- The case page ------------------------------------------------------------------------------------------

def queue_rows(staff, filters: QueueFilters, limit: int = 200) -> list[dict]:
    """The queue's first `limit` cases with whether each is overdue and who holds it."""
    now = today()
    rows = []
    for application in queue(staff, filters)[:limit]:
        holder = getattr(casefile_of(application), "assigned_to", None)
        rows.append({"application": application, "overdue": application.state in OPEN_STATES and application.due < now,
                     "assigned": getattr(holder, "real_name", "") or getattr(holder, "username", "")})
    return rows


def card_of(application: Application):
    """The card made for this case (a `cards.Card`), or None; read through the application's reverse
    relation, so the back office needs no import of the cards app."""
    return getattr(application, "card", None)


def assignees_for(application: Application) -> QuerySet:
    """Staff who may be given this case: active back office staff who can claim cases and see this one."""
    User = get_user_model()
    candidates = User.objects.filter(is_staff=True, is_active=True, groups__name__startswith="casework:").distinct()
    return User.objects.filter(pk__in=[u.pk for u in candidates
                                       if cases_visible_to(u).filter(pk=application.pk).exists()
                                       and u.has_perm(perm("claim_case"))])


# Actions of the case page that move the case: (target state, the states the page offers them in, or None for
# every state the state machine moves from). Which roles may make the move is the state machine's answer.
CASE_MOVES: dict[str, tuple[State, frozenset[State] | None]] = {
    "start_review": (State.UNDER_REVIEW, frozenset({State.SUBMITTED, State.RESUBMITTED})),
    "approve": (State.BANK_PREOPENING, None),
    "return": (State.RETURNED, None),
    "reject": (State.REJECTED, None),
    "send_back": (State.UNDER_REVIEW, frozenset({State.IN_PRODUCTION})),
    "tracking": (State.POSTED, None),
    "ready": (State.READY_FOR_PICKUP, None),
    "hand_over": (State.COLLECTED, frozenset({State.READY_FOR_PICKUP})),
}


def _may_move(staff, action: str, state: str) -> bool:
    """The state machine allows this action's move from `state` to one of the staff member's roles."""
    target, sources = CASE_MOVES[action]
    if sources is not None and state not in sources:
        return False
    return any(casestates.can_transition(state, target, MACHINE_ROLE[role])
               for role in roles_of(staff) if role in MACHINE_ROLE)


def available_actions(staff, application: Application, *, casefile: CaseFile | None = None,
                      pending: RejectionProposal | None = None) -> set[str]:
    """The actions the case page offers `staff` on `application`: the state machine's moves from its state
    that the member's roles may make, narrowed by their permissions and the case's own conditions (assigned,
    suspended, a rejection pending, in a batch, card made, received at the outlet). The services check
    everything again when the action is taken."""
    state = application.state
    has = staff.has_perm
    suspended = casefile is not None and casefile.suspended_since is not None
    assigned_to = casefile.assigned_to_id if casefile else None
    free_to_decide = not pending and not suspended
    received = casefile is not None and casefile.received_at_outlet is not None
    conditions = {
        "start_review": has(perm("review_case")) and free_to_decide and assigned_to == staff.pk,
        "approve": has(perm("review_case")) and free_to_decide,
        "return": has(perm("review_case")) and free_to_decide,
        "reject": has(perm("review_case")) and free_to_decide,
        "send_back": has(perm("send_back_to_review")) and not hasattr(application, "batch_item"),
        "tracking": (has(perm("dispatch_post")) and application.delivery == "post"
                     and card_of(application) is not None),
        "ready": has(perm("outlet_counter")) and application.delivery == "pickup" and received,
        "hand_over": has(perm("outlet_counter")),
    }
    actions = {action for action, allowed in conditions.items() if allowed and _may_move(staff, action, state)}
    if state in OPEN_STATES:
        if has(perm("claim_case")) and assigned_to != staff.pk:
            actions.add("claim")
        if has(perm("assign_case")):
            actions.add("assign")
        if has(perm("manage_deadline")):
            actions.add("resume" if suspended else "suspend")
            actions.add("extend")
    if pending and has(perm("confirm_rejection")) and pending.proposed_by_id != staff.pk:
        actions.add("decide")
    return actions
