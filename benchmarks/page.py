"""How fast the app is for a person: a freshly started server in headless Chromium, timed until the check page is
usable (the draft box accepts text) and until the first result shows after pressing Check.

    python -m benchmarks.page            # prints JSON; `python -m benchmarks.bench` folds it into reports/bench.json
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package, launched by path (Playwright's download is not used)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
DRAFT = "its whatever, doesnt matter to me either way lol. it's them or me, choose"


def free_port() -> int:
    """A port nothing on loopback listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(proc: subprocess.Popen, url: str, timeout: float = 90, poll: float = 0.5) -> bool:
    """Poll a Streamlit server's health endpoint until it answers; False if it exited or never came up."""
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(poll)
    return False


def measure(model: Path | None = None) -> dict[str, float]:
    """Seconds from the server answering to a usable check page, and from pressing Check to the verdict."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    if model:
        env["SINCERELY_MODEL"] = str(model)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        if not wait_for_server(proc, url, poll=0.05):  # polled often: the start-up time is what is measured
            raise RuntimeError("the app did not come up")
        server_up = time.perf_counter() - started
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1250})
            page.set_default_timeout(120_000)
            opened = time.perf_counter()
            page.goto(url)
            box = page.locator('[data-testid="stTextArea"] textarea').first
            box.wait_for(state="visible")
            page.get_by_role("button", name="Check", exact=True).wait_for(state="visible")
            usable = time.perf_counter() - opened
            box.fill(DRAFT)
            box.press("Control+Enter")
            pressed = time.perf_counter()
            page.locator(".s-verdict-title").first.wait_for(state="visible")
            first_result = time.perf_counter() - pressed
            browser.close()
        return {"server_up_s": round(server_up, 2), "page_usable_s": round(usable, 2),
                "first_result_s": round(first_result, 2)}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
