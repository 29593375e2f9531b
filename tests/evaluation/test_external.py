"""External evaluation loaders and report, on small fixtures the tests write (never on training data)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from classifier.evaluation import external


@pytest.fixture()
def fixtures(tmp_path: Path) -> Path:
    sms = tmp_path / "sms_spam_collection"
    sms.mkdir()
    sms.joinpath("SMSSpamCollection.tsv").write_text(
        "ham\tare we still on for 7 tonight?\n"
        "spam\tWIN a prize now!!! text 8888\n"
        "ham\tare we still on for 7 tonight?\n"
        "ham\tI'll be there in 5 &amp; bringing chips\n"
        "ham\tfine, do whatever you want, i don't care anymore. we're done if you go\n", encoding="utf-8")
    dd = tmp_path / "dailydialog"
    dd.mkdir()
    for split in ("test", "validation"):
        dd.joinpath(f"dialogues_{split}.txt").write_text(
            "I ’ ll call you tomorrow . __eou__ Great , thanks ! __eou__ \n"
            "Why are you so late ? I waited an hour ! __eou__ Sorry , the train broke down . __eou__ \n", encoding="utf-8")
        dd.joinpath(f"dialogues_emotion_{split}.txt").write_text("0 4 \n1 5 \n", encoding="utf-8")
    mm = tmp_path / "mentalmanip"
    mm.mkdir()
    dialogue_a = "Person1: You never listen.\nPerson2: That never happened, you're imagining things again."
    dialogue_b = "Person1: Want tea?\nPerson2: Yes please."
    with open(mm / "mentalmanip_con.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ID", "Dialogue", "Manipulative", "Technique", "Vulnerability"])
        w.writerow(["1", dialogue_a, "1", "Denial", ""])
        w.writerow(["2", dialogue_b, "0", "", ""])
    header = ["inner_id", "id", "dialogue", "agreement"] + [f"{f}_{k}" for k in (1, 2, 3) for f in (
        "annotator", "manipulative", "technique", "victim", "vulnerability", "marks", "confidence")]
    with open(mm / "mentalmanip_detailed.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        row = {"inner_id": "0", "id": "1", "dialogue": dialogue_a, "agreement": "100.0"}
        for k in (1, 2, 3):
            row.update({f"annotator_{k}": f"A{k}", f"manipulative_{k}": "1", f"technique_{k}": "Denial",
                        f"victim_{k}": "1", f"vulnerability_{k}": "", f"confidence_{k}": "4",
                        f"marks_{k}": "Person2: That never happened, you're imagining things again."})
        w.writerow([row[h] for h in header])
        row2 = {h: "" for h in header} | {"inner_id": "1", "id": "2", "dialogue": dialogue_b, "agreement": "100.0"}
        w.writerow([row2[h] for h in header])
    return tmp_path


def test_sms_ham_is_deduplicated_and_unescaped(fixtures):
    ham = external.load_sms_ham(fixtures)
    assert ham == ["are we still on for 7 tonight?", "I'll be there in 5 & bringing chips",
                   "fine, do whatever you want, i don't care anymore. we're done if you go"]


def test_dailydialog_is_detokenized_with_emotions(fixtures):
    turns = external.load_dailydialog(fixtures)
    assert ("I'll call you tomorrow.", 0) in turns and ("Why are you so late? I waited an hour!", 1) in turns
    assert len(turns) == 8


def test_mentalmanip_units_come_from_annotator_marks(fixtures):
    con, units = external.load_mentalmanip(fixtures)
    assert [d["manipulative"] for d in con] == [1, 0]
    assert units == [{"id": "1", "technique": "Denial", "text": "That never happened, you're imagining things again."}]
    assert external.dialogue_turns(con[1]["dialogue"]) == ["Want tea?", "Yes please."]


def test_external_evaluation_on_fixtures(detector, fixtures):
    results, markdown = external.external_evaluation(detector, fixtures)
    assert results["sms_ham"]["messages"] == 3
    assert 0.0 <= results["sms_ham"]["fpr"] <= 1.0
    assert results["dailydialog_anger_sadness"]["messages"] == 4
    mm = results["mentalmanip"]
    assert mm["per_technique"]["Denial"]["units"] == 1 and mm["dialogues"]["n"] == 2
    assert "SMS ham" in markdown and "MentalManip" in markdown


def test_missing_external_folder_is_skipped_with_a_note(detector, tmp_path):
    results, markdown = external.external_evaluation(detector, tmp_path / "absent")
    assert "skipped" in results and "skipped" in markdown
