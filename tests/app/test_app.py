"""The Streamlit app, page by page and flow by flow (streamlit.testing.v1.AppTest), plus its UI helpers."""
from __future__ import annotations

import csv
import html as htmlmod
import json
import re

import pytest
from streamlit.testing.v1 import AppTest
from support.app import CLEAN, FRENCH, GUILT, INDIFFERENCE, MODEL_ENV, TWO_PATTERNS
from support.apptest import check, draft_html, htmls, new_app, page_text, verdict

from classifier.catalogue import PATTERN_IDS, load_catalogue
from classifier.detect import safety
from classifier.detect.detector import MAX_CHARS, Flag
from ui import checker, feedback, quiz, report, resources
from ui.highlight import Span, highlight_html, legend_html, md_escape, phrase_html


@pytest.fixture(autouse=True)
def env(model_path, tmp_path, monkeypatch):
    resources.get_detector(str(model_path))  # cached: warms the shared detector once for every AppTest below
    monkeypatch.setenv(MODEL_ENV, str(model_path))
    monkeypatch.setenv("SINCERELY_DATA_DIR", str(tmp_path / "userdata"))
    return tmp_path


def use_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key and b.key.startswith("use-") and b.key != "use-whole"]


# --- check a draft ---------------------------------------------------------------------------------------------------


def test_home_page_renders(model_path):
    at = new_app()
    assert at.title[0].value == "Check a draft"
    assert at.text_area(key="draft").value == ""
    assert at.button(key="check").label == "Check"
    assert "Nothing you type is stored or sent anywhere" in page_text(at)


def test_check_with_flags(model_path):
    at = check(new_app(), GUILT)
    assert "1 pattern could make this read as a tactic" in verdict(at)
    html = draft_html(at)
    assert 'data-pattern="guilt_tripping"' in html
    assert '<span class="s-tag"' in html and "Guilt-tripping</span>" in html  # a visible label, not colour alone
    assert 'title="Guilt-tripping: This could read as' in html  # the short line on hover
    assert html.startswith('<div class="s-draft">hey happy bday!! 🎂 hope ur having a good one. ')  # unflagged: plain
    assert re.search(r"<mark[^>]*>.*some of us remember ppl</mark>", html)
    assert any("s-legend" in h and "Guilt-tripping" in h for h in htmls(at))
    labels = [e.label for e in at.expander]
    assert any("Guilt-tripping" in lab and "likely" in lab or "possible" in lab for lab in labels)
    text = page_text(at)
    for heading in ("Why it may backfire", "What you might really want to say", "Sincere ways to say it"):
        assert heading in text
    assert "Baumeister" in text or "guilt" in text.lower()
    assert len(use_buttons(at)) >= 2
    assert any(c.value for c in at.code)  # alternatives shown in copyable code blocks
    assert "I meant this sincerely" in [b.label for b in at.button]
    assert "The whole message, said sincerely" in [s.value for s in at.subheader]
    assert at.button(key="use-whole").label == "Use this version"


def test_check_two_patterns(model_path):
    at = check(new_app(), TWO_PATTERNS)
    assert "2 patterns could make this read as a tactic" in verdict(at)
    html = draft_html(at)
    assert 'data-pattern="feigned_indifference"' in html and 'data-pattern="ultimatum"' in html
    legend = next(h for h in htmls(at) if "s-legend" in h)
    assert "Feigned indifference" in legend and "Ultimatum" in legend


def test_check_clean(model_path):
    at = check(new_app(), CLEAN)
    assert "This reads as sincere" in verdict(at)
    assert "<mark" not in draft_html(at)
    assert not use_buttons(at)
    assert "Checked on this computer in" in page_text(at)


def test_ctrl_enter_commit_checks(model_path):
    """Committing the text area (Ctrl+Enter or leaving the box) checks the draft without the button."""
    at = new_app()
    at.text_area(key="draft").input(INDIFFERENCE).run()
    assert "could make this read as a tactic" in verdict(at)


