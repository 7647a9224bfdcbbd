"""What the case page shows of the application: every field the citizen entered, coded values (regions,
ethnic group, nationality, occupation) named in the staff member's language, personal data masked; a masked
field can be revealed in full with a reason (`services.reveal`, audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from sscard.applications.choices import ETHNIC_CODES, Nationality, Occupation, ethnic_name
from sscard.applications.models import Application
from sscard.domain import regions
from sscard.domain.masking import mask_name, mask_phone

HIDDEN = "***"


@dataclass
class Fact:
    label: str
    value: str  # what is shown: the plain value, or the masked one
    field: str = ""  # the revealable field, if the value is masked
    prefix: str = ""  # shown before the value and before the revealed value (an address's region names)
    revealed: str | None = None  # the full value, once, after an audited reveal


def region_label(code: str) -> str:
    """An address's region in full (湖北省武汉市武昌区), with the district's own name in the reader's language
    when it is not Chinese: the address is written in Chinese, the name helps the reader place it."""
    if not code:
        return ""
    full = regions.region_full_name(code) or code
    language = get_language() or ""
    if language.startswith("zh"):
        return full
    own = regions.localized_name(code, language)
    return f"{full} ({own})" if own and own != full else full


def _choice(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def case_facts(application: Application, revealed: dict | None = None) -> list[Fact]:
    """The application's fields for the case page, in order of the form."""
    revealed = revealed or {}
    a = application
    rows = [
        Fact(_("Name"), a.masked_name, "subject_name"),
        Fact(_("ID number"), a.masked_id_number, "subject_id_number"),
        Fact(_("Sex"), _("Male") if a.subject_sex == "M" else _("Female")),
        Fact(_("Date of birth"), "****-**-**", "subject_birth_date"),
        Fact(_("Applicant's mobile phone"), mask_phone(a.applicant.phone or ""), "applicant_phone"),
    ]
    if a.for_child:
        # Brackets follow the language (full-width in Chinese), as the templates' `open_paren`/`close_paren`.
        remark = pgettext("punctuation", " (") + str(a.get_relationship_display()) + pgettext("punctuation", ")")
        rows.append(Fact(_("Applied by"), _("A guardian") + remark))
    rows += [
        Fact(_("Ethnic group"), ethnic_name(a.ethnicity) if a.ethnicity in ETHNIC_CODES else a.ethnicity),
        Fact(_("Nationality"), _choice(Nationality, a.nationality)),
        Fact(_("ID document valid until"), _("Long-term") if a.document_long_term
             else (a.document_valid_until.isoformat() if a.document_valid_until else "—")),
        Fact(_("Occupation"), _choice(Occupation, a.occupation)),
        Fact(_("Employer or school"), a.employer or "—"),
        Fact(_("Residential address"), HIDDEN, "res_detail", prefix=region_label(a.res_district or a.res_city)),
    ]
    if a.delivery == "post":
        rows += [
            Fact(_("Recipient"), mask_name(a.recipient_name), "recipient_name"),
            Fact(_("Recipient's mobile phone"), mask_phone(a.recipient_phone or ""), "recipient_phone"),
            Fact(_("Postal address"), HIDDEN, "post_detail", prefix=region_label(a.post_district or a.post_city)),
        ]
    for row in rows:
        if row.field and row.field in revealed:
            row.revealed = str(revealed[row.field])
    return rows

