"""A lean scorer equivalent to the fitted pipeline's predict_proba, for per-keystroke latency.

scikit-learn's input validation costs milliseconds per call; the model is linear, so the same numbers come from
the fitted vectorizers' vocabularies and idf weights, the scaler's scales, the logistic regressions' coefficients and
the sigmoid calibrators. tests/test_fastpath.py checks it matches `pipeline.predict_proba` to 1e-9.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from .features import CharNgrams, WordNgrams


def terms_of(vocabulary: dict[str, int]) -> list[str]:
    """A fitted vocabulary (term -> column) as a list, term i at index i."""
    out = [""] * len(vocabulary)
    for term, i in vocabulary.items():
        out[i] = term
    return out


def pack_strings(strings) -> np.ndarray:
    """Strings as one plain uint8 array (newline-separated UTF-8), so the runtime file loads with allow_pickle=False."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def unpack_strings(array: np.ndarray) -> list[str]:
    return array.tobytes().decode("utf-8").split("\n")


class TfidfColumn:
    """One fitted TF-IDF column: texts -> (vocabulary indices, l2-normalised tf-idf values).

    Character n-grams are taken word by word, so each distinct word is analysed once and its n-gram indices reused
    (words repeat far more than texts do). The cache is bounded and only ever read, added to or replaced whole, so
    sessions sharing a detector can use it at once.
    """

    WORD_CACHE = 200_000

    def __init__(self, analyzer, vocabulary: dict[str, int], idf: np.ndarray, sublinear: bool, column: int) -> None:
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.idf = idf
        self.sublinear = sublinear
        self.column = column
        self.width = len(self.idf)
        self.by_word = isinstance(self.analyzer, CharNgrams)
        self._words: dict[str, np.ndarray] = {}

    @classmethod
    def from_vectorizer(cls, vectorizer, column: int) -> TfidfColumn:
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary or not callable(vectorizer.analyzer):
            raise ValueError("fast path supports l2-normalised idf-weighted vectorizers with our analyzers only")
        return cls(vectorizer.analyzer, vectorizer.vocabulary_, vectorizer.idf_, vectorizer.sublinear_tf, column)

    def terms(self) -> list[str]:
        """The vocabulary as a list, term i at index i."""
        return terms_of(self.vocabulary)

    def _word(self, word: str) -> np.ndarray:
        found = self._words.get(word)
        if found is None:
            vocabulary = self.vocabulary
            found = np.fromiter((vocabulary[g] for g in self.analyzer.word_grams(word) if g in vocabulary),
                                dtype=np.int64)
            if len(self._words) >= self.WORD_CACHE:
                self._words = {}
            self._words[word] = found
        return found

    def _indices(self, text: str) -> np.ndarray:
        if self.by_word:
            parts = [self._word(w) for w in self.analyzer.words(text)]
            return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        vocabulary = self.vocabulary
        return np.fromiter((vocabulary[t] for t in self.analyzer(text) if t in vocabulary), dtype=np.int64)

    def matrix(self, texts) -> sp.csr_matrix:
        """The column's tf-idf rows for a batch of texts, built in one go: each distinct text is analysed once, and
        counting, idf weighting and l2 norms run over the whole batch at once."""
        index: dict[str, int] = {}
        inverse = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.int64, count=len(texts))
        parts = [self._indices(t) for t in index]
        lengths = np.fromiter((len(p) for p in parts), dtype=np.int64, count=len(parts))
        owner = np.repeat(np.arange(len(parts), dtype=np.int64), lengths)
        flat = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        keys, counts = np.unique(owner * self.width + flat, return_counts=True)
        owner, idx = np.divmod(keys, self.width)
        tf = counts.astype(np.float64)
        if self.sublinear:
            tf = np.log(tf) + 1.0
        vals = tf * self.idf[idx]
        norms = np.sqrt(np.bincount(owner, weights=vals * vals, minlength=len(parts)))[owner]
        vals = vals / np.where(norms == 0, 1.0, norms)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(owner, minlength=len(parts)))])
        unique_rows = sp.csr_matrix((vals, idx, indptr), shape=(len(parts), self.width))
        return unique_rows[inverse]


