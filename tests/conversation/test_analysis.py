"""A whole chat through the real detector: per-message flags match single checks, figures per person, the week-by-week
timeline, and the hot-and-cold rhythm across messages (observed, explained silences left out)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from support.app import ROOT

from benchmarks import synthetic_chat as sc
from classifier.conversation import Chat, Message, analyze_chat, read_chat
from classifier.conversation import analysis as an
from classifier.errors import MAX_CHARS

T0 = datetime(2026, 3, 2, 9, 0)  # a Monday


def chat_of(rows: list[tuple[str, float, str]], fmt: str = "whatsapp-android") -> Chat:
    """(sender, hours after T0, text) rows as a read chat."""
    return Chat(fmt, [Message(k, who, text, T0 + timedelta(hours=h), f"line {k + 1}")
                      for k, (who, h, text) in enumerate(rows)])


def test_per_message_flags_equal_checking_each_message_alone(detector):
    """Batching, batch boundaries and the repeat cache change nothing: every flag is the single check's flag."""
    chat = read_chat(sc.android(sc.big(300, seed=11, tactic_share=0.3)))
    report = analyze_chat(detector, chat, batch=7)
    by_index = {m.message.index: m for m in report.flagged}
    assert report.flagged, "the synthetic chat has tactics the model flags"
    for message in chat.messages:
        alone = detector.analyze(message.text)
        got = by_index.get(message.index)
        assert (tuple(got.flags) if got else ()) == tuple(alone.flags), message.text
    assert sum(f.messages for f in report.people.values()) == len(chat.messages)
    assert sum(f.flagged for f in report.people.values()) == len([m for m in report.flagged if m.flags])


def test_figures_per_person_and_the_weekly_timeline(detector):
    rows = [("Sam", 0, "morning! coffee later?"), ("Alex", 0.5, "yes please, 11 at the usual?"),
            ("Sam", 1.5, "its whatever, doesnt matter to me either way 🤷 lol"),  # a tactic in week 1
            ("Alex", 2.0, "ok, see you at 11"),
            ("Alex", 24 * 8, "hey, how was the trip?"),  # 8 days later: a new conversation in week 2, Alex starts
            ("Sam", 24 * 8 + 3, "went out with my ex last night, he's been so sweet lately 😉"),
            ("Alex", 24 * 8 + 3.25, "oh ok")]
    report = analyze_chat(detector, chat_of(rows))
    sam, alex = report.people["Sam"], report.people["Alex"]
    assert (sam.messages, alex.messages) == (3, 4)
    assert sam.flagged == 2 and alex.flagged == 0
    assert sam.by_pattern == {"feigned_indifference": 1, "jealousy_bait": 1}
    assert (sam.starts, alex.starts) == (1, 1)
    assert sam.median_reply_minutes == pytest.approx(60 * 2)  # 60 and 180 minutes
    assert alex.median_reply_minutes == pytest.approx(30)  # 30, 30 and 15 minutes
    assert report.timeline == {(date(2026, 3, 2), "Sam", "feigned_indifference"): 1,
                               (date(2026, 3, 9), "Sam", "jealousy_bait"): 1}
    assert [m.message.index for m in report.flagged_by(["Sam"])] == [2, 5]
    assert report.flagged_by(["Alex"]) == []


def test_untimed_threads_chart_by_blocks_and_skip_the_rhythm(detector):
    chat = read_chat("Sam: its whatever, doesnt matter to me either way 🤷 lol\nAlex: ok\n")
    report = analyze_chat(detector, chat)
    assert not report.timed and report.hot_cold == []
    assert report.people["Sam"].starts is None and report.people["Sam"].median_reply_minutes is None
    assert list(report.timeline) == [(0, "Sam", "feigned_indifference")]


def warm_and_silent(episodes: int, away: str | None = None, answer_hours: float = 0.2) -> list:
    """Sam answers warmly, goes quiet for four days while Alex writes twice, then comes back; `episodes` times."""
    rows, h = [], 0.0
    for k in range(episodes):
        rows += [("Alex", h, "how was your day?"), ("Sam", h + answer_hours, "miss you already x")]
        if away:
            rows.append(("Sam", h + answer_hours + 0.1, away))
        back = h + answer_hours + 96
        rows += [("Alex", h + answer_hours + 5, "are you free thursday?"), ("Alex", h + answer_hours + 30, "hello?"),
                 ("Sam", back, f"heyyy sorry, crazy week {k}"),  # then an ordinary chat, until the next warm goodbye
                 ("Alex", back + 0.1, "no worries, how was it?"), ("Sam", back + 0.2, "long, tell you at the weekend"),
                 ("Alex", back + 0.3, "ok"), ("Sam", back + 0.4, "what are you up to?"),
                 ("Alex", back + 0.5, "cooking")]
        h += 24 * 9
    return rows


def test_warm_messages_followed_by_long_silences_again_and_again_are_observed(detector):
    report = analyze_chat(detector, chat_of(warm_and_silent(3)))
    assert [o.person for o in report.hot_cold] == ["Sam"]
    observed = report.hot_cold[0]
    assert len(observed.silences) == 3
    assert all(s.warm.text == "miss you already x" and s.unanswered == 2 for s in observed.silences)
    assert [round(s.hours) for s in observed.silences] == [96, 96, 96]
    words = observed.wording()
    assert words.startswith("Sam's warm messages were followed by a long silence 3 times")
    assert "could read as hot and cold" in words and "ordinary reasons" in words
    assert observed.wording("Your").startswith("Your warm messages")
    assert report.to_dict()["hot_cold"][0]["silences"][0] == {"warm": "line 2", "warm_index": 1, "back": "line 5",
                                                              "back_index": 4, "hours": 96.0, "unanswered": 2}


