"""The rated evaluation of whole-message rewrites: which drafts are read, the blind sheet raters fill in, and the
summary that goes into reports/rewrites.md.

    python -m classifier.evaluation.ratings sheet NAME     # reports/ratings/NAME.jsonl: the current engine's rewrites
    python -m classifier.evaluation.ratings summary        # means per rated sheet (NAME.rated.jsonl), per group

Raters score each rewrite 1-5 on fit, keeps, sincere and natural, and would_send yes/no (rubric: RUBRIC).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
from collections import defaultdict
from typing import Any

from ..catalogue import PATTERN_IDS
from ..paths import REPORTS_DIR
from ..training.corpus import load_rows

RATINGS_DIR = REPORTS_DIR / "ratings"
PER_PATTERN = 15
SCORES = ("fit", "keeps", "sincere", "natural")
RUBRIC = """\
Read the draft, then the rewrite as the person who wrote the draft would, about to send it.

- **fit** (1-5): right for this relationship and situation; nothing that belongs to another kind of relationship
  (no romance to a parent, friend or colleague) and no reference to events the draft never mentions. 5 = fits exactly.
- **keeps** (1-5): keeps what the draft was about: its request, news, plans, names, days, numbers and the sentences
  that were fine. 5 = everything worth keeping is kept; 1 = the content is gone.
- **sincere** (1-5): says the real feeling or request plainly, with no tactic left (no threat, guilt, bait, feigned
  indifference, game, or rewriting of what happened). 5 = plainly sincere.
- **natural** (1-5): reads like a message a person would type: grammatical, no seams, no repeated or contradictory
  sentences, no leftover fragments, the writer's style (case, emoji) kept. 5 = natural.
- **would_send** (yes/no): would the writer plausibly send this rewrite instead of the draft?
- A missing rewrite ("no rewrite offered") scores 1 on every scale and would_send no: the person got nothing to send.
"""


def _key(row_id: str) -> str:
    return hashlib.sha256(row_id.encode()).hexdigest()


def select_drafts(detector, rows: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """15 test-split positives per pattern (by first pattern) that the detector flags (a rewrite is only offered
    for a flagged draft), relationships taken in turn, in hash order."""
    rows = rows if rows is not None else load_rows()
    rows = [r for r in rows if r["split"] == "test" and r["kind"] == "positive" and detector.analyze(r["text"]).flags]
    chosen: list[dict[str, Any]] = []
    taken: set[str] = set()
    for pid in PATTERN_IDS:
        pool = sorted((r for r in rows if r["split"] == "test" and r["kind"] == "positive" and r["patterns"][0] == pid),
                      key=lambda r: _key(r["id"]))
        by_context: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in pool:
            by_context[r["context"]].append(r)
        order = sorted(by_context, key=lambda c: (-len(by_context[c]), c))
        picked: list[dict[str, Any]] = []
        while len(picked) < PER_PATTERN and any(by_context.values()):
            for context in order:
                if by_context[context] and len(picked) < PER_PATTERN:
                    r = by_context[context].pop(0)
                    if r["id"] not in taken:
                        picked.append(r)
                        taken.add(r["id"])
        chosen.extend(picked)
    return chosen


def sheet(detector, rewriter, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line per draft: the draft, its relationship, and the engine's whole-message rewrite (None if none)."""
    out = []
    for r in rows:
        analysis = detector.analyze(r["text"])
        result = rewriter.suggest(r["text"], analysis)
        out.append({"id": r["id"], "pattern": r["patterns"][0], "context": r["context"], "draft": r["text"],
                    "flagged": [f.phrase for f in analysis.flags], "rewrite": result.whole_message})
    return out


def load_sheet(name: str) -> list[dict[str, Any]]:
    path = RATINGS_DIR / f"{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def summary(rated: list[dict[str, Any]]) -> dict[str, Any]:
    """Means of the four scores and the would-send share, overall and per relationship group."""
    def figures(items: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {s: round(statistics.mean(i["rating"][s] for i in items), 2) for s in SCORES}
        out["would_send_pct"] = round(100 * sum(bool(i["rating"]["would_send"]) for i in items) / len(items), 1)
        out["n"] = len(items)
        return out

    rated = [i for i in rated if i.get("rating")]
    if not rated:
        return {}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for i in rated:
        groups["romantic" if i["context"] in ("ex", "partner", "date") else "family, friends, work"].append(i)
    return {"all": figures(rated), **{g: figures(items) for g, items in sorted(groups.items())}}


def rated_summaries() -> dict[str, dict[str, Any]]:
    """The summary of every rated sheet (reports/ratings/NAME.rated.jsonl), before first."""
    out = {}
    for path in sorted(RATINGS_DIR.glob("*.rated.jsonl"), key=lambda p: (p.name != "before.rated.jsonl", p.name)):
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        out[path.name.removesuffix(".rated.jsonl")] = summary(items)
    return {k: v for k, v in out.items() if v}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.evaluation.ratings", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("name")
    sub.add_parser("summary")
    args = parser.parse_args(argv)
    if args.command == "sheet":
        from ..detect.detector import Detector
        from ..rewrite.rewriter import Rewriter

        detector = Detector.load()
        RATINGS_DIR.mkdir(parents=True, exist_ok=True)
        lines = sheet(detector, Rewriter(detector), select_drafts(detector))
        path = RATINGS_DIR / f"{args.name}.jsonl"
        path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
        print(f"wrote {len(lines)} rewrites to {path}")
        return 0
    for name, figures in rated_summaries().items():
        print(name, json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
