"""Speed and memory figures: analyze latency, scan throughput, model load and training time, peak memory.

Run `python -m benchmarks.bench` (or `make bench`) from the repository root; writes reports/bench.json.
"""
from __future__ import annotations

import io
import json
import resource
import statistics
import tempfile
import time
from pathlib import Path

from classifier.cli.scan import scan
from classifier.detect.detector import Detector
from classifier.paths import REPORTS_DIR
from classifier.rewrite.rewriter import Rewriter
from classifier.training.corpus import load_rows, sentences
from classifier.training.train import ensure_model

DRAFT_SIZES = (1, 3, 8)


def _drafts(rows, n_sentences: int, count: int = 60) -> list[str]:
    """Drafts of exactly n sentences, stitched from corpus sentences (deterministic)."""
    pool = [s for r in rows for s in sentences(r["text"]) if len(s.split()) >= 3]
    return [" ".join(pool[(k * n_sentences + j) % len(pool)] for j in range(n_sentences)) for k in range(count)]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(1000 * statistics.median(ordered), 2),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2)}


def run_bench(reports: Path | None, train: bool = True) -> int:
    ensure_model()
    figures: dict = {}
    started = time.perf_counter()
    detector = Detector.load()
    figures["model_load_s"] = round(time.perf_counter() - started, 3)
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
    rewriter = Rewriter(detector)
    samples = []
    for text in _drafts([r for r in rows if r["kind"] == "positive"], 3, 40):
        t0 = time.perf_counter()
        analysis = detector.analyze(text)
        rewriter.suggest(text, analysis)
        samples.append(time.perf_counter() - t0)
    figures["app_recheck_3_sentences"] = _percentiles(samples)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "bench.jsonl"
        texts = [r["text"] for r in load_rows()]
        with open(source, "w", encoding="utf-8") as fh:
            for k in range(5000):
                fh.write(json.dumps({"id": k, "text": texts[k % len(texts)]}) + "\n")
        stats = scan(detector, source, io.StringIO(), errors=io.StringIO(), progress=False)
    figures["scan_messages_per_s"] = round(stats["per_second"], 1)
    if train:
        t0 = time.perf_counter()
        train()
        figures["training_s"] = round(time.perf_counter() - t0, 1)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    lat = figures["analyze_latency"]
    print("analyze latency p50/p95: " + "; ".join(f"{k.replace('_', ' ')} {v['p50_ms']}/{v['p95_ms']} ms" for k, v in lat.items()))
    if "app_recheck_3_sentences" in figures:
        r = figures["app_recheck_3_sentences"]
        print(f"app re-check (analyze + rewrite) of a 3-sentence draft p50/p95: {r['p50_ms']}/{r['p95_ms']} ms")
    print(f"scan throughput: {figures['scan_messages_per_s']:,} messages/s")
    print(f"model load: {figures['model_load_s']} s" + (f"; training: {figures['training_s']} s" if train else ""))
    print(f"peak memory (RSS): {figures['peak_rss_mb']} MB")
    if reports:
        reports.mkdir(parents=True, exist_ok=True)
        (reports / "bench.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
        print(f"wrote {reports / 'bench.json'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default=str(REPORTS_DIR), help="write bench.json here ('' to skip)")
    parser.add_argument("--skip-train", action="store_true", help="do not time a full training run")
    args = parser.parse_args(argv)
    return run_bench(Path(args.reports) if args.reports else None, train=not args.skip_train)


if __name__ == "__main__":
    raise SystemExit(main())
