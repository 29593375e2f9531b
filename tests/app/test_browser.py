"""The real app in a real browser: the Streamlit server as a subprocess, driven by Playwright in Debian's Chromium."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.app import ROOT, TWO_PATTERNS, app_env, free_port, stop_server, wait_for_server
from support.browser import chromium, draft_box, settle

pytestmark = pytest.mark.browser

OUT = ROOT / "test-output"
DOCS_SHOT = ROOT / "docs" / "screenshot-check.png"
WAIT_MS = 60_000
XSS_DRAFT = ("<img src=x onerror=alert(1)> hey, <script>window.__xss=1</script> honestly hadn't even noticed you "
             "stopped texting lol")


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    env = app_env(tmp_path_factory.mktemp("userdata"))
    log = open(tmp_path_factory.mktemp("server") / "streamlit.log", "w+", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    if not wait_for_server(proc, url):
        if proc.poll() is not None:
            log.seek(0)
            pytest.fail(f"streamlit exited early:\n{log.read()[-3000:]}")
        proc.terminate()
        pytest.fail("streamlit did not come up within 90 s")
    yield url
    stop_server(proc)
    log.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1100, "height": 1250}, device_scale_factor=1)
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs  # type: ignore[attr-defined]
    pg.goto(server)
    pg.get_by_role("heading", name="Check a draft").wait_for()
    yield pg
    context.close()


def _shot(pg, name: str, full: bool = True) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / name
    pg.screenshot(path=str(path), full_page=full)
    return path


def _verdict(pg):
    return pg.locator(".s-verdict-title").first


def test_check_flow_in_the_browser(page):
    from playwright.sync_api import expect

    box = draft_box(page)
    box.fill(TWO_PATTERNS)
    box.press("Control+Enter")
    settle(page)
    page.get_by_role("button", name="Check", exact=True).click()
    settle(page)
    expect(_verdict(page)).to_contain_text("2 patterns could make this read as a tactic")
    marks = page.locator("mark.s-mark")
    expect(page.locator('mark.s-mark[data-pattern~="feigned_indifference"]').first).to_be_visible()
    expect(page.locator('mark.s-mark[data-pattern~="ultimatum"]').first).to_be_visible()
    assert marks.count() >= 2
    expect(page.locator(".s-tag", has_text="Ultimatum").first).to_be_visible()  # a label, not colour alone
    expect(page.locator(".s-legend").first).to_contain_text("Feigned indifference")
    title = page.locator('mark.s-mark[data-pattern~="ultimatum"]').first.get_attribute("title")
    assert title and "could read as" in title
    DOCS_SHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS_SHOT), full_page=True)  # for the README
    _shot(page, "01-two-patterns.png")

    # open the first card and use its first suggestion; repeat until the draft reads as sincere
    for attempt in range(4):
        card = page.locator('[class*="st-key-card-0-"]').first  # the first card of the current draft
        expect(card).to_be_visible()
        use = card.get_by_role("button", name="Use this", exact=True).first
        if not use.is_visible():
            card.locator("summary").click()
        expect(use).to_be_visible()
        if attempt == 0:
            page.wait_for_timeout(600)  # let the expander finish opening
            _shot(page, "02-card-open.png")
        before = draft_box(page).input_value()
        use.click()
        settle(page)
        expect(draft_box(page)).not_to_have_value(before)
        if "This reads as sincere" in _verdict(page).inner_text():
            break
    expect(_verdict(page)).to_contain_text("This reads as sincere")
    expect(page.locator("mark.s-mark")).to_have_count(0)
    assert "it's them or me" not in draft_box(page).input_value()
    _shot(page, "03-clean-after-use-this.png")


def test_user_text_cannot_run_script(page):
    from playwright.sync_api import expect

    box = draft_box(page)
    box.fill(XSS_DRAFT)
    page.get_by_role("button", name="Check", exact=True).click()
    settle(page)
    expect(_verdict(page)).to_be_visible()
    draft = page.locator(".s-draft").first
    expect(draft).to_contain_text("<img src=x onerror=alert(1)>")
    expect(draft).to_contain_text("<script>window.__xss=1</script>")
    page.wait_for_timeout(1000)
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator(".s-draft img").count() == 0 and page.locator(".s-draft script").count() == 0
    literal = draft.evaluate("el => { const c = el.cloneNode(true); c.querySelectorAll('.s-tag').forEach(t => t.remove());"
                             " return c.textContent; }")
    assert literal == XSS_DRAFT  # shown literally, character for character (pattern labels aside)
    _shot(page, "04-escaped-html.png")


def test_other_pages_render(page):
    from playwright.sync_api import expect

    for label, heading, name in (("Pattern guide", "Pattern guide", "05-guide.png"), ("Practice", "Practice", "06-practice.png"),
                                 ("About & privacy", "About Sincerely", "07-about.png")):
        page.get_by_role("link", name=label).first.click()
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        settle(page)
        if label == "Pattern guide":
            page.locator('[data-testid="stExpander"] summary').first.click()
            expect(page.locator("mark.s-mark").first).to_be_visible()
        _shot(page, name)
    assert page.dialogs == []  # type: ignore[attr-defined]


CONVERSATION_SHOT = ROOT / "docs" / "screenshot-conversation.png"


def test_conversation_upload_in_the_browser(page):
    """Upload the demo chat (docs/example-chat.txt) through the real file input and see the chart and the flags."""
    from playwright.sync_api import expect

    page.get_by_role("link", name="Look at a conversation").first.click()
    expect(page.get_by_role("heading", name="Look at a conversation").first).to_be_visible()
    settle(page)
    demo = ROOT / "docs" / "example-chat.txt"
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "WhatsApp Chat with Sam.txt", "mimeType": "text/plain", "buffer": demo.read_bytes()})
    settle(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart).to_be_visible()
    expect(chart.locator("canvas, svg").first).to_be_visible()  # vega drew it
    expect(page.get_by_text("Sam's warm messages were followed by a long silence 3 times")).to_be_visible()
    expect(page.locator('mark.s-mark[data-pattern~="jealousy_bait"]').first).to_be_visible()
    expect(page.get_by_role("heading", name="6 of their messages may be working on you")).to_be_visible()
    page.set_viewport_size({"width": 1100, "height": 2300})  # the page scrolls inside the app: show the list too
    settle(page)
    page.wait_for_timeout(800)  # let the chart finish its entry transition
    CONVERSATION_SHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(CONVERSATION_SHOT), full_page=True)  # for the README
    page.get_by_role("button", name="Forget this chat").click()
    settle(page)
    expect(page.get_by_text("Upload an export or paste a thread to begin")).to_be_visible()
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(0)
    assert page.dialogs == []  # type: ignore[attr-defined]
