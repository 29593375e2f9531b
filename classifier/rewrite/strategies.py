"""Per-pattern edits of the flagged phrase itself: keep what the writer asks for or says, drop the tactic.

Each strategy reads the phrase and returns sincere wordings built from its own words ("pay me back the 200 by Sunday
or I'll tell your mum" -> "I need you to pay me back the 200 by Sunday. Can you do that?"), or nothing when its
shapes do not fit; the catalogue's lines remain the fallback. Every edit is still self-checked by the detector.
"""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from ..catalogue.lexicon import load_lexicon

_TAGS = "|".join(load_lexicon().lists["dismissive_tags"])
_PROPER = frozenset(load_lexicon().weekdays) | frozenset(load_lexicon().months) | load_lexicon().words("known_names")
# A dismissive tag at the end of a phrase or sentence ("... chill", "... your choice.", "... 🙂").
TRAILING_TAG_RE = re.compile(rf"(?:(?:^|[\s,.!?;:\-–—]+)(?:{_TAGS})(?=$|[\s,.!?;:]))+[\s,.!?;:]*$", re.I)
# A sentence that is only a dismissive tag ("Chill.", "Your choice.", "lol").
TAG_ONLY_RE = re.compile(rf"^[\s,.!?;:\-–—]*(?:(?:{_TAGS})(?=$|[\s,.!?;:])[\s,.!?;:\-–—]*)+$", re.I)

Strategy = Callable[[str], list[tuple[str, str]]]  # phrase -> [(tone, text)]


def clean(phrase: str) -> str:
    """The phrase without surrounding punctuation and the dismissive tags that belong to the tactic."""
    phrase = TRAILING_TAG_RE.sub("", phrase.strip())
    return phrase.strip(" \t\n,.;:!?-–—")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:-–—")
    return _cap(text) + ("" if text.endswith(("?", "!", ".")) else ".")


_STOP = r"(?=\s+(?:but|and|though|tho|lol|lmao|i guess|even though|so|because|cuz|coz)\b|[,.!?;]|$)"


def _lower_first(text: str) -> str:
    """'Pay me back' -> 'pay me back' inside a sentence; 'I', names and acronyms stay as written."""
    first = text.split(" ", 1)[0]
    if first in ("I", "I'm", "I'll", "I've", "I'd") or (len(first) > 1 and first[1:2].isupper()) \
            or first.lower() in _PROPER:
        return text
    return text[:1].lower() + text[1:]


_ASKS = ("Can you do that?", "Does that work for you?", "Is that doable?", "Can we sort that?")


def _ask(phrase: str) -> str:
    """A closing question, varied by the phrase so that many drafts do not all end the same way (deterministic)."""
    return _ASKS[zlib.crc32(phrase.encode()) % len(_ASKS)]


def _you_to_object(text: str) -> str:
    """'you' as a subject inside a demand read from the writer's side: 'you pay me back' -> 'pay me back'."""
    return re.sub(r"^(?:you|u|ya)\s+(?:better\s+|had better\s+|'d better\s+|need to\s+|have to\s+|gotta\s+)?", "", text,
                  flags=re.I)


_OR_THREAT = re.compile(
    r"^(?P<demand>.+?)[\s,.;:!-]+or\s+(?:else\b|i'?ll|i will|i'?m|im\b|we'?re|we are|it'?s|you'?ll|you can|"
    r"i\s+(?:tell|go|leave|block|post|call|report|delete|send|show|move|walk|quit)\b|"
    r"don'?t|dont|forget|that'?s|i swear|you'?re|say)(?P<threat>.*)$", re.I)
_THREAT = (r"(?:don'?t|dont)\s+bother|we'?re done|we are done|were done|i'?m done|im done|i am done|i'?ll|ill\b|"
           r"i will|i'?m (?:leaving|going|out|gone|blocking|deleting|telling)|forget|that'?s it|thats it|it'?s over|"
           r"its over|you can|you'?re|don'?t come|don'?t call|don'?t expect|never|consider|i swear")
