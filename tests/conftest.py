"""Shared fixtures for the whole suite: the real model (built from data/ once if missing or stale, then loaded once
per session), the catalogue and the corpus; Hypothesis profiles from pyproject.toml."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


def _register_hypothesis_profiles() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for name, values in config["tool"]["sincerely"]["hypothesis"].items():
        values = dict(values)
        for key in ("deadline", "database"):
            if values.get(key) == "none":
                values[key] = None
        values["suppress_health_check"] = [HealthCheck[h] for h in values.get("suppress_health_check", [])]
        settings.register_profile(name, **values)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


_register_hypothesis_profiles()


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model the suite runs against: the one in models/, built first when missing or stale."""
    from support.app import usable_model

    return usable_model()


@pytest.fixture(scope="session")
def detector(model_path):
    from classifier import Detector

    return Detector.load(model_path)


@pytest.fixture(scope="session")
def rewriter(detector):
    from classifier import Rewriter

    return Rewriter(detector)


@pytest.fixture(scope="session")
def catalogue():
    from classifier import load_catalogue

    return load_catalogue()


@pytest.fixture(scope="session")
def corpus_rows():
    from classifier.training.corpus import load_rows

    return load_rows()
