"""Medical settlement at designated institutions, in pure Python: who may settle, how a bill is split between the
pooled fund, the personal account and the patient, and how a cancellation gives back what a settlement took.

Over ~400 lines because the policy, eligibility, the split and the cancellation are one set of rules that the
property tests check together (a cancellation must undo exactly what the split wrote into the person's year).

The figures are data per year (`SettlementPolicy`, kept in `sscard.reference.SettlementPolicy` and read through
`sscard.reference.selectors.settlement_policy`); the defaults are domain.md's "Medical settlement" (Wuhan-like).
Money is integer fen; ratios are integer basis points (1 bp = 0.01 %). See docs/settlement.md for worked examples.

Rules, in the order `settle` applies them (each step is one entry of the result's `trace`):

1. **Input**: `medfee_sumamt` (the bill, ≥ 0) and `eligible_fen` (the part inside the insurance's scope,
   0 ≤ eligible ≤ total), whole fen; known kind, tier and status. A bill that does not add up is refused
   (`SettlementError` with a stable `code`), nothing computed.
2. **Deductible** (inpatient only; general outpatient has none): the tier's deductible (tier 3 ¥800, tier 2 ¥600,
   tier 1 ¥400, community ¥200), × `repeat_admission_pct` (50 %) from the second admission in the year, that
   product **rounded half up to the fen**. One inpatient settlement is one admission (settled at discharge); the
   admission's number is the year's settled admissions + 1. The patient bears min(eligible, deductible).
   Pharmacies take no inpatient settlement.
3. **Ratio**: (eligible − deductible borne) × the ratio of the tier and of the person's status (in work or
   retired), **rounded half up to the fen** (the only rounding of a payment).
4. **Caps**: the pooled fund pays at most what is left of the annual pooled-fund cap (¥240,000, every pooled-fund
   payment of the year, inpatient and outpatient, counts); a general outpatient payment also at most what is
   left of the outpatient cap (¥3,500 in work, ¥4,500 retired). Caps cut the rounded amount; they never round.
5. **Personal account**: when the patient agrees (`acct_used_flag`), the account pays min(balance, total − fund).
6. **Cash**: the patient pays the remainder, total − fund − account; never negative.

So fund + account + cash = total, exactly, for every input. A cancellation (`cancel`) subtracts the settlement's
`effect` from the person's year: admissions, deductible borne, fund paid (and outpatient fund paid) go back down,
the account is credited back its payment. Because every field of `YearState` is a sum of effects, a cancellation
restores exactly what its settlement took, in whatever order settlements are cancelled.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from types import MappingProxyType

BP = 10_000  # basis points in one


def gettext_noop(s: str) -> str:
    """Marks a string for translation extraction; the Django layer translates it when shown."""
    return s


class Tier(enum.StrEnum):
    """A designated institution's level: hospitals by tier, community health centres, retail pharmacies."""

    TIER3 = "3"
    TIER2 = "2"
    TIER1 = "1"
    COMMUNITY = "community"
    PHARMACY = "pharmacy"


HOSPITAL_TIERS = (Tier.TIER3, Tier.TIER2, Tier.TIER1, Tier.COMMUNITY)


class Kind(enum.StrEnum):
    OUTPATIENT = "outpatient"  # general outpatient (普通门诊)
    INPATIENT = "inpatient"


