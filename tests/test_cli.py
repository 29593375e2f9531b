"""The command line: every subcommand has --help; check prints human and JSON output."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "classifier", *args], capture_output=True, text=True, cwd=ROOT,
                          input=stdin)


@pytest.mark.parametrize("command", ["train", "evaluate", "check", "scan", "bench", "rewrite"])
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