def test_use_this_puts_suggestion_in_box_and_rechecks_clean(model_path):
    at = check(new_app(), INDIFFERENCE)
    assert "1 pattern could make this read as a tactic" in verdict(at)
    alternatives = [c.value for c in at.expander[0].code]  # the first card's alternatives
    n = len(use_buttons(at))
    assert n >= 2
    for j in range(n):  # every alternative is offered as clean; in context at least one must come back clean
        at = check(new_app(), INDIFFERENCE)
        at.button(key=f"use-0-{j}").click().run()
        assert not at.exception
        new_draft = at.text_area(key="draft").value
        assert new_draft != INDIFFERENCE
        assert "honestly hadn't even noticed" not in new_draft
        assert alternatives[j].rstrip(".")[:25].lower() in new_draft.lower()
        if "This reads as sincere" in verdict(at):
            break
    else:
        pytest.fail("no suggestion re-checked clean")
    assert "<mark" not in draft_html(at)


def test_use_whole_message_version(model_path):
    at = check(new_app(), GUILT)
    whole = [c.value for c in at.code][-1]  # the last code block is the whole-message version
    assert whole not in [c.value for e in at.expander for c in e.code]
    at.button(key="use-whole").click().run()
    assert at.text_area(key="draft").value == whole
    assert "This reads as sincere" in verdict(at)


def test_dismiss_flag_for_the_session(model_path, env):
    at = check(new_app(), GUILT)
    at.button(key="dismiss-0").click().run()
    assert "This reads as sincere" in verdict(at)
    assert "You marked 1 flag as meant sincerely" in page_text(at)
    assert not (env / "userdata").exists()  # opt-in is off: nothing written
    # the flag stays dismissed for the session, also after checking something else in between
    at = check(at, CLEAN)
    at = check(at, GUILT)
    assert "This reads as sincere" in verdict(at)
    at.button(key="undo-dismiss").click().run()
    assert "1 pattern could make this read as a tactic" in verdict(at)


def test_opt_in_feedback_writes_local_csv(model_path, env):
    at = new_app()
    assert at.toggle(key="opt_in").value is False  # off by default
    assert "nothing is written to disk" in page_text(at)
    at.toggle(key="opt_in").set_value(True).run()
    at = check(at, GUILT)
    at.button(key="dismiss-0").click().run()
    path = env / "userdata" / "feedback.csv"
    assert path.exists()
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1
    assert rows[0]["draft"] == GUILT and rows[0]["pattern"] == "guilt_tripping"
    assert rows[0]["verdict"] == feedback.VERDICT_SINCERE and rows[0]["phrase"] in GUILT
    assert "1 row saved so far" in page_text(at)


def test_received_mode(model_path):
    at = new_app()
    at.segmented_control(key="mode").set_value(checker.RECEIVE).run()
    assert at.text_area(key="draft").label == "The message you received"
    at = check(at, GUILT)
    assert "could be working on you" in verdict(at)
    text = page_text(at)
    assert "What this may be doing to you" in text and "Calm ways you could answer" in text
    assert "Sincere ways to say it" not in text and "said sincerely" not in text
    assert not use_buttons(at) and "use-whole" not in [b.key for b in at.button]
    calm = load_catalogue()["guilt_tripping"].calm_replies
    assert [c.value for c in at.expander[0].code] == list(calm)


def test_safety_notice_first_when_self_harm_is_mentioned(model_path):
    at = check(new_app(), "if you leave me tonight i swear i'll kill myself, i mean it")
    assert at.warning, "no safety notice"
    notice = at.warning[0].value
    assert "988" in notice and "116 123" in notice and "emergency number" in notice
    order = page_order(at)  # the notice comes before the verdict and the analysis
    assert order.index("notice") < order.index("verdict")
    assert "reads as sincere" not in verdict(at) and "Nothing here reads like a tactic" not in verdict(at)


def page_order(at: AppTest) -> list[str]:
    """The order in which the safety notice and the verdict appear on the page."""
    out = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            value = str(getattr(child, "value", ""))
            if child.__class__.__name__ == "Warning" and "988" in value:
                out.append("notice")
            if "<p class=\"s-verdict-title\">" in value:
                out.append("verdict")
            walk(child)

    walk(at.main)
    return out


