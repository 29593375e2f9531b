"""Shared UI code for the Sincerely Streamlit app: loaders, rendering helpers and page-independent logic.

Everything here that does not need a running Streamlit session is plain Python, so it can be unit-tested.
"""
