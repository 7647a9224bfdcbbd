"""Contribution months of one insurance type, in pure Python: how many months were paid and which months are
missing (gaps) between the first paid month and the last one (or a given month, e.g. the current one).

Months are the first day of the month (`date(2026, 3, 1)` is March 2026), as everywhere in the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


def month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def month_at(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Gap:
    """Months without a paid contribution, `first` to `last` included."""

    first: date
    last: date

    @property
    def months(self) -> int:
        return month_index(self.last) - month_index(self.first) + 1


@dataclass(frozen=True)
class ContributionMonths:
    count: int
    first: date | None
    last: date | None
    gaps: tuple[Gap, ...]


def contribution_months(paid: Iterable[date], *, until: date | None = None) -> ContributionMonths:
    """The count of distinct paid months and the gaps between them; with `until`, months after the last paid
    one up to `until` (included) are a gap too. A month paid twice (two employers) counts once.

    >>> r = contribution_months([date(2025, 1, 1), date(2025, 2, 1), date(2025, 5, 1)])
    >>> r.count, [(g.first.month, g.last.month) for g in r.gaps]
    (3, [(3, 4)])
    """
    indexes = sorted({month_index(m) for m in paid})
    if not indexes:
        return ContributionMonths(0, None, None, ())
    gaps = [Gap(month_at(a + 1), month_at(b - 1)) for a, b in zip(indexes, indexes[1:], strict=False) if b - a > 1]
    if until is not None and month_index(until) > indexes[-1]:
        gaps.append(Gap(month_at(indexes[-1] + 1), month_at(month_index(until))))
    return ContributionMonths(len(indexes), month_at(indexes[0]), month_at(indexes[-1]), tuple(gaps))
