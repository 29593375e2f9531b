"""The conversation view at the scale of a real chat: a synthetic 50,000-message WhatsApp export read and analysed
in process, through `python -m classifier thread` in a fresh process (every core and one process; wall time and peak
memory, beside a 10,000-message run to show memory grows with the export, not the analysis), and uploaded to the
page under AppTest (one process: the app never forks its threaded server)."""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import synthetic_chat as sc
from classifier.conversation import analyze_chat, read_chat
from classifier.paths import ROOT

MESSAGES = 50_000


def _cli_run(path: Path, jobs: int = 0) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB of the largest process) of `thread --json --jobs N` on the file, started fresh
    (jobs 0: the default, every core)."""
    code = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "subprocess.run([sys.executable, '-m', 'classifier', 'thread', sys.argv[1], '--json', '--jobs', sys.argv[2]], "
            "check=True, stdout=subprocess.DEVNULL); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(path), str(jobs)], cwd=ROOT, check=True, capture_output=True,
                         text=True)
    seconds, peak = out.stdout.split()
    return round(float(seconds), 2), round(float(peak), 1)


def _app_seconds(data: bytes) -> float:
    """Upload to the conversation page under AppTest (model already loaded): until the page is drawn."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("views/conversation.py").run()
    started = time.perf_counter()
    at.file_uploader[0].upload("WhatsApp Chat with Sam.txt", data, "text/plain").run()
    elapsed = time.perf_counter() - started
    if at.exception or not at.get("vega_lite_chart"):
        raise RuntimeError(f"the page did not draw the chat: {at.exception}")
    return round(elapsed, 2)


def measure(detector, messages: int = MESSAGES) -> dict:
    chat_lines = sc.big(messages)
    text = sc.android(chat_lines)
    figures: dict = {"conversation_messages": messages, "conversation_export_mb": round(len(text.encode()) / 2**20, 2)}
    t0 = time.perf_counter()
    chat = read_chat(text.encode())
    figures["conversation_read_s"] = round(time.perf_counter() - t0, 2)
    figures["conversation_distinct_texts"] = len({m.text for m in chat.messages})
    t0 = time.perf_counter()
    report = analyze_chat(detector, chat)
    figures["conversation_analyze_s"] = round(time.perf_counter() - t0, 2)
    figures["conversation_flagged_messages"] = len(report.flagged)
    # the worst case: no two messages alike, so the repeat cache never helps
    unique = read_chat(sc.android([(who, when, f"{body} ({k})") for k, (who, when, body) in enumerate(chat_lines)]))
    t0 = time.perf_counter()
    analyze_chat(detector, unique)
    figures["conversation_analyze_all_distinct_s"] = round(time.perf_counter() - t0, 2)
    with tempfile.TemporaryDirectory() as tmp:
        big_file, small_file, unique_file = Path(tmp) / "big.txt", Path(tmp) / "small.txt", Path(tmp) / "unique.txt"
        big_file.write_text(text, encoding="utf-8")
        small_file.write_text(sc.android(chat_lines[:messages // 5]), encoding="utf-8")
        unique_file.write_text(sc.android([(m.sender, m.sent, m.text) for m in unique.messages]), encoding="utf-8")
        figures["conversation_50k_cli_s"], figures["conversation_cli_peak_mb"] = _cli_run(big_file)
        figures["conversation_50k_cli_one_process_s"], _ = _cli_run(big_file, jobs=1)
        figures["conversation_50k_cli_all_distinct_s"], _ = _cli_run(unique_file)
        _, figures["conversation_cli_peak_mb_at_one_fifth"] = _cli_run(small_file, jobs=1)
        _, figures["conversation_cli_peak_mb_one_process"] = _cli_run(big_file, jobs=1)
    figures["conversation_50k_app_s"] = _app_seconds(text.encode())
    figures["conversation_bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


if __name__ == "__main__":
    from classifier.detect.detector import Detector

    for name, value in measure(Detector.load()).items():
        print(f"{name}: {value}")
