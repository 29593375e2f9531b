"""Colours and the small amount of CSS the app uses: one soft colour per pattern, always paired with a text label."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Swatch:
    background: str  # the highlight fill
    border: str  # underline and label background
    ink: str  # label text (dark enough on `background` for WCAG AA)


PATTERN_COLOURS: dict[str, Swatch] = {
    "feigned_indifference": Swatch("#dfe9f7", "#7d9fd0", "#23406b"),
    "jealousy_bait": Swatch("#f8e0ea", "#d88aab", "#7a2449"),
    "hot_cold": Swatch("#fde8d2", "#e0a468", "#713d0b"),
    "playing_hard_to_get": Swatch("#e9e2f7", "#a492d6", "#43307a"),
    "reverse_psychology": Swatch("#dcf0e7", "#79b89b", "#1b5640"),
    "guilt_tripping": Swatch("#fbf1c9", "#d9b948", "#5e4a07"),
    "ultimatum": Swatch("#f8dcd8", "#d98b80", "#7e241b"),
    "gaslighting": Swatch("#d9eef2", "#6fb3c2", "#164f5b"),
}
DEFAULT_SWATCH = Swatch("#eeeeee", "#9e9e9e", "#333333")


def swatch(pattern_id: str) -> Swatch:
    return PATTERN_COLOURS.get(pattern_id, DEFAULT_SWATCH)


CSS = """
<style>
[data-testid="stMainBlockContainer"] {padding-top: 3.2rem;}
.s-draft {font-size: 1.05rem; line-height: 2.1; white-space: pre-wrap; word-wrap: break-word;
  background: #ffffff; border: 1px solid #e3e8ec; border-radius: 12px; padding: 1rem 1.2rem; color: #26323b;}
.s-draft.s-small {font-size: 0.97rem; line-height: 1.95; padding: 0.7rem 0.9rem;}
.s-mark {border-radius: 6px; padding: 0.12rem 0.25rem; border-bottom: 2px solid; cursor: help;
  -webkit-box-decoration-break: clone; box-decoration-break: clone;}
.s-tag {display: inline-block; font-size: 0.68rem; font-weight: 600; letter-spacing: 0.02em; line-height: 1.2;
  text-transform: uppercase; border-radius: 4px; padding: 0.08rem 0.32rem; margin-right: 0.3rem; vertical-align: 0.12em;}
.s-legend {display: flex; flex-wrap: wrap; gap: 0.45rem 1.1rem; margin: 0.55rem 0 0.2rem 0; font-size: 0.88rem; color: #46535c;}
.s-legend-item {display: inline-flex; align-items: center; gap: 0.4rem;}
.s-chip {display: inline-block; width: 0.95rem; height: 0.95rem; border-radius: 4px; border: 2px solid;}
.s-verdict {border-radius: 12px; padding: 0.85rem 1.1rem; margin: 0.2rem 0 0.6rem 0; border: 1px solid;}
.s-verdict-title {font-size: 1.12rem; font-weight: 600; margin: 0;}
.s-verdict-sub {font-size: 0.92rem; margin: 0.25rem 0 0 0; opacity: 0.9;}
.s-verdict.s-flags {background: #f4f1fa; border-color: #d9d1ec; color: #352c52;}
.s-verdict.s-clean {background: #edf6f1; border-color: #cfe6d9; color: #1f4d37;}
.s-verdict.s-neutral {background: #f2f5f7; border-color: #dbe3e8; color: #2f3f4a;}
.s-phrase {font-size: 1rem; border-radius: 8px; padding: 0.5rem 0.8rem; margin: 0.1rem 0 0.4rem 0; border-left: 4px solid;
  white-space: pre-wrap; word-wrap: break-word;}
.s-quiet {color: #5b6870; font-size: 0.9rem;}
</style>
"""