def test_no_safety_notice_on_ordinary_text(model_path):
    at = check(new_app(), "this commute is killing me lol, I'm dying to see you though. you killed it at the gig 🔥")
    assert not [w for w in at.warning if "988" in w.value]
    assert "This reads as sincere" in verdict(at) or "could" in verdict(at)


def test_empty_input_gets_a_gentle_prompt(model_path):
    at = new_app()
    at.button(key="check").click().run()
    assert at.info and "Whenever you're ready" in at.info[0].value
    assert not [h for h in htmls(at) if '<p class="s-verdict-title">' in h]


def test_emoji_only_input(model_path):
    at = check(new_app(), "🙂🙂🙂")
    assert at.info and "only symbols or emoji" in at.info[0].value


def test_oversized_input_keeps_the_draft(model_path):
    big = ("this is a long draft about nothing much. " * 600)[: MAX_CHARS + 50]
    at = check(new_app(), big)
    assert at.warning and "characters long" in at.warning[0].value and "still in the box" in at.warning[0].value
    assert at.text_area(key="draft").value == big
    assert not [h for h in htmls(at) if '<p class="s-verdict-title">' in h]


def test_non_english_note(model_path):
    at = check(new_app(), FRENCH)
    assert any("doesn't look like English" in i.value for i in at.info)


def test_user_text_is_escaped(model_path):
    evil = "<img src=x onerror=alert(1)> hey <script>window.__xss=1</script> honestly hadn't even noticed you stopped texting"
    at = check(new_app(), evil)
    html = draft_html(at)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)" in html
    shown = re.sub(r'<span class="s-tag"[^>]*>[^<]*</span>', "", html)  # drop the pattern labels
    assert htmlmod.unescape(re.sub(r"<[^>]+>", "", shown)) == evil  # the text is shown literally, character for character
    for h in htmls(at):
        assert "<script" not in h and "<img" not in h


def test_example_picker_fills_the_box_and_checks(model_path):
    at = new_app()
    picker = at.selectbox(key="example_pick")
    label = next(o for o in picker.options if o.startswith("Guilt-tripping"))
    picker.set_value(label).run()
    cat = load_catalogue()
    assert at.text_area(key="draft").value in [e.text for e in cat["guilt_tripping"].examples]
    assert "could make this read as a tactic" in verdict(at)
    assert at.selectbox(key="example_pick").value is None


def test_draft_survives_a_page_switch(model_path):
    at = check(new_app(), GUILT)
    at.switch_page("views/about.py").run()
    at.switch_page("views/check.py").run()
    assert at.text_area(key="draft").value == GUILT


# --- model problems --------------------------------------------------------------------------------------------------


def test_missing_model_says_how_to_build_it(tmp_path, monkeypatch):
    missing = tmp_path / "models" / "detector.skops"
    monkeypatch.setenv(MODEL_ENV, str(missing))
    at = new_app()
    assert at.error and "model file can't be used" in at.error[0].value
    assert "make run" in at.error[0].value
    assert not at.exception and not missing.exists()  # the app never trains


def test_corrupted_model_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "detector.skops"
    bad.write_bytes(b"this is not a model")
    monkeypatch.setenv(MODEL_ENV, str(bad))
    monkeypatch.setattr(resources, "RETRY_SECONDS", 0.01)
    at = new_app()  # no checksum file to compare with: the quick check passes and the page is drawn
    assert not at.exception
    at = check(at, GUILT)  # loading it for the check finds the damage
    assert at.error and "damaged" in at.error[0].value
    assert "make run" in at.error[0].value
    assert not any(b.key == "rebuild-model" for b in at.button)  # nothing that would train


# --- other pages -----------------------------------------------------------------------------------------------------


