"""Rewordings people would send (issue 14): per-pattern edits that keep the request, the relationship, the person's
details and style, and the automatic targets over the test split."""
from __future__ import annotations

import pytest

from classifier.catalogue import PATTERN_IDS
from classifier.detect.detector import Analysis, Flag
from classifier.evaluation.rewrites import targets
from classifier.rewrite.relationship import RELATIONSHIPS, ROMANTIC, adds_romance, romantic_wording
from classifier.rewrite.strategies import STRATEGIES, edits

# (pattern, draft, flagged phrase, what the edit must say, what must be gone)
CASES = [
    ("ultimatum", "Pay me back the 200 quid by Sunday or I'll tell your mum what you spent it on.",
     "or I'll tell your mum what you spent it on.", "I need you to pay me back the 200 quid by Sunday.", "mum"),
    ("guilt_tripping", "shame u couldnt even text me back on mine but i guess some of us remember ppl",
     "but i guess some of us remember ppl", "I was hurt that you didn't text me back on mine", "some of us"),
    ("gaslighting", "you're being so dramatic, Dad was only joking about your haircut. chill",
     "you're being so dramatic", "Dad was only joking about your haircut", "dramatic"),
    ("feigned_indifference", "honestly hadn't even noticed you stopped texting, been a wild few weeks",
     "honestly hadn't even noticed you stopped texting", "I did notice you stopped texting", "hadn't"),
    ("playing_hard_to_get", "my calendar is rammed till december so you're gonna have to fight for a slot",
     "you're gonna have to fight for a slot", "I'm really busy until december", "fight"),
    ("hot_cold", "maybe we could get drinks sometime, we'll see", "maybe we could get drinks sometime, we'll see",
     "I'd like to get drinks", "sometime"),
    ("reverse_psychology", "fine go to the party, see if i care", "fine go to the party, see if i care",
     "I'd rather you didn't go to the party", "see if i care"),
]


def test_every_pattern_has_a_strategy():
    assert set(STRATEGIES) == set(PATTERN_IDS)
    assert edits("jealousy_bait", "had brunch with someone new who was gorgeous") == [("drop", "")]


@pytest.mark.parametrize("pattern,draft,phrase,says,gone", CASES, ids=[c[0] for c in CASES])
def test_strategy_edits_the_phrase_and_keeps_the_request(pattern, draft, phrase, says, gone):
    texts = [text for _, text in edits(pattern, draft)] + [text for _, text in edits(pattern, phrase)]
    assert any(says.lower() in t.lower() for t in texts), texts
    assert all(gone.lower() not in t.lower() for t in texts), texts


def known(detector, text: str, pattern: str, phrase: str) -> Analysis:
    analysis = detector.analyze(text)
    start = text.index(phrase)
    return Analysis(text, flags=[Flag(pattern, start, start + len(phrase), phrase, 0.9, "likely")],
                    sentences=analysis.sentences, doc=analysis.doc, normalized=analysis.normalized)


@pytest.mark.parametrize("pattern,draft,phrase,says,gone", CASES, ids=[c[0] for c in CASES])
def test_whole_message_edits_only_the_flagged_part(detector, rewriter, pattern, draft, phrase, says, gone):
    result = rewriter.suggest(draft, known(detector, draft, pattern, phrase), relationship="friend")
    whole = result.whole_message
    assert whole and detector.analyze(whole).is_clean
    assert gone.lower() not in whole.lower()
    assert not romantic_wording(whole) - romantic_wording(draft)
    for alt in (a for s in result.suggestions for a in s.alternatives):
        assert detector.analyze(alt.text).is_clean, alt.text


def test_the_request_survives_an_ultimatum(detector, rewriter):
    draft = "Pay me back the 200 quid by Sunday or I'll tell your mum what you spent it on."
    whole = rewriter.suggest(draft, known(detector, draft, "ultimatum", "or I'll tell your mum what you spent it on.")
                             ).whole_message
    assert "200" in whole and "Sunday" in whole and "mum" not in whole


