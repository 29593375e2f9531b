"""The lean scorer gives the same features and probabilities as the fitted scikit-learn pipeline."""
from __future__ import annotations

import numpy as np

from classifier.detect.fastpath import LinearScorer
from classifier.detect.features import unit_table
from classifier.text.pipeline import process


def test_matches_the_pipeline(detector, corpus_rows):
    pipeline = detector.model.pipeline
    texts = [r["text"] for r in corpus_rows[::25]] + ["😭😭 ok", "Тhis is nоt wh4t u said!!!", "a"]
    units = [u for t in texts for u in process(t)[2]]
    table = unit_table(units)
    scorer = LinearScorer.from_pipeline(pipeline)
    expected = pipeline.named_steps["features"].transform(table)
    got = scorer.transform(table)
    assert got.shape == expected.shape
    assert abs(got - expected).max() < 1e-12
    assert np.allclose(scorer.predict_proba(got), pipeline.predict_proba(table), atol=1e-9)


def test_the_runtime_file_scorers_match_the_fitted_pipelines(model_path, corpus_rows):
    """What the app loads (plain arrays) gives the fitted pipelines' numbers: the detector's scorer and the
    relationship scorer."""
    from classifier.rewrite.relationship import RelationshipScorer
    from classifier.training import store

    trained = store.load(model_path)
    texts = [r["text"] for r in corpus_rows[::40]] + ["😭😭 ok", "hi mum", "", "a b"]
    table = unit_table([u for t in texts for u in process(t)[2]])
    runtime = LinearScorer.from_arrays(LinearScorer.from_pipeline(trained.pipeline).to_arrays())
    assert np.allclose(runtime.predict_proba(runtime.transform(table)), trained.pipeline.predict_proba(table), atol=1e-9)
    scorer = RelationshipScorer.from_arrays(RelationshipScorer.from_pipeline(trained.relationship).to_arrays())
    assert list(scorer.classes_) == list(trained.relationship.classes_)
    assert np.allclose(scorer.predict_proba(texts), trained.relationship.predict_proba(texts), atol=1e-9)
