"""The check page's logic, free of Streamlit: run a check, word the verdict, apply a suggestion, fall back gracefully."""
from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from classifier.detect import safety
from classifier.detect.results import Analysis, Flag
from classifier.errors import MAX_CHARS, TextTooLongError
from classifier.rewrite.relationship import LABELS
from classifier.rewrite.types import Alternative

WRITE = "write"
RECEIVE = "receive"
MODE_LABELS = {WRITE: "I'm writing this", RECEIVE: "I received this message"}
RELATIONSHIP_LABELS = dict(LABELS)  # who the suggestions are written for, as the page words it

EMPTY_PROMPT = ("Whenever you're ready, write or paste your draft above and press **Check**. "
                "Nothing you type leaves this app.")
_SLOT_RE = re.compile(r"\{[a-z_]+\}|\[[^\]]*\]")


@dataclass(frozen=True)
class Card:
    """One flag as the page shows it, with its sincere alternatives (empty in received mode)."""

    flag: Flag
    alternatives: tuple[Alternative, ...] = ()
    also: tuple[Flag, ...] = ()  # other patterns flagged on overlapping words: one card, one set of alternatives


@dataclass
class CheckResult:
    text: str
    mode: str = WRITE
    analysis: Analysis | None = None
    cards: list[Card] = field(default_factory=list)
    dismissed: list[Flag] = field(default_factory=list)
    whole_message: str | None = None
    safety: safety.SafetyFinding | None = None
    error: str | None = None  # the draft could not be checked (too long)
    notice: str | None = None  # nothing to check (empty, only emoji)
    warnings: list[str] = field(default_factory=list)
    engine: str = "none"  # "rewriter", "catalogue" or "none"
    relationship: str | None = None  # who the rewrites were written for (inferred or as the person set it)
    elapsed_ms: float = 0.0

    @property
    def flags(self) -> list[Flag]:
        return [f for c in self.cards for f in (c.flag, *c.also)]

    @property
    def patterns(self) -> list[str]:
        """Flagged pattern ids still shown (dismissed ones left out), in the detector's catalogue order."""
        found = {f.pattern for f in self.flags}
        order = self.analysis.patterns if self.analysis is not None else []
        return [p for p in order if p in found]

    @property
    def checked(self) -> bool:
        return self.analysis is not None and self.error is None and self.notice is None


def dismiss_key(flag: Flag) -> tuple[str, str]:
    """Flags are dismissed by pattern and phrase, so the same wording stays dismissed while the draft is edited."""
    return flag.pattern, " ".join(flag.phrase.lower().split())


def _fallback_alternatives(pattern, limit: int = 3) -> tuple[Alternative, ...]:
    """Sincere lines straight from the catalogue (used only when the rewording engine is unavailable)."""
    out = []
    for tone in pattern.tones[:limit]:
        line = next((ln for ln in tone.lines if not _SLOT_RE.search(ln)), tone.lines[0])
        out.append(Alternative(tone.name, line, tone.explanation))
    return tuple(out)


def _convert(alternatives: Iterable) -> tuple[Alternative, ...]:
    return tuple(Alternative(str(a.tone), str(a.text), str(a.explanation)) for a in alternatives)


def run_check(detector, rewriter, text: str, mode: str = WRITE, dismissed: Iterable[tuple[str, str]] = (),
              catalogue: Mapping | None = None, relationship: str | None = None) -> CheckResult:
    """Analyse one draft; never raises for bad input (empty, emoji-only, too long): those come back as messages."""
    started = time.perf_counter()
    result = CheckResult(text=text, mode=mode)
    if not text.strip():
        result.notice = EMPTY_PROMPT
        return result
    try:
        analysis = detector.analyze(text)
    except TextTooLongError as exc:
        result.safety = safety.check(text)  # a crisis mention still comes first, even in an over-long paste
        result.error = (f"This draft is {exc.length:,} characters long, and the checker reads up to {MAX_CHARS:,} at a time. "
                        "Your text is still in the box: try checking it in smaller parts.")
        return result
    result.analysis = analysis
    result.safety = analysis.safety  # checked once, by the detector
    result.warnings = list(analysis.warnings)
    if analysis.reason:
        result.notice = analysis.reason + " Add a few words and check again whenever you like."
        return result
    skip = set(dismissed)
    visible = [f for f in analysis.flags if dismiss_key(f) not in skip]
    result.dismissed = [f for f in analysis.flags if dismiss_key(f) in skip]
    if mode == RECEIVE or not visible:
        result.cards = [Card(f) for f in visible]
        result.engine = "none"
    elif rewriter is not None:
        shown = dataclasses.replace(analysis, flags=visible)
        try:
            rewrite = rewriter.suggest(text, shown, relationship)
            result.cards = [Card(s.flag, _convert(s.alternatives), tuple(s.also)) for s in rewrite.suggestions]
            result.relationship = rewrite.relationship
            result.whole_message = rewrite.whole_message
            result.engine = "rewriter"
        except Exception:  # keep the flags even if rewording fails; fall back to catalogue lines below
            result.cards = []
    if mode == WRITE and visible and not result.cards:
        cat = catalogue if catalogue is not None else detector.catalogue
        result.cards = [Card(f, _fallback_alternatives(cat[f.pattern])) for f in visible]
        result.engine = "catalogue"
    result.elapsed_ms = (time.perf_counter() - started) * 1000
    return result


