"""Who a draft is to (partner, ex, date, friend, family, work, other), learned from the corpus `context` field.

Fitted at training time and stored in the model file; the app shows the guess and lets the person correct it.
Romance never enters a rewrite to family, friends or colleagues (see `romantic_wording`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..catalogue.lexicon import load_lexicon

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

RELATIONSHIPS = ("partner", "ex", "date", "friend", "family", "work", "other")
ROMANTIC = frozenset({"partner", "ex", "date"})
LABELS = {"partner": "a partner", "ex": "an ex", "date": "someone I'm dating", "friend": "a friend",
          "family": "family", "work": "someone from work", "other": "someone else"}
_ROMANTIC_RE = re.compile(r"\b(?:" + "|".join(load_lexicon().lists["romantic_phrases"]) + r")\b", re.I)


def build_relationship_model(seed: int = 0) -> Pipeline:
    """Word 1-2 grams (function words kept: 'us', 'we' and 'mum' all say who it is to) into a multinomial LR."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                     ("classify", LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced", random_state=seed))])


def fit_relationship_model(rows: list[dict]) -> Pipeline:
    texts = [r["text"] for r in rows if r.get("context") in RELATIONSHIPS]
    labels = [r["context"] for r in rows if r.get("context") in RELATIONSHIPS]
    return build_relationship_model().fit(texts, labels)


def relationship_scores(model, text: str) -> dict[str, float]:
    """Probability per relationship, in RELATIONSHIPS order (a fitted Pipeline or a RelationshipScorer)."""
    proba = model.predict_proba([text])[0]
    found = dict(zip(model.classes_, proba, strict=True))
    return {r: float(found.get(r, 0.0)) for r in RELATIONSHIPS}


_TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token_pattern, which the pipeline is fitted with


class _Words:
    """The relationship vectorizer's analyzer: lowercased word 1- and 2-grams."""

    def __call__(self, text: str) -> list[str]:
        tokens = _TOKEN_RE.findall(text.lower())
        return tokens + [" ".join(tokens[i:i + 2]) for i in range(len(tokens) - 1)]


class RelationshipScorer:
    """The fitted relationship pipeline's predict_proba from plain arrays (loading it needs no scikit-learn): the
    detector's own tf-idf column (sublinear tf, idf, l2 norm) over `_Words`, then a multinomial softmax."""

    def __init__(self, terms: list[str], idf, coef, intercept, classes: list[str]) -> None:
        import numpy as np

        from ..detect.fastpath import TfidfColumn

        self.words = TfidfColumn(_Words(), {t: i for i, t in enumerate(terms)}, idf, sublinear=True, column=0)
        self.coef, self.intercept = coef, intercept
        self.classes_ = np.array(classes)

    @classmethod
    def from_pipeline(cls, pipeline) -> RelationshipScorer:
        from ..detect.fastpath import terms_of

        words, lr = pipeline.named_steps["words"], pipeline.named_steps["classify"]
        if (words.analyzer, words.ngram_range, words.lowercase, words.token_pattern, words.norm, words.sublinear_tf) != \
                ("word", (1, 2), True, _TOKEN_RE.pattern, "l2", True):
            raise ValueError("RelationshipScorer reproduces only the pipeline built by build_relationship_model")
        return cls(terms_of(words.vocabulary_), words.idf_, lr.coef_, lr.intercept_, [str(c) for c in lr.classes_])

    def to_arrays(self) -> dict:
        from ..detect.fastpath import pack_strings

        return {"rel_terms": pack_strings(self.words.terms()), "rel_idf": self.words.idf, "rel_coef": self.coef,
                "rel_intercept": self.intercept, "rel_classes": pack_strings(self.classes_)}

    @classmethod
    def from_arrays(cls, arrays) -> RelationshipScorer:
        from ..detect.fastpath import unpack_strings

        return cls(unpack_strings(arrays["rel_terms"]), arrays["rel_idf"], arrays["rel_coef"], arrays["rel_intercept"],
                   unpack_strings(arrays["rel_classes"]))

    def predict_proba(self, texts: list[str]):
        import numpy as np

        decision = np.asarray(self.words.matrix(texts) @ self.coef.T) + self.intercept
        e = np.exp(decision - decision.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def best_relationship(scores: dict[str, float]) -> str:
    return max(RELATIONSHIPS, key=lambda r: (scores.get(r, 0.0), -RELATIONSHIPS.index(r)))


def is_romantic(relationship: str) -> bool:
    return relationship in ROMANTIC


def romantic_wording(text: str) -> set[str]:
    """The romantic words and phrases in a text ('miss you', 'us', 'our relationship'), lowercased."""
    return {m.group(0).lower() for m in _ROMANTIC_RE.finditer(text)}


def adds_romance(line: str, draft: str) -> bool:
    """True when a line brings in romantic wording that the draft does not already use."""
    return bool(romantic_wording(line) - romantic_wording(draft))