_IF_NOT = re.compile(r"^(?:and\s+)?if\s+(?:you|u)\s+(?:don'?t|dont|do not|won'?t|wont|can'?t|cant|aren'?t|arent)\s+"
                     rf"(?P<x>.+?)(?:[,.;:!-]+\s*|\s+)(?:then\s+)?(?P<threat>(?:{_THREAT}).*)$", re.I)
_IF_DO = re.compile(r"^(?:and\s+)?if\s+(?:you|u)\s+(?P<x>.+?)(?:[,.;:!-]+\s*|\s+)(?:then\s+)?"
                    rf"(?P<threat>{_THREAT})(?P<rest>.*)$", re.I)
_BOTHER_COMING = re.compile(r"(?:don'?t|dont)\s+bother\s+coming\s+(?:to\s+)?(?P<event>.+?)(?:\s+any\s?more)?\s*$", re.I)
_CHOICE = re.compile(r"\b(?:it'?s|its)\s+(?P<them>.+?)\s+or\s+me\b", re.I)


_WHEN_WORD = (r"(?:today|tonight|tomorrow|midday|noon|midnight|morning|evening|afternoon|night|monday|tuesday|"
              r"wednesday|thursday|friday|saturday|sunday|weekend|week|end of (?:the )?(?:day|week)|"
              r"\d{1,2}(?::\d\d)?\s*(?:am|pm)?)")
# "Friday 5pm, then it goes to Helen": a deadline made only of time words, then the threat.
_DEADLINE = re.compile(rf"^(?P<when>(?:by\s+|before\s+)?(?:(?:this|next|on|at)\s+)?{_WHEN_WORD}(?:\s+(?:at\s+)?{_WHEN_WORD})*)"
                       r",?\s+(?:then|or|otherwise|after that)\s+(?:i'?m|im|i'?ll|i will|it|we|you|that'?s|this)\b", re.I)


def ultimatum(phrase: str) -> list[tuple[str, str]]:
    """The demand as a stated need and a question; the threat goes. 'If you X, don't bother coming to Y' keeps Y;
    'Friday 5pm, then it goes to Helen' keeps the deadline."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    m = _DEADLINE.match(text)
    if m:
        when = re.sub(r"^(?:by|before)\s+", "", m.group("when").strip(), flags=re.I)
        out.append(("direct", _sentence(f"I need an answer by {_lower_first(when)}") + " " + _ask(text)))
    m = _CHOICE.search(text) if not out else None
    if m:
        out.append(("direct", f"I feel like I come second to {m.group('them')} sometimes, and I'd like us to talk about it."))
    m = _IF_NOT.match(text)
    if m:
        out.append(("direct", _sentence(f"I need you to {_lower_first(m.group('x'))}") + " " + _ask(text)))
    m = _IF_DO.match(text) if not out else None
    if m:
        line = _sentence(f"I'd really rather you didn't {m.group('x')}") + " Can we talk about it?"
        bother = _BOTHER_COMING.search(m.group("threat") + m.group("rest"))
        if bother:
            line += " " + _sentence(f"I'd still love you to come to {bother.group('event')}")
        out.append(("direct", line))
    m = _OR_THREAT.match(text) if not out else None
    if m:
        demand = _you_to_object(m.group("demand").strip(" ,"))
        if len(demand.split()) >= 2 and not re.match(r"(?:i|i'm|we|it|this|that)\b", demand, re.I):
            out.append(("direct", _sentence(f"I need you to {_lower_first(demand)}") + " " + _ask(text)))
    return out


_CANT_EVEN = re.compile(r"\b(?:you|u)?\s*(?:can'?t|cant|couldn'?t|couldnt|won'?t|didn'?t)\s+even\s+"
                        rf"(?P<x>[^,.!?;]+?){_STOP}", re.I)
_WAITED = re.compile(r"\bi\s+waited\s+(?:all\s+)?(?:week|day|night|month|year|ages)\s+for\s+(?P<x>[^,.!?;]+?)"
                     r"\s+(?:and|but)\s+(?:you|u)\b", re.I)
_MATTER = re.compile(r"\b(?:not like|guess|clearly|obviously)\s+i\s+(?:don'?t\s+)?matter\b", re.I)


def guilt_tripping(phrase: str) -> list[tuple[str, str]]:
    """The feeling and one request, without the scorekeeping."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    m = _WAITED.search(text)
    if m:
        out.append(("warm", _sentence(f"I was really looking forward to {m.group('x')}, and I'm disappointed it's off")))
    m = _CANT_EVEN.search(text)
    if m:
        x = m.group("x").strip()
        out.append(("warm", _sentence(f"I was hurt that you didn't {x}") + " It would have meant a lot to me."))
    if _MATTER.search(text):
        out.append(("warm", "I've been feeling like I don't matter much to you lately, and I'd like to talk about it."))
    return out


