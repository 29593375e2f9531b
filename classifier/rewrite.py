"""Sincere rewordings: per-flag alternatives in several tones, and the whole draft said sincerely.

Offline and deterministic, no generative model. Each flagged phrase gets catalogue lines (per pattern and tone)
filled with details found in the draft (name, day/time, plan), ranked by how close they are to what people
actually wrote instead in the train split of the corpus, and self-checked with the detector before being offered.
"""
from __future__ import annotations

import json
import random
import re
import statistics
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher
from spacy.tokens import Doc

from .catalogue import Pattern
from .detector import Analysis, Detector, Flag
from .features import unit_table
from .nlp import get_nlp, process_many
from .textpatterns import EMOJI_RE, SENTENCE_BREAK_RE, WORD_RE

TONE_ORDER = ("warm", "direct", "boundary")
# Which tone reads most naturally inside the whole message, per pattern (the first clean one wins).
WHOLE_TONE_ORDER = {
    "guilt_tripping": ("direct", "warm", "boundary"),
    "ultimatum": ("direct", "warm", "boundary"),
    "gaslighting": ("warm", "direct", "boundary"),
}
MAX_PLACEHOLDERS = 2  # per suggestion (all alternatives of a flag together) and per whole message
DETAIL_WEIGHT = 0.06  # a carried detail counts like this much extra similarity
CONCRETE_WEIGHT = 0.1
PLACEHOLDER_COST = 0.04
SPECIFIC_COST = 0.12  # per situation word in a line that the draft and its neighbours never mention
SLOT_DROP_COST = 0.04  # a line whose day/time slot had to be dropped reads a little vaguer
RETRIEVED_NEIGHBOURS = 5  # nearest train rewrites whose sentences may be offered
RETRIEVED_DISCOUNT = 0.0  # filtered retrieved wording competes with the best-fitting catalogue line
TIE_WIDTH = 0.12  # lines this close to their tone's best count as equally good (see _rank)
TONE_BONUS = (0.06, 0.03, -0.05)  # inside the whole message: the pattern's preferred tones, in order
WHOLE_PLACEHOLDER_COST = 0.15
PLACEHOLDER_RE = re.compile(r"\[[^\[\]]+\]")
SLOT_RE = re.compile(r"\{(name|when|plan)\}")
DAY_PLACEHOLDER = "[day and time]"

# -- vocabulary --------------------------------------------------------------------------------------------------

WEEKDAYS = {"monday": "monday", "tuesday": "tuesday", "wednesday": "wednesday", "thursday": "thursday",
            "friday": "friday", "saturday": "saturday", "sunday": "sunday", "tues": "tuesday", "weds": "wednesday",
            "thurs": "thursday", "fri": "friday"}
PARTS_OF_DAY = ("night", "morning", "afternoon", "evening")
HOLIDAYS = ("christmas", "xmas", "easter", "thanksgiving", "valentines", "valentine's", "halloween", "nye")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
FAMILY = ("mum", "mom", "mam", "mummy", "mommy", "dad", "daddy", "nan", "nana", "gran", "granny", "grandma", "grandpa",
          "grandad", "granddad", "auntie", "sis", "bro")
ENDEARMENTS = ("babe", "hun", "darling", "sweetheart", "honey")
GREETINGS = ("hey", "hi", "hiya", "hello", "dear", "heyy", "heyyy", "heya", "yo", "oi", "morning", "evening", "night")
# Common first names, so that lowercase drafts ("hey sam") still find the person addressed.
KNOWN_NAMES = frozenset("""
aaron abby adam aisha alex alice amelia amy ana andrea andy anna ash ava ben beth bella billy cam carla carlos
charlie chloe chris claire connor dan dani daniel dave david ella ellie emily emma eve finn freddie gabe george
grace hannah harry holly isla jack jake james jamie jay jen jess jo joe jon jonny josh jules kai kate katie kyle
laura leah lee leo lewis liam lily lucy luke maddie maria mark matt maya megan mia mike mo molly nat nick nina
noah olivia ollie omar pat paul priya rachel ravi rob rosie ryan sam sara sarah sean sophie steph steve tara tom
tyler will zoe zara martin mel jo kim alexis jordan taylor morgan riley casey robin
""".split())
NOT_NAMES = frozenset("""
there you u all guys girl girls boy stranger lol so again everyone everybody love it its it's me man dude mate
sorry thanks ok okay well just i im i'm we and but or if what who how why yes no yeah nah wait look listen honestly
seriously whatever fine cool sure anyway also actually oh ah um hmm
""".split())
PAST_WORDS = frozenset("""
yesterday ago last was were didnt didn't hadn't hadnt wasn't wasnt weren't went left forgot bailed ditched cancelled
canceled ignored ghosted stood blew skipped happened every always usually never
""".split())
FUTURE_WORDS = frozenset("""
will 'll gonna going wanna want let's lets can could would free still plan planning coming come next tomorrow
tonight tmrw soon later
""".split())
# Plans: words the draft uses -> (verb phrase for "want to ___", noun phrase for "looking forward to ___").
PLAN_NOUNS = {
    "coffee": ("get coffee", "coffee"), "drinks": ("get drinks", "drinks"), "a drink": ("get a drink", "a drink"),
    "dinner": ("have dinner", "dinner"), "lunch": ("get lunch", "lunch"), "brunch": ("get brunch", "brunch"),
    "breakfast": ("get breakfast", "breakfast"), "pizza": ("get pizza", "pizza"), "food": ("get food", "food"),
    "a walk": ("go for a walk", "a walk"), "a movie": ("see a movie", "a movie"), "a film": ("see a film", "a film"),
    "a date": ("go on a date", "a date"), "a catch up": ("catch up", "a catch up"),
    "a catchup": ("catch up", "a catch up"),
}
PLAN_EVENTS = ("party", "wedding", "concert", "gig", "game", "match", "movie", "film", "show", "festival", "dinner",
               "birthday", "bday", "barbecue", "bbq", "trip", "holiday", "picnic", "date", "reunion", "graduation",
               "premiere", "exhibition", "quiz", "karaoke", "hike", "drinks", "lunch", "brunch", "dinner", "launch",
               "housewarming", "recital", "play", "gym", "cinema", "pub", "museum", "beach")
PLAN_VERBS = {("hang", "out"): ("hang out", "hanging out"), ("catch", "up"): ("catch up", "catching up"),
              ("meet", "up"): ("meet up", "meeting up"), ("go", "out"): ("go out", "going out")}
DETERMINERS = ("the", "ur", "your", "my", "our", "his", "her", "their", "that", "this")
# Hedges and bait that lose their point once the tactic is gone ("lol jk", "we'll see", a wink).
WINKS = "😉😏😜😘🙃😌😈😇👀🤷🤭😬"
HEDGE_WORDS = (r"lol(?:\s*jk)?|lmao|haha\w*|jk|j/k|just kidding|just joking|we'?ll see|or not|whatever|whatevs|"
               r"just saying|no pressure|no biggie|idc|tbh|ngl|anyway|anyways|k|kk|fine")
HEDGE_ONLY_RE = re.compile(rf"^(?:[\s,.!?~\-–—:;]|[{WINKS}]|\ufe0f|(?:{HEDGE_WORDS})\b)+$", re.I)
COORDINATORS = (r"but|and|or|so|tho|though|anyway|anyways|also|plus|then|like|i mean|honestly|tbh|ngl|fr|lol|"
                r"lmao|jk|haha\w*|just|even|well|btw|oh")
