"""Ranking candidate lines: closeness to what people wrote instead, details carried, placeholders, tone ties.

The weights were set by hand while reading the rewrite samples of the train and dev splits (never test); a change
is judged by `python -m classifier rewrite-report` (reports/rewrites.md).
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from ..text.patterns import WORD_RE
from ..text.pipeline import norm_of
from .slots import SLOT_RE
from .types import TONE_ORDER, Candidate
from .words import FEELING_WORDS


@dataclass(frozen=True)
class RankWeights:
    """Every ranking weight in one place, with what it is for."""

    detail: float = 0.06  # a carried draft detail (name, day, plan) counts like this much extra similarity
    concrete: float = 0.1  # a vague plan turned into a concrete question
    placeholder: float = 0.04  # per [blank] the person would have to fill in
    specific: float = 0.12  # per situation word in a line that the draft and its neighbours never mention
    slot_drop: float = 0.04  # a line whose day/time slot had to be dropped reads a little vaguer
    retrieved_discount: float = 0.0  # filtered retrieved wording competes with the best-fitting catalogue line
    tie_width: float = 0.12  # lines this close to their tone's best count as equally good (see rank_candidates)
    tone_bonus: tuple[float, float, float] = (0.06, 0.03, -0.05)  # in the whole message: the pattern's tones, in order
    whole_placeholder: float = 0.15  # in a message meant to be sent, a [blank] reads worse than a complete line
    neighbours: int = 5  # nearest train rewrites whose sentences may be offered
    edit: float = 0.3  # an edit of the flagged phrase's own words beats the best-fitting catalogue line (issue 14:
    #                    rated rewrites lost the request when a stock line replaced it)


WEIGHTS = RankWeights()
MAX_PLACEHOLDERS = 2  # per suggestion (all alternatives of a flag together) and per whole message


def tone_of(text: str) -> str:
    """Rough tone of retrieved wording: boundary if it asks for distance, warm if it names affection, else direct."""
    low = text.lower()
    if re.search(r"\b(?:space|distance|no contact|step(?:ping)? back|break from|not ready|reach out when|log off|"
                 r"for my own|need (?:some )?time|stop (?:texting|messaging))\b", low):
        return "boundary"
    if re.search(r"\b(?:miss|missed|love|care about|glad|hoping|i'd love|thinking about you|mean(?:s|t)? a lot)\b", low):
        return "warm"
    return "direct"


def candidate_score(c: Candidate) -> float:
    """Closeness to what people wrote instead, nudged up for carrying the draft's details."""
    return c.similarity + WEIGHTS.detail * len(c.used) + WEIGHTS.concrete * c.concrete - WEIGHTS.placeholder * c.placeholders


def rank_candidates(cands: list[Candidate], phrase: str) -> list[Candidate]:
    """Best first. Relevance is a rough lexical measure, so the lines within WEIGHTS.tie_width of their tone's best count as
    equally good and the draft's own phrase picks among them (deterministic; different drafts get different wording).
    Those top groups come first (best tone first), then everything else by score."""
    best: dict[str, float] = {}
    for c in cands:
        best[c.tone] = max(best.get(c.tone, -9.0), candidate_score(c))

    def key(c: Candidate) -> tuple:
        top = candidate_score(c) >= best[c.tone] - WEIGHTS.tie_width
        return (not top, -round(best[c.tone] if top else candidate_score(c), 6), zlib.crc32((phrase + c.text).encode()))

    return sorted(cands, key=key)


def stem(word: str) -> str:
    """A crude stem, enough to match 'texting' with 'text' and 'cancelled' with 'cancel'."""
    for suffix in ("ing", "led", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> set[str]:
    return {stem(w) for t in WORD_RE.findall(text.lower()) for w in norm_of(t).split()}


def specific_words(lines: list[str]) -> dict[str, frozenset[str]]:
    """Per line, its rare content words: the situation it was written for (used by at most two catalogue lines)."""
    feeling = {stem(w) for w in FEELING_WORDS} | FEELING_WORDS
    bags = {line: {stem(w) for w in WORD_RE.findall(SLOT_RE.sub(" ", line).lower())
                   if w not in STOP_WORDS and len(w) > 2 and "'" not in w and w not in feeling and stem(w) not in feeling}
            for line in set(lines)}
    freq = Counter(w for bag in bags.values() for w in bag)
    return {line: frozenset(w for w in bag if freq[w] <= 2) for line, bag in bags.items()}


def within_budget(picks: dict[str, Candidate], usable: list[Candidate]) -> dict[str, Candidate]:
    """Keep a suggestion's placeholders to MAX_PLACEHOLDERS in total, swapping in placeholder-free lines if needed."""
    out = dict(picks)
    for tone in reversed(TONE_ORDER):
        if sum(c.placeholders for c in out.values()) <= MAX_PLACEHOLDERS:
            break
        if tone in out and out[tone].placeholders:
            plain = next((c for c in usable if c.tone == tone and not c.placeholders), None)
            if plain is not None:
                out[tone] = plain
            else:
                del out[tone]
    return out


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        key = (c.tone, c.text.lower())
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def still_needed(cands: list[Candidate], clean: dict[str, bool], per_tone: int | None) -> list[Candidate]:
    """Unchecked candidates of the tones that have no clean one yet (up to per_tone each), plus the best one that
    carries a draft detail if no clean one does yet."""
    out: list[Candidate] = []
    for tone in TONE_ORDER:
        mine = [c for c in cands if c.tone == tone]
        if any(clean.get(c.text) for c in mine):
            continue
        todo = [c for c in mine if c.text not in clean]
        out.extend(todo if per_tone is None else todo[:per_tone])
    grounded = [c for c in cands if c.used]
    if grounded and not any(clean.get(c.text) for c in grounded):
        out.extend([c for c in grounded if c.text not in clean][:1 if per_tone == 2 else None])
    return list(dict.fromkeys(out))


def explain(base: str, c: Candidate, phrase: str) -> str:
    """The tone's one-line explanation, plus what this version did with the draft's details and hedges."""
    extras = []
    if c.edit:
        extras.append("keeps what you were asking or saying, without the tactic")
    if c.concrete:
        extras.append("turns the vague plan into a concrete question")
    hedge = re.search(r"lol jk|\bjk\b|we'?ll see|\bor not\b|just kidding|[😉😏😜]", phrase, re.I)
    if hedge:
        extras.append(f"drops the \"{hedge.group(0)}\"")
    if c.used & {"day", "time"} and not c.concrete:
        extras.append("keeps the day you mentioned")
    return base + ("; " + ", ".join(extras) if extras else "")
