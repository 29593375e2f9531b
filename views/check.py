"""Check a draft: highlights, a calm verdict, a card per flag with sincere alternatives, and a received-message mode."""
from __future__ import annotations

import hashlib

import streamlit as st

from classifier.detect import safety
from ui import cards, checker, feedback, page, resources
from ui.checker import RECEIVE, WRITE
from ui.highlight import esc, highlight_html, legend_html, spans_from_flags

ss = st.session_state
page.setup()  # starts loading the model in the background: the form below is usable meanwhile
page.require_model_file()
cat = resources.catalogue()

ss.setdefault("checked_text", None)
ss.setdefault("dismissed", set())
ss.setdefault("result_cache", None)
ss.setdefault("flash", None)


# --- example drafts --------------------------------------------------------------------------------------------------


def example_options() -> dict[str, str]:
    """Drafts from the catalogue for the 'Try an example' picker: label -> text."""
    options: dict[str, str] = {}
    for p in cat.values():
        for ex in p.examples[:3]:
            options[f"{p.name}: {' '.join(ex.text.split())[:70]}…"] = ex.text
    for p in cat.values():
        la = p.look_alikes[0]
        options[f"Sincere: {' '.join(la.text.split())[:70]}…"] = la.text
    return options


EXAMPLES = example_options()


# --- callbacks (run before the page is drawn, so they may set the text area's value) ---------------------------------


def on_draft_committed() -> None:
    ss.checked_text = ss.draft  # Ctrl+Enter (or leaving the box) checks the draft


def on_check() -> None:
    ss.checked_text = ss.get("draft", "")


def on_example() -> None:
    label = ss.get("example_pick")
    if label in EXAMPLES:
        ss.draft = EXAMPLES[label]
        ss.checked_text = EXAMPLES[label]
    ss.example_pick = None


def _save_feedback(flag, verdict: str) -> None:
    row = feedback.FeedbackRow(ss.get("mode") or WRITE, ss.checked_text or "", flag.pattern, flag.phrase, flag.start,
                               flag.end, flag.score, flag.confidence, verdict)
    feedback.save(row, opted_in=bool(ss.get("opt_in")))


def on_use(replacement: str, flag=None) -> None:
    """Put a suggestion in the text area (in place of the flagged phrase) and check again."""
    new_text = replacement
    if flag is not None:
        _save_feedback(flag, feedback.VERDICT_AGREED)
        cached = ss.result_cache
        analysis = cached[1].analysis if cached is not None and cached[1].text == ss.checked_text else None
        rew = resources.rewriter()
        new_text = checker.apply_alternative(ss.checked_text or "", flag, replacement, rew, analysis)
    ss.draft = new_text
    ss.checked_text = new_text
    ss.flash = "Suggestion added to your draft and checked again."


def on_dismiss(flag) -> None:
    ss.dismissed = set(ss.dismissed) | {checker.dismiss_key(flag)}
    _save_feedback(flag, feedback.VERDICT_SINCERE)
    ss.flash = "Noted: you meant that sincerely. The flag is hidden for the rest of this session."


def on_undo_dismiss() -> None:
    ss.dismissed = set()


# --- the form --------------------------------------------------------------------------------------------------------

st.title("Check a draft")
st.markdown(
    '<p class="s-quiet">Before you send it, see whether any phrase could read as a tactic, and find a more direct way '
    "to say what you mean. Nothing you type is stored or sent anywhere.</p>",
    unsafe_allow_html=True,
)

top_left, top_right = st.columns([3, 2], vertical_alignment="bottom")
with top_left:
    mode = st.segmented_control(
        "Whose message is this?", options=[WRITE, RECEIVE], format_func=checker.MODE_LABELS.get, default=WRITE,
        required=True, key="mode", persist_state="session",
    ) or WRITE
with top_right:
    st.selectbox("Try an example", options=list(EXAMPLES), index=None, placeholder="Try an example…",
                 key="example_pick", on_change=on_example, label_visibility="collapsed")

is_receive = mode == RECEIVE
st.text_area(
    "The message you received" if is_receive else "Your draft",
    key="draft",
    height=170,
    placeholder=("Paste the message you received…" if is_receive else
                 "Type or paste the message you're thinking of sending…"),
    on_change=on_draft_committed,
    persist_state="session",
)
button_col, hint_col = st.columns([1, 4], vertical_alignment="center")
with button_col:
    st.button("Check", type="primary", on_click=on_check, key="check", icon=":material/search:", width="stretch")
with hint_col:
    st.caption("or press Ctrl+Enter in the box (⌘+Enter on a Mac)")

if ss.flash:
    st.toast(ss.flash, icon=":material/check_circle:")
    ss.flash = None

# --- results ---------------------------------------------------------------------------------------------------------


def compute(text: str) -> checker.CheckResult:
    chosen = ss.get("relationship") if ss.get("relationship_for") == text else None
    key = (text, mode, frozenset(ss.dismissed), chosen)
    cached = ss.result_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    rew = resources.rewriter() if mode == WRITE else None
    try:
        result = checker.run_check(det, rew, text, mode, ss.dismissed, cat, relationship=chosen)
    except Exception as exc:  # e.g. a model built for an older version of the code
        page.model_error(f"the model could not read this draft ({type(exc).__name__}); it may be out of date.")
        st.stop()
    ss.result_cache = (key, result)
    return result


