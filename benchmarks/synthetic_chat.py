"""Synthetic chats, written out in each export format: the demo chat behind the README screenshot
(docs/example-chat.txt) and large chats for the 50,000-message benchmark. Every line is made up here.

`python -m benchmarks.synthetic_chat demo docs/example-chat.txt` rewrites the committed demo;
`python -m benchmarks.synthetic_chat big 50000 OUT.txt` writes a large WhatsApp (Android) export.
"""
from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

Line = tuple[str, datetime, str]  # (sender, time, text)

ME, THEM = "Alex", "Sam"
DEMO_START = datetime(2026, 2, 2, 18, 5)

# (days, hours, minutes after the previous message, sender, text): two people over seven weeks; Sam's warmth is
# followed by silences three times, and a few messages on both sides use the tactics.
DEMO: tuple[tuple[int, int, int, str, str], ...] = (
    (0, 0, 0, THEM, "had the best time last night 😘 miss you already"),
    (0, 0, 4, ME, "me too!! that pasta place was so good"),
    (0, 0, 2, ME, "are you free thursday?"),
    (0, 1, 0, ME, "hello?"),
    (1, 3, 0, ME, "hey, just checking you're ok"),
    (2, 5, 0, ME, "not sure if my messages are getting through"),
    (1, 2, 0, THEM, "heyyy stranger 🥰 been thinking about you"),
    (0, 0, 3, ME, "hey! I was a bit worried tbh. everything ok?"),
    (0, 0, 6, THEM, "its whatever, doesnt matter to me either way 🤷 lol"),
    (0, 0, 5, ME, "ok. I'd still like to see you this week if you're up for it"),
    (0, 1, 10, THEM, "maybe. I'm pretty booked up, you'll have to fight for a slot 😉"),
    (1, 0, 0, ME, "drinks saturday at 8?"),
    (0, 0, 20, THEM, "ok fine saturday x"),
    (5, 2, 0, THEM, "saturday was amazing. love you x"),
    (0, 0, 30, ME, "love you too ❤️ same time next week?"),
    (1, 4, 0, ME, "morning! how did the interview go?"),
    (2, 1, 0, ME, "hope it went well"),
    (1, 6, 0, ME, "?"),
    (0, 10, 0, THEM, "omg hiii, miss u"),
    (0, 0, 10, THEM, "went out with my ex last night, he's been so sweet lately 😉"),
    (0, 0, 8, ME, "I'd rather you told me straight if something's changed between us"),
    (0, 0, 12, THEM, "you're being so dramatic. that never happened, you're imagining things"),
    (0, 0, 15, ME, "I felt hurt when you went quiet for days. can we talk about it on the phone tonight?"),
    (0, 2, 0, THEM, "fine. call me at 9 x"),
    (2, 3, 0, ME, "thanks for the call the other night, it helped"),
    (0, 0, 40, THEM, "can't wait to see you sunday 😍"),
    (0, 0, 3, ME, "me too! I'll bring the board game"),
    (1, 2, 0, ME, "still on for sunday?"),
    (2, 0, 0, ME, "I'm guessing sunday's off"),
    (1, 5, 0, ME, "I'd really like an honest answer about where we stand"),
    (0, 20, 0, THEM, "heyy thinking about you 💕"),
    (0, 0, 12, THEM, "guess I'll just sit here on my own again like always, don't worry about me"),
    (0, 0, 9, ME, "honestly I'm done waiting around. it's me or your mates, choose by friday"),
    (0, 0, 4, ME, "sorry, that came out wrong. what I mean is: I need us to make plans and keep them"),
    (0, 1, 0, THEM, "ok. dinner friday at 7, I'll book"),
    (0, 0, 2, ME, "thank you, see you friday"),
)


def demo() -> list[Line]:
    """The demo chat as (sender, time, text)."""
    out, when = [], DEMO_START
    for days, hours, minutes, sender, text in DEMO:
        when += timedelta(days=days, hours=hours, minutes=minutes)
        out.append((sender, when, text))
    return out


# --- writers, one per export format -----------------------------------------------------------------------------------


def android(lines: Iterable[Line], month_first: bool = False, twelve_hour: bool = False) -> str:
    """WhatsApp's Android export: `31/12/2026, 23:59 - Name: text` (or `12/31/26, 11:59 PM - …`)."""
    lines = list(lines)
    out = [_android_stamp(lines[0][1] if lines else DEMO_START, month_first, twelve_hour)
           + " - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can "
             "read or listen to them. Tap to learn more."]
    for sender, when, text in lines:
        out.append(f"{_android_stamp(when, month_first, twelve_hour)} - {sender}: {text}")
    return "\n".join(out) + "\n"


def _android_stamp(when: datetime, month_first: bool, twelve_hour: bool) -> str:
    day = f"{when.month}/{when.day}/{when:%y}" if month_first else f"{when:%d/%m/%Y}"
    clock = f"{when.hour % 12 or 12}:{when:%M}\u202f{when:%p}" if twelve_hour else f"{when:%H:%M}"
    return f"{day}, {clock}"


