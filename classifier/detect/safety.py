"""A careful check for mentions of self-harm or violence, so a calm notice with crisis resources can come first.

The rules are data: each is a kind, a regular expression and an optional list of words that cancel it when they come
just before the match ("I'm not going to hurt you"). They aim at explicit statements of intent, threats and reports of
harm, and deliberately skip everyday idioms ("this commute is killing me", "dying to see you", "I hurt myself at the gym").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SELF_HARM = "self_harm"
VIOLENCE = "violence"

_ME = r"(?:my\s*self|me\s*self)"
_YOU = r"(?:you|u|ya|him|her|them|ur\s+(?:mum|mom|dad|family|bf|gf|boyfriend|girlfriend)|your\s+(?:mum|mom|dad|family|boyfriend|girlfriend|husband|wife))"
_I = r"(?:i'?ll|i\s+will|i'?m\s+(?:gonna|going\s+to|about\s+to|ready\s+to)|i\s+am\s+(?:gonna|going\s+to)|i\s+swear\s+i'?ll|i\s+want\s+to|i\s+wanna)"
# intent to hurt oneself: first person, including "thinking about", "might", "I could"
_INTENT_SELF = (rf"(?:{_I}|i'?d|i\s+would|i\s+could|i\s+might|i\s+may|i\s+feel\s+like|i'?ve\s+(?:thought|been\s+thinking)\s+(?:about|of)|"
                r"(?:i'?m\s+|been\s+)?thinking\s+(?:about|of)|i\s+think\s+about)")
# intent to hurt someone else: first person only ("mum's gonna kill you lol" and "I could kill him" are idioms)
_INTENT_OTHER = _I
_HURT_SELF = r"(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|unalive|end|ending)"

# (kind, pattern). Patterns are matched case-insensitively against the text with curly apostrophes straightened.
RULES: tuple[tuple[str, str], ...] = (
    # self-harm and suicide
    (SELF_HARM, r"\bsuicid(?:e|al)\b"),
    (SELF_HARM, rf"{_INTENT_SELF}\s+(?:to\s+)?{_HURT_SELF}\s+{_ME}\b"),
    (SELF_HARM, rf"\bkill(?:ing)?\s+{_ME}\s+if\b"),
    (SELF_HARM, r"\bunalive\s+(?:my\s*self|me)\b"),
    (SELF_HARM, r"\bself[\s-]?harm(?:ing|ed)?\b"),
    (SELF_HARM, r"\b(?:end|ending|take|taking)\s+my\s+(?:own\s+)?life\b"),
    (SELF_HARM, r"\bend\s+it\s+all\b"),
    (SELF_HARM, r"\b(?:want|wanna|wanted|ready)\s+(?:to\s+)?die\b(?!\s+(?:of|from|laughing|inside|lol|lmao|haha))"),
    (SELF_HARM, r"\bwish\s+i\s+(?:was|were)\s+dead\b"),
    (SELF_HARM, r"\bwish\s+i\s+(?:had\s+never\s+been|was\s+never|wasn'?t|weren'?t)\s+born\b"),
    (SELF_HARM, r"\b(?:don'?t|dont|do\s+not)\s+want\s+to\s+(?:be\s+alive|live|exist)\s+any\s*more\b"),
    (SELF_HARM, r"\bno\s+(?:reason|point)\s+(?:in\s+)?(?:to\s+)?(?:living|live|being\s+alive)\b"),
    (SELF_HARM, r"\b(?:everyone|you|u|they|the\s+world)(?:'?d|\s+would|\s+will|'?ll)\s+be\s+better\s+off\s+(?:without\s+me|if\s+i\s+(?:was|were)\s+(?:gone|dead))\b"),
    (SELF_HARM, r"\boverdos(?:e|ed|ing)\b"),
    (SELF_HARM, r"\b(?:slit|cut|cutting|slitting)\s+my\s+wrists?\b"),
    (SELF_HARM, r"\b(?:jump|jumping)\s+(?:off|in\s+front\s+of)\s+(?:a|the)\s+(?:bridge|building|roof|train)\b"),
    (SELF_HARM, r"\b(?:take|took|taking|swallow|swallowed|swallowing)\s+(?:all|every\s+one)\s+(?:of\s+)?(?:my|the|these|those)\s+(?:pills|tablets|meds)\b"),
    (SELF_HARM, r"\b(?:a\s+(?:whole\s+)?bottle|handful)\s+of\s+(?:pills|tablets|sleeping\s+pills)\b"),
    # violence: threats, intent and reports of being hurt
    (VIOLENCE, rf"{_INTENT_OTHER}\s+(?:to\s+)?(?:kill|murder|stab|shoot|strangle|choke|beat\s+up|beat|hit|punch|slap|kick|hurt)\s+{_YOU}\b(?!\s+(?:up|back|with))"),
    (VIOLENCE, r"\b(?:burn|torch|smash\s+up)\s+(?:down\s+)?(?:your|ur|his|her|their)\s+(?:house|flat|place|car|home)\b"),
    (VIOLENCE, r"\b(?:gun|knife|weapon)\s+(?:to|at|on)\s+(?:your|ur|his|her|their)\s+(?:head|door|house|place)\b"),
    (VIOLENCE, r"\b(?:he|she|they|my\s+(?:boyfriend|girlfriend|husband|wife|partner|ex|dad|mum|mom|father|mother))\s+"
               r"(?:hit|hits|punched|punches|slapped|slaps|kicked|kicks|choked|chokes|strangled|beat|beats|shoved|pushed)\s+me\b(?!\s+(?:up|with|back\s+(?:on|at|in)))"),
    (VIOLENCE, r"\bthreaten(?:ed|s|ing)?\s+to\s+(?:kill|hurt|stab|shoot|hit)\b"),
    (VIOLENCE, r"\bscared\s+(?:he|she|they)(?:'?ll|\s+will|\s+might|'?s\s+going\s+to)\s+(?:hurt|kill|hit)\s+me\b"),
    (VIOLENCE, r"\byou(?:'?ll|\s+will)\s+(?:be|end\s+up)\s+dead\b"),
)

# Words just before a match that turn it into its opposite ("I would never hurt you", "I'm not going to hurt myself").
NEGATIONS = re.compile(r"\b(?:not|never|n't|nt|no\s+way)\s*(?:\w+\s+){0,2}$", re.IGNORECASE)
NEGATION_WINDOW = 24

# Rules whose wording is itself negative ("I don't want to live anymore"): a "not" inside the match is part of it.
_SELF_NEGATED = {rx for _, rx in RULES if "don" in rx or "never" in rx or "wasn" in rx}

_COMPILED: tuple[tuple[str, re.Pattern[str]], ...] = tuple((kind, re.compile(rx, re.IGNORECASE)) for kind, rx in RULES)


@dataclass(frozen=True)
class SafetyFinding:
    kinds: tuple[str, ...]  # SELF_HARM and/or VIOLENCE, in that order


def _normalise(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'")


def check(text: str) -> SafetyFinding | None:
    """A finding when the text mentions self-harm or violence; None for ordinary text."""
    if not text or not text.strip():
        return None
    clean = _normalise(text)
    kinds: set[str] = set()
    for kind, rx in _COMPILED:
        if kind in kinds:
            continue
        for m in rx.finditer(clean):
            before = clean[max(0, m.start() - NEGATION_WINDOW) : m.start()]
            if NEGATIONS.search(before) or (rx.pattern not in _SELF_NEGATED and _negated_inside(m.group(0))):
                continue
            kinds.add(kind)
            break
    return finding_of(kinds)


def finding_of(kinds) -> SafetyFinding | None:
    """A finding for these kinds (in the order their notices come), or None when there are none."""
    kinds = set(kinds)
    return SafetyFinding(tuple(k for k in (SELF_HARM, VIOLENCE) if k in kinds)) if kinds else None


def _negated_inside(matched: str) -> bool:
    """'i'm not going to hurt you' can match from 'going to': the negation sits inside the intent phrase."""
    return bool(re.search(r"\b(?:not|never)\b|n't\b", matched, re.IGNORECASE))


