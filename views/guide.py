"""Pattern guide: every pattern in the catalogue, with sources, examples beside sincere look-alikes, and sincere moves."""
from __future__ import annotations

import streamlit as st

from ui import page, resources
from ui.highlight import highlight_html, plain_html, spans_from_phrases

ss = st.session_state
page.setup()
cat = resources.catalogue()
ss.setdefault("guide_next", {})

st.title("Pattern guide")
st.markdown(
    "Eight patterns from popular \"get them back\" advice. Each one tries to produce a feeling in the reader without "
    "saying the real feeling or request. The sincere look-alikes beside them can be sad, blunt or firm, and still be "
    "honest, because they say what they mean."
)

for pid, p in cat.items():
    with st.expander(f"**{p.name}**: {p.short}", icon=":material/label:"):
        st.markdown(p.description)
        st.markdown(f"**Why it backfires**  \n{p.why_it_backfires}")
        st.caption("**Sources**  \n" + "  \n".join(
            f"{s.get('cite', '')}" + (f" *Supports: {s['supports']}*" if s.get("supports") else "") for s in p.sources))
        st.markdown("**Sincere moves**\n" + "\n".join(f"- {m}" for m in p.sincere_moves))

        left, right = st.columns(2, gap="medium")
        with left:
            st.markdown("**Could read as a tactic**")
            for ex in p.examples[:5]:
                st.html(highlight_html(ex.text, spans_from_phrases(ex.text, {pid: [ex.phrase]}), cat, small=True))
        with right:
            st.markdown("**Sincere look-alikes**")
            for la in p.look_alikes[:5]:
                st.html(plain_html(la.text))
                st.caption(la.why)

        if st.button("Try an example in the checker", key=f"try-{pid}", icon=":material/arrow_forward:"):
            k = ss.guide_next.get(pid, 0)
            example = p.examples[k % len(p.examples)]
            ss.guide_next = {**ss.guide_next, pid: k + 1}
            ss.draft = example.text
            ss.checked_text = example.text
            ss.mode = "write"
            st.switch_page("views/check.py")