def slow_replier() -> list:
    """Sam answers everything, warm or not, two to three days later."""
    rows, h = [], 0.0
    for _ in range(4):
        rows += [("Alex", h, "how was your day?"), ("Sam", h + 50, "miss you already x"),
                 ("Alex", h + 51, "are you free thursday?"), ("Sam", h + 110, "maybe, will see"),
                 ("Alex", h + 111, "ok let me know")]
        h += 170
    return rows


@pytest.mark.parametrize(("rows", "why"), [
    (warm_and_silent(2), "twice is not yet a rhythm"),
    (warm_and_silent(3, away="off to bed, busy week ahead"), "the silence was explained before it"),
    (slow_replier(), "someone who always takes days to answer"),
    ([(who, h, text.replace("miss you already x", "ok")) for who, h, text in warm_and_silent(3)], "nothing warm"),
])
def test_no_observation_without_a_repeated_unexplained_rhythm(detector, rows, why):
    assert analyze_chat(detector, chat_of(rows)).hot_cold == [], why


def test_no_observation_when_warmth_comes_before_silence_only_by_chance(detector):
    """Years of chat with random gaps: some warm messages precede a quiet week, no more often than any other."""
    chat = read_chat(sc.android(sc.big(20_000, seed=4)))
    assert analyze_chat(detector, chat).hot_cold == []


def test_the_demo_chat(detector):
    """The README's demo (committed as docs/example-chat.txt): Sam's warmth and silences show up three times; Alex's
    sincere messages stay unflagged."""
    committed = (ROOT / "docs" / "example-chat.txt").read_text(encoding="utf-8")
    assert committed == sc.android(sc.demo()), "rewrite it: python -m benchmarks.synthetic_chat demo docs/example-chat.txt"
    report = analyze_chat(detector, read_chat(committed))
    assert [o.person for o in report.hot_cold] == ["Sam"]
    sincere = {"I felt hurt when you went quiet for days. can we talk about it on the phone tonight?",
               "thank you, see you friday", "hey, just checking you're ok"}
    flagged_texts = {m.message.text for m in report.flagged}
    assert not sincere & flagged_texts
    assert {"jealousy_bait", "gaslighting"} <= set(report.people["Sam"].by_pattern)


def test_progress_is_reported_per_batch(detector):
    chat = read_chat(sc.android(sc.big(100, seed=5)))
    seen = []
    analyze_chat(detector, chat, progress=lambda done, total: seen.append((done, total)), batch=30)
    assert seen == [(30, 100), (60, 100), (90, 100), (100, 100)]


def test_over_long_messages_are_counted_and_still_safety_checked(detector):
    long_text = "I want to end my life. " + "x " * MAX_CHARS
    report = analyze_chat(detector, chat_of([("Sam", 0, long_text), ("Alex", 1, "are you ok? I'm calling you now")]))
    assert report.not_checked == 1
    assert report.safety is not None and report.safety.kinds == ("self_harm",)
    assert report.flagged[0].flags == () and report.flagged[0].safety is not None
    assert report.to_dict()["chat"]["not_checked"] == 1


def test_json_has_every_message_and_the_figures(detector):
    report = analyze_chat(detector, read_chat(sc.android(sc.demo())))
    everyone = report.to_dict()
    assert len(everyone["messages"]) == len(report.chat.messages)
    assert set(everyone["people"]) == {"Sam", "Alex"}
    flagged = [m for m in everyone["messages"] if m["flags"]]
    assert len(flagged) == sum(f.flagged for f in report.people.values())
    first = flagged[0]
    text = report.chat.messages[first["index"]].text
    assert all(text[f["start"]:f["end"]] == f["phrase"] for f in first["flags"])
    only_sam = report.to_dict("Sam")
    assert {m["sender"] for m in only_sam["messages"]} == {"Sam"} and list(only_sam["people"]) == ["Sam"]


def test_minutes_in_words():
    assert [an.minutes_words(m) for m in (None, 4, 150, 60 * 72)] == ["no replies to measure", "4 min", "2.5 hours",
                                                                       "3 days"]


def test_forked_workers_and_a_full_repeat_cache_give_the_same_report(detector, monkeypatch):
    from classifier.conversation import checking

    chat = read_chat(sc.android(sc.big(3_000, seed=9, tactic_share=0.2)))
    expected = analyze_chat(detector, chat, batch=200).to_dict()
    seen = []
    forked = analyze_chat(detector, chat, batch=200, jobs=2, progress=lambda d, t: seen.append(d)).to_dict()
    monkeypatch.setattr(checking, "CACHE_SIZE", 5)  # most repeats now go back to the detector
    small_cache = analyze_chat(detector, chat, batch=200, jobs=2).to_dict()
    for report in (expected, forked, small_cache):
        report.pop("seconds")
    assert forked == expected and small_cache == expected
    assert seen == list(range(200, 3_001, 200))
