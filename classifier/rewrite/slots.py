"""Filling a catalogue line's slots ({name}, {when}, {plan}) from the draft's details."""
from __future__ import annotations

import re

from .types import Details
from .words import HOLIDAYS, MONTHS, WEEKDAYS

PLACEHOLDER_RE = re.compile(r"\[[^\[\]]+\]")
SLOT_RE = re.compile(r"\{(name|when|plan)\}")
DAY_PLACEHOLDER = "[day and time]"


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
    if day and not tm and day.lower() in HOLIDAYS:  # "call me at Easter", not "call me Easter"
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
        has_when = (details.day or details.time) is not None and not when_is_past(details)
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


def when_is_past(details: Details) -> bool:
    parts = [p for p in (details.day, details.time) if p is not None]
    return bool(parts) and all(p.past for p in parts)


def concrete_question(details: Details, sees: bool = False) -> tuple[str, frozenset[str]]:
    """Turn a vague 'maybe sometime' into a real invitation, with a placeholder where the day is unknown."""
    plan = details.plan if details.plan is not None and not details.plan.past else None
    when = None if when_is_past(details) else _when_text(details, "")
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


def count_placeholders(text: str) -> int:
    return len(PLACEHOLDER_RE.findall(text))
