"""Scale: `scan --jobs N` and `scan --engine dask` write exactly what the one-process scan writes, in input order."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import MAX_CHARS
from classifier.cli.scan import BATCH_LINES, scan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def big_input(tmp_path_factory, corpus_rows) -> Path:
    """About 4 batches of real corpus texts with bad lines, an over-long text and repeated ids mixed in."""
    path = tmp_path_factory.mktemp("scale") / "in.jsonl"
    lines = []
    for k, row in enumerate(corpus_rows[: 4 * BATCH_LINES + 37]):
        lines.append(json.dumps({"id": k, "text": row["text"]}, ensure_ascii=False))
        if k % 301 == 7:
            lines.append("{not json")
    lines.insert(500, json.dumps({"id": "long", "text": "x" * (MAX_CHARS + 1)}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jobs_output_is_identical_and_ordered(detector, big_input):
    one, many = io.StringIO(), io.StringIO()
    errors_one, errors_many = io.StringIO(), io.StringIO()
    stats_one = scan(detector, big_input, one, errors=errors_one, progress=False, jobs=1)
    stats_many = scan(detector, big_input, many, errors=errors_many, progress=False, jobs=2)
    assert one.getvalue() == many.getvalue()
    ids = [json.loads(line)["id"] for line in many.getvalue().splitlines()]
    assert ids[:3] == [0, 1, 2] and "long" in ids and len(ids) == stats_many["messages"] == stats_one["messages"]
    assert stats_many["bad_lines"] == stats_one["bad_lines"] >= 4
    assert sorted(errors_one.getvalue().splitlines()) == sorted(errors_many.getvalue().splitlines())
    assert stats_many["jobs"] == 2


def test_dask_engine_on_a_local_cluster_matches_the_plain_scan(detector, model_path, big_input, tmp_path):
    pytest.importorskip("dask.distributed", reason="install requirements-dask.txt (make setup does)")
    from classifier.cli.distributed import dask_scan

    plain = io.StringIO()
    scan(detector, big_input, plain, errors=io.StringIO(), progress=False)
    merged = tmp_path / "dask.jsonl"
    stats = dask_scan(str(big_input), str(merged), model_path, workers=2, block_bytes=30_000)
    assert stats["partitions"] >= 3 and stats["jobs"] == 2  # really split, really two workers
    got, expected = merged.read_text(encoding="utf-8").splitlines(), plain.getvalue().splitlines()
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        assert a == b
    folder = tmp_path / "parts"
    dask_scan(str(big_input), str(folder) + "/", model_path, workers=2, block_bytes=30_000)
    parts = sorted(folder.glob("part-*.jsonl"))
    assert len(parts) == stats["partitions"]
    assert "".join(p.read_text(encoding="utf-8") for p in parts).splitlines() == expected


def test_cli_jobs_and_engine_flags(model_path, big_input, tmp_path):
    out = tmp_path / "out.jsonl"
    res = subprocess.run([sys.executable, "-m", "classifier", "--model", str(model_path), "scan", str(big_input),
                          "-o", str(out), "--jobs", "2"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    assert "with 2 workers" in res.stderr and len(out.read_text(encoding="utf-8").splitlines()) > 4 * BATCH_LINES
