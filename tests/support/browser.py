"""Headless Chromium for the browser tests: Debian's package, launched by path (Playwright's download is not used)."""
from __future__ import annotations

import contextlib
import os

import pytest

from benchmarks.page import CHROMIUM, CHROMIUM_ARGS

WAIT_MS = 60_000


@contextlib.contextmanager
def chromium():
    """A launched headless Chromium; skips the test (fails it under CI) when Chromium is not installed."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must install it (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium` to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def draft_box(pg):
    return pg.locator('[data-testid="stTextArea"] textarea').first


def settle(pg) -> None:
    """Wait until the app has finished its rerun (Streamlit marks its root with the script's run state)."""
    pg.wait_for_timeout(250)
    pg.wait_for_function(
        "() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
        " const state = app && app.getAttribute('data-test-script-state');"
        " return state && !/running|rerun/i.test(state) || state === 'notRunning'; }",
        timeout=WAIT_MS,
    )
    pg.wait_for_timeout(200)
