"""Everything the back office reads. Every queue, detail page and export starts from `cases_visible_to`."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sscard.applications import selectors as app_selectors
from sscard.applications.models import STATE_LABELS, Application, StatusChange
from sscard.domain import casestates, workdays
from sscard.domain.casestates import State
from sscard.reference.models import Manufacturer
from sscard.reference.selectors import stage_order

from .models import (
    BankExchange,
    BankExchangeItem,
    BatchItem,
    CaseAction,
    CaseFile,
    ProductionBatch,
    RejectionProposal,
    StaffArea,
)
from .roles import perm

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
                                    change.note, "state"))
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


# --- Bank and production ------------------------------------------------------------------------------------

def awaiting_bank(staff) -> QuerySet[Application]:
    """Approved cases waiting to be sent to their bank (in no exchange still waiting for an answer)."""
    waiting = BankExchangeItem.objects.filter(outcome=BankExchangeItem.Outcome.PENDING).values("application_id")
    return (cases_visible_to(staff).filter(state=State.BANK_PREOPENING).exclude(pk__in=waiting)
            .order_by("submitted_at"))


# A bank exchange or a production batch is one file holding the personal data (full ID numbers, phones,
# addresses, bank accounts, photos) of every case in it. Whoever opens, downloads or answers the file sees
# all of them, so the file goes through the same gate as its cases, with this rule for a file that mixes
# cases of several areas (a city-level operator may build one): **the file is visible only to staff whose
# areas cover ALL its cases** (`cases_visible_to` holds every one of them). Staff of one district cannot
# see a file that also holds another district's cases; an auditor (every area) sees every file. The outlet
# counter is the one partial use: a clerk receives and readies only their own outlets' cards of a batch
# (`batch_at_counter`), never the batch's file or its list.

def _files_covered_by(staff, files: QuerySet, items: QuerySet, file_field: str) -> QuerySet:
    """`files` whose every item (in `items`, pointing to the file by `file_field`) is a case `staff` may see;
    a file without items is nobody's."""
    if not (staff.is_authenticated and staff.is_staff and staff.has_perm(perm("use_workbench"))):
        return files.none()
    files = files.filter(pk__in=items.values(file_field))
    if area_filter(staff) is None:
        return files
    hidden = items.exclude(application__in=cases_visible_to(staff).values("pk")).values(file_field)
    return files.exclude(pk__in=hidden)


def exchanges_visible_to(staff) -> QuerySet[BankExchange]:
    """The gate to bank exchange files: those whose every case is in the staff member's areas (see above)."""
    return _files_covered_by(staff, BankExchange.objects.select_related("bank", "created_by"),
                             BankExchangeItem.objects.all(), "exchange_id")


def exchange_for(staff, number: str) -> BankExchange | None:
    return exchanges_visible_to(staff).filter(number=number).first()


def manufacturer_for(application: Application, manufacturers: list[Manufacturer] | None = None):
    return manufacturer_for_bank(application.bank_id, manufacturers)


def manufacturer_for_bank(bank_id: int, manufacturers: list[Manufacturer] | None = None):
    """The active manufacturer that makes the cards of this bank, else the default one."""
    manufacturers = manufacturers if manufacturers is not None else list(
        Manufacturer.objects.filter(active=True).prefetch_related("banks"))
    for maker in manufacturers:
        if any(bank.pk == bank_id for bank in maker.banks.all()):
            return maker
    return next((m for m in manufacturers if m.is_default), None)


def ready_for_production(staff) -> QuerySet[Application]:
    """Cases with a pre-opened account, in production and in no batch yet."""
    return (cases_visible_to(staff).filter(state=State.IN_PRODUCTION, batch_item__isnull=True)
            .order_by("submitted_at"))


def ready_by_manufacturer(staff) -> list[dict]:
    makers = list(Manufacturer.objects.filter(active=True).prefetch_related("banks"))
    groups: dict[int, dict] = {m.pk: {"manufacturer": m, "count": 0} for m in makers}
    per_bank = ready_for_production(staff).order_by().values_list("bank_id").annotate(n=Count("pk"))
    for bank_id, count in per_bank.values_list("bank_id", "n"):
        maker = manufacturer_for_bank(bank_id, makers)
        if maker is not None:
            groups[maker.pk]["count"] += count
    return list(groups.values())


def batches_visible_to(staff) -> QuerySet[ProductionBatch]:
    """The gate to production batches: those whose every case is in the staff member's areas (see
    `exchanges_visible_to`)."""
    return _files_covered_by(staff, ProductionBatch.objects.select_related("manufacturer", "created_by"),
                             BatchItem.objects.all(), "batch_id")


def batch_for(staff, number: str) -> ProductionBatch | None:
    return batches_visible_to(staff).filter(number=number).first()


def batch_at_counter(staff, number: str) -> ProductionBatch | None:
    """A batch holding at least one case of the clerk's areas: the counter acts on those cases only (the
    services filter every case through `cases_visible_to`); other batches are as if they did not exist."""
    return (ProductionBatch.objects.filter(number=number, items__application__in=cases_visible_to(staff).values("pk"))
            .distinct().first())


def opened_account(application: Application) -> str:
    item = (application.bank_items.filter(outcome=BankExchangeItem.Outcome.OPENED).order_by("-id").first())
    return item.account_number if item else ""


def outlet_batches(staff) -> list[dict]:
    """For the clerk: batches holding produced pick-up cards for the clerk's outlets."""
    visible = cases_visible_to(staff).filter(delivery="pickup", batch_item__card__isnull=False)
    rows: dict[str, dict] = {}
    for application in visible.select_related("batch_item__batch", "casefile").order_by("submitted_at"):
        batch = application.batch_item.batch
        row = rows.setdefault(batch.number, {"batch": batch, "to_receive": 0, "to_mark_ready": 0,
                                              "ready": 0, "collected": 0})
        casefile = casefile_of(application)
        received = casefile is not None and casefile.received_at_outlet is not None
        if application.state == State.IN_PRODUCTION and not received:
            row["to_receive"] += 1
        elif application.state == State.IN_PRODUCTION:
            row["to_mark_ready"] += 1
        elif application.state == State.READY_FOR_PICKUP:
            row["ready"] += 1
        elif application.state == State.COLLECTED:
            row["collected"] += 1
    return list(rows.values())


# --- Dashboard ----------------------------------------------------------------------------------------------

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
    holidays, makeup = app_selectors.holiday_sets()
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
