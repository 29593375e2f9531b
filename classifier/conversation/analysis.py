"""A whole conversation through the detector, then figures per person.

Every message is checked in batches (repeated short messages once), and only flagged messages are kept, so memory
grows with the export, not with the analysis. Per person: flagged messages by pattern, a week-by-week timeline, reply
gaps and who starts conversations. The hot-and-cold rhythm (warm messages, then long unexplained silences, again
and again) is an observation with the messages behind it, never a verdict on anyone.
"""
from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from ..catalogue import PATTERN_IDS
from ..detect import safety as safety_lib
from ..detect.results import Flag
from .checking import checked_chunks
from .lexicon import chat_lexicon
from .readers import Chat, Message

BATCH = 512  # messages per detector batch (and per progress update)
START_GAP = timedelta(hours=6)  # a message after this long a quiet starts a new conversation
SILENCE = timedelta(hours=48)  # the shortest silence counted in the hot-and-cold rhythm...
SILENCE_VS_USUAL = 4  # ...and it must also be this many times as long as they take to answer when engaged
MIN_SILENCES = 3  # "again and again": fewer is one bad week, not a rhythm
WARM_VS_OTHER = 2.0  # warm turns must come before a silence at least this many times as often as their other turns
BLOCK = 50  # chats without times are charted by blocks of this many messages

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MessageFlags:
    """A flagged message (or one that mentions harm): its flags index the message's own text."""

    message: Message
    flags: tuple[Flag, ...]
    safety: safety_lib.SafetyFinding | None = None

    @property
    def patterns(self) -> list[str]:
        found = {f.pattern for f in self.flags}
        return [p for p in PATTERN_IDS if p in found]


@dataclass
class PersonFigures:
    name: str
    messages: int = 0
    flagged: int = 0
    by_pattern: Counter = field(default_factory=Counter)  # pattern -> messages with it
    starts: int | None = None  # conversations this person started (None without times)
    median_reply_minutes: float | None = None  # how long they usually take to answer
    # how fast they answer when engaged (the quickest quarter of their answers): the yardstick for a long silence,
    # which the silences themselves can't inflate the way they inflate the median
    engaged_reply_minutes: float | None = None
    replies: int = 0

    @property
    def flagged_share(self) -> float:
        return self.flagged / self.messages if self.messages else 0.0

    def to_dict(self) -> dict:
        return {"messages": self.messages, "flagged": self.flagged, "flagged_share": round(self.flagged_share, 4),
                "by_pattern": {p: self.by_pattern[p] for p in PATTERN_IDS if self.by_pattern[p]},
                "conversations_started": self.starts,
                "median_reply_minutes": None if self.median_reply_minutes is None else round(self.median_reply_minutes, 1),
                "replies": self.replies}


@dataclass(frozen=True)
class Silence:
    """A warm message, then no word from its sender for `hours` while the others wrote `unanswered` messages."""

    warm: Message
    back: Message
    hours: float
    unanswered: int


@dataclass(frozen=True)
class HotColdObservation:
    person: str
    silences: tuple[Silence, ...]
    warm_turns: int = 0  # turns that ended warm, silence or not
    other_silences: int = 0  # their other turns followed by a long silence...
    other_turns: int = 0  # ...out of this many

    @property
    def warm_rate(self) -> float:
        """The share of their warm turns followed by a long unexplained silence."""
        return len(self.silences) / max(1, self.warm_turns)

    @property
    def other_rate(self) -> float:
        return self.other_silences / max(1, self.other_turns)

    @property
    def stands_out(self) -> bool:
        return len(self.silences) >= MIN_SILENCES and self.warm_rate >= WARM_VS_OTHER * self.other_rate

    def wording(self, whose: str | None = None) -> str:
        """The observation in the tool's calm voice; `whose` is "Your" when the person is the reader."""
        owner = "yours" if whose == "Your" else "theirs"
        whose = whose or f"{self.person}'s"
        days = sorted(s.hours / 24 for s in self.silences)
        waited = sum(s.unanswered for s in self.silences)
        return (f"{whose} warm messages were followed by a long silence {len(self.silences)} times "
                f"({_days(days[0])} to {_days(days[-1])}, while {waited:,} messages waited for an answer): "
                f"that is {len(self.silences)} of the {self.warm_turns} times a turn of {owner} ended warmly, against "
                f"{self.other_silences} of {self.other_turns} other turns. That rhythm, warmth and then silence, could read as hot and cold. "
                "There may be ordinary reasons the chat doesn't show.")

    def to_dict(self) -> dict:
        return {"person": self.person, "wording": self.wording(), "warm_turns": self.warm_turns,
                "other_silences": self.other_silences, "other_turns": self.other_turns,
                "silences": [{"warm": s.warm.where, "warm_index": s.warm.index, "back": s.back.where,
                              "back_index": s.back.index, "hours": round(s.hours, 1), "unanswered": s.unanswered}
                             for s in self.silences]}


