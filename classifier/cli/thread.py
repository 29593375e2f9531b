"""`python -m classifier thread EXPORT`: a whole chat export, summarised per person (or as JSON)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

from ..conversation import ConversationReport, analyze_chat, read_chat
from ..conversation.analysis import minutes_words, sent_words, shorten
from ..detect.safety import notice_text
from ..errors import ExportError
from .scan import Progress

PROGRESS_FROM = 2_000  # messages: shorter chats finish before a bar is worth drawing
QUOTE_CHARS = 90


def _when(message) -> str:
    return f" · {sent_words(message)}" if message.sent else ""


def _quote(text: str) -> str:
    return shorten(text, QUOTE_CHARS)


def summary_text(report: ConversationReport, catalogue, person: str | None = None) -> str:
    """The human-readable summary: the chat, the figures per person, cross-message observations, flagged messages."""
    chat = report.chat
    lines = [notice_text(report.safety), report.safety_sources(), ""] if report.safety is not None else []
    span = f" from {report.date_span()}" if report.timed else ""
    lines.append(f"{' and '.join(chat.people) if len(chat.people) <= 3 else f'{len(chat.people)} people'} · "
                 f"{chat.format_label} · {len(chat.messages):,} messages{span}")
    if chat.skipped:
        lines.append(f"Skipped (nobody typed them): {chat.skipped_summary()}")
    if report.not_checked:
        lines.append(f"Too long to check: {report.not_checked:,} messages")
    lines.append(f"Checked on this computer in {report.seconds:.1f} s. Nothing was saved.")
    for name in [person] if person else chat.people:
        f = report.people[name]
        lines += ["", f"{name}: {f.messages:,} messages, {f.flagged:,} with a possible pattern ({100 * f.flagged_share:.1f}%)"]
        if f.by_pattern:
            lines.append("  " + ", ".join(f"{catalogue[p].name} {n:,}" for p, n in f.by_pattern.most_common()))
        if f.starts is not None:
            lines.append(f"  started {f.starts:,} conversations; usually answers in {minutes_words(f.median_reply_minutes)}")
    observations = [o for o in report.hot_cold if person is None or o.person == person]
    if observations:
        lines += ["", "Across messages:"]
        for o in observations:
            lines.append("  " + o.wording())
            for s in o.silences:
                lines.append(f'    {s.warm.where}: "{_quote(s.warm.text)}" -> {s.hours / 24:.1f} days, '
                             f"{s.unanswered} waiting -> back at {s.back.where}")
    elif report.timed:
        lines += ["", "Across messages: no warm-then-silent rhythm stands out."]
    shown = report.flagged_by([person] if person else chat.people)
    lines += ["", f"Messages with a possible pattern ({len(shown):,}):" if shown else "No message reads like a tactic."]
    for item in shown:
        m = item.message
        lines.append(f"  {m.where}{_when(m)} · {m.sender}: {_quote(m.text)}")
        for flag in item.flags:
            lines.append(f'      [{catalogue[flag.pattern].name}] "{_quote(flag.phrase)}" ({flag.confidence})')
    return "\n".join(lines)


def run_thread(detector, source: str, person: str | None, as_json: bool, progress: bool | None, jobs: int = 1,
               out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        print(f"error: can't read {source}: {exc.strerror or exc}", file=err)
        return 2
    try:
        chat = read_chat(data, name=source)
    except ExportError as exc:
        print(f"error: {source}: {exc}", file=err)
        return 2
    if person is not None and person not in chat.people:
        print(f"error: nobody called {person!r} wrote in this chat; the people are: {', '.join(chat.people)}", file=err)
        return 2
    show = progress if progress is not None else (err.isatty() and len(chat.messages) >= PROGRESS_FROM)
    bar = Progress(len(chat.messages), err, show)
    report = analyze_chat(detector, chat, progress=lambda done, total: bar.update(done, done, final=done == total),
                          jobs=jobs)
    bar.close()
    if as_json:
        json.dump(report.to_dict(person), out, ensure_ascii=False)
        out.write("\n")
    else:
        out.write(summary_text(report, detector.catalogue, person) + "\n")
    return 0