_DISMISS = re.compile(r"\b(?:you'?re|ur|you are|youre)\s+(?:being\s+)?(?:so\s+|too\s+|really\s+|way\s+too\s+)?"
                      r"(?:dramatic|sensitive|paranoid|crazy|overreacting|hysterical|imagining (?:it|things)|"
                      r"making (?:it|this|that|things) up|overthinking(?: it| this)?)\b[^,.!?;]*", re.I)
_NEVER = re.compile(r"\b(?:that|it|this)\s+never\s+happened\b|\bi\s+never\s+said\s+(?:that|it)\b|"
                    r"\b(?:you'?re|ur|you are)\s+remembering\s+(?:it|that|things)\s+wrong\b|\byou\s+always\s+twist\b",
                    re.I)


def gaslighting(phrase: str) -> list[tuple[str, str]]:
    """'I remember it differently' and their feeling acknowledged; the dismissal goes, the rest of the words stay."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    rest = _DISMISS.sub("", text).strip(" ,;:-–—")
    if _DISMISS.search(text):
        line = "I can see this upset you."
        if rest and len(rest.split()) >= 3 and not _NEVER.search(rest):
            line = _sentence(rest) + " " + "I can see it upset you, though."
        out.append(("warm", line))
    if _NEVER.search(text):
        out.append(("warm", "I remember it differently, but I can see it upset you, and I want to hear how it felt for you."))
    return out


_NOTICED = re.compile(r"\b(?:honestly\s+)?(?:i\s+)?(?:hadn'?t|hadnt|haven'?t|havent|didn'?t|didnt)\s+(?:even\s+)?"
                      r"notice[d]?\s+(?:that\s+)?(?P<x>[^,.!?;]+)", re.I)
_NOT_MATTER = re.compile(r"\b(?:doesn'?t|doesnt|does not|don'?t|dont)\s+(?:really\s+|even\s+)?(?:matter|bother)\s+(?:to\s+)?"
                         r"(?:me|mee)\b", re.I)
_NOT_CARE = re.compile(r"\b(?:i\s+)?(?:don'?t|dont|do not|couldn'?t|could not)\s+(?:really\s+|even\s+)?care\b", re.I)
_WONT_NOTICE = re.compile(r"\b(?:won'?t|wont|will not)\s+(?:even\s+)?notice\b|\bnot even a blip\b|"
                          r"\bwouldn'?t (?:even )?notice\b", re.I)


def feigned_indifference(phrase: str) -> list[tuple[str, str]]:
    """Says the real feeling: it did register, it does matter."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    m = _NOTICED.search(text)
    if m:
        out.append(("warm", _sentence(f"I did notice {m.group('x').strip()}, and I've missed hearing from you")))
    if _NOT_MATTER.search(text) or _NOT_CARE.search(text):
        out.append(("direct", "Honestly, it does matter to me."))
    if _WONT_NOTICE.search(text):
        out.append(("direct", "Honestly, I'll notice, and I'll miss you."))
    return out


_FIGHT = re.compile(r"\b(?:you'?re|ur|you are|youll|you'?ll)?\s*(?:gonna|going to|will)\s+(?:have to|need to)\s+"
                    r"(?:fight|work|wait|earn|compete|queue|line up|beg)\b", re.I)
_BUSY_TILL = re.compile(r"\b(?:my\s+)?(?:social\s+)?(?:calendar|schedule|diary|week|weekend|month)\s*(?:'s|is)?\s+"
                        r"(?:so\s+|pretty\s+|very\s+)?(?:rammed|packed|full|booked|busy|chocka)\s+"
                        rf"(?:till|until|til)\s+(?:like\s+)?(?P<when>[^,.!?;]+?){_STOP}", re.I)
