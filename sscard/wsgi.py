"""The WSGI entry point (granian or gunicorn in production, `bench/server.py` in the benchmarks).

After Django is set up, every URL's view module is imported and the objects made so far (settings, models,
URLs, views, translations: hundreds of thousands) are moved out of the garbage collector's reach with
`gc.freeze()`. They live as long as the process; without this, each full collection walks all of them, a pause of
tens of milliseconds on every thread of the worker: the slowest 1 % of requests (docs/deploy.md, "Benchmarks")."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
application = get_wsgi_application()


def _warm_and_freeze() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on the first request
    gc.collect()
    gc.freeze()


_warm_and_freeze()
