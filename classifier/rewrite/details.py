"""Details in the draft a sincere line can carry over: the person addressed, days, times, plans and topics.

spaCy Matcher patterns over the detector's Doc (the draft is parsed once); offsets index the original text.
"""
from __future__ import annotations

import re

from spacy.matcher import Matcher
from spacy.tokens import Doc

from ..detect.detector import Analysis
from ..text.pipeline import get_nlp
from .types import Found
from .words import (
    BUSY_WORDS,
    DETERMINERS,
    ENDEARMENTS,
    FAMILY,
    FUTURE_WORDS,
    GREETINGS,
    HOLIDAYS,
    KNOWN_NAMES,
    MONTHS,
    NOT_NAMES,
    NOT_PAST_ED,
    PARTS_OF_DAY,
    PAST_WORDS,
    PLAN_EVENTS,
    PLAN_NOUNS,
    PLAN_VERBS,
    TOPICS,
    WEEKDAYS,
)


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

    def find(self, analysis: Analysis) -> list[Found]:
        """Every detail in an analysed draft, from the detector's Doc (no second parse); offsets index analysis.text."""
        if analysis.doc is None or analysis.normalized is None:  # an Analysis built by hand, or an early return
            return self.find_text(analysis.text)
        found = self._find(analysis.doc)
        normalized, text = analysis.normalized, analysis.text
        if normalized.text == text:
            return found
        out = []
        for f in found:  # normalisation changed the text: put offsets and wording back on the original
            start, end = normalized.span_to_original(f.start, f.end)
            wording = text[start:end]
            if f.kind == "topic":
                wording = wording.lower().replace(" 's", "'s")
            out.append(Found(f.kind, start, end, wording, f.past, f.plan))
        return out

    def find_text(self, text: str) -> list[Found]:
        """Every detail in a text that is not a draft (a retrieved sentence): parsed here."""
        return self._find(self.nlp(text))

    def _find(self, doc: Doc) -> list[Found]:
        """Longest match per place, in text order; offsets index doc.text."""
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
