"""Character-level normalization of texting style that keeps offsets into the text the person typed.

Undoes spacing tricks and styling (zero-width characters, homoglyphs, leetspeak, spaced letters,
letter elongation, curly quotes, fullwidth forms) and caps long runs of one symbol so that `"I d o n ' t  c a r e"` and `"I don't care"` look alike
to the model, while every normalized character still points back at the original one.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

# Invisible characters that change nothing a reader sees (zero-width, joiners, soft hyphen, BOM, bidi marks).
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f"
                      "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Cyrillic and Greek letters that look like Latin ones.
HOMOGLYPHS = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "к": "k", "м": "m", "н": "h", "т": "t", "в": "b", "ь": "b", "г": "r",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X",
    "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "ο": "o", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X", "ɡ": "g", "ı": "i",
}
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
          "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2026": "...", "\u2014": " - ", "\u2013": " - "}
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}

# "c a r e" (four or more letters), "g.u.i.l.t" or "y-o-u" (three or more, joined by dots, hyphens, stars or
# underscores): single letters with a separator between every pair.
SPACED_LETTERS = re.compile(r"(?<![^\W\d_])(?:(?:[^\W\d_] ){3,}|(?:[^\W\d_][.*_-]){2,})[^\W\d_](?![^\W\d_])")
ELONGATION = re.compile(r"([^\W\d_])\1{2,}")
MAX_TEXT_FOR_NORMALIZATION = 200_000
# One symbol (a grapheme cluster that is not a letter, digit or space: "!", "😂", "👍🏽") repeated: kept three times.
# spaCy's tokenizer splits affixes off one long token a character at a time, quadratic in the run's length.
SYMBOL_RUN = regex.compile(r"((?=[^\w\s])\X)\1{3,}")
SYMBOL_RUN_KEEP = 3
# What is left of an unbroken stretch of mixed symbols is cut into pieces of this many characters.
LONG_SYMBOLS = regex.compile(r"[^\w\s]{24,}")
SYMBOL_PIECE = 12
GRAPHEME = regex.compile(r"\X")
# Markup pasted with a draft ("<b>", "<img src=x onerror=...>") says nothing about its wording: it reads as a space.
# (What is shown back to the person is always the escaped original text.)
HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
# Stacked punctuation glued to a word and followed by a lowercase word ("sat by the!! phone", "out?! for") is a pause
# or a disguise, not a sentence end: it is dropped, so the words around it read as one phrase.
STACKED_PAUSE = re.compile(r"(?<=[^\W\d_])[.!?,]{2,}(?= +[a-z])")
MIXED_WORD = re.compile(r"(?=[^\W\d_]*[a-zA-Z])(?=[^\W\d_]*[^\W\d_a-zA-Z])[^\W\d_]+")


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, for each of its characters, the index of the original character it came from."""

    text: str
    source: tuple[int, ...]
    original_length: int
    source_end: tuple[int, ...] = ()  # per character, the end of what it stands for ("l" for "lllll"); default +1

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text onto the original text."""
        if end <= start:
            pos = self.source[start] if start < len(self.source) else self.original_length
            return pos, pos
        last = end - 1
        return self.source[start], self.source_end[last] if self.source_end else self.source[last] + 1


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    latin = sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)


def _char_pass(text: str) -> tuple[list[str], list[int]]:
    """Drop invisibles, fold compatibility forms, quotes and (in mostly-Latin text) homoglyphs."""
    # Fold homoglyphs everywhere in mostly-Latin text, and elsewhere only inside words that mix in Latin letters,
    # so real Russian or Greek stays as it is.
    fold_all = _latin_share(text) >= 0.5
    mixed = set()
    if not fold_all:
        for m in MIXED_WORD.finditer(text):
            mixed.update(range(m.start(), m.end()))
    chars: list[str] = []
    source: list[int] = []
    for i, ch in enumerate(text):
        fold_homoglyphs = fold_all or i in mixed
        if ch in INVISIBLE:
            continue
        cat = unicodedata.category(ch)
        if (cat == "Cc" and ch not in "\n\t") or cat == "Cs":  # controls and lone surrogates read as a space
            chars.append(" ")
            source.append(i)
            continue
        if cat == "Mn" and chars and chars[-1].isascii() and chars[-1].isalpha():
            continue  # combining marks stacked on Latin letters ("zalgo")
        if ch in QUOTES:
            rep = QUOTES[ch]
        elif fold_homoglyphs and ch in HOMOGLYPHS:
            rep = HOMOGLYPHS[ch]
        elif ch.isascii():
            rep = ch
        else:
            rep = unicodedata.normalize("NFKC", ch)
            if not rep.strip() and ch not in "\n\t":
                rep = " "
        for r in rep:
            chars.append(r)
            source.append(i)
    return chars, source


def _rewrite(chars: list[str], source: list[tuple[int, int]], pattern: re.Pattern, fix
             ) -> tuple[list[str], list[tuple[int, int]]]:
    """Apply a regex-driven rewrite, keeping each kept character's source range in the original text.

    `fix(match)` lists the characters to keep as (index in the match, character) or, for one character that stands
    for several, (first index, character, last index)."""
    text = "".join(chars)
    out_c: list[str] = []
    out_s: list[tuple[int, int]] = []
    pos = 0
    for m in pattern.finditer(text):
        out_c.extend(chars[pos : m.start()])
        out_s.extend(source[pos : m.start()])
        keep = fix(m)  # indices (relative to the match) to keep, with replacement characters
        for item in keep:
            rel, rep = item[0], item[1]
            last = item[2] if len(item) == 3 else rel
            out_c.append(rep)
            out_s.append((source[m.start() + rel][0], source[m.start() + last][1]))
        pos = m.end()
    out_c.extend(chars[pos:])
    out_s.extend(source[pos:])
    return out_c, out_s


def _unspace(m: re.Match) -> list[tuple[int, str]]:
    return [(k, c) for k, c in enumerate(m.group(0)) if c not in " .*_-"]


class _WordMatch:
    """The span of one word, shaped like the re.Match that `_rewrite` reads."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _index: int = 0) -> str:
        return self._text[self._start : self._end]


