"""The detector, the rewording engine and the catalogue, loaded once per server process (st.cache_resource).

Failures are not cached (Streamlit only caches return values), so a fixed model file is picked up on the next run.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import streamlit as st

from classifier import model as model_lib
from classifier.catalogue import Pattern, load_catalogue

log = logging.getLogger(__name__)

MODEL_ENV = "SINCERELY_MODEL"  # lets tests point the app at another model file
LOAD_ATTEMPTS = 4
RETRY_SECONDS = 1.5


def model_path() -> Path:
    override = os.environ.get(MODEL_ENV)
    return Path(override) if override else model_lib.MODEL_PATH


def _transient(exc: Exception) -> bool:
    """A checksum mismatch can be a model being rewritten right now by `python -m classifier train`."""
    text = str(exc).lower()
    return "checksum" in text or "could not be loaded" in text or "not a readable model" in text


def load_detector_uncached(path: Path):
    """Load the saved model (never trains); retry briefly when it is being rewritten. Raises ModelFileError."""
    from classifier.detector import Detector

    path = Path(path)
    for attempt in range(LOAD_ATTEMPTS):
        try:
            trained = model_lib.load(path)
            break
        except model_lib.ModelFileError as exc:
            if not path.exists() or attempt == LOAD_ATTEMPTS - 1 or not _transient(exc):
                raise
            log.warning("model file busy or changing, retrying (%s)", type(exc).__name__)
            time.sleep(RETRY_SECONDS)
    detector = Detector(trained)
    detector.analyze("warming up: hope your week is going well.")  # first call loads spaCy pipes lazily
    return detector


@st.cache_resource(show_spinner="Loading the checker (a few seconds, once)…")
def get_detector(path: str):
    return load_detector_uncached(Path(path))


def detector():
    """The shared detector for the current model path. Raises ModelFileError (shown by the page, never as a traceback)."""
    return get_detector(str(model_path()))


def model_is_stale(det) -> bool:
    try:
        return model_lib.is_stale(det.model)
    except Exception:  # the fingerprint reads data/; a half-written corpus file must not break a page
        return False


def rebuild_model() -> Path:
    """Retrain from data/ and save to the current model path, then drop the cached detector."""
    path = model_path()
    model_lib.save(model_lib.train(), path)
    get_detector.clear()
    _load_rewriter.clear()
    return path


@st.cache_resource(show_spinner=False)
def _load_rewriter(path: str):
    from classifier.rewrite import Rewriter  # written in parallel; absent until it lands

    engine = Rewriter(get_detector(path))
    warm = "hey happy bday!! hope ur having a good one. shame u couldnt even text me back on mine but i guess some of us remember ppl"
    engine.suggest(warm, engine.detector.analyze(warm))  # first call builds lazy state; keep it off the first check
    return engine


def rewriter():
    """The shared rewording engine, or None when classifier/rewrite.py is not available (the page falls back)."""
    try:
        return _load_rewriter(str(model_path()))
    except ImportError:
        return None
    except model_lib.ModelFileError:
        raise
    except Exception as exc:  # a broken rewriter must not take the checker down with it
        log.warning("rewording engine unavailable: %s", type(exc).__name__)
        return None


@st.cache_resource(show_spinner=False)
def catalogue() -> dict[str, Pattern]:
    return load_catalogue()
