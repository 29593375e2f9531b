"""A lean scorer equivalent to the fitted pipeline's predict_proba, for per-keystroke latency.

scikit-learn's input validation costs milliseconds per call; the model is linear, so the same numbers come from
the fitted vectorizers' vocabularies and idf weights, the scaler's scales, the logistic regressions' coefficients and
the sigmoid calibrators. tests/test_fastpath.py checks it matches `pipeline.predict_proba` to 1e-9.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import scipy.sparse as sp
from scipy.special import expit


class _TextColumn:
    def __init__(self, vectorizer, column: int) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_
        self.sublinear = vectorizer.sublinear_tf
        self.column = column
        self.width = len(self.idf)
        if vectorizer.norm != "l2" or not vectorizer.use_idf or vectorizer.binary:
            raise ValueError("fast path supports l2-normalised idf-weighted vectorizers only")

    def rows(self, table: np.ndarray):
        cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for text in table[:, self.column]:
            if text not in cache:
                counts = Counter(self.vocabulary[t] for t in self.analyze(text) if t in self.vocabulary)
                idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                if self.sublinear:
                    tf = np.log(tf) + 1.0
                vals = tf * self.idf[idx]
                norm = math.sqrt(float(vals @ vals)) if len(vals) else 0.0
                cache[text] = (idx, vals / norm if norm else vals)
            yield cache[text]


class LinearScorer:
    """predict_proba of Pipeline(ColumnTransformer(tfidf..., MaxAbsScaler), OneVsRest(Calibrated(LR, sigmoid)))."""

    def __init__(self, pipeline) -> None:
        features = pipeline.named_steps["features"]
        self.text_columns: list[_TextColumn] = []
        self.dense: list[tuple[np.ndarray, np.ndarray]] = []
        for name, transformer, columns in features.transformers_:
            if name == "remainder":
                continue
            if hasattr(transformer, "vocabulary_"):
                self.text_columns.append(_TextColumn(transformer, columns))
            else:
                self.dense.append((np.asarray(columns), transformer.scale_))
        self.offsets = np.cumsum([0] + [c.width for c in self.text_columns] + [len(c) for c, _ in self.dense])
        weights, bias, slope, offset = [], [], [], []
        for est in pipeline.named_steps["classify"].estimators_:
            calibrated = est.calibrated_classifiers_[0]
            weights.append(np.asarray(calibrated.estimator.coef_).ravel())
            bias.append(float(np.asarray(calibrated.estimator.intercept_).ravel()[0]))
            slope.append(calibrated.calibrators[0].a_)
            offset.append(calibrated.calibrators[0].b_)
        self.weights = np.ascontiguousarray(np.vstack(weights).T)  # C order: sparse @ dense would copy it per call
        self.bias, self.slope, self.offset = np.array(bias), np.array(slope), np.array(offset)

    def transform(self, table: np.ndarray) -> sp.csr_matrix:
        """The feature matrix the pipeline's ColumnTransformer would produce."""
        n = table.shape[0]
        indices, data, indptr_parts = [], [], []
        per_row: list[list[tuple[np.ndarray, np.ndarray]]] = [[] for _ in range(n)]
        for k, col in enumerate(self.text_columns):
            for i, (idx, vals) in enumerate(col.rows(table)):
                per_row[i].append((idx + self.offsets[k], vals))
        base = len(self.text_columns)
        for k, (cols, scale) in enumerate(self.dense):
            block = table[:, cols].astype(np.float64) / np.where(scale == 0, 1.0, scale)
            for i in range(n):
                nz = np.flatnonzero(block[i])
                per_row[i].append((nz + self.offsets[base + k], block[i, nz]))
        indptr = [0]
        for parts in per_row:
            for idx, vals in parts:
                indices.append(idx)
                data.append(vals)
            indptr.append(indptr[-1] + sum(len(i) for i, _ in parts))
        del indptr_parts
        return sp.csr_matrix((np.concatenate(data) if data else np.zeros(0),
                              np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64), indptr),
                             shape=(n, int(self.offsets[-1])))

    def predict_proba(self, features: sp.csr_matrix) -> np.ndarray:
        decision = features @ self.weights + self.bias
        return expit(-(self.slope * decision + self.offset))  # stable logistic: no overflow for extreme scores
