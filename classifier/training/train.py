"""Training and threshold choice for the detector's model, and the artefacts built with it (never run by the app)."""
from __future__ import annotations

import hashlib
import json
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn
import skops
import spacy
from sklearn.metrics import f1_score

from ..catalogue import PATTERN_IDS, load_catalogue
from ..detect.features import ModelConfig, build_pipeline, unit_table
from ..errors import ModelFileError
from ..rewrite.relationship import fit_relationship_model
from ..rewrite.retrieve import build_index
from ..text.pipeline import Unit, process_many
from . import store
from .background import BACKGROUND_DIR, background_hash, load_slice, weak_negatives
from .corpus import corpus_hash, load_rows, practice_rows
from .store import FEATURE_SCHEMA, FORMAT_VERSION, TrainedModel


def data_fingerprint() -> str:
    """Hash of everything the model learns from: the corpus files, the background text and the catalogue's cue
    phrases (features).

    The catalogue's examples and look-alikes reach the model through data/corpus/catalogue.jsonl; its prose
    (explanations, rewrite lines) does not change the model, so editing it does not make the model stale.
    """
    digest = hashlib.sha256(corpus_hash().encode())
    digest.update(background_hash().encode())
    cues = {pid: list(p.cues) for pid, p in load_catalogue().items()}
    digest.update(json.dumps(cues, sort_keys=True).encode())
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "spacy": spacy.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__, "skops": skops.__version__}


