"""Model persistence: skops with an explicit trusted-type list; tampered, corrupted and stale files are refused."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import skops.io as sio

from classifier.catalogue import PATTERN_IDS
from classifier.detect.detector import Detector
from classifier.errors import BUILD_HINT, ModelChecksumError, ModelFileError, ModelMissingError, UntrustedTypeError
from classifier.paths import ROOT
from classifier.training import store as model_lib
from classifier.training.train import data_fingerprint, is_stale


@pytest.fixture()
def model_copy(model_path, tmp_path) -> Path:
    """A private copy of the model with its sidecar and artefacts."""
    return model_lib.copy_model(model_path, tmp_path)


def test_saved_model_records_provenance(detector, model_path):
    meta = detector.meta
    assert len(meta["data_fingerprint"]) == 64 and meta["data_fingerprint"] == data_fingerprint()
    assert {"scikit-learn", "spacy", "numpy", "skops"} <= set(meta["versions"])
    sidecar = json.loads(model_path.with_suffix(".json").read_text())
    assert sidecar["data_fingerprint"] == meta["data_fingerprint"] and len(sidecar["sha256"]) == 64
    assert set(sidecar["artefacts"]) == set(model_lib.ARTEFACTS)


def test_artefacts_are_built_with_the_model_from_the_train_and_test_splits(detector, corpus_rows):
    split = {r["id"]: r["split"] for r in corpus_rows}
    index = detector.artefact("retrieval")
    assert len(index) > 1000 and all(i["pattern"] in PATTERN_IDS and i["segment"] for i in index)
    practice = detector.artefact("practice")
    assert len(practice) > 200 and {split[q["id"]] for q in practice} == {"test"}


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
    with pytest.raises(UntrustedTypeError, match="not on the trusted list") as err:
        model_lib.load(model_copy)
    assert "Sneaky" in str(err.value)


def test_tampered_content_is_refused_by_checksum(model_copy):
    with zipfile.ZipFile(model_copy, "a") as zf:
        zf.writestr("extra.txt", "hello")
    with pytest.raises(ModelChecksumError, match="checksum"):
        model_lib.load(model_copy)


def test_an_edited_artefact_is_refused_by_checksum(model_copy):
    index = model_lib.artefact_path(model_copy, "retrieval")
    index.write_text(index.read_text(encoding="utf-8").replace("I ", "You ", 1), encoding="utf-8")
    with pytest.raises(ModelChecksumError, match="retrieval"):
        model_lib.load(model_copy)


def test_a_missing_artefact_says_how_to_build(model_copy):
    model_lib.artefact_path(model_copy, "practice").unlink()
    with pytest.raises(ModelMissingError, match="make setup"):
        model_lib.load(model_copy)


@pytest.mark.parametrize("damage", ["truncate", "random", "empty"])
def test_corrupted_file_gives_a_clear_error(model_copy, damage):
    data = model_copy.read_bytes()
    model_copy.write_bytes({"truncate": data[: len(data) // 3], "random": os.urandom(4096), "empty": b""}[damage])
    model_copy.with_suffix(".json").unlink()
    with pytest.raises(ModelFileError, match="rebuild"):
        model_lib.load(model_copy)


def test_cli_reports_a_corrupted_model_without_traceback(model_copy):
    model_copy.write_bytes(os.urandom(2048))
    model_copy.with_suffix(".json").unlink()
    res = subprocess.run([sys.executable, "-m", "classifier", "--model", str(model_copy), "check", "hello there"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2
    assert "error:" in res.stderr and "Traceback" not in res.stderr


def test_staleness_is_for_the_build_step_not_the_runtime(model_copy):
    trained = model_lib.load(model_copy)
    trained.meta["data_fingerprint"] = "0" * 64
    model_lib.save(trained, model_copy)
    assert is_stale(model_lib.load(model_copy))
    assert Detector.load(model_copy).analyze("hi there").is_clean  # loads as it is: the app never reads data/


def test_up_to_date_model_is_not_rebuilt(model_copy):
    res = subprocess.run([sys.executable, "-m", "classifier", "--model", str(model_copy), "train", "--if-needed"],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and "up to date" in res.stdout


def test_missing_model_says_how_to_build_it(tmp_path):
    with pytest.raises(ModelMissingError, match="no model file") as err:
        Detector.load(tmp_path / "nothing.skops")
    assert BUILD_HINT in str(err.value)


def test_app_shows_a_clear_error_for_a_random_bytes_model_and_never_trains(model_copy, tmp_path, monkeypatch):
    """A damaged copy (random bytes, its checksum file still beside it): a calm message saying how to rebuild."""
    from streamlit.testing.v1 import AppTest
    from support.app import APP, MODEL_ENV

    from classifier.training import train
    from ui import resources

    def no_training(*args, **kwargs):
        raise AssertionError("the app must never train")

    monkeypatch.setattr(train, "train", no_training)
    model_copy.write_bytes(os.urandom(64_000))
    monkeypatch.setenv(MODEL_ENV, str(model_copy))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.setattr(resources, "RETRY_SECONDS", 0.01)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    assert at.error and "can't be used" in at.error[0].value and "damaged" in at.error[0].value
    assert "make run" in at.error[0].value and "python -m classifier train" in at.error[0].value
    details = " ".join(c.value for c in at.caption)
    assert "checksum" in details and "Traceback" not in details and 'File "' not in details
    assert not any(t.key == "draft" for t in at.text_area)  # no checker without a usable model
    assert not at.button  # nothing to click that would train