def test_guide_lists_every_pattern(model_path):
    at = new_app()
    at.switch_page("views/guide.py").run()
    assert not at.exception
    assert at.title[0].value == "Pattern guide"
    cat = load_catalogue()
    labels = " ".join(e.label for e in at.expander)
    text = page_text(at)
    for p in cat.values():
        assert p.name in labels
        assert p.description in text and p.why_it_backfires in text
        assert p.sources[0]["cite"] in text
        assert p.sincere_moves[0] in text
        assert p.look_alikes[0].why in text
    html = "\n".join(htmls(at))
    for pid in PATTERN_IDS:
        assert f'data-pattern="{pid}"' in html  # examples with highlighted phrases
    assert text.count("Sincere look-alikes") == len(cat)


def test_guide_try_it_loads_an_example_in_the_checker(model_path):
    at = new_app()
    at.switch_page("views/guide.py").run()
    at.button(key="try-ultimatum").click().run()
    assert not at.exception
    assert at.title[0].value == "Check a draft"
    assert at.text_area(key="draft").value == load_catalogue()["ultimatum"].examples[0].text
    assert "could make this read as a tactic" in verdict(at)


def test_practice_answer_and_score(model_path):
    at = new_app()
    at.switch_page("views/practice.py").run()
    assert not at.exception
    assert at.title[0].value == "Practice"
    assert "Your score this session: 0 / 0" in page_text(at)
    q = at.session_state["quiz"][0]
    assert htmlmod.escape(q.text, quote=True) in "\n".join(htmls(at))
    pills = at.pills[0]
    pills.set_value(sorted(q.answer)).run()
    at.button(key="quiz-check").click().run()
    assert any(s.value.startswith("Right:") for s in at.success)
    assert "Your score this session: 1 / 1" in page_text(at)
    if q.patterns:  # the phrase is highlighted in the feedback
        assert f'data-pattern="{q.patterns[0]}"' in "\n".join(htmls(at))
    else:
        assert "Why it's sincere" in page_text(at)
    at.button(key="quiz-next").click().run()
    q2 = at.session_state["quiz"][1]
    wrong = ["sincere"] if q2.patterns else ["ultimatum"]
    at.pills[0].set_value(wrong).run()
    at.button(key="quiz-check").click().run()
    assert any("Not quite" in w.value for w in at.warning)
    assert "Your score this session: 1 / 2" in page_text(at)


def test_about_page(model_path):
    at = new_app()
    at.switch_page("views/about.py").run()
    assert not at.exception
    text = page_text(at)
    assert "It sees words, not intent" in text and "doesn't know your history or context" in text
    assert "No telemetry" in text and "Nothing is stored unless you opt in" in text and "stay in this app's process" in text
    figures = report.load_report()
    if figures is not None:
        labels = [m.label for m in at.metric]
        real = [f"{fig.name} flagged" for fig in figures.real_text]
        assert labels[: len(real)] == real, "real-text false flags come first"
        assert "Real text messages flagged" in real and "Real online comments flagged" in real
        assert at.metric[len(real)].label == "Macro-F1"
        assert at.metric[len(real)].value == f"{figures.macro_f1:.2f}"
        assert "flatter the model" in text
    else:
        assert "There is no evaluation report yet" in text


def test_about_page_without_a_report(model_path, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "REPORT_PATH", tmp_path / "missing.json")
    at = new_app()
    at.switch_page("views/about.py").run()
    assert any("There is no evaluation report yet" in i.value for i in at.info)
    assert not at.metric


# --- helpers, without Streamlit --------------------------------------------------------------------------------------


CAT = load_catalogue()


def test_highlight_escapes_and_labels():
    text = "a <b>bold</b> & \"quoted\" move"
    html = highlight_html(text, [Span(2, 13, "gaslighting")], CAT)
    assert "<b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "&amp; &quot;quoted&quot;" in html
    assert "Rewriting their reality" in html or CAT["gaslighting"].name in html
    assert html.count("<mark") == 1


def test_highlight_overlapping_spans():
    text = "one two three four five"
    html = highlight_html(text, [Span(4, 13, "ultimatum"), Span(8, 18, "guilt_tripping")], CAT)
    assert html.count('class="s-tag"') == 2  # a label where each flag starts
    assert 'data-pattern="ultimatum guilt_tripping"' in html  # the shared piece names both
    assert html.startswith('<div class="s-draft">one <mark')
    assert html.endswith(" five</div>")


