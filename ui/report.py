"""The latest evaluation report (reports/metrics.json), read for the About page."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

REPORT_PATH = Path(__file__).resolve().parent.parent / "reports" / "metrics.json"


@dataclass
class Report:
    macro_f1: float
    fpr_hard_negative: float | None
    fpr_neutral: float | None
    phrase_overlap: float | None
    messages: int | None
    per_pattern: dict[str, dict[str, float]] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    train_rows: int | None = None
    written: str | None = None
    real_text: list[RealTextFigure] = field(default_factory=list)


@dataclass(frozen=True)
class RealTextFigure:
    """False flags on one set of real messages that nobody on the team wrote."""

    name: str
    what: str
    messages: int
    flagged_share: float


# (report key, label, what the set is), in the order the About page shows them.
REAL_TEXT_SETS = (
    ("external.sms_ham", "Real text messages", "personal SMS between friends and family (SMS Spam Collection, ham)"),
    ("external.dailydialog_anger_sadness", "Angry or sad conversation turns",
     "everyday dialogue turns labelled anger or sadness (DailyDialog)"),
    ("audit", "Real online comments", "Reddit comments held out from training and tuning (GoEmotions audit slice)"),
)


def _real_text(data: dict) -> list[RealTextFigure]:
    out = []
    for key, name, what in REAL_TEXT_SETS:
        block = data
        for part in key.split("."):
            block = block.get(part) if isinstance(block, dict) else None
        if isinstance(block, dict) and "fpr" in block:
            out.append(RealTextFigure(name, what, int(block["messages"]), float(block["fpr"])))
    return out


def load_report(path: Path | None = None) -> Report | None:
    """The detector's test-split figures, or None when there is no readable report."""
    path = Path(path) if path is not None else REPORT_PATH
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        test = data["test"]["detector"]
        fpr = test.get("false_positive_rate", {})
        written = datetime.fromtimestamp(Path(path).stat().st_mtime).strftime("%d %B %Y")
        return Report(
            macro_f1=float(test["macro_f1"]),
            fpr_hard_negative=_opt(fpr.get("hard_negative")),
            fpr_neutral=_opt(fpr.get("neutral")),
            phrase_overlap=_opt(test.get("phrase_overlap")),
            messages=int(test["messages"]) if "messages" in test else None,
            per_pattern={k: dict(v) for k, v in test.get("per_pattern", {}).items()},
            targets=dict(data.get("targets", {})),
            train_rows=data.get("model", {}).get("train_rows"),
            written=written,
            real_text=_real_text(data),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _opt(value) -> float | None:
    return None if value is None else float(value)


def pct(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"
