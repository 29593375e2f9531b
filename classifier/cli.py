"""Command line: python -m classifier {train,evaluate,check,scan,bench,rewrite}."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import model as model_lib


def _load_detector(args):
    from .detector import Detector

    return Detector.load(Path(args.model) if getattr(args, "model", None) else None)


def cmd_train(args) -> int:
    path = Path(args.model) if args.model else model_lib.MODEL_PATH
    if args.if_needed and path.exists():
        try:
            if not model_lib.is_stale(model_lib.load(path)):
                print(f"model at {path} is up to date")
                return 0
        except model_lib.ModelFileError as exc:
            print(f"rebuilding: {exc}", file=sys.stderr)
    trained = model_lib.train()
    model_lib.save(trained, path)
    meta = trained.meta
    print(f"trained on {meta['train_rows']} messages ({meta['train_units']} clauses) in {meta['training_seconds']} s")
    print(f"weak negatives: {meta['weak_negative_units']} clauses of real background text at weight "
          f"{meta['weak_negative_weight']}")
    print("thresholds (the higher of dev and real-text calibration): "
          + ", ".join(f"{k} {v:.2f}" for k, v in trained.thresholds.items()))
    print(f"saved to {path}")
    return 0


def format_analysis(analysis, catalogue) -> str:
    """The human-readable summary; a crisis notice, when one applies, comes before everything else."""
    from .safety import notice_text

    head = [notice_text(analysis.safety), ""] if analysis.safety is not None else []
    if analysis.reason:
        return "\n".join(head + [analysis.reason])
    lines = head + list(analysis.warnings)
    found = analysis.patterns
    if not found:
        lines.append("This reads as sincere: nothing here looks like a tactic.")
    else:
        n = len(found)
        lines.append(f"{n} pattern{'s' if n > 1 else ''} could make this read as a tactic:")
        for flag in analysis.flags:
            p = catalogue[flag.pattern]
            lines.append(f'  [{p.name}] "{flag.phrase}" ({flag.confidence}, {flag.score:.2f}) at {flag.start}-{flag.end}')
            lines.append(f"      {p.short}")
    return "\n".join(lines)


def _read_text(args) -> str:
    if args.text:
        return " ".join(args.text)
    return sys.stdin.read()


def cmd_check(args) -> int:
    from .detector import TextTooLongError

    text = _read_text(args)
    detector = _load_detector(args)
    try:
        analysis = detector.analyze(text)
    except TextTooLongError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_analysis(analysis, detector.catalogue))
    return 0


def cmd_rewrite(args) -> int:
    from .detector import TextTooLongError
    from .rewrite import Rewriter

    text = _read_text(args)
    detector = _load_detector(args)
    try:
        analysis = detector.analyze(text)
    except TextTooLongError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_analysis(analysis, detector.catalogue))
    if analysis.flags:
        result = Rewriter(detector).suggest(text, analysis)
        for s in result.suggestions:
            print(f'\nInstead of "{s.flag.phrase}":')
            for alt in s.alternatives:
                print(f"  ({alt.tone}) {alt.text}")
                print(f"      {alt.explanation}")
        if result.whole_message:
            print("\nWhole message, said sincerely:\n  " + result.whole_message)
    return 0


def cmd_scan(args) -> int:
    from .scan import scan

    detector = _load_detector(args)
    rewriter = None
    if args.rewrite:
        from .rewrite import Rewriter

        engine = Rewriter(detector)
        rewriter = engine.whole_message_for
    source = Path(args.input)
    if not source.exists():
        print(f"error: no such file: {source}", file=sys.stderr)
        return 2
    out = open(args.output, "w", encoding="utf-8") if args.output != "-" else sys.stdout
    try:
        stats = scan(detector, source, out, progress=args.progress, rewriter=rewriter)
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"scanned {stats['messages']:,} messages in {stats['seconds']:.1f} s ({stats['per_second']:,.0f}/s); "
          f"{stats['bad_lines']} bad line(s) skipped", file=sys.stderr)
    return 0


def cmd_rewrite_report(args) -> int:
    from .rewrite import rewrite_report

    figures = rewrite_report(Path(args.reports), detector=_load_detector(args))
    print(f"offered suggestions unflagged: {figures['offered_unflagged_pct']}%; unflagged sentences verbatim: "
          f"{figures['unflagged_sentences_verbatim_pct']}%; details carried: {figures['details_that_fit_carried_pct']}%; "
          f"drafts with identical alternatives: {figures['drafts_with_identical_alternatives_pct']}%")
    print(f"wrote {Path(args.reports) / 'rewrites.md'} and rewrites.json")
    return 0


def cmd_evaluate(args) -> int:
    from .evaluate import run_evaluation

    return run_evaluation(Path(args.reports), external=not args.no_external)


def cmd_bench(args) -> int:
    from .bench import run_bench

    return run_bench(Path(args.reports) if args.reports else None, train=not args.skip_train)


def cmd_ab(args) -> int:
    from .ab import run_ab

    return run_ab(Path(args.reports))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier", description="Sincerely's detector.")
    parser.add_argument("--model", help=f"model file (default {model_lib.MODEL_PATH})")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="build the model from data/ (deterministic)")
    p.add_argument("--if-needed", action="store_true", help="only when the model is missing, stale or unreadable")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="write reports/metrics.{json,md} and plots for the test split")
    p.add_argument("--reports", default="reports", help="output folder (default reports/)")
    p.add_argument("--no-external", action="store_true", help="skip the external data in ../shared/external")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("check", help="check one draft (argument or stdin)")
    p.add_argument("text", nargs="*", help="the draft; read from stdin when absent")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("rewrite", help="check one draft and print sincere rewordings")
    p.add_argument("text", nargs="*", help="the draft; read from stdin when absent")
    p.set_defaults(func=cmd_rewrite)

    p = sub.add_parser("rewrite-report", help="measure the rewording engine on the test split: reports/rewrites.{md,json}")
    p.add_argument("--reports", default="reports", help="output folder (default reports/)")
    p.set_defaults(func=cmd_rewrite_report)

    p = sub.add_parser("scan", help="scan a .jsonl or .csv file with id and text fields into JSON Lines")
    p.add_argument("input")
    p.add_argument("-o", "--output", default="-", help="output .jsonl (default stdout)")
    p.add_argument("--rewrite", action="store_true", help="add a sincere whole-message rewrite to each line")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: on for long inputs in a terminal)")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("bench", help="latency, throughput, load and training time, peak memory")
    p.add_argument("--reports", default="reports", help="write reports/bench.json here ('' to skip)")
    p.add_argument("--skip-train", action="store_true", help="do not time a full training run")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("ab", help="compare feature sets (dev, robustness set, SMS ham, latency) into reports/ab.json")
    p.add_argument("--reports", default="reports", help="output folder (default reports/)")
    p.set_defaults(func=cmd_ab)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except model_lib.ModelFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


