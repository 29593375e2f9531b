"""Word lists shared by the features and the tests: one definition of what counts as a function word."""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

_PRONOUNS_AND_AUX = ("i", "you", "he", "she", "it", "we", "they", "that", "there", "what", "who", "where", "how",
                     "do", "does", "did", "is", "are", "was", "were", "have", "has", "had", "could", "would",
                     "should", "can", "will", "wo", "ca", "let", "here")
_SUFFIXES = ("'m", "'re", "'s", "'ve", "'ll", "'d", "n't")

# spaCy's English stop words, their contractions ("you're", "don't") and texting spellings of them.
FUNCTION_WORDS = frozenset(
    set(STOP_WORDS)
    | {w + s for w in _PRONOUNS_AND_AUX for s in _SUFFIXES}
    | {"u", "ur", "r", "ya", "im", "ive", "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt",
       "youre", "thats", "whats", "n't", "'s", "'re", "'ll", "'ve", "'m", "'d"}
)
