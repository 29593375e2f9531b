"""The conversation page's logic, free of Streamlit: read an export, analyse it, and shape what the page shows (chart
rows, figures per person, observations, flagged messages with their cards). Never raises for bad input."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from classifier.conversation import Chat, ConversationReport, MessageFlags, analyze_chat, read_chat
from classifier.conversation.analysis import BLOCK, DAY_FORMAT, minutes_words, shorten
from classifier.errors import ExportError

from . import checker

MINE = "mine"
THEIRS = "theirs"
VIEW_LABELS = {MINE: "My messages", THEIRS: "Their messages"}
VIEW_HELP = ("My messages: what I could say differently, with sincere ways to say it. "
             "Their messages: what may be working on me, with calm ways to answer.")
PAGE_SIZE = 10
SHORT_CHARS = 70  # a message quoted inside an observation


@dataclass
class Loaded:
    chat: Chat | None = None
    error: str | None = None


def load(data: bytes | str, name: str = "") -> Loaded:
    """An export read in memory, or the reason it can't be (naming the line)."""
    try:
        return Loaded(chat=read_chat(data, name))
    except ExportError as exc:
        return Loaded(error=f"This file couldn't be read as a chat: {exc}")
    except Exception as exc:  # an unforeseen shape of file: still a message, never a traceback
        return Loaded(error=f"This file couldn't be read as a chat ({type(exc).__name__}). "
                            "Sincerely reads WhatsApp exports (.txt or .zip), Telegram's result.json, "
                            "or a pasted thread of `Name: message` lines.")


def analyse(detector, chat: Chat, progress: Callable[[int, int], None] | None = None) -> ConversationReport:
    return analyze_chat(detector, chat, progress=progress)


def guess_me(chat: Chat) -> str | None:
    """In a two-person chat named after one of them ("WhatsApp Chat with Sam", Telegram's chat name), the other
    person is the one who exported it."""
    people = chat.people
    if len(people) == 2 and chat.title in people:
        return next(p for p in people if p != chat.title)
    return None


def whose(chat: Chat, me: str | None, view: str) -> list[str]:
    """The senders whose messages the chosen view looks at."""
    if me is None:
        return []
    return [me] if view == MINE else [p for p in chat.people if p != me]


def describe_chat(report: ConversationReport) -> str:
    chat = report.chat
    span = f", {report.date_span()}" if report.timed else ""
    line = f"{chat.format_label} · {len(chat.messages):,} messages from {len(chat.people)} people{span}."
    if chat.skipped:
        line += f" Not checked because nobody typed them: {chat.skipped_summary()}."
    if report.not_checked:
        line += f" {report.not_checked:,} messages were too long to check."
    return line


def period_label(period: date | int) -> str:
    if isinstance(period, int):
        return f"messages {period * BLOCK + 1:,}–{(period + 1) * BLOCK:,}"
    return f"{period:{DAY_FORMAT}}"


def chart_rows(report: ConversationReport, catalogue: Mapping) -> list[dict]:
    """One row per (period, person, pattern) with flagged messages: what the chart of patterns over time draws."""
    rows = []
    for (period, person, pattern), n in sorted(report.timeline.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        rows.append({"period": period if isinstance(period, date) else period_label(period),
                     "period_end": period + timedelta(days=7) if isinstance(period, date) else None,
                     "person": person, "pattern": catalogue[pattern].name, "pattern_id": pattern, "messages": n})
    return rows


def people_rows(report: ConversationReport, catalogue: Mapping, me: str | None = None) -> list[dict]:
    """The figures per person, as table rows."""
    rows = []
    for name, f in report.people.items():
        top = ", ".join(f"{catalogue[p].name} ({n})" for p, n in f.by_pattern.most_common(3))
        row = {"Person": f"{name} (you)" if name == me else name, "Messages": f.messages,
               "With a possible pattern": f"{f.flagged:,} ({100 * f.flagged_share:.1f}%)", "Most often": top or "–"}
        if report.timed:
            row["Started conversations"] = f.starts
            row["Usually answers in"] = minutes_words(f.median_reply_minutes)
        rows.append(row)
    return rows


def observations(report: ConversationReport, me: str | None) -> list[tuple[str, list[str]]]:
    """Each cross-message observation in words, with the messages behind it."""
    out = []
    for o in report.hot_cold:
        behind = [f"“{shorten(s.warm.text, SHORT_CHARS)}” ({_when(s.warm)}), then {s.hours / 24:.1f} days without a word while "
                  f"{checker.plural(s.unanswered, 'message')} waited; back on "
                  f"{_when(s.back)}: “{shorten(s.back.text, SHORT_CHARS)}”" for s in o.silences]
        out.append((o.wording("Your" if o.person == me else None), behind))
    return out


def flagged_items(report: ConversationReport, people: list[str], pattern: str | None = None) -> list[MessageFlags]:
    items = report.flagged_by(people)
    return [m for m in items if pattern is None or pattern in m.patterns]


def message_check(detector, rewriter, item: MessageFlags, view: str) -> checker.CheckResult:
    """The message checked as on the check page: sincere alternatives for my messages, calm replies for theirs."""
    mode = checker.WRITE if view == MINE else checker.RECEIVE
    return checker.run_check(detector, rewriter if view == MINE else None, item.message.text, mode)


def item_label(item: MessageFlags, catalogue: Mapping) -> str:
    names = ", ".join(catalogue[p].name for p in item.patterns)
    when = f"{_when(item.message)} · " if item.message.sent else ""
    return f"{when}{item.message.sender} · {names}"


def _when(message) -> str:
    return f"{message.sent:%a {DAY_FORMAT}, %H:%M}" if message.sent else message.where

