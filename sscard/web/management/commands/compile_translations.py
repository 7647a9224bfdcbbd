"""Compile the gettext catalogues (`.po`) into `.mo` files with polib, so no GNU gettext is needed to build.

`.mo` files are generated (git-ignored): `make run` and `make test` call this command first.
Like `msgfmt`, fuzzy and untranslated entries are left out; unlike a bare `msgfmt`, a translation whose
`%(name)s` / `{name}` placeholders differ from its source string is an error, because it would crash or
mislead at render time.
"""

import os
import re
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PERCENT_PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")


def placeholder_errors(po: polib.POFile) -> list[str]:
    """Translations whose named placeholders differ from their source string's."""
    errors = []
    for entry in po.translated_entries():
        patterns = []
        if "python-format" in entry.flags:
            patterns.append(PERCENT_PLACEHOLDER)
        if "python-brace-format" in entry.flags:
            patterns.append(BRACE_PLACEHOLDER)
        for pattern in patterns:
            sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
            expected = set().union(*(pattern.findall(s) for s in sources))
            translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            for translation in translations:
                found = set(pattern.findall(translation))
                if found - expected:
                    errors.append(f"line {entry.linenum}: {entry.msgid!r}: unknown placeholders "
                                  f"{sorted(found - expected)} in {translation!r}")
    return errors


def compile_catalogue(po_path: Path) -> tuple[Path, int]:
    """Compile one `.po` file next to itself; returns the `.mo` path and the number of messages in it."""
    try:
        po = polib.pofile(str(po_path), check_for_duplicates=True, wrapwidth=0)
    except (OSError, ValueError) as error:
        raise CommandError(f"{po_path}: {error}") from error
    errors = placeholder_errors(po)
    if errors:
        raise CommandError(f"{po_path}:\n  " + "\n  ".join(errors))
    mo_path = po_path.with_suffix(".mo")
    # Write beside the target and rename, so a reader never sees half a file.
    handle, tmp_name = tempfile.mkstemp(dir=po_path.parent, prefix=".django.", suffix=".mo.tmp")
    os.close(handle)
    try:
        po.save_as_mofile(tmp_name)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, mo_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return mo_path, len(po.translated_entries())


class Command(BaseCommand):
    help = "Compile every <locale dir>/*/LC_MESSAGES/*.po into .mo with polib (no GNU gettext needed)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("locale_dirs", nargs="*", metavar="LOCALE_DIR",
                            help="locale directories to compile (default: settings.LOCALE_PATHS)")

    def handle(self, *args, locale_dirs, verbosity, **options):
        dirs = [Path(d) for d in (locale_dirs or settings.LOCALE_PATHS)]
        catalogues = sorted(p for d in dirs for p in d.glob("*/LC_MESSAGES/*.po"))
        if not catalogues:
            raise CommandError(f"no .po files under {', '.join(str(d) for d in dirs)}")
        for po_path in catalogues:
            mo_path, count = compile_catalogue(po_path)
            if verbosity >= 2:
                self.stdout.write(f"{mo_path}: {count} messages")
        if verbosity >= 1:
            languages = ", ".join(sorted({p.parent.parent.name for p in catalogues}))
            self.stdout.write(f"translations compiled: {len(catalogues)} catalogue(s) ({languages})")
