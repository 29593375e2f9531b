"""The 50,000-message benchmark runs end to end (here on a small chat; its timings are reported, not asserted)."""
from __future__ import annotations

from benchmarks import conversation


def test_the_conversation_benchmark_measures_every_path(detector):
    figures = conversation.measure(detector, messages=1_000)
    assert figures["conversation_messages"] == 1_000
    assert 0 < figures["conversation_distinct_texts"] <= 1_000
    assert figures["conversation_flagged_messages"] > 0
    for key in ("conversation_read_s", "conversation_analyze_s", "conversation_analyze_all_distinct_s",
                "conversation_50k_cli_s", "conversation_50k_app_s"):
        assert figures[key] > 0, key
    assert figures["conversation_cli_peak_mb_one_process"] >= figures["conversation_cli_peak_mb_at_one_fifth"] > 50
    assert figures["conversation_50k_cli_one_process_s"] > 0 and figures["conversation_50k_cli_all_distinct_s"] > 0
