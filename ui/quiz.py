"""The practice quiz: questions from the corpus test split and the catalogue, drawing and grading (no Streamlit)."""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SINCERE = "sincere"
QUIZ_LENGTH = 8
MAX_CHARS = 360  # keep quiz messages readable at a glance


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    patterns: tuple[str, ...]  # empty: the message is sincere
    phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()
    why: str | None = None  # for catalogue look-alikes: why it is sincere
    look_alike_of: str | None = None

    @property
    def is_sincere(self) -> bool:
        return not self.patterns

    @property
    def answer(self) -> frozenset[str]:
        return frozenset(self.patterns) if self.patterns else frozenset({SINCERE})

    def phrase_map(self) -> dict[str, list[str]]:
        return {pid: list(items) for pid, items in self.phrases}


@dataclass(frozen=True)
class Grade:
    correct: bool
    hits: tuple[str, ...]  # right answers the user picked
    missed: tuple[str, ...]  # right answers the user did not pick
    extra: tuple[str, ...]  # picks that were not right

    @property
    def partly(self) -> bool:
        return not self.correct and bool(self.hits)


def question_pool(rows: Iterable[dict], catalogue: Mapping) -> list[Question]:
    """Test-split rows (never trained on) plus the catalogue's examples and sincere look-alikes."""
    pool: list[Question] = []
    for r in rows:
        if r.get("split") != "test" or len(r.get("text", "")) > MAX_CHARS or not r.get("text", "").strip():
            continue
        if r["kind"] == "positive":
            phrases = tuple((pid, tuple(items)) for pid, items in r["phrases"].items())
            pool.append(Question(r["id"], r["text"], tuple(r["patterns"]), phrases))
        elif r["kind"] == "hard_negative":
            pool.append(Question(r["id"], r["text"], (), (), None, r.get("look_alike_of")))
    for pid, p in catalogue.items():
        for i, ex in enumerate(p.examples, 1):
            pool.append(Question(f"cat-{pid}-ex{i:02d}", ex.text, (pid,), ((pid, (ex.phrase,)),)))
        for i, la in enumerate(p.look_alikes, 1):
            pool.append(Question(f"cat-{pid}-la{i:02d}", la.text, (), (), la.why, pid))
    return pool


def draw_quiz(pool: list[Question], n: int = QUIZ_LENGTH, seed: int | None = None) -> list[Question]:
    """A short mixed round: about 60% messages with a pattern, the rest sincere look-alikes, shuffled."""
    rng = random.Random(seed)
    flagged = [q for q in pool if not q.is_sincere]
    sincere = [q for q in pool if q.is_sincere]
    n_flagged = min(len(flagged), round(n * 0.6))
    n_sincere = min(len(sincere), n - n_flagged)
    picked = rng.sample(flagged, n_flagged) + rng.sample(sincere, n_sincere)
    rng.shuffle(picked)
    return picked


def grade(question: Question, picks: Iterable[str]) -> Grade:
    chosen = set(picks)
    truth = set(question.answer)
    return Grade(chosen == truth, tuple(sorted(truth & chosen)), tuple(sorted(truth - chosen)), tuple(sorted(chosen - truth)))
