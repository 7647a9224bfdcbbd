"""Employer users: the legal representative authorises and revokes agents; one person may act for several
employers and picks the one they act for in the workspace."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from sscard.domain.idnumber import make_id_number
from sscard.notify.models import PendingDelivery
from sscard.records import services
from sscard.records.models import EmployerMembership

from .conftest import MARCH_2026, approved_employer, citizen_client, new_citizen

pytestmark = pytest.mark.django_db

NO_ACCOUNT = ("No real-name account matches this name and ID number. The person must first register on this "
              "portal with their real name; then you can authorise them.")


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()  # the per-representative limit of failed look-ups lives in the cache
    yield
    cache.clear()


def test_the_representative_authorises_an_agent_who_then_acts_and_is_told_by_sms():
    employer = approved_employer()
    representative = employer.registered_by
    agent = new_citizen("赵六")
    response = citizen_client(representative).post(reverse("records:workspace"), {
        "action": "grant", "grant-name": "赵六", "grant-id_number": agent.id_number.lower()})
    assert response.status_code == 302
    membership = EmployerMembership.objects.get(employer=employer, user=agent)
    assert (membership.role, membership.granted_by, membership.revoked_at) == ("agent", representative, None)
    assert PendingDelivery.objects.filter(recipient=agent.phone, purpose="employer_agent").exists()
    # the agent acts for the employer: enrols an employee
    employee = new_citizen("钱七")
    services.enrol(user=agent, employer=employer, id_number=employee.id_number, name="钱七",
                   start_month=MARCH_2026, types=["pension", "medical"])
    page = citizen_client(agent).get(reverse("records:workspace")).content.decode()
    assert "Authorised agent" in page and "钱七" in page and employee.id_number not in page
    assert "Authorise an agent" not in page  # only the representative authorises


def test_an_unknown_id_number_and_a_wrong_name_get_the_same_answer():
    employer = approved_employer()
    someone = new_citizen("孙八")
    answers = []
    nobody = make_id_number("110101", date(1990, 3, 7), 777)  # a valid ID number without an account
    for id_number, name in ((someone.id_number, "孙九"), (nobody, "孙八")):
        with pytest.raises(services.RecordsError) as refused:
            services.grant_agent(user=employer.registered_by, employer=employer, id_number=id_number, name=name)
        with translation.override("en"):
            answers.append((refused.value.code, refused.value.field, refused.value.translated()))
    assert answers == [("no_account", "id_number", NO_ACCOUNT)] * 2
    assert not EmployerMembership.objects.filter(role="agent").exists()


def test_failed_look_ups_are_limited_per_representative():
    employer = approved_employer()
    someone = new_citizen("孙八")
    for _attempt in range(services.GRANT_FAILURES_PER_HOUR):
        with pytest.raises(services.RecordsError):
            services.grant_agent(user=employer.registered_by, employer=employer, id_number=someone.id_number,
                                 name="不对")
    with pytest.raises(services.RecordsError) as refused:  # now even the right name is not looked up
        services.grant_agent(user=employer.registered_by, employer=employer, id_number=someone.id_number,
                             name="孙八")
    assert refused.value.code == "too_many"


def test_a_bad_id_number_is_refused_before_any_look_up():
    employer = approved_employer()
    with pytest.raises(services.RecordsError) as refused:
        services.grant_agent(user=employer.registered_by, employer=employer, id_number="360426199101010072",
                             name="张三")
    assert refused.value.code == "id_number_checksum"


def test_only_the_representative_grants_and_revokes_and_a_revoked_agent_no_longer_acts():
    employer = approved_employer()
    agent, other = new_citizen("赵六"), new_citizen("周九")
    membership = services.grant_agent(user=employer.registered_by, employer=employer, id_number=agent.id_number,
                                      name="赵六")
    with pytest.raises(services.RecordsError) as refused:
        services.grant_agent(user=agent, employer=employer, id_number=other.id_number, name="周九")
    assert refused.value.code == "representative_only"
    with pytest.raises(services.RecordsError) as refused:
        services.grant_agent(user=employer.registered_by, employer=employer, id_number=agent.id_number,
                             name="赵六")
    assert refused.value.code == "already_member"
    response = citizen_client(employer.registered_by).post(reverse("records:workspace"), {
        "action": "revoke", "membership": membership.pk})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.revoked_at is not None and membership.revoked_by == employer.registered_by
    with pytest.raises(services.RecordsError) as refused:
        services.enrol(user=agent, employer=employer, id_number=other.id_number, name="周九",
                       start_month=MARCH_2026, types=["pension"])
    assert refused.value.code == "not_member"
    with pytest.raises(services.RecordsError) as refused:  # the representative cannot be revoked as an agent
        services.revoke_agent(user=employer.registered_by, employer=employer,
                              membership=EmployerMembership.objects.get(employer=employer, role="representative"))
    assert refused.value.code == "not_agent"
    # authorised again: a new row, the old one stays as history
    services.grant_agent(user=employer.registered_by, employer=employer, id_number=agent.id_number, name="赵六")
    assert EmployerMembership.objects.filter(employer=employer, user=agent).count() == 2


def test_a_pending_employer_cannot_act():
    from .conftest import register

    citizen = new_citizen()
    employer = register(citizen)
    with pytest.raises(services.RecordsError) as refused:
        services.enrol(user=citizen, employer=employer, id_number=new_citizen().id_number, name="张三",
                       start_month=MARCH_2026, types=["pension"])
    assert refused.value.code in ("not_member", "not_approved")


def test_one_person_acts_for_several_employers_and_picks_one_for_the_session():
    person = new_citizen("吴十")
    own = approved_employer(person, name="吴氏商行")
    other = approved_employer(name="江岸物流有限公司", district="420102")
    services.grant_agent(user=other.registered_by, employer=other, id_number=person.id_number, name="吴十")
    client = citizen_client(person)
    page = client.get(reverse("records:workspace")).content.decode()
    assert "Choose the employer you act for." in page and "吴氏商行" in page and "江岸物流有限公司" in page
    client.post(reverse("records:workspace"), {"action": "choose", "employer": other.pk})
    page = client.get(reverse("records:workspace")).content.decode()
    assert '<h2 id="file-title">江岸物流有限公司</h2>' in page and "Authorise an agent" not in page
    client.post(reverse("records:workspace"), {"action": "choose", "employer": own.pk})
    page = client.get(reverse("records:workspace")).content.decode()
    assert '<h2 id="file-title">吴氏商行</h2>' in page and "Authorise an agent" in page
    # an employer the person does not act for cannot be chosen
    stranger = approved_employer(name="陌生公司")
    client.post(reverse("records:workspace"), {"action": "choose", "employer": stranger.pk})
    page = client.get(reverse("records:workspace")).content.decode()
    assert "陌生公司" not in page


def test_the_acting_employer_ids_are_those_of_the_memberships_for_every_state():
    """`acting_employer_ids` (one prepared statement, read by the cached month view) and `memberships_of` (the ORM
    read of the workspace) state the same rule: a membership not revoked, of an approved employer."""
    from sscard.records.models import Employer
    from sscard.records.selectors import acting_employer_ids, memberships_of

    agent = new_citizen("冯十")
    kept, revoked, suspended = (approved_employer(name=name) for name in ("甲示范有限公司", "乙示范有限公司",
                                                                         "丙示范有限公司"))
    for employer in (kept, revoked, suspended):
        services.grant_agent(user=employer.registered_by, employer=employer, id_number=agent.id_number,
                             name=agent.real_name)
    services.revoke_agent(user=revoked.registered_by, employer=revoked,
                          membership=EmployerMembership.objects.get(employer=revoked, user=agent))
    Employer.objects.filter(pk=suspended.pk).update(state=Employer.State.SUSPENDED)
    assert acting_employer_ids(agent) == [kept.pk]
    assert sorted(acting_employer_ids(agent)) == sorted(m.employer_id for m in memberships_of(agent))
