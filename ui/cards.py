"""The cards under a checked message, shared by the check page and the conversation page: one per flag, with why it
may backfire and sincere alternatives (my messages), or what it may be doing and calm replies (received ones)."""
from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from . import checker
from .highlight import md_escape, phrase_html


def card_label(flag, catalogue: Mapping) -> str:
    return f"**{catalogue[flag.pattern].name}** · “{md_escape(flag.phrase, 60)}” · {flag.confidence}"


def write_card_body(i: int, card: checker.Card, catalogue: Mapping, on_use: Callable | None = None,
                    key_prefix: str = "") -> None:
    """Inside an open card for a message I wrote; "Use this" buttons only when there is a draft to put them in."""
    flag = card.flag
    p = catalogue[flag.pattern]
    st.html(phrase_html(flag.phrase, flag.pattern))
    st.caption(f"{checker.confidence_words(flag)} {p.short}")
    for other in card.also:
        st.caption(f"The same words could also read as **{catalogue[other.pattern].name}**: {catalogue[other.pattern].short}")
    st.markdown(f"**Why it may backfire**  \n{p.why_it_backfires}")
    st.markdown(f"**What you might really want to say**  \n{p.underlying_need}")
    if card.alternatives:
        st.markdown("**Sincere ways to say it**")
        for j, alt in enumerate(card.alternatives):
            with st.container(border=True):
                st.markdown(f"**{checker.tone_label(alt.tone)}** · {md_escape(alt.explanation)}")
                st.code(alt.text, language=None, wrap_lines=True)
                if on_use is not None:
                    st.button("Use this", key=f"{key_prefix}use-{i}-{j}", icon=":material/edit:", on_click=on_use,
                              args=(alt.text, flag), help="Put this in your draft in place of the phrase, and check again")


def receive_card_body(card: checker.Card, catalogue: Mapping) -> None:
    """Inside an open card for a message someone sent me."""
    flag = card.flag
    p = catalogue[flag.pattern]
    st.html(phrase_html(flag.phrase, flag.pattern))
    st.caption(checker.confidence_words(flag))
    st.markdown(f"**What this may be doing to you**  \n{p.for_reader}")
    st.markdown(f"**What the pattern is**  \n{p.description}")
    st.markdown("**Calm ways you could answer**")
    for reply in p.calm_replies:
        st.code(reply, language=None, wrap_lines=True)
