"""The pattern catalogue: one YAML file describing every manipulative pattern, validated on load."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import CatalogueError

CATALOGUE_PATH = Path(__file__).with_name("patterns.yaml")

PATTERN_IDS: tuple[str, ...] = (
    "feigned_indifference",
    "jealousy_bait",
    "hot_cold",
    "playing_hard_to_get",
    "reverse_psychology",
    "guilt_tripping",
    "ultimatum",
    "gaslighting",
)

MIN_EXAMPLES = 8
MIN_LOOK_ALIKES = 6
TONES = ("warm", "direct", "boundary")

_TEXT_FIELDS = ("id", "name", "short", "description", "why_it_backfires", "underlying_need", "for_reader")
_LIST_FIELDS = ("sincere_moves", "calm_replies", "cues", "sources", "examples", "look_alikes")


@dataclass(frozen=True)
class Example:
    text: str
    phrase: str
    rewrite: str

    @property
    def start(self) -> int:
        return self.text.index(self.phrase)


@dataclass(frozen=True)
class LookAlike:
    text: str
    why: str


@dataclass(frozen=True)
class Tone:
    name: str
    explanation: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Pattern:
    id: str
    name: str
    short: str
    description: str
    why_it_backfires: str
    underlying_need: str
    for_reader: str
    sincere_moves: tuple[str, ...]
    calm_replies: tuple[str, ...]
    cues: tuple[str, ...]
    sources: tuple[dict[str, str], ...]
    examples: tuple[Example, ...]
    look_alikes: tuple[LookAlike, ...]
    tones: tuple[Tone, ...] = field(default=())


def _require_text(entry: str, data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(entry, name, "missing or empty (a non-empty string is required)")
    return value.strip()


def _require_list(entry: str, data: dict[str, Any], name: str, minimum: int = 1) -> list[Any]:
    value = data.get(name)
    if not isinstance(value, list) or not value:
        raise CatalogueError(entry, name, "missing or empty (a non-empty list is required)")
    if len(value) < minimum:
        raise CatalogueError(entry, name, f"has {len(value)} items, at least {minimum} are required")
    return value


def _parse_examples(entry: str, items: list[Any]) -> tuple[Example, ...]:
    out = []
    for i, item in enumerate(items):
        where = f"examples[{i}]"
        if not isinstance(item, dict):
            raise CatalogueError(entry, where, "must be a mapping with text, phrase and rewrite")
        text = _require_text(entry, item, "text") if "text" in item else None
        if text is None:
            raise CatalogueError(entry, f"{where}.text", "missing")
        for key in ("phrase", "rewrite"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise CatalogueError(entry, f"{where}.{key}", "missing or empty")
        if item["phrase"] not in item["text"]:
            raise CatalogueError(entry, f"{where}.phrase", f"{item['phrase']!r} is not an exact substring of the example text")
        out.append(Example(item["text"], item["phrase"], item["rewrite"].strip()))
    return tuple(out)


def _parse_look_alikes(entry: str, items: list[Any]) -> tuple[LookAlike, ...]:
    out = []
    for i, item in enumerate(items):
        where = f"look_alikes[{i}]"
        if not isinstance(item, dict):
            raise CatalogueError(entry, where, "must be a mapping with text and why")
        for key in ("text", "why"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise CatalogueError(entry, f"{where}.{key}", "missing or empty")
        out.append(LookAlike(item["text"], item["why"].strip()))
    return tuple(out)


def _parse_tones(entry: str, data: Any) -> tuple[Tone, ...]:
    if not isinstance(data, dict) or len(data) < 2:
        raise CatalogueError(entry, "tones", "needs a mapping with at least two of warm, direct, boundary")
    tones = []
    for name, body in data.items():
        if name not in TONES:
            raise CatalogueError(entry, f"tones.{name}", f"unknown tone (expected one of {', '.join(TONES)})")
        if not isinstance(body, dict):
            raise CatalogueError(entry, f"tones.{name}", "must be a mapping with explanation and lines")
        explanation = _require_text(entry, body, "explanation")
        lines = _require_list(entry, body, "lines", 3)
        for j, line in enumerate(lines):
            if not isinstance(line, str) or not line.strip():
                raise CatalogueError(entry, f"tones.{name}.lines[{j}]", "must be a non-empty string")
            if line.count("[") > 1:
                raise CatalogueError(entry, f"tones.{name}.lines[{j}]", "has more than one [placeholder]")
        tones.append(Tone(name, explanation, tuple(line.strip() for line in lines)))
    return tuple(tones)


def parse_pattern(data: Any, position: int = 0) -> Pattern:
    """Validate one catalogue entry and return it as a Pattern."""
    entry = data.get("id", f"#{position}") if isinstance(data, dict) else f"#{position}"
    if not isinstance(data, dict):
        raise CatalogueError(str(entry), "(entry)", "must be a mapping")
    entry = str(entry)
    texts = {name: _require_text(entry, data, name) for name in _TEXT_FIELDS}
    if texts["id"] not in PATTERN_IDS:
        raise CatalogueError(entry, "id", f"unknown pattern id (expected one of {', '.join(PATTERN_IDS)})")
    moves = _require_list(entry, data, "sincere_moves", 2)
    if len(moves) > 4:
        raise CatalogueError(entry, "sincere_moves", f"has {len(moves)} items, at most 4 are allowed")
    lists = {name: _require_list(entry, data, name) for name in _LIST_FIELDS}
    for i, src in enumerate(lists["sources"]):
        if not isinstance(src, dict) or not str(src.get("cite", "")).strip():
            raise CatalogueError(entry, f"sources[{i}].cite", "missing")
    return Pattern(
        id=texts["id"],
        name=texts["name"],
        short=texts["short"],
        description=texts["description"],
        why_it_backfires=texts["why_it_backfires"],
        underlying_need=texts["underlying_need"],
        for_reader=texts["for_reader"],
        sincere_moves=tuple(str(m) for m in moves),
        calm_replies=tuple(str(r) for r in lists["calm_replies"]),
        cues=tuple(str(c).lower().strip() for c in lists["cues"]),
        sources=tuple({k: str(v) for k, v in s.items()} for s in lists["sources"]),
        examples=_parse_examples(entry, _require_list(entry, data, "examples", MIN_EXAMPLES)),
        look_alikes=_parse_look_alikes(entry, _require_list(entry, data, "look_alikes", MIN_LOOK_ALIKES)),
        tones=_parse_tones(entry, data.get("tones")),
    )


def parse_catalogue(data: Any) -> dict[str, Pattern]:
    """Validate the whole catalogue document; return patterns keyed by id, in catalogue order."""
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise CatalogueError("(file)", "patterns", "the file must hold a mapping with a 'patterns' list")
    patterns: dict[str, Pattern] = {}
    for i, raw in enumerate(data["patterns"]):
        pattern = parse_pattern(raw, i)
        if pattern.id in patterns:
            raise CatalogueError(pattern.id, "id", "duplicate id (each pattern appears once)")
        patterns[pattern.id] = pattern
    missing = [pid for pid in PATTERN_IDS if pid not in patterns]
    if missing:
        raise CatalogueError(missing[0], "id", "pattern missing from the catalogue")
    return patterns


def load_catalogue_file(path: Path) -> dict[str, Pattern]:
    """Read and validate a catalogue YAML file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError("(file)", "(yaml)", f"not valid YAML: {exc}") from exc
    return parse_catalogue(data)


@lru_cache(maxsize=1)
def load_catalogue() -> dict[str, Pattern]:
    """The shipped catalogue, validated once per process."""
    return load_catalogue_file(CATALOGUE_PATH)
