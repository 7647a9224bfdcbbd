"""`core.rows`: writes without the ORM's per-row work, and `together()`, which sends a block's writes as one
statement at its end (PostgreSQL) or one by one (SQLite). What a caller relies on: nothing is written before the
end, everything is written at the end, an exception writes nothing, a row count that is wrong and a constraint
that refuses are raised at the end."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sscard.core.rows import insert_row, together, write
from sscard.records.ledger_models import AccountBalance, BenefitRecord

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 9)
BALANCE = AccountBalance._meta.db_table


def _benefit(ref: str, amount_fen: int = 100) -> None:
    insert_row(BenefitRecord, id_number="420106199001011234", benefit_type="medical_settlement", period_start=DAY,
               period_end=DAY, amount_fen=amount_fen, source_type="settlement", source_ref=ref,
               created_at=timezone.now())


def _add_to_balance(amount_fen: int, id_number: str = "420106199001011234") -> None:
    write(f"UPDATE {BALANCE} SET balance_fen = balance_fen + %s WHERE id_number = %s AND account = %s",
          [amount_fen, id_number, "medical"], rows=1, error=lambda: LookupError(f"no balance of {id_number}"))


@pytest.fixture
def balance():
    return AccountBalance.objects.create(id_number="420106199001011234", account="medical", balance_fen=1_000,
                                         updated_at=timezone.now())


def test_outside_a_block_each_write_runs_at_once(balance):
    _benefit("S1")
    assert BenefitRecord.objects.filter(source_ref="S1").count() == 1
    _add_to_balance(-300)
    assert AccountBalance.objects.get().balance_fen == 700
    with pytest.raises(LookupError, match="no balance of 420199001010000000"):
        _add_to_balance(5, id_number="420199001010000000")


def test_a_block_writes_nothing_before_its_end_and_everything_at_its_end(balance):
    with CaptureQueriesContext(connection) as captured, together():
        _benefit("S1", 250)
        _add_to_balance(-250)
        _benefit("S2", 50)
        assert captured.captured_queries == []  # nothing sent yet
        assert BenefitRecord.objects.count() == 0 and AccountBalance.objects.get().balance_fen == 1_000
        reads = len(captured.captured_queries)
    sent = [query["sql"] for query in captured.captured_queries[reads:]]
    assert sorted(BenefitRecord.objects.values_list("source_ref", "amount_fen")) == [("S1", 250), ("S2", 50)]
    assert AccountBalance.objects.get().balance_fen == 750
    if connection.vendor == "postgresql":
        assert len(sent) == 1 and sent[0].startswith("WITH ")  # one statement, one round trip
    else:
        assert [sql.split()[0] for sql in sent] == ["INSERT", "UPDATE", "INSERT"]


def test_an_exception_inside_a_block_writes_nothing(balance):
    with pytest.raises(ZeroDivisionError), together():
        _benefit("S1")
        _add_to_balance(-100)
        1 / 0  # noqa: B018 - the work fails half-way
    assert BenefitRecord.objects.count() == 0 and AccountBalance.objects.get().balance_fen == 1_000


def test_a_wrong_row_count_is_raised_at_the_end_and_the_transaction_rolls_back(balance):
    with pytest.raises(LookupError, match="no balance of 420199001010000000"), transaction.atomic(), together():
        _benefit("S1")
        _add_to_balance(-100)
        _add_to_balance(-100, id_number="420199001010000000")  # no such balance row: 0 rows, 1 expected
    assert BenefitRecord.objects.count() == 0 and AccountBalance.objects.get().balance_fen == 1_000


def test_a_constraint_refuses_at_the_end_and_nothing_of_the_block_stays(balance):
    _benefit("S1")
    with pytest.raises(IntegrityError), transaction.atomic(), together():
        _benefit("S2")
        _add_to_balance(-100)
        _benefit("S1")  # the reference is taken: the unique constraint refuses
    assert list(BenefitRecord.objects.values_list("source_ref", flat=True)) == ["S1"]
    assert AccountBalance.objects.get().balance_fen == 1_000


def test_a_block_inside_a_block_joins_it(balance):
    with CaptureQueriesContext(connection) as captured, together():
        _benefit("S1")
        with together():
            _add_to_balance(-40)
        assert captured.captured_queries == [] and AccountBalance.objects.get().balance_fen == 1_000
    assert AccountBalance.objects.get().balance_fen == 960 and BenefitRecord.objects.count() == 1


def test_a_block_with_one_write_sends_it_as_it_is(balance):
    with CaptureQueriesContext(connection) as captured, together():
        _add_to_balance(10)
    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["UPDATE"]
    assert AccountBalance.objects.get().balance_fen == 1_010