class _ElongatedWords:
    """Finds the words that hold a run of three or more of one letter, in linear time: it looks for the runs first
    and widens each to its word ("[^\\W\\d_]*(x)\\1{2,}[^\\W\\d_]*" as one regex backtracks quadratically on a long word)."""

    @staticmethod
    def finditer(text: str):
        last_end = -1
        for run in ELONGATION.finditer(text):
            if run.start() < last_end:
                continue  # another run in a word already returned
            start, end = run.start(), run.end()
            while start > 0 and text[start - 1].isalpha():
                start -= 1
            while end < len(text) and text[end].isalpha():
                end += 1
            last_end = end
            yield _WordMatch(text, start, end)


ELONGATED_WORD = _ElongatedWords()


@lru_cache(maxsize=1)
def _word_log_probs():
    """English word log-probabilities (spacy-lookups-data), loaded on the first elongated word only."""
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lexeme_prob"]).get_table("lexeme_prob")


def _shorten(m: re.Match) -> list[tuple[int, str]]:
    """Each run of three or more of one letter becomes one or two letters, whichever spells the more common English
    word ("soooo" -> "so", "gooood" -> "good", "uppppp" -> "up"; unknown words keep two). The last kept letter of a
    run stands for the rest of it, so a span ending on it covers the whole "lllll"."""
    word = m.group(0)
    runs = list(ELONGATION.finditer(word))
    choices = [(2,)] * len(runs) if len(runs) > 4 else [(1, 2)] * len(runs)
    best, best_prob = None, None
    for counts in itertools.product(*choices):
        spelled, pos = [], 0
        for run, n in zip(runs, counts, strict=True):
            spelled += [word[pos : run.start()], run.group(1) * n]
            pos = run.end()
        candidate = ("".join(spelled) + word[pos:]).lower()
        prob = _word_log_probs().get(candidate, -30.0) if len(runs) <= 4 else 0.0
        if best_prob is None or prob > best_prob or (prob == best_prob and sum(counts) > sum(best)):
            best, best_prob = counts, prob
    kept: list[tuple[int, str]] = []
    pos = 0
    for run, n in zip(runs, best, strict=True):
        kept += [(k, word[k]) for k in range(pos, run.start())]
        if n == 2:
            kept += [(run.start(), run.group(1)), (run.end() - 1, run.group(1))]
        else:
            kept.append((run.start(), run.group(1), run.end() - 1))
        pos = run.end()
    return kept + [(k, word[k]) for k in range(pos, len(word))]


