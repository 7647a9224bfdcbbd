"""The rules of the social security PIN (社保卡密码), pure Python.

A PIN is exactly 6 digits and must not be:
- one digit repeated (000000 ... 999999);
- a run of consecutive digits, ascending or descending, **wrap-around included**: each digit is the one before
  plus one (or minus one) modulo 10, so besides 012345 ... 456789 and 987654 ... 543210 also 567890, 678901,
  789012, 890123, 901234 and 098765, 109876, 210987, 321098, 432109 are refused. On a keypad and in the
  holder's head 890123 is as guessable as 123456, and the 20 runs together cost 20 of 10^6 PINs;
- 6 consecutive digits of the holder's ID number: the ID's digits in order, a check character `X` (or any
  other non-digit) left out, so for 42010619900307123X every 6-digit window of 42010619900307123 is refused.

`pin_problem` answers the first rule broken (a `PinRuleError`: a stable `code`, an English msgid `message`)
or None; `check_new_pin` also compares the PIN with its repetition. Nothing here logs or keeps a PIN.
"""

from __future__ import annotations

PIN_LENGTH = 6


def gettext_noop(s: str) -> str:
    return s


MSG_FORMAT = gettext_noop("The PIN must be exactly 6 digits.")
MSG_ONE_DIGIT = gettext_noop("The PIN must not be one digit repeated, such as 111111.")
MSG_RUN = gettext_noop("The PIN must not be a run of consecutive digits, such as 123456 or 654321.")
MSG_FROM_ID = gettext_noop("The PIN must not be 6 consecutive digits of your ID number.")
MSG_MISMATCH = gettext_noop("The two PINs you entered are not the same.")


class PinRuleError(Exception):
    """A PIN rule broken: `code` is stable (API, tests), `message` an English msgid."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


FORMAT = PinRuleError("pin_format", MSG_FORMAT)
ONE_DIGIT = PinRuleError("pin_one_digit", MSG_ONE_DIGIT)
RUN = PinRuleError("pin_run", MSG_RUN)
FROM_ID = PinRuleError("pin_from_id_number", MSG_FROM_ID)
MISMATCH = PinRuleError("pin_mismatch", MSG_MISMATCH)


def is_well_formed(pin: str) -> bool:
    """Exactly 6 ASCII digits (not full-width or other Unicode digits, not spaces)."""
    return isinstance(pin, str) and len(pin) == PIN_LENGTH and all("0" <= c <= "9" for c in pin)


def is_one_digit(pin: str) -> bool:
    return len(set(pin)) == 1


def is_run(pin: str) -> bool:
    """Each digit is the previous one plus one, or each is the previous one minus one, modulo 10."""
    step = (int(pin[1]) - int(pin[0])) % 10
    if step not in (1, 9):
        return False
    return all((int(b) - int(a)) % 10 == step for a, b in zip(pin[1:], pin[2:], strict=False))


def id_digits(id_number: str) -> str:
    return "".join(c for c in (id_number or "") if "0" <= c <= "9")


def is_from_id_number(pin: str, id_number: str) -> bool:
    return pin in id_digits(id_number)


def pin_problem(pin: str, *, id_number: str = "") -> PinRuleError | None:
    """The first rule `pin` breaks, in the order format, one digit, run, ID number; None if it is acceptable."""
    if not is_well_formed(pin):
        return FORMAT
    if is_one_digit(pin):
        return ONE_DIGIT
    if is_run(pin):
        return RUN
    if is_from_id_number(pin, id_number):
        return FROM_ID
    return None


def check_new_pin(pin: str, repeat: str, *, id_number: str = "") -> None:
    """Raise the `PinRuleError` of the first rule broken by a new PIN, or `MISMATCH` if its repetition differs."""
    problem = pin_problem(pin, id_number=id_number)
    if problem is not None:
        raise PinRuleError(problem.code, problem.message)
    if pin != repeat:
        raise PinRuleError(MISMATCH.code, MISMATCH.message)
