"""What the detector returns: a Flag per phrase and the Analysis of a draft (light: no model code imported)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..catalogue import PATTERN_IDS
from . import safety as safety_lib

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from ..text.normalize import Normalized


@dataclass(frozen=True)
class Flag:
    """One flagged phrase: offsets index the original text, so text[start:end] == phrase."""

    pattern: str
    start: int
    end: int
    phrase: str
    score: float
    confidence: str
    cues: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Analysis:
    """What the detector found in one text."""

    text: str
    flags: list[Flag] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    safety: safety_lib.SafetyFinding | None = None  # mentions of self-harm or violence: crisis resources come first
    # The one parse of the draft, for the rewriter: spaCy's Doc of the normalised text and the offset map back.
    doc: Doc | None = field(default=None, repr=False, compare=False)
    normalized: Normalized | None = field(default=None, repr=False, compare=False)

    @property
    def patterns(self) -> list[str]:
        """Flagged pattern ids, in catalogue order."""
        found = {f.pattern for f in self.flags}
        return [p for p in PATTERN_IDS if p in found]

    @property
    def is_clean(self) -> bool:
        return not self.flags

    def to_dict(self) -> dict:
        return {"patterns": self.patterns, "scores": {k: round(v, 4) for k, v in self.scores.items()},
                "flags": [f.to_dict() for f in self.flags], "reason": self.reason, "warnings": list(self.warnings),
                "safety": safety_lib.to_dict(self.safety)}
