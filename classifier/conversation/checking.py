"""Every message of a chat through the detector: in batches, a repeated short text once, in this process or in
forked worker processes that share the loaded model (results always come back in message order)."""
from __future__ import annotations

from collections.abc import Iterator

from ..detect import safety as safety_lib
from ..detect.results import Flag
from ..errors import TextTooLongError
from ..parallel import WORKER, ordered_map
from .readers import Message

CACHE_CHARS = 120  # messages up to this long are remembered: "ok", "haha", "love you x" recur all the time
CACHE_SIZE = 50_000
PARALLEL_FROM = 4  # batches: fewer finish before worker processes would pay for themselves

Checked = tuple[tuple[Flag, ...], "safety_lib.SafetyFinding | None", bool]  # flags, safety finding, too long to check


def check_texts(detector, texts: list[str]) -> list[Checked]:
    """One batch through Detector.analyze_many, reduced to what the conversation keeps (no spaCy Doc)."""
    out = []
    for text, result in zip(texts, detector.analyze_many(texts), strict=True):
        if isinstance(result, TextTooLongError):
            out.append(((), safety_lib.check(text), True))  # a crisis mention still counts in an over-long message
        else:
            out.append((tuple(result.flags), result.safety, False))
    return out


def checked_chunks(detector, messages: list[Message], batch: int, jobs: int = 1
                   ) -> Iterator[tuple[list[Message], list[Checked]]]:
    """(messages, their results) per batch of messages, in order."""
    chunks = [messages[i:i + batch] for i in range(0, len(messages), batch)]
    remembered: set[str] = set()  # short texts already sent to be checked: later copies reuse the result

    def to_check(chunk: list[Message]) -> list[str]:
        fresh = []
        for text in dict.fromkeys(m.text for m in chunk):
            if text in remembered:
                continue
            if len(text) <= CACHE_CHARS and len(remembered) < CACHE_SIZE:
                remembered.add(text)
            fresh.append(text)
        return fresh

    submitted = ((chunk, to_check(chunk)) for chunk in chunks)
    results = (_in_workers(detector, submitted, jobs) if jobs > 1 and len(chunks) >= PARALLEL_FROM
               else ((chunk, texts, check_texts(detector, texts)) for chunk, texts in submitted))
    cache: dict[str, Checked] = {}
    for chunk, texts, checked in results:
        mine = dict(zip(texts, checked, strict=True))
        for text, result in mine.items():
            if text in remembered:
                cache[text] = result
        yield chunk, [mine[m.text] if m.text in mine else cache[m.text] for m in chunk]


def _check_in_worker(texts: list[str]) -> list[Checked]:
    return check_texts(WORKER["detector"], texts)


def _in_workers(detector, submitted, jobs: int):
    """Batches checked in `jobs` forked processes, handed back in order as (messages, texts, results)."""
    for (chunk, texts), checked in ordered_map(_check_in_worker, submitted, jobs, {"detector": detector},
                                               argument=lambda item: item[1]):
        yield chunk, texts, checked
