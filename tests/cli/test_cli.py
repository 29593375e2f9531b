"""The command line: every subcommand has --help; check prints human and JSON output."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "classifier", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin)


@pytest.mark.parametrize("command", ["train", "evaluate", "check", "scan", "rewrite", "rewrite-report", "ab"])
def test_help(command):
    res = run(command, "--help")
    assert res.returncode == 0 and "usage:" in res.stdout


def test_check_human_and_json(detector, catalogue):
    ex = catalogue["ultimatum"].examples[1]
    human = run("check", ex.text)
    assert human.returncode == 0 and "could make this read as a tactic" in human.stdout and "Ultimatum" in human.stdout
    machine = run("check", "--json", stdin=ex.text)
    data = json.loads(machine.stdout)
    assert "ultimatum" in data["patterns"]
    for f in data["flags"]:
        assert ex.text[f["start"]:f["end"]] == f["phrase"]


def test_check_clean_and_empty(detector):
    assert "reads as sincere" in run("check", "running 10 min late, grab us a table?").stdout
    assert "no text" in run("check", stdin="   ").stdout.lower()


def test_check_too_long_is_refused(detector):
    res = run("check", stdin="a" * 20_001)
    assert res.returncode == 2 and "20,000" in res.stderr


CRISIS = "honestly everyone would be better off without me. whatever, doesn't matter to me either way"


def test_check_prints_the_safety_notice_first(detector):
    out = run("check", CRISIS).stdout
    assert out.startswith("Before anything else: are you okay?") and "988" in out and "116 123" in out


def test_check_json_carries_a_safety_field(detector):
    calm = json.loads(run("check", "--json", "see you at 7 for dinner?").stdout)
    assert calm["safety"] is None
    data = json.loads(run("check", "--json", stdin=CRISIS).stdout)
    assert data["safety"]["kinds"] == ["self_harm"] and "988" in data["safety"]["notice"]


def test_rewrite_prints_the_safety_notice_first(detector):
    out = run("rewrite", "if you leave me i'll kill myself").stdout
    assert out.startswith("Before anything else: are you okay?") and "Samaritans" in out


def test_scan_records_carry_a_safety_field(detector, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": CRISIS}) + "\n" + json.dumps({"id": 2, "text": "lunch at 1?"})
                      + "\n" + json.dumps({"id": 3, "text": "i want to die " + "x" * 20_001}) + "\n", encoding="utf-8")
    res = run("scan", str(source))
    records = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["safety"]["kinds"] if r["safety"] else None for r in records] == [["self_harm"], None, ["self_harm"]]
