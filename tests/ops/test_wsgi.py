"""The WSGI entry point a production server loads (`sscard.wsgi:application`)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import sys
import sscard.wsgi
print(gc.get_freeze_count())
print(sum(name.startswith("sscard.") and name.endswith("views") for name in sys.modules))
"""


def test_loading_the_application_imports_every_view_and_puts_its_objects_beyond_the_collector():
    """A worker starts with its URLs and views imported and the start-up objects frozen, so that a full garbage
    collection during a request walks only what requests made (no pause of tens of milliseconds on every thread)."""
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SSCARD_ACCEPT_UNVERIFIED_IDENTITY": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, view_modules = (int(line) for line in done.stdout.split())
    assert frozen > 50_000  # the settings, models, URLs and views of a Django project of this size
    assert view_modules >= 20  # imported before the first request (sscard/*/views.py, */staff_views.py, ...)
