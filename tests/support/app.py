"""Shared by the app tests: a model the app can use, drafts the model flags, and small AppTest helpers."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from benchmarks.page import free_port, wait_for_server  # noqa: F401  (the tests start servers the same way)
from classifier.training.store import MODEL_PATH

ROOT = Path(__file__).resolve().parent.parent.parent
APP = ROOT / "app.py"
MODEL_ENV = "SINCERELY_MODEL"

# Catalogue examples (the model trains on them, so they are safe bets) and plain sincere messages.
GUILT = ("hey happy bday!! 🎂 hope ur having a good one. shame u couldnt even text me back on mine but i guess some "
         "of us remember ppl")
INDIFFERENCE = "oh hey lol. honestly hadn't even noticed you stopped texting, been a wild few weeks. hope ur good"
TWO_PATTERNS = ("ok so u cancelled again. its whatever, doesnt matter to me either way 🤷 lol so ur going to the wedding "
                "with sam's lot instead of me?? fine. it's them or me, choose")
CLEAN = "Hi mum, I'll be home around 6 tonight. Could you leave the spare key under the plant pot? Thanks x"
FRENCH = "Salut, je voulais te dire que je suis vraiment désolé pour hier soir. On peut en parler demain après le travail?"

_model_path: Path | None = None


def usable_model() -> Path:
    """The model in models/ (or SINCERELY_MODEL), built from data/ first when it is missing, stale or unreadable:
    the suite always runs against a model that matches the code and data it imports. Built at most once."""
    global _model_path
    if _model_path is None:
        from classifier.training.train import ensure_model

        override = os.environ.get(MODEL_ENV)
        _model_path = ensure_model(Path(override) if override else MODEL_PATH)
    return _model_path


def app_env(userdata: Path) -> dict[str, str]:
    """The environment a test server runs in: a usable model and a private folder for opt-in user data."""
    return {**os.environ, MODEL_ENV: str(usable_model()), "SINCERELY_DATA_DIR": str(userdata)}


def stop_server(proc: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it does not exit within 15 s."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
