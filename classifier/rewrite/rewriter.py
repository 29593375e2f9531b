"""The rewriter: sincere alternatives in several tones for every flag, and the whole draft said sincerely.

Offline and deterministic, no generative model. Each flagged phrase gets catalogue lines (per pattern and tone)
filled with details found in the draft (name, day/time, plan), ranked by how close they are to what people
actually wrote instead in the train split (the retrieval index stored with the model), and self-checked with the
detector (`Detector.are_clean`) before being offered.
"""
from __future__ import annotations

import re
from dataclasses import replace

from sklearn.feature_extraction.text import TfidfVectorizer
from spacy.lang.en.stop_words import STOP_WORDS

from ..catalogue import Pattern
from ..detect.detector import Analysis, Detector, Flag
from ..text.patterns import WORD_RE
from .cache import Memo
from .compose import Draft, Region, content_words, main_region, merge_flags, replace_phrase, whole_plans, whole_variants
from .details import DetailFinder
from .rank import (
    MAX_PLACEHOLDERS,
    WEIGHTS,
    dedupe,
    explain,
    rank_candidates,
    specific_words,
    stem,
    stems,
    still_needed,
    within_budget,
)
from .relationship import RELATIONSHIPS, ROMANTIC, adds_romance, best_relationship, is_romantic, romantic_wording
from .retrieve import Retriever
from .slots import SLOT_RE, concrete_question, count_placeholders, fill_line
from .strategies import edits
from .style import styled, tidy, uncap
from .types import TONE_ORDER, Alternative, Candidate, Details, RewriteResult, Suggestion
from .words import FEELING_WORDS, GENERIC_WORDS, HEDGE_ONLY_RE, SEE_RE, VAGUE_PATTERNS, WEEKDAYS, refers_to_unmentioned_event

ROMANCE_CONFIDENCE = 0.9  # a guessed romantic relationship below this share gets no romance the draft lacks
# (the guess is right about romantic-or-not for about 72% of test drafts, so it needs to be sure)

# Which tone reads most naturally inside the whole message, per pattern (the first clean one wins).
WHOLE_TONE_ORDER = {
    "guilt_tripping": ("direct", "warm", "boundary"),
    "ultimatum": ("direct", "warm", "boundary"),
    "gaslighting": ("warm", "direct", "boundary"),
}


