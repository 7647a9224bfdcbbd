"""Who the patient is and whether they may settle now (docs/settlement.md, "Eligibility"): the card (by card number
and chip identifier, or by the e-card token), its state, and the person's standing in employee medical insurance
(`records.person_selectors`: insured, not in arrears, retired), read in one statement with the card (a second one only
for a person with a ledger record that was ever in arrears).

Read before anything is locked or written; nothing here writes, except `use_ecard` (a settlement consumes the
e-card token it was identified by)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db.models import OuterRef

from sscard.cards import ecards
from sscard.cards.models import Card
from sscard.core import prepared
from sscard.domain import settlement as rules
from sscard.domain.retirement import RetirementStatus, insured_as_retiree
from sscard.records.person_selectors import in_arrears, medical_standing_exists

from . import years
from .errors import Refused


class Patient(NamedTuple):
    card_id: int
    card_number: str
    id_number: str
    card_state: str
    insured: bool
    paid_up: bool
    status: str  # in work or retired on the day (`rules.Status`), from the records' retirement
    name: str  # the card's subject's name, when asked for (`with_name`), else ""
    ecard: ecards.Status | None  # the e-card token's verification, when identified by one
    year_row: tuple | None = None  # the person's year, locked with the card's read (`lock_year`), for `years.lock`

    @property
    def ecard_failure(self) -> str | None:
        return None if self.ecard is None or self.ecard.valid else self.ecard.status

    def refusals(self) -> tuple:
        """Every reason the person may not settle now (empty: may settle)."""
        return rules.eligibility(insured=self.insured, paid_up=self.paid_up, card_state=self.card_state,
                                 by_ecard=self.ecard is not None, ecard_failure=self.ecard_failure)


def _card_query(day: date, with_name: bool, **where):
    fields = ["pk", "card_number", "holder_id_number", "state", "insured", "ever_in_arrears", "retired_from",
              "ever_medical"]
    if with_name:
        fields.append("application__subject_name")
    return (Card.objects.filter(**where).annotate(**medical_standing_exists(OuterRef("holder_id_number"), day))
            .values_list(*fields).order_by())


_SENTINELS = {"card_no": "\x00card_no\x00", "card_sn": "\x00card_sn\x00"}
_compiled: dict[tuple, tuple[str, tuple]] = {}
_CARD_COLUMNS = 8  # _card_query's columns before the name


def _by_number(day: date, with_name: bool, card_no: str, card_sn: str, lock_year: int | None = None) -> tuple | None:
    """The card by number and chip identifier, with the standing: the query is built and compiled by the ORM once
    a day per process (the day is in it) and then run as SQL with each request's values (building the queryset
    with its subqueries cost more than the database's answer), as a prepared statement on PostgreSQL. With
    `lock_year` (where `years.lock_beside` can), the person's year and balance are locked in the same statement
    (a LATERAL subquery on the card's ID number): their six columns follow the card's (NULLs when no row)."""
    beside = years.lock_beside("c.holder_id_number", lock_year) if lock_year is not None else None
    key = (day, with_name, lock_year if beside is not None else None)
    found = _compiled.get(key)
    if found is None:
        sql, params = _card_query(day, with_name, card_number=_SENTINELS["card_no"],
                                  chip_id=_SENTINELS["card_sn"]).query.sql_with_params()
        params = tuple(params)
        if beside is not None:
            sql = f"SELECT c.*, l.* FROM ({sql}) c LEFT JOIN LATERAL ({beside[0]}) l ON TRUE"
            params = (*params, *beside[1])
        found = _compiled[key] = (sql, params)
        if len(_compiled) > 8:  # the days gone by
            _compiled.clear()
            _compiled[key] = found
    sql, params = found
    values = {_SENTINELS["card_no"]: card_no, _SENTINELS["card_sn"]: card_sn}
    # Prepared on PostgreSQL: the standing asks the year-partitioned ledger, whose planning costs more than the
    # answer (core/prepared.py).
    return prepared.fetchone(sql, [values.get(param, param) if isinstance(param, str) else param
                                   for param in params])


def identify(*, day: date, card_no: str = "", card_sn: str = "", ecard_token: str = "",
             with_name: bool = False, lock_year: int | None = None) -> Patient:
    """The patient's card with the person's standing on `day`: one statement (two with an e-card token: the
    token's e-card row first). `Refused`: identity_required, card_not_found, ecard_invalid (an e-card token we
    cannot tie to a card). `lock_year` (a settlement, inside its transaction): by card number on PostgreSQL, the
    person's year and balance are locked in the same statement (`year_row`, for `years.lock`)."""
    status = None
    if ecard_token:
        status = ecards.check_token(ecard_token, with_card=True)
        if status.ecard is None:
            raise Refused("ecard_invalid")
        row = _card_query(day, with_name, pk=status.ecard.card_id).first()
    elif not card_no or not card_sn:
        raise Refused("identity_required")
    else:
        row = _by_number(day, with_name, card_no[:9], card_sn[:32], lock_year)
    if row is None:
        raise Refused("card_not_found")
    retired_from = row[6]
    if isinstance(retired_from, str):  # SQLite answers the subquery's date as text
        retired_from = date.fromisoformat(retired_from)
    retired = RetirementStatus(day=day, since=retired_from).retired
    insured = row[4] or insured_as_retiree(retired_from=retired_from, day=day, ever_enrolled_medical=row[7])
    paid_up = insured and not (row[5] and in_arrears(row[2]))  # a row ever in arrears: is one still the record?
    locked = _CARD_COLUMNS + with_name
    return Patient(card_id=row[0], card_number=row[1], id_number=row[2], card_state=row[3], insured=bool(insured),
                   paid_up=bool(paid_up), status=(rules.Status.RETIRED if retired else rules.Status.IN_WORK).value,
                   name=row[8] if with_name else "", ecard=status,
                   year_row=row[locked:] if len(row) > locked else None)


def eligible(identity: dict, day: date, *, lock_year: int | None = None) -> Patient:
    """The patient, or `Refused` with the first reason they may not settle (`lock_year`: as `identify`)."""
    patient = identify(day=day, lock_year=lock_year, **identity)
    reasons = patient.refusals()
    if reasons:
        raise Refused(str(reasons[0]))
    return patient


def use_ecard(patient: Patient) -> None:
    """A settlement consumes the e-card token the patient was identified by (`cards.ecards.use_token`, by
    "settlement"), in the settlement's transaction: the same token cannot settle twice (`ecard_used`); a
    settlement refused or rolled back leaves it unused. A token without a token id (this site never issues one)
    cannot be used once: refused as `ecard_invalid`."""
    if patient.ecard is None:
        return
    if not (patient.ecard.claims or {}).get("cti"):
        raise Refused("ecard_invalid")
    if ecards.use_token(patient.ecard, by="settlement").status == ecards.STATUS_REPLAYED:
        raise Refused("ecard_used")
