"""The records officer: a staff role of its own (a Django group seeded by migration 0002), with the records'
permissions. Staff areas are casework's (`casework.StaffArea`): a records officer sees the employers of their
areas only."""

APP = "records"
OFFICER_GROUP = "records:officer"
OFFICER_PERMISSIONS = ("review_employer", "view_records", "record_payment", "correct_ledger", "handle_objection",
                       "answer_question", "register_retirement")


def perm(codename: str) -> str:
    return f"{APP}.{codename}"
# The records supervisor (migration 0006): the officer's permissions and the approval of bulk exports.
SUPERVISOR_GROUP = "records:supervisor"
