"""Real text: the background slices, the leakage guard around ../shared/external, and what the model learned."""
from __future__ import annotations

import re
import sys
from collections import Counter

import numpy as np
import pytest

from classifier.catalogue import PATTERN_IDS
from classifier.detect.features import ModelConfig
from classifier.evaluation.external import external_dir, load_dailydialog, load_mentalmanip, load_sms_ham
from classifier.text.wordlists import FUNCTION_WORDS
from classifier.training import background
from classifier.training import train as model_lib


def test_slices_follow_the_hash_of_the_comment_id():
    sizes = {}
    for name in background.SLICES:
        comments = background.load_slice(name)
        assert comments, f"data/background slice {name} missing: run `python -m classifier background import`"
        assert all(background.slice_of(c["id"]) == name for c in comments)
        sizes[name] = len(comments)
    total = sum(sizes.values())
    assert abs(sizes["pool"] / total - 0.70) < 0.02
    assert abs(sizes["calibration"] / total - 0.15) < 0.02
    ids = [c["id"] for name in background.SLICES for c in background.load_slice(name)]
    assert len(ids) == len(set(ids)), "a comment sits in two slices"


def test_labelled_comments_come_from_the_pool_and_leave_it(corpus_rows):
    labelled = background.labelled_comment_ids(corpus_rows)
    assert len(labelled) >= 1200
    assert all(background.slice_of(cid) == "pool" for cid in labelled), "only pool comments are read and labelled"
    weak = {c["id"] for c in background.weak_negatives(corpus_rows)}
    assert not labelled & weak
    pool_text = {c["id"]: c["text"] for c in background.load_slice("pool")}
    for row in corpus_rows:
        if row["source"] == "goemotions":
            assert row["text"] == pool_text[row["id"].removeprefix(background.LABELLED_PREFIX)], row["id"]


def test_training_and_calibration_never_open_external_data(corpus_rows, tmp_path):
    """An audit hook records every file opened while a (small) model is trained and calibrated."""
    opened: list[str] = []

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], str | bytes):
            opened.append(str(args[0]))

    small_root = tmp_path / "bg"
    small_root.mkdir()
    for name in background.SLICES:
        comments = background.load_slice(name)[:300]
        background.slice_path(name, small_root).write_text(
            "".join(__import__("json").dumps(c) + "\n" for c in comments), encoding="utf-8")
    rows = [r for r in corpus_rows if r["split"] in ("train", "dev")][::6]
    sys.addaudithook(hook)  # audit hooks cannot be removed: the list is only read below
    recording_from = len(opened)
    model_lib.train(ModelConfig(max_char_features=2000), rows=rows, background=small_root)
    seen = opened[recording_from:]
    assert seen, "the audit hook saw no file opened at all"
    external = str(external_dir().resolve())
    assert not [p for p in seen if "shared/external" in p or p.startswith(external)]


WORD8 = re.compile(r"[a-z0-9']+")


def _eight_grams(text: str) -> set[tuple[str, ...]]:
    w = WORD8.findall(text.lower())
    return {tuple(w[i : i + 8]) for i in range(len(w) - 7)}


def test_no_training_text_shares_an_eight_word_run_with_external_text(corpus_rows):
    root = external_dir()
    if not root.exists():
        pytest.skip(f"external evaluation data not present at {root}")
    external: set[tuple[str, ...]] = set()
    for text in load_sms_ham(root):
        external |= _eight_grams(text)
    for turn, _ in load_dailydialog(root):
        external |= _eight_grams(turn)
    for dialogue in load_mentalmanip(root)[0]:
        external |= _eight_grams(dialogue["dialogue"])
    training = [r["text"] for r in corpus_rows] + [c["text"] for n in ("pool", "calibration")
                                                   for c in background.load_slice(n)]
    leaks = [t for t in training if _eight_grams(t) & external]
    assert not leaks, f"{len(leaks)} training texts share 8 words in a row with external text, e.g. {leaks[:3]}"


def _feature_names(pipeline) -> np.ndarray:
    names = []
    for name, transformer, _ in pipeline.named_steps["features"].transformers_:
        if name == "remainder":
            continue
        if hasattr(transformer, "vocabulary_"):
            vocab = transformer.vocabulary_
            names += [f"{name}:{t}" for t in sorted(vocab, key=vocab.__getitem__)]
        else:
            names += [f"{name}:#{i}" for i in range(len(transformer.scale_))]
    return np.array(names)


def _is_lone_function_word(feature: str) -> bool:
    kind, _, gram = feature.partition(":")
    if kind.endswith("_chars"):
        return gram.startswith(" ") and gram.endswith(" ") and gram.strip() in FUNCTION_WORDS
    return " " not in gram and gram in FUNCTION_WORDS


def test_no_function_word_among_the_strongest_features(detector):
    pipeline = detector.model.pipeline
    names = _feature_names(pipeline)
    for j, est in enumerate(pipeline.named_steps["classify"].estimators_):
        coef = np.asarray(est.calibrated_classifiers_[0].estimator.coef_).ravel()
        assert len(coef) == len(names)
        top = names[np.argsort(-coef)[:30]]
        assert not [f for f in top if _is_lone_function_word(f)], f"{PATTERN_IDS[j]}: {list(top)}"


def test_thresholds_flag_little_of_the_real_calibration_slice(detector):
    texts = [c["text"] for c in background.load_slice("calibration")]
    counts: Counter = Counter()
    for analysis in detector.analyze_many(texts):
        if not isinstance(analysis, Exception):
            counts.update({f.pattern for f in analysis.flags})
    rate = detector.model.config.calibration_flag_rate
    # message scores decide the threshold; a flag also needs a clause run, so flags can only be rarer
    assert {p: n for p, n in counts.items() if n / len(texts) > rate} == {}


def test_likely_only_from_the_measured_precision_score(detector):
    likely = detector.model.likely_thresholds
    assert set(likely) == set(PATTERN_IDS)
    assert all(likely[p] >= detector.model.thresholds[p] for p in PATTERN_IDS)
    analysis = detector.analyze("its whatever, doesnt matter to me either way. reply by 9 tonight or the photos go")
    for flag in analysis.flags:
        assert (flag.confidence == "likely") == (flag.score >= likely[flag.pattern])
