"""The lexicon (lexicon.yaml): hand-written word lists as data, checked on load; weekdays and months come from the
standard library. Errors name the list and the problem, like the catalogue's."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import CatalogueError

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")

_LISTS = ("function_word_bases", "contraction_suffixes", "texting_function_words", "month_abbreviations",
          "parts_of_day", "holidays", "family", "endearments", "greetings", "known_names", "not_names", "past_words",
          "future_words", "not_past_ed", "busy_words", "plan_events", "determiners", "topics", "feeling_words",
          "generic_words", "winks", "hedges", "romantic_phrases", "dismissive_tags", "event_references", "coordinators", "subordinators", "dangling_end", "dangling_start")
_MAPPINGS = ("day_abbreviations", "plan_nouns", "plan_verbs", "texting_spelling")


@dataclass(frozen=True)
class Lexicon:
    """Every word list, in file order (order matters where a list becomes a regex alternation)."""

    lists: dict[str, tuple[str, ...]]
    mappings: dict[str, dict[str, Any]]

    def words(self, name: str) -> frozenset[str]:
        return frozenset(self.lists[name])

    @property
    def weekdays(self) -> dict[str, str]:
        """Every weekday spelling -> its full lowercase name: 'friday' and 'fri' -> 'friday'."""
        with calendar.different_locale("C"):  # English names whatever the process locale
            full = [d.lower() for d in calendar.day_name]
        return {d: d for d in full} | dict(self.mappings["day_abbreviations"])

    @property
    def months(self) -> tuple[str, ...]:
        with calendar.different_locale("C"):
            names = [m.lower() for m in calendar.month_name[1:]] + [m.lower() for m in calendar.month_abbr[1:]]
        return tuple(dict.fromkeys(names + list(self.lists["month_abbreviations"])))


def _check(data: Any) -> Lexicon:
    if not isinstance(data, dict):
        raise CatalogueError("(lexicon)", "(file)", "the file must hold a mapping of list names to word lists")
    lists, mappings = {}, {}
    for name in _LISTS:
        value = data.get(name)
        if not isinstance(value, list) or not value or not all(isinstance(w, str) and w for w in value):
            raise CatalogueError("(lexicon)", name, "missing, empty, or holds something other than words")
        lists[name] = tuple(value)
    for name in _MAPPINGS:
        value = data.get(name)
        if not isinstance(value, dict) or not value:
            raise CatalogueError("(lexicon)", name, "missing or not a mapping")
        mappings[name] = value
    unknown = sorted(set(data) - set(_LISTS) - set(_MAPPINGS))
    if unknown:
        raise CatalogueError("(lexicon)", unknown[0], "unknown list (expected one of the documented lists)")
    return Lexicon(lists, mappings)


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """The lexicon, validated (cached: it is read once per process)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError("(lexicon)", "(yaml)", f"not valid YAML: {exc}") from exc
    return _check(data)
