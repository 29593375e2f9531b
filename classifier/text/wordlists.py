"""Word sets built from the lexicon and spaCy: one definition of what counts as a function word."""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from ..catalogue.lexicon import load_lexicon

_LEX = load_lexicon()

# spaCy's English stop words, their contractions ("you're", "don't") and texting spellings of them.
FUNCTION_WORDS = frozenset(
    set(STOP_WORDS)
    | {w + s for w in _LEX.lists["function_word_bases"] for s in _LEX.lists["contraction_suffixes"]}
    | set(_LEX.lists["texting_function_words"])
)
