"""`python -m classifier thread EXPORT [--person NAME] [--json]` on export files the tests write."""
from __future__ import annotations

import json
import subprocess
import sys

from support.app import ROOT

import classifier.cli.main as cli
from benchmarks import synthetic_chat as sc


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_summary_per_person_with_the_rhythm_and_flagged_messages(tmp_path, model_path, capsys):
    export = write(tmp_path, "WhatsApp Chat with Sam.txt", sc.android(sc.demo()))
    assert cli.main(["--model", str(model_path), "thread", str(export)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sam and Alex · WhatsApp export (Android) · 36 messages from 2 Feb 2026 to 25 Feb 2026")
    assert "Skipped (nobody typed them): 1 system line\n" in out
    assert "\nSam: 14 messages, " in out and "\nAlex: 22 messages, 1 with a possible pattern" in out
    assert "Across messages:\n  Sam's warm messages were followed by a long silence 3 times" in out
    assert 'line 2: "had the best time last night 😘 miss you already" -> ' in out
    assert "[Jealousy bait] \"went out with my ex last night, he's been so sweet lately 😉\"" in out
    assert "Nothing was saved." in out


def test_person_filter_and_json(tmp_path, model_path, capsys):
    export = write(tmp_path, "result.json", sc.telegram(sc.demo()))
    assert cli.main(["--model", str(model_path), "thread", str(export), "--person", "Alex"]) == 0
    out = capsys.readouterr().out
    assert "\nAlex: 22 messages" in out and "\nSam:" not in out and "Messages with a possible pattern (1):" in out
    assert "choose by friday" in out and "Sam's warm" not in out
    assert cli.main(["--model", str(model_path), "thread", str(export), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["chat"]["format"] == "telegram" and data["chat"]["people"] == ["Sam", "Alex"]
    assert len(data["messages"]) == 36 and data["people"]["Sam"]["messages"] == 14
    flagged = [m for m in data["messages"] if m["flags"]]
    assert {f["pattern"] for m in flagged for f in m["flags"]} >= {"jealousy_bait", "gaslighting"}
    assert data["hot_cold"][0]["person"] == "Sam" and len(data["hot_cold"][0]["silences"]) == 3
    assert cli.main(["--model", str(model_path), "thread", str(export), "--json", "--person", "Sam"]) == 0
    only = json.loads(capsys.readouterr().out)
    assert {m["sender"] for m in only["messages"]} == {"Sam"} and list(only["people"]) == ["Sam"]


def test_errors_are_clear_and_exit_2(tmp_path, model_path, capsys):
    export = write(tmp_path, "chat.txt", sc.android(sc.demo()))
    assert cli.main(["--model", str(model_path), "thread", str(export), "--person", "Bob"]) == 2
    assert "nobody called 'Bob' wrote in this chat; the people are: Sam, Alex" in capsys.readouterr().err
    bad = write(tmp_path, "notes.txt", "Shopping list\nmilk\neggs\n")
    assert cli.main(["--model", str(model_path), "thread", str(bad)]) == 2
    assert "notes.txt: line 1: this doesn't look like a chat export" in capsys.readouterr().err
    assert cli.main(["--model", str(model_path), "thread", str(tmp_path / "missing.txt")]) == 2
    assert "can't read" in capsys.readouterr().err


def test_stdin_thread_with_progress(model_path):
    thread = "Sam: its whatever, doesnt matter to me either way 🤷 lol\nAlex: ok, I'd still like to see you\n" * 1200
    done = subprocess.run([sys.executable, "-m", "classifier", "--model", str(model_path), "thread", "-", "--progress"],
                          input=thread, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2,400 messages" in done.stdout and "Feigned indifference" in done.stdout
    assert "100.0%  2,400 messages" in done.stderr  # the bar ends full


def test_a_crisis_notice_comes_first_and_says_which_message(tmp_path, model_path, capsys):
    rows = sc.demo()[:5] + [("Sam", sc.demo()[5][1], "honestly I want to end my life")]
    export = write(tmp_path, "chat.txt", sc.android(rows))
    assert cli.main(["--model", str(model_path), "thread", str(export)]) == 0
    out = capsys.readouterr().out
    first, *_ = out.split("Sam and Alex")
    assert "It comes from line 7 (Sam, " in first and "988" in first
