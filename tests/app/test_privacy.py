"""Privacy: a draft or an uploaded chat leaves no trace on disk or in any log, and checking opens no network connection.

With opt-in feedback off (the default), a full session with a unique marker in the draft (check, open the cards, use a
suggestion, dismiss a flag, received mode, every page) is followed by a search of the project folder, the temporary
folder and every captured log line and output stream for the marker. The browser variant runs the real server with
debug logging and searches its captured stdout/stderr too.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
import uuid
from pathlib import Path

import pytest
from support.app import MODEL_ENV, ROOT, free_port, usable_model, wait_for_server
from support.apptest import check, htmls, new_app, page_text, verdict
from support.browser import chromium, draft_box, settle

import classifier.cli.main as cli
from ui import checker, resources

CONFIG = ROOT / ".streamlit" / "config.toml"


def new_marker() -> str:
    return f"qz{uuid.uuid4().hex[:14]}vx"  # one word, unique per run; never in any file before this test


def draft_with(marker: str) -> str:
    """A draft the model flags twice, with the marker inside the flagged phrases (so it reaches cards and rewrites)."""
    return (f"ok so u cancelled again {marker}. its whatever {marker}, doesnt matter to me either way 🤷 lol so ur going "
            f"to the wedding with sam's lot instead of me?? fine. it's them or me {marker}, choose")


# --- searching for the marker ----------------------------------------------------------------------------------------


def files_changed_since(root: Path, since: float) -> list[Path]:
    """Regular files under root written (or created) since `since`: only these can hold a marker made after it."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if (st.st_mode & 0o170000) == 0o100000 and max(st.st_mtime, st.st_ctime) >= since:
                found.append(Path(path))
    return found


def holders_of(marker: str, roots: list[Path], since: float) -> list[str]:
    """Files under `roots` changed since `since` that contain the marker (as UTF-8, UTF-16 or escaped JSON)."""
    needles = [marker.encode(), marker.encode("utf-16-le")]
    hits = []
    for root in roots:
        for path in files_changed_since(root, since):
            try:
                data = path.read_bytes()
            except OSError:
                continue
            if any(n in data for n in needles):
                hits.append(str(path))
    return sorted(set(hits))


def search_roots() -> list[Path]:
    return [ROOT, Path(tempfile.gettempdir())]


def test_the_search_finds_a_planted_marker(tmp_path):
    """The search is not vacuous: a marker written to the project or the temp folder is found."""
    marker = new_marker()
    since = time.time() - 1
    assert holders_of(marker, search_roots(), since) == []
    planted = tmp_path / "planted.log"
    planted.write_text(f"some log line {marker}\n", encoding="utf-8")
    wide = tmp_path / "wide.txt"
    wide.write_bytes(f"x {marker} y".encode("utf-16-le"))
    assert holders_of(marker, search_roots(), since) == sorted([str(planted), str(wide)])


# --- capturing every log record --------------------------------------------------------------------------------------


class Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is still searched by its raw parts
            self.lines.append(f"{record.msg!r} {record.args!r}")


@pytest.fixture
def every_log_record(caplog, monkeypatch):
    """caplog at DEBUG, plus every record of every logger: Streamlit's loggers do not propagate to the root."""
    import streamlit.logger as st_logger

    caplog.set_level(logging.DEBUG)
    recorder = Recorder()
    original = logging.Logger.callHandlers

    def call_handlers(self, record):
        recorder.handle(record)
        return original(self, record)

    monkeypatch.setattr(logging.Logger, "callHandlers", call_handlers)
    previous = st_logger._global_log_level
    st_logger.set_log_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "level", logging.DEBUG)
    yield recorder
    st_logger.set_log_level(previous)


def run_full_session(marker: str, env_dir: Path):
    """Everything a person can do with a draft, with opt-in feedback left off."""
    draft = draft_with(marker)
    at = check(new_app(), draft)
    assert at.toggle(key="opt_in").value is False
    assert "could make this read as a tactic" in verdict(at)
    assert marker in next(h for h in htmls(at) if h.startswith('<div class="s-draft'))  # the marker is really on the page
    assert "Nothing was saved." in page_text(at)
    uses = [b for b in at.button if b.key and b.key.startswith("use-") and b.key != "use-whole"]
    assert uses, "no suggestion to use"
    uses[0].click().run()
    assert not at.exception
    at = check(at, draft)
    at.button(key="dismiss-0").click().run()
    assert not at.exception
    if any(b.key == "use-whole" for b in at.button):
        at.button(key="use-whole").click().run()
    at.segmented_control(key="mode").set_value(checker.RECEIVE).run()
    at = check(at, draft)
    assert "could be working on you" in verdict(at)
    for view in ("views/guide.py", "views/practice.py", "views/about.py", "views/check.py"):
        at.switch_page(view).run()
        assert not at.exception, at.exception
    assert not (env_dir / "userdata").exists()  # opt-in off: the feedback folder is never even created
    return at


