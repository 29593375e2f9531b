"""The model file: skops with an explicit trusted-type list, a checksummed JSON sidecar, and the artefacts built with
the model (the rewriter's retrieval index, the practice set) stored beside it, each checksummed too."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..catalogue import PATTERN_IDS
from ..detect.fastpath import LinearScorer, terms_of
from ..detect.features import NUMERIC_NAMES, TEXT_COLUMNS, ModelConfig, unit_table
from ..errors import (
    ModelChecksumError,
    ModelFileError,
    ModelMissingError,
    ModelUnreadableError,
    StaleModelError,
    UntrustedTypeError,
)
from ..paths import MODEL_PATH
from ..rewrite.relationship import RelationshipScorer

if TYPE_CHECKING:
    from ..text.pipeline import Unit

FORMAT_VERSION = 6  # 6: the runtime file; 5: the relationship model; 4: analyzers under classifier.detect, artefacts beside the model
# The input layout the pipeline was fitted on; a model saved with another layout is stale.
FEATURE_SCHEMA = hashlib.sha256(repr((FORMAT_VERSION, TEXT_COLUMNS, NUMERIC_NAMES)).encode()).hexdigest()[:16]

# JSON data built from the corpus at training time, so that nothing at run time reads the corpus.
ARTEFACTS = ("retrieval", "practice")

# Every type the model file may contain. Anything else in a file is refused before it is loaded.
TRUSTED_TYPES = [
    "builtins.slice",
    "classifier.detect.features.CharNgrams",
    "classifier.detect.features.WordNgrams",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.multiclass.OneVsRestClassifier",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.MaxAbsScaler",
    "sklearn.preprocessing._label.LabelBinarizer",
    "sklearn.utils._bunch.Bunch",
]


@dataclass
class TrainedModel:
    """The fitted pipeline with its per-pattern thresholds and provenance."""

    pipeline: Any
    thresholds: dict[str, float]
    config: ModelConfig
    meta: dict[str, Any] = field(default_factory=dict)
    likely_thresholds: dict[str, float] = field(default_factory=dict)  # score from which a flag is called "likely"
    artefacts: dict[str, Any] = field(default_factory=dict)  # JSON data built with the model (see ARTEFACTS)
    relationship: Any = None  # who a draft is to: a small text pipeline (rewrite/relationship.py)

    def unit_scores(self, units: list[Unit]) -> np.ndarray:
        if not units:
            return np.zeros((0, len(PATTERN_IDS)))
        return self.pipeline.predict_proba(unit_table(units))

    @property
    def scorer(self) -> LinearScorer:
        """The fitted pipeline's numbers as the detector's fast scorer."""
        return LinearScorer.from_pipeline(self.pipeline)

    @property
    def relationship_scorer(self) -> RelationshipScorer | None:
        return None if self.relationship is None else RelationshipScorer.from_pipeline(self.relationship)


@dataclass
class RuntimeModel:
    """What the app and the CLI run with: the fast scorer and the relationship scorer as plain arrays, thresholds and
    provenance (RUNTIME file, no scikit-learn or skops needed to load it). `pipeline` loads the full skops model on
    first use, for evaluation."""

    path: Path
    scorer: LinearScorer
    relationship_scorer: RelationshipScorer | None
    thresholds: dict[str, float]
    likely_thresholds: dict[str, float]
    config: ModelConfig
    meta: dict[str, Any]
    artefact_sums: dict[str, str]
    _artefacts: dict[str, Any] = field(default_factory=dict, repr=False)
    _full: TrainedModel | None = field(default=None, repr=False)

    @property
    def artefacts(self) -> dict[str, Any]:
        """The JSON artefacts, each read (and checked against its checksum) the first time it is needed."""
        for name in ARTEFACTS:
            if name not in self._artefacts:
                self._artefacts[name] = _load_artefact(self.path, name, self.artefact_sums.get(name))
        return self._artefacts

    @property
    def pipeline(self):
        if self._full is None:
            self._full = load(self.path)
        return self._full.pipeline

    @property
    def relationship(self):
        return self.relationship_scorer


def _vectorizers(pipeline, relationship=None) -> dict[str, Any]:
    """Every fitted TF-IDF vectorizer in the model, by a stable name."""
    found = {name: t for name, t, _ in pipeline.named_steps["features"].transformers_ if hasattr(t, "idf_")}
    if relationship is not None:
        found["relationship_words"] = relationship.named_steps["words"]
    return found


def save(model: TrainedModel, path: Path = MODEL_PATH) -> Path:
    """Write the model with skops, plus a sidecar JSON holding its checksum and provenance."""
    import skops.io as sio

    path.parent.mkdir(parents=True, exist_ok=True)
    # skops writes a dict entry by entry into its JSON schema (100 MB, 10 s to load for our vocabularies), so the
    # vocabularies travel as one array of terms each and are put back on load.
    vectorizers = _vectorizers(model.pipeline, model.relationship)
    saved = {name: v.vocabulary_ for name, v in vectorizers.items()}
    vocabularies = {name: np.array(terms_of(vocab)) for name, vocab in saved.items()}
    for v in vectorizers.values():
        del v.vocabulary_
        v.stop_words_ = None  # pruned terms: introspection only
    payload = {"pipeline": model.pipeline, "relationship": model.relationship, "vocabularies": vocabularies, "thresholds": dict(model.thresholds),
               "likely_thresholds": dict(model.likely_thresholds), "config": model.config.to_dict(), "meta": dict(model.meta)}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # unique: two processes may rebuild at once
    try:
        sio.dump(payload, tmp)
    finally:
        for name, v in vectorizers.items():
            v.vocabulary_ = saved[name]
    artefact_sums = {}
    for name in ARTEFACTS:
        blob = json.dumps(model.artefacts.get(name, []), ensure_ascii=False, sort_keys=True).encode("utf-8")
        artefact_sums[name] = hashlib.sha256(blob).hexdigest()
        tmp_artefact = tmp.with_suffix(f".{name}.tmp")
        tmp_artefact.write_bytes(blob)
        tmp_artefact.replace(artefact_path(path, name))
    runtime_sum = _save_runtime(model, runtime_path(path), tmp)
    sidecar = {"sha256": hashlib.sha256(tmp.read_bytes()).hexdigest(), "artefacts": artefact_sums,
               "runtime_sha256": runtime_sum, **model.meta, "thresholds": model.thresholds}
    tmp_sidecar = tmp.with_suffix(".json.tmp")
    tmp_sidecar.write_text(json.dumps(sidecar, indent=2, sort_keys=True), encoding="utf-8")
    tmp_sidecar.replace(path.with_suffix(".json"))
    tmp.replace(path)
    return path


def model_files(path: Path) -> list[Path]:
    """Every file that makes up the model at `path`: the skops file, its sidecar, the runtime file, the artefacts."""
    return [path, path.with_suffix(".json"), runtime_path(path)] + [artefact_path(path, name) for name in ARTEFACTS]


def runtime_path(path: Path) -> Path:
    """The runtime file beside the model: detector.skops -> detector.runtime.npz."""
    return path.with_suffix(".runtime.npz")


def _save_runtime(model: TrainedModel, target: Path, tmp: Path) -> str:
    """Write the runtime file (plain arrays, loaded with allow_pickle=False) and return its sha256."""
    arrays = model.scorer.to_arrays()
    if model.relationship is not None:
        arrays.update(model.relationship_scorer.to_arrays())
    settings = {"thresholds": model.thresholds, "likely_thresholds": model.likely_thresholds,
                "config": model.config.to_dict(), "meta": model.meta, "patterns": list(PATTERN_IDS)}
    arrays["settings"] = np.frombuffer(json.dumps(settings, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    tmp_runtime = tmp.with_suffix(".runtime.tmp.npz")
    np.savez(tmp_runtime, **arrays)
    digest = _sha256(tmp_runtime)
    tmp_runtime.replace(target)
    return digest


def load_runtime(path: Path = MODEL_PATH) -> RuntimeModel:
    """The model as the app and CLI run it, from the runtime file beside the skops file, checked against the
    checksum recorded at training time. Raises ModelFileError like `load`."""
    path = Path(path)
    sidecar = verify(path, check_model_bytes=False)
    file = runtime_path(path)
    if not file.exists():
        raise ModelMissingError(file)
    expected = sidecar.get("runtime_sha256")
    if not expected or _sha256(file) != expected:
        raise ModelChecksumError(f"{file.name} does not match the checksum recorded with the model: it was changed or "
                                 "corrupted after training. Rebuild the model from data/.")
    try:
        with np.load(file, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        settings = json.loads(arrays["settings"].tobytes().decode("utf-8"))
        if settings["meta"].get("format") != FORMAT_VERSION or settings["patterns"] != list(PATTERN_IDS):
            raise StaleModelError(f"{file.name} was built by another version of Sincerely; rebuild it with "
                                  "`python -m classifier train`")
        config = ModelConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in settings["config"].items()})
        relationship = RelationshipScorer.from_arrays(arrays) if "rel_terms" in arrays else None
        return RuntimeModel(path, LinearScorer.from_arrays(arrays), relationship, dict(settings["thresholds"]),
                            dict(settings["likely_thresholds"]), config, dict(settings["meta"]),
                            dict(sidecar.get("artefacts", {})))
    except ModelFileError:
        raise
    except Exception as exc:
        raise ModelUnreadableError(f"{file.name} could not be read ({type(exc).__name__}); rebuild the model") from exc


def copy_model(path: Path, folder: Path) -> Path:
    """Copy the model and the files that come with it into `folder`; returns the copy's path."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for file in model_files(path):
        if file.exists():
            shutil.copy(file, folder / file.name)
    return folder / path.name