class LinearScorer:
    """predict_proba of Pipeline(ColumnTransformer(tfidf..., MaxAbsScaler), OneVsRest(Calibrated(LR, sigmoid)))."""

    def __init__(self, text_columns: list[TfidfColumn], dense: list[tuple[np.ndarray, np.ndarray]], weights: np.ndarray,
                 bias: np.ndarray, slope: np.ndarray, offset: np.ndarray) -> None:
        self.text_columns, self.dense = text_columns, dense
        self.offsets = np.cumsum([0] + [c.width for c in self.text_columns] + [len(c) for c, _ in self.dense])
        self.weights = np.ascontiguousarray(weights)  # C order: sparse @ dense would copy it per call
        self.bias, self.slope, self.offset = bias, slope, offset

    @classmethod
    def from_pipeline(cls, pipeline) -> LinearScorer:
        """Read the numbers off a fitted pipeline."""
        text_columns, dense = [], []
        for name, transformer, columns in pipeline.named_steps["features"].transformers_:
            if name == "remainder":
                continue
            if hasattr(transformer, "vocabulary_"):
                text_columns.append(TfidfColumn.from_vectorizer(transformer, columns))
            else:
                dense.append((np.asarray(columns), transformer.scale_))
        weights, bias, slope, offset = [], [], [], []
        for est in pipeline.named_steps["classify"].estimators_:
            calibrated = est.calibrated_classifiers_[0]
            weights.append(np.asarray(calibrated.estimator.coef_).ravel())
            bias.append(float(np.asarray(calibrated.estimator.intercept_).ravel()[0]))
            slope.append(calibrated.calibrators[0].a_)
            offset.append(calibrated.calibrators[0].b_)
        return cls(text_columns, dense, np.vstack(weights).T, np.array(bias), np.array(slope), np.array(offset))

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Everything the scorer needs as plain arrays (saved beside the model: loading them needs no scikit-learn)."""
        out = {"weights": self.weights, "bias": self.bias, "slope": self.slope, "offset": self.offset,
               "text_columns": np.array(len(self.text_columns)), "dense_blocks": np.array(len(self.dense))}
        for k, col in enumerate(self.text_columns):
            kind = 1 if isinstance(col.analyzer, CharNgrams) else 0
            out[f"col{k}_terms"] = pack_strings(col.terms())
            out[f"col{k}_idf"] = col.idf
            out[f"col{k}_meta"] = np.array([col.column, kind, *col.analyzer.ngram_range, int(col.sublinear)])
        for k, (cols, scale) in enumerate(self.dense):
            out[f"dense{k}_cols"], out[f"dense{k}_scale"] = np.asarray(cols), np.asarray(scale)
        return out

    @classmethod
    def from_arrays(cls, arrays) -> LinearScorer:
        text_columns = []
        for k in range(int(arrays["text_columns"])):
            column, kind, low, high, sublinear = (int(x) for x in arrays[f"col{k}_meta"])
            terms = unpack_strings(arrays[f"col{k}_terms"])
            analyzer = (CharNgrams if kind else WordNgrams)((low, high))
            text_columns.append(TfidfColumn(analyzer, {t: i for i, t in enumerate(terms)}, arrays[f"col{k}_idf"],
                                            bool(sublinear), column))
        dense = [(arrays[f"dense{k}_cols"], arrays[f"dense{k}_scale"]) for k in range(int(arrays["dense_blocks"]))]
        return cls(text_columns, dense, arrays["weights"], arrays["bias"], arrays["slope"], arrays["offset"])

    def transform(self, table: np.ndarray) -> sp.csr_matrix:
        """The feature matrix the pipeline's ColumnTransformer would produce, for a whole batch of units at once."""
        blocks = [col.matrix(table[:, col.column]) for col in self.text_columns]
        for cols, scale in self.dense:
            block = table[:, cols].astype(np.float64) / np.where(scale == 0, 1.0, scale)
            blocks.append(sp.csr_matrix(block))
        if not blocks:
            return sp.csr_matrix((table.shape[0], int(self.offsets[-1])))
        return sp.hstack(blocks, format="csr")

    def predict_proba(self, features: sp.csr_matrix) -> np.ndarray:
        decision = features @ self.weights + self.bias
        return expit(-(self.slope * decision + self.offset))  # stable logistic: no overflow for extreme scores
