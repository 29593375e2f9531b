"""The rewrites report: how the rewriter does over the positives of a split (reports/rewrites.{md,json})."""
from __future__ import annotations

import json
import random
import re
import statistics
import time
from collections import Counter
from pathlib import Path

import numpy as np

from ..detect.detector import Analysis, Detector, Flag
from ..paths import REPORTS_DIR
from ..rewrite.rewriter import Rewriter
from ..rewrite.slots import count_placeholders
from ..rewrite.types import Found
from ..rewrite.words import BAIT_PATTERNS, HEDGE_ONLY_RE
from ..text.patterns import WORD_RE
from ..text.pipeline import norm_of
from ..training.corpus import load_rows


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _detail_present(detail: Found, texts: list[str]) -> bool:
    """A detail reappears when its words (slang folded: tmrw = tomorrow) are in one of the texts."""
    want = [norm_of(w) for w in WORD_RE.findall(detail.text.lower())]
    for t in texts:
        have = " ".join(norm_of(w) for w in WORD_RE.findall(t.lower()))
        if re.search(r"\b" + re.escape(" ".join(want)) + r"\b", have):
            return True
    return False


def rewrite_report(out_dir: Path = REPORTS_DIR, samples: int = 25, seed: int = 7,
                   detector: Detector | None = None, split: str = "test") -> dict:
    """Measure the engine over every positive of a split (test by default); write rewrites.{md,json} in out_dir."""
    detector = detector or Detector.load()
    rewriter = Rewriter(detector)
    rows = [r for r in load_rows() if r["split"] == split and r["kind"] == "positive"]
    offered = clean_offered = 0
    kept_total = kept_verbatim = hedge_dropped = 0
    details_total = details_carried = fit_total = fit_carried = 0
    placeholder_max = 0
    fewer_than_two = no_whole = unflagged = 0
    timings, records = [], []
    alt_keys: list[tuple] = []
    for row in rows:
        text = row["text"]
        analysis = detector.analyze(text)
        if not analysis.flags:
            unflagged += 1
            continue
        started = time.perf_counter()
        result = rewriter.suggest(text, analysis)
        timings.append((time.perf_counter() - started) * 1000)
        texts = [a.text for s in result.suggestions for a in s.alternatives]
        texts += [result.whole_message] if result.whole_message else []
        offered += len(texts)
        clean_offered += sum(detector.analyze(t).is_clean for t in texts)
        fewer_than_two += sum(len(s.alternatives) < 2 for s in result.suggestions)
        placeholder_max = max([placeholder_max] + [sum(count_placeholders(a.text) for a in s.alternatives)
                                                   for s in result.suggestions] + [count_placeholders(t) for t in texts])
        flagged_spans = [(f.start, f.end) for f in analysis.flags]
        if result.whole_message is None:
            no_whole += 1
        else:
            for s, e in analysis.sentences:
                if any(_overlaps((s, e), f) for f in flagged_spans):
                    continue
                if HEDGE_ONLY_RE.match(text[s:e]) and _next_to_flag(analysis, s, e):
                    hedge_dropped += 1
                    continue
                kept_total += 1
                kept_verbatim += text[s:e] in result.whole_message
        found = rewriter.finder.find(analysis)
        for sug in result.suggestions:
            span = _sentences_of(analysis, sug.flag)
            mine = [a.text for a in sug.alternatives] + ([result.whole_message] if result.whole_message else [])
            for d in found:
                if d.kind not in ("name", "day", "time") or not (span[0] <= d.start and d.end <= span[1]):
                    continue
                carried = _detail_present(d, mine)
                details_total += 1
                details_carried += carried
                bait = sug.flag.pattern in BAIT_PATTERNS and d.start < sug.flag.end and d.end > sug.flag.start
                if not d.past and not bait:  # fits: a day/time one could offer, not a past event or the bait itself
                    fit_total += 1
                    fit_carried += carried
        alt_keys.append(tuple(a.text for s in result.suggestions for a in s.alternatives))
        records.append({"id": row["id"], "before": text, "after": result.whole_message,
                        "patterns": analysis.patterns})
    key_counts = Counter(alt_keys)
    canned = sum(1 for k in alt_keys if key_counts[k] > 1)
    whole_counts = Counter(r["after"] for r in records if r["after"])
    canned_whole = sum(1 for r in records if r["after"] and whole_counts[r["after"]] > 1)
    alt_texts = Counter(a for k in alt_keys for a in k)

    def pct(a: float, b: float) -> float:
        return round(100.0 * a / b, 1) if b else 100.0

    figures = {
        "split": split, "positives": len(rows), "flagged_by_current_model": len(records), "not_flagged": unflagged,
        "offered_suggestions": offered, "offered_unflagged_pct": pct(clean_offered, offered),
        "unflagged_sentences": kept_total, "unflagged_sentences_verbatim_pct": pct(kept_verbatim, kept_total),
        "hedge_only_sentences_dropped": hedge_dropped,
        "details_in_flagged_sentences": details_total, "details_carried_pct": pct(details_carried, details_total),
        "details_that_fit": fit_total, "details_that_fit_carried_pct": pct(fit_carried, fit_total),
        "drafts_with_identical_alternatives_pct": pct(canned, len(alt_keys)),
        "drafts_with_identical_whole_message_pct": pct(canned_whole, len(records)),
        "distinct_alternative_texts": len(alt_texts), "alternatives_offered": sum(alt_texts.values()),
        "flags_with_fewer_than_two_alternatives": fewer_than_two, "drafts_without_whole_message": no_whole,
        "max_placeholders_per_suggestion": placeholder_max,
        "ms_per_draft_mean": round(statistics.mean(timings), 1) if timings else 0.0,
        "ms_per_draft_p95": round(float(np.percentile(timings, 95)), 1) if timings else 0.0,
    }
    chosen = random.Random(seed).sample(records, min(samples, len(records)))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "rewrites.json").write_text(json.dumps({"figures": figures, "samples": chosen}, ensure_ascii=False,
                                                      indent=2), encoding="utf-8")
    (out_dir / "rewrites.md").write_text(_report_md(figures, chosen), encoding="utf-8")
    return figures


