"""Property-based fuzzing (hypothesis) of `analyze`, `Rewriter.suggest` and `scan` on arbitrary unicode.

Inputs mix catalogue phrases (so there are flags to check) with control characters, zero-width joiners and spaces,
combining marks, right-to-left text and bidi controls, emoji sequences with skin-tone modifiers and ZWJ joins,
random surrogate-free strings, very long words and 10,000-character pastes.

Properties: no exception; every flag's offsets index the original text (text[start:end] == phrase); the same input
gives the same result; and each call's time stays within a fixed ratio of the time plain English text of the same
length takes in this run (a ratio, so it holds on slow and fast machines alike). The number of examples tried per
property and the largest time ratios seen are written to test-output/fuzz_stats.json.
"""
from __future__ import annotations

import csv
import io
import itertools
import json
import math
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.catalogue import PATTERN_IDS, TONES, load_catalogue
from classifier.cli.scan import scan
from classifier.detect.detector import MAX_CHARS, Analysis

ROOT = Path(__file__).resolve().parents[2]
STATS_PATH = ROOT / "test-output" / "fuzz_stats.json"
PASTE_LENGTH = 10_000
# A call may take at most this many times as long as plain English text of the same length (measured in this run).
# Real trouble (quadratic or exponential regexes, runaway loops) shows up as ratios in the hundreds or more.
TIME_RATIO = 25.0

FUZZ = settings(max_examples=200, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# --- the alphabet of trouble ---------------------------------------------------------------------------------------

CAT = load_catalogue()
PHRASES = sorted({ex.phrase for p in CAT.values() for ex in p.examples})
EXAMPLE_TEXTS = sorted({ex.text for p in CAT.values() for ex in p.examples})
WORDS = ["hey", "u", "ok", "whatever", "fine", "lol", "i", "don't", "care", "honestly", "text", "me", "back", "tonight",
         "or", "we're", "done", "miss", "you", "sorry", "babe", "x", "mum", "it's", "not", "a", "big", "deal"]
CONTROL = [chr(c) for c in (*range(0, 32), *range(127, 160))]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\u2061", "\u2064"]
BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u061c"]
RTL_WORDS = ["שלום", "אני", "בסדר", "مرحبا", "لا", "يهم", "حبيبي", "\u202eevil\u202c", "\u202bمرحبا u ok?\u202c"]
SKIN = ["\U0001F3FB", "\U0001F3FC", "\U0001F3FD", "\U0001F3FE", "\U0001F3FF"]
EMOJI = ["😂", "🙄", "🤷", "💔", "❤️", "🥺", "👍", "👋", "🎂", "🔥", "😌", "🤷\u200d♀️", "👩\u200d❤️\u200d💋\u200d👨",
         "👨\u200d👩\u200d👧\u200d👦", "🏳️\u200d🌈", "🇬🇧", "1️⃣", "🧑🏽\u200d💻", "👍🏿", "🤦🏼\u200d♂️"]
UNICODE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # surrogate-free, any plane


@st.composite
def emoji(draw) -> str:
    base = draw(st.sampled_from(EMOJI))
    if draw(st.booleans()):
        base += draw(st.sampled_from(SKIN))
    if draw(st.booleans()):
        base += "\u200d" + draw(st.sampled_from(EMOJI))
    return base


@st.composite
def combined(draw) -> str:
    word = draw(st.sampled_from(WORDS))
    marks = draw(st.lists(st.characters(min_codepoint=0x300, max_codepoint=0x36F), min_size=1, max_size=12))
    at = draw(st.integers(0, len(word)))
    return word[:at] + "".join(marks) + word[at:]


@st.composite
def disguised_phrase(draw) -> str:
    """A catalogue phrase with invisible characters or bidi controls dropped inside its words."""
    phrase = draw(st.sampled_from(PHRASES))
    junk = draw(st.lists(st.sampled_from(INVISIBLE + BIDI + CONTROL[:3]), min_size=1, max_size=6))
    chars = list(phrase)
    for ch in junk:
        chars.insert(draw(st.integers(0, len(chars))), ch)
    return "".join(chars)


LONG_WORD = st.builds(lambda c, n: c * n, st.sampled_from(["a", "z", "é", "ж", "x\u0301", "ha", "😂", "🏽"]),
                      st.integers(200, 3000))
PIECES = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(PHRASES), st.sampled_from(EXAMPLE_TEXTS), disguised_phrase(),
    st.sampled_from(CONTROL), st.sampled_from(INVISIBLE), st.sampled_from(BIDI), st.sampled_from(RTL_WORDS), emoji(),
    combined(), UNICODE_TEXT, LONG_WORD,
)
SEPARATORS = st.sampled_from([" ", "", "\n", "  ", "\t", ". ", "!! ", "... ", ", ", "\r\n", "\u2028", "\u00a0", "\u3000"])


