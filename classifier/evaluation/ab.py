"""A/B comparison of feature sets: dev macro-F1, robustness macro-F1, SMS false-positive rate, latency, install cost.

`python -m classifier ab` trains each variant on the train split (thresholds on dev, as the product does) and
writes reports/ab.json; `evaluate --ab reports/ab.json` folds it into reports/metrics.md. The static-embedding
variant runs only when `model2vec` is installed and SINCERELY_STATIC_MODEL points at a distilled model2vec folder;
it is an experiment, not part of the default install.
"""
from __future__ import annotations

import json
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..catalogue import PATTERN_IDS
from ..detect.features import ModelConfig, build_pipeline, unit_table
from ..text.pipeline import process
from ..training import train as M
from ..training.corpus import load_rows
from .external import external_dir, load_sms_ham
from .report import load_robustness_rows

VARIANTS: dict[str, ModelConfig] = {
    "clause n-grams only": ModelConfig(sentence_context=False, message_context=False, numeric_features=False),
    "+ sentence context": ModelConfig(message_context=False, numeric_features=False),
    "+ cue and position features": ModelConfig(message_context=False),
    "+ message context (default)": ModelConfig(),
}


class StaticEmbedder:
    """Static sentence embeddings (model2vec) for clause and message text; A/B experiment only."""

    def __init__(self, path: str) -> None:
        from model2vec import StaticModel

        self.model = StaticModel.from_pretrained(path)
        self.dims = int(self.model.dim)

    def columns(self, processed: list[M.ProcessedRow]) -> np.ndarray:
        units = [u for p in processed for u in p.units]
        clause = self.model.encode([u.text for u in units]) if units else np.zeros((0, self.dims))
        message = self.model.encode([u.message_norm for u in units]) if units else np.zeros((0, self.dims))
        return np.hstack([clause, message]).astype(np.float32)


def _macro_f1(scores: np.ndarray, truth: np.ndarray, thresholds: dict[str, float]) -> float:
    from sklearn.metrics import f1_score

    pred = scores >= np.array([thresholds[p] for p in PATTERN_IDS])
    return float(f1_score(truth, pred, average="macro", zero_division=0))


def _scores(pipeline, processed, embedder) -> np.ndarray:
    units = [u for p in processed for u in p.units]
    extra = embedder.columns(processed) if embedder else None
    unit_scores = pipeline.predict_proba(unit_table(units, extra)) if units else np.zeros((0, len(PATTERN_IDS)))
    out, pos = np.zeros((len(processed), len(PATTERN_IDS))), 0
    for i, p in enumerate(processed):
        if p.units:
            out[i] = unit_scores[pos : pos + len(p.units)].max(axis=0)
        pos += len(p.units)
    return out


def run_variant(name: str, config: ModelConfig, rows, robust, sms, embedder=None) -> dict[str, Any]:
    train_p = M.process_rows([r for r in rows if r["split"] == "train"])
    dev_rows = [r for r in rows if r["split"] == "dev"]
    dev_p = M.process_rows(dev_rows)
    units, labels = M.training_table(train_p, config)
    pipeline = build_pipeline(config)
    started = time.perf_counter()
    pipeline.fit(unit_table(units, embedder.columns(train_p) if embedder else None), labels)
    fit_s = time.perf_counter() - started
    dev_scores = _scores(pipeline, dev_p, embedder)
    thresholds = M.choose_thresholds(dev_scores, M.truth_matrix(dev_rows), [r["kind"] for r in dev_rows],
                                     config.sincere_false_flag_weight)
    result = {"variant": name, "config": config.to_dict(), "fit_seconds": round(fit_s, 1),
              "dev_macro_f1": round(_macro_f1(dev_scores, M.truth_matrix(dev_rows), thresholds), 4)}
    if robust:
        result["robustness_macro_f1"] = round(_macro_f1(_scores(pipeline, M.process_rows(robust), embedder),
                                                        M.truth_matrix(robust), thresholds), 4)
    if sms:
        sms_rows = [{"text": t, "phrases": {}} for t in sms]
        s = _scores(pipeline, M.process_rows(sms_rows), embedder)
        result["sms_ham_fpr"] = round(float((s >= np.array([thresholds[p] for p in PATTERN_IDS])).any(axis=1).mean()), 4)
    draft = "hey, hope the move went ok. honestly i barely noticed u were gone lol. anyway call me sat or we're done"
    samples = []
    for _ in range(200):
        t0 = time.perf_counter()
        _n, _d, us = process(draft)
        fake = [M.ProcessedRow({"text": draft, "phrases": {}}, us, [])]
        pipeline.predict_proba(unit_table(us, embedder.columns(fake) if embedder else None))
        samples.append(time.perf_counter() - t0)
    result["latency_3_sentences_p50_ms"] = round(1000 * statistics.median(samples), 2)
    result["extra_install_mb"] = 0 if embedder is None else None
    return result


def run_ab(reports: Path) -> int:
    rows = load_rows()
    robust = load_robustness_rows()
    root = external_dir()
    sms = load_sms_ham(root) if (root / "sms_spam_collection").exists() else []
    results = []
    reports.mkdir(parents=True, exist_ok=True)

    def write() -> None:  # after every variant, so a long run leaves what it measured
        (reports / "ab.json").write_text(json.dumps(results, indent=2), encoding="utf-8")

    for name, config in VARIANTS.items():
        results.append(run_variant(name, config, rows, robust, sms))
        print(json.dumps(results[-1]))
        write()
    static_path = os.environ.get("SINCERELY_STATIC_MODEL")
    if static_path:
        try:
            embedder = StaticEmbedder(static_path)
        except ImportError:
            print("model2vec is not installed: static-embedding variant skipped")
        else:
            config = replace(ModelConfig(), embedding_dims=2 * embedder.dims)
            res = run_variant("+ static embeddings (model2vec from all-MiniLM-L6-v2)", config, rows, robust, sms, embedder)
            size = sum(f.stat().st_size for f in Path(static_path).rglob("*") if f.is_file()) / 1e6
            res["extra_install_mb"] = round(size + 10, 1)  # vectors + model2vec/tokenizers/safetensors wheels (~10 MB)
            results.append(res)
            print(json.dumps(res))
            write()
    print(f"wrote {reports / 'ab.json'}")
    return 0