def test_highlight_ignores_bad_spans():
    assert "<mark" not in highlight_html("short", [Span(10, 20, "ultimatum"), Span(3, 3, "ultimatum")], CAT)


def test_legend_and_phrase_escape():
    assert "Ultimatum" in legend_html(["ultimatum"], CAT)
    assert legend_html([], CAT) == ""
    assert "&lt;i&gt;" in phrase_html("<i>x</i>", "ultimatum")


def test_md_escape():
    assert md_escape("**bold** [link](http://x) :red[hi]") == (
        "\\*\\*bold\\*\\* \\[link\\]\\(http:\u200b//x\\) :\u200bred\\[hi\\]")
    assert md_escape("a" * 100, limit=10).endswith("…")


SELF_HARM = [
    "i want to kill myself", "honestly everyone would be better off without me", "I've been thinking about ending my life",
    "i'm thinking about hurting myself again", "if you leave i'll kill myself", "I don't want to be alive anymore",
    "i keep having thoughts of suicide", "I took all my pills", "I’ll kill myself if you go",
]
VIOLENCE = [
    "I swear I'll hurt you if you go near her", "he hit me again last night", "i'm gonna burn your house down",
    "I'm scared he'll hurt me", "i'm going to kill him",
]
ORDINARY = [
    "this commute is killing me lol", "i'm dying to see you!!", "I hurt myself at the gym, pulled a hamstring",
    "you killed it at the gig last night 🔥", "my phone died, sorry", "lol i'm dead 😂", "I would never hurt you",
    "I'm not going to hurt you, I just need space", "I'm going to die of embarrassment",
    "mum's gonna kill you when she sees the car", "I want to end things between us, I'm sorry",
    "just killing time before the film", "I could kill for a pizza rn", "he hit me up last week about drinks",
    "ill hit u up whenever", "we need to end it, it's not working", "I've been killing myself at work to get this done",
    "the plot twist at the end killed me", "I need to take my pills at 8", "I don't want to live in london anymore",
]


@pytest.mark.parametrize("text", SELF_HARM)
def test_safety_fires_on_self_harm(text):
    assert safety.check(text) is not None and safety.SELF_HARM in safety.check(text).kinds


@pytest.mark.parametrize("text", VIOLENCE)
def test_safety_fires_on_violence(text):
    assert safety.check(text) is not None and safety.VIOLENCE in safety.check(text).kinds


@pytest.mark.parametrize("text", ORDINARY)
def test_safety_quiet_on_ordinary_text(text):
    assert safety.check(text) is None


def test_safety_quiet_on_the_whole_corpus():
    from classifier.training.corpus import load_rows

    hits = [r["id"] for r in load_rows() if safety.check(r["text"])]
    assert len(hits) <= 3, hits


def test_feedback_only_when_opted_in(env):
    row = feedback.FeedbackRow("write", "draft, with \"quotes\"\nand a newline", "ultimatum", "x", 0, 1, 0.9, "likely",
                               feedback.VERDICT_SINCERE)
    assert feedback.save(row, opted_in=False) is None
    assert not feedback.feedback_path().exists()
    path = feedback.save(row, opted_in=True)
    assert path == env / "userdata" / "feedback.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["draft"] == row.draft and feedback.count_saved() == 1
    assert feedback.delete_saved() and feedback.count_saved() == 0


def test_splice_and_verdict_words():
    text = "ok fine. it's them or me, choose. see u"
    flag = Flag("ultimatum", 9, 32, "it's them or me, choose", 0.9, "likely")
    assert checker.splice(text, flag, "I'd really like you to come with me.") == "ok fine. I'd really like you to come with me. see u"
    moved = Flag("ultimatum", 0, 5, "it's them or me, choose", 0.9, "likely")
    assert "I'd like" in checker.splice(text, moved, "I'd like")
    assert checker.plural(1, "pattern") == "1 pattern" and checker.plural(2, "pattern") == "2 patterns"


