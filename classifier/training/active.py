"""Active learning on real background text: pick pool comments for reading and labelling by hand.

Each round scores the weak-negative pool with the current model and writes the top-scored comments (where the
model is most tempted to flag real text) plus a random sample, for a person to read and label. Labelled comments
join the corpus as `source: goemotions` rows (`data/corpus/real_goemotions_rN.jsonl`) and so leave the pool.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable
from typing import Any

from ..catalogue import PATTERN_IDS
from ..paths import DATA_DIR
from .background import weak_negatives
from .corpus import load_rows

LABELLING_DIR = DATA_DIR / "labelling"


def candidates(detector, pool: list[dict[str, Any]], top: int, n_random: int, seed: int) -> list[dict[str, Any]]:
    """The `top` highest-scored comments, shared evenly among the patterns (each pattern's best by its own score,
    so a pattern with a low threshold cannot fill the round alone), then `n_random` others."""
    scored = []
    for comment, analysis in zip(pool, detector.analyze_many([c["text"] for c in pool]), strict=True):
        if isinstance(analysis, Exception) or not analysis.scores:
            continue
        flags = {f.pattern: f.phrase for f in analysis.flags}
        scored.append((comment, analysis.scores, flags))
    chosen: dict[str, dict[str, Any]] = {}
    per_pattern = -(-top // len(PATTERN_IDS))
    for pid in PATTERN_IDS:
        ranked = sorted(scored, key=lambda s, pid=pid: -s[1][pid])
        taken = 0
        for comment, scores, flags in ranked:
            if taken == per_pattern or len(chosen) == top:
                break
            if comment["id"] not in chosen:
                chosen[comment["id"]] = {"comment_id": comment["id"], "text": comment["text"], "model_pattern": pid,
                                         "model_score": round(scores[pid], 4), "model_phrase": flags.get(pid),
                                         "sample": "top"}
                taken += 1
    rest = [s for s in scored if s[0]["id"] not in chosen]
    for comment, scores, flags in random.Random(seed).sample(rest, min(n_random, len(rest))):
        best = max(scores, key=scores.__getitem__)
        chosen[comment["id"]] = {"comment_id": comment["id"], "text": comment["text"], "model_pattern": best,
                                 "model_score": round(scores[best], 4), "model_phrase": flags.get(best),
                                 "sample": "random"}
    return list(chosen.values())


def round_summary(rows: list[dict[str, Any]]) -> dict[int, dict[str, int]]:
    """Per labelling round: comments read from the top and at random, and how many of each were real tactics."""
    out: dict[int, dict[str, int]] = {}
    for r in rows:
        if r.get("source") != "goemotions":
            continue
        figures = out.setdefault(int(r.get("round", 0)), {"top": 0, "top_tactics": 0, "random": 0, "random_tactics": 0})
        sample = r.get("sample", "top")
        figures[sample] += 1
        figures[f"{sample}_tactics"] += int(r["kind"] == "positive")
    return dict(sorted(out.items()))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier active", description="Active learning rounds.")
    sub = parser.add_subparsers(dest="command", required=True)
    nxt = sub.add_parser("next", help="write the next round's comments to read and label")
    nxt.add_argument("--round", type=int, required=True)
    nxt.add_argument("--top", type=int, default=300)
    nxt.add_argument("--random", type=int, default=100)
    sub.add_parser("summary", help="per round: how many of the top-scored comments were real tactics")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command == "summary":
        for n, f in round_summary(load_rows()).items():
            print(f"round {n}: top {f['top_tactics']}/{f['top']} real tactics; random {f['random_tactics']}/{f['random']}")
        return 0
    from .detector import Detector

    rows = load_rows()
    pool = weak_negatives(rows)
    chosen = candidates(Detector.load(), pool, args.top, args.random, seed=args.round)
    LABELLING_DIR.mkdir(parents=True, exist_ok=True)
    path = LABELLING_DIR / f"round{args.round}_candidates.jsonl"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in chosen), encoding="utf-8")
    print(f"wrote {len(chosen)} comments to read (of {len(pool)} in the pool) to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
