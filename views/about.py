"""About and privacy: what the model can and cannot know, its measured accuracy, and the privacy promise."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from classifier.errors import ModelFileError
from ui import feedback, page, resources
from ui.report import load_report, pct

page.setup()
cat = resources.catalogue()

st.title("About Sincerely")
st.markdown(
    "Sincerely reads a message draft and points out phrases that could come across as a tactic: pretending not to "
    "care, hinting at someone new, going hot and cold, playing hard to get, false closure, guilt, ultimatums and "
    "rewriting someone's memory. It explains why each one tends to backfire and suggests a sincere way to say what "
    "you actually mean. People often reach for these moves when they're hurting, so the notes are about wording, "
    "never about you."
)

st.subheader("What it can and cannot know")
st.markdown(
    "- **It sees words, not intent.** A flag means the wording resembles a pattern, not that you meant to "
    "manipulate anyone. Only you know why you wrote it.\n"
    "- **It doesn't know your history or context.** \"I'm fine, honestly\" can be true. Inside jokes, sarcasm "
    "between close friends and shared history are invisible to it.\n"
    "- **It was trained on English text messages** about exes, partners, dates, friends and family. Other "
    "languages and very different kinds of writing get a note, and its flags there are less reliable.\n"
    "- **It can miss things and flag things wrongly.** Use it as a second pair of eyes, not a judge. "
    "If you disagree with a flag, **I meant this sincerely** hides it."
)

st.subheader("How accurate it is")
report = load_report()
if report is None:
    st.info("There is no evaluation report yet (reports/metrics.json is missing or unreadable), so there are no "
            "measured figures to show. Run `python -m classifier evaluate` to produce one.")
else:
    if report.real_text:
        st.markdown(
            "**On real messages.** These are the figures you are most likely to feel: how often ordinary messages "
            "that nobody on our team wrote get a flag anyway. Lower is better."
        )
        cols = st.columns(len(report.real_text))
        for col, fig in zip(cols, report.real_text, strict=True):
            col.metric(f"{fig.name} flagged", pct(fig.flagged_share, digits=1), border=True,
                       help=f"{fig.messages:,} {fig.what}")
        st.caption(" · ".join(f"{fig.name}: {fig.messages:,} {fig.what}" for fig in report.real_text))
    st.markdown(
        f"**On our own test split.** Measured on {report.messages or 'the'} test messages the model never saw while "
        f"training{f' (report from {report.written})' if report.written else ''}. The team wrote them the same way "
        "as the training messages, so these figures flatter the model compared with real messages."
    )
    c1, c2 = st.columns(2)
    c1.metric("Macro-F1", f"{report.macro_f1:.2f}", border=True,
              help="Balance of precision and recall (1.0 is perfect), averaged over the eight patterns")
    c2.metric("Phrase overlap", pct(report.phrase_overlap), border=True,
              help="How closely the highlighted phrases match the ones people labelled")
    c3, c4 = st.columns(2)
    c3.metric("Sincere look-alikes flagged", pct(report.fpr_hard_negative), border=True,
              help="Share of sincere messages that resemble a pattern but were flagged anyway")
    c4.metric("Everyday messages flagged", pct(report.fpr_neutral), border=True,
              help="Share of ordinary messages (plans, jokes, check-ins) flagged anyway")
    if report.per_pattern:
        table = pd.DataFrame(
            [{"Pattern": cat[pid].name if pid in cat else pid, "Precision": f"{v.get('precision', 0):.2f}",
              "Recall": f"{v.get('recall', 0):.2f}", "F1": f"{v.get('f1', 0):.2f}", "Test messages": v.get("support")}
             for pid, v in sorted(report.per_pattern.items(), key=lambda kv: list(cat).index(kv[0]) if kv[0] in cat else 99)]
        ).set_index("Pattern")
        st.table(table)
    targets = report.targets
    if targets.get("macro_f1") and report.macro_f1 < targets["macro_f1"]:
        st.caption(f"That is below the project's own target (macro-F1 {targets['macro_f1']:.2f}), so treat flags as "
                   "suggestions worth a second look, not answers.")

try:
    det = resources.detector()
    meta = det.meta
    st.caption(f"Model trained on {meta.get('train_rows', '?')} messages.")
except ModelFileError as exc:
    page.model_error(str(exc))

st.subheader("Privacy")
st.markdown(
    "- **Your drafts stay in this app's process.** They are checked on this computer, in memory, and are gone "
    "when you close the tab. Nothing is sent to any server or third party.\n"
    "- **Uploaded chats stay in memory too.** A chat export you upload on *Look at a conversation* is read in this "
    "app's memory, never written to disk, and gone when you press *Forget this chat* or close the tab.\n"
    "- **Nothing is stored unless you opt in.** The *Help improve the model* switch on the check page is off by "
    "default. Only when you turn it on are the draft, the flag and your answer saved, to a CSV file on this "
    f"computer: `{feedback.feedback_path()}`.\n"
    "- **No telemetry.** Usage statistics are switched off, and the app doesn't log or print what you write."
)
saved = feedback.count_saved()
if saved:
    st.caption(f"You have {saved} saved feedback row{'s' if saved != 1 else ''}.")
    if st.button("Delete my saved feedback", key="about-delete-feedback"):
        feedback.delete_saved()
        st.rerun()

st.subheader("If you're struggling")
st.markdown(
    "Breakups and family rifts can hurt a lot. If you're having thoughts of harming yourself, please reach out: "
    "**988** (US, call or text), **116 123** (Samaritans, UK and Ireland), or your local emergency number. "
    "Elsewhere, findahelpline.com lists free, confidential lines."
)
