"""The one definition of an emoji, a word and a sentence break, shared by every module that needs them."""
from __future__ import annotations

import re

# Pictographs and symbols ("😂", "☀", "⭐", "⌛"), or a text emoticon (":)", ";-P").
EMOJI_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF]|(?<!\\w)[:;]-?[)(DPp](?!\\w)")
# Letters and digits with inner apostrophes: "don't", "2day", "café".
WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Where one sentence of a message ends: after . ! ? or … and a space, or at a line break.
SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?…])\s+|\n+")
