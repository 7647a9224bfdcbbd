"""Staff roles, their permissions and the state-machine role each one acts as.

A role is a Django group (seeded by a data migration); what a member may do is the group's permissions,
checked with `user.has_perm`, never an if-statement on the group's name. The state machine
(`sscard.domain.casestates`) still has the last word on which transition a role may make.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sscard.domain.casestates import Role

APP = "casework"

# codename -> description (the permissions live on CaseFile.Meta.permissions)
PERMISSIONS = {
    "use_workbench": "Can use the staff workbench",
    "view_all_areas": "Can read the cases of every area",
    "claim_case": "Can claim a case",
    "assign_case": "Can assign a case to a colleague",
    "review_case": "Can review a case (approve, return, propose rejection)",
    "confirm_rejection": "Can confirm or decline a proposed rejection",
    "manage_deadline": "Can suspend a case or extend its time limit",
    "send_back_to_review": "Can send a case in production back to review",
    "bank_exchange": "Can exchange files with partner banks",
    "production_batch": "Can export and import card production batches",
    "dispatch_post": "Can record post tracking numbers",
    "outlet_counter": "Can receive cards at an outlet and hand them over",
    "reveal_personal_data": "Can reveal a masked personal data field",
    "view_dashboard": "Can read the supervisor dashboard",
    "resolve_id_number": "Can propose giving a squatted ID number back to its holder",
    "confirm_id_number": "Can confirm or decline giving a squatted ID number back",
    "confirm_cancellation": "Can confirm or decline the cancellation of a card",
}


class StaffRole:
    REVIEWER = "reviewer"
    PRODUCTION = "production"
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"


ROLE_LABELS = {
    StaffRole.REVIEWER: _("Reviewer"),
    StaffRole.PRODUCTION: _("Production operator"),
    StaffRole.CLERK: _("Outlet clerk"),
    StaffRole.SUPERVISOR: _("Supervisor"),
    StaffRole.AUDITOR: _("Auditor"),
}

# The group of each role is named after it ("casework:reviewer", ...).
GROUP_PREFIX = "casework:"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    StaffRole.REVIEWER: frozenset({"use_workbench", "claim_case", "review_case", "manage_deadline",
                                   "reveal_personal_data"}),
    StaffRole.PRODUCTION: frozenset({"use_workbench", "claim_case", "bank_exchange", "production_batch",
                                     "dispatch_post"}),
    StaffRole.CLERK: frozenset({"use_workbench", "outlet_counter", "reveal_personal_data", "resolve_id_number"}),
    StaffRole.SUPERVISOR: frozenset({"use_workbench", "claim_case", "assign_case", "review_case",
                                     "confirm_rejection", "manage_deadline", "send_back_to_review",
                                     "bank_exchange", "production_batch", "dispatch_post", "outlet_counter",
                                     "reveal_personal_data", "view_dashboard", "resolve_id_number",
                                     "confirm_id_number", "confirm_cancellation"}),
    StaffRole.AUDITOR: frozenset({"use_workbench", "view_all_areas", "view_dashboard"}),
}

# The role each staff role acts as in the case state machine (the auditor changes nothing).
MACHINE_ROLE = {
    StaffRole.REVIEWER: Role.REVIEWER,
    StaffRole.PRODUCTION: Role.PRODUCTION,
    StaffRole.CLERK: Role.CLERK,
    StaffRole.SUPERVISOR: Role.SUPERVISOR,
}
# When a member has several roles, the first one the transition allows is recorded.
MACHINE_ROLE_ORDER = (StaffRole.REVIEWER, StaffRole.PRODUCTION, StaffRole.CLERK, StaffRole.SUPERVISOR)


def group_name(role: str) -> str:
    return f"{GROUP_PREFIX}{role}"


def roles_of(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_casework_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__startswith=GROUP_PREFIX).values_list("name", flat=True))
        cached = [role for role in ROLE_LABELS if group_name(role) in names]
        user._casework_roles = cached
    return cached


def perm(codename: str) -> str:
    return f"{APP}.{codename}"