SUBORDINATORS = r"if|unless|until|til|till|when|while|since|because|cuz|coz|bc|cause|which|who|that|whereas|except|otherwise"
PUNCT_JUNK = rf"(?:[\s,;:\-–—/~]|\.\.+|…|[{WINKS}]|\ufe0f|(?:{HEDGE_WORDS})\b)"
EDGE_JUNK = rf"(?:{PUNCT_JUNK}|(?:{COORDINATORS}|{SUBORDINATORS})\b)"
TRAIL_JUNK_RE = re.compile(rf"(?:(?<=\s)|(?<=^)|(?<=[,;:]))(?:{EDGE_JUNK})+$", re.I)
LEAD_PUNCT_RE = re.compile(rf"^(?:{PUNCT_JUNK})+", re.I)
LEAD_JUNK_RE = re.compile(rf"^(?:{PUNCT_JUNK}|(?:{COORDINATORS})\b)+", re.I)
SUBORDINATE_RE = re.compile(rf"^(?:{SUBORDINATORS})\b", re.I)
# A kept fragment may not end on these (the flag cut its phrase in half) nor start on the DANGLING_START ones.
DANGLING_END = frozenset("""
i we he she they the a an to for with about of my your ur our is are was am be im i'm just really so very
too not don't dont can't cant will would should could think guess feel mean know bet swear hope suppose reckon said
say like told than as at in on from by into
""".split())
DANGLING_START = frozenset("to for with without of about at than as from in on by into is are was were 's it them".split())
GREETING_FRAGMENT_RE = re.compile(rf"^(?:{'|'.join(GREETINGS)}|ok|okay|oh|so|well|right|omg)\b[\w\s']{{0,24}}$", re.I)
# A plan left open on purpose ("we should hang sometime", "maybe next week", "hmu whenever"): made concrete.
VAGUE_RE = re.compile(r"\b(?:sometime|some time soon|one day|someday|at some point|soon-?ish|we'?ll see|whenever|"
                      r"one of these days|hmu|hit me up|ping me|no promises|another time|some point|"
                      r"maybe (?:next|another|this|some|later|soon|we|i|u|you)\b|(?:should|could|gotta|must|need to) "
                      r"(?:\w+ ){0,4}(?:soon|sometime|some time|one day|one weekend|at some point))", re.I)
VAGUE_PATTERNS = ("hot_cold", "playing_hard_to_get")
BAIT_PATTERNS = ("jealousy_bait",)
NOT_PAST_ED = frozenset("""
need tired scared excited interested bored worried annoyed married relaxed stressed pissed obsessed confused
embarrassed supposed used engaged booked packed rammed slammed sorted wicked naked indeed speed seed feed bed
""".split())
# Concrete things a dispute or a request can be about: "About the deposit, ..." anchors a reply to the draft.
TOPICS = frozenset(PLAN_EVENTS) | frozenset("""
application interview job deposit rent money debt loan bill bills car keys key tickets ticket flat house room garden
dog cat funeral story joke photos photo pics pic post video gift present ring plan plans bins dishes washing chores
laundry school exams exam results wedding holiday trip presentation meeting appointment match contract lease
finances savings account card payment loan invoice message voicemail email letter book jacket hoodie stuff things
""".split())
ANCHOR_PATTERNS = ("gaslighting", "guilt_tripping", "ultimatum")  # disputes and requests about a concrete thing
BUSY_WORDS = frozenset("busy booked taken swamped packed slammed hectic rammed full".split())
# Feeling and talking words: never count as "situation words" when judging whether a line fits a draft.
FEELING_WORDS = frozenset("""
good wish fine admit smile honest honestly matter act glad notice noticed hurt miss missed care love sad happy meant
head raw step space heal distance quieter insecure reassurance attention figure guess hint left start use reason goes
look looking forward letting soon feel felt feeling scared anxious lonely low calm calmer worried upset disappointed
sorry truth plainly straight properly rather talk talking say said tell hear know understand want need ask asking
answer question mean means wrong right fair kind thinking think time together lately really little bit while
""".split())
# Retrieved sentences are kept only when they stand on their own: no pointing at things this draft never mentioned.
REFERS_RE = re.compile(r"\b(?:it|its|it's|that|this|there|those|these|he|she|him|her|his|hers|they|them|their|"
                       r"also|either|instead|anyway|then|same|other|another|such)\b", re.I)
NAMES_FEELING_RE = re.compile(r"\b(?:hurt|hurts|miss|missed|missing|love|care|sad|upset|scared|worried|anxious|lonely|"
                              r"need|want|wanted|feel|felt|feeling|disappointed|sorry|glad|afraid|insecure|"
                              r"confused|frustrated|overwhelmed|matters?|meant)\b", re.I)
ASKS_OR_OWNS_RE = re.compile(r"\b(?:i|i'm|i'd|i've|i'll|me|my|can we|could we|could you|would you|will you)\b", re.I)
TEXTING_SPELLING = {"u": "you", "ur": "your", "im": "i'm", "dont": "don't", "cant": "can't", "wont": "won't",
                    "ive": "i've", "id": "i'd", "youre": "you're", "r": "are", "wanna": "want to", "gonna": "going to",
                    "tbh": "honestly", "rn": "right now", "pls": "please", "thx": "thanks", "didnt": "didn't"}
EXTRA_GENERIC = frozenset("""
see meet call text reply message week day together soon again home chat hang plans plan plan properly honest
wrong right okay listen listening worry worried sorry apologise apologize afraid hope hoping trust believe
""".split())
SEE_RE = re.compile(r"\b(?:see you|meet|make time)\b", re.I)
SENTENCE_SPLIT_RE = SENTENCE_BREAK_RE


# -- public types ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One sincere way to say what the flagged phrase was reaching for."""

    tone: str
    text: str
    explanation: str


@dataclass(frozen=True)
class Suggestion:
    """Sincere alternatives for one flag, in distinct tones."""

    flag: Flag
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class RewriteResult:
    """Per-flag suggestions and the whole draft with every flagged part replaced (None when none came out clean)."""

    suggestions: tuple[Suggestion, ...]
    whole_message: str | None


# -- details found in the draft ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """A detail in the draft: kind is name, day, time or plan; offsets index the original text."""

    kind: str
    start: int
    end: int
    text: str
    past: bool = False
    plan: tuple[str, str] | None = None  # (verb phrase, noun phrase) for plans


@dataclass(frozen=True)
class Details:
    """The details one suggestion may carry over."""

    name: str | None = None
    day: Found | None = None
    time: Found | None = None
    plan: Found | None = None
    topic: Found | None = None
    anchor_ok: bool = False  # the pattern is one where "About <topic>, ..." reads naturally
    vague: bool = False
    cased: bool = True


