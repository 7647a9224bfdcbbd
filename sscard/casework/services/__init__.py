"""Everything the back office writes, one module per business area.

- `base`: the domain error, the gate of a case (permission, row lock, area, expected stage), state moves;
- `staff`: members of staff, roles and areas;
- `review`: claim, assignment, the review decisions, sending back to review;
- `deadlines`: suspension, resumption, extension of the time limit;
- `reveal`: showing a masked field in full (audited).

Bank pre-opening and production batches are `sscard.casework.production.services`; delivery, hand-over and
the citizen's confirmation of receipt are `sscard.cards.delivery`. The names below are the public API of
the back office's case actions, so callers keep writing `services.claim(...)`.
"""

from .base import (
    ACTION_LABELS,
    SUBJECT,
    CaseworkError,
    ImportResult,
    machine_role,
    require,
)
from .deadlines import extend_deadline, resume, suspend
from .reveal import REVEALABLE, record_read, reveal
from .review import (
    approve,
    assign,
    claim,
    decide_rejection,
    propose_rejection,
    return_for_correction,
    send_back_to_review,
    start_review,
)
from .staff import create_staff_member, set_roles_and_areas

__all__ = [
    "ACTION_LABELS", "REVEALABLE", "SUBJECT", "CaseworkError", "ImportResult", "approve", "assign", "claim",
    "create_staff_member", "decide_rejection", "extend_deadline", "machine_role", "propose_rejection", "record_read",
    "require", "resume", "return_for_correction", "reveal", "send_back_to_review", "set_roles_and_areas",
    "start_review", "suspend",
]
