"""Speed figures against their targets: analyze latency, the app's re-check, scan throughput (one process, every
core, a Dask LocalCluster) beside bare spaCy tokenization, start-up time, the page in headless Chromium, training,
and a 50,000-message chat export (in process, through the CLI and uploaded to the page).

Run `python -m benchmarks.bench` (or `make bench`) from the repository root; writes reports/bench.json.
"""
from __future__ import annotations

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from classifier.cli.scan import scan
from classifier.detect.detector import Detector
from classifier.parallel import default_jobs
from classifier.paths import MODEL_PATH, REPORTS_DIR, ROOT
from classifier.rewrite.rewriter import Rewriter
from classifier.training.corpus import load_rows, sentences
from classifier.training.train import ensure_model, train

DRAFT_SIZES = (1, 3, 8)
SCAN_LINES = 20_000
# (figure, target, how it compares): every target of the speed issue, checked and printed in one place
TARGETS = (
    ("scan_messages_per_s", 2500, ">="),
    ("scan_cost_vs_bare_spacy", 5.0, "<="),
    ("analyze_3_sentences_p50_ms", 3.0, "<="),
    ("app_recheck_3_sentences_p50_ms", 25.0, "<="),
    ("check_hi_cli_s", 2.0, "<="),
    ("page_usable_s", 3.0, "<="),
    ("page_first_result_s", 1.0, "<="),
    ("conversation_50k_cli_s", 30.0, "<="),
    ("conversation_50k_app_s", 30.0, "<="),
)


def _drafts(rows, n_sentences: int, count: int = 60) -> list[str]:
    """Drafts of exactly n sentences, stitched from corpus sentences (deterministic)."""
    pool = [s for r in rows for s in sentences(r["text"]) if len(s.split()) >= 3]
    return [" ".join(pool[(k * n_sentences + j) % len(pool)] for j in range(n_sentences)) for k in range(count)]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(1000 * statistics.median(ordered), 2),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2)}


def _bare_spacy_per_s(texts: list[str]) -> float:
    """Messages per second through a blank English tokenizer plus sentence splitting, nothing else."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    started = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=256):
        list(doc.sents)
    return len(texts) / (time.perf_counter() - started)


def _scan_figures(detector: Detector, texts: list[str], jobs: int) -> dict:
    """Throughput of the plain scan, `--jobs` and the Dask LocalCluster over the same generated file."""
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.jsonl"
        with open(source, "w", encoding="utf-8") as fh:
            for k in range(SCAN_LINES):
                fh.write(json.dumps({"id": k, "text": texts[k % len(texts)]}) + "\n")
        detector.analyze("sooo warm the elongation lookups first")  # a one-time load, not per message
        for label, n in (("scan_messages_per_s", 1), ("scan_jobs_messages_per_s", jobs)):
            stats = scan(detector, source, io.StringIO(), errors=io.StringIO(), progress=False, jobs=n)
            out[label] = round(stats["per_second"], 1)
        out["scan_jobs"] = jobs
        out["scan_jobs_speedup"] = round(out["scan_jobs_messages_per_s"] / out["scan_messages_per_s"], 2)
        try:
            from classifier.cli.distributed import dask_scan

            stats = dask_scan(str(source), str(Path(tmp) / "dask.jsonl"), MODEL_PATH, workers=jobs, block_bytes=2**20)
            out["dask_local_cluster_messages_per_s"] = round(stats["per_second"], 1)
            out["dask_local_cluster_workers"] = stats["jobs"]
        except Exception as exc:  # dask not installed: say so in the report
            out["dask_local_cluster_messages_per_s"] = None
            out["dask_note"] = f"{type(exc).__name__}: {exc}"[:200]
    out["bare_spacy_messages_per_s"] = round(_bare_spacy_per_s([texts[k % len(texts)] for k in range(SCAN_LINES)]), 1)
    out["scan_cost_vs_bare_spacy"] = round(out["bare_spacy_messages_per_s"] / out["scan_messages_per_s"], 2)
    return out


def _check_hi_seconds(runs: int = 3) -> float:
    """Wall time of `python -m classifier check "hi"` in a fresh process (the best of a few runs)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "classifier", "check", "hi"], cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return round(min(times), 2)