def verdict_style(result: CheckResult) -> str:
    """CSS class of the verdict box: calm lilac for flags, green for sincere, neutral under a safety notice."""
    if result.patterns:
        return "s-flags"
    return "s-neutral" if result.safety is not None else "s-clean"


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def verdict(result: CheckResult) -> tuple[str, str]:
    """The one-line verdict and a gentle second line, in the tool's calm tone."""
    n = len(result.patterns)
    if result.safety is not None and not n:  # never a cheerful "reads as sincere" under a crisis notice
        return ("No wording patterns found",
                "What this message says matters far more than how it's worded. Please look at the notice above first.")
    if result.mode == RECEIVE:
        if n:
            return (f"{plural(n, 'pattern')} in this message could be working on you",
                    "That doesn't prove anyone meant harm. It's about how the words can land; "
                    "open a card to see what each one may be doing and how you could answer calmly.")
        return ("Nothing here reads like a tactic",
                "The checker only sees these words, not your history. If something still feels off, that feeling counts too.")
    if n:
        return (f"{plural(n, 'pattern')} could make this read as a tactic",
                "These are notes on wording, not on you. Open a card to see why it might backfire "
                "and a way to say what you mean.")
    return ("This reads as sincere",
            "Nothing here looks like a tactic. The checker only sees the words, so trust your own sense of it too.")


def apply_alternative(text: str, flag: Flag, replacement: str, rewriter=None, analysis: Analysis | None = None) -> str:
    """The draft with the flagged phrase replaced by a sincere alternative.

    With the rewording engine at hand it does the splice (it tidies connectors and casing left around the phrase,
    the same way as in its whole-message version); otherwise, or if that fails, a plain careful splice.
    """
    if rewriter is not None and analysis is not None and analysis.text == text and text[flag.start:flag.end] == flag.phrase:
        try:
            composed = rewriter.replace_phrase(analysis, flag, replacement)
            if composed.strip():
                return composed
        except Exception:  # never lose the user's choice: the plain splice below always works
            pass
    return splice(text, flag, replacement)


def splice(text: str, flag: Flag, replacement: str) -> str:
    """Replace the flagged phrase, keeping spacing and sentence punctuation sensible."""
    start, end = flag.start, flag.end
    if text[start:end] != flag.phrase:
        found = text.find(flag.phrase)
        if found < 0:
            return (text.rstrip() + " " + replacement).strip()
        start, end = found, found + len(flag.phrase)
    before, after = text[:start], text[end:]
    replacement = replacement.strip()
    # avoid doubled sentence punctuation: "...tonight?" + "." -> "...tonight?"
    if replacement and replacement[-1] in ".!?" and after[:1] in (".", "!", "?"):
        after = after.lstrip(".!?")
    if before and not before[-1].isspace() and replacement and replacement[0].isalnum():
        before += " "
    if after and after[0].isalnum() and replacement and not replacement[-1].isspace():
        after = " " + after
    return before + replacement + after


def confidence_words(flag: Flag) -> str:
    if flag.confidence == "likely":
        return "Likely: the wording closely matches this pattern."
    return "Possible: some of the wording matches; you know the context best."


TONE_LABELS = {"warm": "Warm", "direct": "Direct", "boundary": "With a boundary"}


def tone_label(tone: str) -> str:
    return TONE_LABELS.get(tone, tone.replace("_", " ").capitalize())
