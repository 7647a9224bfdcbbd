"""Today's history rows share the abstract rows of core without any change to their tables."""

import pytest
from django.core.management import call_command

from sscard.applications.models import StatusChange
from sscard.casework.models import CaseAction
from sscard.core.models import HistoryRow, StatusHistoryRow


def columns(model) -> set[str]:
    return {field.column for field in model._meta.local_concrete_fields}


def test_the_history_rows_inherit_the_abstract_rows_and_keep_their_tables_and_columns():
    assert issubclass(StatusChange, StatusHistoryRow) and issubclass(CaseAction, HistoryRow)
    # (table, columns) as the migrations of today's main created them, written by hand
    assert StatusChange._meta.db_table == "applications_statuschange"
    # (+ note_text since issue 11: the note as a message key and parameters, read in the reader's language)
    assert columns(StatusChange) == {"id", "application_id", "from_state", "to_state", "actor_id", "role", "at",
                                     "note", "note_text"}
    assert CaseAction._meta.db_table == "casework_caseaction"
    assert columns(CaseAction) == {"id", "application_id", "kind", "actor_id", "at", "reason", "data"}
    assert StatusChange._meta.ordering == ["at", "id"] == CaseAction._meta.ordering
    assert str(StatusChange(from_state="", to_state="submitted")) == "- → submitted"


@pytest.mark.django_db
def test_no_migration_is_needed(capsys):
    call_command("makemigrations", "applications", "casework", check=True, dry_run=True)  # exits 1 on a change
    assert "No changes detected" in capsys.readouterr().out