def _next_to_flag(analysis: Analysis, s: int, e: int) -> bool:
    text = analysis.text
    return any(not text[f.end:s].strip() or not text[e:f.start].strip() for f in analysis.flags)


def _sentences_of(analysis: Analysis, flag: Flag) -> tuple[int, int]:
    touching = [(s, e) for s, e in analysis.sentences if s < flag.end and e > flag.start]
    if not touching:
        return flag.start, flag.end
    return min(touching[0][0], flag.start), max(touching[-1][1], flag.end)


def _report_md(figures: dict, samples: list[dict]) -> str:
    f = figures
    lines = [
        "# Sincere rewordings: report",
        "",
        f"Over the {f['positives']} positives of the {f['split']} split; the current model flags "
        f"{f['flagged_by_current_model']} of them (the {f['not_flagged']} it misses get no suggestion).",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| offered suggestions that the detector leaves unflagged | {f['offered_unflagged_pct']}% of "
        f"{f['offered_suggestions']} | 100% |",
        f"| unflagged sentences kept verbatim in the whole message | {f['unflagged_sentences_verbatim_pct']}% of "
        f"{f['unflagged_sentences']} | 100% |",
        f"| details (names, days, times) in a flagged sentence carried into its suggestions, where they fit | "
        f"{f['details_that_fit_carried_pct']}% of {f['details_that_fit']} | >= 90% |",
        f"| the same, counting past-tense days too | {f['details_carried_pct']}% of {f['details_in_flagged_sentences']} | |",
        f"| drafts whose alternatives are identical to another draft's | {f['drafts_with_identical_alternatives_pct']}% "
        f"| < 20% |",
        f"| drafts whose whole-message rewrite is identical to another draft's | "
        f"{f['drafts_with_identical_whole_message_pct']}% | < 20% |",
        f"| distinct alternative texts / alternatives offered | {f['distinct_alternative_texts']} / "
        f"{f['alternatives_offered']} | |",
        f"| flags with fewer than two alternatives | {f['flags_with_fewer_than_two_alternatives']} | 0 |",
        f"| drafts with no clean whole-message rewrite | {f['drafts_without_whole_message']} | |",
        f"| most placeholders in one suggestion | {f['max_placeholders_per_suggestion']} | <= 2 |",
        f"| time per draft (mean / p95) | {f['ms_per_draft_mean']} / {f['ms_per_draft_p95']} ms | < 100 ms |",
        "",
        "How the figures are counted:",
        "",
        "- Offered suggestions: every alternative and every whole-message rewrite, each re-checked with "
        "`Detector.analyze`.",
        f"- Verbatim: sentences that overlap no flag. Hedge-only sentences right next to a flag (\"lol jk\", "
        f"\"we'll see\", a wink) are dropped as the tactic's tail ({f['hedge_only_sentences_dropped']} here) and not "
        "counted.",
        "- Details: names of the person addressed, days and times found (spaCy Matcher) in the sentence(s) of a flag; "
        "carried when they reappear in one of that flag's alternatives or in the whole message (slang folded, tmrw = "
        "tomorrow). They \"fit\" unless they describe something past or habitual (last night, every night) or are the "
        "bait itself (the day of someone else's date inside a jealousy-bait phrase).",
        "- Identical alternatives: the tuple of all alternative texts of a draft equals another draft's. Single-flag "
        "drafts with no usable detail draw from the same few catalogue lines per tone, so this is the strict figure; "
        "the whole-message figure counts drafts whose rewritten message equals another draft's.",
        "- Time: `Rewriter.suggest` per draft, warm, including its batched self-check with the detector.",
        "",
        f"## {len(samples)} random before/after samples (seeded)",
        "",
    ]
    for s in samples:
        lines.append(f"- before: {s['before']}")
        lines.append(f"  after: {s['after'] if s['after'] else '(no clean whole-message rewrite)'}")
    return "\n".join(lines) + "\n"