def _cap_symbol_run(m) -> list[tuple[int, str]]:
    # The last kept copy stands for the rest of the run, so a span ending on it covers the whole run.
    unit = m.group(1)
    run = m.group(0)
    kept = [(k, c) for copy in range(SYMBOL_RUN_KEEP - 1) for k, c in enumerate(unit, copy * len(unit))]
    return kept + [(len(run) - len(unit) + k, c) for k, c in enumerate(unit)]


def _break_symbols(m) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for k, c in enumerate(m.group(0)):
        if k and k % SYMBOL_PIECE == 0:
            out.append((k, " "))
        out.append((k, c))
    return out


def markup_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) over markup that touches or cuts it, so a highlight never splits "<b>word</b>" or a tag."""
    changed = True
    while changed:
        changed = False
        for m in HTML_TAG.finditer(text, max(0, start - 202), min(len(text), end + 202)):
            if m.start() < start <= m.end():
                start, changed = m.start(), True
            if m.start() <= end < m.end():
                end, changed = m.end(), True
    return start, end


def grapheme_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so that it ends on a whole grapheme cluster (an accent typed after a letter stays with it)."""
    for m in GRAPHEME.finditer(text, pos=start):
        if m.end() >= end:
            return start, m.end()
    return start, end


LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w@$]*[^\W\d_])(?=[\w@$]*[0-9@$])[\w@$]{3,}(?![\w@$])")


def _unleet(m: re.Match) -> list[tuple[int, str]]:
    word = m.group(0)
    letters = sum(1 for c in word if c.isalpha())
    if letters < 2 or word.isdigit() or re.fullmatch(r"\d+(am|pm|ish|st|nd|rd|th|s|k|h|m|min|mins|hr|hrs)", word, re.I):
        return list(enumerate(word))
    out = []
    for k, c in enumerate(word):
        prev_letter = k > 0 and word[k - 1].isalpha()
        next_letter = k + 1 < len(word) and word[k + 1].isalpha()
        near_digit = (k > 0 and word[k - 1].isdigit()) or (k + 1 < len(word) and word[k + 1].isdigit())
        out.append((k, LEET[c] if (c in LEET and (prev_letter or next_letter) and not near_digit) else c))
    return out


def normalize(text: str) -> Normalized:
    """Normalize texting style; the result maps each character back to the original text."""
    chars, starts = _char_pass(text[:MAX_TEXT_FOR_NORMALIZATION])
    source = [(i, i + 1) for i in starts]
    chars, source = _rewrite(chars, source, HTML_TAG, lambda m: [(0, " ", len(m.group(0)) - 1)])
    chars, source = _rewrite(chars, source, SPACED_LETTERS, _unspace)
    chars, source = _rewrite(chars, source, LEET_WORD, _unleet)
    chars, source = _rewrite(chars, source, ELONGATED_WORD, _shorten)
    chars, source = _rewrite(chars, source, STACKED_PAUSE, lambda m: [])
    chars, source = _rewrite(chars, source, SYMBOL_RUN, _cap_symbol_run)
    chars, source = _rewrite(chars, source, LONG_SYMBOLS, _break_symbols)
    return Normalized("".join(chars), tuple(a for a, _ in source), len(text), tuple(b for _, b in source))
