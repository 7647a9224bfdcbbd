"""Reads of the settlement app: a person's own settlements (the "My medical settlements" page) and an
institution's agreement and keys (the staff page). The trace is given in words (`domain.settlement.describe`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from sscard.domain import settlement as rules
from sscard.reference.models import DesignatedInstitution

from .models import InstitutionKey, Voucher


@dataclass(frozen=True)
class SettlementRow:
    voucher: Voucher
    institution_name: str
    cancelled: bool
    steps: list[str]

    @property
    def yuan(self) -> dict:
        v = self.voucher
        return {name: rules.yuan(getattr(v, name))
                for name in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "psn_cash_pay", "deductible_fen")}


def _steps(trace: list[dict]) -> list[str]:
    sentences = []
    for step in trace:
        try:
            message, params = rules.describe(rules.Step(step["rule"], step["values"]))
        except (KeyError, ValueError):
            continue
        sentences.append(gettext(message) % params if params else gettext(message))
    return sentences


def settlements_of(id_number: str, *, limit: int = 200) -> list[SettlementRow]:
    """The person's settlements and cancellations, newest first, each with its trace in words."""
    if not id_number:
        return []
    vouchers = list(Voucher.objects.filter(id_number=id_number).select_related("institution")
                    .order_by("-created_at", "-id")[:limit])
    cancelled = set(Voucher.objects.filter(id_number=id_number, kind=Voucher.Kind.CANCEL)
                    .values_list("cancels", flat=True))
    return [SettlementRow(voucher=v, institution_name=str(v.institution.name), cancelled=v.setl_id in cancelled,
                          steps=_steps(v.trace)) for v in vouchers]


def institution_for_staff(pk: int) -> tuple[DesignatedInstitution, list[InstitutionKey]] | None:
    institution = DesignatedInstitution.objects.filter(pk=pk).first()
    if institution is None:
        return None
    return institution, list(InstitutionKey.objects.filter(institution=institution).order_by("-created_at"))
