#!/usr/bin/env python3
"""A git merge driver for the gettext catalogues: ours, plus the entries theirs added or changed (by msgctxt+msgid).

Branches that each append entries at the end of a `.po` file conflict there, and git's `union` driver mangles
entries that share their last line. To use it (per clone; it needs polib, which the project's environment has):

    git config merge.pomerge.name "gettext catalogue merge"
    git config merge.pomerge.driver ".venv/bin/python scripts/po_merge_driver.py %O %A %B"
    echo '*.po merge=pomerge' >> .git/info/attributes
"""
import sys

import polib

base_path, ours_path, theirs_path = sys.argv[1:4]


def load(path):
    try:
        return polib.pofile(path, wrapwidth=79)
    except Exception:
        return polib.POFile()


base, ours, theirs = load(base_path), load(ours_path), load(theirs_path)
key = lambda e: (e.msgctxt, e.msgid)  # noqa: E731
base_map = {key(e): e for e in base}
ours_map = {key(e): e for e in ours}
for entry in theirs:
    k = key(entry)
    mine = ours_map.get(k)
    if mine is None:
        ours.append(entry)
        ours_map[k] = entry
        continue
    old = base_map.get(k)
    changed_theirs = old is None or (entry.msgstr, entry.msgstr_plural) != (old.msgstr, old.msgstr_plural)
    unchanged_ours = old is not None and (mine.msgstr, mine.msgstr_plural) == (old.msgstr, old.msgstr_plural)
    if changed_theirs and (unchanged_ours or not mine.msgstr):
        mine.msgstr, mine.msgstr_plural, mine.flags = entry.msgstr, entry.msgstr_plural, entry.flags
ours.save(ours_path)