class DetailFinder:
    """spaCy Matcher patterns over the draft for the person addressed, days, times and plans."""

    def __init__(self) -> None:
        self.nlp = get_nlp()
        m = Matcher(self.nlp.vocab)
        days = list(WEEKDAYS)
        m.add("day", [
            [{"LOWER": {"IN": ["this", "next", "on", "last", "coming"]}, "OP": "?"}, {"LOWER": {"IN": days}},
             {"LOWER": {"IN": list(PARTS_OF_DAY)}, "OP": "?"}],
            [{"NORM": {"IN": ["tonight", "tomorrow", "today"]}}, {"LOWER": {"IN": list(PARTS_OF_DAY)}, "OP": "?"}],
            [{"LOWER": "tonite"}],
            [{"LOWER": {"IN": ["this", "next", "the"]}}, {"LOWER": {"IN": ["weekend", "week"]}}],
            [{"LOWER": "this"}, {"LOWER": {"IN": ["evening", "afternoon", "morning"]}}],
            [{"LOWER": "later"}, {"LOWER": {"IN": ["today", "tonight"]}}],
            [{"LOWER": {"IN": ["yesterday"]}}],
            [{"LOWER": "last"}, {"LOWER": {"IN": ["night", "week", "weekend"]}}],
            [{"LOWER": {"IN": list(HOLIDAYS)}}],
            [{"LOWER": "new"}, {"LOWER": {"IN": ["year's", "years"]}}, {"LOWER": "eve", "OP": "?"}],
            [{"LOWER": "the"}, {"TEXT": {"REGEX": r"^\d{1,2}(?:st|nd|rd|th)$"}}],
            [{"LOWER": {"IN": list(MONTHS)}}, {"TEXT": {"REGEX": r"^\d{1,2}(?:st|nd|rd|th)?$"}}],
        ])
        num = {"TEXT": {"REGEX": r"^\d{1,2}(?:[:.]\d\d)?$"}}
        m.add("time", [
            [{"LOWER": {"IN": ["at", "by", "around", "before", "after", "until", "till", "til", "from"]}}, num,
             {"LOWER": {"IN": ["am", "pm", "ish", "o'clock"]}, "OP": "?"}],
            [num, {"LOWER": {"IN": ["am", "pm"]}}],
            [{"TEXT": {"REGEX": r"^\d{1,2}(?:[:.]\d\d)?(?:am|pm)$"}}],
            [{"LOWER": {"IN": ["at", "by", "around", "before", "after", "until"]}, "OP": "?"},
             {"TEXT": {"REGEX": r"^\d{1,2}(?:[:.]\d\d)?(?:am|pm)$"}}],
            [{"LOWER": {"IN": ["at", "by", "around", "before", "until"]}}, {"LOWER": {"IN": ["noon", "midnight"]}}],
        ])
        m.add("plan", [
            [{"LOWER": {"IN": ["get", "grab", "have", "go", "for"]}, "OP": "?"},
             {"LOWER": {"IN": ["coffee", "drinks", "dinner", "lunch", "brunch", "breakfast", "pizza", "food"]}}],
            [{"LOWER": {"IN": ["a", "another"]}}, {"LOWER": {"IN": ["drink", "walk", "movie", "film", "date"]}}],
            [{"LOWER": "a"}, {"LOWER": {"IN": ["catch", "catchup"]}}, {"LOWER": "up", "OP": "?"}],
            [{"LOWER": {"IN": list(DETERMINERS)}}, {"LOWER": {"IN": list(PLAN_EVENTS)}}],
            [{"LOWER": {"IN": ["hang", "catch", "meet", "go"]}}, {"LOWER": {"IN": ["out", "up"]}}],
        ])
        topic_det = {"LOWER": {"IN": ["the", "your", "my", "our"]}}  # not "ur": usually "you're"
        noun = {"LOWER": {"IN": sorted(TOPICS)}}
        m.add("topic", [[topic_det, noun], [topic_det, {"IS_ALPHA": True}, {"LOWER": "'s"}, noun]])
        self.matcher = m

    def find(self, text: str, doc: Doc | None = None) -> list[Found]:
        """Every detail in the text, longest match per place, in text order."""
        doc = doc if doc is not None else self.nlp(text)
        found: list[Found] = []
        taken: set[int] = set()
        rank = {"topic": 1}  # a day, time or plan wins over a mere topic on the same words
        matches = sorted(self.matcher(doc), key=lambda m: (rank.get(self.nlp.vocab.strings[m[0]], 0), -(m[2] - m[1]), m[1]))
        for match_id, s, e in matches:
            if taken & set(range(s, e)):
                continue
            kind = self.nlp.vocab.strings[match_id]
            span = doc[s:e]
            item = self._make(kind, span)
            if item is not None:
                found.append(item)
                taken.update(range(s, e))
        found.extend(self._names(doc, taken))
        return sorted(found, key=lambda f: f.start)

    def _make(self, kind: str, span) -> Found | None:
        text = span.text
        past = _is_past(span)
        if kind == "time":
            number = re.match(r"\D*(\d+)", text)
            if number and int(number.group(1)) > 24:  # "kids by 30" is an age
                return None
            words = text.split()
            if words[0].lower() in ("at", "by", "around", "before", "after", "until", "till", "til", "from"):
                text = " ".join(words[1:])
                start = span[1].idx
            else:
                start = span.start_char
            return Found("time", start, start + len(text), text, past)
        if kind == "day":
            lower = text.lower()
            if span.start > 0 and span.doc[span.start - 1].lower_ in ("for", "all"):  # "for the week" is a duration
                return None
            if lower.startswith("on "):  # keep "on" out: slots add their own preposition
                return Found("day", span[1].idx, span.end_char, text[3:], past)
            return Found("day", span.start_char, span.end_char, text, past)
        if kind == "topic":  # what the sentence is about: "the deposit", "your brother's party"
            return Found("topic", span.start_char, span.end_char, span.text.lower().replace(" 's", "'s"), past)
        if kind == "plan":
            forms = _plan_forms(span)
            if forms is None:
                return None
            return Found("plan", span.start_char, span.end_char, text, past, forms)
        return None

    def _names(self, doc: Doc, taken: set[int]) -> list[Found]:
        """The person addressed: after a greeting, or a vocative before/after a comma or colon."""
        out = []
        for tok in doc:
            if tok.i in taken or not tok.is_alpha:
                continue
            low = tok.lower_
            if low in NOT_NAMES or low in WEEKDAYS or low in MONTHS:
                continue
            known = low in KNOWN_NAMES or low in FAMILY or low in ENDEARMENTS
            prev = doc[tok.i - 1] if tok.i > 0 else None
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            ends = nxt is None or nxt.is_punct or nxt._.is_emoji or nxt.is_space
            greeted = (prev is not None and prev.lower_ in GREETINGS and prev.is_sent_start
                       and (known or tok.is_title or (nxt is not None and nxt.text == ",")))
            leads = tok.is_sent_start and nxt is not None and nxt.text in (",", ":") and known
            trails = prev is not None and prev.text == "," and ends and (known or tok.is_title)
            if greeted or leads or trails:
                out.append(Found("name", tok.idx, tok.idx + len(tok.text), tok.text))
        return out


def _is_past(span) -> bool:
    """Whether a detail is about something that already happened or keeps happening (not a plan to offer)."""
    words = {t.lower_ for t in span}
    if words & {"last", "yesterday", "ago"}:
        return True
    sent = span.sent
    lowers = {t.lower_ for t in sent} | {t.norm_ for t in sent}
    doc = span.doc

    def after(t, words) -> bool:
        return t.i + 1 < len(doc) and (doc[t.i + 1].lower_ in words if isinstance(words, tuple)
                                       else doc[t.i + 1].lower_.endswith(words))

    past = bool(lowers & PAST_WORDS) or any(
        (t.lower_.endswith("ed") and len(t) > 4 and t.lower_ not in NOT_PAST_ED)  # "cried", "texted", "waited"
        or (t.lower_ in ("'ve", "ive", "'d", "has", "have") and after(t, "ed"))  # "i've cried", "has ended"
        for t in sent)
    perfect = any(t.lower_ in ("could", "would", "should", "might", "must") and after(t, ("'ve", "have", "of", "ve"))
                  for t in sent)  # "you could've called"
    future = bool(lowers & FUTURE_WORDS) and not perfect
    busy = bool(lowers & BUSY_WORDS)  # "saturday's booked": a day claimed as taken is not one to offer
    return busy or ((past or perfect) and not future)


def _plan_forms(span) -> tuple[str, str] | None:
    """(verb phrase, noun phrase) for a plan span; None when the span is not a plan."""
    words = [t.lower_ for t in span]
    text = " ".join(words)
    if tuple(words) in PLAN_VERBS:
        return PLAN_VERBS[tuple(words)]
    if words[0] in ("get", "grab", "have", "go", "for") and len(words) == 2:
        noun = words[1]
        verb = words[0] if words[0] != "for" else PLAN_NOUNS[noun][0].split()[0]
        return f"{verb} {noun}" if verb != "go" else PLAN_NOUNS[noun][0], noun
    if text in PLAN_NOUNS:
        return PLAN_NOUNS[text]
    if words[0] in ("a", "another") and len(words) >= 2:
        return PLAN_NOUNS.get("a " + " ".join(words[1:]))
    if words[0] in DETERMINERS and len(words) == 2:
        det = {"ur": "your"}.get(words[0], words[0])
        noun = {"bday": "birthday"}.get(words[1], words[1])
        if det == "this" or det == "that":
            det = "the"
        np_ = f"{det} {noun}"
        if noun in ("birthday",):
            return f"celebrate {np_}", np_
        if noun in ("movie", "film", "show", "play", "game", "match", "gig", "concert"):
            return f"see {np_}" if noun in ("movie", "film", "show", "play") else f"go to {np_}", np_
        if noun in ("drinks", "lunch", "brunch", "dinner"):
            return f"go to {np_}" if det == "the" else f"have {np_}", np_
        if noun == "date":
            return ("go on a date", "a date") if det == "the" else (f"go on {np_}", np_)
        return f"go to {np_}", np_
    return None


# -- slot filling --------------------------------------------------------------------------------------------------


