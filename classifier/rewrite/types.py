"""The rewriter's value types: what it returns (Alternative, Suggestion, RewriteResult) and what it works with."""
from __future__ import annotations

from dataclasses import dataclass

from ..detect.results import Flag

TONE_ORDER = ("warm", "direct", "boundary")


@dataclass(frozen=True)
class Alternative:
    """One sincere way to say what the flagged phrase was reaching for."""

    tone: str
    text: str
    explanation: str


@dataclass(frozen=True)
class Suggestion:
    """Sincere alternatives for one flag, in distinct tones. Flags on overlapping words share one suggestion: `flag`
    is the longest of them and `also` holds the others."""

    flag: Flag
    alternatives: tuple[Alternative, ...]
    also: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class RewriteResult:
    """Per-flag suggestions and the whole draft with every flagged part replaced (None when none came out clean)."""

    suggestions: tuple[Suggestion, ...]
    whole_message: str | None
    relationship: str | None = None  # who the rewrite was written for (inferred, or as the person set it)


@dataclass(frozen=True)
class Found:
    """A detail in the draft: kind is name, day, time or plan; offsets index the original text."""

    kind: str
    start: int
    end: int
    text: str
    past: bool = False
    plan: tuple[str, str] | None = None  # (verb phrase, noun phrase) for plans


@dataclass(frozen=True)
class Details:
    """The details one suggestion may carry over."""

    name: str | None = None
    day: Found | None = None
    time: Found | None = None
    plan: Found | None = None
    topic: Found | None = None
    anchor_ok: bool = False  # the pattern is one where "About <topic>, ..." reads naturally
    vague: bool = False
    cased: bool = True


@dataclass(frozen=True)
class Candidate:
    """A filled line ready to check: text, the draft details it carries and its placeholders."""

    tone: str
    text: str
    used: frozenset[str]
    placeholders: int
    similarity: float
    concrete: bool = False
    edit: str = ""  # built from the draft's own words (strategies.py): "sentence" or "phrase", what it stands for
