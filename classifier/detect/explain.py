"""Cue words for a flag: the word n-grams that pushed a clause's score up the most."""
from __future__ import annotations

import numpy as np


class Explainer:
    """The words that pushed a unit's score up: word features with the largest positive contribution."""

    def __init__(self, scorer) -> None:
        words = scorer.text_columns[0]  # the clause's own word n-grams come first in the feature layout
        self.vocab = np.array(words.terms(), dtype=object)
        self.n_words = words.width
        self.coefs = [scorer.weights[: self.n_words, j] for j in range(scorer.weights.shape[1])]

    def cues(self, row, j: int, top: int = 3) -> tuple[str, ...]:
        """Top word n-grams of one transformed unit row for pattern column j."""
        x = row[:, : self.n_words].tocsr()
        contrib = x.data * self.coefs[j][x.indices]
        order = np.argsort(-contrib)
        words = [self.vocab[x.indices[k]] for k in order[:top] if contrib[k] > 0]
        return tuple(w for w in words if any(c.isalnum() for c in w))