def _when_text(details: Details, before: str) -> str | None:
    """The day/time phrase for a {when} slot, fitted to the word before it ('on', 'by', 'does'...)."""
    day = details.day.text if details.day else None
    tm = details.time.text if details.time else None
    if day and details.cased and day.lower() in WEEKDAYS:
        day = day[0].upper() + day[1:]
    if day and details.cased:
        day = re.sub(r"\b(" + "|".join(WEEKDAYS) + r")\b", lambda m: m.group(1).capitalize(), day, flags=re.I)
    if day and re.match(r"the week(?:end)?\b", day, re.I):  # "call me this weekend", not "call me the weekend"
        day = "this" + day[3:]
    relative = bool(day) and not any(w in day.lower() for w in WEEKDAYS)
    if day and tm:
        phrase = f"{tm} {day}" if relative else f"{day} at {tm}"
        at_time_first = relative
    elif day:
        phrase, at_time_first = day, False
    elif tm:
        phrase, at_time_first = tm, True
    else:
        return None
    if before in ("by", "does", "until"):
        return phrase
    if at_time_first:
        return "at " + phrase
    return phrase


def fill_line(line: str, details: Details) -> tuple[str, frozenset[str], int] | None:
    """Fill a catalogue line's slots from the draft: (text, detail kinds used, placeholders), or None if unusable."""
    used: set[str] = set()
    text = line
    if "{name}" in text:
        if details.name:
            text = text.replace("{name}", details.name)
            used.add("name")
        else:  # a vocative can simply go
            text = re.sub(r",\s*\{name\}(?=[.,!?;])", "", text)
            text = re.sub(r"^\{name\},\s*", "", text)
            if "{name}" in text:
                return None
            text = text[0].upper() + text[1:]
    if "{plan}" in text:
        plan = details.plan
        if plan is None:
            return None
        past_ok = bool(re.search(r"happened|disappointed|looking forward|doing things like", text))
        if plan.past and not past_ok:
            return None
        verb_slot = re.search(r"(?<!forward )\b(?:to|we|could|can)\s+\{plan\}", text)
        assert plan.plan is not None
        text = text.replace("{plan}", plan.plan[0] if verb_slot else plan.plan[1])
        used.add("plan")
    if "{when}" in text:
        has_when = (details.day or details.time) is not None and not _when_is_past(details)
        if has_when:
            def sub(m: re.Match) -> str:
                prep = m.group(1)
                phrase = _when_text(details, prep.strip() if prep else "")
                assert phrase is not None
                if prep and prep.strip() == "on":
                    return ("on " + phrase) if _on_able(details) else phrase
                return (prep or "") + phrase
            text = re.sub(r"(on |by |does |until )?\{when\}", sub, text)
            used.update(k for k in ("day", "time") if getattr(details, k) is not None)
        elif re.search(r"(?:free|does|can do) \{when\}|\{when\},", text):
            if PLACEHOLDER_RE.search(text):
                return None
            text = text.replace("{when}", DAY_PLACEHOLDER)
        else:
            text = re.sub(r"\s(?:on |by )?\{when\}(?=\?)", " soon", text)
            text = re.sub(r"\s(?:on |by )?\{when\}", "", text)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text, frozenset(used), len(PLACEHOLDER_RE.findall(text))


def _on_able(details: Details) -> bool:
    """'on Saturday', 'on the 14th' read well; 'on tonight' or 'on this weekend' don't."""
    day = details.day.text.lower() if details.day else ""
    return bool(re.match(r"(?:" + "|".join(WEEKDAYS) + r"|the \d|" + "|".join(MONTHS) + r")\b", day))


def _when_is_past(details: Details) -> bool:
    parts = [p for p in (details.day, details.time) if p is not None]
    return bool(parts) and all(p.past for p in parts)


def concrete_question(details: Details, sees: bool = False) -> tuple[str, frozenset[str]]:
    """Turn a vague 'maybe sometime' into a real invitation, with a placeholder where the day is unknown."""
    plan = details.plan if details.plan is not None and not details.plan.past else None
    when = None if _when_is_past(details) else _when_text(details, "")
    used = set()
    if plan is not None:
        used.add("plan")
    if when is not None:
        used.update(k for k in ("day", "time") if getattr(details, k) is not None)
    if plan is not None and when is not None:
        assert plan.plan is not None
        return f"Would you like to {plan.plan[0]} {when}?", frozenset(used)
    if plan is not None:
        assert plan.plan is not None
        return f"Would you like to {plan.plan[0]} on {DAY_PLACEHOLDER}?", frozenset(used)
    wish = "" if sees else " I'd like to see you."
    if when is not None:
        return f"Are you free {when}?{wish}", frozenset(used)
    return f"Are you free {DAY_PLACEHOLDER}?{wish}", frozenset(used)


# -- text style --------------------------------------------------------------------------------------------------


def is_lowercase_style(text: str, sentences: list[tuple[int, int]]) -> bool:
    """A draft whose sentences all start in lowercase gets lowercase suggestions."""
    firsts = []
    for s, e in sentences or [(0, len(text))]:
        letter = next((c for c in text[s:e] if c.isalpha()), None)
        if letter is not None:
            firsts.append(letter)
    return bool(firsts) and all(c.islower() for c in firsts)


def styled(text: str, lowercase: bool, keep: tuple[str, ...] = (), keep_i: bool = False) -> str:
    """Match the draft's casing: lowercase everything except names as written (and 'I' if the draft uses it)."""
    if not lowercase:
        return re.sub(r"\bi(?=\b|')", "I", text)
    out = text.lower()
    for word in keep:
        out = re.sub(rf"\b{re.escape(word.lower())}\b", word, out)
    if keep_i:
        out = re.sub(r"\bi(?=\b|')", "I", out)
    return out


def _cap(text: str, lowercase: bool) -> str:
    if lowercase or not text:
        return text
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1:]
        if c.isalnum():
            return text
    return text


def _uncap(text: str, names: tuple[str, ...]) -> str:
    m = re.match(r"\W*(\w[\w']*)", text)
    if not m:
        return text
    word = m.group(1)
    if word in ("I", "I'm", "I've", "I'd", "I'll") or word in names or word.lower() in WEEKDAYS:
        return text
    i = m.start(1)
    return text[:i] + text[i].lower() + text[i + 1:]


def tidy(text: str) -> str:
    """Fix doubled punctuation and spacing in generated text (never applied to the draft's own sentences)."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.!?;:])(?!\.)", r"\1", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = re.sub(r"([!?])\.(?!\.)", r"\1", text)
    text = re.sub(r"[,;:]+\s*([.!?])", r"\1", text)
    text = re.sub(r"([.!?])\s*[,;:]+", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    return text.strip()


def count_placeholders(text: str) -> int:
    return len(PLACEHOLDER_RE.findall(text))


# -- retrieval over the train split ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    pattern: str
    phrase: str
    segment: str  # what the rewrite says instead of the phrase (the rewrite minus the draft's kept sentences)


def _novel_segment(text: str, rewrite: str) -> str:
    """The sentences of a rewrite that are new, not the draft's own sentences kept as they were."""
    kept = [set(WORD_RE.findall(s.lower())) for s in SENTENCE_SPLIT_RE.split(text) if s.strip()]
    out = []
    for sent in SENTENCE_SPLIT_RE.split(rewrite):
        words = set(WORD_RE.findall(sent.lower()))
        if not words:
            continue
        if any(len(words & k) / len(words | k) > 0.6 for k in kept if k):
            continue
        out.append(sent.strip())
    return " ".join(out)


class Retriever:
    """TF-IDF nearest neighbours over train-split flagged phrases -> what their rewrites said instead."""

    def __init__(self, rows: list[dict]) -> None:
        self.items: list[Neighbour] = []
        for row in rows:
            if row.get("split") != "train" or row.get("kind") != "positive" or not row.get("rewrite"):
                continue
            segment = _novel_segment(row["text"], row["rewrite"])
            if not segment:
                continue
            for pattern, phrases in row["phrases"].items():
                for phrase in phrases:
                    self.items.append(Neighbour(pattern, phrase, segment))
        self.by_pattern: dict[str, np.ndarray] = {}
        self._cache = _Memo(4096)  # bounded; a shared app instance may run for days
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True)
        if self.items:
            self.matrix = self.vectorizer.fit_transform([n.phrase for n in self.items])
            patterns = np.array([n.pattern for n in self.items])
            self.by_pattern = {p: np.flatnonzero(patterns == p) for p in set(patterns)}

    def nearest(self, pattern: str, phrase: str, k: int = 3, floor: float = 0.15) -> list[tuple[float, Neighbour]]:
        """Up to k same-pattern neighbours of a phrase, most similar first (deterministic ties by index)."""
        key = (pattern, phrase)
        found = self._cache.get(key)
        if found is None:
            idx = self.by_pattern.get(pattern)
            if idx is None or not len(idx):
                return []
            sims = (self.matrix[idx] @ self.vectorizer.transform([phrase]).T).toarray().ravel()
            order = np.lexsort((idx, -sims))[:RETRIEVED_NEIGHBOURS]  # by similarity, then corpus order
            found = [(float(sims[i]), self.items[int(idx[i])]) for i in order if sims[i] >= floor]
            self._cache.put(key, found)
        return found[:k]