class Status(enum.StrEnum):
    IN_WORK = "in_work"
    RETIRED = "retired"


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for numerator ≥ 0: round_half_up(65, 10) == 7."""
    if denominator <= 0 or numerator < 0:
        raise ValueError("round_half_up takes a non-negative numerator and a positive denominator")
    return (numerator * 2 + denominator) // (2 * denominator)


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(dict(mapping))


def _by_status(in_work: dict, retired: dict) -> MappingProxyType:
    return _frozen({Status.IN_WORK: _frozen(in_work), Status.RETIRED: _frozen(retired)})


@dataclass(frozen=True)
class SettlementPolicy:
    """One year's settlement figures. Defaults: domain.md's (tier 3 in-work inpatient 86 %, retirees 4 points
    more; the other tiers' inpatient ratios are assumed, 2 points more per tier down: docs/settlement.md).
    General outpatient 85/65/55 %: community and tier 1 85 %, tier 2 65 %, tier 3 55 % (primary care pays most);
    retirees the same ratios with a higher cap; pharmacies no pooled outpatient payment (0 %)."""

    year: int
    inpatient_deductible_fen: MappingProxyType = field(default_factory=lambda: _frozen(
        {Tier.TIER3: 80_000, Tier.TIER2: 60_000, Tier.TIER1: 40_000, Tier.COMMUNITY: 20_000}))
    repeat_admission_pct: int = 50  # the deductible from the second admission in a year, % of the first's
    inpatient_ratio_bp: MappingProxyType = field(default_factory=lambda: _by_status(
        {Tier.TIER3: 8600, Tier.TIER2: 8800, Tier.TIER1: 9000, Tier.COMMUNITY: 9200},
        {Tier.TIER3: 9000, Tier.TIER2: 9200, Tier.TIER1: 9400, Tier.COMMUNITY: 9600}))
    annual_fund_cap_fen: int = 24_000_000
    outpatient_ratio_bp: MappingProxyType = field(default_factory=lambda: _by_status(
        {Tier.TIER3: 5500, Tier.TIER2: 6500, Tier.TIER1: 8500, Tier.COMMUNITY: 8500, Tier.PHARMACY: 0},
        {Tier.TIER3: 5500, Tier.TIER2: 6500, Tier.TIER1: 8500, Tier.COMMUNITY: 8500, Tier.PHARMACY: 0}))
    outpatient_cap_fen: MappingProxyType = field(default_factory=lambda: _frozen(
        {Status.IN_WORK: 350_000, Status.RETIRED: 450_000}))

    def __post_init__(self):
        for name in ("inpatient_deductible_fen", "inpatient_ratio_bp", "outpatient_ratio_bp", "outpatient_cap_fen"):
            value = getattr(self, name)
            if not isinstance(value, MappingProxyType):  # a plain dict given: freeze it (and its inner dicts)
                object.__setattr__(self, name, _frozen(
                    {k: _frozen(v) if isinstance(v, dict) else v for k, v in value.items()}))
        for tier in HOSPITAL_TIERS:
            if self.inpatient_deductible_fen[tier] < 0:
                raise ValueError("a deductible cannot be negative")
            for status in Status:
                if not 0 <= self.inpatient_ratio_bp[status][tier] <= BP:
                    raise ValueError("an inpatient ratio is between 0 and 10000 bp")
        for status in Status:
            if self.outpatient_cap_fen[status] < 0:
                raise ValueError("a cap cannot be negative")
            for tier in Tier:
                if not 0 <= self.outpatient_ratio_bp[status][tier] <= BP:
                    raise ValueError("an outpatient ratio is between 0 and 10000 bp")
        if not 0 <= self.repeat_admission_pct <= 100 or self.annual_fund_cap_fen < 0:
            raise ValueError("repeat_admission_pct is 0-100 and the annual cap not negative")

    def deductible_fen(self, tier: Tier, admission: int) -> int:
        """The deductible of the `admission`-th admission of the year (1-based) at a hospital of `tier`."""
        full = self.inpatient_deductible_fen[tier]
        return full if admission <= 1 else round_half_up(full * self.repeat_admission_pct, 100)


def policy_from_values(values: dict) -> SettlementPolicy:
    """A policy from plain data (tier and status codes as strings, as the reference table and the cache keep
    them): {"year": 2026, "inpatient_deductible_fen": {"3": 80000, ...}, "inpatient_ratio_bp": {"in_work":
    {"3": 8600, ...}, "retired": {...}}, ...}. Missing keys take the defaults; a missing tier is refused."""
    values = dict(values)

    def tiers(mapping):
        return {Tier(k): v for k, v in mapping.items()}

    for name in ("inpatient_deductible_fen",):
        if name in values:
            values[name] = tiers(values[name])
    for name in ("inpatient_ratio_bp", "outpatient_ratio_bp"):
        if name in values:
            values[name] = {Status(s): tiers(m) for s, m in values[name].items()}
    if "outpatient_cap_fen" in values:
        values["outpatient_cap_fen"] = {Status(s): v for s, v in values["outpatient_cap_fen"].items()}
    try:
        return SettlementPolicy(**values)
    except KeyError as missing:
        raise ValueError(f"the policy names no figure for {missing}") from None


# --- eligibility ---------------------------------------------------------------------------------------------

class Ineligible(enum.StrEnum):
    """Why a person cannot settle now: stable codes, the API's error codes use them."""

    NOT_INSURED = "not_insured"
    IN_ARREARS = "in_arrears"
    CARD_NOT_ACTIVE = "card_not_active"
    ECARD_INVALID = "ecard_invalid"


INELIGIBLE_MESSAGES = {
    Ineligible.NOT_INSURED: gettext_noop("The person is not insured under employee medical insurance."),
    Ineligible.IN_ARREARS: gettext_noop("The person's medical insurance contributions are in arrears."),
    Ineligible.CARD_NOT_ACTIVE: gettext_noop("The social security card is not active (lost, cancelled, replaced, "
                                             "expired or not yet enabled)."),
    Ineligible.ECARD_INVALID: gettext_noop("The electronic social security card's code is not valid."),
}

CARD_ACTIVE = "active"  # sscard.domain.cardstates.CardState.ACTIVE: the only state that settles


def eligibility(*, insured: bool, paid_up: bool, card_state: str, ecard_failure: str | None = None,
                by_ecard: bool = False) -> tuple[Ineligible, ...]:
    """Every reason the person may not settle (empty: may settle).

    `insured`/`paid_up` are what the contribution ledger says (enrolled in medical insurance; no arrears).
    `card_state` is the card's state (`cardstates`); the e-card shares it, so a lost or cancelled card refuses
    the e-card too. `by_ecard`: identified by an e-card code, whose verification failed with `ecard_failure`
    (an `ecard.Reason`, None when it verified)."""
    reasons = []
    if not insured:
        reasons.append(Ineligible.NOT_INSURED)
    elif not paid_up:
        reasons.append(Ineligible.IN_ARREARS)
    if card_state != CARD_ACTIVE:
        reasons.append(Ineligible.CARD_NOT_ACTIVE)
    if by_ecard and ecard_failure is not None:
        reasons.append(Ineligible.ECARD_INVALID)
    return tuple(reasons)


# --- the person's year, a claim, a settlement -------------------------------------------------------------------

class SettlementError(ValueError):
    """A claim or state the rules refuse; `code` is stable (the API's error code), `message` to translate."""

    MESSAGES = {
        "unknown_code": gettext_noop("Unknown visit kind, institution tier or insured status."),
        "not_fen": gettext_noop("Amounts are whole numbers of fen."),
        "negative_amount": gettext_noop("Amounts cannot be negative."),
        "eligible_exceeds_total": gettext_noop("The amount inside the insurance's scope exceeds the total bill."),
        "inpatient_at_pharmacy": gettext_noop("A pharmacy cannot settle an inpatient stay."),
        "wrong_year": gettext_noop("The settlement and the person's year do not match."),
        "not_applied": gettext_noop("This settlement is not part of the person's year: nothing to cancel."),
    }

    def __init__(self, code: str):
        self.code = code
        self.message = self.MESSAGES[code]
        super().__init__(self.message)


@dataclass(frozen=True)
class YearState:
    """What a person's settlements of a year add up to: admissions settled, deductible borne, pooled fund paid
    (all kinds; and its general-outpatient part) and the personal account's balance."""

    year: int
    account_balance_fen: int = 0
    admissions: int = 0
    deductible_used_fen: int = 0
    fund_paid_fen: int = 0
    outpatient_fund_paid_fen: int = 0

    def __post_init__(self):
        if min(self.account_balance_fen, self.admissions, self.deductible_used_fen, self.fund_paid_fen,
               self.outpatient_fund_paid_fen) < 0:
            raise ValueError("a year's totals and the account balance are never negative")


@dataclass(frozen=True)
class Claim:
    kind: Kind
    tier: Tier
    status: Status
    medfee_sumamt: int  # the bill, fen
    eligible_fen: int  # inside the insurance's scope (政策范围内), fen
    acct_used_flag: bool = True


@dataclass(frozen=True)
class Effect:
    """What a settlement adds to the person's year (a cancellation subtracts it)."""

    admissions: int = 0
    deductible_fen: int = 0
    fund_fen: int = 0
    outpatient_fund_fen: int = 0
    acct_fen: int = 0


@dataclass(frozen=True)
class Step:
    """One rule applied: `rule` is a stable code, `values` the figures it used and produced (fen, bp)."""

    rule: str
    values: dict


@dataclass(frozen=True)
class Settlement:
    year: int
    medfee_sumamt: int
    fund_pay_sumamt: int
    acct_pay: int
    psn_cash_pay: int
    deductible_fen: int  # the deductible the patient bore in this settlement
    cap_left_fen: int  # the annual pooled-fund cap left after it
    outpatient_cap_left_fen: int | None  # the general outpatient cap left after it (outpatient only)
    effect: Effect
    trace: tuple[Step, ...]


def _check(policy: SettlementPolicy, state: YearState, claim: Claim) -> Claim:
    """The claim with its codes as enums, or the first rule it breaks."""
    try:
        claim = replace(claim, kind=Kind(claim.kind), tier=Tier(claim.tier), status=Status(claim.status))
    except ValueError:
        raise SettlementError("unknown_code") from None
    if any(type(amount) is not int for amount in (claim.medfee_sumamt, claim.eligible_fen)):
        raise SettlementError("not_fen")
    if claim.medfee_sumamt < 0 or claim.eligible_fen < 0:
        raise SettlementError("negative_amount")
    if claim.eligible_fen > claim.medfee_sumamt:
        raise SettlementError("eligible_exceeds_total")
    if claim.kind == Kind.INPATIENT and claim.tier == Tier.PHARMACY:
        raise SettlementError("inpatient_at_pharmacy")
    if policy.year != state.year:
        raise SettlementError("wrong_year")
    return claim


def pre_settle(policy: SettlementPolicy, state: YearState, claim: Claim) -> Settlement:
    """The split of a claim for a person's year, writing nothing (pre-settlement and settlement alike)."""
    claim = _check(policy, state, claim)
    trace = []
    eligible, total = claim.eligible_fen, claim.medfee_sumamt
    deductible, admissions = 0, 0
    if claim.kind == Kind.INPATIENT:
        admissions = 1
        admission = state.admissions + 1
        line = policy.deductible_fen(claim.tier, admission)
        deductible = min(eligible, line)
        trace.append(Step("deductible", {"tier": claim.tier.value, "admission": admission,
                                         "deductible_fen": line, "borne_fen": deductible}))
        ratio = policy.inpatient_ratio_bp[claim.status][claim.tier]
    else:
        ratio = policy.outpatient_ratio_bp[claim.status][claim.tier]
    base = eligible - deductible
    by_ratio = round_half_up(base * ratio, BP)
    trace.append(Step("ratio", {"base_fen": base, "ratio_bp": ratio, "status": claim.status.value,
                                "fund_fen": by_ratio}))
    cap_left = max(0, policy.annual_fund_cap_fen - state.fund_paid_fen)
    fund = min(by_ratio, cap_left)
    trace.append(Step("annual_cap", {"cap_fen": policy.annual_fund_cap_fen, "left_fen": cap_left,
                                     "fund_fen": fund}))
    outpatient_left_after = None
    if claim.kind == Kind.OUTPATIENT:
        cap = policy.outpatient_cap_fen[claim.status]
        outpatient_left = max(0, cap - state.outpatient_fund_paid_fen)
        fund = min(fund, outpatient_left)
        outpatient_left_after = outpatient_left - fund
        trace.append(Step("outpatient_cap", {"cap_fen": cap, "left_fen": outpatient_left, "fund_fen": fund}))
    rest = total - fund
    acct = min(state.account_balance_fen, rest) if claim.acct_used_flag else 0
    trace.append(Step("account", {"used": claim.acct_used_flag, "balance_fen": state.account_balance_fen,
                                  "rest_fen": rest, "acct_fen": acct}))
    cash = rest - acct
    trace.append(Step("cash", {"cash_fen": cash}))
    effect = Effect(admissions=admissions, deductible_fen=deductible, fund_fen=fund,
                    outpatient_fund_fen=fund if claim.kind == Kind.OUTPATIENT else 0, acct_fen=acct)
    return Settlement(year=state.year, medfee_sumamt=total, fund_pay_sumamt=fund, acct_pay=acct,
                      psn_cash_pay=cash, deductible_fen=deductible, cap_left_fen=cap_left - fund,
                      outpatient_cap_left_fen=outpatient_left_after, effect=effect, trace=tuple(trace))


def apply(state: YearState, effect: Effect) -> YearState:
    """The person's year with a settlement's effect added (the account debited)."""
    return replace(state, admissions=state.admissions + effect.admissions,
                   deductible_used_fen=state.deductible_used_fen + effect.deductible_fen,
                   fund_paid_fen=state.fund_paid_fen + effect.fund_fen,
                   outpatient_fund_paid_fen=state.outpatient_fund_paid_fen + effect.outpatient_fund_fen,
                   account_balance_fen=state.account_balance_fen - effect.acct_fen)


def settle(policy: SettlementPolicy, state: YearState, claim: Claim) -> tuple[Settlement, YearState]:
    """The split of a claim and the person's year after it."""
    result = pre_settle(policy, state, claim)
    return result, apply(state, result.effect)


def cancel(state: YearState, settlement: Settlement) -> YearState:
    """The person's year without `settlement`: exactly what it took given back (the account credited with its
    payment). Refused when the year does not contain it (another year, or already cancelled so that a total
    would go negative)."""
    if settlement.year != state.year:
        raise SettlementError("wrong_year")
    e = settlement.effect
    try:
        return replace(state, admissions=state.admissions - e.admissions,
                       deductible_used_fen=state.deductible_used_fen - e.deductible_fen,
                       fund_paid_fen=state.fund_paid_fen - e.fund_fen,
                       outpatient_fund_paid_fen=state.outpatient_fund_paid_fen - e.outpatient_fund_fen,
                       account_balance_fen=state.account_balance_fen + e.acct_fen)
    except ValueError:
        raise SettlementError("not_applied") from None


# --- the trace in words -------------------------------------------------------------------------------------------

TRACE_MESSAGES = {
    "deductible": gettext_noop("Deductible of admission %(admission)s of the year: %(deductible)s yuan; borne by the "
                               "patient: %(borne)s yuan."),
    "ratio": gettext_noop("Pooled fund ratio %(ratio)s%% of %(base)s yuan: %(fund)s yuan (rounded half up to the "
                          "fen)."),
    "annual_cap": gettext_noop("Annual pooled-fund cap %(cap)s yuan, %(left)s yuan left: the fund pays %(fund)s "
                               "yuan."),
    "outpatient_cap": gettext_noop("General outpatient cap %(cap)s yuan, %(left)s yuan left: the fund pays %(fund)s "
                                   "yuan."),
    "account": gettext_noop("The personal account (balance %(balance)s yuan) pays %(acct)s yuan of the %(rest)s yuan "
                            "left."),
    "account_unused": gettext_noop("The personal account is not used (the patient did not agree)."),
    "cash": gettext_noop("The patient pays %(cash)s yuan."),
}


def yuan(fen: int) -> str:
    """1234567 -> "12345.67"."""
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def describe(step: Step) -> tuple[str, dict]:
    """A trace step as a message (English source text, to translate) and its parameters (amounts in yuan)."""
    v = step.values
    if step.rule == "deductible":
        return TRACE_MESSAGES["deductible"], {"admission": v["admission"], "deductible": yuan(v["deductible_fen"]),
                                              "borne": yuan(v["borne_fen"])}
    if step.rule == "ratio":
        return TRACE_MESSAGES["ratio"], {"ratio": f"{v['ratio_bp'] // 100}.{v['ratio_bp'] % 100:02d}",
                                         "base": yuan(v["base_fen"]), "fund": yuan(v["fund_fen"])}
    if step.rule in ("annual_cap", "outpatient_cap"):
        return TRACE_MESSAGES[step.rule], {"cap": yuan(v["cap_fen"]), "left": yuan(v["left_fen"]),
                                           "fund": yuan(v["fund_fen"])}
    if step.rule == "account":
        if not v["used"]:
            return TRACE_MESSAGES["account_unused"], {}
        return TRACE_MESSAGES["account"], {"balance": yuan(v["balance_fen"]), "acct": yuan(v["acct_fen"]),
                                           "rest": yuan(v["rest_fen"])}
    if step.rule == "cash":
        return TRACE_MESSAGES["cash"], {"cash": yuan(v["cash_fen"])}
    raise ValueError(f"unknown trace rule {step.rule!r}")