class Rewriter:
    """Builds sincere alternatives for every flag and a whole-message rewrite, all checked clean by the detector."""

    def __init__(self, detector: Detector, index: list[dict] | None = None) -> None:
        """`index` defaults to the retrieval index built and stored with the detector's model."""
        self.detector = detector
        self.catalogue: dict[str, Pattern] = detector.catalogue
        self.finder = DetailFinder()
        self.retriever = Retriever(index if index is not None else detector.artefact("retrieval"))
        lines = [line for p in self.catalogue.values() for t in p.tones for line in t.lines]
        self.line_vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.line_vectorizer.fit(lines + [n.segment for n in self.retriever.items])
        self._pattern_lines = {}
        for pid, p in self.catalogue.items():
            own = list(dict.fromkeys(line for t in p.tones for line in t.lines))
            self._pattern_lines[pid] = (own, self.line_vectorizer.transform([SLOT_RE.sub(" ", x) for x in own]))
        self._specific = specific_words(lines)
        self._fixed_days = {line: frozenset(w for w in WORD_RE.findall(SLOT_RE.sub(" ", line).lower())
                                            if w in WEEKDAYS or re.fullmatch(r"\d+(?:am|pm)?", w)) for line in lines}
        self._relevance_cache = Memo(2048)
        self._clean_cache = Memo(100_000)
        self._warm(lines)

    def _warm(self, lines: list[str]) -> None:
        """Check the catalogue lines that need no draft detail once, in both casing styles, so that a draft's own
        check batch holds only what is new to it."""
        plain = Details()
        texts = []
        for line in dict.fromkeys(lines):
            filled = fill_line(line, plain)
            if filled is not None:
                texts += [tidy(styled(filled[0], False)), tidy(styled(filled[0], True)),
                          tidy(styled(filled[0], True, keep_i=True))]
        self._check(texts)

    # -- public API ---------------------------------------------------------------------------------------------

    def relationship(self, text: str) -> str:
        """Who the draft reads as being to: partner, ex, date, friend, family, work or other."""
        return best_relationship(self.detector.relationship_scores(text))

    def suggest(self, text: str, analysis: Analysis, relationship: str | None = None) -> RewriteResult:
        """Alternatives for every flag (>= 2 distinct tones where possible) and the whole message, all clean.

        `relationship` (partner, ex, date, friend, family, work, other) is inferred from the draft when not given;
        romance never enters a rewrite to anyone else."""
        if text != analysis.text:
            raise ValueError("the analysis is of another text: analyse the draft first")
        if relationship is not None and relationship not in RELATIONSHIPS:
            raise ValueError(f"unknown relationship {relationship!r}; expected one of {', '.join(RELATIONSHIPS)}")
        if not analysis.flags:
            return RewriteResult((), None, relationship)
        if relationship is None:
            scores = self.detector.relationship_scores(text)
            relationship = best_relationship(scores)
            # a guess lets romance in only when the draft is romantic itself or the guess is sure of it
            sure = sum(scores[r] for r in ROMANTIC) >= ROMANCE_CONFIDENCE or bool(romantic_wording(text))
            romance_ok = is_romantic(relationship) and sure
        else:
            romance_ok = is_romantic(relationship)
        draft = Draft(analysis, self.finder, romance_ok=romance_ok)
        regions = merge_flags(analysis.flags)
        per_flag = [self._flag_candidates(draft, region.primary) for region in regions]
        options = [self._region_options(draft, region) for region in regions]
        for region, opts in zip(regions, options, strict=True):
            if opts and opts[0].edit == "sentence":  # the edit rewrote the phrase's sentence: it replaces all of it
                region.start, region.end = draft.sentence_span(region.start, region.end)
        depth = len(whole_plans(options, main_region(regions)))
        clean: dict[str, bool] = {}
        whole: str | None = None
        # Check in small batches and widen only where a batch came back flagged: usually one round is enough.
        for per_tone, ks in ((2, range(0, 3)), (4, range(3, 8)), (None, range(8, depth))):
            texts = [c.text for cands in per_flag for c in still_needed(cands, clean, per_tone)]
            variants = [] if whole else whole_variants(draft, regions, options, ks)
            if not texts and not variants:
                break
            clean.update(self._check(texts + variants))
            whole = whole or next((v for v in variants if clean.get(v)), None)
        suggestions = tuple(Suggestion(region.primary, self._pick(region.primary, cands, clean),
                                       tuple(f for f in region.flags if f is not region.primary))
                            for region, cands in zip(regions, per_flag, strict=True))
        return RewriteResult(suggestions, whole, relationship)

    def whole_message_for(self, text: str, analysis: Analysis) -> str | None:
        """Just the whole-message rewrite (None for a clean draft or when no version came out clean)."""
        if not analysis.flags:
            return None
        return self.suggest(text, analysis).whole_message

    def replace_phrase(self, analysis: Analysis, flag: Flag, replacement: str) -> str:
        """The draft with one flag's phrase replaced by a chosen alternative, connectors and casing tidied."""
        return replace_phrase(Draft(analysis, self.finder), flag, replacement)

    # -- per flag -----------------------------------------------------------------------------------------------

    def _flag_candidates(self, draft: Draft, flag: Flag) -> list[Candidate]:
        """Ranked candidates in every tone for one flag, grounded in the flag's sentence."""
        details = draft.details_for(flag.start, flag.end, flag.pattern)
        return self._candidates(flag.pattern, flag.phrase, details, draft)

    def _relevance(self, pattern_id: str, phrase: str, draft: Draft) -> dict[str, float]:
        """Per catalogue line of the pattern: similarity to the phrase and to what the nearest train rewrites said
        instead, minus a cost for situation words (a booking, a cancelled plan) that neither the draft nor those
        rewrites mention."""
        key = (pattern_id, phrase, draft.text)
        found = self._relevance_cache.get(key)
        if found is None:
            neighbours = self.retriever.nearest(pattern_id, phrase)
            segments = " ".join(n.segment for _, n in neighbours)
            intent = self.line_vectorizer.transform([phrase + " " + segments])
            lines, matrix = self._pattern_lines[pattern_id]
            sims = (matrix @ intent.T).toarray().ravel()
            context = stems(draft.text + " " + segments)
            found = {line: float(sim) - WEIGHTS.specific * len(self._specific[line] - context)
                     for line, sim in zip(lines, sims, strict=True)}
            self._relevance_cache.put(key, found)
        return found

    def _candidates(self, pattern_id: str, phrase: str, details: Details, draft: Draft) -> list[Candidate]:
        """Every usable line of the pattern, filled and styled, best first."""
        pattern = self.catalogue[pattern_id]
        relevance = self._relevance(pattern_id, phrase, draft)
        out: list[Candidate] = []
        for tone in pattern.tones:
            for line in tone.lines:
                if self._fixed_days[line] - draft.words:  # "I have Thursday evening": not the writer's to invent
                    continue
                filled = fill_line(line, details)
                if filled is None:
                    continue
                text, used, holes = filled
                sim = relevance[line] - WEIGHTS.slot_drop * ("{when}" in line and not used & {"day", "time"} and not holes)
                out.append(Candidate(tone.name, text, used, holes, sim))
                if details.vague and pattern_id in VAGUE_PATTERNS and tone.name in ("warm", "direct") \
                        and not used & {"plan", "day", "time"} and "?" not in text and not holes:
                    question, q_used = concrete_question(details, sees=bool(SEE_RE.search(text)))
                    if holes + count_placeholders(question) <= 1:
                        out.append(Candidate(tone.name, f"{text} {question}", used | q_used,
                                             holes + count_placeholders(question), sim, concrete=True))
            if details.vague and pattern_id in VAGUE_PATTERNS and tone.name == "direct":
                question, q_used = concrete_question(details, sees=False)
                out.append(Candidate("direct", question, q_used, count_placeholders(question),
                                     max(relevance.values()), concrete=True))
            out.extend(self._retrieved(pattern_id, phrase, tone.name, draft, max(relevance.values())))
            out.extend(self._anchored(tone.name, out, details))
        out.extend(self._edits(pattern_id, phrase, draft, max(relevance.values())))
        styled_out = [replace(c, text=draft.style(c.text)) for c in out]
        if not draft.romance_ok:  # no "I miss you" or "us" to a parent, a friend or a colleague
            styled_out = [c for c in styled_out if not adds_romance(c.text, draft.text)]
        styled_out = [c for c in styled_out if not refers_to_unmentioned_event(c.text, draft.words, draft.text)]
        return rank_candidates(dedupe(styled_out), phrase)

    def _edits(self, pattern_id: str, phrase: str, draft: Draft, top: float) -> list[Candidate]:
        """The pattern's strategy applied to the phrase's whole sentence (it can then keep the request around the
        phrase) or, failing that, to the phrase alone."""
        start = draft.text.find(phrase)
        s, e = draft.sentence_span(start, start + len(phrase)) if start >= 0 else (0, 0)
        sentence = draft.text[s:e] if start >= 0 else phrase
        around = content_words(draft.text[s:start] + " " + draft.text[start + len(phrase):e]) if start >= 0 else set()
        for scope, words in (("sentence", sentence), ("phrase", phrase)):
            found = [(tone, text) for tone, text in edits(pattern_id, words) if tone != "drop"]
            if scope == "sentence":  # it stands for the sentence only if it carries the words around the phrase
                found = [(t, x) for t, x in found if around and len(around & content_words(x)) >= 0.5 * len(around)]
            if found:
                return [Candidate(tone, text, frozenset({"content"}), 0, top + WEIGHTS.edit, edit=scope)
                        for tone, text in found]
        return []

    def _retrieved(self, pattern_id: str, phrase: str, tone: str, draft: Draft, top: float) -> list[Candidate]:
        """Sentences from the nearest train rewrites that stand on their own and carry nobody else's details."""
        allowed = FEELING_WORDS | GENERIC_WORDS | draft.words
        out = []
        for _, n in self.retriever.nearest(pattern_id, phrase, k=WEIGHTS.neighbours):
            for text, its_tone in n.sentences:  # the ones that stand on their own, found when the index was built
                if its_tone != tone:
                    continue
                words = [w for w in WORD_RE.findall(text.lower()) if w not in STOP_WORDS and len(w) > 2]
                if all(w in allowed or stem(w) in allowed for w in words):
                    out.append(Candidate(tone, text, frozenset(), 0, top - WEIGHTS.retrieved_discount))
        return out

    def _anchored(self, tone: str, cands: list[Candidate], details: Details) -> list[Candidate]:
        """'About last night, ...' or 'About the deposit, ...': ties a line to what the draft is about.
        Topics anchor only the direct tone, so the alternatives don't all open the same way."""
        if details.day is not None and re.search(r"\b(?:last|yesterday|ago)\b", details.day.text, re.I):
            anchor, kind = details.day.text, "day"
        elif details.topic is not None and tone == "direct" and details.anchor_ok:
            anchor, kind = details.topic.text, "topic"
        else:
            return []
        best = [c for c in cands if c.tone == tone and kind not in c.used and not c.text.startswith("About ")
                and anchor.lower() not in c.text.lower()]
        best = sorted(best, key=lambda c: -c.similarity)[:2]
        return [replace(c, text=f"About {anchor}, {uncap(c.text, ())}", used=c.used | {kind}) for c in best]

    def _pick(self, flag: Flag, cands: list[Candidate], clean: dict[str, bool]) -> tuple[Alternative, ...]:
        """The best clean candidate per tone within the placeholder budget; at least one carries the draft's details."""
        pattern = self.catalogue[flag.pattern]
        usable = [c for c in cands if clean.get(c.text) and c.placeholders <= MAX_PLACEHOLDERS]
        picks: dict[str, Candidate] = {}
        for tone in pattern.tones:
            first = next((c for c in usable if c.tone == tone.name), None)
            if first is not None:
                picks[tone.name] = first
        wanted = set().union(*(c.used for c in cands)) if cands else set()
        if wanted and not any(c.used for c in picks.values()):
            grounded = next((c for c in usable if c.used), None)  # best-ranked clean one that carries a detail
            if grounded is not None:
                picks[grounded.tone] = grounded
        picks = within_budget(picks, usable)
        explanations = {t.name: t.explanation for t in pattern.tones}
        return tuple(Alternative(t, picks[t].text, explain(explanations[t], picks[t], flag.phrase))
                     for t in TONE_ORDER if t in picks)

    # -- whole message ------------------------------------------------------------------------------------------

    def _region_options(self, draft: Draft, region: Region) -> list[Candidate]:
        """Replacements for one region inside the whole message, best first (empty text = just drop it)."""
        flag = region.primary
        if HEDGE_ONLY_RE.match(draft.text[region.start:region.end]):
            return [Candidate("drop", "", frozenset(), 0, 1.0)]
        details = draft.details_for(region.start, region.end, flag.pattern, whole=True)
        # inside the message meant to be sent, no [blank] to fill in
        cands = [c for c in self._candidates(flag.pattern, flag.phrase, details, draft) if not c.placeholders]
        if any(tone == "drop" for tone, _ in edits(flag.pattern, flag.phrase)) and draft.rest_has_words(region):
            cands.insert(0, Candidate("drop", "", frozenset(), 0, 2.0))  # bait is left out, not reworded
        order = WHOLE_TONE_ORDER.get(flag.pattern, TONE_ORDER)
        bonus = {t: WEIGHTS.tone_bonus[i] for i, t in enumerate(order)}
        # inside a message meant to be sent, a line with a [blank] to fill reads worse than a complete one
        return rank_candidates([replace(c, similarity=c.similarity + bonus.get(c.tone, 0.0) - WEIGHTS.whole_placeholder * c.placeholders)
                      for c in cands], flag.phrase)

    # -- self-check ---------------------------------------------------------------------------------------------

    def _check(self, texts: list[str]) -> dict[str, bool]:
        """Whether each text comes back with no flags, scored in one batch (same thresholds as analyze)."""
        # Answers come from this call's own dict: another session may empty the shared cache at any moment.
        known = {t: self._clean_cache.get(t) for t in dict.fromkeys(texts) if t}
        todo = [t for t, ok in known.items() if ok is None]
        if todo:
            for t, ok in zip(todo, self.detector.are_clean(todo), strict=True):
                self._clean_cache.put(t, ok)
                known[t] = ok
        return known
