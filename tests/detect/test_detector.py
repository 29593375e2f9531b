"""The detector, LanguageTool-style: every catalogue example is flagged, every look-alike is left alone."""
from __future__ import annotations

import pytest

from classifier import MAX_CHARS, TextTooLongError, load_catalogue
from classifier.catalogue import PATTERN_IDS
from classifier.evaluation.metrics import token_f1

EXAMPLES = [(p.id, i, ex) for p in load_catalogue().values() for i, ex in enumerate(p.examples)]
LOOK_ALIKES = [(p.id, i, la) for p in load_catalogue().values() for i, la in enumerate(p.look_alikes)]


@pytest.mark.parametrize("pid,i,example", EXAMPLES, ids=[f"{p}-ex{i}" for p, i, _ in EXAMPLES])
def test_catalogue_example_is_flagged_at_its_phrase(detector, pid, i, example):
    analysis = detector.analyze(example.text)
    flags = [f for f in analysis.flags if f.pattern == pid]
    assert flags, f"{pid} not flagged; scores {analysis.scores}"
    start = example.start
    gold = [(start, start + len(example.phrase))]
    assert max(token_f1(example.text, [(f.start, f.end)], gold) for f in flags) > 0, "flag overlaps the gold phrase"


@pytest.mark.parametrize("pid,i,look_alike", LOOK_ALIKES, ids=[f"{p}-la{i}" for p, i, _ in LOOK_ALIKES])
def test_catalogue_look_alike_is_not_flagged(detector, pid, i, look_alike):
    analysis = detector.analyze(look_alike.text)
    assert analysis.flags == [], f"sincere look-alike flagged: {[(f.pattern, f.phrase) for f in analysis.flags]}"


def test_offsets_index_the_original_text(detector, corpus_rows):
    texts = [r["text"] for r in corpus_rows[::7]]
    texts += ["heyyyy\u200b u up?? 😘 honestly i did\u200bnt even notice u were gone lol",
              "ｉ ｄｏｎ’ｔ ｃａｒｅ — do what u want. text me back by 9 or we're done!!!",
              "Тhis is nоt a big dеal, you're being crazy. it never happened."]
    flagged = 0
    for text in texts:
        for analysis in [detector.analyze(text)]:
            for f in analysis.flags:
                flagged += 1
                assert text[f.start:f.end] == f.phrase
                assert 0 <= f.start < f.end <= len(text)
                assert 0.0 <= f.score <= 1.0 and f.confidence in ("likely", "possible")
                assert f.phrase == f.phrase.strip()
    assert flagged > 50


def test_flag_is_a_phrase_not_the_whole_message(detector, catalogue):
    ex = catalogue["ultimatum"].examples[0]
    text = "hey how was the dentist? mine was awful lol. " + ex.text + " anyway my mum says hi"
    flags = [f for f in detector.analyze(text).flags if f.pattern == "ultimatum"]
    assert flags and all(len(f.phrase) < 0.8 * len(text) for f in flags)


def test_analysis_shape(detector):
    analysis = detector.analyze("We're done. Don't text me again unless you want to apologise. Or else.")
    assert set(analysis.scores) == set(PATTERN_IDS)
    assert analysis.sentences and all(0 <= s < e for s, e in analysis.sentences)
    data = analysis.to_dict()
    assert set(data) == {"patterns", "scores", "flags", "reason", "warnings", "safety"}
    assert data["patterns"] == analysis.patterns


@pytest.mark.parametrize("text", ["", "   ", "\n\t  \n"])
def test_empty_text_has_a_reason_and_no_flags(detector, text):
    analysis = detector.analyze(text)
    assert analysis.flags == [] and analysis.reason and "no text" in analysis.reason.lower()


@pytest.mark.parametrize("text", ["😭😭😭", "💔 🙃 …", "?!?!"])
def test_symbol_only_text_has_a_reason(detector, text):
    analysis = detector.analyze(text)
    assert analysis.flags == [] and analysis.reason


def test_text_over_the_limit_is_refused_clearly(detector):
    with pytest.raises(TextTooLongError, match="characters"):
        detector.analyze("a" * (MAX_CHARS + 1))
    assert detector.analyze("ok " * (MAX_CHARS // 3)).reason is None


@pytest.mark.parametrize("text", ["Je ne sais pas pourquoi tu ne m'as pas répondu hier soir, c'est vraiment dommage.",
                                  "Почему ты мне не ответил вчера вечером? Я ждала весь день.",
                                  "なんで昨日返事してくれなかったの？ずっと待ってたのに。"])
def test_non_english_gets_a_warning(detector, text):
    assert detector.analyze(text).warnings


def test_english_gets_no_language_warning(detector):
    assert detector.analyze("hey are we still on for dinner tomorrow? i can book the thai place").warnings == []


def test_results_are_deterministic(detector):
    text = "miss u. not in a weird way lol. anyway i'm seeing someone now, he's great"
    first = detector.analyze(text).to_dict()
    assert all(detector.analyze(text).to_dict() == first for _ in range(3))


def test_analyze_many_matches_analyze(detector, corpus_rows):
    texts = [r["text"] for r in corpus_rows[:300:3]] + ["", "x" * (MAX_CHARS + 5)]
    batch = list(detector.analyze_many(texts, batch_size=16))
    assert isinstance(batch[-1], TextTooLongError)
    for text, result in zip(texts[:-1], batch[:-1], strict=True):
        assert result.to_dict() == detector.analyze(text).to_dict()
