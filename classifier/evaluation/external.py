"""Evaluation on human-written public data in ../shared/external (evaluation only: never trained on).

Each loader reads one folder's files as documented in its SOURCE.md. When the folder is absent the evaluation is
skipped with a note. SINCERELY_EXTERNAL_DIR overrides the location (the tests point it at small fixtures).
"""
from __future__ import annotations

import csv
import html
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ..paths import SHARED_DIR
from .baseline import KeywordBaseline

DEFAULT_EXTERNAL_DIR = SHARED_DIR / "external"

# MentalManip techniques that map onto our patterns (approximate, see its SOURCE.md).
MENTALMANIP_MAP = {
    "Denial": "gaslighting",
    "Feigning Innocence": "gaslighting",
    "Rationalization": "gaslighting",
    "Playing Victim Role": "guilt_tripping",
    "Playing Servant Role": "guilt_tripping",
    "Intimidation": "ultimatum",
    "Brandishing Anger": "ultimatum",
}
SPEAKER_RE = re.compile(r"^\s*Person\d+:\s*", re.M)


def external_dir() -> Path:
    return Path(os.environ.get("SINCERELY_EXTERNAL_DIR", DEFAULT_EXTERNAL_DIR))


def detokenize(text: str) -> str:
    """Undo DailyDialog's spaced tokenisation ("I ’ ll go ." -> "I'll go.")."""
    text = text.replace(" ’ ", "'").replace(" ' ", "'").replace("’", "'")
    text = re.sub(r"\s+([.,!?;:%)])", r"\1", text)
    text = re.sub(r"([($])\s+", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def load_sms_ham(root: Path) -> list[str]:
    """Unique ham (real personal SMS) texts."""
    path = root / "sms_spam_collection" / "SMSSpamCollection.tsv"
    seen, out = set(), []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            label, _, text = line.rstrip("\n").partition("\t")
            text = html.unescape(text).strip()
            if label == "ham" and text and text not in seen:
                seen.add(text)
                out.append(text)
    return out


def load_dailydialog(root: Path) -> list[tuple[str, int]]:
    """(turn, emotion) for every DailyDialog test and validation turn; emotion 1 = anger, 5 = sadness."""
    out = []
    folder = root / "dailydialog"
    for split in ("test", "validation"):
        dialogues = (folder / f"dialogues_{split}.txt").read_text(encoding="utf-8").splitlines()
        emotions = (folder / f"dialogues_emotion_{split}.txt").read_text(encoding="utf-8").splitlines()
        for dialogue, emo in zip(dialogues, emotions, strict=False):
            turns = [t for t in dialogue.split("__eou__") if t.strip()]
            labels = [int(x) for x in emo.split()]
            for turn, label in zip(turns, labels, strict=False):
                out.append((detokenize(turn), label))
    return out


def _techniques(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]


def load_mentalmanip(root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Consensus dialogues (id, dialogue, label, techniques) and marked units (technique, text) from annotators."""
    folder = root / "mentalmanip"
    with open(folder / "mentalmanip_con.csv", encoding="utf-8", newline="") as fh:
        con = [{"id": r["ID"], "dialogue": r["Dialogue"], "manipulative": int(r["Manipulative"]),
                "techniques": _techniques(r["Technique"])} for r in csv.DictReader(fh)]
    con_ids = {d["id"]: d for d in con}
    units = []
    with open(folder / "mentalmanip_detailed.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            dialogue = con_ids.get(r["id"])
            if dialogue is None or not dialogue["manipulative"]:
                continue
            for k in (1, 2, 3):
                chosen = set(_techniques(r.get(f"technique_{k}", ""))) & set(dialogue["techniques"])
                for mark in (r.get(f"marks_{k}") or "").split("<break>"):
                    mark = SPEAKER_RE.sub("", mark).strip()
                    if len(mark) >= 3:
                        for technique in chosen:
                            units.append({"id": r["id"], "technique": technique, "text": mark})
    unique = {(u["technique"], u["text"]): u for u in units}
    return con, list(unique.values())


def dialogue_turns(dialogue: str) -> list[str]:
    return [SPEAKER_RE.sub("", line).strip() for line in dialogue.splitlines() if line.strip()]


def _flags(detector, texts: Iterable[str]):
    from ..errors import TextTooLongError

    for analysis in detector.analyze_many(list(texts)):
        yield [] if isinstance(analysis, TextTooLongError) else analysis.flags


def false_positive_check(detector, texts: list[str], top: int = 20) -> dict[str, Any]:
    flagged, hits = 0, []
    counts: Counter = Counter()
    for text, flags in zip(texts, _flags(detector, texts), strict=True):
        if flags:
            flagged += 1
            counts.update({f.pattern for f in flags})
            best = max(flags, key=lambda f: f.score)
            hits.append({"score": best.score, "pattern": best.pattern, "phrase": best.phrase, "text": text})
    hits.sort(key=lambda h: -h["score"])
    return {"messages": len(texts), "flagged": flagged, "fpr": round(flagged / max(1, len(texts)), 4),
            "by_pattern": dict(counts.most_common()), "top": hits[:top]}


def mentalmanip_checks(detector, root: Path) -> dict[str, Any]:
    con, units = load_mentalmanip(root)
    baseline = KeywordBaseline()
    per_technique = {}
    for technique, pattern in MENTALMANIP_MAP.items():
        texts = [u["text"] for u in units if u["technique"] == technique]
        if not texts:
            continue
        flags = list(_flags(detector, texts))
        mapped = sum(any(f.pattern == pattern for f in fl) for fl in flags)
        anyp = sum(bool(fl) for fl in flags)
        base = sum(any(p == pattern for p, _, _ in baseline.flags(t)) for t in texts)
        per_technique[technique] = {"pattern": pattern, "units": len(texts), "recall": round(mapped / len(texts), 4),
                                    "recall_any_pattern": round(anyp / len(texts), 4),
                                    "keyword_baseline_recall": round(base / len(texts), 4)}
    labels = np.array([d["manipulative"] for d in con])
    turn_lists = [dialogue_turns(d["dialogue"]) for d in con]
    flat = [t for turns in turn_lists for t in turns]
    flat_flags = list(_flags(detector, flat))
    pred, pos = [], 0
    for turns in turn_lists:
        pred.append(any(flat_flags[pos + k] for k in range(len(turns))))
        pos += len(turns)
    pred = np.array(pred)
    from sklearn.metrics import f1_score, precision_score, recall_score

    precision = precision_score(labels, pred, zero_division=0)
    recall = recall_score(labels, pred, zero_division=0)
    macro = f1_score(labels, pred, average="macro", zero_division=0)
    return {"per_technique": per_technique,
            "dialogues": {"n": len(con), "precision": round(float(precision), 4), "recall": round(float(recall), 4),
                          "macro_f1": round(float(macro), 4)},
            "tfidf_lr_5fold_macro_f1": round(tfidf_baseline(con), 4)}


def tfidf_baseline(con: list[dict[str, Any]]) -> float:
    """TF-IDF + logistic regression trained on MentalManip itself, 5-fold CV binary macro-F1 (reference figure)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline

    texts = [d["dialogue"] for d in con]
    labels = np.array([d["manipulative"] for d in con])
    if len(set(labels)) < 2 or min(np.bincount(labels)) < 5:
        return float("nan")
    pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                         LogisticRegression(max_iter=2000, class_weight="balanced"))
    pred = cross_val_predict(pipe, texts, labels, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    return float(f1_score(labels, pred, average="macro"))


EVALUATION_FILES = (
    "sms_spam_collection/SMSSpamCollection.tsv",
    "dailydialog/dialogues_test.txt", "dailydialog/dialogues_validation.txt",
    "dailydialog/dialogues_emotion_test.txt", "dailydialog/dialogues_emotion_validation.txt",
    "mentalmanip/mentalmanip_con.csv", "mentalmanip/mentalmanip_detailed.csv",
)


def files_sha256(root: Path) -> dict[str, str]:
    """sha256 of every external file the evaluation reads, so a report names exactly what it measured."""
    import hashlib

    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest()
            for name in EVALUATION_FILES if (root / name).exists()}


def external_evaluation(detector, root: Path | None = None) -> tuple[dict[str, Any], str]:
    """Run every external check whose data is present; returns figures and a markdown section."""
    root = root or external_dir()
    if not root.exists():
        note = f"External data not found at {root}: external checks skipped."
        return {"skipped": note}, "## External data\n\n" + note
    results: dict[str, Any] = {"files_sha256": files_sha256(root)}
    if (root / "sms_spam_collection").exists():
        results["sms_ham"] = false_positive_check(detector, load_sms_ham(root))
    if (root / "dailydialog").exists():
        turns = load_dailydialog(root)
        results["dailydialog"] = false_positive_check(detector, [t for t, _ in turns])
        results["dailydialog_anger_sadness"] = false_positive_check(detector, [t for t, e in turns if e in (1, 5)])
    if (root / "mentalmanip").exists():
        results["mentalmanip"] = mentalmanip_checks(detector, root)
    return results, render_external(results)


def md_cell(text: str) -> str:
    """A text shortened and made safe for one cell of a markdown table."""
    return text.replace("|", "\\|").replace("\n", " ")[:160]


def render_external(results: dict[str, Any]) -> str:
    lines = ["## External data (human-written, evaluation only)", "",
             "| set | messages | flagged | false-positive rate | target |", "|---|---|---|---|---|"]
    targets = {"sms_ham": "<= 3%", "dailydialog": "-", "dailydialog_anger_sadness": "<= 5%"}
    for key, label in (("sms_ham", "SMS ham (unique)"), ("dailydialog", "DailyDialog turns"),
                       ("dailydialog_anger_sadness", "DailyDialog anger/sadness turns")):
        if key in results:
            r = results[key]
            lines.append(f"| {label} | {r['messages']} | {r['flagged']} | {r['fpr']:.2%} | {targets[key]} |")
    if "mentalmanip" in results:
        mm = results["mentalmanip"]
        lines += ["", "### MentalManip (consensus set): recall on annotators' marked units", "",
                  "| technique | our pattern | units | recall | any-pattern recall | keyword baseline recall |",
                  "|---|---|---|---|---|---|"]
        for tech, r in mm["per_technique"].items():
            lines.append(f"| {tech} | {r['pattern']} | {r['units']} | {r['recall']:.3f} | {r['recall_any_pattern']:.3f} | "
                         f"{r['keyword_baseline_recall']:.3f} |")
        d = mm["dialogues"]
        lines += ["", f"Any-pattern detection on {d['n']} consensus dialogues: precision {d['precision']:.3f}, "
                      f"recall {d['recall']:.3f}, binary macro-F1 {d['macro_f1']:.3f}. Reference: TF-IDF + logistic "
                      f"regression trained on MentalManip itself, 5-fold CV macro-F1 {mm['tfidf_lr_5fold_macro_f1']:.3f}."]
    if results.get("files_sha256"):
        lines += ["", "Files read (sha256):", ""]
        lines += [f"- `{name}` `{digest}`" for name, digest in results["files_sha256"].items()]
    for key in ("sms_ham", "dailydialog_anger_sadness"):
        if key in results and results[key]["top"]:
            lines += ["", f"### Highest-scoring flags on {key} (for reading by hand)", "", "| score | pattern | phrase |",
                      "|---|---|---|"]
            for h in results[key]["top"]:
                lines.append(f"| {h['score']:.2f} | {h['pattern']} | {md_cell(h['phrase'])} |")
    return "\n".join(lines)


