"""Retrieval over the train split: flagged phrases -> what their sincere rewrites said instead.

The index is built at training time (`build_index`) and stored beside the model, so the rewriter never reads the
corpus. Each neighbour carries the sentences of its rewrite that stand on their own, with their tone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text.patterns import SENTENCE_BREAK_RE, WORD_RE
from .cache import Memo
from .details import DetailFinder
from .rank import WEIGHTS, tone_of
from .words import ASKS_OR_OWNS_RE, NAMES_FEELING_RE, REFERS_RE, TEXTING_SPELLING


@dataclass(frozen=True)
class Neighbour:
    pattern: str
    phrase: str
    segment: str  # what the rewrite says instead of the phrase (the rewrite minus the draft's kept sentences)
    sentences: tuple[tuple[str, str], ...] = ()  # (sentence that stands on its own, in plain spelling; its tone)


def _novel_segment(text: str, rewrite: str) -> str:
    """The sentences of a rewrite that are new, not the draft's own sentences kept as they were."""
    kept = [set(WORD_RE.findall(s.lower())) for s in SENTENCE_BREAK_RE.split(text) if s.strip()]
    out = []
    for sent in SENTENCE_BREAK_RE.split(rewrite):
        words = set(WORD_RE.findall(sent.lower()))
        if not words:
            continue
        if any(len(words & k) / len(words | k) > 0.6 for k in kept if k):
            continue
        out.append(sent.strip())
    return " ".join(out)


def standalone(sentence: str, finder: DetailFinder) -> str | None:
    """A retrieved sentence in plain spelling, or None if it leans on context or holds names, days or plans."""
    words = WORD_RE.findall(sentence.lower())
    if re.search(r"[a-z]$", sentence):  # texting often ends without a full stop
        sentence += "."
    ok = (6 <= len(words) <= 22 and not re.search(r"\d|\[|[A-Z][a-z]+", sentence[1:].replace(" I ", " i "))
          and re.search(r"[.!?]$", sentence) and not REFERS_RE.search(sentence)
          and ASKS_OR_OWNS_RE.search(sentence) and NAMES_FEELING_RE.search(sentence)
          and not finder.find_text(sentence))
    if not ok:
        return None
    text = re.sub(r"[A-Za-z']+", lambda m: TEXTING_SPELLING.get(m.group(0).lower(), m.group(0)), sentence)
    text = re.sub(r"\bi\b", "I", text)
    return text[0].upper() + text[1:]


def build_index(rows: Iterable[dict]) -> list[dict]:
    """The retrieval index as JSON-ready items, from train-split positives with a rewrite (dev and test never)."""
    finder = DetailFinder()
    memo: dict[str, tuple[tuple[str, str], ...]] = {}
    items = []
    for row in rows:
        if row.get("split") != "train" or row.get("kind") != "positive" or not row.get("rewrite"):
            continue
        segment = _novel_segment(row["text"], row["rewrite"])
        if not segment:
            continue
        if segment not in memo:
            found = [standalone(s.strip(), finder) for s in SENTENCE_BREAK_RE.split(segment)]
            memo[segment] = tuple((t, tone_of(t)) for t in found if t is not None)
        for pattern, phrases in row["phrases"].items():
            for phrase in phrases:
                items.append({"pattern": pattern, "phrase": phrase, "segment": segment,
                              "sentences": [list(s) for s in memo[segment]]})
    return items


class Retriever:
    """TF-IDF nearest neighbours over the indexed phrases."""

    def __init__(self, index: list[dict]) -> None:
        self.items = [Neighbour(i["pattern"], i["phrase"], i["segment"], tuple(tuple(s) for s in i["sentences"]))
                      for i in index]
        self.by_pattern: dict[str, np.ndarray] = {}
        self._cache = Memo(4096)  # bounded; a shared app instance may run for days
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True)
        if self.items:
            self.matrix = self.vectorizer.fit_transform([n.phrase for n in self.items])
            patterns = np.array([n.pattern for n in self.items])
            self.by_pattern = {p: np.flatnonzero(patterns == p) for p in set(patterns)}

    def nearest(self, pattern: str, phrase: str, k: int = 3, floor: float = 0.15) -> list[tuple[float, Neighbour]]:
        """Up to k same-pattern neighbours of a phrase, most similar first (deterministic ties by index)."""
        key = (pattern, phrase)
        found = self._cache.get(key)
        if found is None:
            idx = self.by_pattern.get(pattern)
            if idx is None or not len(idx):
                return []
            sims = (self.matrix[idx] @ self.vectorizer.transform([phrase]).T).toarray().ravel()
            order = np.lexsort((idx, -sims))[:WEIGHTS.neighbours]  # by similarity, then corpus order
            found = [(float(sims[i]), self.items[int(idx[i])]) for i in order if sims[i] >= floor]
            self._cache.put(key, found)
        return found[:k]
