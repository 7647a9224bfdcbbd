"""Who may be applied for online, and by whom: the pure rules of `domain/eligibility.py`. ID numbers are the
public test vectors of the domain brief; ages worked out by hand."""

from datetime import date

import pytest

from sscard.domain import eligibility
from sscard.domain.idnumber import make_id_number

TODAY = date(2026, 12, 1)
ADULT = "360426199101010071"  # born 1991-01-01: 35 on TODAY
CHILD_10 = make_id_number("420106", date(2016, 6, 1), 123)  # 10 on TODAY
TURNS_16_TOMORROW = make_id_number("420106", date(2010, 12, 2), 123)  # 15 on TODAY
TURNED_16_TODAY = make_id_number("420106", date(2010, 12, 1), 123)  # 16 on TODAY


@pytest.mark.parametrize(("child", "applicant", "message", "params"), [
    (CHILD_10, ADULT, "", {}),
    (TURNS_16_TOMORROW, ADULT, "", {}),
    (TURNED_16_TODAY, ADULT, eligibility.MSG_CHILD_TOO_OLD, {"age": 16}),
    (ADULT, ADULT, eligibility.MSG_OWN_NUMBER, {}),
    (ADULT, "360426199101010071".lower(), eligibility.MSG_OWN_NUMBER, {}),
])
def test_a_guardian_applies_for_a_child_under_the_guardian_age_with_the_childs_own_number(child, applicant,
                                                                                          message, params):
    verdict = eligibility.for_child(child_id_number=child, applicant_id_number=applicant, guardian_age=16,
                                    today=TODAY)
    assert (verdict.message, verdict.params, verdict.eligible) == (message, params, not message)


def test_a_child_number_that_is_not_valid_is_refused_with_the_id_number_rule_it_breaks():
    from sscard.domain.idnumber import IdNumberError, parse_id_number

    with pytest.raises(IdNumberError) as broken:
        parse_id_number("360426199101010072", today=TODAY)
    verdict = eligibility.for_child(child_id_number="360426199101010072", applicant_id_number=ADULT,
                                    guardian_age=16, today=TODAY)
    assert (verdict.subject, verdict.message, verdict.eligible) == (None, broken.value.message, False)


@pytest.mark.parametrize(("own", "guardian_age", "message", "params"), [
    (ADULT, 16, "", {}),
    (TURNED_16_TODAY, 16, "", {}),
    (TURNS_16_TOMORROW, 16, eligibility.MSG_TOO_YOUNG, {"age": 16}),
    (TURNED_16_TODAY, 18, eligibility.MSG_TOO_YOUNG, {"age": 18}),  # the age of guardianship is configurable
    (None, 16, eligibility.MSG_NO_RESIDENT_ID, {}),  # an account registered with another document
    ("", 16, eligibility.MSG_NO_RESIDENT_ID, {}),
])
def test_a_person_applies_for_themselves_from_the_guardian_age_with_a_resident_id_number(own, guardian_age,
                                                                                        message, params):
    verdict = eligibility.for_self(applicant_id_number=own, guardian_age=guardian_age, today=TODAY)
    assert (verdict.message, verdict.params, verdict.eligible) == (message, params, not message)


def test_the_rules_speak_the_existing_catalogue_messages():
    """The messages moved out of the form keep their msgids, so zh-Hans and es stay translated."""
    import polib

    from sscard import settings

    for lang in ("zh_Hans", "es"):
        catalogue = polib.pofile(str(settings.BASE_DIR / "sscard" / "locale" / lang / "LC_MESSAGES" / "django.po"))
        ids = {entry.msgid for entry in catalogue if entry.msgstr and not entry.obsolete}
        for message in (eligibility.MSG_OWN_NUMBER, eligibility.MSG_CHILD_TOO_OLD, eligibility.MSG_NO_RESIDENT_ID,
                        eligibility.MSG_TOO_YOUNG):
            assert message in ids, (lang, message)
