"""What the application pages show a citizen about their own data, built from validated values or their
own rows: the account's facts on the applicant step, the summary on the confirmation page (ID number and
phone masked), the current answers offered for a correction."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sscard.domain.masking import mask_phone

from .choices import ETHNIC_CODES, Delivery, Nationality, Occupation, Relationship, ethnic_name
from .models import Application


def account_facts(user) -> dict:
    from sscard.domain.idnumber import IdNumberError, parse_id_number

    facts = {"name": user.real_name, "id_number": user.masked_id_number, "phone": user.masked_phone}
    try:
        info = parse_id_number(user.id_number)
    except IdNumberError:
        return facts
    facts.update(sex=_("Male") if info.sex == "M" else _("Female"), birth_date=info.birth_date)
    return facts


def confirmation_summary(fields: dict) -> list[tuple[str, str]]:
    """What the person is about to submit, for the confirmation page (ID number masked)."""
    from sscard.domain import regions
    from sscard.domain.masking import mask_id_number

    def place(prefix):
        codes = [fields.get(f"{prefix}_{k}") for k in ("district", "city", "province")]
        code = next((c for c in codes if c), "")
        return f"{regions.region_full_name(code) or ''} {fields.get(f'{prefix}_detail', '')}".strip()

    rows = [
        (_("Name"), fields["subject_name"]),
        (_("ID number"), mask_id_number(fields["subject_id_number"])),
        (_("Sex"), _("Male") if fields["subject_sex"] == "M" else _("Female")),
        (_("Date of birth"), fields["subject_birth_date"].isoformat()),
    ]
    if fields["for_child"]:
        rows.append((_("Your relationship to the child"), str(Relationship(fields["relationship"]).label)))
    rows += [
        (_("Ethnic group"), ethnic_name(fields["ethnicity"]) if fields["ethnicity"] in ETHNIC_CODES else ""),
        (_("Nationality"), str(Nationality(fields["nationality"]).label)),
        (_("ID document valid until"), _("Long-term") if fields["document_long_term"]
         else fields["document_valid_until"].isoformat()),
        (_("Occupation"), str(Occupation(fields["occupation"]).label)),
        (_("Employer or school"), fields["employer"] or "—"),
        (_("Residential address"), place("res")),
        (_("Partner bank"), fields["bank"].label),
        (_("Delivery"), str(Delivery(fields["delivery"]).label)),
    ]
    if fields["delivery"] == Delivery.POST:
        rows += [(_("Recipient"), fields["recipient_name"]),
                 (_("Recipient's mobile phone"), mask_phone(fields["recipient_phone"])),
                 (_("Postal address"), place("post"))]
    else:
        rows.append((_("Service outlet for pick-up"), f"{fields['outlet'].label} — {fields['outlet'].address}"))
    return rows


def correction_initial(application: Application) -> tuple[dict, dict]:
    personal = {
        "ethnicity": application.ethnicity, "nationality": application.nationality,
        "document_valid_until": application.document_valid_until.isoformat()
        if application.document_valid_until else "",
        "document_long_term": application.document_long_term, "occupation": application.occupation,
        "employer": application.employer, "res_province": application.res_province, "res_city": application.res_city,
        "res_district": application.res_district, "res_detail": application.res_detail,
    }
    delivery = {
        "bank": application.bank_id, "delivery": application.delivery, "outlet": application.outlet_id,
        "recipient_name": application.recipient_name, "recipient_phone": application.recipient_phone,
        "post_province": application.post_province, "post_city": application.post_city,
        "post_district": application.post_district, "post_detail": application.post_detail,
    }
    return personal, delivery
