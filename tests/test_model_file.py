"""Model persistence: skops with an explicit trusted-type list; tampered, corrupted and stale files are refused."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import skops.io as sio

from classifier import model as model_lib
from classifier.detector import Detector

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def model_copy(detector, tmp_path) -> Path:
    target = tmp_path / "detector.skops"
    shutil.copy(model_lib.MODEL_PATH, target)
    shutil.copy(model_lib.MODEL_PATH.with_suffix(".json"), target.with_suffix(".json"))
    return target


def test_saved_model_records_provenance(detector):
    meta = detector.model.meta
    assert len(meta["data_fingerprint"]) == 64 and meta["data_fingerprint"] == model_lib.data_fingerprint()
    assert {"scikit-learn", "spacy", "numpy", "skops"} <= set(meta["versions"])
    sidecar = json.loads(model_lib.MODEL_PATH.with_suffix(".json").read_text())
    assert sidecar["data_fingerprint"] == meta["data_fingerprint"] and len(sidecar["sha256"]) == 64


def test_shipped_types_are_all_on_the_trusted_list(model_copy):
    assert set(sio.get_untrusted_types(file=model_copy)) <= set(model_lib.TRUSTED_TYPES)
    assert model_lib.load(model_copy).thresholds.keys() == set(model_lib.PATTERN_IDS)


class Sneaky:
    """A type no one trusted: loading it would run its module's code."""

    def __init__(self):
        self.payload = "rm -rf /"


def test_untrusted_type_is_refused(model_copy):
    payload = {"pipeline": Sneaky(), "thresholds": {}, "config": {}, "meta": {}}
    sio.dump(payload, model_copy)
    model_copy.with_suffix(".json").unlink()  # no checksum to hide behind: the type check itself must refuse
    with pytest.raises(model_lib.ModelFileError, match="not on the trusted list") as err:
        model_lib.load(model_copy)
    assert "Sneaky" in str(err.value)


def test_tampered_content_is_refused_by_checksum(model_copy):
    with zipfile.ZipFile(model_copy, "a") as zf:
        zf.writestr("extra.txt", "hello")
    with pytest.raises(model_lib.ModelFileError, match="checksum"):
        model_lib.load(model_copy)


@pytest.mark.parametrize("damage", ["truncate", "random", "empty"])
def test_corrupted_file_gives_a_clear_error(model_copy, damage):
    data = model_copy.read_bytes()
    model_copy.write_bytes({"truncate": data[: len(data) // 3], "random": os.urandom(4096), "empty": b""}[damage])
    model_copy.with_suffix(".json").unlink()
    with pytest.raises(model_lib.ModelFileError, match="rebuild"):
        model_lib.load(model_copy)


def test_cli_reports_a_corrupted_model_without_traceback(model_copy):
    model_copy.write_bytes(os.urandom(2048))
    model_copy.with_suffix(".json").unlink()
    res = subprocess.run([sys.executable, "-m", "classifier", "--model", str(model_copy), "check", "hello there"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2
    assert "error:" in res.stderr and "Traceback" not in res.stderr


def test_stale_model_is_reported_when_asked(model_copy):
    trained = model_lib.load(model_copy)
    trained.meta["data_fingerprint"] = "0" * 64
    model_lib.save(trained, model_copy)
    assert model_lib.is_stale(model_lib.load(model_copy))
    with pytest.raises(model_lib.ModelFileError, match="stale"):
        Detector.load(model_copy, rebuild_if_stale=False)


def test_missing_model_without_build_is_refused(tmp_path):
    with pytest.raises(model_lib.ModelFileError, match="no model file"):
        Detector.load(tmp_path / "nothing.skops", build_if_missing=False)


def test_app_shows_a_clear_error_for_a_random_bytes_model_and_rebuilds_it(detector, model_copy, tmp_path, monkeypatch):
    """A damaged copy (random bytes, its checksum file still beside it): a calm message and a working rebuild button."""
    from app_helpers import APP, GUILT, MODEL_ENV
    from streamlit.testing.v1 import AppTest

    from ui import resources

    model_copy.write_bytes(os.urandom(64_000))
    monkeypatch.setenv(MODEL_ENV, str(model_copy))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setattr(resources, "RETRY_SECONDS", 0.01)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert at.error and "can't be used" in at.error[0].value and "damaged" in at.error[0].value
    details = " ".join(c.value for c in at.caption)
    assert "checksum" in details and "Traceback" not in details and 'File "' not in details
    assert not any(t.key == "draft" for t in at.text_area)  # no checker without a usable model
    rebuild = at.button(key="rebuild-model")
    assert rebuild.label == "Rebuild the model from data/"
    at.switch_page("views/about.py").run()
    assert not at.exception and any("can't be used" in e.value for e in at.error)
    at.switch_page("views/check.py").run()

    monkeypatch.setattr(model_lib, "train", lambda *a, **k: detector.model)  # skip the minute of training
    at.button(key="rebuild-model").click().run()
    assert not at.exception
    sidecar = json.loads(model_copy.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["sha256"] == hashlib.sha256(model_copy.read_bytes()).hexdigest()  # rebuilt in place, with its checksum
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    at.text_area(key="draft").input(GUILT)
    at.button(key="check").click().run()
    assert not at.exception and not at.error
    assert any("could make this read as a tactic" in h.value for h in at.html)
