"""From clause units to the model's input table, and the scikit-learn pipeline that learns from it."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler

from .catalogue import PATTERN_IDS
from .nlp import EMOJI_RE, Unit

TOKEN_PATTERN = r"(?u)[\w']+|[^\w\s]"
HEDGES = ("lol", "just kidding", "haha", "whatever", "i guess", "we'll see", "maybe")

NUMERIC_NAMES = (
    [f"cue_{p}" for p in PATTERN_IDS]
    + [f"sentence_cue_{p}" for p in PATTERN_IDS]
    + ["first_sentence", "last_sentence", "log_sentences", "relative_position", "log_tokens", "question",
       "exclamation", "emoji", "hedge", "second_person", "first_person"]
)
TEXT_COLUMNS = ("unit", "sentence", "message")


@dataclass(frozen=True)
class ModelConfig:
    """Explicit hyperparameters of the detector's model (chosen on the dev split)."""

    word_ngrams: tuple[int, int] = (1, 3)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 2
    max_char_features: int = 60000
    sentence_context: bool = True
    message_context: bool = True
    numeric_features: bool = True
    C: float = 16.0
    class_weight: str | None = None
    calibration_folds: int = 3
    phrase_ratio: float = 0.6
    label_overlap: float = 0.5
    sincere_false_flag_weight: float = 4.0  # threshold choice: a false flag on a sincere dev message counts 4x
    embedding_dims: int = 0  # > 0 only in the A/B comparison (static sentence embeddings; not adopted)
    seed: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def unit_numeric(unit: Unit) -> list[float]:
    words = unit.norm.split()
    lower = unit.norm
    return [
        *map(float, unit.cue_counts),
        *map(float, unit.sentence_cue_counts),
        float(unit.sentence == 0),
        float(unit.sentence == unit.n_sentences - 1),
        math.log1p(unit.n_sentences),
        unit.index / max(1, unit.n_units - 1),
        math.log1p(len(words)),
        float("?" in unit.text),
        float("!" in unit.text),
        float(len(EMOJI_RE.findall(unit.text))),
        float(any(h in lower for h in HEDGES)),
        float(sum(w in ("you", "your", "you're", "yourself") for w in words)),
        float(sum(w in ("i", "i'm", "me", "my", "myself", "i've", "i'll") for w in words)),
    ]


def unit_table(units: list[Unit], extra: np.ndarray | None = None) -> np.ndarray:
    """The model's input: one row per unit, text columns first, then numeric features (then any extra columns)."""
    width = len(TEXT_COLUMNS) + len(NUMERIC_NAMES)
    table = np.empty((len(units), width + (0 if extra is None else extra.shape[1])), dtype=object)
    if extra is not None:
        table[:, width:] = extra
    for i, u in enumerate(units):
        table[i, 0] = u.norm
        table[i, 1] = u.sentence_norm
        table[i, 2] = u.message_norm
        table[i, len(TEXT_COLUMNS):width] = unit_numeric(u)
    return table


def build_pipeline(config: ModelConfig) -> Pipeline:
    """Features (word and char n-grams of the clause, its sentence, numeric cues) and a calibrated one-vs-rest model."""
    parts = [
        ("unit_words", TfidfVectorizer(ngram_range=config.word_ngrams, min_df=config.min_df, sublinear_tf=True,
                                       token_pattern=TOKEN_PATTERN, lowercase=True), 0),
        ("unit_chars", TfidfVectorizer(analyzer="char_wb", ngram_range=config.char_ngrams, min_df=config.min_df,
                                       sublinear_tf=True, max_features=config.max_char_features), 0),
    ]
    if config.sentence_context:
        parts.append(("sentence_words", TfidfVectorizer(ngram_range=(1, 2), min_df=config.min_df, sublinear_tf=True,
                                                        token_pattern=TOKEN_PATTERN), 1))
    if config.message_context:
        parts.append(("message_words", TfidfVectorizer(ngram_range=(1, 2), min_df=config.min_df, sublinear_tf=True,
                                                       token_pattern=TOKEN_PATTERN), 2))
    if config.numeric_features:
        parts.append(("numeric", MaxAbsScaler(), list(range(len(TEXT_COLUMNS), len(TEXT_COLUMNS) + len(NUMERIC_NAMES)))))
    if config.embedding_dims:
        start = len(TEXT_COLUMNS) + len(NUMERIC_NAMES)
        parts.append(("embeddings", MaxAbsScaler(), list(range(start, start + config.embedding_dims))))
    features = ColumnTransformer(parts, remainder="drop", sparse_threshold=1.0)
    base = LogisticRegression(C=config.C, class_weight=config.class_weight, max_iter=3000, solver="liblinear",
                              random_state=config.seed)
    model = OneVsRestClassifier(CalibratedClassifierCV(base, method="sigmoid", cv=config.calibration_folds,
                                                       ensemble=False))
    return Pipeline([("features", features), ("classify", model)])
