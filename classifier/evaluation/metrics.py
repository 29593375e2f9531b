"""Metrics: per-pattern precision/recall/F1 (sklearn.metrics), false-positive rates and phrase overlap."""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from ..catalogue import PATTERN_IDS
from ..detect.detector import Detector
from ..text.patterns import WORD_RE
from ..training.train import gold_spans, truth_matrix


def token_positions(text: str, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the word tokens of `text` that overlap any span."""
    out = set()
    for k, m in enumerate(WORD_RE.finditer(text)):
        if any(m.start() < e and m.end() > s for s, e in spans):
            out.add(k)
    return out


def token_f1(text: str, predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> float:
    p, g = token_positions(text, predicted), token_positions(text, gold)
    if not p or not g:
        return 0.0
    tp = len(p & g)
    return 2 * tp / (len(p) + len(g))


def prf(pred: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    precision, recall, f1, _ = precision_recall_fscore_support(truth, pred, average="binary", zero_division=0)
    return {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4),
            "support": int(truth.sum())}


def score_system(rows: list[dict[str, Any]], flags_per_row: list[list[tuple[str, int, int]]],
                 scores: np.ndarray | None = None) -> dict[str, Any]:
    """Message-level metrics, false-positive rates and phrase overlap for one system's flags."""
    truth = truth_matrix(rows)
    pred = np.array([[any(f[0] == pid for f in flags) for pid in PATTERN_IDS] for flags in flags_per_row], dtype=bool)
    per_pattern = {pid: prf(pred[:, j], truth[:, j]) for j, pid in enumerate(PATTERN_IDS)}
    macro = float(np.mean([m["f1"] for m in per_pattern.values()]))
    kinds = np.array([r["kind"] for r in rows])
    any_flag = pred.any(axis=1)
    fpr = {k: round(float(any_flag[kinds == k].mean()), 4) if (kinds == k).any() else None for k in ("hard_negative", "neutral")}
    overlaps = []
    for r, flags in zip(rows, flags_per_row, strict=True):
        gold = gold_spans(r)
        for pid, spans in gold.items():
            predicted = [(s, e) for p, s, e in flags if p == pid]
            if predicted:
                overlaps.append(token_f1(r["text"], predicted, spans))
    result = {
        "per_pattern": per_pattern,
        "macro_f1": round(macro, 4),
        "false_positive_rate": fpr,
        "phrase_overlap": round(float(np.mean(overlaps)), 4) if overlaps else 0.0,
        "messages": len(rows),
    }
    if scores is not None:
        result["_scores"] = scores
    result["_pred"] = pred
    return result


def detector_flags(detector: Detector, rows: list[dict[str, Any]]):
    analyses = list(detector.analyze_many(r["text"] for r in rows))
    flags = [[(f.pattern, f.start, f.end) for f in a.flags] for a in analyses]
    scores = np.array([[a.scores.get(p, 0.0) for p in PATTERN_IDS] for a in analyses])
    return flags, scores
