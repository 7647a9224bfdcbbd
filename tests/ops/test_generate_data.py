"""`manage.py generate_data`: valid, unique, consistent synthetic data written in bulk."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from sscard.applications.models import Application, CorrectionItem, IssuedOfficeCode, StatusChange
from sscard.applications.selectors import blocking_reason, progress
from sscard.domain import casestates, officecode
from sscard.domain.idnumber import parse_id_number
from sscard.domain.regions import hubei_counties
from sscard.ops.management.commands.generate_data import (
    ADULT_DAYS,
    ADULT_FIRST_BIRTH,
    PASSWORD,
    synthetic_id_number,
    synthetic_phone,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
N = 600


@pytest.fixture
def generated(tmp_path, settings):
    codes = tmp_path / "codes.tsv"
    out = StringIO()
    call_command("generate_data", "--applications", str(N), "--staff", "3", "--seed", "7",
                 "--out-codes", str(codes), stdout=out)
    return codes, out.getvalue()


def test_synthetic_id_numbers_are_valid_hubei_and_one_to_one():
    counties = [code for code, _name in hubei_counties()]
    numbers = [synthetic_id_number(n, counties, ADULT_FIRST_BIRTH, ADULT_DAYS)
               for n in list(range(3000)) + list(range(2_000_000, 2_000_500))]
    assert len(set(numbers)) == len(numbers)
    for number in numbers[::37]:
        info = parse_id_number(number)
        assert info.region_code.startswith("42") and int(number[14:17]) >= 100
    assert len({synthetic_phone(n) for n in range(5000)}) == 5000


def test_every_stage_with_its_history_and_all_invariants(generated):
    codes_file, output = generated
    assert "generated in" in output
    citizens = User.objects.filter(username__startswith="gen-0")
    assert citizens.count() == N
    assert User.objects.filter(username__startswith="gen-staff-", is_staff=True).count() == 3
    applications = list(Application.objects.all())
    assert len(applications) == N
    states = Counter(a.state for a in applications)
    assert set(states) == {s.value for s in casestates.State}  # every stage is represented

    # office codes: valid check character, recorded as issued, unique
    issued = set(IssuedOfficeCode.objects.values_list("code", flat=True))
    assert all(officecode.is_valid(a.office_code) and a.office_code in issued for a in applications)
    # ID numbers valid and the subject's facts consistent with them; one active application per person
    for a in applications[::7]:
        info = parse_id_number(a.subject_id_number)
        assert (info.birth_date, info.sex) == (a.subject_birth_date, a.subject_sex)
    active = [a.subject_id_number for a in applications if a.state in casestates.ACTIVE]
    assert len(active) == len(set(active))
    # the history follows the state machine, starts at submitted and ends in the current state
    history: dict[int, list] = {}
    for change in StatusChange.objects.order_by("application_id", "at", "id"):
        history.setdefault(change.application_id, []).append(change)
    for a in applications:
        changes = history[a.pk]
        assert changes[0].from_state == "" and changes[0].to_state == casestates.State.SUBMITTED
        assert changes[-1].to_state == a.state
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_state == before.to_state
            casestates.check_transition(after.from_state, after.to_state, after.role)
            assert after.at > before.at
    # returned applications list what to correct
    returned = [a for a in applications if a.state == casestates.State.RETURNED]
    assert all(CorrectionItem.objects.filter(application=a, resolved_at__isnull=True).exists() for a in returned)

    # the public look-up finds each one with the keys written for the benchmarks
    lines = codes_file.read_text().splitlines()
    assert len(lines) == N
    for line in lines[::50]:
        code, suffix, state = line.split("\t")
        result = progress(code, suffix)
        assert result.office_code == officecode.format_code(code)
        assert Application.objects.get(office_code=code).state == state

    # the accounts work: a synthetic citizen can log in with the shared password; no active duplicate
    user = citizens.first()
    assert user.check_password(PASSWORD)
    applicant_app = Application.objects.filter(applicant=user).first()
    if applicant_app.state in casestates.ACTIVE and not applicant_app.for_child:
        assert blocking_reason(applicant_app.subject_id_number, user=user).kind == "active"


def test_a_second_run_into_the_same_database_is_refused(generated):
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_data", "--applications", "10", stdout=StringIO())


def test_more_applications_than_citizens_is_refused():
    with pytest.raises(CommandError, match="at least --applications"):
        call_command("generate_data", "--applications", "10", "--citizens", "5", stdout=StringIO())
