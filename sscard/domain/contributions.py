"""Contribution arithmetic of employee insurance, in pure Python: assessment of a declared base, late fees and
the interest of personal accounts. Money is integer fen; rates are integer basis points (1 bp = 0.01 %).

Rules (Social Insurance Law, Hubei's rates; the figures are data per year and city, `Rates`):

- **Base**: the employer declares each employee's monthly wage. A wage below the city's minimum wage is refused
  (no full-time wage may be lower, so the line is wrong). The contribution base is the wage clamped to 60 %–300 %
  of the year's reference average wage (社平工资); the bounds are `average × pct / 100`, rounded half up to the fen.
  The clamping is reported per line (`floor`, `ceiling` or none).
- **Amounts**: for each insurance type the person is enrolled in, employer amount = base × employer rate and
  employee amount = base × employee rate, each rounded **half up to the fen**, separately (the employer's and the
  employee's shares are each rounded; never the sum). Work injury is employer-only, its rate by industry class.
- **Personal accounts**: the pension account is credited with the employee's pension amount (8 %) when it is
  paid; the medical account with the employee's medical amount (2 %) plus the configured transfer (a part of
  the employer's medical amount, `medical_transfer_bp` of the base, rounded half up; 0 by default).
- **Late fees**: 0.05 % (5 bp) per day of the unpaid amount, from the day after the due date to the day of
  payment (Social Insurance Law art. 86), rounded half up to the fen on the total.
- **Interest**: credited on 31 December on the account's balance at the start of the year (credits of the year
  earn from the next year), at the year's rate, rounded half up to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sscard.domain.enrolment import INSURANCE_TYPES, WORK_INJURY_RATE_BP
from sscard.domain.idnumber import gettext_noop

BP = 10_000  # basis points in one

# Hubei's shares (domain.md "Contributions"); medical's employer rate is configurable per city.
DEFAULT_SHARES_BP = {
    "pension": (1600, 800),
    "medical": (800, 200),
    "unemployment": (70, 30),
}

CLAMP_FLOOR = "floor"
CLAMP_CEILING = "ceiling"

MESSAGES = {
    "below_minimum": gettext_noop("The wage %(wage)s is below the minimum wage of %(minimum)s: check the line."),
    "not_positive": gettext_noop("The wage must be a positive amount in yuan, for example 6500.00."),
}


class ContributionError(ValueError):
    def __init__(self, code: str, params: dict | None = None):
        self.code = code
        self.message = MESSAGES[code]
        self.params = params or {}
        super().__init__(self.message)


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (away from zero for negatives), in integers."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    return sign * ((abs(numerator) * 2 + denominator) // (2 * denominator))


def share(base_fen: int, rate_bp: int) -> int:
    """base × rate, rounded half up to the fen: share(650_000, 800) == 52_000 (8 % of 6,500.00 yuan)."""
    return round_half_up(base_fen * rate_bp, BP)


def yuan(fen: int) -> str:
    """1234567 -> "12345.67" (no thousands separator: files and pages format it themselves)."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"


@dataclass(frozen=True)
class Rates:
    """One year's contribution figures for one city (or the province's default)."""

    year: int
    average_wage_fen: int
    minimum_wage_fen: int
    floor_pct: int = 60
    ceiling_pct: int = 300
    shares_bp: dict = field(default_factory=lambda: dict(DEFAULT_SHARES_BP))
    work_injury_bp: dict = field(default_factory=lambda: dict(WORK_INJURY_RATE_BP))
    medical_transfer_bp: int = 0
    late_fee_bp_per_day: int = 5
    pension_interest_bp: int = 0
    medical_interest_bp: int = 0
    due_day: int = 25

    @property
    def floor_fen(self) -> int:
        return round_half_up(self.average_wage_fen * self.floor_pct, 100)

    @property
    def ceiling_fen(self) -> int:
        return round_half_up(self.average_wage_fen * self.ceiling_pct, 100)

    def rates_bp(self, insurance_type: str, industry_class: int) -> tuple[int, int]:
        """(employer bp, employee bp) of an insurance type."""
        if insurance_type == "work_injury":
            return self.work_injury_bp[industry_class], 0
        return self.shares_bp[insurance_type]


@dataclass(frozen=True)
class Amount:
    insurance_type: str
    employer_fen: int
    employee_fen: int


@dataclass(frozen=True)
class Assessment:
    wage_fen: int
    base_fen: int
    clamp: str  # "", "floor" or "ceiling"
    amounts: tuple[Amount, ...]

    @property
    def employer_fen(self) -> int:
        return sum(a.employer_fen for a in self.amounts)

    @property
    def employee_fen(self) -> int:
        return sum(a.employee_fen for a in self.amounts)

    def amount(self, insurance_type: str) -> Amount | None:
        return next((a for a in self.amounts if a.insurance_type == insurance_type), None)


def clamp_base(wage_fen: int, rates: Rates) -> tuple[int, str]:
    """The contribution base of a declared wage and how it was clamped; refuses a wage below the minimum."""
    if wage_fen <= 0:
        raise ContributionError("not_positive")
    if wage_fen < rates.minimum_wage_fen:
        raise ContributionError("below_minimum", {"wage": yuan(wage_fen), "minimum": yuan(rates.minimum_wage_fen)})
    if wage_fen < rates.floor_fen:
        return rates.floor_fen, CLAMP_FLOOR
    if wage_fen > rates.ceiling_fen:
        return rates.ceiling_fen, CLAMP_CEILING
    return wage_fen, ""


def assess(wage_fen: int, *, types, industry_class: int, rates: Rates) -> Assessment:
    """Clamp the wage and compute each enrolled insurance type's employer and employee amounts."""
    base, clamp = clamp_base(wage_fen, rates)
    amounts = []
    for insurance_type in INSURANCE_TYPES:  # a fixed order: pension, medical, unemployment, work injury
        if insurance_type not in types:
            continue
        employer_bp, employee_bp = rates.rates_bp(insurance_type, industry_class)
        amounts.append(Amount(insurance_type, share(base, employer_bp), share(base, employee_bp)))
    return Assessment(wage_fen=wage_fen, base_fen=base, clamp=clamp, amounts=tuple(amounts))


def account_credits(*, insurance_type: str, base_fen: int, employee_fen: int, rates: Rates) -> dict[str, int]:
    """What a paid ledger row credits to the personal accounts: {"pension": fen} or {"medical": fen}."""
    if insurance_type == "pension":
        return {"pension": employee_fen}
    if insurance_type == "medical":
        return {"medical": employee_fen + share(base_fen, rates.medical_transfer_bp)}
    return {}


def due_date(month: date, rates: Rates) -> date:
    """A month's contributions are due on `due_day` of the following month."""
    year, next_month = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    return date(year, next_month, min(rates.due_day, 28))


def late_fee(amount_fen: int, *, due: date, paid_on: date, bp_per_day: int) -> int:
    """Late fee of an amount due on `due` and paid on `paid_on`: amount × bp/day × days late, half up."""
    days = (paid_on - due).days
    if days <= 0 or amount_fen <= 0:
        return 0
    return round_half_up(amount_fen * bp_per_day * days, BP)


def interest(opening_balance_fen: int, rate_bp: int) -> int:
    """The year's interest on the balance at the start of the year, half up to the fen."""
    if opening_balance_fen <= 0:
        return 0
    return share(opening_balance_fen, rate_bp)
