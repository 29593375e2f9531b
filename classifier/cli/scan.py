"""Batch scanning of .jsonl / .csv files in constant memory."""
from __future__ import annotations

import csv
import json
import math
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ..detect import safety
from ..detect.detector import Detector
from ..errors import TextTooLongError
from ..parallel import WORKER, ordered_map

MAX_FIELD = 10_000_000


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(literal: str) -> float:
    """A JSON number as a float; one too large for a float (1e999) is refused, so output stays valid JSON."""
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError(f"the number {literal[:20]} is too large to read")
    return value


def read_records(path: Path, errors: IO[str]) -> Iterator[tuple[int, object, str]]:
    """(line number, id, text) for every good record; bad lines are reported on `errors` and skipped."""
    csv_input = path.suffix.lower() == ".csv"
    with open(path, encoding="utf-8-sig", errors="replace", newline="" if csv_input else None) as fh:
        yield from read_stream(fh, str(path), csv_input, errors)


def read_stream(fh: IO[str], name: str, csv_input: bool, errors: IO[str]) -> Iterator[tuple[int, object, str]]:
    """read_records over an open text stream (a file, or a partition held in memory); `name` labels error lines."""
    if csv_input:
        csv.field_size_limit(MAX_FIELD)  # long fields reach the detector, which refuses them with a clear message
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"id", "text"} <= set(reader.fieldnames):
            print(f"{name}: the CSV header must have 'id' and 'text' columns", file=errors)
            return
        for record in reader:
            line = reader.line_num
            if record.get("text") is None or record.get("id") in (None, ""):
                print(f"{name}:{line}: missing 'id' or 'text'; skipped", file=errors)
                continue
            yield line, record["id"], record["text"]
        return
    for line, raw in enumerate(fh, 1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
        except json.JSONDecodeError as exc:
            print(f"{name}:{line}: invalid JSON ({exc.msg}); skipped", file=errors)
            continue
        except (RecursionError, ValueError) as exc:
            print(f"{name}:{line}: invalid JSON ({type(exc).__name__}: {str(exc)[:80]}); skipped", file=errors)
            continue
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            print(f"{name}:{line}: needs an 'id' and a string 'text' field; skipped", file=errors)
            continue
        yield line, record["id"], record["text"]


class Progress:
    """A one-line progress bar on stderr, by input lines read."""

    def __init__(self, total_lines: int, stream: IO[str], enabled: bool) -> None:
        self.total, self.stream, self.enabled = max(1, total_lines), stream, enabled
        self.started = self.last = time.perf_counter()

    def update(self, done: int, position: int, final: bool = False) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self.last < 0.5 and not final):
            return
        self.last = now
        share = min(1.0, position / self.total)
        bar = "#" * int(share * 30)
        rate = done / max(1e-9, now - self.started)
        self.stream.write(f"\r[{bar:<30}] {100 * share:5.1f}%  {done:,} messages  {rate:,.0f}/s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def record_for(rid, text: str, result, rewriter=None) -> dict:
    """The output line for one message: its analysis, or the error that stopped it (both carry the safety field)."""
    if isinstance(result, TextTooLongError):
        return {"id": rid, "patterns": [], "scores": {}, "flags": [], "error": str(result),
                "safety": safety.to_dict(safety.check(text))}
    record = {"id": rid, "patterns": result.patterns, "scores": {k: round(v, 4) for k, v in result.scores.items()},
              "flags": [{"pattern": f.pattern, "start": f.start, "end": f.end, "phrase": f.phrase, "score": f.score}
                        for f in result.flags], "safety": safety.to_dict(result.safety)}
    if rewriter is not None:
        record["rewrite"] = rewriter(text, result)
    return record


def scan_records(detector: Detector, records, rewriter=None) -> Iterator[tuple[int, str, str | None]]:
    """(line number, JSON line, error message or None) for (line number, id, text) records, in order."""
    records = list(records) if not isinstance(records, list) else records
    for (line, rid, text), result in zip(records, detector.analyze_many(t for _, _, t in records), strict=True):
        error = str(result) if isinstance(result, TextTooLongError) else None
        yield line, json.dumps(record_for(rid, text, result, rewriter), ensure_ascii=False) + "\n", error


def scan(detector: Detector, source: Path, out: IO[str], errors: IO[str] = sys.stderr, progress: bool | None = None,
         rewriter=None, jobs: int = 1) -> dict[str, float]:
    """Scan a file into JSON Lines on `out`; returns counts and throughput. With jobs > 1 the batches are scored in
    that many worker processes and written in input order, so the output is the same as with one."""
    show = progress if progress is not None else (errors.isatty() and source.stat().st_size > 200_000)
    bar = Progress(_count_lines(source) if show else 1, errors, show)
    bad_before = _Counter(errors)
    started = time.perf_counter()
    done = 0
    batches = _batches(read_records(source, bad_before), BATCH_LINES)
    results = (parallel_scan(detector, batches, jobs, rewriter) if jobs > 1
               else (r for batch in batches for r in scan_records(detector, batch, rewriter)))
    for line, json_line, error in results:
        if error is not None:
            print(f"{source}:{line}: {error}", file=errors)
        out.write(json_line)
        done += 1
        bar.update(done, line)
    bar.close()
    seconds = time.perf_counter() - started
    return {"messages": done, "bad_lines": bad_before.count, "seconds": seconds, "per_second": done / max(seconds, 1e-9),
            "jobs": jobs}


BATCH_LINES = 256  # records per batch: one feature matrix each, and the unit of work for --jobs


def _batches(records, size: int):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _score_batch(batch: list) -> list[tuple[int, str, str | None]]:
    return list(scan_records(WORKER["detector"], batch, WORKER.get("rewriter")))


def parallel_scan(detector: Detector, batches, jobs: int, rewriter=None) -> Iterator[tuple[int, str, str | None]]:
    """Score batches in `jobs` forked worker processes that share the loaded model; results come back in input order,
    with at most 2 x jobs batches in flight, so memory stays constant whatever the file size."""
    for _, lines in ordered_map(_score_batch, batches, jobs, {"detector": detector, "rewriter": rewriter}):
        yield from lines


def _count_lines(source: Path) -> int:
    with open(source, "rb") as fh:
        return sum(1 for _ in fh)


class _Counter:
    """Passes error lines through to a stream while counting them."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.count = stream, 0

    def write(self, s: str) -> int:
        if s.strip():
            self.count += 1
        return self.stream.write(s)

    def flush(self) -> None:
        self.stream.flush()
