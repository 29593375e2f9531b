"""Same input, same output: the test split's flags and rewrites equal the recorded golden file.

The file was recorded before the code was re-housed into subpackages and checked equal to the old code's output
(reports/rehousing.md); a deliberate change re-records it with `python -m classifier.evaluation.golden write`.
"""
from __future__ import annotations

from pathlib import Path

from classifier.evaluation import golden

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "golden_test_split.jsonl.gz"


def test_test_split_flags_and_rewrites_match_the_golden_file(detector, rewriter, corpus_rows):
    expected = golden.read(FIXTURE)
    rows = [r for r in corpus_rows if r["split"] == "test"]
    assert len(expected) == len(rows) > 1500
    diff = golden.compare(expected, golden.records(detector, rewriter, rows))
    assert diff["only_before"] == diff["only_after"] == []
    assert diff["flags_differ"] == [], "flags changed"
    assert diff["suggestions_differ"] == [], "alternatives changed"
    assert diff["whole_differ"] == [], "whole-message rewrites changed"


def test_compare_reports_what_changed():
    before = [{"id": "a", "flags": [], "suggestions": [], "whole": None},
              {"id": "b", "flags": [["ultimatum", 0, 4, 0.9, "likely", []]], "suggestions": [], "whole": "x"}]
    after = [dict(before[0]), dict(before[1], whole="y"), {"id": "c", "flags": [], "suggestions": [], "whole": None}]
    diff = golden.compare(before, after)
    assert diff["whole_differ"] == ["b"] and diff["flags_differ"] == [] and diff["only_after"] == ["c"]
