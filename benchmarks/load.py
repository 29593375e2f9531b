"""Load benchmark: `python -m classifier scan` on a large generated JSON Lines file, and concurrent app sessions.

    python benchmarks/load.py                    # 200,000 lines; writes reports/load.json and reports/load.md
    python benchmarks/load.py --lines 20000      # a quicker run
    python benchmarks/load.py --sessions 0       # skip the concurrent app sessions

The input is made from the corpus rows, cycling their texts (ids are unique per line). The scan runs as a separate
process (the real CLI) and its memory is watched from outside with psutil, together with how many output lines it has
written, so the report can say how much the resident memory grew between line 10,000 and the last line: a constant
memory scan stays flat. The operating system's own peak (ru_maxrss from wait4) is recorded as a cross-check.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
CHECKPOINT = 10_000


def make_jsonl(path: Path, lines: int) -> Path:
    """A JSON Lines file of `lines` records built by cycling the corpus texts."""
    from classifier.training.corpus import load_rows

    texts = [r["text"] for r in load_rows()]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(json.dumps({"id": f"r{i:07d}", "text": texts[i % len(texts)]}, ensure_ascii=False) + "\n")
    return path


@dataclass
class ScanRun:
    lines: int
    output_lines: int = 0
    returncode: int | None = None
    wall_seconds: float = 0.0  # process start to exit, model loading included
    scan_seconds: float | None = None  # the CLI's own figure: reading, checking and writing only
    messages_per_second: float | None = None
    rss_peak_at_checkpoint_mb: float | None = None  # highest RSS seen up to output line CHECKPOINT
    rss_peak_mb: float = 0.0  # highest RSS seen over the whole run (sampled)
    ru_maxrss_mb: float | None = None  # the kernel's peak for the process
    growth_mb: float | None = None  # rss_peak_mb - rss_peak_at_checkpoint_mb (the figure)
    rss_at_checkpoint_mb: float | None = None  # RSS at the moment output line CHECKPOINT was written
    rss_peak_after_checkpoint_mb: float | None = None
    # peak after the checkpoint minus RSS at it: stricter, since the model-loading peak cannot hide any growth
    steady_growth_mb: float | None = None
    growth_upper_bound_mb: float | None = None  # ru_maxrss - rss_peak_at_checkpoint_mb
    samples: list[tuple[float, int, float]] = field(default_factory=list)  # (seconds, output lines, RSS MB)
    stderr_tail: str = ""
    model_rebuilt: bool = False  # the CLI found data/ changed since the model was trained and rebuilt it first


def run_scan(source: Path, target: Path, lines: int, model: Path | None = None, poll: float = 0.2,
             checkpoint: int = CHECKPOINT) -> ScanRun:
    """Run the CLI scan in a subprocess and watch its memory; returns the figures."""
    import psutil

    cmd = [sys.executable, "-m", "classifier"]
    if model is not None:
        cmd += ["--model", str(model)]
    cmd += ["scan", str(source), "-o", str(target), "--no-progress"]
    run = ScanRun(lines=lines)
    err_path = target.with_suffix(".stderr")
    target.write_bytes(b"")
    with open(err_path, "w+", encoding="utf-8") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        watched = psutil.Process(proc.pid)
        after = 0
        seen_lines = 0
        peak = 0
        status = usage = None
        with open(target, "rb") as out:
            while True:
                try:
                    rss = watched.memory_info().rss
                except psutil.Error:
                    rss = 0
                seen_lines += out.read().count(b"\n")
                peak = max(peak, rss)
                if run.rss_at_checkpoint_mb is None and seen_lines >= min(checkpoint, lines):
                    run.rss_peak_at_checkpoint_mb = round(peak / MB, 1)
                    run.rss_at_checkpoint_mb = round(rss / MB, 1)
                elif run.rss_at_checkpoint_mb is not None:
                    after = max(after, rss)
                if rss:
                    run.samples.append((round(time.perf_counter() - started, 2), seen_lines, round(rss / MB, 1)))
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)  # reap it ourselves: wait4 gives its own rusage
                if pid:
                    break
                time.sleep(poll)
        proc.returncode = os.waitstatus_to_exitcode(status)
        run.ru_maxrss_mb = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
        run.wall_seconds = round(time.perf_counter() - started, 2)
        run.returncode = proc.returncode
        err.seek(0)
        stderr = err.read()
    err_path.unlink(missing_ok=True)
    with open(target, "rb") as out:
        run.output_lines = sum(chunk.count(b"\n") for chunk in iter(lambda: out.read(1 << 20), b""))
    run.stderr_tail = stderr[-2000:]
    run.model_rebuilt = "building it" in stderr or "rebuilding it" in stderr
    m = re.search(r"scanned ([\d,]+) messages in ([\d.]+) s \(([\d,]+)/s\)", stderr)
    if m:
        run.scan_seconds = float(m.group(2))
        run.messages_per_second = float(m.group(3).replace(",", ""))
    run.rss_peak_mb = round(peak / MB, 1)
    if run.rss_peak_at_checkpoint_mb is not None:
        run.growth_mb = round(run.rss_peak_mb - run.rss_peak_at_checkpoint_mb, 1)
        run.rss_peak_after_checkpoint_mb = round(after / MB, 1)
        run.steady_growth_mb = round(run.rss_peak_after_checkpoint_mb - run.rss_at_checkpoint_mb, 1)
        if run.ru_maxrss_mb is not None:  # an upper bound: the kernel's peak may also be a spike while loading
            run.growth_upper_bound_mb = round(run.ru_maxrss_mb - run.rss_peak_at_checkpoint_mb, 1)
    return run


def private_copy(model: Path, folder: Path) -> Path:
    """The model with its checksum file and artefacts copied aside, so the run never touches the shipped files."""
    from classifier.training.store import copy_model

    return copy_model(model, folder / "model")


def _thin(samples: list, keep: int = 60) -> list:
    step = max(1, len(samples) // keep)
    return samples[::step] + ([samples[-1]] if samples and (len(samples) - 1) % step else [])


# --- concurrent browser-less sessions ------------------------------------------------------------------------------


def session_drafts(n: int = 10) -> list[str]:
    """n different drafts: catalogue examples of different patterns, and some plain sincere messages."""
    from classifier.catalogue import load_catalogue

    cat = load_catalogue()
    flagged = [p.examples[k % len(p.examples)].text for k in range(3) for p in cat.values()]
    clean = ["Hi mum, I'll be home around 6 tonight. Could you leave the spare key under the plant pot? Thanks x",
             "running 10 min late, grab us a table? sorry!", "Happy birthday! Hope you have a lovely day, see you Saturday."]
    drafts = []
    for i in range(n):
        drafts.append(clean[i // 4 % len(clean)] if i % 4 == 3 else flagged[i - i // 4])
    return drafts


@dataclass
class SessionResult:
    draft: str
    expected_patterns: list[str]
    shown_patterns: list[str] = field(default_factory=list)
    verdict: str = ""
    box: str = ""
    draft_shown: bool = False
    seconds: float = 0.0
    error: str | None = None

    @property
    def correct(self) -> bool:
        return (self.error is None and self.draft_shown and self.box == self.draft
                and self.shown_patterns == self.expected_patterns
                and (("could make this read as a tactic" in self.verdict) == bool(self.expected_patterns)))


# AppTest swaps a process-wide mock Runtime in and out around every script run (streamlit/testing/v1/app_test.py:
# Runtime._instance = ...; ... = None), so two AppTest runs at the same instant break each other ("Runtime hasn't been
# created!", missing session-state keys). The sessions below therefore live in their own threads at the same time but
# take turns for each script run; the truly parallel part, the shared detector and rewording engine under load from
# many sessions at once, is exercised by concurrent_checks().
APPTEST_LOCK = threading.Lock()


@contextlib.contextmanager
def model_env(model: Path):
    """SINCERELY_MODEL pointing at `model` for the app code, restored afterwards."""
    before = os.environ.get("SINCERELY_MODEL")
    os.environ["SINCERELY_MODEL"] = str(model)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SINCERELY_MODEL", None)
        else:
            os.environ["SINCERELY_MODEL"] = before


def concurrent_sessions(drafts: list[str], model: Path, timeout: float = 240) -> list[SessionResult]:
    """Each draft in its own AppTest session and thread, all open at once; what each page showed."""
    with model_env(model):
        return _concurrent_sessions(drafts, model, timeout)


def _concurrent_sessions(drafts: list[str], model: Path, timeout: float) -> list[SessionResult]:
    import html as htmlmod

    from streamlit.testing.v1 import AppTest

    from ui import resources

    detector = resources.get_detector(str(model))  # loaded once, shared by every session (as in the server)
    results = [SessionResult(d, detector.analyze(d).patterns) for d in drafts]
    barrier = threading.Barrier(len(drafts))

    def one(i: int) -> None:
        r = results[i]
        try:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
            with APPTEST_LOCK:
                at.run()
            barrier.wait(timeout=timeout)  # every session is open before any of them checks a draft
            started = time.perf_counter()
            at.text_area(key="draft").input(r.draft)
            with APPTEST_LOCK:
                at.button(key="check").click().run()
            r.seconds = round(time.perf_counter() - started, 2)
            if at.exception:
                r.error = str(at.exception[0].value)[:500]
                return
            page = [h.value for h in at.html]
            drafts_html = [h for h in page if h.startswith('<div class="s-draft')]
            r.draft_shown = bool(drafts_html) and htmlmod.escape(r.draft, quote=True) in re.sub(
                r'<span class="s-tag"[^>]*>[^<]*</span>|<mark[^>]*>|</mark>', "", drafts_html[0])
            marked = re.findall(r'data-pattern="([^"]+)"', drafts_html[0]) if drafts_html else []
            found = {p for group in marked for p in group.split()}
            r.shown_patterns = [p for p in r.expected_patterns if p in found] + sorted(found - set(r.expected_patterns))
            titles = [m.group(1) for h in page for m in [re.search(r'<p class="s-verdict-title">(.*?)</p>', h)] if m]
            r.verdict = htmlmod.unescape(titles[0]) if titles else ""
            r.box = at.text_area(key="draft").value
        except Exception as exc:  # reported per session, never lost in a thread
            r.error = f"{type(exc).__name__}: {exc}"[:500]

    threads = [threading.Thread(target=one, args=(i,), name=f"session-{i}") for i in range(len(drafts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results


def _check_key(result) -> tuple:
    """Everything a check shows: flags, cards with their alternatives, the whole-message version, the verdict."""
    from ui import checker

    return (tuple((f.pattern, f.start, f.end, f.phrase) for f in result.flags),
            tuple(tuple((a.tone, a.text) for a in c.alternatives) for c in result.cards),
            result.whole_message, checker.verdict(result)[0], result.notice, result.error)


def concurrent_checks(drafts: list[str], model: Path, rounds: int = 3, timeout: float = 240) -> dict:
    """The check page's own code path (ui.checker.run_check) from one thread per draft, truly at once, on the shared
    detector and rewording engine; each thread's results must equal a serial run's, in both modes, every round."""
    with model_env(model):
        return _concurrent_checks(drafts, model, rounds, timeout)


def _concurrent_checks(drafts: list[str], model: Path, rounds: int, timeout: float) -> dict:
    from classifier.rewrite.rewriter import Rewriter
    from ui import checker, resources

    detector = resources.get_detector(str(model))
    rewriter = resources.rewriter()  # the app's shared engine: it has not seen these drafts yet
    assert rewriter is not None, "the rewording engine did not load"
    reference = Rewriter(detector)  # a separate engine for the serial reference results
    cat = resources.catalogue()
    modes = (checker.WRITE, checker.RECEIVE)
    expected = {(d, m): _check_key(checker.run_check(detector, reference if m == checker.WRITE else None, d, m, (), cat))
                for d in drafts for m in modes}
    barrier = threading.Barrier(len(drafts))
    mismatches: list[str] = []
    errors: list[str] = []
    done = [0] * len(drafts)

    def one(i: int) -> None:
        draft = drafts[i]
        try:
            barrier.wait(timeout=timeout)
            for _ in range(rounds):
                for m in modes:
                    got = _check_key(checker.run_check(detector, rewriter if m == checker.WRITE else None, draft, m, (), cat))
                    if got != expected[(draft, m)]:
                        mismatches.append(f"thread {i} ({m}): {got!r} != {expected[(draft, m)]!r}"[:800])
                    done[i] += 1
        except Exception as exc:
            errors.append(f"thread {i}: {type(exc).__name__}: {exc}"[:500])

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(i,), name=f"check-{i}") for i in range(len(drafts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return {"threads": len(drafts), "checks": sum(done), "seconds": round(time.perf_counter() - started, 2),
            "mismatches": mismatches, "errors": errors,
            "correct": not mismatches and not errors and sum(done) == len(drafts) * rounds * len(modes)}


# --- the report ----------------------------------------------------------------------------------------------------


def write_reports(data: dict, reports: Path) -> None:
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "load.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    s = data["scan"]
    lines = [
        "# Sincerely: load benchmark",
        "",
        f"Generated by `python benchmarks/load.py` on {data['written']} ({data['machine']['cpus']} CPUs, "
        f"Python {data['machine']['python']}). Memory is the scan process's resident set size (RSS), sampled every "
        f"{data['poll_seconds']} s with psutil; the kernel's own peak (ru_maxrss) is given as a cross-check.",
        "",
        "## Batch scan (`python -m classifier scan IN -o OUT`)",
        "",
        "| figure | value |",
        "|---|---|",
        f"| input lines (JSON Lines, corpus texts cycled) | {s['lines']:,} |",
        f"| output lines | {s['output_lines']:,} |",
        f"| scan time (reading, checking, writing) | {s['scan_seconds']} s |",
        f"| wall time including model load | {s['wall_seconds']} s"
        f"{' (the CLI rebuilt the model first: data/ had changed since it was trained)' if s['model_rebuilt'] else ''} |",
        f"| throughput | {s['messages_per_second']:,.0f} messages/s |" if s["messages_per_second"] else "| throughput | n/a |",
        f"| peak RSS up to line {data['checkpoint']:,} | {s['rss_peak_at_checkpoint_mb']} MB |",
        f"| peak RSS over all {s['lines']:,} lines | {s['rss_peak_mb']} MB (kernel peak {s['ru_maxrss_mb']} MB) |",
        f"| growth from line {data['checkpoint']:,} to the end | **{s['growth_mb']} MB** (limit {data['growth_limit_mb']} MB: "
        f"{'met' if s['growth_mb'] is not None and s['growth_mb'] < data['growth_limit_mb'] else 'NOT met'}) |",
        f"| RSS at line {data['checkpoint']:,}, and highest after it | {s['rss_at_checkpoint_mb']} MB, "
        f"{s['rss_peak_after_checkpoint_mb']} MB: steady-state growth **{s['steady_growth_mb']} MB** |",
        "",
        "RSS over the run (seconds, output lines, MB):",
        "",
        "```",
        *[f"{t:8.1f} s {n:>9,} lines {mb:8.1f} MB" for t, n, mb in _thin(s["samples"], 25)],
        "```",
    ]
    sessions = data.get("sessions")
    if sessions:
        ok = sum(r["correct"] for r in sessions["results"])
        lines += [
            "",
            f"## {len(sessions['results'])} concurrent app sessions (AppTest, one thread each, no browser)",
            "",
            f"All sessions were open at once, each in its own thread, sharing one detector, and each checked its own "
            f"draft (their script runs take turns, see below): **{ok} of "
            f"{len(sessions['results'])}** showed exactly their own draft, flags and verdict. Slowest check "
            f"{max(r['seconds'] for r in sessions['results'])} s; total {sessions['seconds']} s.",
            "",
            "| # | expected patterns | shown | verdict | s | correct |",
            "|---|---|---|---|---|---|",
            *[f"| {i} | {', '.join(r['expected_patterns']) or '(none)'} | {', '.join(r['shown_patterns']) or '(none)'} | "
              f"{r['verdict']} | {r['seconds']} | {'yes' if r['correct'] else 'NO: ' + (r['error'] or 'mismatch')} |"
              for i, r in enumerate(sessions["results"])],
        ]
    checks = data.get("parallel_checks")
    if checks:
        lines += [
            "",
            f"## {checks['threads']} threads checking at once on the shared detector and rewording engine",
            "",
            f"The check page's own code path (`ui.checker.run_check`), {checks['checks']} checks in {checks['seconds']} s, "
            f"write and received mode: **{'every result identical to a serial run' if checks['correct'] else 'MISMATCHES'}**"
            f" ({len(checks['mismatches'])} mismatches, {len(checks['errors'])} errors).",
            "",
            "AppTest swaps one process-wide mock runtime in and out around every script run, so the AppTest sessions "
            "above are open at the same time in their own threads but take turns for each script run; this section "
            "is the part that runs truly in parallel.",
        ]
    (reports / "load.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--checkpoint", type=int, default=CHECKPOINT)
    parser.add_argument("--sessions", type=int, default=10, help="concurrent app sessions (0 to skip)")
    parser.add_argument("--model", help="model file (default: the shipped one, or one built from data/ if unusable)")
    parser.add_argument("--reports", default=str(ROOT / "reports"))
    parser.add_argument("--growth-limit", type=float, default=100.0, help="MB")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "tests"))  # for support.app
    from support.app import usable_model

    model = Path(args.model) if args.model else usable_model()
    with tempfile.TemporaryDirectory(prefix="sincerely-load-") as tmp:
        source = make_jsonl(Path(tmp) / "in.jsonl", args.lines)
        print(f"scanning {args.lines:,} lines ({source.stat().st_size / MB:.0f} MB) ...", flush=True)
        run = run_scan(source, Path(tmp) / "out.jsonl", args.lines, model=private_copy(model, Path(tmp)),
                       checkpoint=args.checkpoint)
    if run.returncode != 0 or run.output_lines != args.lines:
        print(f"scan failed (exit {run.returncode}, {run.output_lines} lines):\n{run.stderr_tail}", file=sys.stderr)
        return 1
    print(f"{run.output_lines:,} lines in {run.scan_seconds} s ({run.messages_per_second:,.0f}/s); peak RSS "
          f"{run.rss_peak_at_checkpoint_mb} MB at line {args.checkpoint:,}, {run.rss_peak_mb} MB at the end "
          f"(growth {run.growth_mb} MB)")
    data = {
        "written": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "poll_seconds": 0.2,
        "checkpoint": args.checkpoint,
        "growth_limit_mb": args.growth_limit,
        "scan": {**{k: v for k, v in asdict(run).items() if k != "samples"}, "samples": _thin(run.samples, 400)},
    }
    if args.sessions:
        started = time.perf_counter()
        results = concurrent_sessions(session_drafts(args.sessions), model)
        data["sessions"] = {"seconds": round(time.perf_counter() - started, 2),
                            "results": [asdict(r) | {"correct": r.correct} for r in results]}
        ok = sum(r.correct for r in results)
        print(f"{ok} of {len(results)} concurrent sessions showed their own correct result")
        data["parallel_checks"] = concurrent_checks(session_drafts(args.sessions), model)
        print(f"parallel checks: {data['parallel_checks']['checks']} in {data['parallel_checks']['seconds']} s, "
              f"correct: {data['parallel_checks']['correct']}")
    write_reports(data, Path(args.reports))
    print(f"wrote {Path(args.reports) / 'load.json'} and load.md")
    growth_ok = run.growth_mb is not None and run.growth_mb < args.growth_limit
    sessions_ok = not args.sessions or (all(r["correct"] for r in data["sessions"]["results"])
                                        and data["parallel_checks"]["correct"])
    return 0 if growth_ok and sessions_ok else 1


if __name__ == "__main__":
    sys.exit(main())
