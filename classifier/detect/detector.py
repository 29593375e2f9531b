"""The detector: `Detector.load()` then `detector.analyze(text) -> Analysis`; `are_clean(texts)` for batch checks."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from ..catalogue import PATTERN_IDS, Pattern, load_catalogue
from ..errors import MAX_CHARS, TextTooLongError
from ..text.normalize import grapheme_span, markup_span
from ..text.patterns import WORD_RE
from ..text.pipeline import Unit, get_nlp, process, process_many
from ..training import store
from . import safety as safety_lib
from .explain import Explainer
from .features import unit_table
from .results import Analysis, Flag

__all__ = ["MAX_CHARS", "Analysis", "Detector", "Flag", "TextTooLongError", "language_warning"]

TRIM_CHARS = " \t\n,;:-–—"


def language_warning(text: str) -> str | None:
    """A note when the text does not look like English (the model only knows English)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 12:
        return None
    latin = sum(1 for c in letters if c.isascii())
    message = "This doesn't look like English. Sincerely was trained on English messages, so its flags may not be reliable here."
    if latin / len(letters) < 0.5:
        return message
    words = [w.lower() for w in WORD_RE.findall(text)]
    if len(words) >= 6 and sum(w in STOP_WORDS or w in ("u", "ur", "im", "lol") for w in words) / len(words) < 0.12:
        return message
    return None


