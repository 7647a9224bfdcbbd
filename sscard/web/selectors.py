from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ServiceItem:
    title: str
    description: str
    url: str
    available: bool


def service_catalogue() -> list[ServiceItem]:
    """The services the portal offers, in the order the catalogue shows them."""
    return [
        ServiceItem(_("Social security card application"),
                    _("Apply online for your social security card and follow its progress."),
                    reverse("applications:service"), True),
        ServiceItem(_("Application progress"),
                    _("Follow an application with its office code."),
                    reverse("applications:progress"), True),
        ServiceItem(_("Social insurance records"),
                    _("Query your contribution and benefit records (Social Insurance Law art. 74)."),
                    "", False),
        ServiceItem(_("Card loss report"),
                    _("Report a lost card temporarily and have it replaced."),
                    "", False),
    ]
