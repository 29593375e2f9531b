"""Sincerely: check a message draft for manipulative tactics before you send it. Run: streamlit run app.py"""
import streamlit as st

# An emoji icon is served locally; a :material: page icon would be fetched from a font CDN on every page view.
st.set_page_config(page_title="Sincerely", page_icon="🤍", layout="centered")
st.navigation(
    [
        st.Page("views/check.py", title="Check a draft", icon=":material/edit_note:", default=True),
        st.Page("views/conversation.py", title="Look at a conversation", icon=":material/forum:"),
        st.Page("views/guide.py", title="Pattern guide", icon=":material/menu_book:"),
        st.Page("views/practice.py", title="Practice", icon=":material/school:"),
        st.Page("views/about.py", title="About & privacy", icon=":material/shield:"),
    ],
    position="top",
).run()
