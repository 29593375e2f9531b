"""What every page does first (styles, warming the model), and the calm model-error screen."""
from __future__ import annotations

import threading

import streamlit as st

from classifier.errors import BUILD_HINT, ModelFileError

from . import resources
from .theme import CSS

_warm_lock = threading.Lock()
_warm_started = False


def setup() -> None:
    """Inject the app's CSS and start loading the detector in the background if nobody has yet."""
    st.html(CSS)
    _warm_in_background()


def _warm_in_background() -> None:
    global _warm_started
    with _warm_lock:
        if _warm_started:
            return
        _warm_started = True
        # narwhals imports itself circularly, so two threads importing it at once deadlock in importlib; the warm-up
        # reaches it through scikit-learn and the conversation page through Altair. Import it here first (40 ms).
        import narwhals.stable.v1  # noqa: F401
        import narwhals.stable.v2  # noqa: F401

    def warm() -> None:
        try:
            resources.detector()
            resources.rewriter()
        except Exception:  # the page that needs the model shows the problem; warming stays silent
            pass

    threading.Thread(target=warm, name="sincerely-warmup", daemon=True).start()


def require_model_file() -> None:
    """Stop the page with the calm model error when the model file can't be used: a quick check, so the page can be
    drawn while the model itself loads in the background."""
    problem = resources.model_problem()
    if problem:
        model_error(problem)
        st.stop()


def require_detector():
    """The detector, or a clear message on how to build the model (never a traceback) and a stop."""
    try:
        return resources.detector()
    except ModelFileError as exc:
        model_error(str(exc))
    except Exception as exc:  # e.g. a missing spaCy package: still no traceback on screen
        model_error(f"The checker could not start ({type(exc).__name__}).")
    st.stop()


def model_error(detail: str) -> None:
    st.error(
        "**The checker's model file can't be used right now.**\n\n"
        "It is missing, damaged, or was changed after it was built, so Sincerely won't load it. "
        f"To rebuild it from the training data in `data/` on this computer, stop the app and {BUILD_HINT} "
        "(about a minute), or simply run `make run`, which builds it first. Nothing leaves your machine.",
        icon=":material/build:",
    )
    st.caption(f"Details: {detail}")