NOTICE_TITLE = "Before anything else: are you okay?"

RESOURCES = {
    SELF_HARM: (
        "This message mentions self-harm or not wanting to be alive. If that's on your mind, or you're worried about "
        "someone else, you don't have to carry it alone. Talking to someone can help, right now:\n\n"
        "- **988** Suicide & Crisis Lifeline (US): call or text 988\n"
        "- **116 123** Samaritans (UK and Ireland), free, any time\n"
        "- Anywhere else: your local emergency number (**112**, **911**, **999**), or find a free, confidential line "
        "at findahelpline.com"
    ),
    VIOLENCE: (
        "This message mentions someone being hurt or threatened. If you or anyone else might be in danger, please "
        "reach out now:\n\n"
        "- Your local emergency number (**911** US, **999** UK, **112** EU) if anyone is in immediate danger\n"
        "- **1-800-799-7233** National Domestic Violence Hotline (US), or text START to 88788\n"
        "- **0808 2000 247** National Domestic Abuse Helpline (UK), free, any time"
    ),
}


def notice_markdown(finding: SafetyFinding) -> str:
    """The calm notice: what was noticed and where help is, before any analysis."""
    parts = [RESOURCES[k] for k in finding.kinds]
    parts.append("The checker's notes on wording are below, but they matter much less than your safety.")
    return "\n\n".join(parts)


def notice_text(finding: SafetyFinding) -> str:
    """The notice as plain text, for the command line."""
    return NOTICE_TITLE + "\n\n" + notice_markdown(finding).replace("**", "")


def to_dict(finding: SafetyFinding | None) -> dict | None:
    """The finding for JSON output: None when nothing applies."""
    if finding is None:
        return None
    return {"kinds": list(finding.kinds), "notice": notice_text(finding)}
