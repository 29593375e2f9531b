"""Composing the whole message: the draft with each flagged region replaced, every other sentence kept byte for byte.

A `Draft` is the analysed text with its sentences, details and casing; `compose` splices replacements into it and
tidies the connectors and hedges a replaced clause leaves hanging; `replace_phrase` does that for one flag.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..detect.detector import Analysis, Flag
from ..text.patterns import EMOJI_RE, SENTENCE_BREAK_RE, WORD_RE
from .details import DetailFinder
from .rank import MAX_PLACEHOLDERS
from .strategies import TAG_ONLY_RE, TRAILING_TAG_RE
from .style import cap, is_lowercase_style, styled, tidy, uncap
from .types import Candidate, Details, Found
from .words import (
    ANCHOR_PATTERNS,
    BAIT_PATTERNS,
    DANGLING_END,
    DANGLING_START,
    GREETING_FRAGMENT_RE,
    HEDGE_ONLY_RE,
    LEAD_JUNK_RE,
    LEAD_PUNCT_RE,
    SUBORDINATE_RE,
    TRAIL_JUNK_RE,
    VAGUE_RE,
    WINKS,
)


@dataclass
class Region:
    """Overlapping flags merged: the span that gets one replacement in the whole message."""

    start: int
    end: int
    flags: list[Flag] = field(default_factory=list)

    @property
    def primary(self) -> Flag:
        return max(self.flags, key=lambda f: (f.end - f.start, f.score))


def merge_flags(flags: list[Flag]) -> list[Region]:
    regions: list[Region] = []
    for f in sorted(flags, key=lambda f: (f.start, f.end)):
        if regions and f.start < regions[-1].end:
            regions[-1].end = max(regions[-1].end, f.end)
            regions[-1].flags.append(f)
        else:
            regions.append(Region(f.start, f.end, [f]))
    return regions


class Draft:
    """A draft with its sentences, details and casing style."""

    def __init__(self, analysis: Analysis, finder: DetailFinder, romance_ok: bool = True) -> None:
        self.text = text = analysis.text
        self.analysis = analysis
        self.romance_ok = romance_ok  # False for family, friends, work: no romantic wording the draft lacks
        self.sentences = sorted(analysis.sentences) or [(0, len(text))]
        self.found = finder.find(analysis)
        self.lowercase = is_lowercase_style(text, self.sentences)
        self.keep_i = bool(re.search(r"\bI\b", text))
        self.words = frozenset(WORD_RE.findall(text.lower()))
        names = [f for f in self.found if f.kind == "name"]
        self.name = names[0].text if names else None
        # words the writer capitalised in a lowercase draft ("Dad", "Sam") keep their capital in suggestions
        capitalised = {w for w in WORD_RE.findall(text) if w[:1].isupper() and w.lower() != w and w != "I"}
        self.cased_words = tuple(sorted(capitalised | ({self.name} if self.name else set())))

    def rest_has_words(self, region: Region) -> bool:
        """Whether the draft says anything outside a region (so the region can simply go)."""
        rest = self.text[:region.start] + " " + self.text[region.end:]
        return len(WORD_RE.findall(rest)) >= 3 and not HEDGE_ONLY_RE.match(rest) and not TAG_ONLY_RE.match(rest)

    def style(self, text: str) -> str:
        return tidy(styled(text, self.lowercase, self.cased_words, self.keep_i))

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """From the start of the first sentence the span touches to the end of the last."""
        touching = [(s, e) for s, e in self.sentences if s < end and e > start]
        if not touching:
            return start, end
        return min(touching[0][0], start), max(touching[-1][1], end)

    def details_for(self, start: int, end: int, pattern: str, whole: bool = False) -> Details:
        """Details in the sentence(s) of a span; the person's name from anywhere (not repeated in the whole message).
        The plans inside a jealousy-bait phrase are the bait (someone else's date), so they are never carried."""
        s, e = self.sentence_span(start, end)
        inside = [f for f in self.found if f.start >= s and f.end <= e
                  and not (pattern in BAIT_PATTERNS and f.kind != "name" and f.start < end and f.end > start)]

        def pick(kind: str) -> Found | None:
            items = [f for f in inside if f.kind == kind and (kind != "topic" or start <= f.start < end)]
            in_span = [f for f in items if f.start >= start and f.end <= end]
            return (in_span or items or [None])[0]

        name = self.name
        if whole:  # inside the whole message, carry only what the replaced span would otherwise lose
            inside = [f for f in inside if f.start >= start and f.end <= end]
            name = next((f.text for f in inside if f.kind == "name"), None)
        return Details(name=name, day=pick("day"), time=pick("time"), plan=pick("plan"), topic=pick("topic"),
                       anchor_ok=pattern in ANCHOR_PATTERNS,
                       vague=bool(VAGUE_RE.search(self.text[start:end])), cased=not self.lowercase)


def whole_plans(options: list[list[Candidate]], main: int) -> list[tuple[str | int, bool, bool]]:
    """The order in which whole-message versions are tried: (tone or rotation, drop asides, keep fragments)."""
    tones = list(dict.fromkeys(c.tone for c in options[main]))
    rotations = range(1, max((len(o) for o in options), default=1))
    return ([(t, True, True) for t in tones] + [(t, True, False) for t in tones]
            + [(r, True, keep) for r in rotations[:3] for keep in (True, False)]
            + [(r, False, keep) for r in rotations for keep in (True, False)])


def main_region(regions: list[Region]) -> int:
    return max(range(len(regions)), key=lambda i: (regions[i].end - regions[i].start, regions[i].primary.score))


def whole_variants(draft: Draft, regions: list[Region], options: list[list[Candidate]], ks: range) -> list[str]:
    """Whole-message versions, most natural first.

    The main (longest) region gets the sincere line; a secondary region that repeats a pattern or is short is
    simply left out, so the message says the real thing once. The first versions use one tone throughout and keep
    the unflagged parts of flagged sentences; later ones replace whole flagged sentences (a kept fragment can read
    as a tactic once its neighbour is gone), then rotate through the other options.
    """
    main = main_region(regions)
    plans = whole_plans(options, main)
    drop = [i != main and _droppable(draft, regions, i) for i in range(len(regions))]
    out = []
    for k in ks:
        if k >= len(plans):
            break
        how, drop_asides, keep = plans[k]
        budget, used_texts, chosen = MAX_PLACEHOLDERS, set(), []
        for i, opts in enumerate(options):
            if drop[i] and drop_asides:
                chosen.append("")
                continue
            pool = [c for c in opts if c.tone == how] + opts if isinstance(how, str) else opts[how:] + opts[:how]
            pick = _choose_option(pool, 0, budget, used_texts)
            budget -= pick.placeholders if pick else 0
            if pick:
                used_texts.add(pick.text)
            chosen.append(pick.text if pick else "")
        message = compose(draft, regions, chosen, keep_fragments=keep)
        if message and message not in out and not _repeats_itself(message):
            out.append(message)
    return out


def _repeats_itself(message: str) -> bool:
    """Two sentences of the message say nearly the same words (an inserted line echoing a kept one)."""
    bags = [set(WORD_RE.findall(s.lower())) for s in SENTENCE_BREAK_RE.split(message) if s.strip()]
    bags = [b for b in bags if len(b) >= 3]
    return any(len(a & b) / len(a | b) >= 0.75 for i, a in enumerate(bags) for b in bags[i + 1:])


def _droppable(draft: Draft, regions: list[Region], i: int) -> bool:
    """A secondary region can just go when another region has its pattern or it is a short aside."""
    region = regions[i]
    same = any(j != i and r.primary.pattern == region.primary.pattern for j, r in enumerate(regions))
    return same or len(WORD_RE.findall(draft.text[region.start:region.end].lower())) <= 6


def _choose_option(opts: list[Candidate], k: int, budget: int, used: set[str]) -> Candidate | None:
    pool = opts[k:] + opts[:k]
    for c in pool:
        if c.placeholders <= budget and (c.text not in used or not c.text):
            return c
    return None


def compose(draft: Draft, regions: list[Region], replacements: list[str], keep_fragments: bool = True) -> str:
    """The draft with each region replaced; sentences outside flagged chunks stay byte for byte. Without
    keep_fragments, flagged sentences are replaced whole (their unflagged clauses go too)."""
    text = draft.text
    chunks = _chunks(draft, regions)
    out, pos = [], 0
    for (cs, ce), members in chunks:
        out.append(text[pos:cs])
        piece = _compose_chunk(draft, cs, ce, [(regions[i], replacements[i]) for i in members], keep_fragments)
        if not piece:  # the whole chunk went: drop the space before it too
            while out and out[-1] and out[-1][-1] in " \t":
                out[-1] = out[-1][:-1]
        out.append(piece)
        pos = ce
    out.append(text[pos:])
    message = "".join(out)
    message = re.sub(r"^[ \t]+", "", message)
    return message.strip()


def _chunks(draft: Draft, regions: list[Region]) -> list[tuple[tuple[int, int], list[int]]]:
    """Sentence-aligned chunks around regions, with neighbouring hedge-only sentences ('lol jk') pulled in."""
    spans = []
    for i, r in enumerate(regions):
        s, e = draft.sentence_span(r.start, r.end)
        spans.append([s, e, [i]])
    sents = draft.sentences
    for span in spans:
        for ss, se in sents:  # hedge-only sentence right after (or before) the chunk
            gap_after = draft.text[span[1]:ss]
            gap_before = draft.text[se:span[0]]
            hanging = HEDGE_ONLY_RE.match(draft.text[ss:se]) or TAG_ONLY_RE.match(draft.text[ss:se])
            if ss >= span[1] and not gap_after.strip() and hanging:
                span[1] = se
            elif se <= span[0] and not gap_before.strip() and HEDGE_ONLY_RE.match(draft.text[ss:se]):
                span[0] = ss
    spans.sort()
    merged: list[list] = []
    for s, e, members in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
            merged[-1][2].extend(members)
        else:
            merged.append([s, e, list(members)])
    return [((s, e), sorted(m)) for s, e, m in merged]


def _compose_chunk(draft: Draft, cs: int, ce: int, parts: list[tuple[Region, str]], keep_fragments: bool = True) -> str:
    """Kept fragments of the chunk (cleaned at their edges) joined with the replacements."""
    text = draft.text
    pieces: list[tuple[str, str]] = []
    pos = cs
    for region, repl in sorted(parts, key=lambda p: p[0].start):
        raw = text[pos:max(pos, region.start)]
        frag = clean_fragment(raw, lead=bool(pieces), trail=True) if keep_fragments else ""
        if frag and _hanging_intro(raw, frag, draft.name):
            frag = ""
        if frag:
            pieces.append(("keep", frag))
        if repl:
            pieces.append(("new", repl))
        pos = max(pos, region.end)
    tail = clean_fragment(text[pos:ce], lead=True, trail=False) if keep_fragments else ""
    if tail:
        pieces.append(("keep", tail))
    names = (draft.name,) if draft.name else ()
    out = ""
    for _kind, piece in pieces:
        out = _join(out, piece, draft.lowercase, names)
    out = tidy(out)
    return _with_emoji(out, text[cs:ce]) if out else out  # the writer's emoji stay with what is kept of the chunk


def _with_emoji(replacement: str, replaced: str) -> str:
    """The writer's emoji from the replaced words, kept after the replacement (not a wink or shrug that was part
    of the tactic)."""
    keep = [e for e in dict.fromkeys(m.group(0) for m in EMOJI_RE.finditer(replaced))
            if e not in WINKS and not TAG_ONLY_RE.match(e) and e not in replacement]
    return replacement + (" " + "".join(keep) if keep else "")


def _hanging_intro(raw: str, frag: str, name: str | None) -> bool:
    """'As for the rest,' or 'oh and quick one,' led into the replaced clause and can't stand alone; a greeting
    or the person's name ('Mum,') can."""
    if not re.search(r"[,:;\-–—]\s*$", raw) or len(WORD_RE.findall(frag.lower())) > 4:
        return False
    if name and name.lower() in frag.lower():
        return False
    return not (GREETING_FRAGMENT_RE.match(frag.strip(" ,:;-")) and len(frag.split()) <= 3)


def clean_fragment(frag: str, lead: bool, trail: bool) -> str:
    """Strip connectors and hedges left hanging at a fragment's edges; drop it if what's left can't stand alone."""
    frag = frag.strip()
    if lead:
        frag = LEAD_PUNCT_RE.sub("", frag)
        if SUBORDINATE_RE.match(frag):  # "..., which is fine": hangs on the replaced clause
            return ""
    for _ in range(4):
        before = frag
        if trail:
            frag = TRAIL_JUNK_RE.sub("", frag).rstrip(" \t\n,;:-–—/~")
        if lead:
            frag = LEAD_JUNK_RE.sub("", frag).lstrip()
        if frag == before:
            break
    if not any(c.isalnum() for c in frag) or HEDGE_ONLY_RE.match(frag) or SUBORDINATE_RE.match(frag):
        return ""
    frag = TRAILING_TAG_RE.sub("", frag).rstrip()  # "chill", "your choice": the tactic's tail goes with it
    if not frag or TAG_ONLY_RE.match(frag):
        return ""
    words = WORD_RE.findall(frag.lower())
    if trail and words and words[-1] in DANGLING_END and not re.search(r"[.!?]$", frag):
        return ""
    if lead and words and words[0] in DANGLING_START:
        return ""
    if lead and not trail and len(words) <= 2 and not EMOJI_RE.search(frag):  # ", weird." after a replaced clause
        return ""
    return frag


def _join(left: str, right: str, lowercase: bool, names: tuple[str, ...]) -> str:
    """Join two pieces as a reader expects: a greeting takes a comma, anything else ends its sentence."""
    if not left:
        return cap(right, lowercase)
    if not right:
        return left
    end = left.rstrip()[-1]
    greeting = bool(GREETING_FRAGMENT_RE.match(left.strip(" ,:;-")))
    if end in ".!?…)" or EMOJI_RE.match(end) or end == "\ufe0f":
        return f"{left} {cap(right, lowercase)}"
    base = left.rstrip(" ,:;-–—")
    if greeting and len(base.split()) <= 3:
        return f"{base}, {uncap(right, names)}"
    return f"{base}. {cap(right, lowercase)}"


def replace_phrase(draft: Draft, flag: Flag, replacement: str) -> str:
    """The draft with one flagged phrase replaced, tidied the same way as in the whole-message rewrite. A replacement
    that carries most of the words around the phrase (an edit of its sentence) replaces the whole sentence."""
    s, e = draft.sentence_span(flag.start, flag.end)
    around = content_words(draft.text[s:flag.start] + " " + draft.text[flag.end:e])
    if around and len(around & content_words(replacement)) >= 0.5 * len(around):
        return compose(draft, [Region(s, e, [flag])], [replacement])
    return compose(draft, merge_flags([flag]), [replacement])


def content_words(text: str) -> set[str]:
    return {w for w in WORD_RE.findall(text.lower()) if len(w) > 2 and w not in DANGLING_END}
