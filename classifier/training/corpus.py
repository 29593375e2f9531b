"""The labelled message corpus: its row schema, loading, hashing and the catalogue's rows."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..catalogue import load_catalogue
from ..errors import CorpusError
from ..paths import DATA_DIR
from ..text.patterns import SENTENCE_BREAK_RE, WORD_RE

CORPUS_DIR = DATA_DIR / "corpus"
CATALOGUE_ROWS = CORPUS_DIR / "catalogue.jsonl"

FIELDS = ("id", "text", "patterns", "phrases", "rewrite", "kind", "context", "split", "group", "look_alike_of", "source")
OPTIONAL_FIELDS = ("tags",)  # corpus v2 kinds (see validate.V2_QUOTAS)
KINDS = ("positive", "hard_negative", "neutral")
CONTEXTS = ("ex", "partner", "date", "friend", "family", "work", "other")
SPLITS = ("train", "dev", "test")
SOURCES = ("hand", "catalogue", "template", "goemotions")
PRACTICE_MAX_CHARS = 360  # practice questions stay readable at a glance


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def trigrams(text: str) -> frozenset[tuple[str, ...]]:
    """Word 3-grams of a text; a text under three words counts as one gram."""
    w = words(text)
    if len(w) < 3:
        return frozenset([tuple(w)])
    return frozenset(tuple(w[i : i + 3]) for i in range(len(w) - 2))


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_BREAK_RE.split(text.strip()) if s.strip()]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path.name} line {number}: invalid JSON ({exc.msg})") from exc
    return rows


def corpus_files(corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    return sorted(corpus_dir.glob("*.jsonl"))


def load_rows(corpus_dir: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    """Every corpus row, in file order."""
    rows: list[dict[str, Any]] = []
    for path in corpus_files(corpus_dir):
        rows.extend(read_jsonl(path))
    return rows


def load_corpus(corpus_dir: Path = CORPUS_DIR):
    """The corpus as a pandas DataFrame."""
    import pandas as pd

    return pd.DataFrame(load_rows(corpus_dir), columns=list(FIELDS))


def corpus_hash(corpus_dir: Path = CORPUS_DIR) -> str:
    """sha256 over the corpus files' names and bytes: the model records it to detect stale training data."""
    digest = hashlib.sha256()
    for path in corpus_files(corpus_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def catalogue_rows() -> list[dict[str, Any]]:
    """The catalogue's examples and look-alikes as train rows of the corpus."""
    rows = []
    for pattern in load_catalogue().values():
        for i, ex in enumerate(pattern.examples, 1):
            rows.append(_row(f"cat-{pattern.id}-ex{i:02d}", ex.text, [pattern.id], {pattern.id: [ex.phrase]}, ex.rewrite, "positive", None))
        for i, la in enumerate(pattern.look_alikes, 1):
            rows.append(_row(f"cat-{pattern.id}-la{i:02d}", la.text, [], {}, "", "hard_negative", pattern.id))
    return rows


def _row(rid, text, patterns, phrases, rewrite, kind, look_alike_of) -> dict[str, Any]:
    return {
        "id": rid, "text": text, "patterns": patterns, "phrases": phrases, "rewrite": rewrite, "kind": kind,
        "context": "ex", "split": "train", "group": rid, "look_alike_of": look_alike_of, "source": "catalogue",
    }


def export_catalogue_rows(path: Path = CATALOGUE_ROWS) -> int:
    rows = catalogue_rows()
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def practice_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Short test-split positives and hard negatives (never trained on) for the practice quiz, stored with the model."""
    keep = ("id", "text", "patterns", "phrases", "kind", "look_alike_of")
    return [{k: r.get(k) for k in keep} for r in rows
            if r.get("split") == "test" and r.get("kind") in ("positive", "hard_negative")
            and r.get("text", "").strip() and len(r["text"]) <= PRACTICE_MAX_CHARS]
