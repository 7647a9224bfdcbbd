"""One plugin registry for every extension point (identity providers, SMS gateways, bank adapters), and one
system check that every setting names a registered plugin."""

import pytest
from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from sscard.accounts.identity.registry import register as identity_providers
from sscard.casework.banks.registry import register as bank_adapters
from sscard.core.checks import check_plugin_settings
from sscard.core.registry import Registry, UnknownPlugin
from sscard.notify.sms.registry import register as sms_gateways


class Greeter:
    def checks(self):
        return []


def make_registry(**options) -> Registry:
    greeters = Registry("greeter", base=Greeter, **options)

    @greeters("hello")
    class Hello(Greeter):
        pass

    @greeters("ahoy")
    class Ahoy(Greeter):
        pass

    return greeters


def test_plugins_are_found_by_id_and_know_their_id():
    greeters = make_registry()
    assert list(greeters) == ["ahoy", "hello"]  # sorted ids
    assert "hello" in greeters and "salut" not in greeters
    hello = greeters.get("hello")
    assert isinstance(hello, Greeter)
    assert hello.identifier == "hello"


def test_an_unknown_id_is_a_clear_configuration_error():
    greeters = make_registry()
    with pytest.raises(UnknownPlugin) as refused:
        greeters.get("salut")
    assert str(refused.value) == "Unknown greeter 'salut' (registered: ahoy, hello)"
    # callers catch it as a configuration error or as a failed look-up
    assert isinstance(refused.value, ImproperlyConfigured)
    assert isinstance(refused.value, LookupError)


def test_an_id_cannot_be_registered_twice_and_the_first_plugin_stays():
    greeters = make_registry()
    first = type(greeters.get("hello"))

    with pytest.raises(ValueError, match="greeter 'hello' is already registered"):
        @greeters("hello")
        class Impostor(Greeter):
            pass

    assert type(greeters.get("hello")) is first


def test_only_plugins_of_the_registry_kind_and_with_an_id_are_accepted():
    greeters = make_registry()
    with pytest.raises(TypeError):
        greeters("bonjour")(object)
    with pytest.raises(TypeError):
        greeters(Greeter)  # the bare-decorator form of the old registries


def test_a_temporary_plugin_is_gone_after_the_block():
    greeters = make_registry()

    class Salut(Greeter):
        pass

    with greeters.temporarily("salut", Salut):
        assert isinstance(greeters.get("salut"), Salut)
    assert "salut" not in greeters


def test_a_mapping_setting_picks_a_plugin_per_key_with_the_default_elsewhere(settings):
    greeters = make_registry(setting="GREETERS", default="hello")
    settings.GREETERS = {"sailor": "ahoy"}
    assert greeters.configured("sailor").identifier == "ahoy"
    assert greeters.configured("anyone").identifier == "hello"
    assert greeters.check() == []
    settings.GREETERS = {"sailor": "aye"}
    [error] = greeters.check()
    assert error.id == "core.E001"
    assert "'aye'" in error.msg and "ahoy, hello" in error.hint


def test_the_three_extension_points_share_the_registry():
    # (registry, ids that must be registered when the apps have loaded), written by hand
    expected = [(identity_providers, {"register", "rules"}), (sms_gateways, {"outbox", "http"}),
                (bank_adapters, {"file_exchange"})]
    for registry, ids in expected:
        assert isinstance(registry, Registry)
        assert ids <= set(registry)


# (setting, value naming no registered plugin, the check id expected), written by hand
UNKNOWN = [
    ("IDENTITY_PROVIDER", "pigeon", "accounts.E001"),
    ("SMS_GATEWAY", "pigeon", "notify.E001"),
    ("BANK_ADAPTERS", {"icbc": "pigeon"}, "casework.E001"),
]


@pytest.mark.parametrize(("setting", "value", "check_id"), UNKNOWN)
def test_a_setting_naming_an_unregistered_plugin_fails_the_system_check(settings, setting, value, check_id):
    assert check_plugin_settings() == []  # the test settings are sound
    setattr(settings, setting, value)
    [error] = check_plugin_settings()
    assert isinstance(error, Error) and error.id == check_id
    assert "'pigeon'" in error.msg and setting in error.msg
    with pytest.raises(SystemCheckError, match=check_id):
        call_command("check")  # the release steps (migrate, collectstatic, check) refuse to run


def test_bank_adapters_is_a_defined_setting_naming_only_registered_adapters(settings):
    # It was read with getattr(settings, "BANK_ADAPTERS", {}) but never defined in settings.py.
    from sscard import settings as project_settings

    assert project_settings.BANK_ADAPTERS == {}
    assert set(project_settings.BANK_ADAPTERS.values()) <= set(bank_adapters)


def test_the_bank_adapters_setting_is_read_from_the_environment(monkeypatch):
    from sscard.settings import env_mapping

    monkeypatch.setenv("SSCARD_BANK_ADAPTERS", " icbc=file_exchange , boc=bank_api,hkb")
    assert env_mapping("SSCARD_BANK_ADAPTERS") == {"icbc": "file_exchange", "boc": "bank_api", "hkb": ""}
    monkeypatch.setenv("SSCARD_BANK_ADAPTERS", "")
    assert env_mapping("SSCARD_BANK_ADAPTERS") == {}
