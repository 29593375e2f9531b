"""Practice: a short quiz. Read a message, pick the pattern(s) or "sincere", see the phrase and the explanation."""
from __future__ import annotations

import random

import streamlit as st

from classifier.errors import ModelFileError
from ui import page, resources
from ui.checker import plural
from ui.highlight import highlight_html, plain_html, spans_from_phrases
from ui.quiz import QUIZ_LENGTH, SINCERE, Question, draw_quiz, grade, question_pool

ss = st.session_state
page.setup()
cat = resources.catalogue()


@st.cache_resource(show_spinner=False)
def pool() -> list[Question]:
    """Test-split messages (stored with the model at training time) and the catalogue's examples."""
    try:
        rows = resources.detector().artefact("practice")
    except ModelFileError:  # the catalogue's own examples still make a quiz
        rows = []
    return question_pool(rows, resources.catalogue())


def new_round() -> None:
    ss.quiz_round = ss.get("quiz_round", 0) + 1
    ss.quiz = draw_quiz(pool(), QUIZ_LENGTH, seed=random.SystemRandom().randrange(1 << 30))
    ss.quiz_i = 0
    ss.quiz_graded = {}


def on_next() -> None:
    ss.quiz_i += 1


def on_answer(question: Question, key: str) -> None:
    picks = ss.get(key) or []
    if not picks:
        ss.quiz_hint = True
        return
    g = grade(question, picks)
    ss.quiz_graded = {**ss.quiz_graded, question.qid: (tuple(picks), g)}
    ss.score_answered = ss.get("score_answered", 0) + 1
    ss.score_correct = ss.get("score_correct", 0) + int(g.correct)


def name(option: str) -> str:
    return "Sincere (no tactic)" if option == SINCERE else cat[option].name


if "quiz" not in ss:
    new_round()

st.title("Practice")
st.markdown("Read each message and pick the pattern or patterns you see, or **Sincere** if it says what it means. "
            "Some are sad, blunt or firm and still sincere.")

answered, correct = ss.get("score_answered", 0), ss.get("score_correct", 0)
st.markdown(f"**Your score this session: {correct} / {answered}**")

if ss.quiz_i >= len(ss.quiz):
    round_right = sum(int(g.correct) for _, g in ss.quiz_graded.values())
    st.success(f"Round finished: {round_right} of {len(ss.quiz)} right. Every one you looked at closely counts.")
    st.button("Start a new round", type="primary", on_click=new_round, key="quiz-new")
    st.stop()

q: Question = ss.quiz[ss.quiz_i]
st.caption(f"Message {ss.quiz_i + 1} of {len(ss.quiz)}")
graded = ss.quiz_graded.get(q.qid)

if graded is None:
    st.html(plain_html(q.text, small=False))
    key = f"quiz-pick-{ss.quiz_round}-{ss.quiz_i}"
    st.pills("What do you see?", options=[*cat.keys(), SINCERE], format_func=name, selection_mode="multi", key=key)
    if ss.pop("quiz_hint", False):
        st.info("Pick at least one pattern, or Sincere.")
    st.button("Check my answer", type="primary", key="quiz-check", on_click=on_answer, args=(q, key))
else:
    picks, g = graded
    spans = spans_from_phrases(q.text, q.phrase_map())
    st.html(highlight_html(q.text, spans, cat, small=False))
    truth = ", ".join(name(p) for p in sorted(q.answer, key=lambda x: list(cat).index(x) if x in cat else 99))
    if g.correct:
        st.success(f"Right: {truth}.", icon=":material/check_circle:")
    elif g.partly:
        st.warning(f"Partly right. The answer: {truth}. You picked: {', '.join(name(p) for p in picks)}.",
                   icon=":material/adjust:")
    else:
        st.warning(f"Not quite. The answer: {truth}. You picked: {', '.join(name(p) for p in picks)}.",
                   icon=":material/lightbulb:")
    if q.is_sincere:
        st.markdown("**Why it's sincere**")
        reason = q.why or ("It says the feeling, the need or the request openly, even if it's hard to hear. "
                           "Nothing in it is trying to produce a reaction behind the reader's back.")
        st.markdown(reason)
        if q.look_alike_of in cat:
            st.caption(f"It shares words or a situation with {cat[q.look_alike_of].name.lower()}, "
                       "which is why it can feel familiar.")
    for pid in q.patterns:
        p = cat[pid]
        st.markdown(f"**{p.name}**: {p.short}")
        st.markdown(p.description)
    extra = [name(p) for p in g.extra if p in cat]
    if extra and not q.is_sincere:
        st.caption(f"You also picked {', '.join(extra)}; the people who labelled this message didn't mark that.")
    last = ss.quiz_i + 1 >= len(ss.quiz)
    st.button("See my round" if last else "Next message", type="primary", key="quiz-next", on_click=on_next)

st.caption(f"Messages come from the test set the model never trained on, and from the pattern guide. "
           f"{plural(len(pool()), 'message')} in the pool.")
