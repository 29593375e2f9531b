"""The command line, `sincerely` or `python -m classifier`: check, rewrite and scan drafts with the saved model;
train, evaluate and the data tools beside them. Only `train` (and the dev tools, when the model is missing) trains."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import ModelFileError, TextTooLongError
from ..training.store import MODEL_PATH
from .formats import format_analysis, print_rewrite


def _model_path(args) -> Path:
    return Path(args.model) if getattr(args, "model", None) else MODEL_PATH


def _load_detector(args):
    """The saved model; never trains (a missing model is a ModelMissingError that says how to build it)."""
    from ..detect.detector import Detector

    return Detector.load(_model_path(args))


def _built_detector(args):
    """For the dev tools (evaluate, reports): build the model first when it is missing or stale."""
    from ..training.train import ensure_model

    ensure_model(_model_path(args), log=lambda m: print(m, file=sys.stderr))
    return _load_detector(args)


def cmd_train(args) -> int:
    from ..training import store
    from ..training.train import is_stale, train

    path = _model_path(args)
    if args.if_needed and path.exists():
        try:
            if not is_stale(store.load(path)):
                print(f"model at {path} is up to date")
                return 0
        except ModelFileError as exc:
            print(f"rebuilding: {exc}", file=sys.stderr)
    trained = train()
    store.save(trained, path)
    meta = trained.meta
    print(f"trained on {meta['train_rows']} messages ({meta['train_units']} clauses) in {meta['training_seconds']} s")
    print(f"weak negatives: {meta['weak_negative_units']} clauses of real background text at weight "
          f"{meta['weak_negative_weight']}")
    print("thresholds (the higher of dev and real-text calibration): "
          + ", ".join(f"{k} {v:.2f}" for k, v in trained.thresholds.items()))
    print(f"saved to {path}")
    return 0


def _read_text(args) -> str:
    if args.text:
        return " ".join(args.text)
    return sys.stdin.read()


def _analysed(args):
    """(detector, text, analysis) for the draft given on the command line or stdin; None (after saying why) when
    the draft is over the size limit."""
    text = _read_text(args)
    detector = _load_detector(args)
    try:
        return detector, text, detector.analyze(text)
    except TextTooLongError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_check(args) -> int:
    found = _analysed(args)
    if found is None:
        return 2
    detector, _, analysis = found
    if args.json:
        print(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_analysis(analysis, detector.catalogue))
    return 0


def cmd_rewrite(args) -> int:
    from ..rewrite.rewriter import Rewriter

    found = _analysed(args)
    if found is None:
        return 2
    detector, text, analysis = found
    print(format_analysis(analysis, detector.catalogue))
    if analysis.flags:
        print_rewrite(Rewriter(detector).suggest(text, analysis))
    return 0


def cmd_scan(args) -> int:
    from ..parallel import default_jobs

    detector = _load_detector(args) if args.engine == "local" else None  # dask workers load their own
    source = Path(args.input)
    if not source.exists() and not (args.engine == "dask" and "://" in args.input):
        print(f"error: no such file: {source}", file=sys.stderr)
        return 2
    jobs = args.jobs or default_jobs()
    if args.engine == "dask":
        from ..training.store import verify
        from .distributed import DaskUnavailable, dask_scan

        verify(_model_path(args))  # a missing or damaged model is reported here; each worker loads its own copy
        try:
            stats = dask_scan(str(source), args.output, _model_path(args), scheduler=args.scheduler,
                              rewrite=args.rewrite, workers=jobs)
        except DaskUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    else:
        from .scan import scan

        rewriter = None
        if args.rewrite:
            from ..rewrite.rewriter import Rewriter

            rewriter = Rewriter(detector).whole_message_for
        out = open(args.output, "w", encoding="utf-8") if args.output != "-" else sys.stdout
        try:
            stats = scan(detector, source, out, progress=args.progress, rewriter=rewriter, jobs=jobs)
        finally:
            if out is not sys.stdout:
                out.close()
    print(f"scanned {stats['messages']:,} messages in {stats['seconds']:.1f} s ({stats['per_second']:,.0f}/s) with "
          f"{stats['jobs']} {'worker' if stats['jobs'] == 1 else 'workers'}; {stats['bad_lines']} bad line(s) skipped",
          file=sys.stderr)
    return 0


def cmd_thread(args) -> int:
    from ..parallel import default_jobs
    from .thread import run_thread

    return run_thread(_load_detector(args), args.export, args.person, args.json, args.progress,
                      jobs=args.jobs or default_jobs())


def cmd_rewrite_report(args) -> int:
    from ..evaluation.rewrites import rewrite_report

    figures = rewrite_report(Path(args.reports), detector=_built_detector(args))
    print(f"offered suggestions unflagged: {figures['offered_unflagged_pct']}%; unflagged sentences verbatim: "
          f"{figures['unflagged_sentences_verbatim_pct']}%; details carried: {figures['details_that_fit_carried_pct']}%; "
          f"drafts with identical alternatives: {figures['drafts_with_identical_alternatives_pct']}%")
    print(f"wrote {Path(args.reports) / 'rewrites.md'} and rewrites.json")
    return 0


def cmd_evaluate(args) -> int:
    from ..evaluation.report import run_evaluation

    return run_evaluation(Path(args.reports), external=not args.no_external,
                          ab_path=Path(args.ab) if args.ab else None, detector=_built_detector(args))


def cmd_ab(args) -> int:
    from ..evaluation.ab import run_ab

    return run_ab(Path(args.reports))


def cmd_tool(args) -> int:
    """The data tools keep their own argument parsers: `data`, `background` and `active` hand over the rest."""
    from importlib import import_module

    module = {"data": "validate", "background": "background", "active": "active"}[args.command]
    return import_module(f"..training.{module}", __package__).main(args.rest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sincerely", description="Sincerely: check a draft for manipulative patterns.")
    parser.add_argument("--model", help=f"model file (default {MODEL_PATH})")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="build the model from data/ (deterministic)")
    p.add_argument("--if-needed", action="store_true", help="only when the model is missing, stale or unreadable")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="write reports/metrics.{json,md} and plots for the test split")
    p.add_argument("--reports", default="reports", help="output folder (default reports/)")
    p.add_argument("--no-external", action="store_true", help="skip the external data in ../shared/external")
    p.add_argument("--ab", help="fold in an A/B results file written by `ab` (e.g. reports/ab.json)")
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
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: every core); output order is kept")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="'dask' runs on a dask.distributed cluster (pip install -r requirements-dask.txt)")
    p.add_argument("--scheduler", help="with --engine dask: the scheduler address (default: a LocalCluster here)")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("thread", help="look at a whole chat export (WhatsApp .txt/.zip, Telegram result.json, a pasted "
                                      "thread): figures per person and every flagged message")
    p.add_argument("export", help="the export file, or - for a thread pasted on stdin")
    p.add_argument("--person", help="only this person's messages and figures")
    p.add_argument("--json", action="store_true", help="per-message flags and per-person figures as JSON")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: on for long chats in a terminal)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes for long chats (default: every core)")
    p.set_defaults(func=cmd_thread)

    p = sub.add_parser("ab", help="compare feature sets (dev, robustness set, SMS ham, latency) into reports/ab.json")
    p.add_argument("--reports", default="reports", help="output folder (default reports/)")
    p.set_defaults(func=cmd_ab)

    for name, what in (("data", "corpus tools: validate, card, export-catalogue"),
                       ("background", "real background text: import"), ("active", "active learning: next, summary")):
        p = sub.add_parser(name, help=what, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=cmd_tool)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ModelFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `... | head`: the reader left; say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


