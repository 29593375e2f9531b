"""Look at a conversation: upload (or paste) a chat export, see patterns over time per person, the cross-message
rhythm, and each flagged message with its cards. The export is read in memory and never written anywhere."""
from __future__ import annotations

import hashlib

import altair as alt
import pandas as pd
import streamlit as st

from classifier.detect import safety
from ui import cards, page, resources
from ui import conversation as convo
from ui.highlight import highlight_html, md_escape, spans_from_flags
from ui.theme import swatch

ss = st.session_state
page.setup()
page.require_model_file()
cat = resources.catalogue()

ss.setdefault("conv_nonce", 0)  # a new uploader key clears the uploaded file ("Forget this chat")
ss.setdefault("conv_pasted", None)
ss.setdefault("conv_state", None)  # (source key, Loaded, report or None)
ss.setdefault("conv_checks", {})  # (message index, view) -> the message's CheckResult, for the chat now shown
ss.setdefault("conv_shown", convo.PAGE_SIZE)


def on_paste() -> None:
    ss.conv_pasted = ss.get("conv_paste") or None


def on_forget() -> None:
    ss.conv_nonce += 1
    ss.conv_pasted = None
    ss.conv_paste = ""
    ss.conv_state = None
    ss.conv_checks = {}


def on_more() -> None:
    ss.conv_shown += convo.PAGE_SIZE


def reset_view() -> None:
    ss.conv_shown = convo.PAGE_SIZE


st.title("Look at a conversation")
st.markdown(
    '<p class="s-quiet">Some patterns only show across many messages: warmth and then silence, a guilt trip that comes '
    "back every week. Upload a chat to see them over time, person by person. The file is read in this app's memory "
    "and never saved; press <b>Forget this chat</b> or close the tab and it is gone.</p>",
    unsafe_allow_html=True,
)
with st.expander("How to export a chat", icon=":material/help:"):
    st.markdown(
        "- **WhatsApp (Android):** open the chat › ⋮ › More › Export chat › Without media. Upload the .txt (or .zip).\n"
        "- **WhatsApp (iPhone):** open the chat › the contact's name › Export Chat › Without Media. Upload the .zip.\n"
        "- **Telegram:** in Telegram Desktop, open the chat › ⋮ › Export chat history, choose the JSON format and "
        "untick photos and files. Upload `result.json`.\n"
        "- **Anything else:** paste the thread below, one `Name: message` per line."
    )

uploaded = st.file_uploader("Upload a chat export", type=["txt", "zip", "json"], key=f"conv_upload_{ss.conv_nonce}",
                            help="WhatsApp .txt or .zip, or Telegram's result.json. Read in memory, never saved.")
with st.expander("…or paste a thread", icon=":material/content_paste:", expanded=bool(ss.conv_pasted)):
    st.text_area("The thread, one `Name: message` per line", key="conv_paste", height=150,
                 placeholder="Sam: are you coming tonight?\nAlex: can't, sorry, work ran late\nSam: fine. whatever")
    st.button("Look at this thread", key="conv_read_paste", on_click=on_paste, icon=":material/forum:")

if uploaded is not None:
    source = ("file", uploaded.file_id, uploaded.name)
elif ss.conv_pasted:
    source = ("paste", hashlib.sha1(ss.conv_pasted.encode()).hexdigest(), "")
else:
    source = None

if source is None:
    st.info("Upload an export or paste a thread to begin. Nothing leaves this computer.", icon=":material/forum:")
    st.stop()

state = ss.conv_state
if state is None or state[0] != source:
    det = page.require_detector()
    loaded = convo.load(uploaded.getvalue() if uploaded is not None else ss.conv_pasted, source[2])
    report = None
    if loaded.chat is not None:
        n = len(loaded.chat.messages)
        bar = st.progress(0.0, text=f"Checking {n:,} messages…")
        report = convo.analyse(det, loaded.chat, lambda done, total: bar.progress(
            done / total, text=f"Checked {done:,} of {total:,} messages…"))
        bar.empty()
        ss.conv_me = convo.guess_me(loaded.chat)
        ss.conv_checks = {}
        reset_view()
    ss.conv_state = state = (source, loaded, report)

_, loaded, report = state
if loaded.error:
    st.error(loaded.error, icon=":material/error:")
    st.button("Forget this file", key="conv_forget", on_click=on_forget, type="tertiary", icon=":material/delete:")
    st.stop()

chat = report.chat
if report.safety is not None:
    st.warning(f"**{safety.NOTICE_TITLE}**\n\n{safety.notice_markdown(report.safety)}\n\n"
               f"{md_escape(report.safety_sources())}", icon=":material/favorite:")
info_col, forget_col = st.columns([4, 1], vertical_alignment="center")
info_col.caption(f"{md_escape(convo.describe_chat(report))} Checked on this computer in {report.seconds:.1f} s; "
                 "nothing was saved.")
forget_col.button("Forget this chat", key="conv_forget", on_click=on_forget, type="tertiary", icon=":material/delete:")

me_col, view_col = st.columns([2, 3], vertical_alignment="bottom")
me = me_col.selectbox("Which one is you?", options=chat.people, key="conv_me", placeholder="Choose…",
                      on_change=reset_view)  # its value is set (guessed, or None) when the chat is read
view = view_col.segmented_control("Look at", options=[convo.MINE, convo.THEIRS], format_func=convo.VIEW_LABELS.get,
                                  default=convo.THEIRS, required=True, key="conv_view", on_change=reset_view,
                                  help=convo.VIEW_HELP)

