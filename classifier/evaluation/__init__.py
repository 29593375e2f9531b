"""Beside the flow: metrics, the test split, external real text, the keyword baseline, A/B runs and reports."""
