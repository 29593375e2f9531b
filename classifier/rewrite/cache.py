"""A small thread-safe bounded cache shared by app sessions."""
from __future__ import annotations

import threading


class Memo:
    """A bounded cache that several app sessions (threads) can share: each read and write holds a lock, and a full
    cache is emptied rather than grown, so a long-running app stays within memory."""

    MISSING = object()

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._data: dict = {}
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            return self._data.get(key, default)

    def put(self, key, value) -> None:
        with self._lock:
            if len(self._data) >= self.limit:
                self._data.clear()
            self._data[key] = value
