"""The lexicon's word lists as the rewriter uses them, and the regexes built from them (defined here only)."""
from __future__ import annotations

import re

from ..catalogue.lexicon import load_lexicon

_LEX = load_lexicon()

WEEKDAYS = _LEX.weekdays
MONTHS = _LEX.months
PARTS_OF_DAY = _LEX.lists["parts_of_day"]
HOLIDAYS = _LEX.lists["holidays"]
FAMILY = _LEX.lists["family"]
ENDEARMENTS = _LEX.lists["endearments"]
GREETINGS = _LEX.lists["greetings"]
KNOWN_NAMES = _LEX.words("known_names")
NOT_NAMES = _LEX.words("not_names")
PAST_WORDS = _LEX.words("past_words")
FUTURE_WORDS = _LEX.words("future_words")
NOT_PAST_ED = _LEX.words("not_past_ed")
BUSY_WORDS = _LEX.words("busy_words")
PLAN_NOUNS: dict[str, tuple[str, str]] = {k: tuple(v) for k, v in _LEX.mappings["plan_nouns"].items()}
PLAN_EVENTS = _LEX.lists["plan_events"]
PLAN_VERBS: dict[tuple[str, ...], tuple[str, str]] = {tuple(k.split()): tuple(v)
                                                      for k, v in _LEX.mappings["plan_verbs"].items()}
DETERMINERS = _LEX.lists["determiners"]
TOPICS = frozenset(PLAN_EVENTS) | _LEX.words("topics")
FEELING_WORDS = _LEX.words("feeling_words")
GENERIC_WORDS = _LEX.words("generic_words")
TEXTING_SPELLING: dict[str, str] = dict(_LEX.mappings["texting_spelling"])
DANGLING_END = _LEX.words("dangling_end")
DANGLING_START = _LEX.words("dangling_start")

# Which patterns get which treatment.
VAGUE_PATTERNS = ("hot_cold", "playing_hard_to_get")  # a plan left open on purpose: made concrete
BAIT_PATTERNS = ("jealousy_bait",)  # the plans inside the phrase are the bait (someone else's date): never carried
ANCHOR_PATTERNS = ("gaslighting", "guilt_tripping", "ultimatum")  # disputes and requests about a concrete thing

# Hedges and bait that lose their point once the tactic is gone ("lol jk", "we'll see", a wink).
WINKS = "".join(_LEX.lists["winks"])
HEDGE_WORDS = "|".join(_LEX.lists["hedges"])
HEDGE_ONLY_RE = re.compile(rf"^(?:[\s,.!?~\-–—:;]|[{WINKS}]|\ufe0f|(?:{HEDGE_WORDS})\b)+$", re.I)
COORDINATORS = "|".join(_LEX.lists["coordinators"])
SUBORDINATORS = "|".join(_LEX.lists["subordinators"])
PUNCT_JUNK = rf"(?:[\s,;:\-–—/~]|\.\.+|…|[{WINKS}]|\ufe0f|(?:{HEDGE_WORDS})\b)"
EDGE_JUNK = rf"(?:{PUNCT_JUNK}|(?:{COORDINATORS}|{SUBORDINATORS})\b)"
TRAIL_JUNK_RE = re.compile(rf"(?:(?<=\s)|(?<=^)|(?<=[,;:]))(?:{EDGE_JUNK})+$", re.I)
LEAD_PUNCT_RE = re.compile(rf"^(?:{PUNCT_JUNK})+", re.I)
LEAD_JUNK_RE = re.compile(rf"^(?:{PUNCT_JUNK}|(?:{COORDINATORS})\b)+", re.I)
SUBORDINATE_RE = re.compile(rf"^(?:{SUBORDINATORS})\b", re.I)
GREETING_FRAGMENT_RE = re.compile(rf"^(?:{'|'.join(GREETINGS)}|ok|okay|oh|so|well|right|omg)\b[\w\s']{{0,24}}$", re.I)
# A plan left open on purpose ("we should hang sometime", "maybe next week", "hmu whenever"): made concrete.
VAGUE_RE = re.compile(r"\b(?:sometime|some time soon|one day|someday|at some point|soon-?ish|we'?ll see|whenever|"
                      r"one of these days|hmu|hit me up|ping me|no promises|another time|some point|"
                      r"maybe (?:next|another|this|some|later|soon|we|i|u|you)\b|(?:should|could|gotta|must|need to) "
                      r"(?:\w+ ){0,4}(?:soon|sometime|some time|one day|one weekend|at some point))", re.I)
# Retrieved sentences are kept only when they stand on their own: no pointing at things this draft never mentioned.
REFERS_RE = re.compile(r"\b(?:it|its|it's|that|this|there|those|these|he|she|him|her|his|hers|they|them|their|"
                       r"also|either|instead|anyway|then|same|other|another|such)\b", re.I)
NAMES_FEELING_RE = re.compile(r"\b(?:hurt|hurts|miss|missed|missing|love|care|sad|upset|scared|worried|anxious|lonely|"
                              r"need|want|wanted|feel|felt|feeling|disappointed|sorry|glad|afraid|insecure|"
                              r"confused|frustrated|overwhelmed|matters?|meant)\b", re.I)
ASKS_OR_OWNS_RE = re.compile(r"\b(?:i|i'm|i'd|i've|i'll|me|my|can we|could we|could you|would you|will you)\b", re.I)
SEE_RE = re.compile(r"\b(?:see you|meet|make time)\b", re.I)

# Stock wording that points at an event ("that night", "when I didn't hear back"): usable only when the draft
# mentions one of the event's words.
EVENT_REFERENCES = tuple((re.compile(pattern.strip(), re.I), frozenset(needed.strip().split("|")))
                         for pattern, needed in (line.split("=>") for line in _LEX.lists["event_references"]))


def refers_to_unmentioned_event(line: str, draft_words: frozenset[str], draft_text: str) -> bool:
    """True when a line points at an event (a night, a silence, a question) that the draft never mentions."""
    for pattern, needed in EVENT_REFERENCES:
        if pattern.search(line) and not (needed & draft_words or ("\\?" in needed and "?" in draft_text)):
            return True
    return False