# --- figures and the chart -------------------------------------------------------------------------------------------

st.subheader("Person by person")
st.dataframe(pd.DataFrame(convo.people_rows(report, cat, me)), hide_index=True, width="stretch")

st.subheader("Patterns over time")
rows = convo.chart_rows(report, cat)
if rows:
    frame = pd.DataFrame(rows)
    patterns = [p for p in cat if p in set(frame.pattern_id)]
    colour = alt.Color("pattern:N", title="Pattern", legend=alt.Legend(orient="bottom", columns=2),
                       scale=alt.Scale(domain=[cat[p].name for p in patterns], range=[swatch(p).border for p in patterns]))
    if report.timed:
        frame["period"], frame["period_end"] = pd.to_datetime(frame["period"]), pd.to_datetime(frame["period_end"])
        weeks = list(pd.date_range(frame.period.min(), frame.period.max(), freq="7D"))
        # a tick on each week's Monday while they fit; Vega's own week ticks fall on Sundays
        ticks = dict(values=[w.isoformat() for w in weeks]) if len(weeks) <= 12 else {}
        x = alt.X("period:T", title="Week starting", axis=alt.Axis(format="%-d %b %y", **ticks),
                  scale=alt.Scale(domain=[frame.period.min().isoformat(), frame.period_end.max().isoformat()]))
        x2 = alt.X2("period_end:T")
    else:
        x = alt.X("period:N", title="Messages", sort=[convo.period_label(b) for b in range(len(chat.messages) // convo.BLOCK + 1)])
        x2 = None
    charts = []
    for person in chat.people:
        mine = frame[frame.person == person]
        if mine.empty:
            continue
        encoding = dict(x=x, y=alt.Y("sum(messages):Q", title="Messages", axis=alt.Axis(tickMinStep=1, format="d")), color=colour,
                        tooltip=[alt.Tooltip("pattern:N", title="Pattern"), alt.Tooltip("sum(messages):Q", title="Messages")])
        if x2 is not None:
            encoding["x2"] = x2
        charts.append(alt.Chart(mine, title=f"{person} (you)" if person == me else person)
                      .mark_bar(stroke="white", strokeWidth=1).encode(**encoding).properties(height=140))
    st.altair_chart(alt.vconcat(*charts).resolve_scale(x="shared", color="shared"), width="stretch")
    st.caption("Messages with a possible pattern, per " + ("week." if report.timed else f"block of {convo.BLOCK} messages."))
else:
    st.success("No message in this chat reads like a tactic, so there is nothing to chart.", icon=":material/check:")

st.subheader("Across messages")
if not report.timed:
    st.caption("This export has no times, so reply gaps and silences can't be measured.")
elif not report.hot_cold:
    st.caption("No warm-then-silent rhythm stands out in this chat.")
for i, (wording, behind) in enumerate(convo.observations(report, me)):
    st.info(wording, icon=":material/sync_alt:")
    with st.expander("The messages behind this", key=f"conv_behind_{i}"):
        st.markdown("\n".join(f"- {md_escape(line)}" for line in behind))

# --- flagged messages ------------------------------------------------------------------------------------------------

if me is None:
    st.info("Choose which one is you above to go through the flagged messages, yours or theirs.",
            icon=":material/person:")
    st.stop()
people = convo.whose(chat, me, view)
mine_view = view == convo.MINE
options = [None, *[p for p in cat if any(report.people[n].by_pattern[p] for n in people)]]
title_col, filter_col = st.columns([3, 2], vertical_alignment="bottom")
pattern = filter_col.selectbox("Pattern", options=options, format_func=lambda p: "All patterns" if p is None else cat[p].name,
                               key=f"conv_pattern_{view}", on_change=reset_view)
items = convo.flagged_items(report, people, pattern)
title_col.subheader(f"{len(items):,} of my messages could read as a tactic" if mine_view
                    else f"{len(items):,} of their messages may be working on you")
st.caption("Notes on wording, not on anyone: the checker only sees these words, not your history." if items else
           "Nothing flagged here." if mine_view else "Nothing in their messages reads like a tactic.")
for item in items[:ss.conv_shown]:
    key = (item.message.index, view)
    if key not in ss.conv_checks:
        ss.conv_checks[key] = convo.message_check(page.require_detector(), resources.rewriter() if mine_view else None,
                                                  item, view)
    result = ss.conv_checks[key]
    with st.container(border=True, key=f"conv_item_{item.message.index}"):
        st.caption(md_escape(convo.item_label(item, cat)))
        st.html(highlight_html(item.message.text, spans_from_flags(item.flags), cat, small=True))
        for i, card in enumerate(result.cards):
            with st.expander(cards.card_label(card.flag, cat), icon=":material/chat_bubble:",
                             key=f"conv_card_{item.message.index}_{i}_{view}"):
                if mine_view:
                    cards.write_card_body(i, card, cat, key_prefix=f"conv-{item.message.index}-")
                else:
                    cards.receive_card_body(card, cat)
        if mine_view and result.whole_message:
            st.caption("The whole message, said sincerely:")
            st.code(result.whole_message, language=None, wrap_lines=True)
if len(items) > ss.conv_shown:
    st.button(f"Show {min(convo.PAGE_SIZE, len(items) - ss.conv_shown)} more", key="conv_more", on_click=on_more,
              icon=":material/expand_more:")