def run_bench(reports: Path | None, train_too: bool = True, page: bool = True, conversation: bool = True,
              only_conversation: bool = False) -> int:
    ensure_model()
    figures: dict = {"cores": os.cpu_count(), "usable_cores": default_jobs(),
                     "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    started = time.perf_counter()
    detector = Detector.load()
    figures["model_load_s"] = round(time.perf_counter() - started, 3)
    if conversation or only_conversation:
        from benchmarks.conversation import measure as measure_conversation

        figures.update(measure_conversation(detector))
    if only_conversation:
        return _write(reports, figures, merge=True)
    rows = [r for r in load_rows() if r["split"] == "test"]
    detector.analyze("warm up the caches please")
    latency = {}
    for n in DRAFT_SIZES:
        samples = []
        for text in _drafts(rows, n):
            t0 = time.perf_counter()
            detector.analyze(text)
            samples.append(time.perf_counter() - t0)
        latency[f"{n}_sentences"] = _percentiles(samples)
    figures["analyze_latency"] = latency
    figures["analyze_3_sentences_p50_ms"] = latency["3_sentences"]["p50_ms"]
    rewriter = Rewriter(detector)
    samples = []
    for text in _drafts([r for r in rows if r["kind"] == "positive"], 3, 40):
        t0 = time.perf_counter()
        rewriter.suggest(text, detector.analyze(text))
        samples.append(time.perf_counter() - t0)
    figures["app_recheck_3_sentences"] = _percentiles(samples)
    figures["app_recheck_3_sentences_p50_ms"] = figures["app_recheck_3_sentences"]["p50_ms"]
    figures.update(_scan_figures(detector, [r["text"] for r in load_rows()], default_jobs()))
    figures["check_hi_cli_s"] = _check_hi_seconds()
    if page:
        from benchmarks.page import available, measure

        if available():
            measured = measure()
            figures["page_usable_s"] = measured["page_usable_s"]
            figures["page_first_result_s"] = measured["first_result_s"]
    if train_too:
        t0 = time.perf_counter()
        train()
        figures["training_s"] = round(time.perf_counter() - t0, 1)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"scan with --jobs {figures['scan_jobs']}: {figures['scan_jobs_messages_per_s']:,}/s "
          f"({figures['scan_jobs_speedup']}x); Dask LocalCluster: {figures.get('dask_local_cluster_messages_per_s')}/s; "
          f"bare spaCy: {figures['bare_spacy_messages_per_s']:,}/s")
    print(f"model load {figures['model_load_s']} s; peak memory {figures['peak_rss_mb']} MB"
          + (f"; training {figures['training_s']} s" if train_too else ""))
    return _write(reports, figures)


def _write(reports: Path | None, figures: dict, merge: bool = False) -> int:
    """Print the targets and write bench.json; `merge` keeps the figures of an earlier full run that were not re-measured."""
    if merge and reports and (reports / "bench.json").exists():
        figures = {**json.loads((reports / "bench.json").read_text(encoding="utf-8")), **figures}
    figures["targets"] = target_rows(figures)
    for name, value, target, how, met in figures["targets"]:
        shown = "not measured" if value is None else value
        print(f"{name}: {shown} (target {how} {target}){'' if met is None else ' ok' if met else ' MISSED'}")
    if reports:
        reports.mkdir(parents=True, exist_ok=True)
        (reports / "bench.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        print(f"wrote {reports / 'bench.json'}")
    return 0


def target_rows(figures: dict) -> list[tuple[str, float | None, float, str, bool | None]]:
    rows = []
    for name, target, how in TARGETS:
        value = figures.get(name)
        met = None if value is None else (value >= target if how == ">=" else value <= target)
        rows.append((name, value, target, how, met))
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default=str(REPORTS_DIR), help="write bench.json here ('' to skip)")
    parser.add_argument("--skip-train", action="store_true", help="do not time a full training run")
    parser.add_argument("--skip-page", action="store_true", help="do not time the page in headless Chromium")
    parser.add_argument("--skip-conversation", action="store_true", help="do not time the 50,000-message chat")
    parser.add_argument("--only-conversation", action="store_true",
                        help="time only the 50,000-message chat and merge it into an existing bench.json")
    args = parser.parse_args(argv)
    return run_bench(Path(args.reports) if args.reports else None, train_too=not args.skip_train,
                     page=not args.skip_page, conversation=not args.skip_conversation,
                     only_conversation=args.only_conversation)


if __name__ == "__main__":
    raise SystemExit(main())
