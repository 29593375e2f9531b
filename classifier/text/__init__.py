"""Text in: offset-keeping normalisation, the spaCy pipeline and its components, and the one definition of an emoji,
a word and a sentence break (patterns.py)."""