def ios(lines: Iterable[Line]) -> str:
    """WhatsApp's iPhone export (`_chat.txt`): `[31/12/2026, 23:59:59] Name: text`, system lines marked U+200E."""
    lines = list(lines)
    first = lines[0][1] if lines else DEMO_START
    out = [f"[{first:%d/%m/%Y, %H:%M:%S}] {lines[0][0] if lines else THEM}: \u200eMessages and calls are "
           "end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."]
    out += [f"[{when:%d/%m/%Y, %H:%M:%S}] {sender}: {text}" for sender, when, text in lines]
    return "\n".join(out) + "\n"


def telegram(lines: Iterable[Line], name: str = THEM) -> str:
    """Telegram Desktop's result.json for one chat."""
    lines = list(lines)
    ids = {sender: f"user{1000 + n}" for n, sender in enumerate(dict.fromkeys(s for s, _, _ in lines))}
    messages = [{"id": k + 1, "type": "message", "date": when.isoformat(timespec="seconds"),
                 "date_unixtime": str(int(when.timestamp())), "from": sender, "from_id": ids[sender],
                 "text": text, "text_entities": [{"type": "plain", "text": text}]}
                for k, (sender, when, text) in enumerate(lines)]
    return json.dumps({"name": name, "type": "personal_chat", "id": 4242, "messages": messages},
                      ensure_ascii=False, indent=1)


def pasted(lines: Iterable[Line]) -> str:
    """A thread copied by hand: `Name: text`, one message per line, no times."""
    return "\n".join(f"{sender}: {text}" for sender, _, text in lines) + "\n"


# --- large chats for the benchmark ------------------------------------------------------------------------------------

_OPENERS = ["hey", "hiya", "morning", "ok so", "omg", "right", "so", "honestly", "lol", "wait"]
_EVERYDAY = [
    "are you around later? thought we could get food", "running about {n} mins late, sorry", "did you see the match",
    "can you grab milk on the way back", "I'm at {place}, where are you", "haha that's brilliant", "ok see you at {t}",
    "how was work today", "that film was so much better than I expected", "I'm knackered, early night for me",
    "thanks for today, really needed that", "what time is {name}'s thing on {day}", "love that photo of you and {name}",
    "don't forget the bins go out {day}", "can we move dinner to {t}? work is mad", "the train's cancelled again 🙄",
    "just landed, will call in a bit", "happy birthday!! hope it's a good one", "did you book the table for {day}",
    "I miss you, can we do something this weekend?", "ok", "yeah", "haha", "sounds good", "on my way",
    "that's so annoying, sorry", "I'm proud of you for going", "want me to pick you up from {place} at {t}?",
]
_TACTICS = [
    "its whatever, doesnt matter to me either way", "went out with my ex last night, he's been so sweet lately 😉",
    "if you really cared you'd have come to {place}", "you're being so dramatic, that never happened",
    "I'm pretty booked up, you'll have to fight for a slot", "fine, go to {place}, don't worry about me",
    "it's them or me, choose by {day}", "hadn't even noticed you stopped texting tbh",
]
_PLACES = ["the pub", "mum's", "the gym", "work", "the station", "Tesco", "the party", "Jo's flat"]
_NAMES = ["Jo", "Priya", "Tom", "Ellie", "Marcus", "Nina"]
_DAYS = ["monday", "tuesday", "friday", "saturday", "sunday", "tomorrow", "next week"]


def big(n: int, seed: int = 7, people: tuple[str, ...] = (ME, THEM), tactic_share: float = 0.04) -> list[Line]:
    """`n` made-up messages over years of a chat: mostly everyday, a sprinkling of tactics, one to three sentences
    with varied details, so that (as in real chats) only the short ones repeat."""
    rng = random.Random(seed)
    when, out = datetime(2022, 1, 3, 8, 0), []

    def sentence() -> str:
        pool = _TACTICS if rng.random() < tactic_share else _EVERYDAY
        return rng.choice(pool).format(n=rng.randint(5, 40), place=rng.choice(_PLACES), name=rng.choice(_NAMES),
                                       t=f"{rng.randint(5, 9)}:{rng.choice(('00', '15', '30', '45'))}",
                                       day=rng.choice(_DAYS))

    for _ in range(n):
        when += timedelta(minutes=rng.choice((1, 1, 2, 3, 5, 12, 40, 180, 600, 1500)))
        parts = [sentence() for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
        if rng.random() < 0.3:
            parts[0] = f"{rng.choice(_OPENERS)} {parts[0]}"
        out.append((rng.choice(people), when, rng.choice((". ", " ", "! ", ", ")).join(parts)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("demo", help="the README's demo chat as a WhatsApp (Android) export")
    p.add_argument("output")
    p = sub.add_parser("big", help="a large synthetic WhatsApp (Android) export")
    p.add_argument("messages", type=int)
    p.add_argument("output")
    args = parser.parse_args(argv)
    text = android(demo()) if args.what == "demo" else android(big(args.messages))
    Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
