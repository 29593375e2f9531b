"""Golden behaviour records: the flags and rewrites for a set of corpus rows, to prove a change kept them the same.

    python -m classifier.evaluation.golden write OUT.jsonl[.gz] [--split test]   # record with the saved model
    python -m classifier.evaluation.golden compare BEFORE AFTER                    # counts and the rows that differ

tests/fixtures/golden_test_split.jsonl.gz holds the test split's records; the suite checks the code still produces
them. Rewrite a deliberate change with `write` and say why in the commit.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..detect.detector import Detector
from ..rewrite.rewriter import Rewriter
from ..training.corpus import load_rows


def record(detector: Detector, rewriter: Rewriter, row: dict[str, Any]) -> dict[str, Any]:
    """Everything a user sees for one row: flags (offsets, score, confidence, cues), alternatives, whole message."""
    analysis = detector.analyze(row["text"])
    result = rewriter.suggest(row["text"], analysis)
    return {"id": row["id"], "split": row["split"],
            "flags": [[f.pattern, f.start, f.end, round(f.score, 6), f.confidence, list(f.cues)] for f in analysis.flags],
            "suggestions": [[[a.tone, a.text, a.explanation] for a in s.alternatives] for s in result.suggestions],
            "whole": result.whole_message}


def records(detector: Detector, rewriter: Rewriter, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [record(detector, rewriter, r) for r in rows]


def _open(path: Path, mode: str):
    return gzip.open(path, mode + "t", encoding="utf-8") if path.suffix == ".gz" else open(path, mode, encoding="utf-8")


def write(path: Path, recs: list[dict[str, Any]]) -> None:
    with _open(path, "w") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")


def read(path: Path) -> list[dict[str, Any]]:
    with _open(path, "r") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows whose flags, alternatives or whole message differ (matched by id)."""
    old = {r["id"]: r for r in before}
    new = {r["id"]: r for r in after}
    shared = [i for i in old if i in new]
    return {"rows": len(shared), "only_before": sorted(set(old) - set(new)), "only_after": sorted(set(new) - set(old)),
            **{f"{part}_differ": [i for i in shared if old[i][part] != new[i][part]]
               for part in ("flags", "suggestions", "whole")}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier.evaluation.golden", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--split", choices=("train", "dev", "test", "all"), default="test")
    w.add_argument("--model", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "write":
        detector = Detector.load(args.model)
        rows = [r for r in load_rows() if args.split in ("all", r["split"])]
        write(args.out, records(detector, Rewriter(detector), rows))
        print(f"recorded {len(rows)} rows in {args.out}")
        return 0
    diff = compare(read(args.before), read(args.after))
    print(json.dumps({k: v if isinstance(v, int) else {"count": len(v), "ids": v[:20]} for k, v in diff.items()}, indent=2))
    return 0 if not any(diff[k] for k in ("flags_differ", "suggestions_differ", "whole_differ")) else 1


if __name__ == "__main__":
    sys.exit(main())
