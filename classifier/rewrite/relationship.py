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


def relationship_scores(model: Pipeline, text: str) -> dict[str, float]:
    """Probability per relationship, in RELATIONSHIPS order."""
    proba = model.predict_proba([text])[0]
    found = dict(zip(model.classes_, proba, strict=True))
    return {r: float(found.get(r, 0.0)) for r in RELATIONSHIPS}


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