def verify(path: Path, check_model_bytes: bool = True) -> dict[str, Any]:
    """The model file's sidecar, after checking that the file exists and matches its recorded checksum (fast: no
    model code is imported). Raises ModelMissingError, ModelUnreadableError or ModelChecksumError."""
    path = Path(path)
    if not path.exists():
        raise ModelMissingError(path)
    sidecar_path = path.with_suffix(".json")
    sidecar: dict[str, Any] = {}
    if sidecar_path.exists():
        try:
            sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
            expected = sidecar.get("sha256")
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
            raise ModelUnreadableError(f"the model's checksum file {sidecar_path.name} is unreadable; "
                                       "rebuild the model") from exc
        if check_model_bytes and expected and expected != _sha256(path):
            raise ModelChecksumError(f"{path.name} does not match its recorded checksum: it was changed or corrupted "
                                     "after training. Refusing to load it; rebuild the model from data/.")
    return sidecar


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def artefact_path(path: Path, name: str) -> Path:
    """Where an artefact built with the model at `path` lives: detector.skops -> detector.retrieval.json."""
    return path.with_suffix(f".{name}.json")


def load(path: Path = MODEL_PATH) -> TrainedModel:
    """Load a model file and its artefacts, refusing anything corrupted, tampered with or carrying untrusted types."""
    import skops.io as sio

    path = Path(path)
    sidecar = verify(path)
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a truncated or random file fails inside zip/json parsing in many ways
        raise ModelUnreadableError(f"{path.name} is not a readable model file ({type(exc).__name__}); "
                                   "rebuild it from data/") from exc
    unexpected = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if unexpected:
        raise UntrustedTypeError(path.name, unexpected)
    try:
        payload = sio.load(path, trusted=TRUSTED_TYPES)
    except Exception as exc:
        raise ModelUnreadableError(f"{path.name} could not be loaded ({type(exc).__name__}: {exc}); "
                                   "rebuild it from data/") from exc
    if not isinstance(payload, dict) or payload.get("meta", {}).get("format") != FORMAT_VERSION \
            or "vocabularies" not in payload:
        raise StaleModelError(f"{path.name} was built by another version of Sincerely; rebuild it with "
                              "`python -m classifier train`")
    try:
        for name, v in _vectorizers(payload["pipeline"], payload.get("relationship")).items():
            v.vocabulary_ = {str(term): i for i, term in enumerate(payload["vocabularies"][name])}
        config = ModelConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in payload["config"].items()})
        model = TrainedModel(payload["pipeline"], dict(payload["thresholds"]), config, dict(payload["meta"]),
                             dict(payload["likely_thresholds"]), relationship=payload.get("relationship"))
    except Exception as exc:
        raise ModelUnreadableError(f"{path.name} could not be loaded ({type(exc).__name__}: {exc}); "
                                   "rebuild it from data/") from exc
    model.artefacts = {name: _load_artefact(path, name, sidecar.get("artefacts", {}).get(name)) for name in ARTEFACTS}
    return model


def _load_artefact(path: Path, name: str, expected: str | None) -> Any:
    file = artefact_path(path, name)
    if not file.exists():
        raise ModelMissingError(file)
    blob = file.read_bytes()
    if expected is None or hashlib.sha256(blob).hexdigest() != expected:
        raise ModelChecksumError(f"{file.name} does not match the checksum recorded with the model: it was changed "
                                 "or corrupted after training. Rebuild the model from data/.")
    try:
        return json.loads(blob.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelUnreadableError(f"{file.name} is not readable JSON; rebuild the model from data/") from exc
