"""Deterministic, seeded obfuscated variants of the catalogue's examples and sincere look-alikes.

Each transform imitates a way people disguise (or just style) a message: zero-width characters inside words,
Cyrillic or Greek look-alike letters, elongated letters ("heyyyyy"), spaced-out letters ("c a r e"), leetspeak
("l0l"), mixed case ("WhAtEvEr") and extra punctuation ("fine!!! ..."). For an example, the words of its flagged
phrase are obfuscated (that is where someone dodging a checker would do it); for a look-alike, words across the
whole text are. Every variant records where the example's phrase ended up, so tests can check offsets against the
text as it was typed.

Run `python tests/evasion.py` to print a few variants.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

SEED = 20240608
TRANSFORMS = ("zero_width", "homoglyph", "elongation", "spaced_letters", "dotted_letters", "leetspeak", "mixed_case",
              "all_caps", "punctuation")

ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
# Cyrillic (first choice) and Greek look-alikes of Latin letters, as found in confusable tables.
LOOK_ALIKES = {
    "a": "\u0430\u03b1", "c": "\u0441", "e": "\u0435\u03b5", "i": "\u0456\u03b9", "j": "\u0458", "o": "\u043e\u03bf",
    "p": "\u0440\u03c1", "s": "\u0455", "x": "\u0445\u03c7", "y": "\u0443", "h": "\u04bb", "k": "\u03ba", "t": "\u03c4",
    "A": "\u0410\u0391", "B": "\u0412\u0392", "C": "\u0421", "E": "\u0415\u0395", "H": "\u041d\u0397", "I": "\u0406\u0399",
    "K": "\u041a\u039a", "M": "\u041c\u039c", "O": "\u041e\u039f", "P": "\u0420\u03a1", "T": "\u0422\u03a4", "X": "\u0425",
}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
PUNCTUATION = ("!!", "!!!", "...", "?!", "!?", "..", ",,")

WORD_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@dataclass(frozen=True)
class Original:
    """A catalogue text to obfuscate: an example (with its flagged phrase) or a sincere look-alike."""

    key: str  # e.g. "ultimatum/example/03"
    pattern: str  # the example's pattern, or the pattern a look-alike resembles
    kind: str  # "example" or "look_alike"
    text: str
    phrase: str | None = None

    @property
    def region(self) -> tuple[int, int]:
        if self.phrase is None:
            return 0, len(self.text)
        start = self.text.index(self.phrase)
        return start, start + len(self.phrase)


@dataclass(frozen=True)
class Variant:
    original: Original
    transform: str
    text: str
    phrase_span: tuple[int, int]  # where the obfuscated region (the example's phrase) sits in `text`

    @property
    def phrase(self) -> str:
        return self.text[self.phrase_span[0] : self.phrase_span[1]]


# --- the transforms: each gets a word (its characters) and an RNG, and returns the obfuscated word -------------------


def _zero_width(word: str, rng: random.Random) -> str:
    if len(word) < 2:
        return word
    cuts = sorted(rng.sample(range(1, len(word)), k=min(len(word) - 1, rng.randint(1, 2))))
    out, last = [], 0
    for cut in cuts:
        out += [word[last:cut], rng.choice(ZERO_WIDTH)]
        last = cut
    out.append(word[last:])
    return "".join(out)


def _homoglyph(word: str, rng: random.Random) -> str:
    spots = [k for k, c in enumerate(word) if c in LOOK_ALIKES]
    if not spots:
        return word
    chosen = set(rng.sample(spots, k=min(len(spots), rng.randint(1, 2))))
    return "".join(rng.choice(LOOK_ALIKES[c]) if k in chosen else c for k, c in enumerate(word))


def _elongation(word: str, rng: random.Random) -> str:
    letters = [k for k, c in enumerate(word) if c.isalpha()]
    if not letters:
        return word
    k = letters[-1] if rng.random() < 0.7 else rng.choice(letters)  # "heyyyyy" mostly, "sooo good" sometimes
    return word[: k + 1] + word[k] * rng.randint(3, 6) + word[k + 1 :]


def _spaced_letters(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    return " ".join(word)


def _leetspeak(word: str, rng: random.Random) -> str:
    spots = [k for k, c in enumerate(word) if c.lower() in LEET]
    if len(word) < 3 or not spots:
        return word
    chosen: set[int] = set()
    for k in rng.sample(spots, k=len(spots)):
        if len(chosen) < 2 and k - 1 not in chosen and k + 1 not in chosen:
            chosen.add(k)
    return "".join(LEET[c.lower()] if k in chosen else c for k, c in enumerate(word))


def _mixed_case(word: str, rng: random.Random) -> str:
    if rng.random() < 0.3:
        return word.upper()
    return "".join(c.upper() if k % 2 == 0 else c.lower() for k, c in enumerate(word))  # "WhAtEvEr"


def _punctuation(word: str, rng: random.Random) -> str:
    return word + rng.choice(PUNCTUATION)


def _dotted_letters(word: str, rng: random.Random) -> str:
    return rng.choice(".-").join(word)  # "g.u.i.l.t", "y-o-u"


def _all_caps(word: str, rng: random.Random) -> str:
    return word.upper()


WORD_TRANSFORMS: Mapping[str, Callable[[str, random.Random], str]] = {
    "zero_width": _zero_width, "homoglyph": _homoglyph, "elongation": _elongation, "spaced_letters": _spaced_letters,
    "leetspeak": _leetspeak, "mixed_case": _mixed_case, "punctuation": _punctuation, "dotted_letters": _dotted_letters,
    "all_caps": _all_caps,
}
# Which words each transform may touch (a word it would leave unchanged is not a useful pick).
ELIGIBLE: Mapping[str, Callable[[str], bool]] = {
    "zero_width": lambda w: len(w) >= 3,
    "homoglyph": lambda w: any(c in LOOK_ALIKES for c in w),
    "elongation": lambda w: w.isalpha() and len(w) >= 2,
    "spaced_letters": lambda w: w.isalpha() and len(w) >= 4,
    "leetspeak": lambda w: len(w) >= 3 and sum(c.lower() in LEET for c in w) >= 1,
    "mixed_case": lambda w: len(w) >= 3,
    "punctuation": lambda w: True,
    "dotted_letters": lambda w: w.isalpha() and len(w) >= 3,
    "all_caps": lambda w: w.isalpha() and w != w.upper(),
}
# How many of the eligible words in the region are obfuscated: about half, at least one, at most this many.
MAX_WORDS = {"spaced_letters": 1, "dotted_letters": 2, "elongation": 2, "punctuation": 2, "all_caps": 99}


def obfuscate(original: Original, transform: str, seed: int = SEED) -> Variant:
    """One deterministic obfuscated variant of `original` (same seed, same variant, on every machine)."""
    rng = random.Random(f"{seed}:{original.key}:{transform}")
    start, end = original.region
    text = original.text
    words = [m for m in WORD_RE.finditer(text) if m.start() >= start and m.end() <= end and ELIGIBLE[transform](m.group())]
    if not words:
        return Variant(original, transform, text, (start, end))
    k = max(1, min(MAX_WORDS.get(transform, len(words)), round(len(words) / 2)))
    chosen = sorted(rng.sample(words, k=min(k, len(words))), key=lambda m: m.start())
    pieces: list[str] = []  # kept text and obfuscated words, alternating
    new_start = new_end = None
    length, pos = 0, 0
    for m in chosen:
        kept = text[pos : m.start()]
        if new_start is None and start <= m.start():
            new_start = length + (start - pos)
        if new_end is None and end <= m.start():
            new_end = length + (end - pos)
        word = WORD_TRANSFORMS[transform](m.group(), rng)
        pieces += [kept, word]
        length += len(kept) + len(word)
        pos = m.end()
    if new_start is None:
        new_start = length + (start - pos)
    if new_end is None:
        new_end = length + (end - pos)
    pieces.append(text[pos:])
    return Variant(original, transform, "".join(pieces), (new_start, new_end))


# Drafts written for this test, apart from the corpus and the catalogue: (pattern, text, phrase or None for sincere).
FRESH_DRAFTS = (
    ("feigned_indifference", "Saw the wedding pics. Didn't even register that you'd gone tbf, been mad busy.",
     "Didn't even register that you'd gone tbf"),
    ("feigned_indifference", "Honestly whatever you decide is fine, makes zero difference to me. Enjoy Lisbon.",
     "Honestly whatever you decide is fine, makes zero difference to me."),
    ("jealousy_bait", "Can't do Friday, Jamie from the climbing gym is taking me out for dinner. He insisted lol",
     "Jamie from the climbing gym is taking me out for dinner. He insisted lol"),
    ("jealousy_bait", "Funny how everyone at the party kept asking for my number. Anyway hope your night was quiet.",
     "Funny how everyone at the party kept asking for my number."),
    ("hot_cold", "Last night was amazing!! Might be off grid for a bit though, we'll see when I resurface 😅",
     "Might be off grid for a bit though, we'll see when I resurface"),
    ("hot_cold", "Miss you like crazy. Can't promise I'll reply for a while, don't wait up.",
     "Can't promise I'll reply for a while, don't wait up."),
    ("playing_hard_to_get", "Diary's rammed for the next month, maybe I can squeeze you in at some point 💅",
     "Diary's rammed for the next month, maybe I can squeeze you in at some point"),
    ("playing_hard_to_get", "I'm so in demand this week it's unreal. You'll have to wait your turn.",
     "You'll have to wait your turn."),
    ("reverse_psychology", "Go on then, leave. Clearly you'd be happier without me dragging you down.",
     "Go on then, leave. Clearly you'd be happier without me dragging you down."),
    ("reverse_psychology", "No honestly, go to the gig with them. I'll just sit here on my own, it's fine.",
     "I'll just sit here on my own, it's fine."),
    ("guilt_tripping", "After everything I gave up for this family you can't even ring on my birthday.",
     "After everything I gave up for this family you can't even ring on my birthday."),
    ("guilt_tripping", "Must be nice having a life. Some of us sat by the phone all weekend waiting.",
     "Some of us sat by the phone all weekend waiting."),
    ("ultimatum", "Pay me the rent money by Sunday night. After that I'm telling your mum what you spent it on.",
     "After that I'm telling your mum what you spent it on."),
    ("ultimatum", "Move in with him and you can forget about coming home for Christmas. Your choice.",
     "Move in with him and you can forget about coming home for Christmas. Your choice."),
    ("gaslighting", "That conversation never happened, you're making things up again. Everyone saw you overreact.",
     "That conversation never happened, you're making things up again."),
    ("gaslighting", "You're remembering it completely wrong as usual. I was joking and you know it.",
     "You're remembering it completely wrong as usual."),
    ("feigned_indifference", "Honestly I'm gutted it ended, I'm not going to pretend otherwise. Can we talk Sunday?", None),
    ("jealousy_bait", "My brother's new girlfriend is lovely, she made us all dinner on Friday.", None),
    ("hot_cold", "Had such a good time last night! Are you free Thursday for round two?", None),
    ("playing_hard_to_get", "Work's mad until the 20th, but I'd love to see you. How about the 21st?", None),
    ("reverse_psychology", "I think we should end things. I'm sad about it, but I'm sure, and I wish you well.", None),
    ("guilt_tripping", "I was really hurt you missed my birthday. Can we talk about it this week?", None),
    ("ultimatum", "I need the rent money by Sunday because mine's due Monday. Can you do that?", None),
    ("gaslighting", "I remember that night differently, but I believe it felt awful for you. I'm sorry.", None),
)


def fresh_originals() -> list[Original]:
    items = []
    for i, (pid, text, phrase) in enumerate(FRESH_DRAFTS, 1):
        kind = "example" if phrase else "look_alike"
        items.append(Original(f"fresh/{pid}/{kind}/{i:02d}", pid, kind, text, phrase))
    return items


def originals(catalogue: Mapping) -> list[Original]:
    """Every catalogue example and sincere look-alike, in catalogue order, then the fresh drafts."""
    items: list[Original] = fresh_originals()
    for pid, p in catalogue.items():
        for i, ex in enumerate(p.examples, 1):
            items.append(Original(f"{pid}/example/{i:02d}", pid, "example", ex.text, ex.phrase))
        for i, la in enumerate(p.look_alikes, 1):
            items.append(Original(f"{pid}/look_alike/{i:02d}", pid, "look_alike", la.text))
    return items


def variants(catalogue: Mapping, transforms: Iterable[str] = TRANSFORMS, seed: int = SEED) -> list[Variant]:
    """One variant per original and transform (variants identical to their original are left out)."""
    out = []
    for original in originals(catalogue):
        for transform in transforms:
            v = obfuscate(original, transform, seed)
            if v.text != original.text:
                out.append(v)
    return out


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from classifier.catalogue import load_catalogue

    cat = load_catalogue()
    for v in variants(cat)[:: max(1, len(variants(cat)) // 20)]:
        print(f"{v.transform:15} {v.original.key:35} {v.text!r}")
