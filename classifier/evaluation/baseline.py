"""A keyword-only baseline: flags a pattern when one of its catalogue cues or example phrases appears."""
from __future__ import annotations

import re

from ..catalogue import PATTERN_IDS, load_catalogue
from ..text.normalize import normalize


class KeywordBaseline:
    """Case-insensitive whole-word matching of catalogue cues and example phrases on normalized text."""

    def __init__(self) -> None:
        self.patterns: dict[str, re.Pattern] = {}
        for pid, pattern in load_catalogue().items():
            keys = {normalize(c).text.lower() for c in pattern.cues}
            keys |= {normalize(e.phrase).text.lower().strip(" .,!?") for e in pattern.examples}
            keys = sorted((k for k in keys if len(k) >= 4), key=len, reverse=True)
            self.patterns[pid] = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, keys)) + r")(?!\w)")

    def flags(self, text: str) -> list[tuple[str, int, int]]:
        """(pattern, start, end) spans in the original text."""
        norm = normalize(text)
        lower = norm.text.lower()
        found = []
        for pid in PATTERN_IDS:
            for m in self.patterns[pid].finditer(lower):
                start, end = norm.span_to_original(m.start(), m.end())
                found.append((pid, start, end))
        return found

    def scores(self, text: str) -> dict[str, float]:
        hit = {p for p, _, _ in self.flags(text)}
        return {p: float(p in hit) for p in PATTERN_IDS}
