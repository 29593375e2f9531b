"""Where the project's files live: the one definition of the repository layout."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
MODEL_DIR = ROOT / "models"
MODEL_PATH = MODEL_DIR / "detector.skops"
REPORTS_DIR = ROOT / "reports"
SHARED_DIR = ROOT.parent / "shared"