def test_app_session_leaves_no_trace(tmp_path, monkeypatch, capfd, every_log_record, caplog):
    monkeypatch.setenv(MODEL_ENV, str(usable_model()))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))
    marker = new_marker()
    since = time.time() - 1
    run_full_session(marker, tmp_path)
    logging.getLogger("sincerely.test").debug("session finished")  # the capture itself works
    out, err = capfd.readouterr()
    assert any("session finished" in line for line in every_log_record.lines)
    assert "session finished" in caplog.text
    assert len(every_log_record.lines) > 1
    for name, text in (("stdout", out), ("stderr", err), ("caplog", caplog.text),
                       ("log records", "\n".join(every_log_record.lines))):
        assert marker not in text, f"the draft reached {name}"
    assert holders_of(marker, search_roots(), since) == []


def chat_with(marker: str) -> bytes:
    """A WhatsApp export whose flagged messages (on both sides) carry the marker."""
    from benchmarks import synthetic_chat as sc

    rows = [(who, when, f"{text} {marker}" if k % 3 == 0 else text) for k, (who, when, text) in enumerate(sc.demo())]
    rows.append(("Alex", rows[-1][1], f"its whatever {marker}, doesnt matter to me either way 🤷 lol"))
    rows.append(("Sam", rows[-1][1], f"it's them or me {marker}, choose"))
    return sc.android(rows).encode()


def run_upload_session(marker: str) -> None:
    """Upload a chat, look at both people's messages (cards, rewrites, calm replies), then forget it."""
    from ui import conversation as convo

    at = new_app()
    at.switch_page("views/conversation.py").run()
    at.file_uploader[0].upload("WhatsApp Chat with Sam.txt", chat_with(marker), "text/plain").run()
    assert not at.exception, at.exception
    assert any(marker in h for h in htmls(at)), "the uploaded messages are really on the page"
    for me in ("Alex", "Sam"):
        at.selectbox(key="conv_me").set_value(me).run()
        for view in (convo.MINE, convo.THEIRS):
            at.segmented_control(key="conv_view").set_value(view).run()
            assert not at.exception, at.exception
    assert "Calm ways you could answer" in page_text(at)  # the last view: Alex's messages, as received by Sam
    at.button(key="conv_forget").click().run()
    assert not at.exception
    assert not any(marker in h for h in htmls(at))
    at.text_area(key="conv_paste").input(f"Sam: it's them or me {marker}, choose\nAlex: ok").run()
    at.button(key="conv_read_paste").click().run()
    assert not at.exception


def test_uploaded_chat_leaves_no_trace(tmp_path, monkeypatch, capfd, every_log_record, caplog):
    monkeypatch.setenv(MODEL_ENV, str(usable_model()))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))
    marker = new_marker()
    since = time.time() - 1
    run_upload_session(marker)
    out, err = capfd.readouterr()
    assert len(every_log_record.lines) > 1
    for name, text in (("stdout", out), ("stderr", err), ("caplog", caplog.text),
                       ("log records", "\n".join(every_log_record.lines))):
        assert marker not in text, f"the uploaded chat reached {name}"
    assert holders_of(marker, search_roots(), since) == []
    assert not (tmp_path / "userdata").exists()


# --- no network ------------------------------------------------------------------------------------------------------


