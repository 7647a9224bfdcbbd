"""The staff page of card events exchanged with the banks (/staff/bank-events/, permission `bank_exchange`):
events waiting or failed, the day's outgoing file of a file-exchange bank, the imports of the bank's files
(acknowledgements, losses reported at the bank, frozen cards) and the latest freeze reconciliation. Thin:
parse, call one service or selector, render. Events and differences are those of the member's areas."""

from __future__ import annotations

from datetime import date

from django import forms as djforms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from sscard.casework import forms
from sscard.casework.lines import ImportRejected, write_csv
from sscard.casework.workbench import audited_download, import_feedback, need, workbench
from sscard.core.errors import DomainError
from sscard.reference.models import PartnerBank

from . import bank_incoming, bank_outbox, bank_selectors


class BankFileForm(forms.UploadForm):
    """One file from a bank: which bank, which kind of file."""

    bank = djforms.ModelChoiceField(label=_lazy("Bank"), queryset=PartnerBank.objects.filter(active=True),
                                    to_field_name="code")
    kind = djforms.ChoiceField(label=_lazy("Kind of file"), choices=[
        ("ack", _lazy("Acknowledgements of our events (event_id)")),
        ("events", _lazy("Losses reported at the bank (event_id,kind,card_number,occurred_at)")),
        ("frozen", _lazy("Cards frozen at the bank, for the reconciliation (card_number)")),
    ])
    field_order = ["bank", "kind", "file"]


def _page(request, *, errors=(), form=None, status=200):
    return render(request, "cards/bank_events.html", {
        "overview": bank_selectors.bank_overview(request.user),
        "attention": bank_selectors.events_needing_attention(request.user),
        "form": form or BankFileForm(), "errors": list(errors), "today": timezone.localdate(),
        "banks": PartnerBank.objects.filter(active=True), "nav": "bank_events"}, status=status)


@workbench
def bank_events(request: HttpRequest) -> HttpResponse:
    need(request, "bank_exchange")
    return _page(request)


@workbench
def bank_events_file(request: HttpRequest) -> HttpResponse:
    """A bank's outgoing file of a day (`?bank=<code>&day=YYYY-MM-DD`, default today): audited, never cached."""
    need(request, "bank_exchange")
    partner = get_object_or_404(PartnerBank, code=request.GET.get("bank", "")[:50])
    try:
        day = date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        raise Http404 from None
    filename, data = bank_outbox.outgoing_file(staff=request.user, bank=partner, day=day)
    return audited_download(request, data, "text/csv; charset=utf-8", filename,
                            event_type="card.bank_events_downloaded", subject_type="bank", subject_id=partner.code)


@workbench
@require_POST
def bank_events_import(request: HttpRequest) -> HttpResponse:
    need(request, "bank_exchange")
    form = BankFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    data, partner, kind = form.read(), form.cleaned_data["bank"], form.cleaned_data["kind"]
    try:
        if kind == "ack":
            import_feedback(request, bank_outbox.import_ack_file(staff=request.user, bank=partner, data=data,
                                                                 request=request))
        elif kind == "events":
            import_feedback(request, bank_incoming.import_events_file(staff=request.user, bank=partner, data=data,
                                                                      request=request))
        else:
            run = bank_incoming.reconcile(bank=partner, frozen=bank_incoming.read_frozen_file(data), source="file",
                                          actor=request.user, request=request)
            messages.success(request, _("Compared with %(count)s card(s) frozen at the bank.")
                             % {"count": run.frozen_count})
    except ImportRejected as rejected:
        messages.error(request, _("The file was not imported: nothing changed. Fix the lines below and import "
                                  "it again."))
        return _page(request, errors=rejected.errors, form=form)
    except DomainError as error:
        messages.error(request, error.translated())
        return _page(request, form=form)
    return redirect("casework:bank_events")


@workbench
def bank_differences_csv(request: HttpRequest, bank: str) -> HttpResponse:
    """The latest reconciliation's differences among the member's cards (CSV, formulas escaped, audited)."""
    need(request, "bank_exchange")
    partner = get_object_or_404(PartnerBank, code=bank)
    run = bank_selectors.latest_reconciliation(partner)
    rows = [[d.card.card_number, d.kind, d.state_here] for d in
            (bank_selectors.differences(request.user, run) if run else [])]
    data = write_csv(["card_number", "difference", "state_here"], rows)
    return audited_download(request, data, "text/csv; charset=utf-8",
                            f"{partner.code}-freeze-differences-{timezone.localdate().isoformat()}.csv",
                            event_type="card.bank_differences_downloaded", subject_type="bank",
                            subject_id=partner.code)
