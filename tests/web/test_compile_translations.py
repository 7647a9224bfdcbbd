"""`manage.py compile_translations` turns .po catalogues into .mo files that gettext and Django load."""

import gettext
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import translation

HEADER = {
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "MIME-Version": "1.0",
    "Language": "es",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def write_catalogue(root: Path, locale: str, entries: list[polib.POEntry]) -> Path:
    po = polib.POFile()
    po.metadata = {**HEADER, "Language": locale}
    for entry in entries:
        po.append(entry)
    path = root / locale / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_project_catalogues_compile_into_loadable_mo_files():
    call_command("compile_translations", verbosity=0)

    locale_dir = Path(settings.LOCALE_PATHS[0])
    languages = {p.parent.parent.name for p in locale_dir.glob("*/LC_MESSAGES/django.po")}
    assert {"zh_Hans", "es", "en"} <= languages
    for language in languages:
        mo_path = locale_dir / language / "LC_MESSAGES" / "django.mo"
        with mo_path.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)
        assert catalogue.info()["language"] == language
        assert catalogue.charset().lower() == "utf-8"


def test_translated_entries_are_compiled_and_fuzzy_ones_left_out(tmp_path):
    write_catalogue(tmp_path, "es", [
        polib.POEntry(msgid="sscard probe: hello", msgstr="hola"),
        polib.POEntry(msgid="sscard probe: unsure", msgstr="dudoso", flags=["fuzzy"]),
        polib.POEntry(msgid="sscard probe: untranslated", msgstr=""),
        polib.POEntry(msgid="%(count)s card", msgid_plural="%(count)s cards",
                      msgstr_plural={0: "%(count)s tarjeta", 1: "%(count)s tarjetas"}, flags=["python-format"]),
        polib.POEntry(msgid="Dear %(name)s", msgstr="Estimado/a %(name)s", flags=["python-format"]),
    ])

    call_command("compile_translations", str(tmp_path), verbosity=0)

    with (tmp_path / "es" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext("sscard probe: hello") == "hola"
    assert catalogue.gettext("sscard probe: unsure") == "sscard probe: unsure"
    assert catalogue.gettext("sscard probe: untranslated") == "sscard probe: untranslated"
    assert catalogue.ngettext("%(count)s card", "%(count)s cards", 1) == "%(count)s tarjeta"
    assert catalogue.ngettext("%(count)s card", "%(count)s cards", 3) == "%(count)s tarjetas"
    assert catalogue.gettext("Dear %(name)s") % {"name": "Ana"} == "Estimado/a Ana"


def test_django_serves_the_compiled_translations(tmp_path):
    write_catalogue(tmp_path, "es", [polib.POEntry(msgid="sscard probe: card", msgstr="tarjeta")])
    write_catalogue(tmp_path, "zh_Hans", [polib.POEntry(msgid="sscard probe: card", msgstr="社保卡")])
    call_command("compile_translations", str(tmp_path), verbosity=0)

    with override_settings(LOCALE_PATHS=[tmp_path]):
        with translation.override("es"):
            assert translation.gettext("sscard probe: card") == "tarjeta"
        with translation.override("zh-hans"):
            assert translation.gettext("sscard probe: card") == "社保卡"


def test_a_translation_with_unknown_placeholders_is_refused(tmp_path):
    write_catalogue(tmp_path, "es", [
        polib.POEntry(msgid="Dear %(name)s", msgstr="Estimado/a %(nombre)s", flags=["python-format"]),
    ])
    with pytest.raises(CommandError, match="nombre"):
        call_command("compile_translations", str(tmp_path), verbosity=0)
    assert not (tmp_path / "es" / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.parametrize("text", [
    'this is not a catalogue\n',
    'msgid "twice"\nmsgstr "uno"\n\nmsgid "twice"\nmsgstr "dos"\n',
])
def test_a_broken_catalogue_is_reported_with_its_path(tmp_path, text):
    path = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(text)
    with pytest.raises(CommandError, match="django.po"):
        call_command("compile_translations", str(tmp_path), verbosity=0)


def test_no_catalogues_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="no .po files"):
        call_command("compile_translations", str(tmp_path), verbosity=0)