def gold_spans(row: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """Every occurrence of every gold phrase, as original-text spans, per pattern."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for pid, phrases in row["phrases"].items():
        for phrase in phrases:
            start = row["text"].find(phrase)
            while start >= 0:
                spans.setdefault(pid, []).append((start, start + len(phrase)))
                start = row["text"].find(phrase, start + 1)
    return spans


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def label_units(units_orig: list[tuple[int, int]], spans: dict[str, list[tuple[int, int]]], min_share: float) -> np.ndarray:
    """A unit carries a pattern when most of it lies inside a gold phrase, or it holds most of that phrase."""
    labels = np.zeros((len(units_orig), len(PATTERN_IDS)), dtype=np.int8)
    for i, span in enumerate(units_orig):
        length = max(1, span[1] - span[0])
        for j, pid in enumerate(PATTERN_IDS):
            for gold in spans.get(pid, ()):
                ov = _overlap(span, gold)
                if ov / length >= min_share or ov / max(1, gold[1] - gold[0]) >= 0.8:
                    labels[i, j] = 1
    return labels


@dataclass
class ProcessedRow:
    row: dict[str, Any]
    units: list[Unit]
    spans_orig: list[tuple[int, int]]


def process_rows(rows: list[dict[str, Any]]) -> list[ProcessedRow]:
    out = []
    for row, (normalized, _doc, units) in zip(rows, process_many(r["text"] for r in rows), strict=True):
        out.append(ProcessedRow(row, units, [normalized.span_to_original(u.start, u.end) for u in units]))
    return out


def training_table(processed: list[ProcessedRow], config: ModelConfig) -> tuple[list[Unit], np.ndarray]:
    units: list[Unit] = []
    labels = []
    for p in processed:
        units.extend(p.units)
        labels.append(label_units(p.spans_orig, gold_spans(p.row), config.label_overlap))
    return units, np.vstack(labels) if labels else np.zeros((0, len(PATTERN_IDS)))


def message_scores(model: TrainedModel, processed: list[ProcessedRow]) -> np.ndarray:
    """Per-message pattern scores: the highest score among the message's units."""
    units = [u for p in processed for u in p.units]
    unit_scores = model.unit_scores(units)
    out = np.zeros((len(processed), len(PATTERN_IDS)))
    pos = 0
    for i, p in enumerate(processed):
        n = len(p.units)
        if n:
            out[i] = unit_scores[pos : pos + n].max(axis=0)
        pos += n
    return out


def truth_matrix(rows: list[dict[str, Any]]) -> np.ndarray:
    return np.array([[int(pid in r["patterns"]) for pid in PATTERN_IDS] for r in rows], dtype=np.int8)


def choose_thresholds(scores: np.ndarray, truth: np.ndarray, kinds: list[str] | None = None,
                      negative_weight: float = 1.0) -> dict[str, float]:
    """Per pattern, the dev threshold with the best F1, where a false flag on a sincere message (hard negative or
    neutral) counts `negative_weight` times: sincere messages are far more common in real use than in the corpus."""
    thresholds = {}
    grid = np.round(np.arange(0.02, 0.951, 0.01), 2)
    sincere = np.array([k != "positive" for k in kinds]) if kinds is not None else np.zeros(len(truth), dtype=bool)
    weights = np.where(sincere, negative_weight, 1.0)  # sincere rows hold no pattern: their weight scales false flags
    for j, pid in enumerate(PATTERN_IDS):
        if not truth[:, j].any():
            thresholds[pid] = 0.5  # no dev positives to tune on
            continue
        best, best_t = -1.0, 0.5
        for t in grid:
            f1 = f1_score(truth[:, j], scores[:, j] >= t, sample_weight=weights, zero_division=0)
            if f1 >= best:
                best, best_t = f1, float(t)
        thresholds[pid] = best_t
    return thresholds


def calibration_thresholds(scores: np.ndarray, flag_rate: float) -> dict[str, float]:
    """Per pattern, the lowest threshold on the grid that flags at most `flag_rate` of the real calibration texts."""
    grid = np.round(np.arange(0.02, 0.991, 0.01), 2)
    out = {}
    for j, pid in enumerate(PATTERN_IDS):
        ok = [t for t in grid if (scores[:, j] >= t).mean() <= flag_rate] if len(scores) else [0.0]
        out[pid] = float(ok[0]) if ok else 0.99
    return out


def likely_thresholds(scores: np.ndarray, truth: np.ndarray, thresholds: dict[str, float], precision: float,
                      extra_negatives: np.ndarray | None = None) -> dict[str, float]:
    """Per pattern, the lowest score (at or above the threshold) from which measured precision reaches `precision`.

    Precision is measured on dev messages plus, as negatives, the real calibration texts (some of which may hold a
    real tactic, so the figure errs on the side of calling fewer flags likely). 1.01 means never likely."""
    negatives = extra_negatives if extra_negatives is not None else np.zeros((0, len(PATTERN_IDS)))
    out = {}
    for j, pid in enumerate(PATTERN_IDS):
        col = np.concatenate([scores[:, j], negatives[:, j]])
        is_pos = np.concatenate([truth[:, j] == 1, np.zeros(len(negatives), dtype=bool)])
        out[pid] = 1.01
        for t in np.round(np.arange(thresholds[pid], 0.991, 0.01), 2):
            chosen = col >= t
            if chosen.sum() >= 5 and is_pos[chosen].mean() >= precision:
                out[pid] = float(t)
                break
    return out


def weak_negative_units(rows: list[dict[str, Any]], config: ModelConfig, root: Path) -> list[Unit]:
    comments = sorted(weak_negatives(rows, root), key=lambda c: hashlib.sha256(c["id"].encode()).hexdigest())
    if config.weak_negative_limit:
        comments = comments[: config.weak_negative_limit]
    return [u for _, _, units in process_many(c["text"] for c in comments) for u in units]


def _strip_routing_requests(obj: Any, seen: set[int] | None = None) -> None:
    """Drop the metadata-routing requests set for training: they are not model state and not on the trusted list."""
    seen = seen if seen is not None else set()
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, list | tuple):
        items = obj
    elif isinstance(obj, dict):
        items = list(obj.values())
    elif type(obj).__module__.startswith("sklearn") and hasattr(obj, "__dict__"):
        obj.__dict__.pop("_metadata_request", None)
        items = list(vars(obj).values())
    else:
        return
    for item in items:
        _strip_routing_requests(item, seen)


def message_scores_for_texts(model: TrainedModel, texts: list[str]) -> np.ndarray:
    return message_scores(model, process_rows([{"text": t} for t in texts]))


