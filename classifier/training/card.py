"""The data card's figures block (data/README.md), regenerated from the data."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..paths import DATA_DIR
from ..text.patterns import EMOJI_RE
from .corpus import words
from .validate import V2_TAGS, Report, validate

CARD_PATH = DATA_DIR / "README.md"
CARD_BEGIN, CARD_END = "<!-- figures:begin -->", "<!-- figures:end -->"


def style_comparison(rows: list[dict[str, Any]], background: list[str]) -> dict[str, dict[str, float]]:
    """Style figures of the corpus beside those of real background text (shares of messages)."""
    corpus = [r["text"] for r in rows]
    return {"corpus": text_style(corpus), "background": text_style(background)}


SMS_SPEAK_RE = re.compile(r"\b(ü|lor|wat|2day|2moro|gr8|l8r|cu|ur|u|n|da|tmr|k|pls|plz|wot|soz|m8)\b", re.I)
SWEAR_RE = re.compile(r"\b(fuck\w*|shit\w*|damn|bloody|bitch\w*|crap|piss\w*|ass|arse|hell)\b", re.I)


def text_style(texts: list[str]) -> dict[str, float]:
    n = max(1, len(texts))
    return {
        "starts with a capital": sum(t[:1].isupper() for t in texts) / n,
        "all lowercase": sum(t == t.lower() for t in texts) / n,
        "ellipsis": sum("..." in t or "…" in t for t in texts) / n,
        "SMS-speak": sum(bool(SMS_SPEAK_RE.search(t)) for t in texts) / n,
        "4 words or fewer": sum(len(words(t)) <= 4 for t in texts) / n,
        "swearing": sum(bool(SWEAR_RE.search(t)) for t in texts) / n,
        "emoji": sum(bool(EMOJI_RE.search(t)) for t in texts) / n,
        "question": sum("?" in t for t in texts) / n,
    }


def render_card_figures(report: Report, style: dict[str, dict[str, float]]) -> str:
    """The data card's figures block, regenerated from the data (`python -m classifier data card`)."""
    f = report.figures
    lines = [CARD_BEGIN, "", "| figure | value |", "|---|---|",
             f"| rows | {f['rows']:,} |", f"| positives | {f['positives']:,} |",
             f"| hard negatives | {f['hard_negatives']:,} |", f"| neutral | {f['neutral']:,} |",
             "| positives per pattern | " + ", ".join(f"{p} {n}" for p, n in f["per_pattern"].items()) + " |",
             "| hard negatives per pattern | " + ", ".join(f"{p} {n}" for p, n in f["hard_per_pattern"].items()) + " |",
             f"| two-pattern positives | {f['dual_share']:.1%} |",
             "| split | " + ", ".join(f"{k} {v:.1%}" for k, v in f["split_share"].items()) + " |",
             "| sources | " + ", ".join(f"{k} {v:,}" for k, v in f["sources"].items()) + " |",
             "| corpus v2 kinds | " + ", ".join(f"{t} {f['v2'][t]}" for t in V2_TAGS if t != "off_frame") + " |",
             "| off-frame positives per pattern | " + ", ".join(str(n) for n in f["v2"]["off_frame_positives"].values()) + " |",
             "| SMS-speak positives per pattern | " + ", ".join(str(n) for n in f["v2"]["sms_speak_positives"].values()) + " |",
             "", "Style of the corpus beside real background text (GoEmotions pool), share of messages:", "",
             "| style | corpus | background |", "|---|---|---|"]
    for name, value in style["corpus"].items():
        lines.append(f"| {name} | {value:.1%} | {style['background'].get(name, 0.0):.1%} |")
    lines += ["", "Validator checks:", ""]
    lines += [f"- [{'ok' if ok else 'FAIL'}] {name}: {detail}" for name, ok, detail in report.checks]
    lines += ["", CARD_END]
    return "\n".join(lines)


def card_block(rows: list[dict[str, Any]]) -> str:
    from .background import load_slice

    report = validate(rows)
    return render_card_figures(report, style_comparison(rows, [c["text"] for c in load_slice("pool")]))


def write_card(rows: list[dict[str, Any]], path: Path = CARD_PATH) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = text.index(CARD_BEGIN), text.index(CARD_END) + len(CARD_END)
    path.write_text(text[:start] + card_block(rows) + text[end:], encoding="utf-8")