class _Memo:
    """A bounded cache that several app sessions (threads) can share: each read and write holds a lock, and a full
    cache is emptied rather than grown, so a long-running app stays within memory."""

    _MISSING = object()

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._data: dict = {}
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            return self._data.get(key, default)

    def put(self, key, value) -> None:
        with self._lock:
            if len(self._data) >= self.limit:
                self._data.clear()
            self._data[key] = value


def load_train_rows() -> list[dict]:
    """Train-split rows only: retrieval must never see dev or test."""
    from .data import load_rows

    return [r for r in load_rows() if r.get("split") == "train"]


# -- candidates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A filled line ready to check: text, the draft details it carries and its placeholders."""

    tone: str
    text: str
    used: frozenset[str]
    placeholders: int
    similarity: float
    concrete: bool = False


@dataclass
class _Region:
    """Overlapping flags merged: the span that gets one replacement in the whole message."""

    start: int
    end: int
    flags: list[Flag] = field(default_factory=list)

    @property
    def primary(self) -> Flag:
        return max(self.flags, key=lambda f: (f.end - f.start, f.score))


class Rewriter:
    """Builds sincere alternatives for every flag and a whole-message rewrite, all checked clean by the detector."""

    def __init__(self, detector: Detector, train_rows: list[dict] | None = None) -> None:
        self.detector = detector
        self.catalogue: dict[str, Pattern] = detector.catalogue
        self.finder = DetailFinder()
        self.retriever = Retriever(train_rows if train_rows is not None else load_train_rows())
        lines = [line for p in self.catalogue.values() for t in p.tones for line in t.lines]
        self.line_vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.line_vectorizer.fit(lines + [n.segment for n in self.retriever.items])
        self._pattern_lines = {}
        for pid, p in self.catalogue.items():
            own = list(dict.fromkeys(line for t in p.tones for line in t.lines))
            self._pattern_lines[pid] = (own, self.line_vectorizer.transform([SLOT_RE.sub(" ", x) for x in own]))
        self._specific = _specific_words(lines)
        self._fixed_days = {line: frozenset(w for w in WORD_RE.findall(SLOT_RE.sub(" ", line).lower())
                                            if w in WEEKDAYS or re.fullmatch(r"\d+(?:am|pm)?", w)) for line in lines}
        self._relevance_cache = _Memo(2048)
        self._clean_cache = _Memo(100_000)
        self._standalone_cache = _Memo(100_000)
        self._warm(lines)

    def _warm(self, lines: list[str]) -> None:
        """Check the catalogue lines that need no draft detail once, in both casing styles, so that a draft's own
        check batch holds only what is new to it."""
        plain = Details()
        texts = []
        for line in dict.fromkeys(lines):
            filled = fill_line(line, plain)
            if filled is not None:
                texts += [tidy(styled(filled[0], False)), tidy(styled(filled[0], True)),
                          tidy(styled(filled[0], True, keep_i=True))]
        self._check(texts)

    # -- public API ---------------------------------------------------------------------------------------------

    def suggest(self, text: str, analysis: Analysis) -> RewriteResult:
        """Alternatives for every flag (>= 2 distinct tones where possible) and the whole message, all clean."""
        if not analysis.flags:
            return RewriteResult((), None)
        draft = _Draft(text, analysis, self.finder)
        per_flag = [self._flag_candidates(draft, flag) for flag in analysis.flags]
        regions = _regions(analysis.flags)
        options = [self._region_options(draft, region) for region in regions]
        depth = len(_whole_plans(options, _main_region(regions)))
        clean: dict[str, bool] = {}
        whole: str | None = None
        # Check in small batches and widen only where a batch came back flagged: usually one round is enough.
        for per_tone, ks in ((2, range(0, 3)), (4, range(3, 8)), (None, range(8, depth))):
            texts = [c.text for cands in per_flag for c in _still_needed(cands, clean, per_tone)]
            variants = [] if whole else _whole_variants(draft, regions, options, ks)
            if not texts and not variants:
                break
            clean.update(self._check(texts + variants))
            whole = whole or next((v for v in variants if clean.get(v)), None)
        suggestions = tuple(Suggestion(flag, self._pick(flag, cands, clean))
                            for flag, cands in zip(analysis.flags, per_flag, strict=True))
        return RewriteResult(suggestions, whole)

    def whole_message_for(self, text: str, analysis: Analysis) -> str | None:
        """Just the whole-message rewrite (None for a clean draft or when no version came out clean)."""
        if not analysis.flags:
            return None
        return self.suggest(text, analysis).whole_message

    # -- per flag -----------------------------------------------------------------------------------------------

    def _flag_candidates(self, draft: _Draft, flag: Flag) -> list[Candidate]:
        """Ranked candidates in every tone for one flag, grounded in the flag's sentence."""
        details = draft.details_for(flag.start, flag.end, flag.pattern)
        return self._candidates(flag.pattern, flag.phrase, details, draft)

    def _relevance(self, pattern_id: str, phrase: str, draft: _Draft) -> dict[str, float]:
        """Per catalogue line of the pattern: similarity to the phrase and to what the nearest train rewrites said
        instead, minus a cost for situation words (a booking, a cancelled plan) that neither the draft nor those
        rewrites mention."""
        key = (pattern_id, phrase, draft.text)
        found = self._relevance_cache.get(key)
        if found is None:
            neighbours = self.retriever.nearest(pattern_id, phrase)
            segments = " ".join(n.segment for _, n in neighbours)
            intent = self.line_vectorizer.transform([phrase + " " + segments])
            lines, matrix = self._pattern_lines[pattern_id]
            sims = (matrix @ intent.T).toarray().ravel()
            context = _stems(draft.text + " " + segments)
            found = {line: float(sim) - SPECIFIC_COST * len(self._specific[line] - context)
                     for line, sim in zip(lines, sims, strict=True)}
            self._relevance_cache.put(key, found)
        return found

    def _candidates(self, pattern_id: str, phrase: str, details: Details, draft: _Draft) -> list[Candidate]:
        """Every usable line of the pattern, filled and styled, best first."""
        pattern = self.catalogue[pattern_id]
        relevance = self._relevance(pattern_id, phrase, draft)
        out: list[Candidate] = []
        for tone in pattern.tones:
            for line in tone.lines:
                if self._fixed_days[line] - draft.words:  # "I have Thursday evening": not the writer's to invent
                    continue
                filled = fill_line(line, details)
                if filled is None:
                    continue
                text, used, holes = filled
                sim = relevance[line] - SLOT_DROP_COST * ("{when}" in line and not used & {"day", "time"} and not holes)
                out.append(Candidate(tone.name, text, used, holes, sim))
                if details.vague and pattern_id in VAGUE_PATTERNS and tone.name in ("warm", "direct") \
                        and not used & {"plan", "day", "time"} and "?" not in text and not holes:
                    question, q_used = concrete_question(details, sees=bool(SEE_RE.search(text)))
                    if holes + count_placeholders(question) <= 1:
                        out.append(Candidate(tone.name, f"{text} {question}", used | q_used,
                                             holes + count_placeholders(question), sim, concrete=True))
            if details.vague and pattern_id in VAGUE_PATTERNS and tone.name == "direct":
                question, q_used = concrete_question(details, sees=False)
                out.append(Candidate("direct", question, q_used, count_placeholders(question),
                                     max(relevance.values()), concrete=True))
            out.extend(self._retrieved(pattern_id, phrase, tone.name, draft, max(relevance.values())))
            out.extend(self._anchored(tone.name, out, details))
        styled_out = [replace(c, text=draft.style(c.text)) for c in out]
        return _rank(_dedupe(styled_out), phrase)

    def _retrieved(self, pattern_id: str, phrase: str, tone: str, draft: _Draft, top: float) -> list[Candidate]:
        """Sentences from the nearest train rewrites that stand on their own and carry nobody else's details."""
        allowed = FEELING_WORDS | EXTRA_GENERIC | draft.words
        out = []
        for _, n in self.retriever.nearest(pattern_id, phrase, k=RETRIEVED_NEIGHBOURS):
            for sent in SENTENCE_SPLIT_RE.split(n.segment):
                text = self._standalone(sent.strip())
                if text is None or _tone_of(text) != tone:
                    continue
                words = [w for w in WORD_RE.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2]
                if all(w in allowed or _stem(w) in allowed for w in words):
                    out.append(Candidate(tone, text, frozenset(), 0, top - RETRIEVED_DISCOUNT))
        return out

    def _standalone(self, sentence: str) -> str | None:
        """A retrieved sentence in plain spelling, or None if it leans on context or holds names, days or plans."""
        cached = self._standalone_cache.get(sentence, _Memo._MISSING)
        if cached is not _Memo._MISSING:
            return cached
        key = sentence
        words = WORD_RE.findall(sentence.lower())
        if re.search(r"[a-z]$", sentence):  # texting often ends without a full stop
            sentence += "."
        ok = (6 <= len(words) <= 22 and not re.search(r"\d|\[|[A-Z][a-z]+", sentence[1:].replace(" I ", " i "))
              and re.search(r"[.!?]$", sentence) and not REFERS_RE.search(sentence)
              and ASKS_OR_OWNS_RE.search(sentence) and NAMES_FEELING_RE.search(sentence)
              and not self.finder.find(sentence))
        text = None
        if ok:
            text = re.sub(r"[A-Za-z']+", lambda m: TEXTING_SPELLING.get(m.group(0).lower(), m.group(0)), sentence)
            text = re.sub(r"\bi\b", "I", text)
            text = text[0].upper() + text[1:]
        self._standalone_cache.put(key, text)
        return text

    def _anchored(self, tone: str, cands: list[Candidate], details: Details) -> list[Candidate]:
        """'About last night, ...' or 'About the deposit, ...': ties a line to what the draft is about.
        Topics anchor only the direct tone, so the alternatives don't all open the same way."""
        if details.day is not None and re.search(r"\b(?:last|yesterday|ago)\b", details.day.text, re.I):
            anchor, kind = details.day.text, "day"
        elif details.topic is not None and tone == "direct" and details.anchor_ok:
            anchor, kind = details.topic.text, "topic"
        else:
            return []
        best = [c for c in cands if c.tone == tone and kind not in c.used and not c.text.startswith("About ")
                and anchor.lower() not in c.text.lower()]
        best = sorted(best, key=lambda c: -c.similarity)[:2]
        return [replace(c, text=f"About {anchor}, {_uncap(c.text, ())}", used=c.used | {kind}) for c in best]

    def _pick(self, flag: Flag, cands: list[Candidate], clean: dict[str, bool]) -> tuple[Alternative, ...]:
        """The best clean candidate per tone within the placeholder budget; at least one carries the draft's details."""
        pattern = self.catalogue[flag.pattern]
        usable = [c for c in cands if clean.get(c.text) and c.placeholders <= MAX_PLACEHOLDERS]
        picks: dict[str, Candidate] = {}
        for tone in pattern.tones:
            first = next((c for c in usable if c.tone == tone.name), None)
            if first is not None:
                picks[tone.name] = first
        wanted = set().union(*(c.used for c in cands)) if cands else set()
        if wanted and not any(c.used for c in picks.values()):
            grounded = next((c for c in usable if c.used), None)  # best-ranked clean one that carries a detail
            if grounded is not None:
                picks[grounded.tone] = grounded
        picks = _within_budget(picks, usable)
        explanations = {t.name: t.explanation for t in pattern.tones}
        return tuple(Alternative(t, picks[t].text, _explain(explanations[t], picks[t], flag.phrase))
                     for t in TONE_ORDER if t in picks)

    # -- whole message ------------------------------------------------------------------------------------------

    def _region_options(self, draft: _Draft, region: _Region) -> list[Candidate]:
        """Replacements for one region inside the whole message, best first (empty text = just drop it)."""
        flag = region.primary
        if HEDGE_ONLY_RE.match(draft.text[region.start:region.end]):
            return [Candidate("drop", "", frozenset(), 0, 1.0)]
        details = draft.details_for(region.start, region.end, flag.pattern, whole=True)
        cands = self._candidates(flag.pattern, flag.phrase, details, draft)
        order = WHOLE_TONE_ORDER.get(flag.pattern, TONE_ORDER)
        bonus = {t: TONE_BONUS[i] for i, t in enumerate(order)}
        # inside a message meant to be sent, a line with a [blank] to fill reads worse than a complete one
        return _rank([replace(c, similarity=c.similarity + bonus.get(c.tone, 0.0) - WHOLE_PLACEHOLDER_COST * c.placeholders)
                      for c in cands], flag.phrase)

    # -- self-check ---------------------------------------------------------------------------------------------

    def _check(self, texts: list[str]) -> dict[str, bool]:
        """Whether each text comes back with no flags, scored in one batch (same thresholds as analyze)."""
        # Answers come from this call's own dict: another session may empty the shared cache at any moment.
        known = {t: self._clean_cache.get(t) for t in dict.fromkeys(texts) if t}
        todo = [t for t, ok in known.items() if ok is None]
        if todo:
            for t, ok in zip(todo, self._score(todo), strict=True):
                self._clean_cache.put(t, ok)
                known[t] = ok
        return known

    def _score(self, texts: list[str]) -> list[bool]:
        try:
            pipeline, thresholds = self.detector.model.pipeline, self.detector.thresholds
        except AttributeError:  # a detector without the batch internals: go through the public API
            return [self.detector.analyze(t).is_clean for t in texts]
        owners, units = [], []
        for k, (_, _, us) in enumerate(process_many(texts)):
            units.extend(us)
            owners.extend([k] * len(us))
        flagged = np.zeros(len(texts), dtype=bool)
        if units:
            hits = (pipeline.predict_proba(unit_table(units)) >= thresholds).any(axis=1)
            np.logical_or.at(flagged, np.array(owners), hits)
        return [not f and any(c.isalnum() for c in t) for t, f in zip(texts, flagged, strict=True)]


