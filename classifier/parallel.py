"""Work spread over forked processes on this machine, results handed back in input order (past one machine, batch
work runs on Dask: `cli/distributed.py`)."""
from __future__ import annotations

import collections
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WORKER: dict[str, Any] = {}  # what the workers compute with (the loaded model), set before the pool forks


def ordered_map(function: Callable, items: Iterable, jobs: int, state: dict[str, Any],
                argument: Callable[[Any], Any] | None = None) -> Iterator[tuple[Any, Any]]:
    """(item, function(argument(item))) for each item, computed in `jobs` forked processes that read `state` from
    WORKER; at most 2 x jobs items in flight, so memory stays constant however many items there are."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    WORKER.update(state)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            pending: collections.deque = collections.deque()
            for item in items:
                pending.append((item, pool.submit(function, argument(item) if argument else item)))
                while len(pending) >= 2 * jobs:
                    done, future = pending.popleft()
                    yield done, future.result()
            while pending:
                done, future = pending.popleft()
                yield done, future.result()
    finally:
        WORKER.clear()


def default_jobs() -> int:
    """Every core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
