"""The corpus validator: it passes on the shipped corpus and refuses broken rows by name."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from classifier.data import CATALOGUE_ROWS, catalogue_rows, validate

ROOT = CATALOGUE_ROWS.parent.parent.parent


def test_corpus_passes_with_every_figure_met(corpus_rows):
    report = validate(corpus_rows)
    assert report.errors == []
    failed = [name for name, passed, _ in report.checks if not passed]
    assert failed == [], report.summary()
    names = {name for name, _, _ in report.checks}
    assert {"rows", "positives per pattern", "two-pattern positives", "hard negatives per pattern", "neutral",
            "test split", "all-lowercase rows", "rows with emoji", "stock phrases", "near-duplicates"} <= names


def test_catalogue_export_is_in_sync():
    shipped = [json.loads(line) for line in CATALOGUE_ROWS.read_text(encoding="utf-8").splitlines()]
    assert shipped == catalogue_rows(), "run `python -m classifier.data export-catalogue`"


@pytest.fixture()
def sample(corpus_rows):
    positives = [r for r in corpus_rows if r["kind"] == "positive" and r["source"] == "hand"]
    return copy.deepcopy(positives[:40] + [r for r in corpus_rows if r["kind"] == "neutral"][:20])


def test_phrase_not_in_text_is_named(sample):
    sample[3]["phrases"][sample[3]["patterns"][0]] = ["this phrase is nowhere"]
    report = validate(sample, partial=True)
    assert any(sample[3]["id"] in e and "not an exact substring" in e for e in report.errors)


def test_unknown_pattern_is_named(sample):
    sample[5]["patterns"] = ["love_bombing"]
    sample[5]["phrases"] = {"love_bombing": [sample[5]["text"][:5]]}
    report = validate(sample, partial=True)
    assert any(sample[5]["id"] in e and "unknown pattern id" in e for e in report.errors)


def test_group_across_splits_is_named(sample):
    sample[7]["split"], sample[8]["split"] = "train", "test"
    sample[8]["group"] = sample[7]["group"]
    report = validate(sample, partial=True)
    assert any(sample[7]["group"] in e and "spans splits" in e for e in report.errors)


def test_near_duplicate_is_named(sample):
    twin = copy.deepcopy(sample[10])
    twin["id"], twin["group"] = "twin-1", "twin-g1"
    twin["text"] = twin["text"] + " ok"
    report = validate(sample + [twin], partial=True)
    assert any("twin-1" in e and sample[10]["id"] in e and "near-duplicates" in e for e in report.errors)


def test_cli_exit_codes(tmp_path, sample):
    good = tmp_path / "good.jsonl"
    good.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    ok = subprocess.run([sys.executable, "-m", "classifier.data", "validate", str(good)], capture_output=True, text=True,
                        cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    sample[0]["kind"] = "maybe"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "classifier.data", "validate", str(bad)], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 1 and sample[0]["id"] in res.stdout