DAY_FORMAT = "%-d %b %Y"


def sent_words(message: Message) -> str:
    """When a message was sent, as the summary and the crisis notice say it: '25 Feb 2026 16:05'."""
    return f"{message.sent:{DAY_FORMAT} %H:%M}"


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def minutes_words(minutes: float | None) -> str:
    """'4 min', '2.5 hours', '3 days' for a reply gap."""
    if minutes is None:
        return "no replies to measure"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} hours"
    return f"{minutes / 1440:.0f} days"


def _days(n: float) -> str:
    return f"{n:.0f} day{'' if round(n) == 1 else 's'}" if n >= 1.5 else f"{n * 24:.0f} hours"


@dataclass
class ConversationReport:
    chat: Chat
    flagged: list[MessageFlags]  # in message order
    people: dict[str, PersonFigures]
    timeline: Counter  # (period, person, pattern) -> flagged messages; period: week start, or block number untimed
    hot_cold: list[HotColdObservation]
    not_checked: int = 0  # messages over the length limit (their safety was still checked)
    seconds: float = 0.0

    @property
    def timed(self) -> bool:
        return self.chat.timed

    @property
    def safety(self) -> safety_lib.SafetyFinding | None:
        """One finding for the whole chat (the union of kinds), so the notice comes first once."""
        return safety_lib.finding_of(k for m in self.flagged if m.safety is not None for k in m.safety.kinds)

    @property
    def safety_messages(self) -> list[Message]:
        """The messages that mention self-harm or violence, in order."""
        return [m.message for m in self.flagged if m.safety is not None]

    def safety_sources(self, limit: int = 5) -> str:
        """Which messages the crisis notice is about: 'It comes from line 33 (Sam, 25 Feb 2026 16:05).'"""
        found = self.safety_messages
        named = ", ".join(f"{m.where} ({m.sender}, {sent_words(m)})" if m.sent else f"{m.where} ({m.sender})"
                          for m in found[:limit])
        more = f" and {len(found) - limit:,} more" if len(found) > limit else ""
        return f"It comes from {named}{more}."

    def date_span(self) -> str | None:
        """'2 Feb 2026 to 25 Feb 2026', or None when the export has no times."""
        if not self.timed:
            return None
        first, last = self.chat.messages[0].sent, self.chat.messages[-1].sent
        return f"{first:{DAY_FORMAT}} to {last:{DAY_FORMAT}}"

    def flagged_by(self, people: Iterable[str]) -> list[MessageFlags]:
        wanted = set(people)
        return [m for m in self.flagged if m.message.sender in wanted and m.flags]

    def to_dict(self, person: str | None = None) -> dict:
        """Per-message flags (every message, or one person's) and the per-person figures."""
        by_index = {m.message.index: m for m in self.flagged}
        messages = []
        for message in self.chat.messages:
            if person is not None and message.sender != person:
                continue
            found = by_index.get(message.index)
            messages.append({"index": message.index, "sender": message.sender, "where": message.where,
                             "sent": message.sent.isoformat() if message.sent else None,
                             "flags": [f.to_dict() for f in found.flags] if found else [],
                             "safety": safety_lib.to_dict(found.safety) if found else None})
        chosen = [person] if person is not None else list(self.people)
        return {"chat": {"format": self.chat.format, "title": self.chat.title, "people": self.chat.people,
                         "messages": len(self.chat.messages), "timed": self.timed,
                         "skipped": dict(self.chat.skipped), "not_checked": self.not_checked},
                "people": {p: self.people[p].to_dict() for p in chosen},
                "hot_cold": [o.to_dict() for o in self.hot_cold if person is None or o.person == person],
                "messages": messages, "seconds": round(self.seconds, 2)}


def period_of(message: Message, timed: bool) -> date | int:
    """The chart's time bucket: the Monday of the message's week, or its block of messages when there are no times."""
    if timed:
        day = message.sent.date()
        return day - timedelta(days=day.weekday())
    return message.index // BLOCK