def _tone_of(text: str) -> str:
    """Rough tone of retrieved wording: boundary if it asks for distance, warm if it names affection, else direct."""
    low = text.lower()
    if re.search(r"\b(?:space|distance|no contact|step(?:ping)? back|break from|not ready|reach out when|log off|"
                 r"for my own|need (?:some )?time|stop (?:texting|messaging))\b", low):
        return "boundary"
    if re.search(r"\b(?:miss|missed|love|care about|glad|hoping|i'd love|thinking about you|mean(?:s|t)? a lot)\b", low):
        return "warm"
    return "direct"


def _score(c: Candidate) -> float:
    """Closeness to what people wrote instead, nudged up for carrying the draft's details."""
    return c.similarity + DETAIL_WEIGHT * len(c.used) + CONCRETE_WEIGHT * c.concrete - PLACEHOLDER_COST * c.placeholders


def _rank(cands: list[Candidate], phrase: str) -> list[Candidate]:
    """Best first. Relevance is a rough lexical measure, so the lines within TIE_WIDTH of their tone's best count as
    equally good and the draft's own phrase picks among them (deterministic; different drafts get different wording).
    Those top groups come first (best tone first), then everything else by score."""
    best: dict[str, float] = {}
    for c in cands:
        best[c.tone] = max(best.get(c.tone, -9.0), _score(c))

    def key(c: Candidate) -> tuple:
        top = _score(c) >= best[c.tone] - TIE_WIDTH
        return (not top, -round(best[c.tone] if top else _score(c), 6), zlib.crc32((phrase + c.text).encode()))

    return sorted(cands, key=key)


