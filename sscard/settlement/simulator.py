"""A simulated hospital information system: what a designated hospital's system does with the settlement API,
through `client.HospitalClient` (signed requests, new nonce and msgid each). For each patient: read the card
(1101), register the visit (2201), pre-settle (2206), settle (2207), and now and then cancel (2208); at the end
of a day, reconcile the day's totals (3201) and the detail (3202) from its own book of settlements. Used by
`manage.py simulate_hospital`, the tests and the benchmark."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .client import HospitalClient

FIELDS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay")


@dataclass
class Book:
    """The hospital's own record of what the API answered: every settlement and cancellation, by id."""

    lines: dict[str, dict] = field(default_factory=dict)
    cancellations: int = 0
    refusals: Counter = field(default_factory=Counter)

    def totals(self) -> dict:
        return {"settlements": len(self.lines) - self.cancellations, "cancellations": self.cancellations,
                **{name: sum(line[name] for line in self.lines.values()) for name in FIELDS}}

    def detail(self) -> list[dict]:
        return [{"setl_id": setl_id, **{name: line[name] for name in FIELDS}} for setl_id, line in self.lines.items()]


def visit(client: HospitalClient, book: Book, identity: dict, *, med_type: str = "outpatient", total: int = 12_000,
          eligible: int = 10_000, cancel: bool = False) -> dict | None:
    """One patient's visit from card reading to settlement (and its cancellation when `cancel`). Returns the
    settlement's answer, or None when a step was refused (counted in `book.refusals` by code)."""
    status, person = client.person(identity)
    if status != 200 or not person["may_settle"]:
        book.refusals[person.get("code") or ",".join(person.get("refusals", []))] += 1
        return None
    status, registered = client.register(identity, med_type)
    if status != 200:
        book.refusals[registered["code"]] += 1
        return None
    claim = {"med_type": med_type, "total": total, "eligible": eligible, "mdtrt_id": registered["mdtrt_id"]}
    status, estimate = client.pre_settle(identity, **claim)
    if status != 200:
        book.refusals[estimate["code"]] += 1
        return None
    status, settled = client.settle(identity, **claim)
    if status != 200:
        book.refusals[settled["code"]] += 1
        return None
    book.lines[settled["setl_id"]] = {name: settled[name] for name in FIELDS}
    if cancel:
        status, undone = client.cancel(settled["setl_id"])
        if status == 200:
            book.lines[undone["cancel_id"]] = {"medfee_sumamt": -settled["medfee_sumamt"],
                                               **{name: undone[name] for name in FIELDS if name != "medfee_sumamt"}}
            book.cancellations += 1
        else:
            book.refusals[undone["code"]] += 1
    return settled


def reconcile(client: HospitalClient, book: Book, day: str) -> tuple[dict, dict]:
    """The day's totals (3201) and detail (3202) as the hospital's book has them: the API's two answers."""
    return client.totals(day, book.totals())[1], client.detail(day, book.detail())[1]
