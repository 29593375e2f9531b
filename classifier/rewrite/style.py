"""Matching the draft's style: casing (lowercase drafts get lowercase lines), and tidy punctuation."""
from __future__ import annotations

import re

from .words import WEEKDAYS


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


def cap(text: str, lowercase: bool) -> str:
    if lowercase or not text:
        return text
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1:]
        if c.isalnum():
            return text
    return text


def uncap(text: str, names: tuple[str, ...]) -> str:
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
