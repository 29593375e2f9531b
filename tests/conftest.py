"""Shared fixtures: the real detector, built from data/ when no model file exists yet."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")


@pytest.fixture(scope="session")
def detector():
    from classifier import Detector

    return Detector.load()


@pytest.fixture(scope="session")
def catalogue():
    from classifier import load_catalogue

    return load_catalogue()


@pytest.fixture(scope="session")
def corpus_rows():
    from classifier.data import load_rows

    return load_rows()