class Detector:
    """Finds manipulative patterns and the exact phrases that carry them."""

    def __init__(self, trained: store.TrainedModel | store.RuntimeModel, catalogue: dict[str, Pattern] | None = None
                 ) -> None:
        self.model = trained
        self.catalogue = catalogue or load_catalogue()
        self.thresholds = np.array([trained.thresholds[p] for p in PATTERN_IDS])
        self._scorer = trained.scorer
        self._explainer = Explainer(self._scorer)
        self._relationship = trained.relationship_scorer
        get_nlp()

    @classmethod
    def load(cls, path: Path | None = None) -> Detector:
        """Load the saved model's runtime file (never trains, needs no scikit-learn). Raises ModelFileError, e.g.
        ModelMissingError with how to build it."""
        return cls(store.load_runtime(Path(path or store.MODEL_PATH)))

    @property
    def meta(self) -> dict:
        """Where the model came from: rows trained on, library versions, thresholds chosen (read-only copy)."""
        return dict(self.model.meta)

    def artefact(self, name: str):
        """JSON data built with the model from the corpus (`retrieval`, `practice`): the runtime never reads data/."""
        return self.model.artefacts[name]

    def relationship_scores(self, text: str) -> dict[str, float]:
        """How likely the draft is to a partner, an ex, a date, a friend, family, work or someone else."""
        from ..rewrite.relationship import RELATIONSHIPS, relationship_scores

        if self._relationship is None:
            return {r: 1.0 / len(RELATIONSHIPS) for r in RELATIONSHIPS}
        return relationship_scores(self._relationship, text)

    # -- analysis -----------------------------------------------------------------------------

    def analyze(self, text: str) -> Analysis:
        """Flag patterns in one draft. Raises TextTooLongError past MAX_CHARS."""
        early = self._precheck(text)
        if early is not None:
            return early
        normalized, doc, units = process(text)
        return self._analyze_units(text, normalized, doc, units)

    def are_clean(self, texts: list[str]) -> list[bool]:
        """Whether each text would come back with no flags (and has words at all), scored in one batch on the fast
        path with the same thresholds as analyze: the rewriter's self-check."""
        owners, units = [], []
        for k, (_, _, us) in enumerate(process_many(texts)):
            units.extend(us)
            owners.extend([k] * len(us))
        flagged = np.zeros(len(texts), dtype=bool)
        if units:
            scores = self._scorer.predict_proba(self._scorer.transform(unit_table(units)))
            np.logical_or.at(flagged, np.array(owners), (scores >= self.thresholds).any(axis=1))
        return [not f and any(c.isalnum() for c in t) for t, f in zip(texts, flagged, strict=True)]

    def analyze_many(self, texts: Iterable[str], batch_size: int = 256) -> Iterator[Analysis | TextTooLongError]:
        """Analyses for many texts, streamed through nlp.pipe; over-long texts yield TextTooLongError objects."""
        buffer: list[str] = []

        def flush():
            prepared = [(t, self._precheck_safe(t)) for t in buffer]
            processed = list(process_many([t for t, early in prepared if early is None], batch_size=batch_size))
            # one feature matrix and one scoring pass for the whole batch: per-call overhead is paid once
            units = [u for _, _, us in processed for u in us]
            features = self._scorer.transform(unit_table(units)) if units else None
            scores = self._scorer.predict_proba(features) if units else None
            found, pos = iter(processed), 0
            for t, early in prepared:
                if early is not None:
                    yield early
                    continue
                normalized, doc, mine = next(found)
                n = len(mine)
                scored = (features[pos:pos + n], scores[pos:pos + n]) if n else None
                pos += n
                yield self._analyze_units(t, normalized, doc, mine, scored)

        for text in texts:
            buffer.append(text)
            if len(buffer) >= batch_size:
                yield from flush()
                buffer = []
        if buffer:
            yield from flush()

    def _precheck_safe(self, text: str):
        try:
            return self._precheck(text)
        except TextTooLongError as exc:
            return exc

    def _precheck(self, text: str) -> Analysis | None:
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        if len(text) > MAX_CHARS:
            raise TextTooLongError(len(text))
        if not text.strip():
            return Analysis(text, reason="There's no text to check yet.", scores=self._zero())
        if not any(c.isalnum() for c in text):
            return Analysis(text, reason="There are no words to check here, only symbols or emoji.", scores=self._zero())
        return None

    def _zero(self) -> dict[str, float]:
        return {p: 0.0 for p in PATTERN_IDS}

    def _analyze_units(self, text, normalized, doc, units: list[Unit], scored=None) -> Analysis:
        analysis = Analysis(text, safety=safety_lib.check(text), doc=doc, normalized=normalized)
        warning = language_warning(text)
        if warning:
            analysis.warnings.append(warning)
        analysis.sentences = [normalized.span_to_original(s.start_char, s.end_char) for s in doc.sents
                              if s.text.strip()]
        if not units:
            analysis.scores = self._zero()
            analysis.reason = "There are no words to check here."
            return analysis
        if scored is None:
            features = self._scorer.transform(unit_table(units))
            scored = (features, self._scorer.predict_proba(features))
        features, scores = scored
        analysis.scores = {p: float(scores[:, j].max()) for j, p in enumerate(PATTERN_IDS)}
        ratio = self.model.config.phrase_ratio
        for j, pid in enumerate(PATTERN_IDS):
            threshold = self.thresholds[j]
            if scores[:, j].max() < threshold:
                continue
            for run in _runs(scores[:, j], threshold, ratio):
                flag = self._flag(text, normalized, units, features, run, scores[:, j], j, pid)
                if flag is not None:
                    analysis.flags.append(flag)
        analysis.flags.sort(key=lambda f: (f.start, f.pattern))
        return analysis

    def _flag(self, text, normalized, units, features, run, col_scores, j, pid) -> Flag | None:
        first, last = units[run[0]], units[run[-1]]
        start, end = normalized.span_to_original(first.start, last.end)
        while start < end and text[start] in TRIM_CHARS:
            start += 1
        while end > start and text[end - 1] in TRIM_CHARS:
            end -= 1
        if end <= start:
            return None
        start, end = grapheme_span(text, *markup_span(text, start, end))
        score = float(col_scores[run].max())
        # "likely" only from the score at which measured precision reaches the configured level (see model.py)
        confidence = "likely" if score >= self.model.likely_thresholds.get(pid, 1.01) else "possible"
        best = run[int(np.argmax(col_scores[run]))]
        cues = self._explainer.cues(features[best], j)
        return Flag(pid, start, end, text[start:end], round(score, 4), confidence, cues)


def _runs(col: np.ndarray, threshold: float, ratio: float) -> list[list[int]]:
    """Runs of adjacent units that carry a pattern: each unit over the threshold, grown over neighbours that score at
    least `ratio` times as high as it (and `ratio` times the threshold); touching runs merge. Linear in the units:
    growth never re-walks a run already found."""
    spans: list[tuple[int, int]] = []
    n = len(col)
    for seed in np.flatnonzero(col >= threshold):
        floor = max(threshold, float(col[seed])) * ratio
        if spans and seed <= spans[-1][1]:
            lo, hi = spans[-1]
        else:
            lo = hi = int(seed)
            limit = spans[-1][1] + 1 if spans else 0
            while lo > limit and col[lo - 1] >= floor:
                lo -= 1
        while hi + 1 < n and col[hi + 1] >= floor:
            hi += 1
        if spans and lo <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return [list(range(lo, hi + 1)) for lo, hi in spans]
