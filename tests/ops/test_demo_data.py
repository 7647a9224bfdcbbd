import pytest
from django.core.management import call_command

from sscard.accounts.models import User


@pytest.mark.django_db
def test_demo_data_loads_once_and_prints_the_accounts(capsys, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    call_command("load_demo")
    first = capsys.readouterr().out
    count = User.objects.count()
    assert count == 8  # two citizens, five back office roles, a records officer
    assert "13800138000" in first and "reviewer" in first
    call_command("load_demo")
    assert User.objects.count() == count
    assert "already loaded" in capsys.readouterr().out
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.is_staff and reviewer.has_perm("casework.review_case")
    assert not User.objects.get(username="auditor").has_perm("casework.review_case")
    assert User.objects.get(username="records").has_perm("records.review_employer")
    from sscard.records.models import Employer, Enrolment

    employer = Employer.objects.get()
    assert employer.state == "approved" and employer.registered_by.real_name == "张三"
    assert list(Enrolment.objects.values_list("name", "end_month")) == [("李四", None)]
