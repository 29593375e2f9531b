"""Cue words for a flag: the word n-grams that pushed a clause's score up the most."""
from __future__ import annotations

import numpy as np


class Explainer:
    """The words that pushed a unit's score up: word features with the largest positive contribution."""

    def __init__(self, pipeline) -> None:
        vectorizer = pipeline.named_steps["features"].named_transformers_["unit_words"]
        self.vocab = np.array(vectorizer.get_feature_names_out())
        self.n_words = len(self.vocab)
        self.coefs = []
        for est in pipeline.named_steps["classify"].estimators_:
            base = est.calibrated_classifiers_[0].estimator
            self.coefs.append(np.asarray(base.coef_).ravel()[: self.n_words])

    def cues(self, row, j: int, top: int = 3) -> tuple[str, ...]:
        """Top word n-grams of one transformed unit row for pattern column j."""
        x = row[:, : self.n_words].tocsr()
        contrib = x.data * self.coefs[j][x.indices]
        order = np.argsort(-contrib)
        words = [self.vocab[x.indices[k]] for k in order[:top] if contrib[k] > 0]
        return tuple(w for w in words if any(c.isalnum() for c in w))
