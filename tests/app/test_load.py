"""Load (slow): a bounded batch scan keeps constant memory, and concurrent sessions each get their own right answer.

The full 200,000-line run is `python benchmarks/load.py` (reports/load.json and reports/load.md).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.app import ROOT, usable_model

from benchmarks.load import (
    concurrent_checks,
    concurrent_sessions,
    make_jsonl,
    private_copy,
    run_scan,
    session_drafts,
)

pytestmark = pytest.mark.slow

CHECKPOINT, LINES = 10_000, 40_000
GROWTH_LIMIT = 0.25  # after the checkpoint, RSS may grow by at most a quarter of what it was there
OUT = ROOT / "test-output" / "load_bounded.json"


def test_scan_memory_stays_flat(tmp_path):
    source = make_jsonl(tmp_path / "in.jsonl", LINES)
    run = run_scan(source, tmp_path / "out.jsonl", LINES, model=private_copy(usable_model(), tmp_path),
                   checkpoint=CHECKPOINT)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({k: v for k, v in vars(run).items() if k != "samples"}, indent=2), encoding="utf-8")
    assert run.returncode == 0, run.stderr_tail
    assert run.output_lines == LINES
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    assert [r["id"] for r in records] == ["r0000000", "r0000001", "r0000002"]
    assert run.messages_per_second and run.messages_per_second > 0
    assert run.rss_peak_at_checkpoint_mb is not None and len(run.samples) >= 5
    limit = GROWTH_LIMIT * run.rss_peak_at_checkpoint_mb  # a ratio to this run's own baseline, not fixed megabytes
    assert run.growth_mb < limit, f"peak RSS grew {run.growth_mb} MB from line {CHECKPOINT:,} to {LINES:,}"
    assert run.steady_growth_mb < limit, f"RSS grew {run.steady_growth_mb} MB after line {CHECKPOINT:,}"


def test_ten_concurrent_sessions_each_get_their_own_result():
    drafts = session_drafts(10)
    assert len(set(drafts)) == 10
    results = concurrent_sessions(drafts, usable_model())
    assert [r.draft for r in results] == drafts
    flagged = sum(bool(r.expected_patterns) for r in results)
    assert 5 <= flagged < 10  # a mix of flagged and sincere drafts
    for r in results:
        assert r.error is None, r.error
        assert r.box == r.draft and r.draft_shown  # its own draft, nobody else's
        assert r.shown_patterns == r.expected_patterns, (r.draft, r.shown_patterns, r.expected_patterns)
        assert ("could make this read as a tactic" in r.verdict) == bool(r.expected_patterns), r.verdict
        assert r.correct


def test_ten_threads_checking_at_once_get_serial_results():
    figures = concurrent_checks(session_drafts(10), usable_model(), rounds=3)
    assert figures["errors"] == [] and figures["mismatches"] == []
    assert figures["checks"] == 10 * 3 * 2 and figures["correct"]


def test_benchmark_report_is_complete():
    """The full run's report, when present, carries every figure the issue asks for."""
    path = ROOT / "reports" / "load.json"
    if not path.exists():
        pytest.skip("run `python benchmarks/load.py` to produce reports/load.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    scan = data["scan"]
    assert scan["lines"] >= 200_000 and scan["output_lines"] == scan["lines"]
    for key in ("scan_seconds", "messages_per_second", "rss_peak_at_checkpoint_mb", "rss_peak_mb", "growth_mb"):
        assert scan[key] is not None, key
    assert scan["growth_mb"] < data["growth_limit_mb"]
    assert all(r["correct"] for r in data["sessions"]["results"]) and data["parallel_checks"]["correct"]
    assert (Path(path).with_suffix(".md")).exists()