_SQUEEZE = re.compile(r"\b(?:might|may|could)\s+(?:be able to\s+)?(?:squeeze|fit|pencil)\s+(?:you|u)\s+in\b", re.I)


def playing_hard_to_get(phrase: str) -> list[tuple[str, str]]:
    """Real availability and real interest, without making them chase."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    m = _BUSY_TILL.search(text)
    if m:
        out.append(("direct", _sentence(f"I'm really busy until {m.group('when').strip()}, but I'd like to find a time")))
    if _FIGHT.search(text) or _SQUEEZE.search(text):
        out.append(("warm", "I'd really like to see you. When works for you?"))
    return out


_SOMETIME = re.compile(r"\b(?:maybe\s+)?(?:we\s+)?(?:should|could|can|might)\s+(?P<x>[^,.!?;]+?)\s+"
                       r"(?:sometime|some time|one day|at some point|soon-?ish|whenever)\b", re.I)
_WELL_SEE = re.compile(r"\b(?:we'?ll|well|i'?ll)\s+see\b", re.I)


def hot_cold(phrase: str) -> list[tuple[str, str]]:
    """A concrete plan, or an honest 'I'm not sure yet'."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    m = _SOMETIME.search(text)
    if m:
        out.append(("direct", _sentence(f"I'd like to {m.group('x').strip()}") + " When works for you?"))
    if _WELL_SEE.search(text):
        out.append(("direct", "I'm not sure yet, and I'll tell you as soon as I know."))
    return out


def jealousy_bait(phrase: str) -> list[tuple[str, str]]:
    """Bait is dropped rather than reworded: the whole message says the thing directly or leaves it out."""
    return [("drop", "")]


_GO_AHEAD = re.compile(r"^(?:(?:fine|ok|okay|k|sure)[\s,.!]+(?:then\s+)?(?:just\s+)?(?:go\s+ahead(?:\s+and)?\s+)?|"
                       r"(?:just\s+)?go\s+ahead(?:\s+and)?\s+)"
                       rf"(?P<x>(?:go|do|leave|stay|see|have|take|hang|spend|keep|text|call|date)\b[^,.!?;]*?){_STOP}", re.I)
_DONT_THEN = re.compile(r"^(?:fine|ok|okay)?[\s,.!]*(?:don'?t|dont)\s+(?:bother\s+)?(?P<x>[^,.!?;]+?)\s+then\b", re.I)
_DONT_NEED = re.compile(r"\bi\s+(?:don'?t|dont|do not)\s+need\s+(?:you|anyone|u)\b", re.I)


def reverse_psychology(phrase: str) -> list[tuple[str, str]]:
    """Says what the writer actually wants."""
    text = clean(phrase)
    out: list[tuple[str, str]] = []
    m = _GO_AHEAD.match(text)
    if m:
        out.append(("direct", _sentence(f"Honestly, I'd rather you didn't {m.group('x').strip()}") +
                    " Can we talk about it?"))
    m = _DONT_THEN.match(text)
    if m:
        out.append(("direct", _sentence(f"I'd really like you to {m.group('x').strip()}")))
    if _DONT_NEED.search(text):
        out.append(("warm", "I do want you around, even when I'm upset."))
    return out


STRATEGIES: dict[str, Strategy] = {
    "ultimatum": ultimatum, "guilt_tripping": guilt_tripping, "gaslighting": gaslighting,
    "feigned_indifference": feigned_indifference, "playing_hard_to_get": playing_hard_to_get, "hot_cold": hot_cold,
    "jealousy_bait": jealousy_bait, "reverse_psychology": reverse_psychology,
}


def edits(pattern: str, phrase: str) -> list[tuple[str, str]]:
    """(tone, text) edits of a flagged phrase for its pattern; ("drop", "") means the phrase can simply go."""
    strategy = STRATEGIES.get(pattern)
    return [(tone, text) for tone, text in (strategy(phrase) if strategy else []) if tone == "drop" or text.strip()]