def render_safety(finding) -> None:
    st.warning(f"**{safety.NOTICE_TITLE}**\n\n{safety.notice_markdown(finding)}", icon=":material/favorite:")


def render_verdict(result: checker.CheckResult) -> None:
    title, sub = checker.verdict(result)
    kind = checker.verdict_style(result)
    st.html(f'<div class="s-verdict {kind}" role="status"><p class="s-verdict-title">{esc(title)}</p>'
            f'<p class="s-verdict-sub">{esc(sub)}</p></div>')


def card_key(i: int, text: str) -> str:
    """A fresh key per draft, so every new check starts with its cards closed."""
    return f"card-{i}-{hashlib.sha1(f'{mode}:{text}'.encode()).hexdigest()[:10]}"


def render_write_card(i: int, card: checker.Card, text: str) -> None:
    with st.expander(cards.card_label(card.flag, cat), icon=":material/chat_bubble:", key=card_key(i, text)):
        cards.write_card_body(i, card, cat, on_use=on_use)
        st.button("I meant this sincerely", key=f"dismiss-{i}", type="tertiary", icon=":material/visibility_off:",
                  on_click=on_dismiss, args=(card.flag,), help="Hide this flag for the rest of this session")


def on_relationship(text: str) -> None:
    ss.relationship_for = text  # the choice belongs to this draft; a new draft is guessed afresh


def render_relationship(result: checker.CheckResult, text: str) -> None:
    """Who the rewrites are written for: the checker's guess, which the person can correct."""
    if ss.get("relationship_for") != text:
        ss.relationship = result.relationship
    col, note = st.columns([2, 3], vertical_alignment="bottom")
    col.selectbox("Suggestions written for", options=list(checker.RELATIONSHIP_LABELS), format_func=checker.RELATIONSHIP_LABELS.get,
                  key="relationship", on_change=on_relationship, args=(text,),
                  help="Guessed from the draft. Change it and the suggestions are rewritten for them.")
    note.caption("Guessed from your wording; suggestions to family, friends or colleagues never add romance.")


def render_receive_card(i: int, card: checker.Card, text: str) -> None:
    with st.expander(cards.card_label(card.flag, cat), icon=":material/chat_bubble:", key=card_key(i, text)):
        cards.receive_card_body(card, cat)


text = ss.checked_text
if text is not None:
    det = page.require_detector()
    result = compute(text)
    if result.safety is not None:
        render_safety(result.safety)
    if result.error:
        st.warning(result.error, icon=":material/content_cut:")
    elif result.notice:
        st.info(result.notice, icon=":material/edit_note:")
    else:
        for warning in result.warnings:
            st.info(warning, icon=":material/translate:")
        render_verdict(result)
        st.html(highlight_html(text, spans_from_flags(result.flags), cat))
        if result.patterns:
            st.html(legend_html(result.patterns, cat))
        if result.dismissed:
            note_col, undo_col = st.columns([4, 1], vertical_alignment="center")
            note_col.caption(f"You marked {checker.plural(len(result.dismissed), 'flag')} as meant sincerely; "
                             "hidden for this session.")
            undo_col.button("Show again", key="undo-dismiss", type="tertiary", on_click=on_undo_dismiss)
        if mode == WRITE and result.relationship:
            render_relationship(result, text)
        if result.cards:
            st.subheader("What the checker noticed" if mode == WRITE else "What may be going on")
            for i, card in enumerate(result.cards):
                if mode == WRITE:
                    render_write_card(i, card, text)
                else:
                    render_receive_card(i, card, text)
        if mode == WRITE and result.whole_message:
            st.subheader("The whole message, said sincerely")
            st.caption("A version that keeps what was fine and says the rest openly. Edit it so it sounds like you.")
            st.code(result.whole_message, language=None, wrap_lines=True)
            st.button("Use this version", key="use-whole", icon=":material/edit:", on_click=on_use,
                      args=(result.whole_message,))
        elif mode == WRITE and result.cards and result.engine == "catalogue":
            st.caption("A whole-message rewording isn't available right now; the suggestions above still apply.")
        stored = " Nothing was saved." if not ss.get("opt_in") else ""
        st.caption(f"Checked on this computer in {result.elapsed_ms:.0f} ms.{stored}")

# --- settings --------------------------------------------------------------------------------------------------------

st.divider()
with st.expander("Help improve the model (off by default)", icon=":material/volunteer_activism:"):
    st.toggle("Save my feedback on flags to a local file", key="opt_in", value=False, persist_state="session")
    st.markdown(
        "When this is on, and only then, pressing **I meant this sincerely** or **Use this** saves the draft, the "
        f"flag and your answer to a CSV file on this computer: `{feedback.feedback_path()}`. It is never sent "
        "anywhere. When it is off, nothing is written to disk."
    )
    saved = feedback.count_saved()
    if saved:
        st.caption(f"{checker.plural(saved, 'row')} saved so far.")
        if st.button("Delete my saved feedback", key="delete-feedback", type="tertiary"):
            feedback.delete_saved()
            st.rerun()
