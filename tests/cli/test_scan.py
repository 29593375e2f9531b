"""Batch scanning: JSON Lines and CSV in, JSON Lines out; bad lines are reported and skipped, never fatal."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from classifier import MAX_CHARS
from classifier.catalogue import PATTERN_IDS
from classifier.cli.scan import scan

ROOT = Path(__file__).resolve().parents[2]


def test_bad_lines_are_reported_and_the_rest_processed(detector, catalogue, tmp_path):
    ex = catalogue["gaslighting"].examples[0]
    lines = [
        json.dumps({"id": 1, "text": ex.text}),
        "{not json",
        json.dumps({"id": 2}),
        json.dumps({"text": "no id here"}),
        json.dumps({"id": 3, "text": "see you at 7 for dinner?"}),
        json.dumps({"id": 4, "text": "x" * (MAX_CHARS + 1)}),
        "",
        json.dumps({"id": "five", "text": ""}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    stats = scan(detector, source, out, errors=err, progress=False)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == [1, 3, 4, "five"]
    assert stats["messages"] == 4 and stats["bad_lines"] >= 3
    messages = err.getvalue()
    assert "in.jsonl:2: invalid JSON" in messages and "in.jsonl:3:" in messages and "in.jsonl:4:" in messages
    assert "gaslighting" in records[0]["patterns"]
    assert set(records[0]["scores"]) == set(PATTERN_IDS)
    for flag in records[0]["flags"]:
        assert ex.text[flag["start"]:flag["end"]] == flag["phrase"]
        assert set(flag) == {"pattern", "start", "end", "phrase", "score"}
    assert records[1]["patterns"] == [] and "error" in records[2]


def test_csv_input_through_the_cli(tmp_path):
    source = tmp_path / "drafts.csv"
    source.write_text('id,text\na,"fine, do whatever you want, i don\'t care anymore"\nb,"pizza tonight?"\n,"no id"\n',
                      encoding="utf-8")
    target = tmp_path / "out.jsonl"
    res = subprocess.run([sys.executable, "-m", "classifier", "scan", str(source), "-o", str(target)],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    records = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert "drafts.csv:4: missing 'id' or 'text'" in res.stderr
    assert "scanned 2 messages" in res.stderr
