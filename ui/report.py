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
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _opt(value) -> float | None:
    return None if value is None else float(value)


def pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"