def test_quiz_grading():
    q = quiz.Question("q1", "text", ("ultimatum", "guilt_tripping"))
    assert quiz.grade(q, ["guilt_tripping", "ultimatum"]).correct
    g = quiz.grade(q, ["ultimatum"])
    assert not g.correct and g.partly and g.missed == ("guilt_tripping",)
    s = quiz.Question("q2", "text", ())
    assert quiz.grade(s, [quiz.SINCERE]).correct and not quiz.grade(s, ["ultimatum"]).correct


def test_quiz_pool_uses_test_split_and_catalogue():
    from classifier.training.corpus import load_rows

    rows = load_rows()
    pool = quiz.question_pool(rows, CAT)
    ids = {q.qid for q in pool}
    test_ids = {r["id"] for r in rows if r["split"] == "test"}
    train_ids = {r["id"] for r in rows if r["split"] != "test" and r["source"] != "catalogue"}
    assert ids & test_ids and not ids & train_ids
    assert any(i.startswith("cat-") for i in ids)
    drawn = quiz.draw_quiz(pool, 8, seed=1)
    assert len(drawn) == 8 and any(q.is_sincere for q in drawn) and any(not q.is_sincere for q in drawn)


def test_report_reader(tmp_path):
    assert report.load_report(tmp_path / "nope.json") is None
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert report.load_report(tmp_path / "bad.json") is None
    good = {"test": {"detector": {"macro_f1": 0.9, "messages": 10, "false_positive_rate": {"hard_negative": 0.05}}}}
    (tmp_path / "m.json").write_text(json.dumps(good), encoding="utf-8")
    figures = report.load_report(tmp_path / "m.json")
    assert figures.macro_f1 == 0.9 and figures.fpr_neutral is None and report.pct(0.05) == "5%"


def test_recheck_gives_the_same_result_and_its_time(model_path):
    """Re-checking a draft answers the same and reports how long it took (latency targets live in the bench:
    `python -m classifier bench`, "app re-check")."""
    det = resources.get_detector(str(model_path))
    from classifier.rewrite.rewriter import Rewriter

    rew = Rewriter(det)
    draft = "hey, hope the new job is going well. honestly hadn't even noticed you stopped texting lol. anyway, see u at jess's thing?"
    first = checker.run_check(det, rew, draft)
    again = [checker.run_check(det, rew, draft) for _ in range(3)]
    assert first.analysis is not None
    for result in again:
        assert result.analysis.to_dict() == first.analysis.to_dict() and result.cards == first.cards
        assert result.elapsed_ms > 0


def test_catalogue_fallback_without_the_rewording_engine(model_path):
    """If the rewriter is unavailable the cards still offer sincere lines from the catalogue."""
    det = resources.get_detector(str(model_path))
    result = checker.run_check(det, None, GUILT)
    assert result.engine == "catalogue" and result.whole_message is None
    assert result.cards and all(len(c.alternatives) >= 2 for c in result.cards)
    for card in result.cards:
        for alt in card.alternatives:
            assert "{" not in alt.text and alt.tone in ("warm", "direct", "boundary")
    received = checker.run_check(det, None, GUILT, checker.RECEIVE)
    assert received.cards and all(not c.alternatives for c in received.cards)
    title, _ = checker.verdict(received)
    assert "could be working on you" in title


def test_relationship_is_shown_and_changing_it_rewrites(monkeypatch):
    from classifier.rewrite.relationship import romantic_wording

    draft = "had drinks with someone new last night, he was sooo funny 😏 anyway how was ur week"
    at = check(new_app(), draft)
    box = at.selectbox(key="relationship")
    assert box.value in checker.RELATIONSHIP_LABELS and box.label == "Suggestions written for"
    box.set_value("family").run()
    assert not at.exception and at.selectbox(key="relationship").value == "family"
    to_family = [c.value for c in at.code]
    assert to_family and not any(romantic_wording(s) - romantic_wording(draft) for s in to_family)
    at.selectbox(key="relationship").set_value("partner").run()
    assert not at.exception and at.selectbox(key="relationship").value == "partner"
    to_partner = [c.value for c in at.code]
    assert to_partner != to_family  # the suggestions were written again for the new relationship
    assert any(romantic_wording(s) for s in to_partner)