def _is_loopback(host) -> bool:
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Refuses (and records) every connection or name lookup that is not to this machine."""

    def __init__(self, monkeypatch) -> None:
        self.attempts: list[str] = []
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_create, real_getaddrinfo = socket.create_connection, socket.getaddrinfo
        guard = self

        def allowed(sock, address) -> bool:
            if sock.family == getattr(socket, "AF_UNIX", None):
                return True
            host = address[0] if isinstance(address, tuple) else address
            return _is_loopback(host)

        def connect(sock, address):
            if not allowed(sock, address):
                guard.refuse("connect", address)
            return real_connect(sock, address)

        def connect_ex(sock, address):
            if not allowed(sock, address):
                guard.refuse("connect_ex", address)
            return real_connect_ex(sock, address)

        def create_connection(address, *args, **kwargs):
            if not _is_loopback(address[0]):
                guard.refuse("create_connection", address)
            return real_create(address, *args, **kwargs)

        def getaddrinfo(host, *args, **kwargs):
            if not _is_loopback(host if not isinstance(host, bytes) else host.decode()):
                guard.refuse("getaddrinfo", host)
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    def refuse(self, how: str, address) -> None:
        self.attempts.append(f"{how} {address!r}")
        raise ConnectionRefusedError(f"network access during a check: {how} {address!r}")


def test_the_network_guard_catches_outbound_connections(monkeypatch):
    guard = NetworkGuard(monkeypatch)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)  # TEST-NET-1: refused before any packet is sent
    with pytest.raises(ConnectionRefusedError), socket.socket() as s:
        s.connect(("198.51.100.7", 443))
    with pytest.raises(OSError, match="network access during a check"):  # urllib wraps it in a URLError
        urllib.request.urlopen("http://example.com/", timeout=0.1)
    with socket.socket() as server:  # loopback stays allowed
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
    assert len(guard.attempts) == 3 and "192.0.2.1" in guard.attempts[0]


def test_app_and_cli_make_no_network_connection(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(MODEL_ENV, str(usable_model()))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))
    resources.get_detector(str(usable_model()))  # loading is not a check; the guard covers the checks themselves
    guard = NetworkGuard(monkeypatch)
    marker = new_marker()
    run_full_session(marker, tmp_path)
    capsys.readouterr()
    assert cli.main(["--model", str(usable_model()), "check", draft_with(marker)]) == 0
    assert cli.main(["--model", str(usable_model()), "check", "--json", "see you at 7 for dinner?"]) == 0
    assert "could make this read as a tactic" in capsys.readouterr().out
    assert guard.attempts == []


def test_usage_statistics_are_off():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] is False  # no tracebacks with local paths in the browser


# --- the real server in a real browser -------------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_session_leaves_no_trace(tmp_path):
    from playwright.sync_api import expect

    marker = new_marker()
    since = time.time() - 1
    port = free_port()
    env = dict(os.environ, **{MODEL_ENV: str(usable_model()), "SINCERELY_DATA_DIR": str(tmp_path / "userdata")})
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none", "--logger.level", "debug"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    requests: list[str] = []
    try:
        assert wait_for_server(proc, url), "streamlit exited early or did not come up within 90 s"
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1100, "height": 1250})
            page.set_default_timeout(60_000)
            page.on("request", lambda req: requests.append(req.url))
            page.goto(url)
            page.get_by_role("heading", name="Check a draft").wait_for()
            box = draft_box(page)
            box.fill(draft_with(marker))
            page.get_by_role("button", name="Check", exact=True).click()
            settle(page)
            expect(page.locator(".s-verdict-title").first).to_contain_text("could make this read as a tactic")
            expect(page.locator(".s-draft").first).to_contain_text(marker)
            card = page.locator('[class*="st-key-card-0-"]').first
            card.locator("summary").click()
            card.get_by_role("button", name="Use this", exact=True).first.click()
            settle(page)
            page.get_by_text("I received this message").click()
            settle(page)
            draft_box(page).fill(draft_with(marker))
            page.get_by_role("button", name="Check", exact=True).click()
            settle(page)
            expect(page.locator(".s-verdict-title").first).to_contain_text("could be working on you")
            page.get_by_role("link", name="Look at a conversation").first.click()
            settle(page)
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                {"name": "WhatsApp Chat with Sam.txt", "mimeType": "text/plain", "buffer": chat_with(marker)})
            settle(page)
            expect(page.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
            expect(page.locator(".s-draft", has_text=marker).first).to_be_visible()
            page.get_by_text("My messages", exact=True).click()
            settle(page)
            expect(page.locator(".s-draft", has_text=marker).first).to_be_visible()
            for label in ("Pattern guide", "Practice", "About & privacy"):
                page.get_by_role("link", name=label).first.click()
                settle(page)
            browser.close()  # and with it the browser's temporary profile
    finally:
        proc.terminate()
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    server_output = out.decode("utf-8", "replace") + err.decode("utf-8", "replace")
    assert "Runtime state:" in server_output  # a debug-level line: debug logging really was on
    assert marker not in server_output, "the draft reached the server's output"
    assert not (tmp_path / "userdata").exists()
    assert holders_of(marker, search_roots(), since) == []
    outside = sorted({u for u in requests if not u.startswith((url, "data:", "blob:", "about:"))})
    # (a :material/...: page_icon, for one, makes Streamlit's frontend fetch the favicon from Google's font CDN)
    assert outside == [], f"the page fetched from outside this machine: {outside}"
