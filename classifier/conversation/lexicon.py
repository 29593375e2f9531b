"""chat.yaml: which export lines nobody typed (media, deleted, system), and the words behind the cross-message
signals (affection, explained absences). Checked on load; errors name the entry, like the catalogue's."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import CatalogueError

CHAT_DATA_PATH = Path(__file__).with_name("chat.yaml")
SKIP_REASONS = ("media", "deleted", "system")


@dataclass(frozen=True)
class ChatLexicon:
    skip: tuple[tuple[str, re.Pattern[str]], ...]  # (reason, whole-message regex), in file order
    edited_marker: re.Pattern[str]
    warm: re.Pattern[str]
    away: re.Pattern[str]
    not_speakers: frozenset[str]  # "Note:", "PS:" start a line of a pasted thread without naming who wrote it

    def skip_reason(self, text: str) -> str | None:
        """'media', 'deleted' or 'system' when an export line is not something a person typed; else None."""
        for reason, rx in self.skip:
            if rx.fullmatch(text):
                return reason
        return None


def _compile(entry: str, rx: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    try:
        return re.compile(rx, flags)
    except re.error as exc:
        raise CatalogueError("(chat)", entry, f"bad regex {rx!r}: {exc}") from exc


def _alternatives(data: dict, entry: str) -> re.Pattern[str]:
    words = data.get(entry)
    if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
        raise CatalogueError("(chat)", entry, "missing, empty, or holds something other than regex strings")
    # emoji have no word boundary of their own: a boundary is required only where the alternative starts with a word
    parts = [(r"\b" if re.match(r"\w", w) else "") + f"(?:{w})" + (r"\b" if re.search(r"\w\??$", w) else "")
             for w in words]
    return _compile(entry, "|".join(parts))


@lru_cache(maxsize=1)
def chat_lexicon(path: Path = CHAT_DATA_PATH) -> ChatLexicon:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CatalogueError("(chat)", "(file)", "the file must hold a mapping")
    skip = data.get("skip")
    if not isinstance(skip, dict) or set(skip) != set(SKIP_REASONS):
        raise CatalogueError("(chat)", "skip", f"must map exactly {', '.join(SKIP_REASONS)} to regex lists")
    rules = []
    for reason in SKIP_REASONS:
        if not isinstance(skip[reason], list) or not skip[reason]:
            raise CatalogueError("(chat)", f"skip.{reason}", "missing or empty")
        rules += [(reason, _compile(f"skip.{reason}", rx)) for rx in skip[reason]]
    marker = data.get("edited_marker")
    if not isinstance(marker, str) or not marker:
        raise CatalogueError("(chat)", "edited_marker", "missing")
    labels = data.get("not_speakers")
    if not isinstance(labels, list) or not labels or not all(isinstance(w, str) and w for w in labels):
        raise CatalogueError("(chat)", "not_speakers", "missing, empty, or holds something other than words")
    return ChatLexicon(tuple(rules), _compile("edited_marker", marker), _alternatives(data, "warm_phrases"),
                       _alternatives(data, "away_notices"), frozenset(w.lower() for w in labels))
