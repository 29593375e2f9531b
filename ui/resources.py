"""The detector, the rewording engine and the catalogue, loaded once per server process (st.cache_resource).

The app never trains: a missing or broken model file is shown with how to build it. Failures are not cached
(Streamlit only caches return values), so a rebuilt model file is picked up on the next run.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import streamlit as st

from classifier.catalogue import Pattern, load_catalogue
from classifier.errors import ModelFileError, ModelMissingError
from classifier.paths import MODEL_PATH

log = logging.getLogger(__name__)

MODEL_ENV = "SINCERELY_MODEL"  # lets tests point the app at another model file
LOAD_ATTEMPTS = 4
# One load at a time: the warm-up thread and a page's first run can both miss the cache, and two threads importing
# the model's modules at once can deadlock in importlib. Cache hits never take it.
_loading = threading.RLock()
RETRY_SECONDS = 1.5


def model_path() -> Path:
    override = os.environ.get(MODEL_ENV)
    return Path(override) if override else MODEL_PATH


def model_problem() -> str | None:
    """Why the model file can't be used, from a quick check (it exists and matches its checksum), or None. Cheap
    enough for every page run: the page can be drawn while the model itself loads in the background."""
    from classifier.training.store import verify

    try:
        verify(model_path())
    except ModelFileError as exc:
        return str(exc)
    return None


def load_detector_uncached(path: Path):
    """Load the saved model (never trains); retry briefly when it is being rewritten. Raises ModelFileError."""
    from classifier.detect.detector import Detector

    path = Path(path)
    for attempt in range(LOAD_ATTEMPTS):
        try:
            detector = Detector.load(path)
            break
        except ModelFileError as exc:
            # a checksum mismatch or a half-written file can be `python -m classifier train` rewriting it right now
            if isinstance(exc, ModelMissingError) or not exc.transient or attempt == LOAD_ATTEMPTS - 1:
                raise
            log.warning("model file busy or changing, retrying (%s)", type(exc).__name__)
            time.sleep(RETRY_SECONDS)
    detector.analyze("warming up: hope your week is going well.")  # first call loads spaCy pipes lazily
    return detector


@st.cache_resource(show_spinner="Loading the checker (a few seconds, once)…")
def get_detector(path: str):
    with _loading:
        return load_detector_uncached(Path(path))


def detector():
    """The shared detector for the current model path. Raises ModelFileError (shown by the page, never as a traceback)."""
    return get_detector(str(model_path()))


@st.cache_resource(show_spinner=False)
def _load_rewriter(path: str):
    with _loading:
        from classifier.rewrite.rewriter import Rewriter

        engine = Rewriter(get_detector(path))
        warm = ("hey happy bday!! hope ur having a good one. shame u couldnt even text me back on mine but i guess some "
                "of us remember ppl")
        engine.suggest(warm, engine.detector.analyze(warm))  # first call builds lazy state; keep it off the first check
        return engine


def rewriter():
    """The shared rewording engine, or None when it cannot start (the page falls back to catalogue lines)."""
    try:
        return _load_rewriter(str(model_path()))
    except ModelFileError:
        raise
    except Exception as exc:  # a broken rewriter must not take the checker down with it
        log.warning("rewording engine unavailable: %s", type(exc).__name__)
        return None


@st.cache_resource(show_spinner=False)
def catalogue() -> dict[str, Pattern]:
    return load_catalogue()