@st.composite
def messages(draw, max_pieces: int = 25) -> str:
    pieces = draw(st.lists(st.tuples(PIECES, SEPARATORS), max_size=max_pieces))
    return "".join(p + s for p, s in pieces)


@st.composite
def pastes(draw) -> str:
    """A 10,000-character paste: a handful of pieces repeated until the length is reached."""
    pieces = draw(st.lists(st.tuples(PIECES, SEPARATORS), min_size=1, max_size=12))
    unit = "".join(p + s for p, s in pieces) or "x"
    return (unit * (PASTE_LENGTH // len(unit) + 1))[:PASTE_LENGTH]


# A runtime warning (a numpy overflow in the scorer, say) fails a fuzz test.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

ANY_TEXT = st.one_of(messages(), st.text(st.characters(exclude_categories=("Cs",)), max_size=400))


# --- bookkeeping -------------------------------------------------------------------------------------------------

STATS: dict[str, Counter] = defaultdict(Counter)
_FRESH = itertools.count(1)  # new lengths for timed texts, so spaCy's tokenizer cache never answers from a past call
RATIOS: dict[str, float] = defaultdict(float)
WORST: dict[str, str] = {}  # the input with the highest time ratio, per property


@pytest.fixture(scope="module", autouse=True)
def write_stats():
    yield
    STATS_PATH.parent.mkdir(exist_ok=True)
    previous = {}
    if STATS_PATH.exists():
        try:
            previous = json.loads(STATS_PATH.read_text(encoding="utf-8")).get("properties", {})
        except (OSError, ValueError):
            previous = {}
    properties = {**previous, **{name: dict(counts) | ({"max_time_ratio": round(RATIOS[name], 2),
                                                        "slowest_input": WORST.get(name, "")} if name in RATIOS else {})
                                 for name, counts in STATS.items()}}
    data = {"time_ratio_limit": TIME_RATIO, "properties": properties,
            "examples_tried_total": sum(p.get("examples", 0) for p in properties.values())}
    STATS_PATH.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


def _timed(fn, *args):
    started = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - started, out


class Baseline:
    """Seconds plain English takes at a few lengths in this run; interpolated linearly for any other length."""

    PLAIN = ("I went to the shop after work and bought some bread and milk. Then I walked home slowly because it was "
             "raining, and I called my sister to ask about the weekend. ")

    def __init__(self, points: list[tuple[int, float]], per_flag: float = 0.0) -> None:
        self.points = sorted(points)
        self.per_flag = per_flag  # extra seconds a flag costs (its phrase, score and cue words), measured likewise

    @classmethod
    def measure(cls, fn, lengths=(100, 1_000, PASTE_LENGTH)) -> Baseline:
        points = []
        for n in lengths:
            text = (cls.PLAIN * (n // len(cls.PLAIN) + 1))[:n]
            fn(text)  # warm
            points.append((n, min(_timed(fn, text)[0] for _ in range(3))))
        return cls(points)

    def seconds(self, n: int) -> float:
        pts = self.points
        if n <= pts[0][0]:
            return pts[0][1]
        for (n0, t0), (n1, t1) in zip(pts, pts[1:], strict=False):
            if n <= n1:
                return t0 + (t1 - t0) * (n - n0) / (n1 - n0)
        return pts[-1][1] * n / pts[-1][0]

    def check(self, name: str, seconds: float, limit: float, retime, example: str = "") -> None:
        """Fail when a call took more than TIME_RATIO times `limit` (re-timed once with `retime()` to rule out noise)."""
        ratio = seconds / limit
        if ratio > TIME_RATIO:
            ratio = min(ratio, retime() / limit)
        if ratio > RATIOS[name]:
            RATIOS[name] = ratio
            WORST[name] = example[:300]
        assert ratio <= TIME_RATIO, f"{name}: {ratio:.0f}x slower than plain text of the same length"


# --- linear time in the number of clauses ---------------------------------------------------------------------------

SHORT_CLAUSES = "ok, fine. "
GROWTH_FACTOR = 8  # compare a text of short clauses with one 8 times as long
QUADRATIC_GROWTH = 24.0  # about 8x the time when linear, about 64x when quadratic


def growth(detector, small: int = 1_250) -> float:
    """How many times longer a text of short clauses GROWTH_FACTOR times as long takes to analyze."""
    text = SHORT_CLAUSES * (small * GROWTH_FACTOR // len(SHORT_CLAUSES) + 1)
    detector.analyze(text[:small])
    t_small = min(_timed(detector.analyze, text[: small + next(_FRESH)])[0] for _ in range(5))
    t_large = min(_timed(detector.analyze, text[: small * GROWTH_FACTOR - next(_FRESH)])[0] for _ in range(2))
    return t_large / t_small


def test_analysis_time_grows_linearly_with_length(detector):
    """Once quadratic: segment() sliced doc.text per clause unit, and spaCy rebuilds Doc.text on every access."""
    measured = growth(detector)
    STATS["linear_growth"]["examples"] += 1
    STATS["linear_growth"][f"time_growth_for_{GROWTH_FACTOR}x_text_x100"] = round(100 * measured)
    assert measured <= QUADRATIC_GROWTH, f"{GROWTH_FACTOR}x the text took {measured:.1f}x the time: not linear"


# --- long runs of one symbol ----------------------------------------------------------------------------------------

RUN_GROWTH = 9.0  # 4x the run: about 4x the time when linear, about 16x when quadratic


def _run_growth(fn, ch: str, small: int = 500) -> float:
    """Time for a run of `ch` 4x as long, over time for the short run. Every run has a new length, so spaCy's
    tokenizer cache (keyed by the exact chunk) never answers from an earlier call: a person's paste is new text."""
    t_small = min(_timed(fn, "ok " + ch * (small + next(_FRESH)))[0] for _ in range(3))
    t_large = min(_timed(fn, "ok " + ch * (small * 4 + next(_FRESH)))[0] for _ in range(2))
    return t_large / t_small


@pytest.mark.parametrize("symbol", ["!", "😂", "👍🏽", "!?"])
def test_long_symbol_runs_take_linear_time(detector, symbol):
    """Once quadratic: spaCy's tokenizer splits affixes off one long token a character at a time; normalize.py now
    keeps three of a repeated symbol and cuts what is left of a long stretch of symbols into pieces."""
    measured = _run_growth(detector.analyze, symbol)
    STATS["symbol_runs"]["examples"] += 1
    STATS["symbol_runs"][f"time_growth_for_4x_run_of_{symbol}_x100"] = round(100 * measured)
    assert measured <= RUN_GROWTH, f"a 4x longer run of {symbol!r} took {measured:.1f}x the time: not linear"


def test_a_symbol_run_at_the_size_limit_takes_about_as_long_as_text(detector):
    plain = (Baseline.PLAIN * (MAX_CHARS // len(Baseline.PLAIN) + 1))[: MAX_CHARS - 3]
    detector.analyze(plain)
    t_plain = min(_timed(detector.analyze, plain[: -next(_FRESH)])[0] for _ in range(2))
    t_run = min(_timed(detector.analyze, "ok " + "!" * (MAX_CHARS - 3 - next(_FRESH)))[0] for _ in range(2))
    assert t_run <= 3 * t_plain, f"20,000 '!' took {t_run / t_plain:.1f}x the time of 20,000 characters of text"


@pytest.fixture(scope="module")
def analyze_baseline(detector):
    """Plain text by length, plus what each flag adds: catalogue examples against plain text of their length."""
    base = Baseline.measure(detector.analyze)
    extra, flags = 0.0, 0
    for text in EXAMPLE_TEXTS[:24]:
        detector.analyze(text)
        seconds, a = min((_timed(detector.analyze, text) for _ in range(2)), key=lambda pair: pair[0])
        extra += max(0.0, seconds - base.seconds(len(text)))
        flags += len(a.flags)
    base.per_flag = extra / max(1, flags)
    return base


def check_analysis(text: str, a: Analysis) -> None:
    assert a.text == text
    assert list(a.scores) == list(PATTERN_IDS)
    assert all(0.0 <= v <= 1.0 and math.isfinite(v) for v in a.scores.values())
    for start, end in a.sentences:
        assert 0 <= start <= end <= len(text)
    for f in a.flags:
        assert f.pattern in PATTERN_IDS and f.confidence in ("possible", "likely")
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.phrase and f.phrase.strip()
        assert a.scores[f.pattern] >= f.score - 1e-4
    assert [(f.start, f.pattern) for f in a.flags] == sorted((f.start, f.pattern) for f in a.flags)
    json.dumps(a.to_dict(), ensure_ascii=False).encode("utf-8")  # serialisable as the CLI and scan write it
    if a.reason:
        assert not a.flags


def _run_analyze(name: str, detector, baseline: Baseline, text: str) -> None:
    seconds, first = _timed(detector.analyze, text)
    check_analysis(text, first)
    assert detector.analyze(text).to_dict() == first.to_dict()  # deterministic
    STATS[name]["examples"] += 1
    STATS[name]["with_flags"] += bool(first.flags)
    STATS[name]["flags"] += len(first.flags)
    STATS[name]["chars"] += len(text)
    limit = baseline.seconds(len(text)) + baseline.per_flag * len(first.flags)
    baseline.check(name, seconds, limit, lambda: _timed(detector.analyze, text)[0], example=text)


# --- analyze ---------------------------------------------------------------------------------------------------------


@FUZZ
@given(text=ANY_TEXT)
def test_analyze_any_unicode(detector, analyze_baseline, text):
    _run_analyze("analyze_unicode", detector, analyze_baseline, text)


@settings(FUZZ, max_examples=30)
@given(text=pastes())
def test_analyze_10k_pastes(detector, analyze_baseline, text):
    assert len(text) == PASTE_LENGTH
    _run_analyze("analyze_10k_pastes", detector, analyze_baseline, text)


@settings(FUZZ, max_examples=100)
@given(texts=st.lists(messages(max_pieces=8), min_size=1, max_size=6))
def test_analyze_many_matches_analyze(detector, texts):
    batch = list(detector.analyze_many(texts, batch_size=4))
    assert len(batch) == len(texts)
    for text, a in zip(texts, batch, strict=True):
        assert a.to_dict() == detector.analyze(text).to_dict()  # the same answer whether batched or not
    STATS["analyze_many"]["examples"] += 1
    STATS["analyze_many"]["texts"] += len(texts)


def test_over_the_limit_is_refused_not_crashed(detector):
    from classifier.detect.detector import TextTooLongError

    with pytest.raises(TextTooLongError):
        detector.analyze("\u200b" * (MAX_CHARS + 1))
    assert detector.analyze("a" * MAX_CHARS).text == "a" * MAX_CHARS


# --- suggest ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rewriters(detector):
    from classifier.rewrite.rewriter import Rewriter

    return Rewriter(detector), Rewriter(detector)


@pytest.fixture(scope="module")
def suggest_baseline(detector, rewriters):
    """Plain-text baseline for suggest: a fresh rewriter on plain texts that carry one flag each, per character."""
    from classifier.rewrite.rewriter import Rewriter

    fresh = Rewriter(detector)
    plain = Baseline.PLAIN
    flagged = [t for t in EXAMPLE_TEXTS if detector.analyze(t).flags][:6]

    points = []
    for n in (200, 1_000, 4_000):  # plain sentences in front of a flagged example, timed on a fresh engine each
        times = []
        for ex in flagged[:3]:
            text = ((plain * (n // len(plain) + 1))[: max(0, n - len(ex) - 1)] + " " + ex)[-n:]
            times.append(_timed(fresh.suggest, text, detector.analyze(text))[0])
        points.append((n, sorted(times)[len(times) // 2]))
    return Baseline(points)


def _result_key(result) -> tuple:
    return (tuple((s.flag.pattern, s.flag.start, s.flag.end, tuple((a.tone, a.text) for a in s.alternatives))
                  for s in result.suggestions), result.whole_message)


@settings(FUZZ, max_examples=150)
@given(text=st.one_of(messages(max_pieces=10), st.builds(lambda e, m: e + " " + m, st.sampled_from(EXAMPLE_TEXTS),
                                                         messages(max_pieces=6))))
def test_suggest_any_unicode(detector, rewriters, suggest_baseline, text):
    first_rw, second_rw = rewriters
    analysis = detector.analyze(text)
    seconds, result = _timed(first_rw.suggest, text, analysis)
    n_flags = max(1, len(analysis.flags))
    # time per flag against plain text carrying one flag, so many flags may take proportionally longer; a re-timing
    # uses the second engine, which has not seen this text yet (the first one has it cached now)
    second_result: list = []

    def retime() -> float:
        t, again = _timed(second_rw.suggest, text, detector.analyze(text))
        second_result.append(again)
        return t / n_flags

    suggest_baseline.check("suggest", seconds / n_flags, suggest_baseline.seconds(len(text)), retime, example=text)
    shown = sorted((f for s in result.suggestions for f in (s.flag, *s.also)), key=lambda f: (f.start, f.pattern))
    assert shown == sorted(analysis.flags, key=lambda f: (f.start, f.pattern))  # overlapping flags share one
    for s in result.suggestions:
        assert text[s.flag.start : s.flag.end] == s.flag.phrase
        for alt in s.alternatives:
            assert alt.tone in TONES and alt.text.strip() and isinstance(alt.explanation, str)
    if result.whole_message is not None:
        assert result.whole_message.strip() and analysis.flags
    if not analysis.flags:
        assert result.suggestions == () and result.whole_message is None
    again = second_result[0] if second_result else second_rw.suggest(text, detector.analyze(text))
    assert _result_key(again) == _result_key(result)  # deterministic, and independent of what the engine cached
    STATS["suggest"]["examples"] += 1
    STATS["suggest"]["with_flags"] += bool(analysis.flags)
    STATS["suggest"]["with_whole_message"] += result.whole_message is not None
    STATS["suggest"]["alternatives"] += sum(len(s.alternatives) for s in result.suggestions)


@settings(FUZZ, max_examples=4)
@given(text=pastes())
def test_suggest_on_10k_pastes(detector, rewriters, text):
    analysis = detector.analyze(text)
    result = rewriters[0].suggest(text, analysis)
    for s in result.suggestions:
        assert text[s.flag.start : s.flag.end] == s.flag.phrase
    assert sum(1 + len(s.also) for s in result.suggestions) == len(analysis.flags)
    STATS["suggest_10k_pastes"]["examples"] += 1
    STATS["suggest_10k_pastes"]["flags"] += len(analysis.flags)


# --- scan ------------------------------------------------------------------------------------------------------------

IDS = st.one_of(st.integers(-(10**12), 10**12), st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12))


def _records(out: str) -> list[dict]:
    # JSON Lines records end at "\n" only: U+2028, U+0085 and friends may legally sit raw inside a string
    return [json.loads(line) for line in out.split("\n") if line]


def _check_scan(name, detector, texts, ids, records, baseline: Baseline, seconds: float, retime) -> None:
    assert len(records) == len(texts)
    for text, rid, rec in zip(texts, ids, records, strict=True):
        assert rec["id"] == rid
        a = detector.analyze(text)
        assert rec["patterns"] == a.patterns
        assert [(f["pattern"], f["start"], f["end"], f["phrase"]) for f in rec["flags"]] == [
            (f.pattern, f.start, f.end, f.phrase) for f in a.flags]
        for f in rec["flags"]:
            assert text[f["start"] : f["end"]] == f["phrase"]  # offsets into the text as it was in the file
    # the whole file against plain text of the same lengths, message by message
    baseline.check(name, seconds, sum(baseline.seconds(len(t)) for t in texts), retime, example=repr(texts))


@settings(FUZZ, max_examples=150)
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=5), data=st.data())
def test_scan_jsonl(detector, analyze_baseline, tmp_path_factory, texts, data):
    ids = data.draw(st.lists(IDS, min_size=len(texts), max_size=len(texts)))
    source = tmp_path_factory.mktemp("scan") / "in.jsonl"
    ensure_ascii = data.draw(st.booleans())
    source.write_text("".join(json.dumps({"id": i, "text": t}, ensure_ascii=ensure_ascii) + "\n"
                              for i, t in zip(ids, texts, strict=True)), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    seconds, stats = _timed(lambda: scan(detector, source, out, errors=err, progress=False))
    assert stats["messages"] == len(texts) and stats["bad_lines"] == 0, err.getvalue()
    _check_scan("scan_jsonl", detector, texts, ids, _records(out.getvalue()), analyze_baseline, seconds,
                lambda: _timed(lambda: scan(detector, source, io.StringIO(), errors=io.StringIO(), progress=False))[0])
    out.getvalue().encode("utf-8")
    STATS["scan_jsonl"]["examples"] += 1
    STATS["scan_jsonl"]["messages"] += len(texts)


@settings(FUZZ, max_examples=150)
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=5), data=st.data())
def test_scan_csv(detector, analyze_baseline, tmp_path_factory, texts, data):
    ids = [str(i) for i in data.draw(st.lists(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r\n"),
                                                                min_size=1, max_size=10).filter(str.strip),
                                                        min_size=len(texts), max_size=len(texts)))]
    texts = [t.replace("\x00", "") for t in texts]  # the csv module cannot write NUL
    source = tmp_path_factory.mktemp("scan") / "in.csv"
    with open(source, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        writer.writerows(zip(ids, texts, strict=True))
    out, err = io.StringIO(), io.StringIO()
    seconds, stats = _timed(lambda: scan(detector, source, out, errors=err, progress=False))
    assert stats["messages"] == len(texts) and stats["bad_lines"] == 0, err.getvalue()
    _check_scan("scan_csv", detector, texts, ids, _records(out.getvalue()), analyze_baseline, seconds,
                lambda: _timed(lambda: scan(detector, source, io.StringIO(), errors=io.StringIO(), progress=False))[0])
    STATS["scan_csv"]["examples"] += 1
    STATS["scan_csv"]["messages"] += len(texts)
