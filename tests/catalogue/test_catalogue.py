"""The pattern catalogue: shipped content and the loader's refusals of malformed entries."""
from __future__ import annotations

import copy
import re

import pytest
import yaml

from classifier.catalogue import (
    CATALOGUE_PATH,
    MIN_EXAMPLES,
    MIN_LOOK_ALIKES,
    PATTERN_IDS,
    CatalogueError,
    load_catalogue_file,
    parse_catalogue,
)

SLANG_OR_STYLE = re.compile(r"\b(lol|idk|tbh|ngl|u|ur|rn|omg|gonna|wanna|haha|jk|tho|fr)\b|[\U0001F300-\U0001FAFF]")


@pytest.fixture()
def raw():
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def test_all_eight_patterns_in_order(catalogue):
    assert tuple(catalogue) == PATTERN_IDS


@pytest.mark.parametrize("pid", PATTERN_IDS)
def test_entry_is_complete(catalogue, pid):
    p = catalogue[pid]
    assert len(p.examples) >= MIN_EXAMPLES and len(p.look_alikes) >= MIN_LOOK_ALIKES
    assert 2 <= len(p.sincere_moves) <= 4
    assert p.sources and all(s["cite"] for s in p.sources)
    assert re.search(r"\b(19|20)\d\d\b", p.why_it_backfires), "why_it_backfires cites published work by year"
    assert p.short.lower().startswith("this could read as") or "could" in p.short.lower(), "short lines are observations"
    for ex in p.examples:
        assert ex.phrase in ex.text and ex.rewrite.strip()
    assert {t.name for t in p.tones} >= {"warm", "direct"}


def test_examples_are_written_like_texts(catalogue):
    texts = [ex.text for p in catalogue.values() for ex in p.examples]
    styled = sum(1 for t in texts if t == t.lower() or SLANG_OR_STYLE.search(t))
    assert styled / len(texts) >= 0.5, "most examples read like real texting, not textbook sentences"


def test_missing_field_names_entry_and_field(raw):
    broken = copy.deepcopy(raw)
    del broken["patterns"][2]["why_it_backfires"]
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(broken)
    assert err.value.entry == "hot_cold" and err.value.field == "why_it_backfires"
    assert "hot_cold" in str(err.value) and "why_it_backfires" in str(err.value)


def test_phrase_not_in_text_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["patterns"][6]["examples"][3]["phrase"] = "words that are not in the example"
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(broken)
    assert err.value.entry == "ultimatum" and err.value.field == "examples[3].phrase"


def test_duplicate_id_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["patterns"].append(copy.deepcopy(broken["patterns"][0]))
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(broken)
    assert err.value.entry == "feigned_indifference" and err.value.field == "id"
    assert "duplicate" in str(err.value)


def test_too_few_look_alikes_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["patterns"][7]["look_alikes"] = broken["patterns"][7]["look_alikes"][:2]
    with pytest.raises(CatalogueError, match="gaslighting.*look_alikes"):
        parse_catalogue(broken)


def test_unknown_id_and_bad_yaml(tmp_path, raw):
    broken = copy.deepcopy(raw)
    broken["patterns"][0]["id"] = "love_bombing"
    with pytest.raises(CatalogueError, match="unknown pattern id"):
        parse_catalogue(broken)
    bad = tmp_path / "bad.yaml"
    bad.write_text("patterns: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue_file(bad)


def test_catalogue_rows_are_in_the_corpus(catalogue, corpus_rows):
    texts = {r["text"] for r in corpus_rows if r["source"] == "catalogue" and r["split"] == "train"}
    for p in catalogue.values():
        assert all(ex.text in texts for ex in p.examples)
        assert all(la.text in texts for la in p.look_alikes)


def test_readme_names_every_pattern_as_the_catalogue_does():
    from pathlib import Path

    from classifier import load_catalogue

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for pattern in load_catalogue().values():
        assert f"| {pattern.name} | `{pattern.id}` |" in readme, pattern.id