def _stem(word: str) -> str:
    """A crude stem, enough to match 'texting' with 'text' and 'cancelled' with 'cancel'."""
    for suffix in ("ing", "led", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _stems(text: str) -> set[str]:
    from .nlp import norm_of

    return {_stem(w) for t in WORD_RE.findall(text.lower()) for w in norm_of(t).split()}


def _specific_words(lines: list[str]) -> dict[str, frozenset[str]]:
    """Per line, its rare content words: the situation it was written for (used by at most two catalogue lines)."""
    feeling = {_stem(w) for w in FEELING_WORDS} | FEELING_WORDS
    bags = {line: {_stem(w) for w in WORD_RE.findall(SLOT_RE.sub(" ", line).lower())
                   if w not in STOP_WORDS and len(w) > 2 and "'" not in w and w not in feeling and _stem(w) not in feeling}
            for line in set(lines)}
    freq = Counter(w for bag in bags.values() for w in bag)
    return {line: frozenset(w for w in bag if freq[w] <= 2) for line, bag in bags.items()}


def _within_budget(picks: dict[str, Candidate], usable: list[Candidate]) -> dict[str, Candidate]:
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


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        key = (c.tone, c.text.lower())
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _still_needed(cands: list[Candidate], clean: dict[str, bool], per_tone: int | None) -> list[Candidate]:
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


def _explain(base: str, c: Candidate, phrase: str) -> str:
    """The tone's one-line explanation, plus what this version did with the draft's details and hedges."""
    extras = []
    if c.concrete:
        extras.append("turns the vague plan into a concrete question")
    hedge = re.search(r"lol jk|\bjk\b|we'?ll see|\bor not\b|just kidding|[😉😏😜]", phrase, re.I)
    if hedge:
        extras.append(f"drops the \"{hedge.group(0)}\"")
    if c.used & {"day", "time"} and not c.concrete:
        extras.append("keeps the day you mentioned")
    return base + ("; " + ", ".join(extras) if extras else "")


def _regions(flags: list[Flag]) -> list[_Region]:
    regions: list[_Region] = []
    for f in sorted(flags, key=lambda f: (f.start, f.end)):
        if regions and f.start < regions[-1].end:
            regions[-1].end = max(regions[-1].end, f.end)
            regions[-1].flags.append(f)
        else:
            regions.append(_Region(f.start, f.end, [f]))
    return regions


# -- the draft and whole-message composition ---------------------------------------------------------------------


class _Draft:
    """A draft with its sentences, details and casing style."""

    def __init__(self, text: str, analysis: Analysis, finder: DetailFinder) -> None:
        self.text = text
        self.analysis = analysis
        self.sentences = sorted(analysis.sentences) or [(0, len(text))]
        self.found = finder.find(text)
        self.lowercase = is_lowercase_style(text, self.sentences)
        self.keep_i = bool(re.search(r"\bI\b", text))
        self.words = frozenset(WORD_RE.findall(text.lower()))
        names = [f for f in self.found if f.kind == "name"]
        self.name = names[0].text if names else None

    def style(self, text: str) -> str:
        keep = (self.name,) if self.name else ()
        return tidy(styled(text, self.lowercase, keep, self.keep_i))

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


def _whole_plans(options: list[list[Candidate]], main: int) -> list[tuple[str | int, bool, bool]]:
    """The order in which whole-message versions are tried: (tone or rotation, drop asides, keep fragments)."""
    tones = list(dict.fromkeys(c.tone for c in options[main]))
    rotations = range(1, max((len(o) for o in options), default=1))
    return ([(t, True, True) for t in tones] + [(t, True, False) for t in tones]
            + [(r, True, keep) for r in rotations[:3] for keep in (True, False)]
            + [(r, False, keep) for r in rotations for keep in (True, False)])


def _main_region(regions: list[_Region]) -> int:
    return max(range(len(regions)), key=lambda i: (regions[i].end - regions[i].start, regions[i].primary.score))


def _whole_variants(draft: _Draft, regions: list[_Region], options: list[list[Candidate]], ks: range) -> list[str]:
    """Whole-message versions, most natural first.

    The main (longest) region gets the sincere line; a secondary region that repeats a pattern or is short is
    simply left out, so the message says the real thing once. The first versions use one tone throughout and keep
    the unflagged parts of flagged sentences; later ones replace whole flagged sentences (a kept fragment can read
    as a tactic once its neighbour is gone), then rotate through the other options.
    """
    main = _main_region(regions)
    plans = _whole_plans(options, main)
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
        if message and message not in out:
            out.append(message)
    return out


def _droppable(draft: _Draft, regions: list[_Region], i: int) -> bool:
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


def compose(draft: _Draft, regions: list[_Region], replacements: list[str], keep_fragments: bool = True) -> str:
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


def _chunks(draft: _Draft, regions: list[_Region]) -> list[tuple[tuple[int, int], list[int]]]:
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
            if ss >= span[1] and not gap_after.strip() and HEDGE_ONLY_RE.match(draft.text[ss:se]):
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


def _compose_chunk(draft: _Draft, cs: int, ce: int, parts: list[tuple[_Region, str]], keep_fragments: bool = True) -> str:
    """Kept fragments of the chunk (cleaned at their edges) joined with the replacements."""
    text = draft.text
    pieces: list[tuple[str, str]] = []
    pos = cs
    for region, repl in sorted(parts, key=lambda p: p[0].start):
        raw = text[pos:max(pos, region.start)]
        frag = _clean_fragment(raw, lead=bool(pieces), trail=True) if keep_fragments else ""
        if frag and _hanging_intro(raw, frag, draft.name):
            frag = ""
        if frag:
            pieces.append(("keep", frag))
        if repl:
            pieces.append(("new", repl))
        pos = max(pos, region.end)
    tail = _clean_fragment(text[pos:ce], lead=True, trail=False) if keep_fragments else ""
    if tail:
        pieces.append(("keep", tail))
    names = (draft.name,) if draft.name else ()
    out = ""
    for _kind, piece in pieces:
        out = _join(out, piece, draft.lowercase, names)
    return tidy(out)


def _hanging_intro(raw: str, frag: str, name: str | None) -> bool:
    """'As for the rest,' or 'oh and quick one,' led into the replaced clause and can't stand alone; a greeting
    or the person's name ('Mum,') can."""
    if not re.search(r"[,:;\-–—]\s*$", raw) or len(WORD_RE.findall(frag.lower())) > 4:
        return False
    if name and name.lower() in frag.lower():
        return False
    return not (GREETING_FRAGMENT_RE.match(frag.strip(" ,:;-")) and len(frag.split()) <= 3)


def _clean_fragment(frag: str, lead: bool, trail: bool) -> str:
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
        return _cap(right, lowercase)
    if not right:
        return left
    end = left.rstrip()[-1]
    greeting = bool(GREETING_FRAGMENT_RE.match(left.strip(" ,:;-")))
    if end in ".!?…)" or EMOJI_RE.match(end) or end == "\ufe0f":
        return f"{left} {_cap(right, lowercase)}"
    base = left.rstrip(" ,:;-–—")
    if greeting and len(base.split()) <= 3:
        return f"{base}, {_uncap(right, names)}"
    return f"{base}. {_cap(right, lowercase)}"


# -- report --------------------------------------------------------------------------------------------------------


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _detail_present(detail: Found, texts: list[str]) -> bool:
    """A detail reappears when its words (slang folded: tmrw = tomorrow) are in one of the texts."""
    from .nlp import norm_of

    want = [norm_of(w) for w in WORD_RE.findall(detail.text.lower())]
    for t in texts:
        have = " ".join(norm_of(w) for w in WORD_RE.findall(t.lower()))
        if re.search(r"\b" + re.escape(" ".join(want)) + r"\b", have):
            return True
    return False


def rewrite_report(out_dir: Path = Path("reports"), samples: int = 25, seed: int = 7,
                   detector: Detector | None = None, split: str = "test") -> dict:
    """Measure the engine over every positive of a split (test by default); write rewrites.{md,json} in out_dir."""
    from .data import load_rows

    detector = detector or Detector.load()
    rewriter = Rewriter(detector)
    rows = [r for r in load_rows() if r["split"] == split and r["kind"] == "positive"]
    offered = clean_offered = 0
    kept_total = kept_verbatim = hedge_dropped = 0
    details_total = details_carried = fit_total = fit_carried = 0
    placeholder_max = 0
    fewer_than_two = no_whole = unflagged = 0
    timings, records = [], []
    alt_keys: list[tuple] = []
    for row in rows:
        text = row["text"]
        analysis = detector.analyze(text)
        if not analysis.flags:
            unflagged += 1
            continue
        started = time.perf_counter()
        result = rewriter.suggest(text, analysis)
        timings.append((time.perf_counter() - started) * 1000)
        texts = [a.text for s in result.suggestions for a in s.alternatives]
        texts += [result.whole_message] if result.whole_message else []
        offered += len(texts)
        clean_offered += sum(detector.analyze(t).is_clean for t in texts)
        fewer_than_two += sum(len(s.alternatives) < 2 for s in result.suggestions)
        placeholder_max = max([placeholder_max] + [sum(count_placeholders(a.text) for a in s.alternatives)
                                                   for s in result.suggestions] + [count_placeholders(t) for t in texts])
        flagged_spans = [(f.start, f.end) for f in analysis.flags]
        if result.whole_message is None:
            no_whole += 1
        else:
            for s, e in analysis.sentences:
                if any(_overlaps((s, e), f) for f in flagged_spans):
                    continue
                if HEDGE_ONLY_RE.match(text[s:e]) and _next_to_flag(analysis, s, e):
                    hedge_dropped += 1
                    continue
                kept_total += 1
                kept_verbatim += text[s:e] in result.whole_message
        found = rewriter.finder.find(text)
        for sug in result.suggestions:
            span = _sentences_of(analysis, sug.flag)
            mine = [a.text for a in sug.alternatives] + ([result.whole_message] if result.whole_message else [])
            for d in found:
                if d.kind not in ("name", "day", "time") or not (span[0] <= d.start and d.end <= span[1]):
                    continue
                carried = _detail_present(d, mine)
                details_total += 1
                details_carried += carried
                bait = sug.flag.pattern in BAIT_PATTERNS and d.start < sug.flag.end and d.end > sug.flag.start
                if not d.past and not bait:  # fits: a day/time one could offer, not a past event or the bait itself
                    fit_total += 1
                    fit_carried += carried
        alt_keys.append(tuple(a.text for s in result.suggestions for a in s.alternatives))
        records.append({"id": row["id"], "before": text, "after": result.whole_message,
                        "patterns": analysis.patterns})
    key_counts = Counter(alt_keys)
    canned = sum(1 for k in alt_keys if key_counts[k] > 1)
    whole_counts = Counter(r["after"] for r in records if r["after"])
    canned_whole = sum(1 for r in records if r["after"] and whole_counts[r["after"]] > 1)
    alt_texts = Counter(a for k in alt_keys for a in k)

    def pct(a: float, b: float) -> float:
        return round(100.0 * a / b, 1) if b else 100.0

    figures = {
        "split": split, "positives": len(rows), "flagged_by_current_model": len(records), "not_flagged": unflagged,
        "offered_suggestions": offered, "offered_unflagged_pct": pct(clean_offered, offered),
        "unflagged_sentences": kept_total, "unflagged_sentences_verbatim_pct": pct(kept_verbatim, kept_total),
        "hedge_only_sentences_dropped": hedge_dropped,
        "details_in_flagged_sentences": details_total, "details_carried_pct": pct(details_carried, details_total),
        "details_that_fit": fit_total, "details_that_fit_carried_pct": pct(fit_carried, fit_total),
        "drafts_with_identical_alternatives_pct": pct(canned, len(alt_keys)),
        "drafts_with_identical_whole_message_pct": pct(canned_whole, len(records)),
        "distinct_alternative_texts": len(alt_texts), "alternatives_offered": sum(alt_texts.values()),
        "flags_with_fewer_than_two_alternatives": fewer_than_two, "drafts_without_whole_message": no_whole,
        "max_placeholders_per_suggestion": placeholder_max,
        "ms_per_draft_mean": round(statistics.mean(timings), 1) if timings else 0.0,
        "ms_per_draft_p95": round(float(np.percentile(timings, 95)), 1) if timings else 0.0,
    }
    chosen = random.Random(seed).sample(records, min(samples, len(records)))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "rewrites.json").write_text(json.dumps({"figures": figures, "samples": chosen}, ensure_ascii=False,
                                                      indent=2), encoding="utf-8")
    (out_dir / "rewrites.md").write_text(_report_md(figures, chosen), encoding="utf-8")
    return figures


