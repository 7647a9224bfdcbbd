"""The service catalogue: one list of the services the portal offers, shown on the home page (public), on
"My homepage" (the signed-in citizen's service items) and on the personal space (the citizen's own things:
profile, messages, applications, card). The order is the provincial portal's: personal space → "My
homepage" → the service item. It lives with the personal space; the home page (web, a higher layer) reads it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ServiceItem:
    title: str | Promise
    description: str | Promise
    url_name: str  # "" while the service is not offered yet ("Coming soon")
    public: bool  # on the portal home page, for everyone
    personal: bool  # on "My homepage", for a signed-in citizen
    space: bool = False  # on the personal space, beside its main entry "My homepage"

    @property
    def available(self) -> bool:
        return bool(self.url_name)

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""


SERVICES = (
    ServiceItem(_("Social security card application"),
                _("Apply online for your social security card and follow its progress."),
                "applications:service", public=True, personal=True),
    ServiceItem(_("My social security card"),
                _("Your card and its state; confirm here that a posted card has arrived."),
                "cards:mine", public=False, personal=True, space=True),
    ServiceItem(_("My applications"), _("See the stage and timeline of your applications."),
                "applications:mine", public=False, personal=True, space=True),
    ServiceItem(_("My social insurance"), _("Your enrolments in employee insurance, current and past."),
                "records:mine", public=False, personal=True, space=True),
    ServiceItem(_("Application progress"), _("Follow an application with its office code."),
                "applications:progress", public=True, personal=True),
    ServiceItem(_("My messages"), _("Notices about your account and applications."),
                "notify:inbox", public=False, personal=False, space=True),
    ServiceItem(_("Employer workspace"),
                _("Act for an employer: register it, authorise agents, enrol and stop employees."),
                "records:workspace", public=False, personal=False, space=True),
    ServiceItem(_("My profile"), _("Your registered details and mobile number."),
                "accounts:profile", public=False, personal=False, space=True),
    ServiceItem(_("Social insurance records"),
                _("Query your contribution and benefit records (Social Insurance Law art. 74)."),
                "", public=True, personal=True),
    ServiceItem(_("Card loss report"), _("Report a lost card temporarily and have it replaced."),
                "", public=True, personal=True),
)


def service_catalogue(*, personal: bool = False) -> list[ServiceItem]:
    """The services the portal offers, in the order the catalogue shows them: the public ones for the home
    page, or (`personal`) a signed-in citizen's for "My homepage"."""
    return [item for item in SERVICES if (item.personal if personal else item.public)]


# The personal space's order: the citizen's own things first, then their business.
SPACE_ORDER = ("accounts:profile", "notify:inbox", "applications:mine", "cards:mine", "records:mine",
               "records:workspace")


def personal_space_entries() -> list[ServiceItem]:
    """What the personal space lists beside its main entry, "My homepage": profile, messages, applications,
    card, social insurance, and the employer workspace beside the personal space."""
    return sorted((item for item in SERVICES if item.space), key=lambda item: SPACE_ORDER.index(item.url_name))
