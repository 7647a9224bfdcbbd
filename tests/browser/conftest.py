"""Browser test harness: Debian's Chromium driven by Playwright, pages served by pytest-django's live_server.

Fixtures:
  page            a fresh context per test, 1280x900, base_url = live_server.url
  phone_page      the same at 375x812 (a small phone)
  make_page       factory: make_page(viewport=..., locale=...) for anything else
  assert_accessible(page)   runs axe-core in the page; zero violations allowed (pages opened with
                            make_page(java_script_enabled=False) too)
  screenshot(page, name)    saves docs/screenshots/<name>.png
  console_errors(page)      console errors and uncaught exceptions seen by that page so far

Language: the browser's locale (sent as Accept-Language) defaults to zh-CN, the portal's default
language. A test picks another one with `@pytest.mark.locale("es")`.

Every test here gets the `browser` marker and the database through `transactional_db`, so the
live server thread sees what the test writes. Without /usr/bin/chromium every browser test is
skipped and the reason is printed loudly at the end of the run.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SSCARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
DEFAULT_LOCALE = "zh-CN"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
HERE = Path(__file__).resolve().parent
NOSCRIPT_TAG = re.compile(r"<(/?)noscript\b", re.IGNORECASE)

SKIP_REASON = f"Chromium not found at {CHROMIUM}: browser tests skipped (run make test as root to install it)"


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def pytest_configure(config):
    config.addinivalue_line("markers", "locale(code): browser locale (Accept-Language) for the page fixtures")


_skipped_here = pytest.StashKey[bool]()


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not chromium_available():
                item.add_marker(skip)
                config.stash[_skipped_here] = True


def pytest_terminal_summary(terminalreporter, config):
    """Say it loudly (never silently) when the browser tests did not run."""
    if config.stash.get(_skipped_here, False):
        terminalreporter.write_sep("!", SKIP_REASON, red=True, bold=True)


# --- browser -------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


_ERRORS_ATTR = "_sscard_console_errors"
_CONTEXT_ARGS_ATTR = "_sscard_context_args"


@pytest.fixture
def make_page(request, browser, live_server, transactional_db):
    """Open pages in fresh contexts (no cookies shared between tests); all are closed after the test."""
    marker = request.node.get_closest_marker("locale")
    default_locale = marker.args[0] if marker else DEFAULT_LOCALE
    contexts = []

    def make(viewport: dict | None = None, locale: str | None = None, **context_args):
        context_args = {"viewport": viewport or DESKTOP, "locale": locale or default_locale,
                        "base_url": live_server.url, **context_args}
        context = browser.new_context(**context_args)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        setattr(page, _ERRORS_ATTR, errors)
        setattr(page, _CONTEXT_ARGS_ATTR, context_args)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page(viewport=DESKTOP)


@pytest.fixture
def phone_page(make_page):
    return make_page(viewport=PHONE, is_mobile=True, has_touch=True)


# --- helpers -------------------------------------------------------------------------------------

def console_errors(page) -> list[str]:
    """Console errors (CSP violations included) and uncaught exceptions the page has seen so far."""
    return list(getattr(page, _ERRORS_ATTR, []))


def _axe_violations(page, context: str | None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, context=context, options={"resultTypes": ["violations"]}).response["violations"]


def _axe_violations_without_javascript(page, context: str | None) -> list[dict]:
    """axe-core is JavaScript and waits on timers, which never fire in a page with JavaScript disabled (it
    would hang for ever). So replay the page as it is, at the same URL, in a JavaScript-enabled twin: same
    cookies, viewport and language, styles and images from the live server, the page's own scripts blocked
    and `<noscript>` content kept visible, as the no-JavaScript reader sees it; and check the twin."""
    html = NOSCRIPT_TAG.sub(lambda m: "</div" if m.group(1) else "<div data-noscript", page.content())
    url = page.url
    context_args = {k: v for k, v in getattr(page, _CONTEXT_ARGS_ATTR, {}).items() if k != "java_script_enabled"}
    twin_context = page.context.browser.new_context(**context_args, storage_state=page.context.storage_state())
    try:
        twin = twin_context.new_page()
        twin.route("**/*", lambda route: route.abort() if route.request.resource_type == "script"
                   else route.fallback())
        twin.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
        twin.goto(url)
        return _axe_violations(twin, context)
    finally:
        twin_context.close()


def assert_accessible(page, *, context: str | None = None) -> None:
    """Run axe-core on the page (or on the `context` CSS selector) and fail on any violation.

    Works on pages opened with `make_page(java_script_enabled=False)` too (see above).
    """
    if getattr(page, _CONTEXT_ARGS_ATTR, {}).get("java_script_enabled") is False:
        violations = _axe_violations_without_javascript(page, context)
    else:
        violations = _axe_violations(page, context)
    if not violations:
        return
    lines = [f"axe found {len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = "; ".join(part.strip() for part in node.get("failureSummary", "").splitlines() if part.strip())
            lines.append(f"    at {target}: {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save docs/screenshots/<name>.png (the README shows some of these) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture():
    return assert_accessible


@pytest.fixture(name="screenshot")
def screenshot_fixture():
    return screenshot


@pytest.fixture(name="console_errors")
def console_errors_fixture():
    return console_errors