def _next_to_flag(analysis: Analysis, s: int, e: int) -> bool:
    text = analysis.text
    return any(not text[f.end:s].strip() or not text[e:f.start].strip() for f in analysis.flags)


def _sentences_of(analysis: Analysis, flag: Flag) -> tuple[int, int]:
    touching = [(s, e) for s, e in analysis.sentences if s < flag.end and e > flag.start]
    if not touching:
        return flag.start, flag.end
    return min(touching[0][0], flag.start), max(touching[-1][1], flag.end)


def _report_md(figures: dict, samples: list[dict]) -> str:
    f = figures
    lines = [
        "# Sincere rewordings: report",
        "",
        f"Over the {f['positives']} positives of the {f['split']} split; the current model flags "
        f"{f['flagged_by_current_model']} of them (the {f['not_flagged']} it misses get no suggestion).",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| offered suggestions that the detector leaves unflagged | {f['offered_unflagged_pct']}% of "
        f"{f['offered_suggestions']} | 100% |",
        f"| unflagged sentences kept verbatim in the whole message | {f['unflagged_sentences_verbatim_pct']}% of "
        f"{f['unflagged_sentences']} | 100% |",
        f"| details (names, days, times) in a flagged sentence carried into its suggestions, where they fit | "
        f"{f['details_that_fit_carried_pct']}% of {f['details_that_fit']} | >= 90% |",
        f"| the same, counting past-tense days too | {f['details_carried_pct']}% of {f['details_in_flagged_sentences']} | |",
        f"| drafts whose alternatives are identical to another draft's | {f['drafts_with_identical_alternatives_pct']}% "
        f"| < 20% |",
        f"| drafts whose whole-message rewrite is identical to another draft's | "
        f"{f['drafts_with_identical_whole_message_pct']}% | < 20% |",
        f"| distinct alternative texts / alternatives offered | {f['distinct_alternative_texts']} / "
        f"{f['alternatives_offered']} | |",
        f"| flags with fewer than two alternatives | {f['flags_with_fewer_than_two_alternatives']} | 0 |",
        f"| drafts with no clean whole-message rewrite | {f['drafts_without_whole_message']} | |",
        f"| most placeholders in one suggestion | {f['max_placeholders_per_suggestion']} | <= 2 |",
        f"| time per draft (mean / p95) | {f['ms_per_draft_mean']} / {f['ms_per_draft_p95']} ms | < 100 ms |",
        "",
        "How the figures are counted:",
        "",
        "- Offered suggestions: every alternative and every whole-message rewrite, each re-checked with "
        "`Detector.analyze`.",
        f"- Verbatim: sentences that overlap no flag. Hedge-only sentences right next to a flag (\"lol jk\", "
        f"\"we'll see\", a wink) are dropped as the tactic's tail ({f['hedge_only_sentences_dropped']} here) and not "
        "counted.",
        "- Details: names of the person addressed, days and times found (spaCy Matcher) in the sentence(s) of a flag; "
        "carried when they reappear in one of that flag's alternatives or in the whole message (slang folded, tmrw = "
        "tomorrow). They \"fit\" unless they describe something past or habitual (last night, every night) or are the "
        "bait itself (the day of someone else's date inside a jealousy-bait phrase).",
        "- Identical alternatives: the tuple of all alternative texts of a draft equals another draft's. Single-flag "
        "drafts with no usable detail draw from the same few catalogue lines per tone, so this is the strict figure; "
        "the whole-message figure counts drafts whose rewritten message equals another draft's.",
        "- Time: `Rewriter.suggest` per draft, warm, including its batched self-check with the detector.",
        "",
        f"## {len(samples)} random before/after samples (seeded)",
        "",
    ]
    for s in samples:
        lines.append(f"- before: {s['before']}")
        lines.append(f"  after: {s['after'] if s['after'] else '(no clean whole-message rewrite)'}")
    return "\n".join(lines) + "\n"