def test_dismissive_tag_goes_with_the_tactic(detector, rewriter):
    draft = "you're being so dramatic, Dad was only joking about your haircut. chill"
    whole = rewriter.suggest(draft, known(detector, draft, "gaslighting", "you're being so dramatic"), "family").whole_message
    assert "chill" not in whole and "Dad" in whole and "haircut" in whole


def test_emoji_and_names_are_kept(detector, rewriter):
    draft = "hey happy bday Sam!! 🎂 hope ur having a good one. shame u couldnt even text me back on mine"
    result = rewriter.suggest(draft, known(detector, draft, "guilt_tripping", "shame u couldnt even text me back on mine"),
                              "friend")
    assert "🎂" in result.whole_message and "Sam" in result.whole_message


def test_relationship_is_inferred_and_can_be_set(detector, rewriter):
    assert rewriter.relationship("hi mum, are you and dad still ok for sunday lunch? love you x") == "family"
    assert rewriter.relationship("babe i miss you so much, can't wait to see you tonight 😘") in ROMANTIC
    draft = "its whatever, doesnt matter to me either way lol"
    analysis = known(detector, draft, "feigned_indifference", "its whatever, doesnt matter to me either way")
    assert rewriter.suggest(draft, analysis, "work").relationship == "work"
    with pytest.raises(ValueError, match="unknown relationship"):
        rewriter.suggest(draft, analysis, "boss")


def test_relationship_guess_beats_chance_on_the_test_split(detector, corpus_rows):
    rows = [r for r in corpus_rows if r["split"] == "test" and r["context"] in RELATIONSHIPS][::5]
    right = sum((max(s := detector.relationship_scores(r["text"]), key=s.get) in ROMANTIC) == (r["context"] in ROMANTIC)
                for r in rows)
    assert right / len(rows) >= 0.65  # 0.72 measured on the whole test split; a coin would give about 0.5


@pytest.mark.parametrize("relationship", ["family", "friend", "work"])
def test_no_romance_to_family_friends_or_colleagues(detector, rewriter, relationship):
    for draft, pattern, phrase in [
        ("If you move in with him, don't bother coming to Sunday lunch anymore. Your choice.", "ultimatum",
         "don't bother coming to Sunday lunch anymore. Your choice."),
        ("honestly hadn't even noticed you stopped texting lol", "feigned_indifference",
         "honestly hadn't even noticed you stopped texting"),
        ("after everything i did for you, you can't even call me back", "guilt_tripping",
         "after everything i did for you, you can't even call me back"),
    ]:
        result = rewriter.suggest(draft, known(detector, draft, pattern, phrase), relationship)
        offered = [a.text for s in result.suggestions for a in s.alternatives] + [result.whole_message or ""]
        assert not [t for t in offered if adds_romance(t, draft)], offered


def test_targets_over_the_test_split(detector, rewriter, corpus_rows):
    drafts = []
    for row in (r for r in corpus_rows if r["split"] == "test" and r["kind"] == "positive"):
        analysis = detector.analyze(row["text"])
        if analysis.flags:
            drafts.append((row, analysis, rewriter.suggest(row["text"], analysis), 0.0))
    figures = targets(detector, rewriter, drafts)
    assert figures["rescanned_clean_pct"] == 100.0
    assert figures["romance_added_to_family_friend_work"] == 0
    assert figures["whole_with_placeholder"] == 0
    assert figures["whole_identical_across_drafts_pct"] < 5.0
    assert figures["multi_sentence_sharing_3gram_pct"] >= 90.0
    assert figures["emoji_and_signoffs_kept_pct"] >= 95.0
    # below their targets (95% and 3%), reported in reports/rewrites.md; guarded here against getting worse
    assert figures["draft_details_and_numbers_kept_pct"] >= 80.0
    assert figures["most_inserted_sentence_pct"] <= 4.0
