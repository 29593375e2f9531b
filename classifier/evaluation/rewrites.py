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
from ..rewrite.relationship import adds_romance
from ..rewrite.rewriter import Rewriter
from ..rewrite.slots import PLACEHOLDER_RE, count_placeholders
from ..rewrite.types import Found
from ..rewrite.words import BAIT_PATTERNS, HEDGE_ONLY_RE
from ..text.patterns import SENTENCE_BREAK_RE, WORD_RE
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
    send_ready: list[tuple] = []
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
        send_ready.append((row, analysis, result, (time.perf_counter() - started) * 1000))
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
        **targets(detector, rewriter, send_ready),
    }
    chosen = random.Random(seed).sample(records, min(samples, len(records)))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "rewrites.json").write_text(json.dumps({"figures": figures, "samples": chosen}, ensure_ascii=False,
                                                      indent=2), encoding="utf-8")
    (out_dir / "rewrites.md").write_text(_report_md(figures, chosen), encoding="utf-8")
    return figures


WINK_OR_TAG = re.compile(r"[😉😏😜😘🙃😌😈😇👀🤷🤭😬🙂💅]")
SIGN_OFF_RE = re.compile(r"(?:^|\s)(x{1,4}|love you|cheers|ta|thanks|thank you|night|nite)\s*[.!]*\s*$", re.I)
NUMBER_RE = re.compile(r"(?<![A-Za-z])\d+(?:[:.]\d+)?")  # "gr8" is a word, "50k" and "6th" carry a number


