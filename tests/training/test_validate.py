"""The corpus validator: it passes on the shipped corpus and refuses broken rows by name."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from classifier.paths import ROOT
from classifier.training import card
from classifier.training.corpus import CATALOGUE_ROWS, catalogue_rows
from classifier.training.validate import V2_QUOTAS, validate


def test_corpus_passes_with_every_figure_met(corpus_rows):
    report = validate(corpus_rows)
    assert report.errors == []
    failed = [name for name, passed, _ in report.checks if not passed]
    assert failed == [], report.summary()
    names = {name for name, _, _ in report.checks}
    assert {"rows", "positives per pattern", "two-pattern positives", "hard negatives per pattern", "neutral",
            "test split", "all-lowercase rows", "rows with emoji", "stock phrases", "near-duplicates",
            "cue balance", "stock frames", "v2 or_choice", "v2 sms_speak positives per pattern",
            "v2 off_frame positives per pattern"} <= names


def test_catalogue_export_is_in_sync():
    shipped = [json.loads(line) for line in CATALOGUE_ROWS.read_text(encoding="utf-8").splitlines()]
    assert shipped == catalogue_rows(), "run `python -m classifier data export-catalogue`"


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
    ok = subprocess.run([sys.executable, "-m", "classifier", "data", "validate", str(good)], capture_output=True, text=True,
                        cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    sample[0]["kind"] = "maybe"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "classifier", "data", "validate", str(bad)], capture_output=True, text=True,
                         cwd=ROOT)
    assert res.returncode == 1 and sample[0]["id"] in res.stdout


def _row(rid, text, kind="neutral", pattern=None, phrase=None, tags=()):
    return {"id": rid, "text": text, "patterns": [pattern] if pattern else [],
            "phrases": {pattern: [phrase or text]} if pattern else {}, "rewrite": "plain words" if pattern else "",
            "kind": kind, "context": "friend", "split": "train", "group": rid,
            "look_alike_of": None, "source": "hand", "tags": list(tags)}


def test_cue_balance_names_the_cue_and_pattern():
    rows = [_row(f"u{i}", f"pay me back {i} quid or else", "positive", "ultimatum") for i in range(24)]
    rows += [_row(f"n{i}", f"lunch at {i} in the square") for i in range(40)]
    report = validate(rows, partial=True)
    failed = [d for name, ok, d in report.checks if name == "cue balance" and not ok]
    assert failed and "P(ultimatum | 'or') 1.00 > 0.75" in failed[0]
    assert "'or' in 100.0% of ultimatum positives > 3 x 0.0% of negatives" in failed[0]


def test_cue_balance_passes_when_negatives_share_the_cue():
    rows = [_row(f"u{i}", f"pay me back {i} quid or else", "positive", "ultimatum") for i in range(4)]
    rows += [_row(f"n{i}", f"tea or coffee at {i}?") for i in range(40)]
    report = validate(rows, partial=True)
    assert [ok for name, ok, _ in report.checks if name == "cue balance"] == [True]


def test_stock_frame_over_a_fifth_of_a_pattern_fails():
    rows = [_row(f"u{i}", f"call me back tonight number {i} or i'll come round", "positive", "ultimatum")
            for i in range(3)]
    rows += [_row(f"v{i}", f"last chance number {i}, after sunday i stop asking", "positive", "ultimatum")
             for i in range(7)]
    report = validate(rows, partial=True)
    failed = [d for name, ok, d in report.checks if name == "stock frames" and not ok]
    assert failed and "30.0% of ultimatum positives" in failed[0]


def test_v2_quotas_are_counted(corpus_rows):
    without = [r for r in corpus_rows if "or_choice" not in r.get("tags", [])]
    report = validate(without)
    quota = [(ok, d) for name, ok, d in report.checks if name == "v2 or_choice"]
    assert quota == [(False, f"0 neutral rows (>= {V2_QUOTAS['or_choice'][1]})")]
    assert not report.ok


def test_unknown_tag_is_named():
    row = _row("t1", "see you at the gym later", tags=["gossip"])
    assert any("t1" in e and "tags" in e for e in validate([row], partial=True).errors)


def test_data_card_figures_are_regenerated_from_the_data(corpus_rows):
    text = card.CARD_PATH.read_text(encoding="utf-8")
    start, end = text.index(card.CARD_BEGIN), text.index(card.CARD_END) + len(card.CARD_END)
    assert text[start:end] == card.card_block(corpus_rows), "run `python -m classifier data card`"
