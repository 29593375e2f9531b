"""The corpus validator: schema, labels, quotas, balance and style rules, each check printed with its figure.

Run `python -m classifier data validate` to check the corpus and print its summary.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalogue import PATTERN_IDS
from ..errors import CorpusError
from ..paths import DATA_DIR
from ..text.patterns import EMOJI_RE
from .corpus import (
    CATALOGUE_ROWS,
    CONTEXTS,
    FIELDS,
    KINDS,
    SOURCES,
    SPLITS,
    export_catalogue_rows,
    load_rows,
    read_jsonl,
    sentences,
    trigrams,
    words,
)

RULES_PATH = DATA_DIR / "rules.yaml"

# Thresholds from the corpus issue: every one is checked and printed in the summary.
MIN_ROWS = 4000
MIN_POSITIVES_PER_PATTERN = 250
MIN_DUAL_SHARE = 0.10
MIN_HARD_NEGATIVES = 1200
MIN_HARD_NEGATIVES_PER_PATTERN = 120
MIN_NEUTRAL = 800
MIN_LOWERCASE_SHARE = 0.30
MIN_EMOJI_SHARE = 0.20
MIN_SLANG_SHARE = 0.20
MIN_MULTI_SENTENCE_POSITIVE_SHARE = 0.35
MAX_TOP_TRIGRAM_SHARE = 0.08
MAX_JACCARD = 0.6
MIN_TEST_SHARE = 0.15
MAX_TEMPLATE_TRAIN_SHARE = 0.15

# Corpus v2 kinds written by hand where real text is missing, with their quotas: (kinds counted, minimum rows).
V2_QUOTAS = {
    "or_choice": (("neutral",), 400),          # "or" in choices, lists and plans; sentence-initial "Or..."
    "third_party": (("neutral",), 350),        # narration and gossip about other people
    "signoff": (("neutral",), 350),            # sign-offs, greetings, kisses, birthday wishes
    "if_you_plain": (("neutral",), 300),       # "if you" invitations and deadlines without a threat
    "youre_compliment": (("neutral",), 300),   # compliments and teasing with "you're"
    "angry_sad_sincere": (("hard_negative",), 300),  # sincere anger or sadness, swearing included
    "sms_speak": (("neutral", "hard_negative"), 400),  # SMS-speak and varied Englishes (plus positives, below)
    "fragment": (("neutral",), 300),           # 4 words or fewer, forwarded messages, flirty banter
    "off_frame": (("positive",), 0),           # positives that avoid their pattern's stock frame (per pattern, below)
}
V2_TAGS = tuple(V2_QUOTAS)
MIN_SMS_SPEAK_POSITIVES_PER_PATTERN = 30
MIN_OFF_FRAME_PER_PATTERN = 40

SLANG_RE = re.compile(
    r"\b(idk|tbh|ngl|lol|lmao|rn|u|ur|omg|btw|fr|imo|wyd|hbu|tho|gonna|wanna|pls|plz|bc|cuz|tmrw|smh|af|lowkey|lmk|nvm|ily|jk|ikr|ofc|bf|gf)\b",
    re.I,
)
TYPO_RE = re.compile(
    r"\b(teh|definately|recieve|dont|im|wont|cant|didnt|doesnt|isnt|wasnt|alot|thier|wierd|untill|seperate|tommorow|tomorow|becuase|realy|goin|sry|ive|youre|thats|whats)\b",
    re.I,
)
BRITISH_RE = re.compile(
    r"\b(mum|colour|favourite|realise[ds]?|mate|knackered|cheers|honour|apologise[ds]?|organise[ds]?|flat|whilst|innit|proper|fortnight|quid|brilliant|cuppa|bloody|reckon|centre|theatre)\b",
    re.I,
)


@dataclass
class Report:
    """Validator outcome: errors (each naming a row) and the summary figures."""

    errors: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    partial: bool = False

    @property
    def ok(self) -> bool:
        """No row errors, and (for the whole corpus) every figure met; a partial check reports figures only."""
        return not self.errors and (self.partial or all(passed for _, passed, _ in self.checks))

    def check(self, name: str, passed: bool, detail: str) -> None:
        self.checks.append((name, passed, detail))

    def summary(self) -> str:
        lines = [f"corpus: {self.figures.get('rows', 0)} rows"]
        for name, passed, detail in self.checks:
            lines.append(f"  [{'ok' if passed else 'FAIL'}] {name}: {detail}")
        if self.errors:
            lines.append(f"{len(self.errors)} row errors:")
            lines += [f"  {e}" for e in self.errors[:50]]
            if len(self.errors) > 50:
                lines.append(f"  ... and {len(self.errors) - 50} more")
        return "\n".join(lines)


# --- validation -----------------------------------------------------------------------------


def validate_row(row: Any) -> list[str]:
    """Schema and label errors of one row, each naming the row."""
    if not isinstance(row, dict):
        return ["row is not a JSON object"]
    rid = row.get("id", "?")
    errors = []
    missing = [f for f in FIELDS if f not in row]
    if missing:
        return [f"row {rid}: missing field(s) {', '.join(missing)}"]
    if not isinstance(row["text"], str) or not row["text"].strip():
        errors.append(f"row {rid}: empty text")
    if row["kind"] not in KINDS:
        errors.append(f"row {rid}: kind {row['kind']!r} not in {KINDS}")
    if row["context"] not in CONTEXTS:
        errors.append(f"row {rid}: context {row['context']!r} not in {CONTEXTS}")
    if row["split"] not in SPLITS:
        errors.append(f"row {rid}: split {row['split']!r} not in {SPLITS}")
    if row["source"] not in SOURCES:
        errors.append(f"row {rid}: source {row['source']!r} not in {SOURCES}")
    tags = row.get("tags", [])
    if not isinstance(tags, list) or any(t not in V2_TAGS for t in tags):
        errors.append(f"row {rid}: tags {tags!r} must be a list of {V2_TAGS}")
    if not isinstance(row["group"], str) or not row["group"]:
        errors.append(f"row {rid}: empty group")
    patterns, phrases = row["patterns"], row["phrases"]
    if not isinstance(patterns, list) or not isinstance(phrases, dict):
        return errors + [f"row {rid}: patterns must be a list and phrases a mapping"]
    unknown = [p for p in patterns if p not in PATTERN_IDS]
    if unknown:
        errors.append(f"row {rid}: unknown pattern id(s) {', '.join(map(str, unknown))}")
    if row["kind"] == "positive":
        if not patterns:
            errors.append(f"row {rid}: positive row without patterns")
        if set(phrases) != set(patterns):
            errors.append(f"row {rid}: phrases keys {sorted(phrases)} differ from patterns {sorted(patterns)}")
        if not isinstance(row["rewrite"], str) or not row["rewrite"].strip():
            errors.append(f"row {rid}: positive row without a rewrite")
    elif patterns or phrases:
        errors.append(f"row {rid}: {row['kind']} row must have no patterns or phrases")
    if row["kind"] == "hard_negative" and row["look_alike_of"] not in PATTERN_IDS:
        errors.append(f"row {rid}: hard_negative needs look_alike_of set to a pattern id")
    for pid, items in phrases.items():
        if not isinstance(items, list) or not items:
            errors.append(f"row {rid}: no phrase listed for {pid}")
            continue
        for phrase in items:
            if not isinstance(phrase, str) or not phrase.strip() or phrase not in row["text"]:
                errors.append(f"row {rid}: phrase {phrase!r} for {pid} is not an exact substring of the text")
    return errors


def near_duplicates(rows: list[dict[str, Any]], limit: float = MAX_JACCARD) -> list[tuple[str, str, float]]:
    """Pairs of row ids whose word-trigram Jaccard similarity exceeds the limit."""
    grams = [trigrams(r["text"]) for r in rows]
    index: dict[tuple[str, ...], list[int]] = collections.defaultdict(list)
    for i, g in enumerate(grams):
        for t in g:
            index[t].append(i)
    pairs = []
    for i, g in enumerate(grams):
        shared = collections.Counter(j for t in g for j in index[t] if j > i)
        for j, count in shared.items():
            jaccard = count / len(g | grams[j])
            if jaccard > limit:
                pairs.append((rows[i]["id"], rows[j]["id"], round(jaccard, 3)))
    return pairs


def _share(rows: list[dict[str, Any]], predicate) -> float:
    return sum(1 for r in rows if predicate(r)) / len(rows) if rows else 0.0


def style_figures(rows: list[dict[str, Any]]) -> dict[str, float]:
    texts = [r["text"] for r in rows]
    return {
        "lowercase": _share(rows, lambda r: r["text"] == r["text"].lower()),
        "emoji": _share(rows, lambda r: bool(EMOJI_RE.search(r["text"]))),
        "slang": _share(rows, lambda r: bool(SLANG_RE.search(r["text"]))),
        "typos": _share(rows, lambda r: bool(TYPO_RE.search(r["text"]))),
        "british": _share(rows, lambda r: bool(BRITISH_RE.search(r["text"]))),
        "min_words": min((len(words(t)) for t in texts), default=0),
        "max_sentences": max((len(sentences(t)) for t in texts), default=0),
    }


def is_partial_multi_sentence(row: dict[str, Any]) -> bool:
    """A multi-sentence positive where the phrases cover only part of the text."""
    covered = sum(len(p) for items in row["phrases"].values() for p in items)
    return len(sentences(row["text"])) > 1 and covered < 0.8 * len(row["text"])


def top_trigram_shares(positives: list[dict[str, Any]], n: int = 5) -> list[tuple[str, float]]:
    df = collections.Counter(t for r in positives for t in trigrams(r["text"]) if len(t) == 3)
    return [(" ".join(t), c / len(positives)) for t, c in df.most_common(n)]


def validate(rows: list[dict[str, Any]], partial: bool = False) -> Report:
    """Check every rule of the corpus; `partial` (a subset of files) fails on row errors only."""
    report = Report(partial=partial)
    for row in rows:
        report.errors.extend(validate_row(row))
    if report.errors:
        report.figures["rows"] = len(rows)
        return report
    ids = collections.Counter(r["id"] for r in rows)
    report.errors += [f"row {rid}: duplicate id" for rid, c in ids.items() if c > 1]
    group_splits: dict[str, set[str]] = collections.defaultdict(set)
    for r in rows:
        group_splits[r["group"]].add(r["split"])
    report.errors += [
        f"group {g}: spans splits {', '.join(sorted(s))} (a group must stay in one split)"
        for g, s in group_splits.items() if len(s) > 1
    ]
    for a, b, jac in near_duplicates(rows):
        report.errors.append(f"row {a} and row {b}: near-duplicates (trigram Jaccard {jac:.2f} > {MAX_JACCARD})")
    for r in rows:
        if r["source"] == "template" and r["split"] != "train":
            report.errors.append(f"row {r['id']}: template rows belong in train only")

    positives = [r for r in rows if r["kind"] == "positive"]
    hard = [r for r in rows if r["kind"] == "hard_negative"]
    neutral = [r for r in rows if r["kind"] == "neutral"]
    train = [r for r in rows if r["split"] == "train"]
    per_pattern = {p: sum(1 for r in positives if p in r["patterns"]) for p in PATTERN_IDS}
    hard_per_pattern = {p: sum(1 for r in hard if r["look_alike_of"] == p) for p in PATTERN_IDS}
    dual = _share(positives, lambda r: len(r["patterns"]) > 1)
    style = style_figures(rows)
    multi = _share(positives, is_partial_multi_sentence)
    split_share = {s: _share(rows, lambda r, s=s: r["split"] == s) for s in SPLITS}
    template_share = _share(train, lambda r: r["source"] == "template")
    report.figures.update(
        rows=len(rows), positives=len(positives), hard_negatives=len(hard), neutral=len(neutral),
        per_pattern=per_pattern, hard_per_pattern=hard_per_pattern, dual_share=dual, style=style,
        multi_sentence_partial=multi, split_share=split_share, template_share=template_share,
        sources=dict(collections.Counter(r["source"] for r in rows).most_common()),
    )
    pct = lambda x: f"{100 * x:.1f}%"  # noqa: E731
    if not partial:
        report.check("rows", len(rows) >= MIN_ROWS, f"{len(rows)} (>= {MIN_ROWS})")
        low = min(per_pattern.values()) if per_pattern else 0
        report.check("positives per pattern", low >= MIN_POSITIVES_PER_PATTERN,
                     ", ".join(f"{p} {n}" for p, n in per_pattern.items()) + f" (each >= {MIN_POSITIVES_PER_PATTERN})")
        report.check("two-pattern positives", dual >= MIN_DUAL_SHARE, f"{pct(dual)} (>= {pct(MIN_DUAL_SHARE)})")
        report.check("hard negatives", len(hard) >= MIN_HARD_NEGATIVES, f"{len(hard)} (>= {MIN_HARD_NEGATIVES})")
        low_hard = min(hard_per_pattern.values()) if hard_per_pattern else 0
        report.check("hard negatives per pattern", low_hard >= MIN_HARD_NEGATIVES_PER_PATTERN,
                     ", ".join(f"{p} {n}" for p, n in hard_per_pattern.items()) + f" (each >= {MIN_HARD_NEGATIVES_PER_PATTERN})")
        report.check("neutral", len(neutral) >= MIN_NEUTRAL, f"{len(neutral)} (>= {MIN_NEUTRAL})")
        report.check("test split", split_share["test"] >= MIN_TEST_SHARE,
                     f"train {pct(split_share['train'])}, dev {pct(split_share['dev'])}, test {pct(split_share['test'])} (test >= {pct(MIN_TEST_SHARE)})")
    report.check("all-lowercase rows", style["lowercase"] >= MIN_LOWERCASE_SHARE, f"{pct(style['lowercase'])} (>= {pct(MIN_LOWERCASE_SHARE)})")
    report.check("rows with emoji", style["emoji"] >= MIN_EMOJI_SHARE, f"{pct(style['emoji'])} (>= {pct(MIN_EMOJI_SHARE)})")
    report.check("rows with slang/abbreviations", style["slang"] >= MIN_SLANG_SHARE, f"{pct(style['slang'])} (>= {pct(MIN_SLANG_SHARE)})")
    report.check("register mix", style["typos"] > 0 and style["british"] > 0,
                 f"typos {pct(style['typos'])}, British spelling {pct(style['british'])}")
    report.check("lengths", style["min_words"] <= 4 and style["max_sentences"] >= 6,
                 f"shortest {style['min_words']} words, longest {style['max_sentences']} sentences "
                 "(from 4 words or fewer to 6 sentences)")
    if positives:
        report.check("multi-sentence partial positives", multi >= MIN_MULTI_SENTENCE_POSITIVE_SHARE,
                     f"{pct(multi)} (>= {pct(MIN_MULTI_SENTENCE_POSITIVE_SHARE)})")
    worst = []
    for p in PATTERN_IDS:
        pos_p = [r for r in positives if p in r["patterns"]]
        if pos_p:
            worst.append((p, *top_trigram_shares(pos_p, 1)[0]))
    if worst:
        top = max(worst, key=lambda w: w[2])
        report.figures["top_trigram"] = {p: (g, s) for p, g, s in worst}
        report.check("stock phrases", top[2] <= MAX_TOP_TRIGRAM_SHARE,
                     f"most frequent 3-gram per pattern at most {pct(top[2])} ({top[0]}: '{top[1]}') (<= {pct(MAX_TOP_TRIGRAM_SHARE)})")
    report.check("near-duplicates", True, f"none above trigram Jaccard {MAX_JACCARD} (test vs train included)")
    report.check("template rows", template_share <= MAX_TEMPLATE_TRAIN_SHARE,
                 f"{pct(template_share)} of train (<= {pct(MAX_TEMPLATE_TRAIN_SHARE)}), none in dev/test")
    check_v2_quotas(report, rows, partial)
    rules = load_rules()
    check_cue_balance(report, rows, rules)
    check_frames(report, rows, rules)
    return report


def load_rules(path: Path = RULES_PATH) -> dict[str, Any]:
    """The validator's data: shortcut cues and stock frames (data/rules.yaml)."""
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def v2_counts(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows per corpus-v2 tag of the counted kinds, plus per-pattern positives for sms_speak and off_frame."""
    counts = {tag: sum(1 for r in rows if tag in r.get("tags", []) and r["kind"] in kinds)
              for tag, (kinds, _) in V2_QUOTAS.items()}
    for tag in ("sms_speak", "off_frame"):
        counts[f"{tag}_positives"] = {p: sum(1 for r in rows if tag in r.get("tags", []) and p in r["patterns"])
                                      for p in PATTERN_IDS}
    return counts


def check_v2_quotas(report: Report, rows: list[dict[str, Any]], partial: bool) -> None:
    counts = v2_counts(rows)
    report.figures["v2"] = counts
    if partial:
        return
    for tag, (kinds, minimum) in V2_QUOTAS.items():
        if minimum:
            report.check(f"v2 {tag}", counts[tag] >= minimum, f"{counts[tag]} {'/'.join(kinds)} rows (>= {minimum})")
    for tag, minimum in (("sms_speak", MIN_SMS_SPEAK_POSITIVES_PER_PATTERN), ("off_frame", MIN_OFF_FRAME_PER_PATTERN)):
        per = counts[f"{tag}_positives"]
        report.check(f"v2 {tag} positives per pattern", min(per.values()) >= minimum,
                     ", ".join(f"{p} {n}" for p, n in per.items()) + f" (each >= {minimum})")


def cue_balance(rows: list[dict[str, Any]], rules: dict[str, Any]) -> list[dict[str, Any]]:
    """Per cue and pattern: P(pattern | cue), the cue's share in the pattern's positives and in all negatives."""
    negatives = [r for r in rows if r["kind"] != "positive"]
    out = []
    for cue, regex in rules["cues"].items():
        found = re.compile(regex, re.I)
        has = [bool(found.search(r["text"])) for r in rows]
        n_cue = sum(has)
        neg_share = sum(h for r, h in zip(rows, has, strict=True) if r["kind"] != "positive") / max(1, len(negatives))
        for p in PATTERN_IDS:
            pos = [h for r, h in zip(rows, has, strict=True) if p in r["patterns"]]
            if not pos:
                continue
            out.append({"cue": cue, "pattern": p, "rows": n_cue, "conditional": sum(pos) / max(1, n_cue),
                        "base_rate": len(pos) / len(rows), "positive_share": sum(pos) / len(pos),
                        "negative_share": neg_share})
    return out


def check_cue_balance(report: Report, rows: list[dict[str, Any]], rules: dict[str, Any]) -> None:
    limits = rules["cue_balance"]
    broken = []
    for c in cue_balance(rows, rules):
        ceiling = max(limits["max_conditional"], limits["base_rate_factor"] * c["base_rate"])
        if c["rows"] >= limits["min_rows"] and c["conditional"] > ceiling:
            broken.append(f"P({c['pattern']} | '{c['cue']}') {c['conditional']:.2f} > {ceiling:.2f}")
        if c["positive_share"] >= limits["min_positive_share"] and \
                c["positive_share"] > limits["max_lift"] * c["negative_share"]:
            broken.append(f"'{c['cue']}' in {c['positive_share']:.1%} of {c['pattern']} positives > "
                          f"{limits['max_lift']:g} x {c['negative_share']:.1%} of negatives")
    report.figures["cue_balance_broken"] = broken
    report.check("cue balance", not broken, "; ".join(broken) if broken else f"{len(rules['cues'])} cues balanced")


def check_frames(report: Report, rows: list[dict[str, Any]], rules: dict[str, Any]) -> None:
    limit = rules["frames"]["max_share"]
    worst, broken = (0.0, "", ""), []
    for name, regex in rules["frames"]["patterns"].items():
        found = re.compile(regex, re.I)
        for p in PATTERN_IDS:
            pos = [r for r in rows if p in r["patterns"]]
            share = sum(bool(found.search(r["text"])) for r in pos) / max(1, len(pos))
            worst = max(worst, (share, name, p))
            if share > limit:
                broken.append(f"'{name}' in {share:.1%} of {p} positives")
    report.check("stock frames", not broken, "; ".join(broken) if broken else
                 f"largest '{worst[1]}' in {worst[0]:.1%} of {worst[2]} positives (<= {limit:.0%})")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classifier data", description="Corpus tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check the corpus and print its summary (exit 1 on any failure)")
    v.add_argument("files", nargs="*", type=Path, help="jsonl files to check (default: the whole corpus)")
    v.add_argument("--partial", action="store_true", help="skip whole-corpus size and balance rules")
    sub.add_parser("export-catalogue", help="write the catalogue's examples and look-alikes to data/corpus/catalogue.jsonl")
    sub.add_parser("card", help="regenerate the figures block of the data card (data/README.md) from the data")
    args = parser.parse_args(list(argv) if argv is not None else None)
    from .card import CARD_PATH, style_comparison, write_card  # card reads the validator: imported when used

    if args.command == "export-catalogue":
        print(f"wrote {export_catalogue_rows()} rows to {CATALOGUE_ROWS}")
        return 0
    if args.command == "card":
        write_card(load_rows())
        print(f"wrote the figures of {CARD_PATH}")
        return 0
    try:
        rows = [r for f in args.files for r in read_jsonl(f)] if args.files else load_rows()
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = validate(rows, partial=args.partial or bool(args.files))
    print(report.summary())
    if not args.files:
        from .background import load_slice

        style = style_comparison(rows, [c["text"] for c in load_slice("pool")])
        print("style (share of messages): corpus vs real background text")
        for name, value in style["corpus"].items():
            print(f"  {name:22s} {value:6.1%}  {style['background'][name]:6.1%}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
