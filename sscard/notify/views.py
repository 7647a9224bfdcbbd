from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services

PAGE_SIZE = 20


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.messages_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {
        "page": page, "unread": selectors.unread_count(request.user),
    })


@login_required
@require_GET
def detail(request, pk: int):
    message = services.mark_read(message=selectors.message_for(request.user, pk))
    return render(request, "notify/detail.html", {"message": message})


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, ngettext("%(n)d message marked as read.", "%(n)d messages marked as read.",
                                           count) % {"n": count})
    else:
        messages.info(request, _("You have no unread messages."))
    return redirect("notify:inbox")


@require_GET
def dev_outbox(request):
    """The development SMS outbox: only with DEBUG on, and a plain 404 otherwise."""
    if not settings.DEBUG:
        raise Http404
    return render(request, "notify/dev_outbox.html", {
        "rows": selectors.latest_outbox(50), "gateway": settings.SMS_GATEWAY,
    })
