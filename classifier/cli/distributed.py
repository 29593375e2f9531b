"""`scan --engine dask`: the same scan over partitions of a large JSONL/CSV input on a dask.distributed cluster.

Each worker loads the model once (a per-process cache keyed by the model file) and scores its partitions with the
plain scan's code, so every output line equals the plain scan's. Input paths are anything fsspec reads (local files,
s3://, gs://, hdfs://...); the model path must be readable from every worker. Output is one merged JSON Lines file in
input order, or, when OUTPUT ends with '/', one file per partition in that folder (written by the workers).
"""
from __future__ import annotations

import io
import sys
import time
from pathlib import Path

from ..detect.detector import Detector
from .scan import read_stream, scan_records

BLOCK_BYTES = 16 * 2**20  # input partition size
_LOADED: dict[str, tuple] = {}  # per worker process: model path -> (detector, rewriter)


class DaskUnavailable(RuntimeError):
    """dask[distributed] is not installed."""


def _engine(model_path: str, rewrite: bool):
    key = f"{model_path}:{rewrite}"
    if key not in _LOADED:
        detector = Detector.load(Path(model_path))
        rewriter = None
        if rewrite:
            from ..rewrite.rewriter import Rewriter

            rewriter = Rewriter(detector).whole_message_for
        _LOADED[key] = (detector, rewriter)
    return _LOADED[key]


def scan_partition(lines: list[str], model_path: str, rewrite: bool, csv_input: bool, first_line: int = 1
                   ) -> list[dict]:
    """Score one partition's raw lines (held in memory, never written to disk): [{'out': JSON lines, 'errors': messages,
    'messages': n, 'bad': n}]."""
    detector, rewriter = _engine(model_path, rewrite)
    errors = io.StringIO()
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    records = list(read_stream(io.StringIO(text), "partition", csv_input, errors))
    out, problems = [], []
    for line, json_line, error in scan_records(detector, records, rewriter):
        out.append(json_line)
        if error is not None:
            problems.append(f"line {line} of the partition: {error}")
    bad = [e for e in errors.getvalue().splitlines() if e.strip()]
    return [{"out": "".join(out), "errors": bad + problems, "messages": len(out), "bad": len(bad)}]


def dask_scan(source: str, output: str, model_path: Path, scheduler: str | None = None, rewrite: bool = False,
              workers: int = 2, block_bytes: int = BLOCK_BYTES) -> dict[str, float]:
    """Run the scan on a cluster (`scheduler` address) or a LocalCluster on loopback with `workers` processes."""
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable("--engine dask needs dask[distributed]: pip install -r requirements-dask.txt") from exc
    started = time.perf_counter()
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    try:
        csv_input = source.lower().endswith(".csv")
        if csv_input:
            # a CSV record can span lines, so a CSV is one partition per file
            bag = db.read_text(source, blocksize=None, files_per_partition=1)
        else:
            bag = db.read_text(source, blocksize=block_bytes)
        parts = bag.map_partitions(scan_partition, str(model_path), rewrite, csv_input)
        messages = bad = 0
        if output.endswith("/"):
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            results = parts.compute()
            for k, r in enumerate(results):
                (folder / f"part-{k:05d}.jsonl").write_text(r["out"], encoding="utf-8")
        else:
            results = []
            sink = open(output, "w", encoding="utf-8") if output != "-" else None
            try:
                target = sink or sys.stdout
                for delayed in parts.to_delayed():  # in input order, one partition in memory at a time
                    (r,) = client.compute(delayed).result()
                    target.write(r["out"])
                    results.append({k: v for k, v in r.items() if k != "out"})
            finally:
                if sink is not None:
                    sink.close()
        for r in results:
            messages += r["messages"]
            bad += r["bad"]
            for e in r["errors"]:
                print(f"{source}: {e}", file=sys.stderr)
        seconds = time.perf_counter() - started
        return {"messages": messages, "bad_lines": bad, "seconds": seconds, "per_second": messages / max(seconds, 1e-9),
                "jobs": len(client.scheduler_info()["workers"]), "partitions": len(results)}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