def _three_grams(text: str) -> set[tuple[str, ...]]:
    words = WORD_RE.findall(text.lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def targets(detector: Detector, rewriter: Rewriter, drafts: list[tuple]) -> dict:
    """The issue-14 targets over (row, analysis, result, ms) of every flagged draft: what a person would send."""
    wholes = [(row, a, r) for row, a, r, _ in drafts if r.whole_message]
    offered = [t for _, _, r, _ in drafts for t in [x.text for s in r.suggestions for x in s.alternatives]
               + ([r.whole_message] if r.whole_message else [])]
    kept = kept_of = emoji = emoji_of = 0
    romance = romance_of = shared = shared_of = placeholders = 0
    inserted: Counter = Counter()
    for row, a, r in wholes:
        text, whole = row["text"], r.whole_message
        found = [f for f in rewriter.finder.find(a) if f.kind in ("name", "day", "time")]
        wanted = [f.text for f in found if not any(f.start < fl.end and f.end > fl.start for fl in a.flags)]
        wanted += [m.group(0) for m in NUMBER_RE.finditer(text) if m.group(0) not in " ".join(f.text for f in found)
                   and not any(m.start() < fl.end and m.end() > fl.start for fl in a.flags)]
        kept_of += len(wanted)
        kept += sum(w in whole if w[:1].isdigit() else _detail_present(Found("name", 0, 0, w), [whole]) for w in wanted)
        marks = [m.group(0) for m in re.finditer(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]", text)  # not the tactic's own
                 if not WINK_OR_TAG.match(m.group(0)) and not any(fl.start <= m.start() < fl.end for fl in a.flags)]
        sign_off = SIGN_OFF_RE.search(text)
        emoji_of += len(marks) + bool(sign_off)
        emoji += sum(m in whole for m in marks) + bool(sign_off and sign_off.group(1).lower() in whole.lower())
        if row["context"] in ("family", "friend", "work"):
            romance_of += 1
            romance += adds_romance(whole, text) or any(adds_romance(x.text, text) for s in r.suggestions
                                                        for x in s.alternatives)
        if len(a.sentences) >= 2:
            shared_of += 1
            shared += bool(_three_grams(text) & _three_grams(whole))
        placeholders += bool(PLACEHOLDER_RE.search(whole))
        own = {s.strip().lower() for s in SENTENCE_BREAK_RE.split(text) if s.strip()}
        inserted.update({s.strip().lower() for s in SENTENCE_BREAK_RE.split(whole) if s.strip()} - own)
    clean = sum(detector.are_clean(offered)) if offered else 0
    counts = Counter(r.whole_message for _, _, r in wholes)
    recheck = [ms + 0.0 for _, _, _, ms in drafts]

    def pct(a: float, b: float) -> float:
        return round(100.0 * a / b, 1) if b else 100.0

    top_insert, top_count = (inserted.most_common(1) or [("", 0)])[0]
    return {
        "rescanned_clean_pct": pct(clean, len(offered)),
        "draft_details_and_numbers_kept_pct": pct(kept, kept_of), "draft_details_and_numbers": kept_of,
        "romance_added_to_family_friend_work": romance, "family_friend_work_drafts": romance_of,
        "whole_identical_across_drafts_pct": pct(sum(c for c in counts.values() if c > 1), len(wholes)),
        "most_inserted_sentence_pct": pct(top_count, len(wholes)), "most_inserted_sentence": top_insert,
        "multi_sentence_sharing_3gram_pct": pct(shared, shared_of), "multi_sentence_drafts": shared_of,
        "emoji_and_signoffs_kept_pct": pct(emoji, emoji_of), "emoji_and_signoffs": emoji_of,
        "whole_with_placeholder": placeholders, "whole_messages": len(wholes),
        "rewrite_ms_p50": round(float(np.percentile(recheck, 50)), 1) if recheck else 0.0,
    }


def _next_to_flag(analysis: Analysis, s: int, e: int) -> bool:
    text = analysis.text
    return any(not text[f.end:s].strip() or not text[e:f.start].strip() for f in analysis.flags)


def _sentences_of(analysis: Analysis, flag: Flag) -> tuple[int, int]:
    touching = [(s, e) for s, e in analysis.sentences if s < flag.end and e > flag.start]
    if not touching:
        return flag.start, flag.end
    return min(touching[0][0], flag.start), max(touching[-1][1], flag.end)


def _target_rows(f: dict, rated: dict) -> list[str]:
    def ok(met: bool) -> str:
        return "met" if met else "**missed**"

    after = rated.get("after", {}).get("all")
    before = rated.get("before", {}).get("all")
    rows = [
        ("rewrites re-scanned clean (every alternative and whole message)", f"{f['rescanned_clean_pct']}%", "100%",
         f["rescanned_clean_pct"] == 100.0),
        ("unflagged sentences kept verbatim", f"{f['unflagged_sentences_verbatim_pct']}%", ">= 95%",
         f["unflagged_sentences_verbatim_pct"] >= 95.0),
        ("names, days, times, numbers of the draft (outside the flagged words) kept",
         f"{f['draft_details_and_numbers_kept_pct']}% of {f['draft_details_and_numbers']}", ">= 95%",
         f["draft_details_and_numbers_kept_pct"] >= 95.0),
        ("family/friend/work drafts given romantic wording they lacked",
         f"{f['romance_added_to_family_friend_work']} of {f['family_friend_work_drafts']}", "0",
         f["romance_added_to_family_friend_work"] == 0),
        ("whole-message rewrites identical across different drafts", f"{f['whole_identical_across_drafts_pct']}%", "< 5%",
         f["whole_identical_across_drafts_pct"] < 5.0),
        (f"most frequent inserted sentence (\"{f['most_inserted_sentence']}\")", f"{f['most_inserted_sentence_pct']}%",
         "<= 3%", f["most_inserted_sentence_pct"] <= 3.0),
        ("drafts of 2+ sentences whose rewrite shares a 3-word run with the draft",
         f"{f['multi_sentence_sharing_3gram_pct']}% of {f['multi_sentence_drafts']}", ">= 90%",
         f["multi_sentence_sharing_3gram_pct"] >= 90.0),
        ("emoji (not the tactic's own) and sign-offs kept", f"{f['emoji_and_signoffs_kept_pct']}% of "
         f"{f['emoji_and_signoffs']}", ">= 95%", f["emoji_and_signoffs_kept_pct"] >= 95.0),
        ("placeholders like [day and time] left in a whole-message rewrite", str(f["whole_with_placeholder"]), "0",
         f["whole_with_placeholder"] == 0),
        ("rewrite of a flagged draft, p50 (analyze not included; see reports/bench.json for the app re-check)",
         f"{f['rewrite_ms_p50']} ms", "<= 50 ms", f["rewrite_ms_p50"] <= 50.0),
    ]
    if after:
        for score in ("fit", "keeps", "sincere", "natural"):
            rows.append((f"rated {score} (mean, 1-5)", f"{after[score]} (before: {before[score] if before else '-'})",
                         ">= 4.0", after[score] >= 4.0))
        rows.append(("rated \"would send\"", f"{after['would_send_pct']}% (before: "
                     f"{before['would_send_pct'] if before else '-'}%)", ">= 70%", after["would_send_pct"] >= 70.0))
    return [f"| {name} | {value} | {target} | {ok(met)} |" for name, value, target, met in rows]


def _ratings_md(rated: dict) -> list[str]:
    from .ratings import RUBRIC, SCORES

    if not rated:
        return []
    lines = ["", "## Rated evaluation", "",
             "120 test-split drafts that the detector flags (15 per pattern, relationships taken in turn: "
             "`python -m classifier.evaluation.ratings sheet NAME`), each whole-message rewrite scored by a reader. "
             "\"before\" is the engine before issue 14, \"after\" the current one, on the same drafts; \"first_pass\" "
             "is the current engine before its last fixes (10 of the 120 rewrites changed, and those 10 were re-read "
             "for \"after\"). Each sheet was read item by item by a separate reviewer who saw only that sheet; the "
             "per-item scores and notes are in `reports/ratings/*.rated.jsonl`.", "",
             "What the readers found most often, in both sheets: stock lines that contradict what the draft keeps "
             "(\"this has fizzled\" next to \"I'd like to know where we stand\"); the tactic surviving in sentences "
             "the detector did not flag, so only part of it goes; leftover fragments where a clause was cut; and a "
             "request that disappears when a catalogue line replaces its sentence. The per-pattern edits (ultimatum "
             "deadlines, \"you couldn't even...\", \"you're being dramatic\") and dropping bait scored best.", "",
             "Rubric:", "", RUBRIC, "| sheet | group | n | " + " | ".join(SCORES) + " | would send |",
             "|---|---|---|" + "---|" * len(SCORES) + "---|"]
    for name, groups in rated.items():
        for group, fig in groups.items():
            lines.append(f"| {name} | {group} | {fig['n']} | " + " | ".join(str(fig[s]) for s in SCORES)
                         + f" | {fig['would_send_pct']}% |")
    return lines


def _report_md(figures: dict, samples: list[dict]) -> str:
    from .ratings import rated_summaries

    f = figures
    rated = rated_summaries()
    lines = [
        "# Sincere rewordings: report",
        "",
        f"Over the {f['positives']} positives of the {f['split']} split; the current model flags "
        f"{f['flagged_by_current_model']} of them (the {f['not_flagged']} it misses get no suggestion).",
        "",
        "## Targets (issue 14)",
        "",
        "| figure | value | target | |",
        "|---|---|---|---|",
        *_target_rows(f, rated),
        *_ratings_md(rated),
        "",
        "## Engine figures",
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
