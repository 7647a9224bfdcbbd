"""Everything bank pre-opening and production read: what waits for a bank or a manufacturer, and the gate to
the exchange files and batches."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from sscard.applications.models import Application
from sscard.domain.casestates import State
from sscard.reference.models import Manufacturer

from ..models import BankExchange, BankExchangeItem, BatchItem, ProductionBatch
from ..roles import perm
from ..selectors import area_filter, cases_visible_to


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



def opened_account(application: Application) -> str:
    item = (application.bank_items.filter(outcome=BankExchangeItem.Outcome.OPENED).order_by("-id").first())
    return item.account_number if item else ""
