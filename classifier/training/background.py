"""Real background text (GoEmotions Reddit comments): the training pool, calibration slice and audit slice.

The comments are unlabelled for our patterns. Each comment's slice is fixed by a hash of its id: 70% pool (weak
negatives for training, and the source of the comments read and labelled by hand), 15% calibration (thresholds),
15% audit (reported only). `python -m classifier background import SRC` copies the slices into data/ so that
training works from a clone of the project alone.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..paths import DATA_DIR, SHARED_DIR
from .corpus import read_jsonl

BACKGROUND_DIR = DATA_DIR / "background" / "goemotions"
DEFAULT_SOURCE = SHARED_DIR / "background" / "goemotions"
SLICES = ("pool", "calibration", "audit")
LABELLED_PREFIX = "ge-"  # corpus ids of hand-labelled comments: "ge-<comment id>"
# Comments left out because they share eight words in a row with a text of the external evaluation sets
# (found by tests/test_real_text.py; common phrases such as "for the first time in a long time").
EXCLUDED = frozenset({"edm0114", "edp2o6z", "efbdvrq", "ee2pfs2", "edfyz96"})


def slice_of(comment_id: str) -> str:
    """The slice a comment belongs to, from the sha256 of its id: 70% pool, 15% calibration, 15% audit."""
    bucket = int(hashlib.sha256(comment_id.encode()).hexdigest()[:8], 16) % 100
    return "pool" if bucket < 70 else "calibration" if bucket < 85 else "audit"


def slice_path(name: str, root: Path = BACKGROUND_DIR) -> Path:
    if name not in SLICES:
        raise ValueError(f"unknown background slice {name!r}; expected one of {SLICES}")
    return root / f"{name}.jsonl"


def load_slice(name: str, root: Path = BACKGROUND_DIR) -> list[dict[str, Any]]:
    """The comments of one slice ({"id", "text"}), or [] when the folder has not been imported."""
    path = slice_path(name, root)
    return read_jsonl(path) if path.exists() else []


def labelled_comment_ids(rows: Iterable[dict[str, Any]]) -> set[str]:
    """Comment ids of corpus rows labelled by hand from the pool."""
    return {r["id"][len(LABELLED_PREFIX):] for r in rows if r.get("source") == "goemotions"}


def weak_negatives(rows: Iterable[dict[str, Any]], root: Path = BACKGROUND_DIR) -> list[dict[str, Any]]:
    """Pool comments not yet labelled by hand: the unlabelled weak negatives."""
    labelled = labelled_comment_ids(rows)
    return [c for c in load_slice("pool", root) if c["id"] not in labelled]


def background_hash(root: Path = BACKGROUND_DIR) -> str:
    """sha256 over the slices the model learns from (pool and calibration)."""
    digest = hashlib.sha256()
    for name in ("pool", "calibration"):
        path = slice_path(name, root)
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def import_goemotions(source: Path = DEFAULT_SOURCE, root: Path = BACKGROUND_DIR) -> dict[str, int]:
    """Split the source comments into the three slices under data/ and copy the licence notice."""
    rows = read_jsonl(source / "goemotions.jsonl")
    out: dict[str, list[str]] = {name: [] for name in SLICES}
    seen: set[str] = set()
    for row in rows:
        text = row["text"].strip()
        if not text or row["id"] in seen or row["id"] in EXCLUDED:
            continue
        seen.add(row["id"])
        out[slice_of(row["id"])].append(json.dumps({"id": row["id"], "text": text}, ensure_ascii=False) + "\n")
    root.mkdir(parents=True, exist_ok=True)
    for name, lines in out.items():
        slice_path(name, root).write_text("".join(lines), encoding="utf-8")
    shutil.copyfile(source / "SOURCE.md", root / "SOURCE.md")
    return {name: len(lines) for name, lines in out.items()}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier background", description="Real background text.")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="split GoEmotions into pool/calibration/audit under data/background/")
    imp.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(list(argv) if argv is not None else None)
    counts = import_goemotions(args.source)
    print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" comments written to {BACKGROUND_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
