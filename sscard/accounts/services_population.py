"""Importing the population register behind the `register` identity provider."""

from dataclasses import dataclass

from django.db import transaction

from sscard.domain.idnumber import IdNumberError, parse_id_number

from .models import PopulationRecord


@dataclass
class ImportResult:
    created: int
    updated: int
    removed: int


def import_population(*, rows, replace: bool = False) -> ImportResult:
    """Validate every row first; import all of them or none. Row errors name the line, not the person."""
    records: dict[str, str] = {}
    problems = []
    for line, row in enumerate(rows, start=2):
        if "id_number" not in row or "name" not in row:
            raise ValueError("the CSV needs the columns id_number and name")
        name = (row["name"] or "").strip()
        try:
            number = parse_id_number(row["id_number"] or "").number
        except IdNumberError as error:
            problems.append(f"line {line}: {error.message}")
            continue
        if not name:
            problems.append(f"line {line}: the name is empty")
            continue
        records[number] = name
    if problems:
        raise ValueError("nothing imported; " + "; ".join(problems[:20]))
    with transaction.atomic():
        existing = dict(PopulationRecord.objects.filter(id_number__in=records).values_list("id_number", "name"))
        PopulationRecord.objects.bulk_create(
            [PopulationRecord(id_number=n, name=v) for n, v in records.items() if n not in existing], batch_size=1000)
        changed = [n for n, v in records.items() if n in existing and existing[n] != v]
        for number in changed:
            PopulationRecord.objects.filter(id_number=number).update(name=records[number])
        removed = 0
        if replace:
            removed, _ = PopulationRecord.objects.exclude(id_number__in=list(records)).delete()
    return ImportResult(created=len(records) - len(existing), updated=len(changed), removed=removed)
