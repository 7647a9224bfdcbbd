"""Retention classes of the records (Social Insurance Law art. 74; 2011 Measures on personal rights records):
how long each kind of record is kept, and which models hold it. One table: the retention test
(tests/records/test_retention.py), the database's delete guard (migration records.0008) and docs/records.md
("Retention") all read it. Pure data, no Django: models are named by their "app_label.ModelName" label.

Nothing in the code deletes a row of these models: no admin delete, every foreign key to them PROTECT, no
`.delete()` on them, and the database refuses DELETE on their tables (a trigger; `manage.py flush` of the test
runner alone lifts it). Ending the retention of a row (after 50 or 100 years) is an archiving procedure of its
own, not a code path of this service.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionClass:
    code: str
    years: int | None  # None: permanently
    what: str  # the kind of record, in English (the docs' wording)


PERMANENT = RetentionClass("permanent", None, "employer registration")
PERSONAL_100Y = RetentionClass("personal_100y", 100, "personal registration and personal account records")
CARD_50Y = RetentionClass("card_50y", 50, "card issue and replacement records")
CLASSES = (PERSONAL_100Y, CARD_50Y, PERMANENT)

# model label -> retention class
MODELS: dict[str, RetentionClass] = {
    # Employer registration: the employer file and who acts for it.
    "records.Employer": PERMANENT,
    "records.EmployerMembership": PERMANENT,
    # Personal registration (enrolment, 参保登记) and the personal account records: what was declared, billed,
    # paid, credited and corrected, and the objections that led to corrections.
    "records.Enrolment": PERSONAL_100Y,
    "records.Retirement": PERSONAL_100Y,
    "records.Voucher": PERSONAL_100Y,
    "records.Declaration": PERSONAL_100Y,
    "records.Bill": PERSONAL_100Y,
    "records.Payment": PERSONAL_100Y,
    "records.LedgerEntry": PERSONAL_100Y,
    "records.AccountMovement": PERSONAL_100Y,
    "records.AccountBalance": PERSONAL_100Y,
    "records.BenefitRecord": PERSONAL_100Y,
    "records.Objection": PERSONAL_100Y,
    "records.ObjectionLine": PERSONAL_100Y,
    "records.ObjectionEvidence": PERSONAL_100Y,
    "records.ObjectionStatus": PERSONAL_100Y,
    # Card issue and replacement.
    "cards.Card": CARD_50Y,
    "cards.CardStatusChange": CARD_50Y,
    "cards.CardReplacement": CARD_50Y,
    "cards.CardCancellation": CARD_50Y,
}


def models_of(retention: RetentionClass) -> list[str]:
    return [label for label, kept in MODELS.items() if kept == retention]