def train(config: ModelConfig | None = None, rows: list[dict[str, Any]] | None = None,
          background: Path = BACKGROUND_DIR) -> TrainedModel:
    """Fit on the train split plus the unlabelled background pool as down-weighted negatives; choose thresholds on
    dev and on the real-text calibration slice. Deterministic for the same data and config."""
    config = config or ModelConfig()
    rows = rows if rows is not None else load_rows()
    started = time.perf_counter()
    train_rows = [r for r in rows if r["split"] == "train"]
    dev_rows = [r for r in rows if r["split"] == "dev"]
    processed = process_rows(train_rows)
    units, labels = training_table(processed, config)
    weights = np.ones(len(units))
    hand_negative_units = sum(len(p.units) for p in processed if p.row["kind"] != "positive")
    weak = weak_negative_units(rows, config, background) if config.weak_negative_share > 0 else []
    weak_weight = 0.0
    if weak:
        weak_weight = min(1.0, config.weak_negative_share * hand_negative_units / len(weak))
        units += weak
        labels = np.vstack([labels, np.zeros((len(weak), len(PATTERN_IDS)), dtype=labels.dtype)])
        weights = np.concatenate([weights, np.full(len(weak), weak_weight)])
    pipeline = build_pipeline(config)
    with sklearn.config_context(enable_metadata_routing=True):
        pipeline.fit(unit_table(units), labels, sample_weight=weights)
    _strip_routing_requests(pipeline)
    model = TrainedModel(pipeline, {pid: 0.5 for pid in PATTERN_IDS}, config)
    calibration = [c["text"] for c in load_slice("calibration", background)]
    calibration_scores = message_scores_for_texts(model, calibration) if calibration else np.zeros((0, len(PATTERN_IDS)))
    dev_thresholds = {pid: 0.5 for pid in PATTERN_IDS}
    if dev_rows:
        dev_scores = message_scores(model, process_rows(dev_rows))
        dev_truth = truth_matrix(dev_rows)
        dev_thresholds = choose_thresholds(dev_scores, dev_truth, [r["kind"] for r in dev_rows],
                                           config.sincere_false_flag_weight)
    real_thresholds = calibration_thresholds(calibration_scores, config.calibration_flag_rate)
    model.thresholds = {pid: max(dev_thresholds[pid], real_thresholds[pid]) for pid in PATTERN_IDS}
    if dev_rows:
        model.likely_thresholds = likely_thresholds(dev_scores, dev_truth, model.thresholds, config.likely_precision,
                                                    calibration_scores)
    else:
        model.likely_thresholds = {pid: 1.01 for pid in PATTERN_IDS}
    model.meta = {
        "format": FORMAT_VERSION,
        "feature_schema": FEATURE_SCHEMA,
        "data_fingerprint": data_fingerprint(),
        "versions": library_versions(),
        "train_rows": len(train_rows),
        "train_units": len(units),
        "weak_negative_units": len(weak),
        "weak_negative_weight": round(weak_weight, 5),
        "dev_rows": len(dev_rows),
        "calibration_texts": len(calibration),
        "dev_thresholds": dev_thresholds,
        "calibration_thresholds": real_thresholds,
        "training_seconds": round(time.perf_counter() - started, 2),
    }
    # Built here, from the train split only, so that the rewriter never reads the corpus at run time.
    model.artefacts = {"retrieval": build_index(train_rows), "practice": practice_rows(rows)}
    model.relationship = fit_relationship_model(train_rows)
    return model


def ensure_model(path: Path | None = None, log=print) -> Path:
    """Build the model at `path` unless an up-to-date one is there (for `make`, the test suite and the dev tools;
    the app and the CLI's check commands never train)."""
    path = Path(path or store.MODEL_PATH)
    if path.exists():
        try:
            if not is_stale(store.load(path)):
                return path
            log("data/ changed since the model was trained: rebuilding it")
        except ModelFileError as exc:
            log(f"rebuilding the model: {exc}")
    else:
        log(f"no model at {path}: building it from data/ (about a minute)")
    store.save(train(), path)
    return path


def is_stale(model: TrainedModel) -> bool:
    """True when data/, the catalogue or the feature layout changed since the model was trained."""
    return model.meta.get("data_fingerprint") != data_fingerprint() or model.meta.get("feature_schema") != FEATURE_SCHEMA
