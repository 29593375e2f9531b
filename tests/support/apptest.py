"""Helpers for AppTest-driven tests: start the app, check a draft, read what the page shows."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from support.app import APP

TIMEOUT = 60  # AppTest's default 3 s is too short for a first model load


def new_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def check(at: AppTest, text: str) -> AppTest:
    at.text_area(key="draft").input(text)
    at.button(key="check").click()
    at.run()
    assert not at.exception, at.exception
    return at


def htmls(at: AppTest) -> list[str]:
    return [h.value for h in at.html]


def verdict(at: AppTest) -> str:
    found = [h for h in htmls(at) if '<p class="s-verdict-title">' in h]
    assert found, "no verdict on the page"
    return found[0]


def draft_html(at: AppTest) -> str:
    found = [h for h in htmls(at) if h.startswith('<div class="s-draft')]
    assert found, "no highlighted draft on the page"
    return found[0]


def page_text(at: AppTest) -> str:
    """Everything the user can read on the page (markdown, captions, alerts, code, labels, HTML)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [c.value for c in at.code]
    for kind in (at.info, at.warning, at.error, at.success):
        parts += [a.value for a in kind]
    parts += [e.label for e in at.expander] + [b.label for b in at.button] + htmls(at)
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)
