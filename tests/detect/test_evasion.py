"""Evasion robustness: obfuscated catalogue examples stay flagged, obfuscated look-alikes stay clean.

The variants come from tests/evasion.py (deterministic and seeded). Figures go to test-output/evasion.json.
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
from support.evasion import SEED, TRANSFORMS, ZERO_WIDTH, Original, Variant, obfuscate, originals, variants

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "evasion.json"
BAR = 0.95  # every transform: at least this share of obfuscated examples keep their flag
CLEAN_BAR = 1.0  # every transform: obfuscated sincere look-alikes all stay clean


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch in ZERO_WIDTH or unicodedata.category(ch) == "Mn"


def _splits_a_word(text: str, start: int, end: int) -> bool:
    """A flag that starts or ends inside a word (or a spaced-out word) would highlight part of what was typed."""
    inside_start = 0 < start < len(text) and _wordish(text[start - 1]) and _wordish(text[start])
    inside_end = 0 < end < len(text) and _wordish(text[end - 1]) and _wordish(text[end])
    return inside_start or inside_end


@pytest.fixture(scope="module")
def results(detector, catalogue):
    base = originals(catalogue)
    original_analyses = dict(zip([o.key for o in base], detector.analyze_many([o.text for o in base]), strict=True))
    vs = variants(catalogue)
    analyses = list(detector.analyze_many([v.text for v in vs]))
    return base, original_analyses, list(zip(vs, analyses, strict=True))


def _rate(hit: int, total: int) -> float:
    return round(hit / total, 4) if total else 0.0


@pytest.fixture(scope="module")
def figures(results):
    base, original_analyses, pairs = results
    per = defaultdict(lambda: {"examples": 0, "examples_flagged": 0, "look_alikes": 0, "look_alikes_clean": 0})
    missed: list[dict] = []
    false_alarms: list[dict] = []
    offsets_bad: list[dict] = []
    outside_phrase: list[dict] = []
    split_words: list[dict] = []
    for v, a in pairs:
        o = v.original
        for f in a.flags:
            if v.text[f.start : f.end] != f.phrase or not 0 <= f.start < f.end <= len(v.text):
                offsets_bad.append({"key": o.key, "transform": v.transform, "flag": f.to_dict()})
            if _splits_a_word(v.text, f.start, f.end):
                split_words.append({"key": o.key, "transform": v.transform, "text": v.text, "phrase": f.phrase,
                                    "start": f.start, "end": f.end})
        row = per[v.transform]
        if o.kind == "example":
            if o.pattern not in original_analyses[o.key].patterns:
                continue  # count only originals the detector flags with their own pattern
            row["examples"] += 1
            own = [f for f in a.flags if f.pattern == o.pattern]
            if own:
                row["examples_flagged"] += 1
                ps, pe = v.phrase_span
                if not any(f.start < pe and f.end > ps for f in own):
                    outside_phrase.append({"key": o.key, "transform": v.transform, "text": v.text,
                                           "flags": [f.phrase for f in own], "phrase": v.phrase})
            else:
                missed.append({"key": o.key, "transform": v.transform, "text": v.text, "found": a.patterns})
        else:
            if original_analyses[o.key].flags:
                continue  # count only look-alikes the detector leaves clean
            row["look_alikes"] += 1
            if a.flags:
                false_alarms.append({"key": o.key, "transform": v.transform, "text": v.text, "found": a.patterns})
            else:
                row["look_alikes_clean"] += 1
    totals = {k: sum(r[k] for r in per.values()) for k in ("examples", "examples_flagged", "look_alikes", "look_alikes_clean")}
    examples = [o for o in base if o.kind == "example"]
    look_alikes = [o for o in base if o.kind == "look_alike"]
    data = {
        "seed": SEED,
        "transforms": list(TRANSFORMS),
        "originals": {
            "examples": len(examples),
            "examples_flagged_with_their_pattern": sum(o.pattern in original_analyses[o.key].patterns for o in examples),
            "look_alikes": len(look_alikes),
            "look_alikes_clean": sum(not original_analyses[o.key].flags for o in look_alikes),
        },
        "variants": len(pairs),
        "variants_flagged_same_pattern": {"count": totals["examples_flagged"], "of": totals["examples"],
                                          "rate": _rate(totals["examples_flagged"], totals["examples"])},
        "look_alike_variants_clean": {"count": totals["look_alikes_clean"], "of": totals["look_alikes"],
                                      "rate": _rate(totals["look_alikes_clean"], totals["look_alikes"])},
        "per_transform": {
            t: {"flagged_same_pattern": _rate(per[t]["examples_flagged"], per[t]["examples"]),
                "flagged_count": f"{per[t]['examples_flagged']}/{per[t]['examples']}",
                "look_alikes_clean": _rate(per[t]["look_alikes_clean"], per[t]["look_alikes"]),
                "clean_count": f"{per[t]['look_alikes_clean']}/{per[t]['look_alikes']}"}
            for t in TRANSFORMS
        },
        "bar": BAR,
        "transforms_below_bar": [t for t in TRANSFORMS
                                 if _rate(per[t]["examples_flagged"], per[t]["examples"]) < BAR
                                 or _rate(per[t]["look_alikes_clean"], per[t]["look_alikes"]) < BAR],
        "offsets": {"flags_checked": sum(len(a.flags) for _, a in pairs), "text_slice_mismatches": len(offsets_bad),
                    "own_flags_outside_the_obfuscated_phrase": len(outside_phrase),
                    "flags_splitting_a_word": len(split_words)},
        "missed": missed,
        "false_alarms": false_alarms,
        "outside_phrase": outside_phrase,
        "split_words": split_words[:50],
        "offset_mismatches": offsets_bad[:50],
    }
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nevasion: {data['variants_flagged_same_pattern']} flagged; {data['look_alike_variants_clean']} look-alikes clean; "
          f"per transform: { {t: v['flagged_same_pattern'] for t, v in data['per_transform'].items()} }")
    return data


# --- the generator itself ------------------------------------------------------------------------------------------


def test_generator_is_deterministic_and_covers_every_transform(catalogue):
    first, second = variants(catalogue), variants(catalogue)
    assert [v.text for v in first] == [v.text for v in second]
    assert {v.transform for v in first} == set(TRANSFORMS)
    assert [v.text for v in variants(catalogue, seed=SEED + 1)] != [v.text for v in first]
    for v in first:
        assert v.text != v.original.text
        if v.original.kind == "example":
            assert v.phrase != v.original.phrase  # the obfuscation lands inside the phrase that carries the pattern


@pytest.mark.parametrize("transform,check", [
    ("zero_width", lambda p: any(c in ZERO_WIDTH for c in p)),
    ("homoglyph", lambda p: any("CYRILLIC" in unicodedata.name(c, "") or "GREEK" in unicodedata.name(c, "") for c in p)),
    ("elongation", lambda p: any(p[k] == p[k + 1] == p[k + 2] == p[k + 3] for k in range(len(p) - 3))),
    ("spaced_letters", lambda p: any(len(w) == 1 for w in p.split()[1:-1]) and "  " not in p),
    ("leetspeak", lambda p: any(c.isdigit() for c in p)),
    ("mixed_case", lambda p: any(w[:2].isupper() or (len(w) > 2 and w[0].isupper() and w[1].islower() and w[2].isupper())
                                 for w in p.split())),
    ("punctuation", lambda p: any(s in p for s in ("!!", "...", "?!", "!?", "..", ",,"))),
    ("dotted_letters", lambda p: any(len(w) >= 5 and (w[1::2] == "." * len(w[1::2]) or w[1::2] == "-" * len(w[1::2]))
                                     for w in p.split())),
    ("all_caps", lambda p: any(len(w) >= 3 and w.isupper() for w in p.split())),
])
def test_each_transform_does_what_it_says(transform, check):
    original = Original("t/example/01", "ultimatum", "example", "ok so listen. reply to me by tonight or im deleting "
                        "every photo we ever took, seriously", "reply to me by tonight or im deleting every photo we ever took")
    v: Variant = obfuscate(original, transform)
    assert v.text.startswith("ok so listen. ") and v.text.endswith(", seriously")
    assert check(v.phrase), (transform, v.phrase)


# --- the detector against the variants -----------------------------------------------------------------------------


def test_obfuscated_examples_keep_their_flag(figures):
    rate = figures["variants_flagged_same_pattern"]["rate"]
    assert figures["variants_flagged_same_pattern"]["of"] >= 500
    weak = {t: v["flagged_count"] for t, v in figures["per_transform"].items() if v["flagged_same_pattern"] < BAR}
    assert not weak, f"transforms that defeat the detector (bar {BAR:.0%}): {weak}; overall {rate:.1%}"


def test_obfuscated_look_alikes_stay_clean(figures):
    rate = figures["look_alike_variants_clean"]["rate"]
    assert figures["look_alike_variants_clean"]["of"] >= 400
    weak = {t: v["clean_count"] for t, v in figures["per_transform"].items() if v["look_alikes_clean"] < CLEAN_BAR}
    assert not weak, f"transforms that make sincere messages look like tactics: {weak}; overall {rate:.1%}"


def test_offsets_point_into_the_obfuscated_text(figures):
    offsets = figures["offsets"]
    assert offsets["flags_checked"] >= 500
    assert offsets["text_slice_mismatches"] == 0, figures["offset_mismatches"]
    assert offsets["own_flags_outside_the_obfuscated_phrase"] == 0, figures["outside_phrase"]


def test_flags_never_cut_a_word_in_two(figures):
    """A flag ending on an elongated word covers all of it ("at alllllll"), not just the letters normalization kept."""
    assert figures["offsets"]["flags_splitting_a_word"] == 0, figures["split_words"]


def test_fresh_drafts_are_not_in_the_corpus(corpus_rows):
    from support.evasion import FRESH_DRAFTS

    corpus = {r["text"].lower() for r in corpus_rows}
    assert not [t for _, t, _ in FRESH_DRAFTS if t.lower() in corpus]
