"""Highlighted drafts as HTML. Every piece of user or corpus text goes through html.escape before it is rendered."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .theme import swatch


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of text: text[start:end] carries `pattern`."""

    start: int
    end: int
    pattern: str


def esc(text: object) -> str:
    """HTML-escape any text (quotes included, so it is safe inside attributes too)."""
    return html.escape(str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$^=])")


def md_escape(text: str, limit: int | None = None) -> str:
    """Make user text inert inside Streamlit markdown (labels, captions): no formatting, links, directives or HTML."""
    flat = " ".join(str(text).split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    return flat.replace(":", ":\u200b")  # break :emoji:, :color[...] and :material/...: shortcodes


def spans_from_flags(flags: Iterable) -> list[Span]:
    return [Span(f.start, f.end, f.pattern) for f in flags]


def spans_from_phrases(text: str, phrases: Mapping[str, Iterable[str]]) -> list[Span]:
    """Spans for gold phrases (corpus rows, catalogue examples): the first occurrence of each phrase."""
    out = []
    for pid, items in phrases.items():
        for phrase in items:
            start = text.find(phrase) if phrase else -1
            if start >= 0:
                out.append(Span(start, start + len(phrase), pid))
    return out


def _tag(pattern_id: str, catalogue: Mapping) -> str:
    sw = swatch(pattern_id)
    name = catalogue[pattern_id].name if pattern_id in catalogue else pattern_id
    return f'<span class="s-tag" style="background:{sw.ink};color:#ffffff">{esc(name)}</span>'


def _title(patterns: list[str], catalogue: Mapping) -> str:
    parts = []
    for pid in patterns:
        p = catalogue.get(pid)
        parts.append(f"{p.name}: {p.short}" if p is not None else pid)
    return " · ".join(parts)


def highlight_html(text: str, spans: Iterable[Span], catalogue: Mapping, *, small: bool = False) -> str:
    """The text with each span wrapped in a coloured, labelled <mark>; text outside spans stays plain.

    Overlapping spans are split at every boundary: each piece takes the colour of the earliest span covering it,
    and its hover text lists every pattern covering it. A label is shown where each span starts.
    """
    n = len(text)
    clean = sorted(
        {Span(max(0, s.start), min(n, s.end), s.pattern) for s in spans if min(n, s.end) > max(0, s.start)},
        key=lambda s: (s.start, -s.end, s.pattern),
    )
    cuts = sorted({0, n, *(s.start for s in clean), *(s.end for s in clean)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b <= a:
            continue
        piece = esc(text[a:b])
        covering = [s for s in clean if s.start <= a and s.end >= b]
        if not covering:
            out.append(piece)
            continue
        patterns = list(dict.fromkeys(s.pattern for s in covering))
        sw = swatch(patterns[0])
        tags = "".join(_tag(s.pattern, catalogue) for s in covering if s.start == a)
        out.append(
            f'<mark class="s-mark" data-pattern="{esc(" ".join(patterns))}" title="{esc(_title(patterns, catalogue))}" '
            f'style="background:{sw.background};border-bottom-color:{sw.border};color:inherit">{tags}{piece}</mark>'
        )
    size = " s-small" if small else ""
    return f'<div class="s-draft{size}">{"".join(out)}</div>'


def legend_html(pattern_ids: Iterable[str], catalogue: Mapping) -> str:
    """One entry per pattern: colour chip, name and its `short` line."""
    items = []
    for pid in dict.fromkeys(pattern_ids):
        p = catalogue.get(pid)
        if p is None:
            continue
        sw = swatch(pid)
        items.append(
            f'<span class="s-legend-item" title="{esc(p.short)}"><span class="s-chip" style="background:{sw.background};'
            f'border-color:{sw.border}"></span><strong>{esc(p.name)}</strong><span>{esc(p.short)}</span></span>'
        )
    if not items:
        return ""
    return f'<div class="s-legend" aria-label="Legend">{"".join(items)}</div>'


def phrase_html(phrase: str, pattern_id: str) -> str:
    """A flagged phrase on its own, quoted in the pattern's colour."""
    sw = swatch(pattern_id)
    return (f'<div class="s-phrase" style="background:{sw.background};border-left-color:{sw.border}">'
            f"“{esc(phrase)}”</div>")


def plain_html(text: str, *, small: bool = True) -> str:
    """Text shown literally in the draft style, with no highlights."""
    return highlight_html(text, (), {}, small=small)
