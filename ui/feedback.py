"""The opt-in "help improve the model" store: a local CSV file, written only when the user has switched it on.

Location: $SINCERELY_DATA_DIR if set, else $XDG_DATA_HOME/sincerely, else ~/.local/share/sincerely.
Nothing here sends anything anywhere; the file stays on this computer.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FILE_NAME = "feedback.csv"
COLUMNS = ("time", "mode", "draft", "pattern", "phrase", "start", "end", "score", "confidence", "verdict")

# What the user told us about a flag.
VERDICT_SINCERE = "meant sincerely"  # "I meant this sincerely": the flag was wrong for this draft
VERDICT_AGREED = "used a suggestion"  # the user replaced the phrase with a sincere alternative


def data_dir() -> Path:
    """The user's data folder for Sincerely (not created until something is saved)."""
    override = os.environ.get("SINCERELY_DATA_DIR")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "sincerely"


def feedback_path() -> Path:
    return data_dir() / FILE_NAME


@dataclass(frozen=True)
class FeedbackRow:
    mode: str
    draft: str
    pattern: str
    phrase: str
    start: int
    end: int
    score: float
    confidence: str
    verdict: str


def save(row: FeedbackRow, opted_in: bool) -> Path | None:
    """Append one row when the user opted in; do nothing (and touch no file) otherwise."""
    if not opted_in:
        return None
    path = feedback_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if new:
            writer.writerow(COLUMNS)
        writer.writerow([
            datetime.now(UTC).isoformat(timespec="seconds"), row.mode, row.draft, row.pattern, row.phrase,
            row.start, row.end, f"{row.score:.4f}", row.confidence, row.verdict,
        ])
    try:
        os.chmod(path, 0o600)  # the drafts are private: readable by this user only
    except OSError:
        pass
    return path


def count_saved() -> int:
    """How many feedback rows are stored (0 when there is no file)."""
    path = feedback_path()
    if not path.exists():
        return 0
    with open(path, encoding="utf-8", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


def delete_saved() -> bool:
    """Remove the feedback file; True when there was one."""
    path = feedback_path()
    if path.exists():
        path.unlink()
        return True
    return False