def analyze_chat(detector, chat: Chat, progress: Progress | None = None, batch: int = BATCH,
                 jobs: int = 1) -> ConversationReport:
    """Check every message of the chat with the detector and work out the figures. `progress(done, total)` is called
    after each batch; `jobs` > 1 checks batches in that many forked processes (the command line; never in the app's
    threaded server)."""
    started = time.perf_counter()
    messages, timed = chat.messages, chat.timed
    flagged: list[MessageFlags] = []
    people = {name: PersonFigures(name) for name in chat.people}
    timeline: Counter = Counter()
    not_checked = done = 0
    for chunk, results in checked_chunks(detector, messages, batch, jobs):
        for message, (flags, finding, too_long) in zip(chunk, results, strict=True):
            not_checked += too_long
            figures = people[message.sender]
            figures.messages += 1
            if flags or finding is not None:
                flagged.append(MessageFlags(message, flags, finding))
            if flags:
                figures.flagged += 1
                period = period_of(message, timed)
                for pattern in {f.pattern for f in flags}:
                    figures.by_pattern[pattern] += 1
                    timeline[(period, message.sender, pattern)] += 1
        done += len(chunk)
        if progress is not None:
            progress(done, len(messages))
    if timed:
        _rhythm_figures(messages, people)
    report = ConversationReport(chat, flagged, people, timeline, hot_cold_observations(messages, people) if timed else [],
                                not_checked)
    report.seconds = time.perf_counter() - started
    return report


def _rhythm_figures(messages: list[Message], people: dict[str, PersonFigures]) -> None:
    """Conversations started and the usual reply gap, per person."""
    gaps: dict[str, list[float]] = {name: [] for name in people}
    for name in people:
        people[name].starts = 0
    for before, message in pairwise([None, *messages]):
        if before is None or message.sent - before.sent >= START_GAP:
            people[message.sender].starts += 1
        if before is not None and message.sender != before.sender:  # an answer, however long it took
            gaps[message.sender].append((message.sent - before.sent).total_seconds() / 60)
    for name, found in gaps.items():
        people[name].replies = len(found)
        people[name].median_reply_minutes = statistics.median(found) if found else None
        people[name].engaged_reply_minutes = (statistics.quantiles(found, n=4, method="inclusive")[0]
                                              if len(found) > 1 else found[0] if found else None)


def turns_of(mine: list[Message]) -> list[list[Message]]:
    """A person's messages grouped into turns: what they wrote before anyone else wrote back."""
    turns: list[list[Message]] = []
    for message in mine:
        if turns and message.index == turns[-1][-1].index + 1:
            turns[-1].append(message)
        else:
            turns.append([message])
    return turns


def rhythm_by_person(messages: list[Message], people: dict[str, PersonFigures]) -> dict[str, HotColdObservation]:
    """Per person, every turn that ended warm and was followed by a long silence they didn't explain while others
    kept writing, with how often their other turns were: the counts behind the hot-and-cold observation."""
    lex = chat_lexicon()
    own: dict[str, list[Message]] = {name: [] for name in people}
    for message in messages:
        own[message.sender].append(message)
    found = {}
    for name, mine in own.items():
        usual = people[name].engaged_reply_minutes or 0.0
        longest = max(SILENCE, timedelta(minutes=usual * SILENCE_VS_USUAL))
        silences: list[Silence] = []
        counts = Counter()  # (warm turn?, followed by a silence?) -> turns
        for turn, following in pairwise(turns_of(mine)):
            last, back = turn[-1], following[0]
            warm = next((m for m in reversed(turn) if lex.warm.search(m.text)), None)
            silent = (back.sent - last.sent >= longest
                      and not any(lex.away.search(m.text) for m in [*turn, back]))  # "off to bed x", "phone died"
            counts[warm is not None, silent] += 1
            if warm is not None and silent:
                silences.append(Silence(warm, back, (back.sent - last.sent).total_seconds() / 3600,
                                        back.index - last.index - 1))
        found[name] = HotColdObservation(name, tuple(silences), counts[True, True] + counts[True, False],
                                         counts[False, True], counts[False, True] + counts[False, False])
    return found


def hot_cold_observations(messages: list[Message], people: dict[str, PersonFigures]) -> list[HotColdObservation]:
    """The people whose warm turns are followed by a long unexplained silence again and again, and clearly more often
    than their other turns are (in a long chat, some warm goodbyes come before a quiet week by chance)."""
    return [o for o in rhythm_by_person(messages, people).values() if o.stands_out]
